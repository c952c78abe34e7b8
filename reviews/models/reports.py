"""The overview report and the executive summary: uploaded versions, panel comments, and the IMR
authors' fair-representation confirmations (domain brief §4.5; Solihull §13.1, §13.3, §14.1)."""

from django.db import models

from scr_portal.models import Agency, StoredFile
from scr_portal.models.fields import user_field, who_and_when

from .comments import VersionComment
from .review import of_review


class ReportKind(models.TextChoices):
    OVERVIEW = "overview_report", "Overview report"
    EXECUTIVE_SUMMARY = "executive_summary", "Executive summary"


REPORT_SLUGS = {"overview": ReportKind.OVERVIEW, "executive-summary": ReportKind.EXECUTIVE_SUMMARY}


class ReportVersion(models.Model):
    """One uploaded version. Marked DRAFT until the review is adopted (Solihull §13.3.5); the file itself
    is a `StoredFile` owned by the review, numbered per kind."""

    review = of_review("report_versions")
    kind = models.CharField(max_length=30, choices=ReportKind.choices)
    number = models.PositiveIntegerField()
    file = models.OneToOneField(StoredFile, on_delete=models.PROTECT, related_name="+")
    final_draft = models.BooleanField(
        default=False, help_text="The final draft sent to every IMR author to confirm fair representation."
    )
    note = models.TextField(blank=True)
    uploaded_by, uploaded_at = who_and_when()
    adopted_at = models.DateTimeField(null=True, blank=True)
    # A draft's file destroyed a board-set time after adoption (Solihull §15.1.5): the row stays as its
    # tombstone, saying what there was, who destroyed it and when.
    destroyed_by, destroyed_at = who_and_when(null=True, blank=True)

    class Meta:
        ordering = ["review", "kind", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["review", "kind", "number"], name="report_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} version {self.number}"

    @property
    def is_draft(self) -> bool:
        return self.adopted_at is None

    @property
    def destroyed(self) -> bool:
        return self.destroyed_at is not None


class ReportComment(VersionComment):
    version = models.ForeignKey(ReportVersion, on_delete=models.CASCADE, related_name="comments")


class ConfirmationStatus(models.TextChoices):
    PENDING = "pending", "Waiting for a reply"
    CONFIRMED = "confirmed", "Fully and fairly represented"
    DISPUTED = "disputed", "Disputed"


class AuthorConfirmation(models.Model):
    """One IMR author's answer on one final draft: their agency fully and fairly represented, or disputed
    with a comment. A dispute stands until it is recorded as resolved (Solihull §13.1.6, §14.1.1)."""

    version = models.ForeignKey(ReportVersion, on_delete=models.CASCADE, related_name="confirmations")
    author = user_field()
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        max_length=20, choices=ConfirmationStatus.choices, default=ConfirmationStatus.PENDING
    )
    comment = models.TextField(blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    resolution = models.TextField(blank=True)
    resolved_by, resolved_at = who_and_when(null=True, blank=True)

    class Meta:
        ordering = ["agency__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["version", "author", "agency"], name="confirmation_once")
        ]

    def __str__(self) -> str:
        return f"{self.agency} on {self.version}"

    @property
    def open_dispute(self) -> bool:
        """Disputed, and not yet recorded as resolved."""
        return self.status == ConfirmationStatus.DISPUTED and self.resolved_at is None

    @property
    def settled(self) -> bool:
        """Confirmed, or disputed with the dispute resolved."""
        return self.status == ConfirmationStatus.CONFIRMED or (
            self.status == ConfirmationStatus.DISPUTED and self.resolved_at is not None
        )
