"""Generated documents and the anonymisation that guards what leaves the board (domain brief §7, §8).

A generated document is one rendered version of one kind of document (`scr_portal.documents.registry`)
for one case record (a referral now; reviews and IMRs later). It keeps the data it was merged from, so
"which data produced this file" is answerable, and the rendered PDF as a StoredFile with its hash. An
anonymised version (for Ofsted, the DfE, the National Panel or publication) cannot be downloaded or marked
as sent until its text has passed the check or a business manager has overridden it with a reason.

Every write goes through `scr_portal.documents.services`."""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q

from .fields import user_field, who_and_when
from .files import StoredFile
from .people import Board


class DocumentTemplateVersion(models.Model):
    """One saved version of an editable piece of wording (a letter's body, a leaflet), for one board. The
    newest is the one used; version 0 (no row) is the wording shipped in templates/documents/wording/.
    Saved only after it has parsed, used only documented fields and rendered against an example case."""

    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="+")
    code = models.SlugField(max_length=60)
    version = models.PositiveIntegerField()
    body = models.TextField()
    note = models.CharField(max_length=300, blank=True, help_text="What changed and why.")
    author = user_field()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["board", "code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["board", "code", "version"], name="document_template_version")
        ]

    def __str__(self) -> str:
        return f"{self.code} wording, version {self.version}"


class KeyRole(models.TextChoices):
    CHILD = "child", "The child"
    PARENT = "parent", "Parent or carer"
    SIBLING = "sibling", "Brother or sister"
    RELATIVE = "relative", "Other relative"
    SIGNIFICANT_OTHER = "significant_other", "Significant other"
    PRACTITIONER = "practitioner", "Practitioner"
    OTHER = "other", "Other"


class OfCase(models.Model):
    """A row that belongs to one case record (a referral, a review or an IMR: whatever app registered the
    owner type), on that record's board."""

    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="+")
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    owner = GenericForeignKey("content_type", "object_id")

    class Meta:
        abstract = True


class CaseKeyPerson(OfCase):
    """One person in a case's anonymisation key: their real name and the pseudonym that replaces it in
    anything that leaves the board (domain brief §8.1: "keep the name key separate"). Rows filled from the
    case carry `source_ref` so filling again updates them rather than adding duplicates; the business unit
    may change pseudonyms and add people (a school friend named in an IMR, a practitioner)."""

    real_name = models.CharField(max_length=200)
    pseudonym = models.CharField(max_length=100)
    role = models.CharField(max_length=30, choices=KeyRole.choices)
    aliases = models.TextField(
        blank=True, help_text="Other names this person is known by (nicknames, maiden names), one a line."
    )
    date_of_birth = models.DateField(null=True, blank=True)
    address = models.TextField(blank=True)
    school = models.CharField(max_length=200, blank=True)
    source_ref = models.CharField(
        max_length=60,
        blank=True,
        help_text="Where the row was filled from (child, family:12…); blank if added.",
    )
    order = models.PositiveIntegerField(default=0)
    updated_by = user_field(null=True, blank=True)
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["content_type", "object_id", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "source_ref"],
                condition=~Q(source_ref=""),
                name="case_key_person_source_once",
            ),
            models.UniqueConstraint(
                fields=["content_type", "object_id", "pseudonym"], name="case_key_pseudonym_unique"
            ),
        ]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return self.pseudonym


class DocumentStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to be prepared"
    RENDERING = "rendering", "Being prepared"
    READY = "ready", "Ready"
    FAILED = "failed", "Could not be prepared"


def _other_version(related_name: str, help_text: str) -> models.ForeignKey:
    """A link from one version of a document to another it came from (optional, never deleted under it)."""
    return models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name=related_name,
        help_text=help_text,
    )


