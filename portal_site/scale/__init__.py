# ruff: noqa: S311 — random here generates benchmark data deterministically from a seed; nothing secret.
"""The realistic data of the scale issue (issue 10): every board in England, ten years of cases.

`seed(boards=150, scale=1.0, seed=10)` creates, per board at scale 1: 8 agencies, users for every role
(business manager, business support, LSCB Chair, two sub-committee members, an auditor, one agency
contact per agency, five IMR authors), 200 referrals received over ten years in every state, 40 reviews
of mixed types in every state (each from a decided referral with its Decision, screening meeting and
agency checks), 5 IMRs per review past commissioning, chronology rows, IMR action plans with 10 to 40
actions per review, and deadlines for all of it (referral decision, agency replies, review completion,
monthly progress reports, IMR completion, every action).

Rows are written with bulk_create (chronology rows with INSERT … SELECT generate_series), so 150 boards
take minutes. Everything random comes from one `random.Random(seed)` per board, so a seed gives the same
data. The states are coherent: a decided referral has a Decision and (for a review outcome) a Review; a
review at or past "IMRs commissioned" has its five IMRs in states that fit; an IMR past "in preparation"
has chronology rows; closed or met work has its deadlines met.

Chronology sizes: the issue asks for "100–2,000 rows per IMR" and "about 1,000,000 rows in total" for
30,000 IMRs, which cannot both hold (the first gives about 30 million). Here one review per board (the
newest review past the presentation, the load test's "integrated chronology" page) has 5 IMRs of 400 rows
(2,000 in all), 3% of the other IMRs have 100 to 2,000 rows, and the rest 5 to 60: about 1.2 million
rows at 150 boards.

Users are made with an unusable password and a TOTP authenticator row, so they pass the second-factor
check; the load test signs them in with sessions it creates (portal_site.bench.sessions).
"""

import datetime as dt
from collections.abc import Callable

from allauth.mfa.models import Authenticator
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone

from imr.models import IMR, ActionPlanAction, ActionPlanRecommendation, ChronologyEntry
from referrals.criteria import current_framework
from referrals.models import AgencyCheck, Decision, Referral, ScreeningMeeting
from reviews.models import Review, ToRVersion
from scr_portal.clock.schedule import ReminderSchedule
from scr_portal.models import Agency, AgencyKind, Board, Deadline, DeadlineRule, Membership, Role, User
from scr_portal.services import membership_grant

from .base import AGENCIES, EMAIL_DOMAIN, IMRS_PER_REVIEW, PREFIX, board_short_name, user_email
from .imrs import IMRSeeder
from .referrals import ReferralSeeder
from .reviews import ReviewSeeder

__all__ = [
    "PREFIX",
    "BoardSeeder",
    "board_short_name",
    "context",
    "delete_all",
    "existing_boards",
    "seed",
    "user_email",
]


def existing_boards() -> int:
    return Board.objects.filter(short_name__regex=rf"^{PREFIX}[0-9]{{3}}$").count()


def delete_all(log: Callable[[str], None] = print) -> None:
    """Remove every scale board and everything of it (rows of the board first, in dependency order)."""
    boards = list(
        Board.objects.filter(short_name__regex=rf"^{PREFIX}[0-9]{{3}}$").values_list("pk", flat=True)
    )
    if not boards:
        return
    log(f"deleting {len(boards)} scale boards")
    from guardian.models import UserObjectPermission

    users = User.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}")
    # Children before parents: their foreign keys protect the parents. The chronology, the largest
    # table, goes without Django's per-row collection.
    by_board_path = [
        (Deadline, "board"),
        (ActionPlanAction, "recommendation__imr__review__board"),
        (ActionPlanRecommendation, "imr__review__board"),
        (IMR, "review__board"),
        (ToRVersion, "review__board"),
        (Review, "board"),
        (Decision, "referral__board"),
        (ScreeningMeeting, "referral__board"),
        (AgencyCheck, "referral__board"),
        (Referral, "board"),
        (Membership, "board"),
        (Agency, "board"),
        (Board, "pk"),
    ]
    with transaction.atomic():
        ChronologyEntry.objects.filter(imr__review__board__in=boards)._raw_delete(connection.alias)
        Referral.objects.filter(board__in=boards).update(duplicate_of=None)
        for model, path in by_board_path:
            model.objects.filter(**{f"{path}__in": boards}).delete()
        for model in (UserObjectPermission, Authenticator):
            model.objects.filter(user__in=users).delete()
        users.delete()


