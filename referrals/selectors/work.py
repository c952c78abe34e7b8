"""Reads for the workflow pages: the actions a user may take on a referral, the agency checks to answer
or chase, the decisions awaiting the Chair, and the business unit's work queue."""

import datetime as dt
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.urls import reverse
from django_fsm import can_proceed

from scr_portal.clock import schedule as sched
from scr_portal.clock.selectors import (
    RAG_LABELS,
    RAG_TAGS,
    DeadlineRow,
    closures_by_board,
    deadline_rows,
)
from scr_portal.models import Deadline, Role, User
from scr_portal.workdays import working_days_between

from ..frameworks import awaiting_confirmation
from ..models import AgencyCheck, AgencyCheckState, Referral, ReferralState
from ..permissions import led_partners, user_agency_ids, user_may


@dataclass(frozen=True)
class Action:
    label: str
    url: str
    warning: bool = False


def available_actions(user, referral: Referral) -> list[Action]:
    """The buttons the referral page offers this user now. The views check again on every request."""
    pk, state = referral.pk, referral.state
    actions: list[Action] = []

    def offer(action: str, states, label: str, url_name: str, warning: bool = False) -> None:
        if state in states and user_may(user, referral, action):
            actions.append(Action(label, reverse(url_name, args=[pk]), warning))

    offer("edit_draft", {ReferralState.DRAFT}, "Continue the referral", "referral_check_answers")
    if user_may(user, referral, "send_checks") and can_proceed(referral.send_agency_checks):
        label = "Send more agency checks" if state != ReferralState.SUBMITTED else "Send agency checks"
        actions.append(Action(label, reverse("referral_send_checks", args=[pk])))
    offer(
        "schedule_screening",
        {ReferralState.SUBMITTED, ReferralState.AGENCY_CHECKS, ReferralState.SCREENING_SCHEDULED},
        "Schedule screening",
        "referral_schedule_screening",
    )
    offer("recommend", {ReferralState.SCREENING_SCHEDULED}, "Record the recommendation", "referral_recommend")
    awaiting = awaiting_confirmation(referral) if state == ReferralState.RECOMMENDED else None
    if awaiting is None:
        offer("decide", {ReferralState.RECOMMENDED}, "Make the decision", "referral_decide")
    elif led_partners(user, referral):
        actions.append(
            Action("Confirm the partners' decision", reverse("referral_partners_decision", args=[pk]))
        )
    if (
        state == ReferralState.DECIDED
        and user_may(user, referral, "rescind")
        and can_proceed(referral.rescind)
    ):
        actions.append(Action("Rescind the decision", reverse("referral_rescind", args=[pk]), True))
    offer(
        "record_notification",
        set(ReferralState) - {ReferralState.DRAFT},
        "Record a notification",
        "referral_notify",
    )
    pre_decision = {
        ReferralState.SUBMITTED,
        ReferralState.AGENCY_CHECKS,
        ReferralState.SCREENING_SCHEDULED,
        ReferralState.RECOMMENDED,
    }
    offer("transfer", pre_decision, "Transfer to another board", "referral_transfer", warning=True)
    offer("mark_duplicate", pre_decision, "Close as a duplicate", "referral_duplicate", warning=True)
    offer("withdraw", pre_decision, "Withdraw", "referral_withdraw", warning=True)
    if state == ReferralState.DRAFT and referral.created_by_id == user.pk:
        actions.append(Action("Withdraw the draft", reverse("referral_withdraw", args=[pk]), True))
    return actions


def checks_to_answer(user, board):
    """The agency contact's requests: checks to their agencies, still waiting for a reply, soonest first."""
    if board is None:
        return AgencyCheck.objects.none()
    return (
        AgencyCheck.objects.filter(
            agency_id__in=user_agency_ids(user, board), referral__board=board, state=AgencyCheckState.PENDING
        )
        .select_related("referral", "agency")
        .order_by("sent_at")
    )


# --- Workflow pages -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckRow:
    check: AgencyCheck
    deadline: DeadlineRow | None


def _pending_checks(board):
    """The board's requests still waiting for a reply, found from the board's own referrals (their ids, then
    the partial index of pending requests by referral): a join would let PostgreSQL read every pending request
    in the country first (issue 21)."""
    referral_ids = list(Referral.objects.filter(board=board).values_list("pk", flat=True))
    return AgencyCheck.objects.filter(referral_id__in=referral_ids, state=AgencyCheckState.PENDING)


def outstanding_checks(board):
    """Every request of the board still waiting for a reply, oldest first: the business unit's chase list."""
    if board is None:
        return AgencyCheck.objects.none()
    return _pending_checks(board).select_related("referral", "agency").order_by("sent_at", "pk")


