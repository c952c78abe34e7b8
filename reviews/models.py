"""The review that the LSCB Chair's decision sets off. This issue creates it; the reviews issue fills in
the panel, terms of reference, reports and the rest of its life (domain brief §4.2, §4.8)."""

from django.conf import settings
from django.db import models
from django_fsm import ConcurrentTransitionMixin, FSMField

from scr_portal.models import Board


class ReviewType(models.TextChoices):
    SCR = "scr", "Serious case review"
    PARTNERSHIP = "partnership_case_review", "Partnership case review"
    MANAGEMENT = "management_review", "Management review (learning day)"
    SINGLE_AGENCY = "single_agency_imr", "Single-agency IMR"
    AUDIT = "inter_agency_audit", "Inter-agency case audit"
    KEY_THEMES = "key_themes_report", "Key themes report"
    OTHER = "other", "Other review"


class ReviewState(models.TextChoices):
    SETUP = "setup", "Set-up"
    SCOPING = "scoping", "Scoping"
    TOR_APPROVED = "tor_approved", "Terms of reference approved"
    IMRS_COMMISSIONED = "imrs_commissioned", "IMRs commissioned"
    IMRS_IN_PROGRESS = "imrs_in_progress", "IMRs in progress"
    PRESENTATION_SCHEDULED = "presentation_scheduled", "Presentation scheduled"
    PRESENTATION_HELD = "presentation_held", "Presentation held"
    OVERVIEW_DRAFTING = "overview_drafting", "Overview drafting"
    FAIR_REPRESENTATION_CHECK = "fair_representation_check", "Fair-representation check"
    EXEC_SUMMARY_DRAFTING = "exec_summary_drafting", "Executive summary drafting"
    PANEL_QA = "panel_qa", "Panel quality assurance"
    ADOPTED = "adopted", "Adopted"
    SUBMITTED_TO_OFSTED = "submitted_to_ofsted", "Submitted to Ofsted"
    EVALUATED = "evaluated", "Evaluated"
    PUBLISHED = "published", "Published"
    MONITORING = "monitoring", "Monitoring"
    CLOSED = "closed", "Closed"


class Review(ConcurrentTransitionMixin, models.Model):
    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="reviews")
    referral = models.OneToOneField(
        "referrals.Referral", on_delete=models.PROTECT, null=True, blank=True, related_name="review"
    )
    reference = models.CharField(max_length=40, unique=True)
    review_type = models.CharField(max_length=40, choices=ReviewType.choices)
    state = FSMField(default=ReviewState.SETUP, choices=ReviewState.choices, protected=True)
    decision_date = models.DateField()
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-decision_date", "-pk"]
        indexes = [models.Index(fields=["board", "state"]), models.Index(fields=["board", "review_type"])]

    def __str__(self) -> str:
        return self.reference


class PanelRole(models.TextChoices):
    INDEPENDENT_CHAIR = "independent_chair", "Independent panel chair"
    OVERVIEW_AUTHOR = "overview_author", "Independent overview author"
    AGENCY_REPRESENTATIVE = "agency_representative", "Agency representative"
    LEGAL_ADVISER = "legal_adviser", "Legal adviser"
    EXPERT = "expert", "Expert"
    ASSOCIATE = "associate", "Associate member"


class PanelMembership(models.Model):
    """A person on one review's panel. Appointed and removed only through reviews.services, which grants
    and withdraws their object permissions on this review alone."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="panel")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="panel_memberships"
    )
    role = models.CharField(max_length=30, choices=PanelRole.choices)
    organisation = models.CharField(max_length=200)
    post = models.CharField(max_length=200)
    appointed_at = models.DateTimeField()
    appointed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["review", "role", "pk"]
        indexes = [models.Index(fields=["review", "role"]), models.Index(fields=["user"])]

    def __str__(self) -> str:
        return f"{self.get_role_display()} on {self.review}"


class ToRState(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_CONSULTATION = "in_consultation", "In consultation"
    PANEL_AGREED = "panel_agreed", "Agreed by the panel"
    APPROVED = "approved", "Approved"
    SUPERSEDED = "superseded", "Superseded"


class ToRVersion(ConcurrentTransitionMixin, models.Model):
    """One dated version of a review's terms of reference (domain brief §4.4). Approval by the LSCB Chair
    freezes it; a later change is a new version needing approval again."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="tor_versions")
    number = models.PositiveSmallIntegerField()
    state = FSMField(default=ToRState.DRAFT, choices=ToRState.choices, protected=True)
    dated = models.DateField(help_text="The date printed in the document's footer.")
    period_from = models.DateField(null=True, blank=True)
    period_to = models.DateField(null=True, blank=True)
    scope = models.TextField(blank=True)
    key_issues = models.TextField(blank=True)
    agencies = models.TextField(blank=True)
    family_involvement = models.TextField(blank=True)
    parallel_processes = models.TextField(blank=True)
    methodology = models.TextField(blank=True)
    other = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["review", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["review", "number"], name="tor_version_number"),
            models.UniqueConstraint(
                fields=["review"], condition=models.Q(state="approved"), name="tor_one_approved_version"
            ),
        ]

    def __str__(self) -> str:
        return f"Terms of reference v{self.number} of {self.review}"
