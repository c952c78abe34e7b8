"""Opening, meeting, extending and cancelling deadlines. Workflows call these from inside their own
transitions, so the deadline changes in the same transaction as the state that fulfils it."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django_fsm import can_proceed

from scr_portal import workdays
from scr_portal.models import (
    Board,
    BoardTimescale,
    Deadline,
    DeadlineExtension,
    DeadlineRule,
    ReminderStep,
)
from scr_portal.models.clock import ACTIVE_STATUSES, Closing, DeliveryStatus, StepStatus
from scr_portal.permissions import MANAGE_BOARD, WORK_CASES, user_has_board_perm
from scr_portal.services import blank, refuse_problems
from scr_portal.transitions import lock, log_transition, state_change

from . import schedule as sched

DEADLINE_CLOSED = "This deadline is already closed."
EXTENSION_NOT_LATER = "The new due date must be after the current due date."
EXTENSION_REASON_REQUIRED = "Give the reason for the extension."
CANCEL_REASON_REQUIRED = "Give the reason for cancelling the deadline."
EVENT_CLOSES = "“{name}” is met only when {event}. It cannot be recorded as done by hand."
DONE_BY_REQUIRED = "Enter who did it"
EVIDENCE_REQUIRED = "Enter the evidence that it was done"
STATUTORY_CANCEL_MANAGER_ONLY = "Only the business manager can cancel a statutory deadline."
CANCEL_BUSINESS_UNIT_ONLY = "Only the business unit can cancel deadlines."
EXTENSION_APPROVED_ON_REQUIRED = "Enter the date the LSCB agreed the extension"
EXTENSION_OFSTED_TOLD_REQUIRED = "Enter the date Ofsted was told of the extension"


@dataclass(frozen=True)
class Timescale:
    amount: int
    unit: str
    reminders: bool


def board_closures(board: Board) -> tuple[dt.date, ...]:
    from .selectors import closures_by_board

    return closures_by_board([board.pk])[board.pk]


def board_working_day(board: Board, start: dt.date, days: int) -> dt.date:
    """The date `days` working days after `start` (before it when negative) in the board's calendar: its
    nation's bank holidays and its closure days. Dates in letters and registers are worked out here too,
    so they agree with the deadlines."""
    return workdays.add_working_days(start, days, nation=board.nation, closures=board_closures(board))


def board_is_working_day(board: Board, day: dt.date) -> bool:
    """Whether `day` is a working day in the board's calendar, as `board_working_day` counts them."""
    return workdays.is_working_day(day, nation=board.nation, closures=board_closures(board))


def board_schedule(board: Board) -> sched.ReminderSchedule:
    return sched.ReminderSchedule(
        half_time=board.remind_at_half_time,
        working_days_before=board.remind_working_days_before,
        on_due_day=board.remind_on_due_day,
        escalation_interval=board.escalation_interval_working_days,
    )


def effective_timescale(*, board: Board, rule: DeadlineRule) -> Timescale:
    """The rule's amount, or the board's own where it has set one."""
    override = BoardTimescale.objects.filter(board=board, rule=rule).first()
    if override:
        return Timescale(override.amount, override.unit, override.reminders and rule.reminders)
    return Timescale(rule.amount, rule.unit, rule.reminders)


def _create_steps(deadline: Deadline, steps: Iterable[sched.PlannedStep], *, now: dt.datetime) -> None:
    ReminderStep.objects.bulk_create(
        [
            ReminderStep(
                deadline=deadline,
                key=step.key,
                send_at=step.send_at,
                audience=step.audience,
                # A step already in the past when the deadline opens (a referral logged late) is not sent.
                status=StepStatus.SKIPPED
                if step.send_at < now and not step.key.startswith("overdue")
                else StepStatus.PENDING,
            )
            for step in steps
        ]
    )


