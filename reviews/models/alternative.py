"""Alternative reviews (domain brief §4.8; Cambridgeshire §11–§13; Solihull App 1 Part 2): a review that is
not a serious case review — a partnership case review, a management review (learning day), a single-agency
IMR, an inter-agency case audit, a key-themes report or another process — with the people who conduct it,
its planned steps, its output document and its own small life:

    planning → under_way (people appointed) → output_received (output uploaded, earlier steps done)
             → output_accepted (recommendations recorded in the review's action plan)

After acceptance the review itself enters MONITORING and shares the action-plan machinery to closure.
Transitions only set fields; `reviews.services.alternative` locks, checks permission and guards, logs."""

from dataclasses import dataclass

from django.db import models
from django_fsm import FSMField, transition

from scr_portal.models import Agency, StoredFile
from scr_portal.models.fields import user_field, who_and_when
from scr_portal.models.fsm import ConcurrentTransitionMixin

from .review import ReviewType, of_review


class AlternativeState(models.TextChoices):
    PLANNING = "planning", "Planning"
    UNDER_WAY = "under_way", "Under way"
    OUTPUT_RECEIVED = "output_received", "Output received"
    OUTPUT_ACCEPTED = "output_accepted", "Output accepted"
    CANCELLED = "cancelled", "Cancelled"


# The states an alternative review does not leave (issue 16): after acceptance the review itself moves on.
ALTERNATIVE_FINAL_STATES = (AlternativeState.OUTPUT_ACCEPTED, AlternativeState.CANCELLED)


@dataclass(frozen=True)
class StepDefinition:
    code: str
    label: str
    output: bool = False  # done by uploading the output document


# The planned steps of each type, in order (Cambridgeshire §11–§12 describe what each type does and
# produces; the steps are the portal's reading of them). The step marked `output` is done by uploading the
# output document; acceptance of the output is the record's own transition, not a step.
STEPS_BY_TYPE: dict[str, tuple[StepDefinition, ...]] = {
    ReviewType.PARTNERSHIP: (
        StepDefinition("scope_agreed", "Scope agreed by the panel"),
        StepDefinition("information_gathered", "Information gathered from the agencies"),
        StepDefinition("panel_meeting", "Panel meeting held"),
        StepDefinition("summary_report", "Summary report with recommendations", output=True),
    ),
    ReviewType.MANAGEMENT: (
        StepDefinition("facilitator_appointed", "Facilitator appointed by the panel"),
        StepDefinition("participants_invited", "Practitioners and managers invited"),
        StepDefinition("learning_day_held", "Learning day held"),
        StepDefinition("learning_report", "Report with recommendations for the panel", output=True),
    ),
    ReviewType.SINGLE_AGENCY: (
        StepDefinition("agency_commissioned", "Agency commissioned to write the IMR"),
        StepDefinition("imr_received", "IMR received", output=True),
    ),
    ReviewType.AUDIT: (
        StepDefinition("audit_scope_agreed", "Scope and audit tool agreed"),
        StepDefinition("case_files_audited", "Case files audited"),
        StepDefinition("audit_report", "Audit report", output=True),
    ),
    ReviewType.KEY_THEMES: (
        StepDefinition("notifications_gathered", "Notifications gathered"),
        StepDefinition("themes_analysed", "Themes analysed"),
        StepDefinition("themes_report", "Summary report shaping the audit schedule", output=True),
    ),
    ReviewType.OTHER: (
        StepDefinition("process_agreed", "Process and scope agreed"),
        StepDefinition("work_done", "Review work carried out"),
        StepDefinition("other_report", "Report with recommendations", output=True),
    ),
}
ALTERNATIVE_TYPES = frozenset(STEPS_BY_TYPE)
STEP_LABELS = {step.code: step.label for steps in STEPS_BY_TYPE.values() for step in steps}

# Who conducts each type (domain brief §4.8, "Conducted by"), as the appointment page asks for them.
LEAD_ROLE_LABELS = {
    ReviewType.PARTNERSHIP: "Panel lead",
    ReviewType.MANAGEMENT: "Facilitator",
    ReviewType.SINGLE_AGENCY: "Lead agency",
    ReviewType.AUDIT: "Auditor",
    ReviewType.KEY_THEMES: "Quality & Effectiveness lead",
    ReviewType.OTHER: "Lead",
}
OUTPUT_LABELS = {
    ReviewType.PARTNERSHIP: "summary report",
    ReviewType.MANAGEMENT: "learning day report",
    ReviewType.SINGLE_AGENCY: "IMR",
    ReviewType.AUDIT: "audit report",
    ReviewType.KEY_THEMES: "key themes report",
    ReviewType.OTHER: "report",
}


