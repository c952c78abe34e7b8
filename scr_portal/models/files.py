"""Uploaded files: stored outside the web root under random names, served only through a view that
checks permission on the record the file belongs to, and (with the protection-of-records work) scanned
before anyone else may open them."""

import uuid

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models

from .fields import who_and_when
from .people import Board


class ScanStatus(models.TextChoices):
    NOT_SCANNED = "not_scanned", "Not scanned"
    PENDING = "pending", "Scan pending"
    CLEAN = "clean", "Clean"
    INFECTED = "infected", "Infected"


class StoredFile(models.Model):
    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="+")
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    owner = GenericForeignKey("content_type", "object_id")
    kind = models.CharField(max_length=40, help_text="What the file is: imr_report, overview_report…")
    original_name = models.CharField(max_length=255)
    stored_name = models.CharField(max_length=80, unique=True, default="")
    file_type = models.CharField(
        max_length=10, help_text="Detected from the content: pdf, docx, odt, xlsx, csv."
    )
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    version = models.PositiveIntegerField(default=1)
    scan_status = models.CharField(max_length=20, choices=ScanStatus.choices, default=ScanStatus.NOT_SCANNED)
    uploaded_by, uploaded_at = who_and_when()

    class Meta:
        ordering = ["content_type", "object_id", "kind", "-version"]
        indexes = [models.Index(fields=["content_type", "object_id", "kind"])]

    def __str__(self) -> str:
        return f"{self.original_name} (version {self.version})"

    @staticmethod
    def new_stored_name() -> str:
        return uuid.uuid4().hex
