"""The figures of the board reports (issue 7). Each function returns plain rows, so the page, its chart, its
data table and its CSV export all show the same numbers, and the tests can check them by hand.

Definitions:
- Referral to decision: a referral with a decision, counted in the year of the decision; on time when the
  decision day is no later than one calendar month after the day it was received (the clock's start).
- Decision to completion: a review submitted to Ofsted, counted in the year of submission; on time when
  submitted no later than six calendar months after the decision.
- IMRs on time: IMR-completion deadlines that were met, counted in the year they were due; on time when
  met by the due date.
- Actions on time: actions recorded as done, counted in the year they were due; on time when done on or
  before the "by when".
- Agency replies by the decision: the agency checks of decided referrals, counted in the year of the
  decision; "on time" when the agency answered before the Chair decided (issue 15: a check still open then
  is a miss, not "not needed").
- Statutory deadlines not cancelled: closed statutory deadlines, counted in the year they were due; a
  cancelled one (by hand only with the business manager and a reason) is the miss.
"""

import calendar
import datetime as dt
from collections import Counter, defaultdict

from django.db.models import Count, F, Q
from django.utils import timezone

from imr.models import IMR
from referrals.models import Advice, AgencyCheck, AgencyCheckState, Decision, Referral
from referrals.models import Recommendation as Outcome
from reviews.models import Action, ActionState, LearningTheme, Review, ReviewType
from scr_portal import frameworks
from scr_portal.models import Deadline

ALL_TYPES = "All"
TYPE_LABELS = dict(ReviewType.choices)


def _short(code: str) -> str:
    """The framework's short name for its review ("SCR", "LCSPR"): each case in its own framework's words."""
    return frameworks.get(code).word("review_short")


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _local_date(moment: dt.datetime, zone=None) -> dt.date:
    """The day in the current time zone; a report converting thousands of rows passes the zone, found once."""
    return timezone.localtime(moment, zone).date()


def _received_day(received_on: dt.date | None, received_at: dt.datetime | None, zone=None) -> dt.date | None:
    if received_on:
        return received_on
    return _local_date(received_at, zone) if received_at else None


def _received(referral: Referral) -> dt.date | None:
    return _received_day(referral.received_on, referral.received_at)


def timeliness(board) -> list[dict]:
    """Rows of year, measure, review type, total and on time (and the percentage on time)."""
    counts: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    zone = timezone.get_current_timezone()

    def count(year, measure, review_type, on_time):
        for key in (
            ((year, measure, review_type), (year, measure, ALL_TYPES))
            if review_type
            else [(year, measure, ALL_TYPES)]
        ):
            counts[key][0] += 1
            counts[key][1] += int(on_time)

    # Plain values, not model instances: the report reads thousands of rows on a large board.
    referrals = Referral.objects.filter(board=board, decided_at__isnull=False)
    for received_on, received_at, decided_at in referrals.values_list(
        "received_on", "received_at", "decided_at"
    ):
        received = _received_day(received_on, received_at, zone)
        if received:
            decided = _local_date(decided_at, zone)
            count(decided.year, "Referral to decision (1 month)", "", decided <= add_months(received, 1))
    submitted_reviews = Review.objects.filter(board=board, ofsted_submission__isnull=False).values_list(
        "ofsted_submission__submitted_on", "review_type", "decision_date"
    )
    for submitted, review_type, decision_date in submitted_reviews:
        count(
            submitted.year,
            "Decision to completion (6 months)",
            review_type,
            submitted <= add_months(decision_date, 6),
        )
    imr_types = dict(IMR.objects.filter(review__board=board).values_list("pk", "review__review_type"))
    imr_deadlines = Deadline.objects.filter(
        board=board, rule__code="imr-completed", status__in=["met", "met_late"]
    )
    for due_date, object_id, status in imr_deadlines.values_list("due_date", "object_id", "status"):
        count(due_date.year, "IMRs on time", imr_types.get(object_id, ""), status == "met")
    actions = Action.objects.filter(board=board, done_at__isnull=False).values_list(
        "due_date", "done_at", "recommendation__plan__review__review_type"
    )
    for due_date, done_at, review_type in actions:
        count(due_date.year, "Actions on time", review_type, _local_date(done_at, zone) <= due_date)
    checks = AgencyCheck.objects.filter(referral__board=board, referral__decided_at__isnull=False)
    answered_states = (AgencyCheckState.INVOLVED, AgencyCheckState.NIL_RETURN)
    for state, decided_at in checks.values_list("state", "referral__decided_at"):
        decided = _local_date(decided_at, zone)
        count(decided.year, "Agency replies by the decision", "", state in answered_states)
    statutory = Deadline.objects.filter(
        board=board, statutory=True, status__in=["met", "met_late", "cancelled"]
    )
    for due_date, status in statutory.values_list("due_date", "status"):
        count(due_date.year, "Statutory deadlines not cancelled", "", status != "cancelled")
    rows = []
    for (year, measure, review_type), (total, on_time) in sorted(counts.items()):
        rows.append(
            {
                "year": year,
                "measure": measure,
                "review_type": TYPE_LABELS.get(review_type, review_type),
                "total": total,
                "on_time": on_time,
                "percent_on_time": round(100 * on_time / total) if total else 0,
            }
        )
    return rows