def check_rows(checks, *, today) -> list[CheckRow]:
    """Each check with its reply deadline (RAG and due date in words), in three queries however many."""
    checks = list(checks)
    deadlines = Deadline.objects.filter(
        content_type=ContentType.objects.get_for_model(AgencyCheck),
        object_id__in=[check.pk for check in checks],
        rule__code="agency-reply",
    ).select_related("board")
    by_check = {row.deadline.object_id: row for row in deadline_rows(deadlines, today=today)}
    return [CheckRow(check=check, deadline=by_check.get(check.pk)) for check in checks]


def subcommittee_members(board):
    return (
        User.objects.filter(
            memberships__board=board, memberships__role=Role.SUBCOMMITTEE_MEMBER, is_active=True
        )
        .distinct()
        .order_by("full_name")
    )


def duplicate_candidates(referral: Referral):
    """Referrals the given one may duplicate: others of its board, submitted, not themselves duplicates."""
    return (
        Referral.objects.filter(board_id=referral.board_id)
        .exclude(pk=referral.pk)
        .exclude(state__in=[ReferralState.DRAFT, ReferralState.DUPLICATE])
        .order_by("reference")
    )


AWAITING_DECISION = [
    ReferralState.SUBMITTED,
    ReferralState.AGENCY_CHECKS,
    ReferralState.SCREENING_SCHEDULED,
    ReferralState.RECOMMENDED,
]


@dataclass(frozen=True)
class AwaitingRow:
    referral: Referral
    due_date: dt.date | None
    due_text: str
    days_left: str
    rag: str
    rag_label: str
    rag_tag: str
    ready_to_decide: bool = False  # the decide transition's guard: the sub-committee has recommended


def decisions_awaiting(board, *, today) -> list[AwaitingRow]:
    """Submitted referrals the Chair has still to decide, with the one-month decision deadline (Solihull
    §1.5.2): the due date is read in the same query, so the page costs the same for 1 or 100 referrals."""
    if board is None:
        return []
    decision = Deadline.objects.filter(
        content_type=ContentType.objects.get_for_model(Referral),
        object_id=OuterRef("pk"),
        rule__code="decision",
    ).order_by("-opened_at", "-pk")
    referrals = (
        Referral.objects.filter(board=board, state__in=AWAITING_DECISION)
        .select_related("screening")
        .annotate(
            decision_due=Subquery(decision.values("due_date")[:1]),
            decision_status=Subquery(decision.values("status")[:1]),
        )
        .order_by(F("decision_due").asc(nulls_last=True), "reference")
    )
    closures = closures_by_board([board.pk]).get(board.pk, ())
    rows = []
    for referral in referrals:
        due = referral.decision_due
        if due is None:
            rows.append(
                AwaitingRow(
                    referral, None, "No decision deadline", "", "closed", "", "", can_proceed(referral.decide)
                )
            )
            continue
        days = working_days_between(today, due, nation=board.nation, closures=closures)
        if due == today:
            days_left = "Due today"
        elif due > today:
            days_left = f"{days} working day{'s' if days != 1 else ''} left"
        else:
            late = max(-days, 1)
            days_left = f"{late} working day{'s' if late != 1 else ''} overdue"
        rag = sched.rag_status(
            due_date=due, status=referral.decision_status, today=today, nation=board.nation, closures=closures
        )
        rows.append(
            AwaitingRow(
                referral=referral,
                due_date=due,
                due_text=sched.describe_due(
                    due_date=due, today=today, nation=board.nation, closures=closures
                ),
                days_left=days_left,
                rag=rag,
                rag_label=RAG_LABELS[rag],
                rag_tag=RAG_TAGS[rag],
                ready_to_decide=can_proceed(referral.decide),
            )
        )
    return rows


@dataclass(frozen=True)
class WorkQueue:
    to_send_checks: int
    replies_outstanding: int
    screening_to_schedule: int
    recommendations_to_record: int
    awaiting_decision: int


def work_queue(board) -> WorkQueue:
    """What the business unit has to move on, counted in two queries."""
    counts = Referral.objects.filter(board=board).aggregate(
        to_send_checks=Count("pk", filter=Q(state=ReferralState.SUBMITTED)),
        screening_to_schedule=Count("pk", filter=Q(state=ReferralState.AGENCY_CHECKS)),
        recommendations_to_record=Count("pk", filter=Q(state=ReferralState.SCREENING_SCHEDULED)),
        awaiting_decision=Count("pk", filter=Q(state=ReferralState.RECOMMENDED)),
    )
    replies = _pending_checks(board).count()
    return WorkQueue(replies_outstanding=replies, **counts)
