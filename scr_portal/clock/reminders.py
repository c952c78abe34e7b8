"""Chasing deadlines: the reminder sweep, delivery of the emails it creates, the daily digest, and
sending a failed reminder again.

How "each step is sent once" (domain brief, "Decisions already taken") holds:

1. `reminder_sweep` claims due steps in PostgreSQL with ``SELECT … FOR UPDATE SKIP LOCKED``: two sweeps
   running at once (a doubled beat tick, a redelivered task) never claim the same step, and neither
   waits for the other. In the same transaction it inserts one sent-reminder row per (step, recipient)
   and marks the steps done. The unique constraint on (deadline, step, recipient) makes a second row,
   and so a second email, impossible even if a step were ever processed twice.
2. Mail goes only after that commit (`deliver_pending`, run by the task after the sweep returns). Each
   row is locked while its email is sent and marked sent in the same short transaction, so two workers
   never send the same row.

The one window left is at-least-once, not at-most-once: if a worker dies after the SMTP server has
accepted the message (the reply to DATA) but before the "sent" commit reaches PostgreSQL, the row is
still pending and is sent again. No protocol can close that gap between two systems without a shared
transaction; it is a few milliseconds per email, and every email carries a fixed Message-ID
(``<reminder-{pk}@scr-portal.invalid>``) so a mail client or server can drop the duplicate.

Everything here takes `now`; only the Celery tasks (scr_portal.clock.tasks) read the clock.
"""

import datetime as dt
import logging
import smtplib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, F, Value, When
from django.utils import timezone
from django_fsm import can_proceed

from scr_portal import workdays
from scr_portal.models import (
    BoardClosureDay,
    Deadline,
    DeadlineStatus,
    NotificationPreference,
    ReminderStep,
    SentReminder,
    TransitionLog,
)
from scr_portal.models.clock import DeliveryStatus, StepStatus
from scr_portal.transitions import log_transition

from . import emails
from . import schedule as sched
from .recipients import recipients_for

logger = logging.getLogger(__name__)

#: Steps claimed per transaction. The task repeats the sweep until nothing is left.
SWEEP_BATCH_SIZE = 5000
#: Rows sent per delivery run; the next sweep (every 15 minutes) carries on with the rest.
DELIVERY_LIMIT = 1000
#: A row is tried at most this many times; then it is FAILED and shows on the undelivered page.
MAX_ATTEMPTS = 5
#: Wait after the 1st, 2nd, 3rd and 4th failed attempt. The sweep every 15 minutes is what tries again,
#: so the first wait rounds up to the next sweep; all five attempts span about five and a half hours,
#: long enough to ride out a mail relay's restart without anyone having to press "send again".
RETRY_BACKOFF = (
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=15),
    dt.timedelta(hours=1),
    dt.timedelta(hours=4),
)

OVERDUE_REASON = "Due date passed"
RESEND_NOT_FAILED = "Only a reminder that could not be delivered can be sent again."
INACTIVE_RECIPIENT = "The recipient's account is switched off."


@dataclass(frozen=True)
class SweepResult:
    """What one sweep did. `reminders_created` counts the rows offered to the database; the unique
    constraint silently drops any that already exist (none, unless a step was set back by hand)."""

    steps_claimed: int = 0
    reminders_created: int = 0
    deadlines_marked_overdue: int = 0

    def __add__(self, other: "SweepResult") -> "SweepResult":
        return SweepResult(
            self.steps_claimed + other.steps_claimed,
            self.reminders_created + other.reminders_created,
            self.deadlines_marked_overdue + other.deadlines_marked_overdue,
        )


@dataclass(frozen=True)
class DeliveryResult:
    sent: int = 0
    failed: int = 0
    retrying: int = 0

    def __add__(self, other: "DeliveryResult") -> "DeliveryResult":
        return DeliveryResult(
            self.sent + other.sent, self.failed + other.failed, self.retrying + other.retrying
        )


# ------------------------------------------------------------------------------------------------ sweep


