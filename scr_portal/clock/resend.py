"""Sending again a reminder that could not be delivered (the undelivered-notifications page's button). Its
own module because it queues the delivery task, and the task module imports the reminder sweep."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from scr_portal.models import SentReminder
from scr_portal.models.clock import DeliveryStatus
from scr_portal.queue import enqueue_on_commit
from scr_portal.transitions import log_transition

from . import emails
from .tasks import deliver_reminders

RESEND_NOT_FAILED = "Only a reminder that could not be delivered can be sent again."


@transaction.atomic
def sent_reminder_resend(
    *, sent_reminder: SentReminder, actor, now: dt.datetime | None = None
) -> SentReminder:
    """Send a reminder that could not be delivered again (the undelivered-notifications page's button).
    It goes back to pending with its attempts reset, as a single email even if it was part of a digest,
    and a delivery run is queued once this commits. The view checks that the actor works on the board."""
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