def review_timeliness(board) -> list[dict]:
    """Each review with its decision, its submission to Ofsted (if any), the days between and whether that
    met the six-month target."""
    rows = []
    for review in (
        Review.objects.filter(board=board).select_related("ofsted_submission").order_by("decision_date", "pk")
    ):
        submission = getattr(review, "ofsted_submission", None)
        submitted = submission.submitted_on if submission else None
        rows.append(
            {
                "reference": review.reference,
                "framework": _short(review.review_framework),
                "review_type": review.get_review_type_display(),
                "decided": review.decision_date,
                "submitted": submitted,
                "days": (submitted - review.decision_date).days if submitted else None,
                "on_time": (submitted <= add_months(review.decision_date, 6)) if submitted else None,
            }
        )
    return rows


def decisions(board) -> list[dict]:
    """Referrals by the advice computed from the checklist and by the decision's outcome, per year decided and
    per framework (a board that switched counts its SCRs and its LCSPRs apart)."""
    advice_labels, outcome_labels = dict(Advice.choices), dict(Outcome.choices)
    counts = Counter()
    zone = timezone.get_current_timezone()
    decided = Referral.objects.filter(board=board, decided_at__isnull=False)
    for decided_at, code, advice in decided.values_list("decided_at", "review_framework", "advice"):
        year, framework = _local_date(decided_at, zone).year, _short(code)
        counts[(year, framework, "Advice", advice_labels.get(advice, "None recorded"))] += 1
    for decided_at, code, outcome in Decision.objects.filter(referral__board=board).values_list(
        "decided_at", "referral__review_framework", "outcome"
    ):
        year, framework = _local_date(decided_at, zone).year, _short(code)
        counts[(year, framework, "Outcome", outcome_labels.get(outcome, outcome))] += 1
    return [
        {"year": year, "framework": framework, "by": by, "category": category, "count": n}
        for (year, framework, by, category), n in sorted(counts.items())
    ]


def themes(board) -> list[dict]:
    """How often each theme was tagged on referrals (year received), reviews (year decided) and
    recommendations (year made)."""
    counts = Counter()
    for theme in LearningTheme.objects.filter(board=board):
        for referral in theme.referrals.all():
            day = _received(referral) or _local_date(referral.created_at)
            counts[(day.year, theme.name, "Referrals")] += 1
        for review in theme.reviews.all():
            counts[(review.decision_date.year, theme.name, "Reviews")] += 1
        for recommendation in theme.recommendations.all():
            counts[(_local_date(recommendation.created_at).year, theme.name, "Recommendations")] += 1
    return [
        {"year": year, "theme": theme, "tagged_on": on, "count": n}
        for (year, theme, on), n in sorted(counts.items())
    ]


def agencies(board, today: dt.date | None = None) -> list[dict]:
    """Per agency: actions owned, overdue (not finished and past their date) and verified."""
    today = today or timezone.localdate()
    overdue = Q(due_date__lt=today, state__in=[ActionState.OPEN, ActionState.IN_PROGRESS])
    rows = (
        Action.objects.filter(board=board, agency__board=board)
        .values("agency_id")
        .annotate(
            agency_name=F("agency__name"),
            owned=Count("pk"),
            overdue=Count("pk", filter=overdue),
            verified=Count("pk", filter=Q(state=ActionState.VERIFIED)),
        )
        .order_by("agency__name", "agency_id")
    )
    return [
        {
            "agency": row["agency_name"],
            "owned": row["owned"],
            "overdue": row["overdue"],
            "verified": row["verified"],
        }
        for row in rows
    ]