@transaction.atomic
def deadline_open(
    *,
    board: Board,
    subject,
    rule_code: str,
    trigger_at: dt.datetime,
    case_reference: str,
    review_framework: str = "",
    actor=None,
    responsible_users: Iterable = (),
    title: str = "",
    due_date: dt.date | None = None,
    now: dt.datetime | None = None,
) -> Deadline:
    """Open a deadline for `subject` under a rule, at the board's timescale. `due_date` may be given only
    for rules whose date each case sets (an action's "by when"). `review_framework`: the case's framework
    (default the board's, for a case that has none of its own)."""
    now = now or timezone.now()
    rule = DeadlineRule.objects.get(code=rule_code)
    timescale = effective_timescale(board=board, rule=rule)
    closures = board_closures(board)
    if due_date is not None:
        if not rule.due_set_per_case:
            raise ValidationError(f"The due date of “{rule.name}” is set by the rule, not per case.")
        due = sched.Due(date=due_date, at=sched.end_of_day(due_date))
    else:
        due = sched.compute_due(
            trigger_at=trigger_at,
            amount=timescale.amount,
            unit=timescale.unit,
            nation=board.nation,
            closures=closures,
        )
    reminder_schedule = board_schedule(board)
    deadline = Deadline.objects.create(
        board=board,
        content_type=ContentType.objects.get_for_model(subject),
        object_id=subject.pk,
        kind=rule.subject_kind,
        case_reference=case_reference,
        review_framework=review_framework or board.review_framework,
        rule=rule,
        title=title or rule.name,
        trigger_at=trigger_at,
        amount=timescale.amount,
        unit=timescale.unit,
        original_due_date=due.date,
        due_date=due.date,
        due_at=due.at,
        statutory=rule.statutory,
        warn_only=rule.warn_only,
        responsible_role=rule.responsible,
        reminder_schedule=reminder_schedule.as_dict() | {"enabled": timescale.reminders},
        opened_at=now,
        opened_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    if responsible_users:
        deadline.responsible_users.set(list(responsible_users))
    if timescale.reminders:
        steps = sched.plan_reminders(
            trigger_at=trigger_at,
            due=due,
            schedule=reminder_schedule,
            nation=board.nation,
            closures=closures,
            escalate=not rule.warn_only,
        )
        _create_steps(deadline, steps, now=now)
    reason = f"{rule.name}: due {due.date:%d/%m/%Y}"
    log_transition(deadline, "open", "", actor, reason, board=board, state_field="status")
    return deadline


def _close_pending_steps(deadline: Deadline, *, now: dt.datetime) -> None:
    """The deadline is met or cancelled: its steps still to come are skipped, and the reminders already
    made but not yet emailed (waiting for delivery or for the daily digest) are withdrawn, so nobody is
    chased for work that is done."""
    deadline.reminder_steps.filter(status=StepStatus.PENDING).update(
        status=StepStatus.SKIPPED, processed_at=now
    )
    deadline.sent_reminders.filter(status__in=[DeliveryStatus.PENDING, DeliveryStatus.DIGEST]).update(
        status=DeliveryStatus.WITHDRAWN, last_error=""
    )


@transaction.atomic
def deadline_meet(*, deadline: Deadline, actor, at: dt.datetime | None = None, reason: str = "") -> Deadline:
    """Record that what was due has been done. `at` is when the fulfilling transition happened; met after
    the due time counts as met late."""
    locked = lock(deadline)
    if not can_proceed(locked.meet):
        raise ValidationError(DEADLINE_CLOSED)
    at = at or timezone.now()
    with state_change(locked, "meet", actor=actor, reason=reason, state_field="status") as change:
        locked.meet(at=at, by=actor if getattr(actor, "is_authenticated", False) else None)
        change.save()
        _close_pending_steps(locked, now=at)
    return locked


def extension_agreement_errors(rule: DeadlineRule, *, approved_on, ofsted_told_on) -> dict[str, str]:
    """What an extension of this rule still lacks: the six-month completion needs the date the LSCB agreed
    and the date Ofsted was told, whichever page extends it (domain brief §9, EXTENSION_APPROVER)."""
    errors = {}
    if rule.extension_needs_ofsted:
        if approved_on is None:
            errors["approved_on"] = EXTENSION_APPROVED_ON_REQUIRED
        if ofsted_told_on is None:
            errors["ofsted_told_on"] = EXTENSION_OFSTED_TOLD_REQUIRED
    return errors


@transaction.atomic
def deadline_extend(
    *,
    deadline: Deadline,
    actor,
    new_due_date: dt.date,
    reason_category: str,
    reason: str,
    approved_by: str,
    approved_on: dt.date,
    ofsted_told_on: dt.date | None = None,
    now: dt.datetime | None = None,
) -> Deadline:
    """Move a deadline to a later date. The original date and every extension are kept; reminders not yet
    sent are planned again from the new date."""
    now = now or timezone.now()
    locked = lock(deadline)
    if not can_proceed(locked.extend):
        raise ValidationError(DEADLINE_CLOSED)
    if new_due_date <= locked.due_date:
        raise ValidationError({"new_due_date": EXTENSION_NOT_LATER})
    if not reason.strip():
        raise ValidationError({"reason": EXTENSION_REASON_REQUIRED})
    errors = extension_agreement_errors(locked.rule, approved_on=approved_on, ofsted_told_on=ofsted_told_on)
    if errors:
        raise ValidationError(errors)
    previous_due = locked.due_date
    reason_logged = f"Due {previous_due:%d/%m/%Y} → {new_due_date:%d/%m/%Y}: {reason}"
    with state_change(locked, "extend", actor=actor, reason=reason_logged, state_field="status") as change:
        locked.extend(new_due_date=new_due_date, new_due_at=sched.end_of_day(new_due_date))
        change.save()
        DeadlineExtension.objects.create(
            deadline=locked,
            previous_due_date=previous_due,
            new_due_date=new_due_date,
            reason_category=reason_category,
            reason=reason,
            approved_by=approved_by,
            approved_on=approved_on,
            ofsted_told_on=ofsted_told_on,
            recorded_by=actor,
            recorded_at=now,
        )
        locked.reminder_steps.filter(status=StepStatus.PENDING).delete()
        if locked.reminder_schedule.get("enabled", True):
            done = set(locked.reminder_steps.values_list("key", flat=True))
            closures = board_closures(locked.board)
            steps = sched.plan_reminders(
                trigger_at=now,
                due=sched.Due(new_due_date, locked.due_at),
                schedule=sched.ReminderSchedule.from_dict(locked.reminder_schedule),
                nation=locked.board.nation,
                closures=closures,
                escalate=not locked.warn_only,
            )
            # Keys already used keep their row; the extension's steps get their own keys.
            _create_steps(
                locked,
                [
                    sched.PlannedStep(
                        f"{step.key}@{new_due_date:%Y%m%d}" if step.key in done else step.key,
                        step.send_at,
                        step.audience,
                    )
                    for step in steps
                ],
                now=now,
            )
    return locked


@transaction.atomic
def deadline_cancel(*, deadline: Deadline, actor, reason: str, now: dt.datetime | None = None) -> Deadline:
    """Close a deadline that no longer applies (a referral withdrawn, a review converted)."""
    now = now or timezone.now()
    if not reason.strip():
        raise ValidationError({"reason": CANCEL_REASON_REQUIRED})
    locked = lock(deadline)
    if not can_proceed(locked.cancel):
        raise ValidationError(DEADLINE_CLOSED)
    with state_change(locked, "cancel", actor=actor, reason=reason, state_field="status") as change:
        locked.cancel(reason=reason)
        change.save()
        _close_pending_steps(locked, now=now)
    return locked


def event_closing_message(deadline: Deadline) -> str:
    """Why the deadline pages cannot record this deadline as done, or "" when they can."""
    rule = deadline.rule
    if rule.closing != Closing.EVENT:
        return ""
    return EVENT_CLOSES.format(name=rule.name, event=rule.closing_event or "its event is recorded")


@transaction.atomic
def deadline_record_done(
    *, deadline: Deadline, actor, at: dt.datetime, done_by_name: str, evidence: str
) -> Deadline:
    """Record by hand work done outside the portal (a letter posted, records secured): who did it, when and
    the evidence. A deadline its event closes is refused, with the event named (issue 15)."""
    if message := event_closing_message(deadline):
        raise ValidationError(message)
    refuse_problems(
        {
            "done_by_name": blank(done_by_name, DONE_BY_REQUIRED),
            "evidence": blank(evidence, EVIDENCE_REQUIRED),
        }
    )
    met = deadline_meet(deadline=deadline, actor=actor, at=at, reason=f"Done by {done_by_name.strip()}")
    met.done_by_name, met.evidence = done_by_name.strip(), evidence.strip()
    Deadline.objects.filter(pk=met.pk).update(done_by_name=met.done_by_name, evidence=met.evidence)
    return met


def may_cancel(user, deadline: Deadline) -> bool:
    """A statutory deadline only the business manager may cancel; any other, the business unit."""
    return user_has_board_perm(user, deadline.board, MANAGE_BOARD if deadline.statutory else WORK_CASES)


@transaction.atomic
def deadline_cancel_by_hand(*, deadline: Deadline, actor, reason: str, now: dt.datetime | None = None):
    """The deadline pages' cancel. A statutory deadline needs the business manager and a reason, and the
    cancellation is written to the case's own history, so its timeline shows it."""
    if not may_cancel(actor, deadline):
        raise PermissionDenied(
            STATUTORY_CANCEL_MANAGER_ONLY if deadline.statutory else CANCEL_BUSINESS_UNIT_ONLY
        )
    cancelled = deadline_cancel(deadline=deadline, actor=actor, reason=reason, now=now)
    subject = cancelled.subject
    if cancelled.statutory and subject is not None:
        state = getattr(subject, "state", "")
        log_transition(
            subject,
            "deadline_cancelled",
            state,
            actor,
            f"{cancelled.title}: {reason.strip()}",
            board=cancelled.board,
            to_state=state,
        )
    return cancelled


def deadlines_of(subject):
    """The deadlines of a subject (a referral, a review, an IMR…), soonest first."""
    return Deadline.objects.filter(
        content_type=ContentType.objects.get_for_model(subject), object_id=subject.pk
    ).select_related("rule")


def deadline_meet_for(
    *, subject, rule_code: str, actor, at: dt.datetime | None = None, title: str | None = None
) -> Deadline | None:
    """Meet the active deadline of `subject` under `rule_code` (with `title`, where a rule opens one
    deadline per step), if there is one. For the workflow transitions that are the rule's event."""
    deadlines = deadlines_of(subject).filter(rule__code=rule_code, status__in=ACTIVE_STATUSES)
    if title is not None:
        deadlines = deadlines.filter(title=title)
    deadline = deadlines.first()
    if deadline is None:
        return None
    return deadline_meet(deadline=deadline, actor=actor, at=at)


@transaction.atomic
def calendar_feed_create(*, user, now: dt.datetime | None = None):
    """A new secret calendar address for `user`; any earlier one stops working."""
    from scr_portal.models import CalendarFeed

    now = now or timezone.now()
    CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=now)
    return CalendarFeed.objects.create(user=user)


@transaction.atomic
def calendar_feed_revoke(*, user, now: dt.datetime | None = None) -> int:
    from scr_portal.models import CalendarFeed

    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=now or timezone.now()
    )


def notification_preference_set(*, user, reminder_delivery: str) -> None:
    from scr_portal.models import NotificationPreference

    if reminder_delivery not in NotificationPreference.values:
        raise ValidationError({"reminder_delivery": "Select how you want deadline reminders"})
    user.reminder_delivery = reminder_delivery
    user.save(update_fields=["reminder_delivery"])