def _closures_by_board(board_ids: Iterable[int]) -> dict[int, tuple[dt.date, ...]]:
    closures: dict[int, list[dt.date]] = defaultdict(list)
    for board_id, day in BoardClosureDay.objects.filter(board_id__in=set(board_ids)).values_list(
        "board_id", "day"
    ):
        closures[board_id].append(day)
    return {board_id: tuple(days) for board_id, days in closures.items()}


def _next_escalation(
    deadline: Deadline, *, level: int, suffix: str, now: dt.datetime, closures: tuple[dt.date, ...]
) -> ReminderStep | None:
    """The step after overdue escalation `level`: `escalation_interval` working days later, to the next
    audience (business unit → panel chair → LSCB Chair, then the LSCB Chair again).

    When that moment has already gone (the sweep was stopped for a while, or the deadline was opened
    already overdue) the chain is not fired all at once: the next level goes the next working day, and
    once the LSCB Chair has been told, the next reminder waits a full interval."""
    schedule = sched.ReminderSchedule.from_dict(deadline.reminder_schedule)
    if schedule.escalation_interval <= 0:
        return None
    nation = deadline.board.nation
    planned = sched.overdue_step(
        due_date=deadline.due_date, level=level + 1, schedule=schedule, nation=nation, closures=closures
    )
    send_at = planned.send_at
    if send_at <= now:
        gap = 1 if level + 1 <= 3 else schedule.escalation_interval
        day = workdays.add_working_days(timezone.localdate(now), gap, nation=nation, closures=closures)
        send_at = sched.at_local(day, sched.REMINDER_HOUR)
    return ReminderStep(
        deadline=deadline, key=f"{planned.key}{suffix}", send_at=send_at, audience=planned.audience
    )


