"""Reads for the referral pages."""

import datetime as dt
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import F, OuterRef, Subquery
from django.urls import reverse

from scr_portal.clock import schedule as sched
from scr_portal.clock.selectors import RAG_LABELS, RAG_TAGS, DeadlineRow, closures_by_board, deadline_rows
from scr_portal.models import Deadline, Role, User
from scr_portal.permissions import WORK_CASES, user_has_board_perm
from scr_portal.workdays import working_days_between

from .models import AgencyCheck, AgencyCheckState, Referral, ReferralState
from .permissions import sees_all_referrals, user_agency_ids, user_may


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
    offer("send_checks", {ReferralState.SUBMITTED}, "Send agency checks", "referral_send_checks")
    offer(
        "schedule_screening",
        {ReferralState.SUBMITTED, ReferralState.AGENCY_CHECKS, ReferralState.SCREENING_SCHEDULED},
        "Schedule screening",
        "referral_schedule_screening",
    )
    offer("recommend", {ReferralState.SCREENING_SCHEDULED}, "Record the recommendation", "referral_recommend")
    offer("decide", {ReferralState.RECOMMENDED}, "Make the decision", "referral_decide")
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
    from .models import AgencyCheck

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


def outstanding_checks(board):
    """Every request of the board still waiting for a reply, oldest first: the business unit's chase list."""
    if board is None:
        return AgencyCheck.objects.none()
    return (
        AgencyCheck.objects.filter(referral__board=board, state=AgencyCheckState.PENDING)
        .select_related("referral", "agency")
        .order_by("sent_at", "pk")
    )


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
            rows.append(AwaitingRow(referral, None, "No decision deadline", "", "closed", "", ""))
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
            )
        )
    return rows


# --- Intake pages: the business unit's referral list, tags, and the referral page's timeline -----------
# (Imports are local so this block only appends to the module.)

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
    import datetime as dt

    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Exists, F, OuterRef, Q, Subquery

    from scr_portal.clock.schedule import at_local
    from scr_portal.models import Deadline, DeadlineStatus
    from scr_portal.models.clock import ACTIVE_STATUSES

    from .permissions import referrals_visible_to

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
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Q

    from scr_portal.clock.selectors import with_people
    from scr_portal.models import Deadline

    from .models import AgencyCheck

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
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Q

    from scr_portal.models import TransitionLog

    from .models import AgencyCheck

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
class WorkQueue:
    to_send_checks: int
    replies_outstanding: int
    screening_to_schedule: int
    recommendations_to_record: int
    awaiting_decision: int


def work_queue(board) -> WorkQueue:
    """What the business unit has to move on, counted in two queries."""
    from django.db.models import Count, Q

    counts = Referral.objects.filter(board=board).aggregate(
        to_send_checks=Count("pk", filter=Q(state=ReferralState.SUBMITTED)),
        screening_to_schedule=Count("pk", filter=Q(state=ReferralState.AGENCY_CHECKS)),
        recommendations_to_record=Count("pk", filter=Q(state=ReferralState.SCREENING_SCHEDULED)),
        awaiting_decision=Count("pk", filter=Q(state=ReferralState.RECOMMENDED)),
    )
    replies = AgencyCheck.objects.filter(referral__board=board, state=AgencyCheckState.PENDING).count()
    return WorkQueue(replies_outstanding=replies, **counts)


# --- The referral page ---------------------------------------------------------------------------------

# While the referral is in one of these, an agency's request can still be answered.
ANSWERABLE_STATES = {
    ReferralState.AGENCY_CHECKS,
    ReferralState.SCREENING_SCHEDULED,
    ReferralState.RECOMMENDED,
}


@dataclass(frozen=True)
class CheckView:
    check: AgencyCheck
    state_tag: str
    due: object
    answer_url: str
    answer_label: str


@dataclass(frozen=True)
class ReferralPage:
    """What one person may see of a referral. Board-wide staff see everything ("full"); an agency contact
    whose agency was asked sees Part 1 and their own agency's request ("agency"); the referrer sees the
    status and the decision only ("status") (domain brief §2.1 build note, §2.3)."""

    referral: Referral
    level: str
    full_view: bool
    raw_checks: list
    checks: list[CheckView]
    decision_due: DeadlineRow | None
    deadlines: list
    screening: object
    notifications: list


def referral_page(user, found: Referral, *, today: dt.date) -> ReferralPage:
    """The referral page's content for `user`, who may see `found` (permissions.get_referral_for_user)."""
    board = found.board
    full_view = sees_all_referrals(user, board)
    referral = Referral.objects.select_related(
        "board",
        "referrer_agency",
        "framework",
        "created_by",
        "duplicate_of",
        "decision__decided_by",
        "screening__scheduled_by",
        "screening__recommended_by",
        "review",
    ).get(pk=found.pk)
    own_agencies = set() if full_view else set(user_agency_ids(user, board))
    checks = [
        check
        for check in referral.agency_checks.select_related("agency", "sent_by", "respondent").order_by(
            "agency__name"
        )
        if full_view or check.agency_id in own_agencies
    ]
    level = "full" if full_view else ("agency" if checks else "status")

    deadline_table, decision_due, reply_due = [], None, {}
    if level != "status":
        rows = deadline_rows(
            referral_deadlines(
                referral=referral, check_ids=[c.pk for c in checks], include_referral=full_view
            ),
            today=today,
        )
        check_type = ContentType.objects.get_for_model(AgencyCheck)
        for row in rows:
            if row.deadline.content_type_id == check_type.pk:
                reply_due.setdefault(row.deadline.object_id, row)
            elif row.deadline.rule.code == "decision":
                decision_due = row
        deadline_table = rows if full_view else []

    may_record = full_view and user_has_board_perm(user, board, WORK_CASES)
    check_views = []
    for check in checks:
        answerable = check.state == AgencyCheckState.PENDING and referral.state in ANSWERABLE_STATES
        own = check.agency_id in own_agencies
        check_views.append(
            CheckView(
                check=check,
                state_tag=CHECK_STATE_TAGS.get(check.state, ""),
                due=reply_due.get(check.pk),
                answer_url=reverse("check_answer", args=[check.pk])
                if answerable and (own or may_record)
                else "",
                answer_label="Answer" if own else "Record the reply",
            )
        )
    return ReferralPage(
        referral=referral,
        level=level,
        full_view=full_view,
        raw_checks=checks,
        checks=check_views,
        decision_due=decision_due,
        deadlines=deadline_table,
        screening=getattr(referral, "screening", None) if full_view else None,
        notifications=list(referral.notifications.select_related("recorded_by")) if full_view else [],
    )