class GeneratedDocument(OfCase):
    code = models.SlugField(max_length=60)
    title = models.CharField(max_length=200)
    version = models.PositiveIntegerField()
    anonymised = models.BooleanField(default=False)
    internal_version = _other_version(
        "anonymised_versions", "For an anonymised version: the internal version it was made alongside."
    )
    approved_from = _other_version("+", "For an approved version: the draft that was approved.")
    draft = models.BooleanField(default=True)
    status = models.CharField(max_length=20, choices=DocumentStatus.choices, default=DocumentStatus.QUEUED)
    options = models.JSONField(default=dict, blank=True)
    context = models.JSONField(default=dict, blank=True, help_text="The data merged into the document.")
    data_fingerprint = models.CharField(max_length=64, help_text="SHA-256 of the merged data and wording.")
    data_as_of = models.DateTimeField(null=True, blank=True, help_text="When the case record last changed.")
    template_versions = models.JSONField(
        default=dict, blank=True, help_text="Version of each wording used (0: the wording as shipped)."
    )
    requested_by, requested_at = who_and_when()
    attempts = models.PositiveSmallIntegerField(default=0)
    rendered_at = models.DateTimeField(null=True, blank=True)
    render_seconds = models.FloatField(null=True, blank=True)
    page_count = models.PositiveIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    file = models.OneToOneField(
        StoredFile, on_delete=models.PROTECT, null=True, blank=True, related_name="generated_document"
    )
    approved_by, approved_at = who_and_when(null=True, blank=True)
    sent_on = models.DateField(null=True, blank=True)
    sent_to = models.CharField(max_length=300, blank=True)
    sent_by, sent_recorded_at = who_and_when(null=True, blank=True)

    class Meta:
        ordering = ["content_type", "object_id", "code", "-version", "anonymised"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "code", "anonymised", "version"],
                name="generated_document_version",
            ),
            models.CheckConstraint(
                condition=Q(anonymised=False) | Q(internal_version__isnull=False),
                name="generated_document_anonymised_has_internal",
            ),
        ]
        indexes = [
            models.Index(fields=["content_type", "object_id", "code"]),
            models.Index(fields=["status", "requested_at"]),
        ]

    def __str__(self) -> str:
        kind = "anonymised " if self.anonymised else ""
        return f"{self.title}, {kind}version {self.version}"


class CheckOutcome(models.TextChoices):
    PASSED = "passed", "Passed"
    BLOCKED = "blocked", "Blocked"
    UNREADABLE = "unreadable", "Text could not be read"


class AnonymisationCheck(models.Model):
    """One scan of a document's text for anything that identifies a person: names from the case key and
    their variants, dates of birth, addresses, schools, postcodes, NHS numbers, phone numbers. A blocked
    check stays blocked until a new version passes or a business manager overrides it with a reason."""

    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="+")
    document = models.ForeignKey(
        GeneratedDocument, on_delete=models.PROTECT, null=True, blank=True, related_name="checks"
    )
    stored_file = models.ForeignKey(
        StoredFile, on_delete=models.PROTECT, null=True, blank=True, related_name="anonymisation_checks"
    )
    key_fingerprint = models.CharField(max_length=64, help_text="SHA-256 of the key the check used.")
    outcome = models.CharField(max_length=20, choices=CheckOutcome.choices)
    findings = models.JSONField(default=list, blank=True)
    message = models.TextField(blank=True)
    checked_at = models.DateTimeField()
    checked_by = user_field(null=True, blank=True)
    override_reason = models.TextField(blank=True)
    overridden_by, overridden_at = who_and_when(null=True, blank=True)

    class Meta:
        ordering = ["-checked_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(document__isnull=False, stored_file__isnull=True)
                | Q(document__isnull=True, stored_file__isnull=False),
                name="anonymisation_check_one_target",
            ),
            models.CheckConstraint(
                condition=Q(overridden_at__isnull=True) | ~Q(override_reason=""),
                name="anonymisation_override_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"Anonymisation check {self.pk}: {self.get_outcome_display()}"

    @property
    def releases(self) -> bool:
        return self.outcome == CheckOutcome.PASSED or self.overridden_at is not None


class DocumentDownload(models.Model):
    """Every download of a generated or checked file: who, when, which version (domain brief §8.10: a
    full audit trail of views and exports)."""

    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="+")
    document = models.ForeignKey(
        GeneratedDocument, on_delete=models.PROTECT, null=True, blank=True, related_name="downloads"
    )
    stored_file = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="+")
    user = user_field()
    at = models.DateTimeField()
    anonymised = models.BooleanField(default=False)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["board", "at"]), models.Index(fields=["user", "at"])]

    def __str__(self) -> str:
        return f"{self.stored_file} downloaded by {self.user} at {self.at:%Y-%m-%d %H:%M}"
