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
