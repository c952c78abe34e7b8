"""The review's panel and each appointment's conflict declaration (domain brief §2.1, §2.2, §6.11)."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from scr_portal.models.fields import Recorded, user_field, who_and_when

from .review import of_review


class PanelRole(models.TextChoices):
    INDEPENDENT_CHAIR = "independent_chair", "Independent panel chair"
    OVERVIEW_AUTHOR = "overview_author", "Independent overview author"
    AGENCY_REPRESENTATIVE = "agency_representative", "Agency representative"
    LEGAL_ADVISER = "legal_adviser", "Legal adviser"
    EXPERT = "expert", "Expert"
    ASSOCIATE = "associate", "Associate member"


INDEPENDENT_ROLES = (PanelRole.INDEPENDENT_CHAIR, PanelRole.OVERVIEW_AUTHOR)


class Competence(models.TextChoices):
    """Solihull App 16: the author needs 1–4, the panel chair 2–5."""

    REPORT_WRITING = "1", "1. Report writing"
    CURRENT_KNOWLEDGE = "2", "2. Current knowledge of safeguarding practice"
    ANALYSIS = "3", "3. Analysis"
    PROCESS_MANAGEMENT = "4", "4. Child-focused management of the review process"
    CHAIRING_AND_MEDIA = "5", "5. Chairing and handling the media"


COMPETENCES_NEEDED = {
    PanelRole.OVERVIEW_AUTHOR: ("1", "2", "3", "4"),
    PanelRole.INDEPENDENT_CHAIR: ("2", "3", "4", "5"),
}


class PanelMembership(models.Model):
    """A person on one review's panel. Appointed and removed only through reviews.services, which grants
    and withdraws their object permissions on this review alone."""

    review = of_review("panel")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="panel_memberships"
    )
    role = models.CharField(max_length=30, choices=PanelRole.choices)
    organisation = models.CharField(max_length=200)
    post = models.CharField(max_length=200)
    appointed_by, appointed_at = who_and_when()
    removed_by, removed_at = who_and_when(null=True, blank=True)
    removal_reason = models.TextField(blank=True)
    # The independent appointment (Solihull §3.1.3–3.1.4, App 16); asked of the chair and the author.
    competences = models.JSONField(default=list, blank=True)
    competence_evidence = models.TextField(blank=True)
    indemnity_confirmed = models.BooleanField(default=False)
    supervision_confirmed = models.BooleanField(default=False)
    data_protection_confirmed = models.BooleanField(default=False)
    contract_issued_on = models.DateField(null=True, blank=True)
    # 'Should' rules the LSCB Chair overrode, and why (domain brief §2.2 build note).
    overridden_rules = models.JSONField(default=list, blank=True)
    override_reason = models.TextField(blank=True)
    override_by = user_field(null=True, blank=True)

    class Meta:
        ordering = ["review", "role", "pk"]
        indexes = [models.Index(fields=["review", "role"]), models.Index(fields=["user"])]
        constraints = [
            models.UniqueConstraint(
                fields=["review"],
                condition=Q(role="independent_chair", removed_at__isnull=True),
                name="panel_one_active_chair",
            ),
            models.UniqueConstraint(
                fields=["review"],
                condition=Q(role="overview_author", removed_at__isnull=True),
                name="panel_one_active_author",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} on {self.review}"

    @property
    def is_active(self) -> bool:
        return self.removed_at is None

    @property
    def is_independent(self) -> bool:
        return self.role in INDEPENDENT_ROLES


class ConflictDeclaration(Recorded):
    """What the appointee declared before appointment: the answers to the independence questions, any
    other interest, who declared and when, and who approved an override."""

    membership = models.OneToOneField(PanelMembership, on_delete=models.CASCADE, related_name="declaration")
    answers = models.JSONField(default=dict)
    other_interests = models.TextField(blank=True)
    declarant = user_field()
    declared_on = models.DateField()
    approver = user_field(null=True, blank=True)

    def __str__(self) -> str:
        return f"Declaration for {self.membership}"
