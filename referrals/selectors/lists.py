"""Reads for the intake pages: the business unit's referral list and its tags, and a referral's deadlines
and timeline."""

import datetime as dt
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, F, OuterRef, Q, Subquery

from scr_portal.clock.schedule import at_local
from scr_portal.clock.selectors import with_people
from scr_portal.models import Deadline, DeadlineStatus, TransitionLog
from scr_portal.models.clock import ACTIVE_STATUSES
from scr_portal.viewhelpers import TemplateRow, pk_url

from ..models import AgencyCheck, AgencyCheckState, Referral, ReferralState
from ..permissions import referrals_visible_to
from .work import AwaitingRow

STATE_TAGS = {
    ReferralState.DRAFT: "govuk-tag--grey",
    ReferralState.SUBMITTED: "govuk-tag--blue",
    ReferralState.AGENCY_CHECKS: "govuk-tag--light-blue",
    ReferralState.SCREENING_SCHEDULED: "govuk-tag--turquoise",
    ReferralState.RECOMMENDED: "govuk-tag--purple",
    ReferralState.DECIDED: "govuk-tag--green",
    ReferralState.WITHDRAWN: "govuk-tag--grey",
    ReferralState.TRANSFERRED: "govuk-tag--grey",
    ReferralState.DUPLICATE: "govuk-tag--grey",
}
ADVICE_TAGS = {
    "must_review": "govuk-tag--red",
    "must_review_custody": "govuk-tag--red",
    "consider": "govuk-tag--yellow",
    "below_threshold": "govuk-tag--grey",
}
CHECK_STATE_TAGS = {
    AgencyCheckState.PENDING: "govuk-tag--yellow",
    AgencyCheckState.INVOLVED: "govuk-tag--blue",
    AgencyCheckState.NIL_RETURN: "govuk-tag--grey",
    AgencyCheckState.CANCELLED: "govuk-tag--grey",
    AgencyCheckState.UNANSWERED: "govuk-tag--red",
}
TRANSITION_LABELS = {
    "create": "Referral started",
    "submit": "Referral submitted",
    "send_agency_checks": "Agency checks sent",
    "schedule_screening": "Screening meeting scheduled",
    "recommend": "Sub-committee's recommendation recorded",
    "decide": "LSCB Chair's decision",
    "withdraw": "Referral withdrawn",
    "transfer": "Referral transferred to another board",
    "mark_duplicate": "Closed as a duplicate",
    "record_decision": "Safeguarding partners' decision recorded",
    "confirm_decision": "Partner's lead confirmed the decision",
    "record_panel_response": "Panel's response recorded",
}


def referrals_for_list(
    *,
    user,
    board,
    now,
    reference: str = "",
    state: str = "",
    advice: str = "",
    overdue: bool = False,
    received_from=None,
    received_to=None,
):
    """The submitted referrals of the board the user may see, newest first, each annotated with its
    decision deadline (`decision_due`, `decision_status`) and whether anything of it is `overdue` — in
    one query whatever the number of referrals (the count for the paginator is a second)."""
    deadlines = Deadline.objects.filter(
        content_type=ContentType.objects.get_for_model(Referral), object_id=OuterRef("pk")
    )
    decision = deadlines.filter(rule__code="decision").order_by("-pk")
    late = deadlines.filter(status__in=ACTIVE_STATUSES).filter(
        Q(status=DeadlineStatus.OVERDUE) | Q(due_at__lt=now)
    )
    referrals = (
        referrals_visible_to(user, board)
        .exclude(state=ReferralState.DRAFT)
        .annotate(
            decision_due=Subquery(decision.values("due_date")[:1]),
            decision_status=Subquery(decision.values("status")[:1]),
            overdue=Exists(late),
        )
    )
    if reference.strip():
        referrals = referrals.filter(reference__icontains=reference.strip())
    if state:
        referrals = referrals.filter(state=state)
    if advice:
        referrals = referrals.filter(advice=advice)
    if overdue:
        referrals = referrals.filter(overdue=True)
    if received_from:
        referrals = referrals.filter(received_at__gte=at_local(received_from, 0))
    if received_to:
        referrals = referrals.filter(received_at__lt=at_local(received_to + dt.timedelta(days=1), 0))
    return referrals.order_by(F("received_at").desc(nulls_last=True), "-pk")