class BoardSeeder(ReferralSeeder, ReviewSeeder, IMRSeeder):
    # ------------------------------------------------------------------------------------ people

    def people(self) -> None:
        short = board_short_name(self.number)
        self.board = Board.objects.create(
            name=f"Scale board {self.number:03d} Safeguarding Children Board",
            short_name=short,
            review_framework=self.board_framework(),
        )
        kinds = list(AgencyKind.values)
        self.agencies = Agency.objects.bulk_create(
            Agency(
                board=self.board,
                name=f"{short} agency {i + 1}",
                kind=kinds[i % len(kinds)],
                core_member=i < 5,
            )
            for i in range(AGENCIES)
        )
        roles = [
            ("manager", Role.BUSINESS_MANAGER, None),
            ("support", Role.BUSINESS_SUPPORT, None),
            ("chair", Role.LSCB_CHAIR, None),
            ("subcommittee1", Role.SUBCOMMITTEE_MEMBER, None),
            ("subcommittee2", Role.SUBCOMMITTEE_MEMBER, None),
            ("auditor", Role.AUDITOR, None),
        ] + [(f"contact{i + 1}", Role.AGENCY_CONTACT, agency) for i, agency in enumerate(self.agencies)]
        authors = [f"author{i + 1}" for i in range(IMRS_PER_REVIEW)]
        users = User.objects.bulk_create(
            User(
                email=user_email(self.number, key),
                full_name=f"{key.title()} {short}",
                password=self.ctx["password"],
            )
            for key in [r[0] for r in roles] + authors
        )
        Authenticator.objects.bulk_create(
            Authenticator(user=user, type=Authenticator.Type.TOTP, data={"secret": "scale-benchmark"})
            for user in users
        )
        self.users = dict(zip([r[0] for r in roles] + authors, users, strict=True))
        for key, role, agency in roles:
            membership_grant(user=self.users[key], board=self.board, role=role, agency=agency)
        self.authors = [self.users[a] for a in authors]

    def run(self) -> dict:
        with transaction.atomic():
            self.people()
            self.referrals()
            self.reviews()
            rows = self.chronology()
            actions = self.plans()
            deadlines = self.write_deadlines()
        return {
            "referrals": len(self.referral_rows),
            "reviews": len(self.review_rows),
            "imrs": len(self.imr_rows),
            "chronology": rows,
            "actions": actions,
            "deadlines": deadlines,
        }


def context() -> dict:
    from django.apps import apps

    framework = current_framework()
    answers = {}
    if framework is not None:
        codes = apps.get_model("referrals", "CriterionQuestion").objects.filter(framework=framework)
        answers = {code: False for code in codes.values_list("code", flat=True)} | {"ABUSE": True, "M1": True}
    return {
        "password": make_password(None),
        "framework": framework,
        "answers": answers,
        "rules": {rule.code: rule for rule in DeadlineRule.objects.all()},
        "schedule": ReminderSchedule().as_dict() | {"enabled": True},
        "ct": {
            "referral": ContentType.objects.get_for_model(Referral),
            "agency_check": ContentType.objects.get_for_model(AgencyCheck),
            "review": ContentType.objects.get_for_model(Review),
            "imr": ContentType.objects.get_for_model(IMR),
            "action": ContentType.objects.get_for_model(ActionPlanAction),
        },
    }


def seed(
    *, boards: int, scale: float = 1.0, seed: int = 10, now: dt.datetime | None = None, log=print
) -> dict:
    """Create boards SC001…SC{boards}; returns the totals. Boards already there are kept (numbered on)."""
    now = now or timezone.now()
    ctx = context()
    totals: dict[str, int] = {}
    start = existing_boards() + 1
    bench_reviews = []
    for number in range(start, boards + 1):
        seeder = BoardSeeder(number=number, scale=scale, seed=seed, now=now, context=ctx)
        counts = seeder.run()
        bench_reviews.append(seeder.bench_review_id)
        for key, value in counts.items():
            totals[key] = totals.get(key, 0) + value
        log(f"board {number:03d}/{boards}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return totals
