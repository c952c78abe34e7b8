"""The access log. Append-only: a pgtrigger Protect trigger refuses UPDATE and DELETE inside PostgreSQL, so
neither the application nor anyone with its database role can rewrite who looked at a case (in production
the role also loses the UPDATE/DELETE grant; docs/security.md)."""

import pgtrigger
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone


class AccessAction(models.TextChoices):
    VIEW = "view", "Viewed"
    DOWNLOAD = "download", "Downloaded"
    EXPORT = "export", "Exported"
    PRINT = "print", "Printed"
    # Changes to who may see the board's records (the people page, panel appointments, IMR authors).
    INVITE = "invite", "Invited to the portal"
    GRANT = "grant", "Given a role"
    REVOKE = "revoke", "Role taken away"
    SEARCH = "search", "Found in a search"


class AccessLog(models.Model):
    at = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    user_name = models.CharField(
        max_length=200, help_text="The name at the time, kept if the account changes."
    )
    board = models.ForeignKey("scr_portal.Board", on_delete=models.PROTECT, related_name="+")
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    object_label = models.CharField(max_length=200, blank=True, help_text="The case reference.")
    action = models.CharField(max_length=10, choices=AccessAction.choices)
    url_name = models.CharField(max_length=100)
    path = models.CharField(max_length=500)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        app_label = "scr_portal"
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "at"]),
            models.Index(fields=["board", "at"]),
        ]
        triggers = [
            pgtrigger.Protect(name="access_log_append_only", operation=pgtrigger.Update | pgtrigger.Delete),
        ]

    def __str__(self) -> str:
        return f"{self.user_name} {self.action} {self.object_label} at {self.at:%Y-%m-%d %H:%M}"


class LegalHold(models.Model):
    """A reason (litigation, an inquiry, a criminal trial) to keep a case past its destruction date. While a
    hold is not lifted, destruction is refused."""

    board = models.ForeignKey("scr_portal.Board", on_delete=models.PROTECT, related_name="+")
    case_reference = models.CharField(max_length=60)
    referral_id = models.PositiveBigIntegerField(
        db_index=True, help_text="The case's referral (the case root)."
    )
    reason = models.TextField()
    placed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    placed_at = models.DateTimeField()
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    lifted_at = models.DateTimeField(null=True, blank=True)
    lift_reason = models.TextField(blank=True)

    class Meta:
        app_label = "scr_portal"
        ordering = ["-placed_at"]

    def __str__(self) -> str:
        return f"Legal hold on {self.case_reference}"


class Tombstone(models.Model):
    """What is left of a destroyed case: its reference, type, key dates, outcome and who approved the
    destruction; never personal data (domain brief, "Decisions already taken": retention)."""

    board = models.ForeignKey("scr_portal.Board", on_delete=models.PROTECT, related_name="+")
    reference = models.CharField(max_length=60, unique=True)
    record_type = models.CharField(max_length=20, help_text="referral, or review (with its referral).")
    received_on = models.DateField(null=True, blank=True)
    decided_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    retention_from = models.DateField()
    destruction_due_on = models.DateField()
    outcome = models.CharField(max_length=200, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    destroyed_at = models.DateTimeField()
    rows_destroyed = models.JSONField(default=dict, help_text="How many rows of each kind were removed.")

    class Meta:
        app_label = "scr_portal"
        ordering = ["-destroyed_at"]

    def __str__(self) -> str:
        return f"Tombstone of {self.reference}"


class RequestKind(models.TextChoices):
    SUBJECT_ACCESS = "sar", "Subject access request (Data Protection Act)"
    FOI = "foi", "Freedom of Information request"


class InformationRequest(models.Model):
    """A subject access or FOI request, linked to the cases it concerns (domain brief §8.7–8.8: the panel
    chair and information officer are consulted on FOI; a person's request about themselves is a DPA
    request)."""

    board = models.ForeignKey("scr_portal.Board", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=3, choices=RequestKind.choices)
    requester = models.CharField(max_length=200)
    subject_name = models.CharField(
        max_length=200, blank=True, help_text="For a subject access request: the person the data is about."
    )
    received_on = models.DateField()
    due_on = models.DateField()
    summary = models.TextField(blank=True)
    referral_ids = models.JSONField(
        default=list, blank=True, help_text="The cases it concerns (referral ids)."
    )
    responded_on = models.DateField(null=True, blank=True)
    outcome = models.TextField(
        blank=True, help_text="What was disclosed or withheld, and the exemption used."
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        app_label = "scr_portal"
        ordering = ["-received_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} from {self.requester}"
