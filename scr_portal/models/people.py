"""The shared domain: boards (the tenant), their agencies, people and their role memberships, and the
transition log every workflow writes to."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.functions import Lower


class Nation(models.TextChoices):
    """Which UK bank holidays a board's working days skip (domain brief, "Decisions already taken")."""

    ENGLAND_AND_WALES = "england-and-wales", "England and Wales"
    SCOTLAND = "scotland", "Scotland"
    NORTHERN_IRELAND = "northern-ireland", "Northern Ireland"


class Role(models.TextChoices):
    """Board-level roles. Panel and IMR-author roles are held per review or per commission instead."""

    BUSINESS_MANAGER = "business_manager", "Business manager"
    BUSINESS_SUPPORT = "business_support", "Business support officer"
    LSCB_CHAIR = "lscb_chair", "LSCB Chair"
    SUBCOMMITTEE_MEMBER = "subcommittee_member", "SCR sub-committee member"
    AGENCY_CONTACT = "agency_contact", "Agency contact or chief officer"
    HEAD_OF_AGENCY = "head_of_agency", "Head of agency (signs off the agency's IMRs)"
    # England 2023 (domain brief §10): the lead of one of the three safeguarding partners, who confirms
    # the partners' decision for their agency.
    PARTNER_LEAD = "partner_lead", "Safeguarding partner lead"
    AUDITOR = "auditor", "Auditor (read only)"


BUSINESS_UNIT_ROLES = frozenset({Role.BUSINESS_MANAGER, Role.BUSINESS_SUPPORT})
# Roles held for one agency: the membership names it.
AGENCY_ROLES = frozenset({Role.AGENCY_CONTACT, Role.HEAD_OF_AGENCY, Role.PARTNER_LEAD})


class GovernanceModel(models.TextChoices):
    """Domain brief §9, GOVERNANCE_MODEL: Cambridgeshire's two tiers (§2, §7) or Solihull's one (§1.3.1)."""

    TWO_TIER = "two_tier", "Two tiers: the SCR sub-committee screens, then a panel runs each review"
    ONE_TIER = "one_tier", "One tier: the review panel advises the Chair and scopes the review"


class NotifyBody(models.TextChoices):
    """Domain brief §9, DECISION_NOTIFY_BODIES: who is told of the Chair's decision. The first three the
    business unit tells (Cambridgeshire §5; Solihull §1.6.3); the others are the regulators' prompts of
    Solihull §5.1.3, which the agencies send."""

    OFSTED = "ofsted", "Ofsted"
    DFE = "dfe", "The DfE"
    NATIONAL_PANEL = "national_panel", "The National Panel"
    SHA_CQC = "sha_cqc", "Health commissioners tell their SHA and the CQC"
    HMIC = "hmic", "The police tell HM Inspectorate of Constabulary"
    HMIP = "hmip", "NOMS tells HM Inspectorates of Prisons and of Probation"


REGULATOR_PROMPTS = (NotifyBody.SHA_CQC, NotifyBody.HMIC, NotifyBody.HMIP)


class NamedRole(models.TextChoices):
    """Domain brief §9, NAMED_ROLES: who the published report names (DCSF 2009 ¶3.10)."""

    LSCB_CHAIR = "lscb_chair", "LSCB Chair"
    PANEL_CHAIR = "panel_chair", "Panel chair"
    OVERVIEW_AUTHOR = "overview_author", "Overview author"
    PANEL_MEMBERS = "panel_members", "Panel members by name (otherwise by post and organisation)"


class StaffReviewScope(models.TextChoices):
    """Domain brief §9, STAFF_REVIEW_SCOPE: what staff who took part see (Solihull §9.1.9; Bolton)."""

    EXTRACTS = "extracts", "Extracts that concern them"
    FULL = "full", "The whole IMR and the final report"


def default_notify_bodies() -> list[str]:
    return [*NotifyBody.values]


def default_named_roles() -> list[str]:
    return [NamedRole.LSCB_CHAIR, NamedRole.PANEL_CHAIR, NamedRole.OVERVIEW_AUTHOR]


