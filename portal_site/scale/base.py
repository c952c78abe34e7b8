# ruff: noqa: S311 — random here generates benchmark data deterministically from a seed; nothing secret.
"""What the parts of the scale seeder share: the sizes, the states that fit together, and the deadlines
every part opens (written at the end in one bulk insert)."""

import datetime as dt
import random

from django.utils import timezone

from imr.models import IMRState
from reviews.models import ReviewState
from scr_portal import frameworks
from scr_portal.models import Deadline

PREFIX = "SC"  # short names SC001…; boards named "Scale board 001 …"
EMAIL_DOMAIN = "scale.invalid"
AGENCIES = 8
IMRS_PER_REVIEW = 5
REFERRALS_PER_BOARD = 200
REVIEWS_PER_BOARD = 40
NFA_PER_BOARD = 10
BENCH_ROWS_PER_IMR = 400
# Issue 20: the odd-numbered boards run England 2023; there the cases of the last five years are on it and
# the older ones stay SCRs (a board keeps its open SCRs on the old rules), so both frameworks are in the data.
ENGLAND_BOARDS_EVERY = 2
ENGLAND_YEARS = 5

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


class SeederBase:
    """One board's seeding: its random source, its scale, and the deadlines its parts collect."""

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

    def board_framework(self) -> str:
        england = self.number % ENGLAND_BOARDS_EVERY == 1
        return frameworks.ENGLAND_2023 if england else frameworks.SCR_2010

    def case_framework(self, received_at: dt.datetime) -> str:
        """The framework a case received then was opened under: the board's, unless it predates the switch."""
        switched = self.now - dt.timedelta(days=365 * ENGLAND_YEARS)
        return self.board.review_framework if received_at >= switched else frameworks.SCR_2010

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
                    review_framework=getattr(case or subject, "review_framework", frameworks.DEFAULT),
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
