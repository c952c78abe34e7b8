"""An agency's chronology (Solihull App 7) and the files imported into it."""

from django.db import models

from scr_portal.models import StoredFile
from scr_portal.models.fields import who_and_when

from .imr import of_imr


class ChronologyEntry(models.Model):
    """One row of an agency's chronology in the Solihull App 7 columns. The child's age is computed from
    the referral's date of birth when shown, never stored; the agency is the IMR's, so agencies'
    chronologies merge into the integrated one without re-keying (domain brief §6.5)."""

    imr = of_imr("chronology")
    event_no = models.PositiveIntegerField("Event number")
    date = models.DateField()
    time = models.TimeField(null=True, blank=True)
    family_member = models.CharField(max_length=50, blank=True, help_text="The agreed abbreviation.")
    child_seen = models.BooleanField("Child seen or wishes sought or expressed")
    event = models.TextField()
    agency_source = models.CharField(max_length=200, blank=True)
    action_taken = models.TextField(blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["imr", "date", "time", "event_no"]
        verbose_name_plural = "chronology entries"
        constraints = [models.UniqueConstraint(fields=["imr", "event_no"], name="chronology_event_no_once")]
        indexes = [models.Index(fields=["imr", "date", "time"])]

    def __str__(self) -> str:
        return f"Event {self.event_no} of {self.imr}"


class ImportStatus(models.TextChoices):
    PENDING = "pending", "Waiting to be saved"
    SAVED = "saved", "Saved"
    DISCARDED = "discarded", "Discarded"


class ChronologyImport(models.Model):
    """A chronology file that passed every check, kept (with its stored file) while the author looks at
    the preview; saving replaces the IMR's chronology with its rows."""

    imr = of_imr("chronology_imports")
    file = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="+")
    row_count = models.PositiveIntegerField()
    status = models.CharField(max_length=20, choices=ImportStatus.choices, default=ImportStatus.PENDING)
    created_by, created_at = who_and_when()
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["imr", "-created_at"]

    def __str__(self) -> str:
        return f"Chronology import {self.pk} of {self.imr}"