def reminder_sweep(*, now: dt.datetime, batch_size: int = SWEEP_BATCH_SIZE) -> SweepResult:
    """Claim up to `batch_size` due reminder steps and turn each into sent-reminder rows, in one
    transaction and with a number of queries that does not depend on the number of steps or deadlines.

    - Steps of deadlines no longer active (met, met late, cancelled) are skipped, as are escalations of
      warn-only deadlines (never escalated) and escalations no longer past due.
    - An overdue escalation marks its deadline OVERDUE (the FSM transition, logged) and plans the next
      escalation.
    - Steps whose deadline is locked by someone else at this moment (being met or extended) are left
      for the next sweep rather than waited for: waiting here while that transaction waits for our step
      locks would deadlock.

    Mail is not sent here; `deliver_pending` sends it after this commits."""
    with transaction.atomic():
        steps = list(
            ReminderStep.objects.filter(status=StepStatus.PENDING, send_at__lte=now)
            .order_by("send_at", "pk")
            .select_for_update(skip_locked=True, of=("self",))[:batch_size]
        )
        if not steps:
            return SweepResult()
        deadlines = {
            deadline.pk: deadline
            for deadline in Deadline.objects.filter(pk__in={step.deadline_id for step in steps})
            .select_related("board")
            .select_for_update(skip_locked=True, of=("self",))
        }

        live: list[ReminderStep] = []
        skipped: list[int] = []
        escalated: list[tuple[ReminderStep, int, str]] = []
        marked: dict[int, str] = {}  # deadline id -> status before it became overdue
        for step in steps:
            deadline = deadlines.get(step.deadline_id)
            if deadline is None:
                continue  # locked elsewhere: not claimed, stays pending for the next sweep
            step.deadline = deadline
            key = emails.parse_step_key(step.key)
            stale_escalation = key.level is not None and (deadline.warn_only or now <= deadline.due_at)
            if not deadline.is_active or stale_escalation:
                skipped.append(step.pk)
                continue
            if key.level is not None:
                if deadline.pk not in marked:
                    deadline.as_of = now  # read by the transition's condition
                    previous = deadline.status
                    if can_proceed(deadline.mark_overdue):
                        deadline.mark_overdue()
                        marked[deadline.pk] = previous
                escalated.append((step, key.level, key.suffix))
            live.append(step)

        if marked:
            Deadline.objects.filter(pk__in=list(marked)).update(status=DeadlineStatus.OVERDUE)
            deadline_type = ContentType.objects.get_for_model(Deadline)
            TransitionLog.objects.bulk_create(
                [
                    TransitionLog(
                        board_id=deadlines[pk].board_id,
                        content_type=deadline_type,
                        object_id=pk,
                        transition="mark-overdue",
                        from_state=previous,
                        to_state=DeadlineStatus.OVERDUE,
                        actor=None,
                        reason=OVERDUE_REASON,
                        at=now,
                    )
                    for pk, previous in marked.items()
                ]
            )

        if escalated:
            closures = _closures_by_board(step.deadline.board_id for step, _, _ in escalated)
            next_steps = [
                _next_escalation(
                    step.deadline,
                    level=level,
                    suffix=suffix,
                    now=now,
                    closures=closures.get(step.deadline.board_id, ()),
                )
                for step, level, suffix in escalated
            ]
            ReminderStep.objects.bulk_create([s for s in next_steps if s is not None], ignore_conflicts=True)

        audiences = recipients_for((step.deadline, step.audience) for step in live)
        rows = []
        for step in live:
            users = audiences[(step.deadline_id, step.audience)]
            if not users:
                logger.warning(
                    "Reminder step %s of deadline %s has nobody to send to", step.pk, step.deadline_id
                )
            for user in users:
                digest = user.reminder_delivery == NotificationPreference.DAILY_DIGEST
                rows.append(
                    SentReminder(
                        deadline_id=step.deadline_id,
                        step_id=step.pk,
                        recipient_id=user.pk,
                        board_id=step.deadline.board_id,
                        status=DeliveryStatus.DIGEST if digest else DeliveryStatus.PENDING,
                        attempts=0,
                        next_attempt_at=now,
                        created_at=now,
                    )
                )
        # ignore_conflicts: the unique constraint, not this code, is the last word on "sent once".
        SentReminder.objects.bulk_create(rows, ignore_conflicts=True)

        processed = [step.pk for step in live] + skipped
        status = (
            Case(When(pk__in=skipped, then=Value(StepStatus.SKIPPED)), default=Value(StepStatus.DONE))
            if skipped
            else Value(StepStatus.DONE)
        )
        ReminderStep.objects.filter(pk__in=processed).update(status=status, processed_at=now)
    return SweepResult(
        steps_claimed=len(processed), reminders_created=len(rows), deadlines_marked_overdue=len(marked)
    )


def reminder_sweep_all(*, now: dt.datetime, batch_size: int = SWEEP_BATCH_SIZE, max_batches: int = 100):
    """Sweep batch after batch until no due step is left (or `max_batches`, so one run always ends)."""
    total = SweepResult()
    for _ in range(max_batches):
        result = reminder_sweep(now=now, batch_size=batch_size)
        total += result
        if result.steps_claimed == 0:
            break
    return total


# --------------------------------------------------------------------------------------------- delivery

# Errors that say the mail server cannot be reached at all: the rest of the run is not tried against it
# (each would wait for the same timeout), but still counts an attempt, so every row backs off alike.
_SERVER_ERRORS = (
    smtplib.SMTPServerDisconnected,
    smtplib.SMTPConnectError,
    smtplib.SMTPHeloError,
    smtplib.SMTPAuthenticationError,
)


def _is_server_error(error: Exception) -> bool:
    return isinstance(error, _SERVER_ERRORS) or not isinstance(error, smtplib.SMTPException)


def describe_error(error: Exception) -> str:
    """What went wrong, without personal data: the error's class and SMTP or system code only. (SMTP
    replies can quote the recipient's address, so their text is never stored.)"""
    code = getattr(error, "smtp_code", None) or getattr(error, "errno", None)
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = sorted({str(reply[0]) for reply in error.recipients.values()})
        code = "/".join(codes) or None
    return f"{type(error).__name__}{f' {code}' if code else ''}"[:300]


