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
import random
from collections.abc import Callable

from allauth.mfa.models import Authenticator
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone

from imr.models import IMR, ActionPlanAction, ActionPlanRecommendation, ChronologyEntry, IMRState
from referrals.models import (
    AgencyCheck,
    AgencyCheckState,
    CriteriaFramework,
    Decision,
    Referral,
    ReferralState,
    ScreeningMeeting,
)
from reviews.models import Review, ReviewState, ReviewType, ToRVersion
from reviews.models.alternative import (
    STEPS_BY_TYPE,
    AcceptedBy,
    AlternativeReview,
    AlternativeState,
    AlternativeStep,
)
from scr_portal.clock.schedule import ReminderSchedule
from scr_portal.models import Agency, AgencyKind, Board, Deadline, DeadlineRule, Membership, Role, User
from scr_portal.services import membership_grant

PREFIX = "SC"  # short names SC001…; boards named "Scale board 001 …"
EMAIL_DOMAIN = "scale.invalid"
AGENCIES = 8
IMRS_PER_REVIEW = 5
REFERRALS_PER_BOARD = 200
REVIEWS_PER_BOARD = 40
NFA_PER_BOARD = 10
BENCH_ROWS_PER_IMR = 400

REVIEW_STATES = list(ReviewState.values)
IMR_STATES = list(IMRState.values)
# The IMR state that fits each review state (the five IMRs get this one or one step behind).
IMR_FOR_REVIEW = {
    "imrs_commissioned": ["requested", "author_nominated"],
    "imrs_in_progress": ["in_preparation", "factual_check", "agency_qa", "signed_off", "nil_return"],
    "presentation_scheduled": ["submitted", "accepted", "returned_for_rework"],
    "presentation_held": ["presented", "further_info_requested"],
}
WITH_CHRONOLOGY = set(IMR_STATES) - {"requested", "author_nominated", "nil_return"}
WITH_PLAN = {"signed_off", "submitted", "accepted", "returned_for_rework", "presented"} | {
    "further_info_requested",
    "final",
}
OPEN_REFERRAL_STATES = ["draft", "submitted", "agency_checks", "screening_scheduled", "recommended"]
CLOSED_REFERRAL_STATES = ["withdrawn", "transferred", "duplicate"]


def board_short_name(number: int) -> str:
    return f"{PREFIX}{number:03d}"


def user_email(board_number: int, key: str) -> str:
    return f"{key}.b{board_number:03d}@{EMAIL_DOMAIN}"


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
    with transaction.atomic():
        Deadline.objects.filter(board__in=boards).delete()
        ChronologyEntry.objects.filter(imr__review__board__in=boards)._raw_delete(connection.alias)
        ActionPlanAction.objects.filter(recommendation__imr__review__board__in=boards).delete()
        ActionPlanRecommendation.objects.filter(imr__review__board__in=boards).delete()
        IMR.objects.filter(review__board__in=boards).delete()
        ToRVersion.objects.filter(review__board__in=boards).delete()
        Review.objects.filter(board__in=boards).delete()
        Decision.objects.filter(referral__board__in=boards).delete()
        ScreeningMeeting.objects.filter(referral__board__in=boards).delete()
        AgencyCheck.objects.filter(referral__board__in=boards).delete()
        Referral.objects.filter(board__in=boards).update(duplicate_of=None)
        Referral.objects.filter(board__in=boards).delete()
        Membership.objects.filter(board__in=boards).delete()
        UserObjectPermission.objects.filter(user__in=users).delete()
        Agency.objects.filter(board__in=boards).delete()
        Board.objects.filter(pk__in=boards).delete()
        Authenticator.objects.filter(user__in=users).delete()
        users.delete()