class AcceptedBy(models.TextChoices):
    """Who accepted the output: the panel's chair (partnership, management reviews), the monitoring group
    of the type, or the LSCB Chair."""

    MONITORING_GROUP = "monitoring_group", "The monitoring group"
    PANEL_CHAIR = "panel_chair", "The panel chair"
    LSCB_CHAIR = "lscb_chair", "The LSCB Chair"


class AlternativeReview(ConcurrentTransitionMixin, models.Model):
    review = of_review("alternative", one=True)
    review_type = models.CharField(max_length=40, choices=ReviewType.choices)
    state = FSMField(default=AlternativeState.PLANNING, choices=AlternativeState.choices, protected=True)
    FINAL_STATES = frozenset(ALTERNATIVE_FINAL_STATES)
    created_at = models.DateTimeField()
    # The person who conducts it: a user of the board, or a named outside person with their organisation.
    lead_user = user_field(null=True, blank=True)
    lead_name = models.CharField(max_length=200, blank=True)
    lead_organisation = models.CharField(max_length=200, blank=True)
    lead_independent = models.BooleanField(default=False)
    lead_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    planned_completion = models.DateField(null=True, blank=True)
    appointed_by, appointed_at = who_and_when(null=True, blank=True)
    output_file = models.ForeignKey(
        StoredFile, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    output_received_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.CharField(max_length=30, choices=AcceptedBy.choices, blank=True)
    accepted_on = models.DateField(null=True, blank=True)
    acceptance_note = models.TextField(blank=True)
    acceptance_recorded_by = user_field(null=True, blank=True)
    cancelled_by, cancelled_at = who_and_when(null=True, blank=True)
    cancellation_reason = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"{self.get_review_type_display()} {self.review}"

    @property
    def lead_display(self) -> str:
        if self.lead_agency_id:
            return self.lead_agency.name
        if self.lead_user_id:
            return self.lead_user.full_name or self.lead_user.email
        if self.lead_name:
            return f"{self.lead_name}, {self.lead_organisation}" if self.lead_organisation else self.lead_name
        return ""

    @property
    def lead_role_label(self) -> str:
        return LEAD_ROLE_LABELS.get(self.review_type, "Lead")

    @property
    def output_label(self) -> str:
        return OUTPUT_LABELS.get(self.review_type, "report")

    @transition(field=state, source=AlternativeState.PLANNING, target=AlternativeState.UNDER_WAY)
    def start(self, *, at, by) -> None:
        """The people who conduct it are appointed."""
        self.appointed_at, self.appointed_by = at, by

    @transition(field=state, source=AlternativeState.UNDER_WAY, target=AlternativeState.OUTPUT_RECEIVED)
    def receive_output(self, *, at) -> None:
        self.output_received_at = at

    @transition(field=state, source=AlternativeState.OUTPUT_RECEIVED, target=AlternativeState.OUTPUT_ACCEPTED)
    def accept_output(self, *, by: str, on, note: str, recorded_by) -> None:
        self.accepted_by, self.accepted_on, self.acceptance_note = by, on, note
        self.acceptance_recorded_by = recorded_by

    @transition(
        field=state,
        source=[AlternativeState.PLANNING, AlternativeState.UNDER_WAY, AlternativeState.OUTPUT_RECEIVED],
        target=AlternativeState.CANCELLED,
        conditions=[lambda alternative: not alternative.accepted_on],
    )
    def cancel(self, *, at, by, reason: str) -> None:
        """Stopped before its output was accepted, with the LSCB Chair's reason (issue 16); the review it
        belongs to is stood down with it."""
        self.cancelled_at, self.cancelled_by, self.cancellation_reason = at, by, reason


class AlternativeStep(models.Model):
    """One planned step, kept across conversions: a step of an earlier type stays on record."""

    alternative = models.ForeignKey(AlternativeReview, on_delete=models.CASCADE, related_name="steps")
    review_type = models.CharField(max_length=40, choices=ReviewType.choices)
    position = models.PositiveSmallIntegerField()
    code = models.CharField(max_length=40)
    label = models.CharField(max_length=200)
    is_output = models.BooleanField(default=False)
    planned_on = models.DateField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    done_on = models.DateField(null=True, blank=True)
    done_by = user_field(null=True, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [models.UniqueConstraint(fields=["alternative", "code"], name="alternative_step_once")]

    def __str__(self) -> str:
        return self.label

    @property
    def is_done(self) -> bool:
        return self.done_at is not None