class _Mailer:
    """One connection to the mail server, reused for every email of a run, and reopened after an
    error. Once the server is unreachable, the rest of the run fails with that same error at once."""

    def __init__(self):
        self.connection = mail.get_connection()
        self.opened = False
        self.server_error: Exception | None = None

    def send(self, message) -> Exception | None:
        """Send one message; the error if it was not sent."""
        if self.server_error is not None:
            return self.server_error
        for attempt in (1, 2):
            reused = self.opened
            try:
                if not self.opened:
                    self.connection.open()
                    self.opened = True
                if self.connection.send_messages([message]) != 1:
                    raise smtplib.SMTPException("The mail server did not take the message")
                return None
            except OSError as error:  # smtplib.SMTPException is an OSError
                self.close()
                if reused and attempt == 1 and isinstance(error, smtplib.SMTPServerDisconnected):
                    continue  # the relay closed the connection kept from the last email: reconnect once
                if _is_server_error(error):
                    self.server_error = error
                return error
        return None  # not reached

    def close(self) -> None:
        if self.opened:
            try:
                self.connection.close()
            except OSError:
                logger.debug("Closing the mail connection failed", exc_info=True)
            self.opened = False


def _record_failure(
    rows: Sequence[SentReminder], *, error: Exception | str, now: dt.datetime
) -> tuple[int, int]:
    """Count a failed attempt on each row: back off, or give up after MAX_ATTEMPTS. An error given as
    text (an inactive recipient) is final at once: trying again would not change it. Returns
    (failed, retrying)."""
    text = error if isinstance(error, str) else describe_error(error)
    failed = retrying = 0
    for row in rows:
        row.attempts += 1
        row.last_error = text
        if row.attempts >= MAX_ATTEMPTS or isinstance(error, str):
            row.status = DeliveryStatus.FAILED
            failed += 1
        else:
            row.next_attempt_at = now + RETRY_BACKOFF[min(row.attempts, len(RETRY_BACKOFF)) - 1]
            retrying += 1
    SentReminder.objects.bulk_update(rows, ["attempts", "last_error", "status", "next_attempt_at"])
    return failed, retrying


def _record_sent(rows: Sequence[SentReminder], *, now: dt.datetime) -> None:
    SentReminder.objects.filter(pk__in=[row.pk for row in rows]).update(
        status=DeliveryStatus.SENT, sent_at=now, attempts=F("attempts") + 1, last_error=""
    )


def _due_rows(status: str, now: dt.datetime):
    return (
        SentReminder.objects.filter(status=status, next_attempt_at__lte=now)
        .select_related("deadline__board", "step", "recipient")
        .select_for_update(skip_locked=True, of=("self",))
    )


def deliver_pending(*, now: dt.datetime, limit: int = DELIVERY_LIMIT) -> DeliveryResult:
    """Send pending reminder emails that are due, one row per short transaction.

    The row stays locked (FOR UPDATE SKIP LOCKED) while its email is sent and is marked sent in the
    same transaction: another worker skips it rather than sending it too. A mail error counts an
    attempt and backs off (RETRY_BACKOFF); after MAX_ATTEMPTS the row is FAILED and waits for someone
    to press "send again" (`sent_reminder_resend`). See the module docstring for the one remaining
    duplicate window and the fixed Message-ID that covers it."""
    mailer = _Mailer()
    closures: dict[int, tuple[dt.date, ...]] = {}
    sent = failed = retrying = 0
    try:
        for _ in range(limit):
            with transaction.atomic():
                row = _due_rows(DeliveryStatus.PENDING, now).order_by("next_attempt_at", "pk").first()
                if row is None:
                    break
                if not row.recipient.is_active:
                    failed += _record_failure([row], error=INACTIVE_RECIPIENT, now=now)[0]
                    continue
                board_id = row.deadline.board_id
                if board_id not in closures:
                    closures.update(_closures_by_board([board_id]) or {board_id: ()})
                try:
                    message = emails.reminder_message(row, now=now, closures=closures[board_id])
                except Exception as bug:  # one broken row must not hold up every reminder after it
                    logger.exception("Could not build the email of reminder %s", row.pk)
                    error = bug
                else:
                    error = mailer.send(message)
                if error is None:
                    _record_sent([row], now=now)
                    sent += 1
                else:
                    lost, waiting = _record_failure([row], error=error, now=now)
                    failed += lost
                    retrying += waiting
    finally:
        mailer.close()
    if failed or retrying:
        logger.warning("Reminder delivery: %s sent, %s retrying, %s failed", sent, retrying, failed)
    return DeliveryResult(sent=sent, failed=failed, retrying=retrying)