class Board(models.Model):
    """A Local Safeguarding Children Board: the root of every case record and of every permission."""

    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=20, help_text="Used in case references, for example CPSCB.")
    nation = models.CharField(
        max_length=20,
        choices=Nation.choices,
        default=Nation.ENGLAND_AND_WALES,
        help_text="Decides which bank holidays are skipped when working days are counted.",
    )
    address = models.TextField(blank=True, help_text="Postal address printed on letters.")
    logo = models.FileField(upload_to="board-logos/", blank=True)
    secure_mailbox = models.EmailField(
        blank=True, help_text="Secure email address agencies use to send papers to the business unit."
    )
    phone = models.CharField(max_length=40, blank=True)
    contact_email = models.EmailField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    retention_years = models.PositiveSmallIntegerField(
        "Keep case papers for this many years",
        default=7,
        help_text="From the review's closure, or from the decision for a referral that led to no review.",
    )
    # Reminder schedule (domain brief, "Decisions already taken"): copied into each deadline as it opens.
    remind_at_half_time = models.BooleanField("Remind when half the time has gone", default=True)
    remind_working_days_before = models.PositiveSmallIntegerField(
        "Remind this many working days before the due date", default=2, help_text="0 for no such reminder."
    )
    remind_on_due_day = models.BooleanField("Remind on the due date", default=True)
    escalation_interval_working_days = models.PositiveSmallIntegerField(
        "Escalate overdue deadlines every this many working days", default=5
    )
    review_framework = models.CharField(
        "Review framework",
        max_length=40,
        default="scr-2010-2015",
        help_text="The statutory process new cases follow (scr_portal.frameworks). A case keeps the "
        "framework it was opened under until it closes.",
    )
    # The switches of domain brief §9, with its recommended defaults (issue 15, clause 8).
    governance_model = models.CharField(
        "Who recommends to the Chair", max_length=10, choices=GovernanceModel.choices, default="two_tier"
    )
    publish_requires_evaluation = models.BooleanField(
        "Publish only after Ofsted's evaluation",
        default=True,
        help_text="Solihull §8.1.9 (after Ofsted's points are addressed); an override needs a reason.",
    )
    decision_notify_bodies = models.JSONField(
        "Who is told of the Chair's decision",
        default=default_notify_bodies,
        help_text="Cambridgeshire §5 (Ofsted, National Panel); Solihull §1.6.3, §5.1.3 (DfE, regulators).",
    )
    publish_overview_report = models.BooleanField(
        "Publish the overview report as well as the executive summary",
        default=True,
        help_text="Solihull §8.1.9; Cambridgeshire §13. Withholding it then needs a reason.",
    )
    named_roles = models.JSONField(
        "Who the published report names", default=default_named_roles, help_text="DCSF 2009 ¶3.10."
    )
    staff_review_scope = models.CharField(
        "What staff who took part see",
        max_length=10,
        choices=StaffReviewScope.choices,
        default="extracts",
        help_text="Solihull §9.1.9 (extracts) or Bolton's leaflet (the whole IMR and final report).",
    )

    class Meta:
        ordering = ["name"]
        permissions = [
            ("work_cases", "Work on the board's cases (business unit)"),
            ("manage_board", "Manage the board's settings and people"),
            ("decide_referrals", "Decide whether a review is held (LSCB Chair)"),
            ("screen_referrals", "Screen referrals (SCR sub-committee)"),
            ("answer_agency_requests", "Answer requests addressed to an agency"),
            ("audit_board", "Read the board's records for audit"),
        ]

    def __str__(self) -> str:
        return self.name


class AgencyKind(models.TextChoices):
    CHILDRENS_SOCIAL_CARE = "childrens_social_care", "Children's social care"
    POLICE = "police", "Police"
    HEALTH_TRUST = "health_trust", "Health trust"
    PRIMARY_CARE = "primary_care", "GP or primary care"
    EDUCATION = "education", "School or education"
    PROBATION = "probation", "Probation"
    YOUTH_JUSTICE = "youth_justice", "Youth justice"
    ADULT_SOCIAL_CARE = "adult_social_care", "Adult social care"
    HOUSING = "housing", "Housing"
    VOLUNTARY = "voluntary", "Voluntary or community organisation"
    OTHER = "other", "Other"


class SafeguardingPartner(models.TextChoices):
    """The three statutory safeguarding partners of England 2023 (domain brief §10)."""

    LOCAL_AUTHORITY = "local_authority", "Local authority"
    POLICE = "police", "Police"
    INTEGRATED_CARE_BOARD = "integrated_care_board", "Integrated care board"


class Agency(models.Model):
    """An organisation the board writes to. It may be outside the board's area (domain brief §4.1)."""

    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="agencies")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=40, choices=AgencyKind.choices)
    out_of_area = models.BooleanField(default=False)
    core_member = models.BooleanField(
        default=False, help_text="Core LSCB members receive every notice that a review has been requested."
    )
    partner = models.CharField(
        "Safeguarding partner",
        max_length=30,
        choices=SafeguardingPartner.choices,
        blank=True,
        help_text="Which of the three safeguarding partners this agency is, if it is one (England 2023).",
    )
    chief_officer_name = models.CharField(max_length=200, blank=True)
    chief_officer_title = models.CharField(max_length=200, blank=True)
    contact_email = models.EmailField(blank=True)
    address = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"
        constraints = [models.UniqueConstraint(fields=["board", "name"], name="agency_unique_name_per_board")]

    def __str__(self) -> str:
        return self.name


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)


class NotificationPreference(models.TextChoices):
    EACH = "each", "An email for each reminder"
    DAILY_DIGEST = "daily_digest", "One email a day listing all reminders"


class User(AbstractUser):
    """A person who signs in. Identified by email; roles come from memberships of boards."""

    username = None
    first_name = None
    last_name = None
    email = models.EmailField("email address", unique=True)
    full_name = models.CharField(max_length=200)
    job_title = models.CharField(max_length=200, blank=True)
    organisation = models.CharField(max_length=200, blank=True)
    reminder_delivery = models.CharField(
        max_length=20, choices=NotificationPreference.choices, default=NotificationPreference.EACH
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    objects = UserManager()

    class Meta:
        ordering = ["full_name"]
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class Membership(models.Model):
    """A user's role on one board. Granted and revoked only through `scr_portal.services`, which keeps the
    object permissions (django-guardian) in step."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=40, choices=Role.choices)
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contacts",
        help_text="Required for agency contacts, heads of agency and partner leads: the agency they "
        "answer for.",
    )
    granted_at = models.DateTimeField(auto_now_add=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["board", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "board", "role"], name="membership_unique_role"),
            models.CheckConstraint(
                condition=~models.Q(role__in=["agency_contact", "head_of_agency", "partner_lead"])
                | models.Q(agency__isnull=False),
                name="membership_agency_role_has_agency",
            ),
        ]
        indexes = [models.Index(fields=["board", "role"])]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} ({self.board})"


class TransitionLog(models.Model):
    """One row per state change of any workflow object: who, when, from, to, and why. Written in the same
    transaction as the change by `scr_portal.services.transition_log_write`."""

    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="+")
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    transition = models.CharField(max_length=100)
    from_state = models.CharField(max_length=60)
    to_state = models.CharField(max_length=60)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    reason = models.TextField(blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id", "at"])]

    def __str__(self) -> str:
        return f"{self.transition}: {self.from_state} → {self.to_state}"
