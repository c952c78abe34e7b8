"""A referral from the moment a professional refers a child's case to the LSCB Chair's decision
(domain brief §4.1, §6.1–6.2). State changes are django-fsm transitions; `referrals.services` locks the
row, checks permission, calls the transition, saves and writes the transition log in one transaction."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django_fsm import RETURN_VALUE, FSMField, transition

from scr_portal import frameworks
from scr_portal.models import Agency, Board
from scr_portal.models.fields import Recorded, user_field, who_and_when
from scr_portal.models.fsm import ConcurrentTransitionMixin, move
from scr_portal.models.tracking import track_changes

from .decisions import rescind_blockers


class CriteriaFramework(models.Model):
    """A versioned set of screening criteria: its questions, and the rules that turn the answers into advice
    (`referrals.criteria`). The portal ships the SCR criteria of Working Together 2015 as applied by
    Cambridgeshire and Sunderland (domain brief §3, §9) and the England 2023 criteria (§10); each review
    framework (`scr_portal.frameworks`) names the criteria it uses."""

    code = models.SlugField(max_length=40)
    version = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=200)
    active = models.BooleanField(default=True)
    # The rules that turn the answers into advice, and the notes they add (referrals/criteria.py).
    rules = models.JSONField(
        default=list, blank=True, help_text="Ordered: the first that holds gives the advice."
    )
    notes = models.JSONField(default=list, blank=True, help_text="Reasons added whenever they hold.")

    class Meta:
        ordering = ["code", "-version"]
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="criteria_framework_version")]

    def __str__(self) -> str:
        return f"{self.name} (version {self.version})"


class CriterionGroup(models.TextChoices):
    ABUSE = "abuse", "Abuse or neglect"
    MANDATORY = "mandatory", "Mandatory review"
    CUSTODY = "custody", "Always reviewed (custody)"
    CONSIDER = "consider", "Consider a review"
    GATE = "gate", "Working together"
    HELPER = "helper", "Would a review yield lessons?"
    SERIOUS = "serious", "Serious child safeguarding case"
    LOCAL_REVIEW = "local_review", "Would a local review be appropriate?"


class CriterionQuestion(models.Model):
    framework = models.ForeignKey(CriteriaFramework, on_delete=models.CASCADE, related_name="questions")
    code = models.CharField(max_length=10)
    group = models.CharField(max_length=20, choices=CriterionGroup.choices)
    text = models.TextField()
    source = models.CharField(max_length=300)
    order = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["framework", "order"]
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="criterion_code_unique")]

    def __str__(self) -> str:
        return f"{self.code}: {self.text[:60]}"


class Advice(models.TextChoices):
    MUST_REVIEW = "must_review", "Must review"
    MUST_REVIEW_CUSTODY = "must_review_custody", "Must review (death in custody)"
    CONSIDER = "consider", "Consider a review"
    BELOW_THRESHOLD = "below_threshold", "Below the threshold"
    NOTIFY_PANEL = "notify_panel", "Serious child safeguarding case: notify the Panel"


class ReferralState(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    AGENCY_CHECKS = "agency_checks", "Agency checks"
    SCREENING_SCHEDULED = "screening_scheduled", "Screening scheduled"
    RECOMMENDED = "recommended", "Recommended"
    DECIDED = "decided", "Decided"
    WITHDRAWN = "withdrawn", "Withdrawn"
    TRANSFERRED = "transferred", "Transferred"
    DUPLICATE = "duplicate", "Closed as a duplicate"


PRE_DECISION = [
    ReferralState.DRAFT,
    ReferralState.SUBMITTED,
    ReferralState.AGENCY_CHECKS,
    ReferralState.SCREENING_SCHEDULED,
    ReferralState.RECOMMENDED,
]
PRE_DECISION_SUBMITTED = PRE_DECISION[1:]


class CpPlan(models.TextChoices):
    NOW = "now", "Yes, now"
    BEFORE = "before", "Yes, in the past"
    NO = "no", "No"
    UNKNOWN = "unknown", "Not known"


class Trigger(models.TextChoices):
    """Triggering circumstances, codes (a)–(e) of the referral form (Solihull App 1 Part 1 §5)."""

    A = "a", "(a) The child has died"
    B = "b", "(b) Life-threatening injury, serious sexual abuse, or serious and permanent impairment"
    C = "c", "(c) A parent was murdered and a domestic homicide review has started"
    D = "d", "(d) The child was killed by a parent with a mental illness"
    E = "e", "(e) Concerns about how agencies worked together"


class Recommendation(models.TextChoices):
    SCR = "scr", "Hold a serious case review"
    ALTERNATIVE = "alternative", "Hold an alternative review"
    NFA = "nfa", "No further action"


class AlternativeType(models.TextChoices):
    PARTNERSHIP = "partnership_case_review", "Partnership case review"
    MANAGEMENT = "management_review", "Management review (learning day)"
    SINGLE_AGENCY = "single_agency_imr", "Single-agency IMR"
    AUDIT = "inter_agency_audit", "Inter-agency case audit"
    KEY_THEMES = "key_themes_report", "Key themes report"
    OTHER = "other", "Other"


# The referral state machine as review frameworks name it (scr_portal.frameworks; referrals/frameworks.py).
REFERRAL_MACHINE = "referrals.Referral.state"


class Referral(ConcurrentTransitionMixin, models.Model):
    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="referrals")
    reference = models.CharField(max_length=40, unique=True)
    state = FSMField(default=ReferralState.DRAFT, choices=ReferralState.choices, protected=True)
    FINAL_STATES = frozenset(
        {ReferralState.DECIDED, ReferralState.WITHDRAWN, ReferralState.TRANSFERRED, ReferralState.DUPLICATE}
    )
    created_by = user_field()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Part 1: the referrer
    referrer_name = models.CharField(max_length=200, blank=True)
    referrer_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    referrer_job_title = models.CharField(max_length=200, blank=True)
    referrer_email = models.EmailField(blank=True)
    referrer_phone = models.CharField(max_length=40, blank=True)
    referrer_line_manager = models.CharField(max_length=200, blank=True)
    entered_on_behalf = models.BooleanField(default=False)
    received_on = models.DateField(null=True, blank=True, help_text="Date the business unit received it.")
    # England 2023: the local authority's five working days to notify run from here (domain brief §10).
    aware_on = models.DateField(
        null=True, blank=True, help_text="Date the local authority became aware of the incident."
    )

    # Part 1: the child
    child_name = models.CharField(max_length=200, blank=True)
    child_date_of_birth = models.DateField(null=True, blank=True)
    child_date_of_death = models.DateField(null=True, blank=True)
    incident_date = models.DateField(null=True, blank=True)
    child_address = models.TextField(blank=True)
    child_ethnicity = models.CharField(max_length=100, blank=True)
    child_cp_plan = models.CharField(max_length=10, choices=CpPlan.choices, blank=True)
    child_whereabouts = models.TextField(
        blank=True, help_text="Where the child was at the time of the incident."
    )
    child_carer = models.CharField(max_length=200, blank=True, help_text="Who was caring for the child.")

    # Part 1: circumstances
    brief_account = models.TextField(blank=True)
    triggers = models.JSONField(default=list, blank=True)
    trigger_account = models.TextField(blank=True)
    other_children_at_risk = models.TextField(blank=True)
    designated_professional_consulted = models.BooleanField(null=True)
    csc_referral_made = models.BooleanField(null=True)
    media_interest = models.BooleanField(null=True)
    lead_board_is_this_board = models.BooleanField(null=True)
    lead_board_name = models.CharField(max_length=200, blank=True)

    review_framework = models.CharField(
        max_length=40, default="scr-2010-2015", help_text="The board's framework the day the case was opened."
    )

    # The §3 checklist and the advice computed from it
    framework = models.ForeignKey(CriteriaFramework, on_delete=models.PROTECT, null=True, blank=True)
    criteria_answers = models.JSONField(default=dict, blank=True)
    advice = models.CharField(max_length=30, choices=Advice.choices, blank=True)
    advice_reasons = models.JSONField(default=list, blank=True)

    submitted_at = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField(null=True, blank=True, help_text="When the clock started.")
    decided_at = models.DateTimeField(null=True, blank=True)
    closed_reason = models.TextField(blank=True)
    closed_at = models.DateTimeField(
        null=True, blank=True, help_text="When it was withdrawn, transferred or closed as a duplicate."
    )
    transferred_to = models.CharField(max_length=200, blank=True)
    duplicate_of = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-received_at", "-pk"]
        indexes = [
            models.Index(fields=["board", "state"]),
            models.Index(fields=["board", "received_at"]),
            models.Index(fields=["board", "advice"]),
            models.Index(fields=["created_by", "state"]),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def state_label(self) -> str:
        """The stage as the case's framework calls it, e.g. "Notified" for England 2023's "submitted"."""
        return frameworks.state_label(
            self.review_framework, REFERRAL_MACHINE, self.state, self.get_state_display()
        )

    @property
    def is_draft(self) -> bool:
        """Still with its referrer: opened at the check-answers page rather than the referral page."""
        return self.state == ReferralState.DRAFT

    # Transitions only set fields; guards that need the database live in referrals.services.
    @transition(field=state, source=ReferralState.DRAFT, target=ReferralState.SUBMITTED)
    def submit(self, *, at, received_at) -> None:
        self.submitted_at = at
        self.received_at = received_at

    @transition(
        field=state,
        source=PRE_DECISION_SUBMITTED,
        target=RETURN_VALUE(*PRE_DECISION_SUBMITTED[1:]),
        conditions=[lambda referral: referral.decided_at is None],
    )
    def send_agency_checks(self) -> str:
        """App 2 to some agencies: the first letters move a submitted referral on; later ones (again, or to
        agencies found later) leave it where it is, up to the decision."""
        return ReferralState.AGENCY_CHECKS if self.state == ReferralState.SUBMITTED else self.state

    schedule_screening = move(
        state,
        "schedule_screening",
        [ReferralState.SUBMITTED, ReferralState.AGENCY_CHECKS, ReferralState.SCREENING_SCHEDULED],
        ReferralState.SCREENING_SCHEDULED,
    )

    recommend = move(state, "recommend", ReferralState.SCREENING_SCHEDULED, ReferralState.RECOMMENDED)

    @transition(
        field=state,
        source=ReferralState.RECOMMENDED,
        target=ReferralState.DECIDED,
        # The named rules the case's framework adds (England 2023: each partner's lead confirmed).
        conditions=[
            lambda referral: (
                not frameworks.rules_failing(
                    referral.review_framework, "referrals.Referral.state", "decide", referral
                )
            )
        ],
    )
    def decide(self, *, at) -> None:
        self.decided_at = at

    @transition(
        field=state,
        source=ReferralState.DECIDED,
        target=ReferralState.RECOMMENDED,
        conditions=[lambda referral: not rescind_blockers(referral)],
    )
    def rescind(self) -> None:
        """The Chair rescinds the decision while no IMR is commissioned: back to awaiting the decision."""
        self.decided_at = None

    # Closing without a decision starts the retention period from `closed_at` (issue 16, clause 7).
    @transition(field=state, source=PRE_DECISION, target=ReferralState.WITHDRAWN)
    def withdraw(self, *, reason: str, at) -> None:
        self.closed_reason, self.closed_at = reason, at

    @transition(field=state, source=PRE_DECISION_SUBMITTED, target=ReferralState.TRANSFERRED)
    def transfer(self, *, lead_board: str, reason: str, at) -> None:
        self.transferred_to = lead_board
        self.closed_reason, self.closed_at = reason, at

    @transition(field=state, source=PRE_DECISION_SUBMITTED, target=ReferralState.DUPLICATE)
    def mark_duplicate(self, *, original: "Referral", reason: str, at) -> None:
        self.duplicate_of = original
        self.closed_reason, self.closed_at = reason, at


class FamilyMember(models.Model):
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="family")
    name = models.CharField(max_length=200)
    relationship = models.CharField(max_length=100)
    date_of_birth = models.DateField(null=True, blank=True)
    address = models.TextField(blank=True)
    legal_status = models.CharField(max_length=200, blank=True)
    ethnicity = models.CharField(max_length=100, blank=True)
    cp_plan = models.CharField(max_length=10, choices=CpPlan.choices, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["referral", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.relationship} of {self.referral}"


class InvolvedAgency(models.Model):
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="involved_agencies")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    worker_name = models.CharField(max_length=200, blank=True)
    contact_details = models.CharField(max_length=300, blank=True)
    still_involved = models.BooleanField(null=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["referral", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.agency} on {self.referral}"


class ChronologyEvent(models.Model):
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="key_dates")
    date = models.DateField()
    time = models.TimeField(null=True, blank=True)
    event = models.TextField()

    class Meta:
        ordering = ["referral", "date", "time", "pk"]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} on {self.referral}"


class AgencyCheckState(models.TextChoices):
    PENDING = "pending", "Waiting for a reply"
    INVOLVED = "involved", "Involved"
    NIL_RETURN = "nil_return", "Nil return"
    CANCELLED = "cancelled", "Not needed"
    UNANSWERED = "unanswered", "Not answered by the decision"


class AgencyCheck(ConcurrentTransitionMixin, models.Model):
    """The App 2 request to one agency: were you involved? Answered in the portal by the agency's contact,
    or recorded by the business unit from an emailed reply (domain brief §6.2)."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="agency_checks")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="checks")
    state = FSMField(default=AgencyCheckState.PENDING, choices=AgencyCheckState.choices, protected=True)
    FINAL_STATES = frozenset(
        {
            AgencyCheckState.INVOLVED,
            AgencyCheckState.NIL_RETURN,
            AgencyCheckState.CANCELLED,
            AgencyCheckState.UNANSWERED,
        }
    )
    sent_by, sent_at = who_and_when()
    records_secured_on = models.DateField(null=True, blank=True)
    open_file_copied = models.BooleanField(null=True)
    outline = models.TextField(blank=True)
    staff_told = models.BooleanField(null=True)
    respondent = user_field(null=True, blank=True)
    respondent_name = models.CharField(max_length=200, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    recorded_by_business_unit = models.BooleanField(default=False)

    class Meta:
        ordering = ["referral", "agency__name"]
        constraints = [models.UniqueConstraint(fields=["referral", "agency"], name="agency_check_once")]
        indexes = [
            models.Index(fields=["agency", "state"]),
            # The requests still waiting for a reply, by referral: the business unit's chase list and the
            # home page's count read only the board's own (issue 21), not every pending request nationally.
            models.Index(
                fields=["referral"], condition=models.Q(state="pending"), name="agency_check_pending"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency} check on {self.referral}"

    @property
    def awaiting_reply(self) -> bool:
        return self.state == AgencyCheckState.PENDING

    @property
    def involved(self) -> bool:
        return self.state == AgencyCheckState.INVOLVED

    @transition(field=state, source=AgencyCheckState.PENDING, target=AgencyCheckState.INVOLVED)
    def answer_involved(self, *, at, records_secured_on, open_file_copied, outline, staff_told) -> None:
        self.answered_at = at
        self.records_secured_on = records_secured_on
        self.open_file_copied = open_file_copied
        self.outline = outline
        self.staff_told = staff_told

    @transition(field=state, source=AgencyCheckState.PENDING, target=AgencyCheckState.NIL_RETURN)
    def answer_nil_return(self, *, at) -> None:
        self.answered_at = at

    # The referral closed without a decision (withdrawn, transferred, a duplicate).
    cancel = move(state, "cancel", AgencyCheckState.PENDING, AgencyCheckState.CANCELLED)
    # Still open when the Chair decided: a miss the reports count (issue 15), not "not needed".
    miss = move(state, "miss", AgencyCheckState.PENDING, AgencyCheckState.UNANSWERED)

    @transition(
        field=state,
        source=AgencyCheckState.UNANSWERED,
        target=AgencyCheckState.PENDING,
        conditions=[lambda check: check.answered_at is None],
    )
    def reopen(self, *, at, by) -> None:
        """Asked again after the decision that found it unanswered was rescinded."""
        self.sent_at, self.sent_by = at, by


class ScreeningMeeting(models.Model):
    """The sub-committee meeting that screens the referral and recommends to the Chair (domain brief §4.1,
    "→ RECOMMENDED"; Cambridgeshire §2, §7)."""

    referral = models.OneToOneField(Referral, on_delete=models.CASCADE, related_name="screening")
    meeting_date = models.DateField()
    scheduled_by = user_field()
    members_present = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    deputies = models.TextField(blank=True, help_text="Deputies attending for absent members, one a line.")
    written_reports = models.TextField(
        blank=True, help_text="Written reports accepted at the chair's discretion, one a line."
    )
    recommendation = models.CharField(max_length=20, choices=Recommendation.choices, blank=True)
    alternative_type = models.CharField(max_length=40, choices=AlternativeType.choices, blank=True)
    reasons = models.TextField(blank=True)
    draft_tor_notes = models.TextField(blank=True)
    suggested_author = models.CharField(max_length=200, blank=True)
    recommended_by, recommended_at = who_and_when(null=True, blank=True)
    # The rapid review's findings (England 2023, domain brief §10); its view on a review: the recommendation.
    immediate_actions = models.TextField(blank=True, help_text="Immediate safety actions taken or agreed.")
    learning = models.TextField(blank=True, help_text="Learning identified so far.")

    def __str__(self) -> str:
        return f"Screening of {self.referral}"


class Decision(models.Model):
    """Part 2 of the referral form: the LSCB Chair's decision (Solihull App 1 Part 2)."""

    referral = models.OneToOneField(Referral, on_delete=models.PROTECT, related_name="decision")
    outcome = models.CharField(max_length=20, choices=Recommendation.choices)
    alternative_type = models.CharField(max_length=40, choices=AlternativeType.choices, blank=True)
    reasons = models.TextField()
    departs_from_advice = models.BooleanField(default=False)
    members_consulted = models.TextField()
    legal_advice_sought = models.BooleanField()
    suggested_author = models.CharField(max_length=200, blank=True)
    decided_by, decided_at = who_and_when()

    def __str__(self) -> str:
        return f"Decision on {self.referral}: {self.get_outcome_display()}"


class ExternalBody(models.TextChoices):
    OFSTED = "ofsted", "Ofsted"
    DFE = "dfe", "Department for Education"
    NATIONAL_PANEL = "national_panel", "National Panel of Independent Experts"
    CSPR_PANEL = "cspr_panel", "Child Safeguarding Practice Review Panel"


class NotificationEvent(models.TextChoices):
    INCIDENT = "incident", "Serious incident"
    DECISION = "decision", "Decision"


class ExternalNotification(Recorded):
    """What was sent to an outside body, when and how, with the anonymised text that went."""

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="notifications")
    body = models.CharField(max_length=20, choices=ExternalBody.choices)
    event = models.CharField(max_length=20, choices=NotificationEvent.choices)
    sent_on = models.DateField()
    method = models.CharField(max_length=100)
    their_reference = models.CharField(max_length=100, blank=True)
    anonymised_text = models.TextField()

    class Meta:
        ordering = ["sent_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["referral", "body", "event"],
                name="notification_once_per_event",
                condition=~Q(body=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_body_display()} told of {self.get_event_display().lower()} on {self.referral}"


from .partners import PanelResponse, PanelResponseKind, PartnerConfirmation  # noqa: E402, F401 — the app's models

# Change history (scr_portal/history.py): the referral, its family rows, agency checks and the decision.
track_changes(
    Referral,
    FamilyMember,
    InvolvedAgency,
    ChronologyEvent,
    AgencyCheck,
    ScreeningMeeting,
    Decision,
    ExternalNotification,
    PartnerConfirmation,
    PanelResponse,
)