def send_digests(*, now: dt.datetime, retries_only: bool = False) -> DeliveryResult:
    """Send each user who chose the daily digest one email listing all their waiting reminders.

    With `retries_only`, only users whose last digest failed (the sweep calls it so, so that a failed
    digest backs off like a single email instead of waiting a whole day)."""
    waiting = SentReminder.objects.filter(status=DeliveryStatus.DIGEST, next_attempt_at__lte=now)
    if retries_only:
        waiting = waiting.filter(attempts__gt=0)
    recipient_ids = sorted(set(waiting.values_list("recipient_id", flat=True)))
    mailer = _Mailer()
    sent = failed = retrying = 0
    try:
        for recipient_id in recipient_ids:
            with transaction.atomic():
                rows = list(
                    _due_rows(DeliveryStatus.DIGEST, now)
                    .filter(recipient_id=recipient_id)
                    .order_by("deadline__due_at", "deadline_id", "step__send_at", "pk")
                )
                if not rows:
                    continue  # another run holds them
                if not rows[0].recipient.is_active:
                    failed += _record_failure(rows, error=INACTIVE_RECIPIENT, now=now)[0]
                    continue
                closures = _closures_by_board(row.deadline.board_id for row in rows)
                try:
                    message = emails.digest_message(rows, now=now, closures=closures)
                except Exception as bug:  # as in deliver_pending
                    logger.exception("Could not build the digest of user %s", recipient_id)
                    error = bug
                else:
                    error = mailer.send(message)
                if error is None:
                    _record_sent(rows, now=now)
                    sent += len(rows)
                else:
                    lost, waiting_rows = _record_failure(rows, error=error, now=now)
                    failed += lost
                    retrying += waiting_rows
    finally:
        mailer.close()
    return DeliveryResult(sent=sent, failed=failed, retrying=retrying)


# ------------------------------------------------------------------------------------------- send again


@transaction.atomic
def sent_reminder_resend(
    *, sent_reminder: SentReminder, actor, now: dt.datetime | None = None
) -> SentReminder:
    """Send a reminder that could not be delivered again (the undelivered-notifications page's button).
    It goes back to pending with its attempts reset, as a single email even if it was part of a digest,
    and a delivery run is queued once this commits. The view checks that the actor works on the board."""
    from .tasks import deliver_reminders, enqueue_on_commit  # the tasks module imports this one

    now = now or timezone.now()
    locked = (
        SentReminder.objects.select_for_update(of=("self",))
        .select_related("deadline__board", "step")
        .get(pk=sent_reminder.pk)
    )
    if locked.status != DeliveryStatus.FAILED:
        raise ValidationError(RESEND_NOT_FAILED)
    locked.status = DeliveryStatus.PENDING
    locked.attempts = 0
    locked.next_attempt_at = now
    locked.last_error = ""
    locked.save(update_fields=["status", "attempts", "next_attempt_at", "last_error"])
    reason = f"Reminder {locked.pk} ({emails.step_label(locked.step.key)}) to be sent again"
    # The log row is the deadline's, but the states are the reminder's delivery states.
    log_transition(
        locked.deadline,
        "resend-reminder",
        DeliveryStatus.FAILED,
        actor,
        reason,
        to_state=DeliveryStatus.PENDING,
    )
    enqueue_on_commit(deliver_reminders)
    return locked