class BoardSeeder:
    def __init__(self, *, number: int, scale: float, seed: int, now: dt.datetime, context: dict):
        self.number = number
        self.rng = random.Random(seed * 100_003 + number)
        self.scale = scale
        self.now = now
        self.today = timezone.localdate(now)
        self.ctx = context
        self.deadlines: list[tuple[Deadline, int]] = []  # (deadline, responsible user id)

    def n(self, per_board: int, minimum: int = 1) -> int:
        return max(minimum, round(per_board * self.scale))

    # ------------------------------------------------------------------------------------ people

    def people(self) -> None:
        short = board_short_name(self.number)
        self.board = Board.objects.create(
            name=f"Scale board {self.number:03d} Safeguarding Children Board", short_name=short
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

    # ------------------------------------------------------------------------------------ referrals

    def referrals(self) -> None:
        rng, manager, chair = self.rng, self.users["manager"], self.users["chair"]
        total = self.n(REFERRALS_PER_BOARD, 10)
        reviews = min(self.n(REVIEWS_PER_BOARD, 4), total // 2)
        nfa = min(self.n(NFA_PER_BOARD, 1), total - reviews)
        others = total - reviews - nfa
        # Received dates over ten years; the oldest are decided or closed, the newest still open.
        received = sorted(
            (
                self.now - dt.timedelta(days=rng.uniform(1, 3650), hours=rng.uniform(0, 8))
                for _ in range(total)
            ),
        )
        kinds = ["review"] * reviews + ["nfa"] * nfa + ["other"] * others
        rng.shuffle(kinds)
        # Keep open states for the newest others, so each state has recent rows.
        self.referral_rows: list[Referral] = []
        self.decided_for_review: list[Referral] = []
        open_states = OPEN_REFERRAL_STATES
        framework = self.ctx["framework"]
        # The newest fifth of the referrals that lead nowhere are still open, in every open state in turn.
        other_positions = [i for i, kind in enumerate(kinds) if kind == "other"]
        still_open = set(other_positions[-max(len(open_states), len(other_positions) // 5) :])
        for i, (at, kind) in enumerate(zip(received, kinds, strict=True)):
            if kind in ("review", "nfa"):
                state = ReferralState.DECIDED
            elif i in still_open:
                state = open_states[i % len(open_states)]
            elif i % 4 == 0:
                state = CLOSED_REFERRAL_STATES[i % len(CLOSED_REFERRAL_STATES)]
            else:
                state = ReferralState.DECIDED
            submitted = state != ReferralState.DRAFT
            referral = Referral(
                board=self.board,
                reference=f"{self.board.short_name}-{at.year}-{i + 1:04d}",
                state=state,
                created_by=manager,
                created_at=at - dt.timedelta(hours=2),
                referrer_name=f"Referrer {i + 1}",
                referrer_agency=self.agencies[i % AGENCIES],
                referrer_email=f"referrer{i + 1}@example.org",
                received_on=at.date(),
                child_name=f"Child {self.board.short_name} {i + 1}",
                child_date_of_birth=at.date() - dt.timedelta(days=rng.randint(100, 6000)),
                incident_date=at.date() - dt.timedelta(days=rng.randint(1, 20)),
                child_cp_plan=rng.choice(["now", "before", "no", "unknown"]),
                brief_account="A serious incident; agencies' working together is in question.",
                triggers=["a"],
                trigger_account="The child died.",
                designated_professional_consulted=True,
                csc_referral_made=True,
                lead_board_is_this_board=True,
                framework=framework if submitted else None,
                criteria_answers=self.ctx["answers"] if submitted else {},
                advice=rng.choice(["must_review", "consider", "below_threshold"]) if submitted else "",
                submitted_at=at if submitted else None,
                received_at=at if submitted else None,
                decided_at=at + dt.timedelta(days=rng.randint(10, 30))
                if state == ReferralState.DECIDED
                else None,
                closed_reason="Closed without a decision." if state in CLOSED_REFERRAL_STATES else "",
                transferred_to="Another board" if state == ReferralState.TRANSFERRED else "",
            )
            referral._kind = kind
            self.referral_rows.append(referral)
        created = Referral.objects.bulk_create(self.referral_rows, batch_size=2000)
        for referral, original in zip(created, self.referral_rows, strict=True):
            referral._kind = original._kind
        duplicates = [r for r in created if r.state == ReferralState.DUPLICATE]
        for r in duplicates:
            r.duplicate_of = created[0]
        Referral.objects.bulk_update(duplicates, ["duplicate_of"])

        checks, meetings, decisions = [], [], []
        order = ["draft", "submitted", "agency_checks", "screening_scheduled", "recommended", "decided"]
        for referral in created:
            rank = order.index(referral.state) if referral.state in order else 5
            if rank >= 2:
                for agency in rng.sample(self.agencies, 3):
                    answered = rank > 2 or rng.random() < 0.5
                    checks.append(
                        AgencyCheck(
                            referral=referral,
                            agency=agency,
                            state=rng.choice([AgencyCheckState.INVOLVED, AgencyCheckState.NIL_RETURN])
                            if answered
                            else AgencyCheckState.PENDING,
                            sent_at=referral.received_at + dt.timedelta(hours=3),
                            sent_by=manager,
                            respondent_name="Agency contact" if answered else "",
                            answered_at=referral.received_at + dt.timedelta(days=2) if answered else None,
                            records_secured_on=referral.received_at.date() if answered else None,
                        )
                    )
            if rank >= 3:
                meetings.append(
                    ScreeningMeeting(
                        referral=referral,
                        meeting_date=referral.received_at.date() + dt.timedelta(days=14),
                        scheduled_by=manager,
                        recommendation="scr" if rank >= 4 else "",
                        reasons="Threshold met." if rank >= 4 else "",
                        recommended_at=referral.received_at + dt.timedelta(days=14) if rank >= 4 else None,
                        recommended_by=manager if rank >= 4 else None,
                    )
                )
            if referral.state == ReferralState.DECIDED:
                outcome = (
                    "scr" if referral._kind == "review" else ("nfa" if referral._kind == "nfa" else "nfa")
                )
                if referral._kind == "review" and rng.random() < 0.25:
                    outcome = "alternative"
                referral._outcome = outcome
                decisions.append(
                    Decision(
                        referral=referral,
                        outcome=outcome,
                        alternative_type=rng.choice(["partnership_case_review", "management_review"])
                        if outcome == "alternative"
                        else "",
                        reasons="The criteria are met." if outcome != "nfa" else "Below the threshold.",
                        members_consulted="All core members",
                        legal_advice_sought=False,
                        decided_by=chair,
                        decided_at=referral.decided_at,
                    )
                )
                if referral._kind == "review":
                    self.decided_for_review.append((referral, decisions[-1]))
        AgencyCheck.objects.bulk_create(checks, batch_size=2000)
        ScreeningMeeting.objects.bulk_create(meetings, batch_size=2000)
        Decision.objects.bulk_create(decisions, batch_size=2000)
        ct = self.ctx["ct"]
        for referral in created:
            if referral.state == ReferralState.DRAFT:
                continue
            status = "open"
            if referral.state == ReferralState.DECIDED:
                status = "met"
            elif referral.state in CLOSED_REFERRAL_STATES:
                status = "cancelled"
            self.deadline(ct["referral"], referral, "decision", referral.received_at, status, chair.pk)
        for check in checks:
            status = "open" if check.state == AgencyCheckState.PENDING else "met"
            self.deadline(
                ct["agency_check"], check, "agency-reply", check.sent_at, status, manager.pk, check.referral
            )

    # ------------------------------------------------------------------------ alternative reviews

    def alternative_reviews(self) -> None:
        """Each review of another type than an SCR has its record and steps (reviews.models.alternative):
        led by the sub-committee member, the earlier steps done, the output accepted once the review is
        monitored or closed."""
        lead, manager = self.users["subcommittee1"], self.users["manager"]
        records, steps = [], []
        for review in self.review_rows:
            if review.review_type not in STEPS_BY_TYPE:
                continue
            accepted = review.state in ("monitoring", "closed")
            records.append(
                AlternativeReview(
                    review=review,
                    review_type=review.review_type,
                    state=AlternativeState.OUTPUT_ACCEPTED if accepted else AlternativeState.UNDER_WAY,
                    created_at=review.created_at,
                    lead_user=lead,
                    appointed_at=review.created_at + dt.timedelta(days=3),
                    appointed_by=manager,
                    accepted_by=AcceptedBy.MONITORING_GROUP if accepted else "",
                    accepted_on=(review.created_at + dt.timedelta(days=120)).date() if accepted else None,
                    acceptance_recorded_by=manager if accepted else None,
                )
            )
        AlternativeReview.objects.bulk_create(records, batch_size=2000)
        for record in records:
            for position, step in enumerate(STEPS_BY_TYPE[record.review_type], start=1):
                done = record.state == AlternativeState.OUTPUT_ACCEPTED or (position == 1 and not step.output)
                done_at = record.created_at + dt.timedelta(days=7 * position) if done else None
                steps.append(
                    AlternativeStep(
                        alternative=record,
                        review_type=record.review_type,
                        position=position,
                        code=step.code,
                        label=step.label,
                        is_output=step.output,
                        done_at=done_at,
                        done_on=done_at.date() if done_at else None,
                        done_by=manager if done else None,
                    )
                )
        AlternativeStep.objects.bulk_create(steps, batch_size=5000)

    # ------------------------------------------------------------------------------------ reviews

    def reviews(self) -> None:
        rng, manager, chair = self.rng, self.users["manager"], self.users["chair"]
        pairs = sorted(self.decided_for_review, key=lambda p: p[0].decided_at)
        count = len(pairs)
        # The oldest reviews are furthest on: spread the states so every one is there, later ones closed.
        states = []
        for i in range(count):
            position = 1 - i / max(count - 1, 1)  # 1 for the oldest, 0 for the newest
            index = min(len(REVIEW_STATES) - 1, int(position * len(REVIEW_STATES) * 1.3))
            states.append(REVIEW_STATES[index])
        for i, state in enumerate(REVIEW_STATES[: min(count, len(REVIEW_STATES))]):
            states[-(i + 1)] = (
                state if i < count else states[-(i + 1)]
            )  # every state present among the newest
        rows = []
        for (referral, decision), state in zip(pairs, states, strict=True):
            rtype = ReviewType.SCR if decision.outcome == "scr" else decision.alternative_type
            rows.append(
                Review(
                    board=self.board,
                    referral=referral,
                    reference=f"{referral.reference}-R",
                    review_type=rtype,
                    state=state,
                    decision_date=referral.decided_at.date(),
                    created_at=referral.decided_at,
                    created_by=manager,
                    methodology="systems" if REVIEW_STATES.index(state) >= 2 else "",
                    closed_at=referral.decided_at + dt.timedelta(days=400) if state == "closed" else None,
                )
            )
        self.review_rows = Review.objects.bulk_create(rows, batch_size=2000)
        self.alternative_reviews()
        tors = [
            ToRVersion(
                review=review,
                number=1,
                state="approved",
                dated=review.decision_date + dt.timedelta(days=10),
                period_from=review.decision_date - dt.timedelta(days=1500),
                period_to=review.decision_date,
                scope="The agencies' work with the family from the child's birth.",
                created_by=manager,
                created_at=review.created_at + dt.timedelta(days=5),
                approved_by=chair,
                approved_at=review.created_at + dt.timedelta(days=10),
            )
            for review in self.review_rows
            if REVIEW_STATES.index(review.state) >= REVIEW_STATES.index("tor_approved")
        ]
        ToRVersion.objects.bulk_create(tors, batch_size=2000)
        ct = self.ctx["ct"]
        for review in self.review_rows:
            done = review.state in ("submitted_to_ofsted", "evaluated", "published", "monitoring", "closed")
            self.deadline(
                ct["review"],
                review,
                "review-completion",
                review.created_at,
                "met" if done else "open",
                manager.pk,
            )
            self.deadline(
                ct["review"],
                review,
                "progress-report",
                review.created_at,
                "met" if done else "open",
                manager.pk,
            )
        # IMRs
        imrs = []
        commissioned = REVIEW_STATES.index("imrs_commissioned")
        later = [
            s for s in REVIEW_STATES if REVIEW_STATES.index(s) > REVIEW_STATES.index("presentation_held")
        ]
        for review in self.review_rows:
            position = REVIEW_STATES.index(review.state)
            if position < commissioned:
                continue
            choices = ["final"] if review.state in later else IMR_FOR_REVIEW[review.state]
            for k in range(IMRS_PER_REVIEW):
                state = choices[0] if k == 0 else rng.choice(choices)
                imrs.append(
                    IMR(
                        review=review,
                        agency=self.agencies[k],
                        state=state,
                        author=self.authors[k] if state not in ("requested", "nil_return") else None,
                        commissioned_at=review.created_at + dt.timedelta(days=20),
                        commissioned_by=manager,
                        nominate_by=review.decision_date + dt.timedelta(days=27),
                        nil_return_reason="No involvement." if state == "nil_return" else "",
                        summary_of_facts="Summary." if state in WITH_PLAN else "",
                    )
                )
        self.imr_rows = IMR.objects.bulk_create(imrs, batch_size=2000)
        for imr in self.imr_rows:
            done = imr.state not in (
                "requested",
                "author_nominated",
                "in_preparation",
                "factual_check",
                "agency_qa",
            )
            self.deadline(
                ct["imr"],
                imr,
                "imr-completed",
                imr.commissioned_at,
                "met" if done else "open",
                (imr.author_id or manager.pk),
                imr.review,
            )

    def chronology_plan(self) -> list[tuple[int, int]]:
        """(imr id, rows) for every IMR that has a chronology."""
        rng = self.rng
        with_rows = [imr for imr in self.imr_rows if imr.state in WITH_CHRONOLOGY]
        bench_review = None
        for imr in sorted(with_rows, key=lambda i: -i.review.created_at.timestamp()):
            if imr.review.state in ("presentation_held", "overview_drafting") or imr.state == "final":
                bench_review = imr.review_id
                break
        self.bench_review_id = bench_review
        plan = []
        for imr in with_rows:
            if imr.review_id == bench_review:
                rows = max(20, round(BENCH_ROWS_PER_IMR * min(self.scale * 10, 1)))
            elif rng.random() < 0.03:
                rows = rng.randint(100, 2000)
            else:
                rows = rng.randint(5, 60)
            plan.append((imr.pk, rows))
        return plan

    def chronology(self) -> int:
        plan = self.chronology_plan()
        if not plan:
            return 0
        table = connection.ops.quote_name(ChronologyEntry._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                INSERT INTO {table} (imr_id, event_no, date, time, family_member, child_seen, event,
                    agency_source, action_taken, note)
                SELECT p.imr_id, g, DATE '2012-01-01' + ((p.imr_id * 7 + g * 3) %% 4000)::int,
                    CASE WHEN g %% 3 = 0 THEN NULL ELSE make_time(g %% 24, g %% 60, 0) END,
                    (ARRAY['M', 'F', 'SC', 'S1'])[1 + g %% 4], g %% 2 = 0,
                    'Event ' || g || ': a contact with the family, recorded at the time by the practitioner.',
                    'Case records', CASE WHEN g %% 5 = 0 THEN 'Referred on.' ELSE '' END, ''
                FROM unnest(%s::bigint[], %s::int[]) AS p(imr_id, n), generate_series(1, p.n) AS g
                """,  # noqa: S608 — table name from the model; values are parameters.
                [[p[0] for p in plan], [p[1] for p in plan]],
            )
        return sum(p[1] for p in plan)

    def plans(self) -> int:
        rng, ct = self.rng, self.ctx["ct"]
        by_review: dict[int, list[IMR]] = {}
        for imr in self.imr_rows:
            if imr.state in WITH_PLAN:
                by_review.setdefault(imr.review_id, []).append(imr)
        recs, actions_per_rec = [], []
        for imrs in by_review.values():
            total = rng.randint(10, 40)
            per_rec = [total // (2 * len(imrs))] * (2 * len(imrs))
            for j in range(total - sum(per_rec)):
                per_rec[j] += 1
            for idx, imr in enumerate(imrs):
                for number in (1, 2):
                    recs.append(
                        ActionPlanRecommendation(
                            imr=imr,
                            number=number,
                            outcome="Practitioners recognise neglect.",
                            recommendation="The head of service should ensure training on neglect.",
                            audit_information="Attendance records.",
                        )
                    )
                    actions_per_rec.append(per_rec[2 * idx + number - 1])
        recs = ActionPlanRecommendation.objects.bulk_create(recs, batch_size=2000)
        actions = [
            ActionPlanAction(
                recommendation=rec,
                number=k + 1,
                action=f"Action {k + 1}: deliver training and audit its effect.",
                by_whom="Head of training",
                by_when=self.today + dt.timedelta(days=rng.randint(-400, 400)),
                ongoing=False,
            )
            for rec, count in zip(recs, actions_per_rec, strict=True)
            for k in range(count)
        ]
        actions = ActionPlanAction.objects.bulk_create(actions, batch_size=5000)
        manager = self.users["manager"]
        imr_by_pk = {imr.pk: imr for imr in self.imr_rows}
        for action, rec in ((a, a.recommendation) for a in actions):
            imr = imr_by_pk[rec.imr_id]
            status = "met" if action.by_when < self.today - dt.timedelta(days=30) else "open"
            self.deadline(
                ct["action"],
                action,
                "action",
                imr.commissioned_at,
                status,
                manager.pk,
                imr.review,
                due=action.by_when,
            )
        return len(actions)

    # ------------------------------------------------------------------------------------ deadlines

    def deadline(self, ct, subject, rule_code, trigger_at, status, responsible, case=None, due=None) -> None:
        rule = self.ctx["rules"][rule_code]
        days = {"hours": rule.amount / 24, "calendar_days": rule.amount, "weeks": 7 * rule.amount}.get(
            rule.unit, rule.amount * (30 if rule.unit == "calendar_months" else 1.4)
        )
        due_date = due or (trigger_at + dt.timedelta(days=days)).date()
        if status == "open" and due_date < self.today:
            status = "overdue"
        reference = getattr(case or subject, "reference", None) or getattr(
            getattr(subject, "referral", None), "reference", ""
        )
        met_at = trigger_at + dt.timedelta(days=max(days * 0.8, 1)) if status == "met" else None
        self.deadlines.append(
            (
                Deadline(
                    board=self.board,
                    content_type=ct,
                    object_id=subject.pk,
                    kind=rule.subject_kind,
                    case_reference=reference,
                    rule=rule,
                    title=rule.name,
                    trigger_at=trigger_at,
                    amount=rule.amount,
                    unit=rule.unit,
                    original_due_date=due_date,
                    due_date=due_date,
                    due_at=dt.datetime.combine(
                        due_date, dt.time(23, 59, 59), tzinfo=timezone.get_current_timezone()
                    ),
                    statutory=rule.statutory,
                    warn_only=rule.warn_only,
                    responsible_role=rule.responsible,
                    reminder_schedule=self.ctx["schedule"],
                    status=status,
                    opened_at=trigger_at,
                    met_at=met_at,
                    closed_reason="Closed with its case." if status == "cancelled" else "",
                ),
                responsible,
            )
        )

    def write_deadlines(self) -> int:
        created = Deadline.objects.bulk_create([d for d, _ in self.deadlines], batch_size=5000)
        through = Deadline.responsible_users.through
        through.objects.bulk_create(
            (
                through(deadline_id=d.pk, user_id=user)
                for d, (_, user) in zip(created, self.deadlines, strict=True)
            ),
            batch_size=5000,
        )
        return len(created)

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

    framework = CriteriaFramework.objects.order_by("-pk").first()
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
