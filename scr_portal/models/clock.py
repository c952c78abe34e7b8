"""The statutory clock: deadline rules (data, per-board overridable), the one Deadline table for everything
that is due, its extensions, the reminder steps the sweep sends and the sent-reminder rows that make a
second send impossible. Computation lives in scr_portal.clock; this module only holds the records."""

import secrets

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django_fsm import RETURN_VALUE, FSMField, transition

from .. import frameworks
from .fsm import ConcurrentTransitionMixin
from .people import Board, NotificationPreference  # noqa: F401 — re-exported


class DurationUnit(models.TextChoices):
    HOURS = "hours", "hours"
    CALENDAR_DAYS = "calendar_days", "calendar days"
    WEEKS = "weeks", "weeks"
    CALENDAR_MONTHS = "calendar_months", "calendar months"
    WORKING_DAYS = "working_days", "working days"


class Closing(models.TextChoices):
    """How a deadline of a rule is met (issue 15): by the workflow event it waits for, or recorded by hand
    for work done outside the portal (letters posted, records secured)."""

    EVENT = "event", "By its event"
    MANUAL = "manual", "Recorded by hand"


class DeadlineRule(models.Model):
    """One timescale of the domain brief §5, as data, so a board (or another framework) can change it by
    configuration. `amount` may be negative for deadlines that fall before their trigger (IMRs circulated
    at least two weeks before the presentation meeting)."""

    code = models.SlugField(max_length=60, unique=True)
    number = models.PositiveSmallIntegerField(help_text="Row of the timescales table in the domain brief.")
    name = models.CharField(max_length=200, help_text="What is due, as shown on the dashboard.")
    trigger_event = models.CharField(max_length=200)
    amount = models.IntegerField()
    unit = models.CharField(max_length=20, choices=DurationUnit.choices)
    responsible = models.CharField(max_length=100)
    statutory = models.BooleanField(default=False)
    warn_only = models.BooleanField(default=False, help_text="Shown as a warning; never escalated.")
    due_set_per_case = models.BooleanField(
        default=False, help_text="The amount is only a default: each case sets its own date (actions)."
    )
    subject_kind = models.CharField(max_length=40)
    reminders = models.BooleanField(default=True, help_text="Send the board's reminder schedule.")
    source = models.CharField(max_length=300)
    description = models.TextField(blank=True, help_text="Why the rule is as it is, with its sources.")
    closing = models.CharField(
        max_length=10,
        choices=Closing.choices,
        default=Closing.MANUAL,
        help_text="An event-closed deadline is met only by its event; the deadline pages cannot record it.",
    )
    closing_event = models.CharField(
        max_length=200, blank=True, help_text="The event that meets it, as the deadline pages name it."
    )
    extension_needs_ofsted = models.BooleanField(
        default=False,
        help_text="An extension needs the date the LSCB agreed it and the date Ofsted was told "
        "(domain brief §9, EXTENSION_APPROVER; Solihull §4.1.2, §7.2.1).",
    )

    class Meta:
        ordering = ["number", "code"]

    def __str__(self) -> str:
        return f"#{self.number} {self.name}"


class BoardTimescale(models.Model):
    """A board's own amount for a rule. Applies to deadlines opened after it is saved, never to open ones."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="timescales")
    rule = models.ForeignKey(DeadlineRule, on_delete=models.CASCADE, related_name="+")
    amount = models.IntegerField()
    unit = models.CharField(max_length=20, choices=DurationUnit.choices)
    reminders = models.BooleanField(default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["board", "rule"], name="timescale_one_per_rule")]

    def __str__(self) -> str:
        return f"{self.rule_id}: {self.amount} {self.unit}"


class BoardClosureDay(models.Model):
    """A day the board's business unit is closed (for example between Christmas and New Year): not a
    working day for that board's deadlines."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="closure_days")
    day = models.DateField()
    reason = models.CharField(max_length=200)

    class Meta:
        ordering = ["day"]
        constraints = [models.UniqueConstraint(fields=["board", "day"], name="closure_day_unique")]

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} {self.reason}"