def referral_deadlines(*, referral: Referral, check_ids, include_referral: bool = True):
    """The deadlines of a referral and of its agency checks, soonest first, with their people."""
    of_checks = Q(content_type=ContentType.objects.get_for_model(AgencyCheck), object_id__in=list(check_ids))
    of_referral = Q(content_type=ContentType.objects.get_for_model(Referral), object_id=referral.pk)
    return with_people(
        Deadline.objects.filter((of_referral | of_checks) if include_referral else of_checks)
    ).order_by("due_at", "pk")


@dataclass(frozen=True)
class TimelineEntry:
    at: object
    who: str
    what: str
    reason: str


def referral_timeline(*, referral: Referral, checks, notifications=()) -> list[TimelineEntry]:
    """Everything that happened to a referral, newest first: its transition log, its agency checks' log
    and the notifications recorded to outside bodies, in one query (checks and notifications are passed
    in already loaded)."""
    referral_type = ContentType.objects.get_for_model(Referral)
    check_type = ContentType.objects.get_for_model(AgencyCheck)
    agency_of = {check.pk: check.agency.name for check in checks}
    logs = (
        TransitionLog.objects.filter(
            Q(content_type=referral_type, object_id=referral.pk)
            | Q(content_type=check_type, object_id__in=list(agency_of))
        )
        .select_related("actor")
        .order_by("-at", "-pk")
    )
    entries = []
    for log in logs:
        if log.content_type_id == check_type.pk:
            agency = agency_of.get(log.object_id, "An agency")
            state = dict(AgencyCheckState.choices).get(log.to_state, log.to_state)
            what = (
                f"{agency} replied: {str(state).lower()}"
                if log.transition == "answer"
                else f"{agency}: {log.transition.replace('_', ' ')}"
            )
        else:
            what = TRANSITION_LABELS.get(log.transition, log.transition.replace("_", " ").capitalize())
        who = log.actor.full_name if log.actor else "The portal"
        entries.append(TimelineEntry(at=log.at, who=who, what=what, reason=log.reason))
    for notification in notifications:
        entries.append(
            TimelineEntry(
                at=notification.recorded_at,
                who=notification.recorded_by.full_name,
                what=f"{notification.get_body_display()} told of the "
                f"{notification.get_event_display().lower()}",
                reason=f"Sent on {notification.sent_on:%d/%m/%Y} by {notification.method}",
            )
        )
    return sorted(entries, key=lambda entry: entry.at, reverse=True)


@dataclass(frozen=True)
class DecisionListRow(TemplateRow):
    """A row of the Chair's decisions page with its cells worked out once, not looked up cell by cell."""

    url: str
    decide_url: str
    reference: str
    state_label: str
    advice: str
    recommendation: str
    due: str
    due_date: dt.date | None
    due_text: str
    days_left: str
    rag_label: str
    rag_tag: str
    ready_to_decide: bool


def _recommendation(referral: Referral) -> str:
    screening = getattr(referral, "screening", None)
    if not (screening and screening.recommendation):
        return "Not yet"
    text = screening.get_recommendation_display()
    if screening.alternative_type:
        text += f": {screening.get_alternative_type_display().lower()}"
    return text


def decision_list_rows(rows: list[AwaitingRow]) -> list[DecisionListRow]:
    detail_url, decide_url = pk_url("referral_detail"), pk_url("referral_decide")
    return [
        DecisionListRow(
            url=detail_url(row.referral.pk),
            decide_url=decide_url(row.referral.pk),
            reference=row.referral.reference,
            state_label=row.referral.state_label,
            advice=row.referral.get_advice_display() or "–",
            recommendation=_recommendation(row.referral),
            due=f"{row.due_date.day} {row.due_date:%B %Y}" if row.due_date else "",
            due_date=row.due_date,
            due_text=row.due_text,
            days_left=row.days_left,
            rag_label=row.rag_label,
            rag_tag=row.rag_tag,
            ready_to_decide=row.ready_to_decide,
        )
        for row in rows
    ]