class BoardSettingChange(models.Model):
    """Who changed which board setting, when, from what to what."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="setting_changes")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    setting = models.CharField(max_length=200)
    old_value = models.TextField(blank=True)
    new_value = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.setting} changed {self.at:%d/%m/%Y %H:%M}"


class DeadlineStatus(models.TextChoices):
    OPEN = "open", "Open"
    OVERDUE = "overdue", "Overdue"
    EXTENDED = "extended", "Extended"
    MET = "met", "Met"
    MET_LATE = "met_late", "Met late"
    CANCELLED = "cancelled", "Cancelled"


ACTIVE_STATUSES = (DeadlineStatus.OPEN, DeadlineStatus.OVERDUE, DeadlineStatus.EXTENDED)


class Deadline(ConcurrentTransitionMixin, models.Model):
    """Everything that is due, whatever it belongs to. Opened, met, extended and cancelled only through
    scr_portal.clock.services; the rule's amount and the reminder schedule are copied in when it opens,
    so later board changes never move it silently."""

    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="deadlines")
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    kind = models.CharField(max_length=40, help_text="What the deadline belongs to: referral, review, IMR…")
    case_reference = models.CharField(max_length=60, help_text="Shown in reminders instead of any name.")
    review_framework = models.CharField(
        max_length=40,
        default=frameworks.DEFAULT,
        help_text="The framework of the case the deadline belongs to (issue 20): lists, reminders and the "
        "calendar feed name the case in its words without reading the case.",
    )
    rule = models.ForeignKey(DeadlineRule, on_delete=models.PROTECT, related_name="deadlines")
    title = models.CharField(max_length=200)
    trigger_at = models.DateTimeField()
    amount = models.IntegerField()
    unit = models.CharField(max_length=20, choices=DurationUnit.choices)
    original_due_date = models.DateField()
    due_date = models.DateField()
    due_at = models.DateTimeField()
    statutory = models.BooleanField(default=False)
    warn_only = models.BooleanField(default=False)
    responsible_role = models.CharField(max_length=100, blank=True)
    responsible_users = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="deadlines")
    reminder_schedule = models.JSONField(default=dict)
    status = FSMField(default=DeadlineStatus.OPEN, choices=DeadlineStatus.choices, protected=True)
    FINAL_STATES = frozenset({DeadlineStatus.MET, DeadlineStatus.MET_LATE, DeadlineStatus.CANCELLED})
    opened_at = models.DateTimeField()
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    met_at = models.DateTimeField(null=True, blank=True)
    met_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_reason = models.TextField(blank=True)
    done_by_name = models.CharField(
        max_length=200, blank=True, help_text="Who did the work, for a deadline recorded as done by hand."
    )
    evidence = models.TextField(blank=True, help_text="What shows it was done, when recorded by hand.")

    class Meta:
        ordering = ["due_at", "pk"]
        indexes = [
            models.Index(fields=["board", "status", "due_at"]),
            models.Index(fields=["content_type", "object_id"]),
            models.Index(fields=["board", "kind"]),
            models.Index(fields=["board", "case_reference"]),
        ]

    def __str__(self) -> str:
        return f"{self.case_reference}: {self.title}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def review_short(self) -> str:
        """What the case's framework calls its review, shortly: "SCR", "LCSPR"."""
        return frameworks.get(self.review_framework).word("review_short")

    # Transitions only set fields; the services lock the row, check permission, save and log.
    @transition(
        field=status,
        source=list(ACTIVE_STATUSES),
        target=RETURN_VALUE(DeadlineStatus.MET, DeadlineStatus.MET_LATE),
    )
    def meet(self, *, at, by) -> str:
        self.met_at = at
        self.met_by = by
        return DeadlineStatus.MET if at <= self.due_at else DeadlineStatus.MET_LATE

    @transition(field=status, source=list(ACTIVE_STATUSES), target=DeadlineStatus.EXTENDED)
    def extend(self, *, new_due_date, new_due_at) -> None:
        self.due_date = new_due_date
        self.due_at = new_due_at

    @transition(field=status, source=list(ACTIVE_STATUSES), target=DeadlineStatus.CANCELLED)
    def cancel(self, *, reason: str) -> None:
        self.closed_reason = reason

    def _past_due(self) -> bool:
        # The sweep sets `as_of` to the moment it runs for; django-fsm passes conditions only the instance.
        from django.utils import timezone

        return (getattr(self, "as_of", None) or timezone.now()) > self.due_at

    @transition(
        field=status,
        source=[DeadlineStatus.OPEN, DeadlineStatus.EXTENDED],
        target=DeadlineStatus.OVERDUE,
        conditions=[_past_due],
    )
    def mark_overdue(self) -> None:
        """Set by the reminder sweep once the due time has passed."""


class ExtensionReason(models.TextChoices):
    COMPLEXITY = "complexity", "Complexity of the case"
    POLICE_INVESTIGATION = "police_investigation", "Police investigation"
    CRIMINAL_PROCEEDINGS = "criminal_proceedings", "Criminal proceedings"
    OTHER = "other", "Other"


class DeadlineExtension(models.Model):
    """A deadline moved to a later date, with why and who agreed (domain brief §4.2, "EXTENDED" overlay:
    the LSCB agrees, Ofsted is told; the original date is kept)."""

    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="extensions")
    previous_due_date = models.DateField()
    new_due_date = models.DateField()
    reason_category = models.CharField(max_length=40, choices=ExtensionReason.choices)
    reason = models.TextField()
    approved_by = models.CharField(max_length=200, help_text="Who agreed it, for example the LSCB on a date.")
    approved_on = models.DateField()
    ofsted_told_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["recorded_at", "pk"]

    def __str__(self) -> str:
        return f"Extended to {self.new_due_date:%d/%m/%Y}"


class ReminderAudience(models.TextChoices):
    RESPONSIBLE = "responsible", "The people responsible"
    BUSINESS_UNIT = "business_unit", "The business unit"
    PANEL_CHAIR = "panel_chair", "The panel chair"
    LSCB_CHAIR = "lscb_chair", "The LSCB Chair"


class StepStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    DONE = "done", "Done"
    SKIPPED = "skipped", "Skipped"


class ReminderStep(models.Model):
    """One planned reminder of a deadline: half-time, 2 working days before, the due day, and each
    overdue escalation. The sweep claims due steps and turns each into sent-reminder rows."""

    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="reminder_steps")
    key = models.CharField(max_length=30)
    send_at = models.DateTimeField()
    audience = models.CharField(max_length=20, choices=ReminderAudience.choices)
    status = models.CharField(max_length=10, choices=StepStatus.choices, default=StepStatus.PENDING)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["send_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["deadline", "key"], name="reminder_step_unique_key")]
        indexes = [
            models.Index(fields=["send_at"], condition=Q(status="pending"), name="reminder_step_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.key} at {self.send_at:%d/%m/%Y %H:%M}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Waiting to send"
    DIGEST = "digest", "Waiting for the daily digest"
    SENT = "sent", "Sent"
    FAILED = "failed", "Not delivered"
    WITHDRAWN = "withdrawn", "Withdrawn: the deadline was met or cancelled before it was sent"


class SentReminder(models.Model):
    """One email to one person for one reminder step. The unique constraint is what makes a second send
    impossible: however often the sweep runs, it can only insert this row once."""

    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="sent_reminders")
    step = models.ForeignKey(ReminderStep, on_delete=models.CASCADE, related_name="sent_reminders")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["deadline", "step", "recipient"], name="sent_reminder_once"),
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"], condition=Q(status="pending"), name="sent_reminder_pending_idx"
            ),
            models.Index(fields=["recipient"], condition=Q(status="digest"), name="sent_reminder_digest_idx"),
            models.Index(fields=["board", "status"]),
        ]

    def __str__(self) -> str:
        return f"Reminder {self.pk} ({self.status})"


def _feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A secret address from which a user's calendar program reads their deadlines. Revocable; a new one
    replaces the old."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    token = models.CharField(max_length=64, unique=True, default=_feed_token)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Calendar feed of user {self.user_id}"
