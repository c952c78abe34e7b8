"""The review that the LSCB Chair's decision sets off, and its life from set-up to closure (domain brief
§4.2). The transitions below only set fields; `reviews.services` locks the row, checks permission and the
guard, calls the transition, saves, logs and moves the deadlines, all in one transaction."""

from django.db import models
from django_fsm import RETURN_VALUE, FSMField, transition

from scr_portal import frameworks
from scr_portal.models import Board
from scr_portal.models.fields import who_and_when
from scr_portal.models.fsm import ConcurrentTransitionMixin, move


class ReviewType(models.TextChoices):
    SCR = "scr", "Serious case review"
    LCSPR = "lcspr", "Local child safeguarding practice review"
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
    # Stopped before adoption, on the LSCB Chair's approval with a reason (issue 16). Last, so that the
    # stages above keep their order and `_next_stage` its meaning.
    STOOD_DOWN = "stood_down", "Stood down"


# The review each framework holds when its decision-makers decide to hold one (`reviews.frameworks`): it has
# the panel, the terms of reference, the agencies' reports, the reviewer's report and its adoption. Every
# other type is an alternative review with its own steps (domain brief §4.8).
FULL_REVIEW_TYPES = frozenset({ReviewType.SCR, ReviewType.LCSPR})


# The states a review does not leave: declared here once (issue 16).
FINAL_STATES = (ReviewState.CLOSED, ReviewState.STOOD_DOWN)
# The order of the states, for "has the review reached X yet?" questions.
STATE_ORDER = {state: position for position, state in enumerate(ReviewState.values)}
# Where a review can be stood down from: anywhere before the LSCB adopted it.
BEFORE_ADOPTION = [
    state for state in ReviewState.values if STATE_ORDER[state] < STATE_ORDER[ReviewState.ADOPTED]
]
# Where an alternative review (or a converted SCR) can be when its output is accepted.
BEFORE_MONITORING = [
    state for state in ReviewState.values if STATE_ORDER[state] < STATE_ORDER[ReviewState.MONITORING]
]


def _next_stage(state, name: str, source: str):
    """The transition `name` from `source` to the stage after it, which only moves the state."""
    return move(state, name, source, ReviewState.values[STATE_ORDER[source] + 1])


def _not_adopted(review) -> bool:
    """Once the LSCB adopted the review there is no going back to drafting or standing it down."""
    return not hasattr(review, "adoption")


def _framework_uses(name: str):
    """A condition: the review's framework uses the transition `name` (scr_portal.frameworks)."""

    def uses(review) -> bool:
        return frameworks.uses_transition(review.review_framework, MACHINE, name)

    uses.__name__ = f"framework_uses_{name}"
    return uses


MACHINE = "reviews.Review.state"


class Methodology(models.TextChoices):
    """Whichever is used must meet Working Together 2015's five principles (Cambridgeshire §5–§6)."""

    LEARNING_TOGETHER = "learning_together", "SCIE Learning Together"
    SILP = "silp", "Significant Incident Learning Process (SILP)"
    ROOT_CAUSE = "root_cause", "Root cause analysis"
    SYSTEMS = "systems", "Systems approach"
    OTHER = "other", "Other"


class Review(ConcurrentTransitionMixin, models.Model):
    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="reviews")
    referral = models.OneToOneField(
        "referrals.Referral", on_delete=models.PROTECT, null=True, blank=True, related_name="review"
    )
    reference = models.CharField(max_length=40, unique=True)
    review_type = models.CharField(max_length=40, choices=ReviewType.choices)
    review_framework = models.CharField(
        max_length=40, default="scr-2010-2015", help_text="The framework of its case, kept to closure."
    )
    state = FSMField(default=ReviewState.SETUP, choices=ReviewState.choices, protected=True)
    FINAL_STATES = frozenset(FINAL_STATES)  # closed or stood down, declared once above
    decision_date = models.DateField()
    created_by, created_at = who_and_when()
    methodology = models.CharField(max_length=30, choices=Methodology.choices, blank=True)
    methodology_detail = models.TextField(
        blank=True, help_text="How the methodology is applied, or which one when it is 'other'."
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-decision_date", "-pk"]
        indexes = [models.Index(fields=["board", "state"]), models.Index(fields=["board", "review_type"])]
        permissions = [
            ("comment_on_review", "Comment on the review's drafts (panel member)"),
            ("upload_review_reports", "Upload the overview report and executive summary (overview author)"),
        ]

    def __str__(self) -> str:
        return self.reference

    def reached(self, state: str) -> bool:
        return STATE_ORDER[self.state] >= STATE_ORDER[state]

    @property
    def is_open(self) -> bool:
        return self.state not in FINAL_STATES

    @property
    def is_full_review(self) -> bool:
        """The review its framework holds (a serious case review, a local child safeguarding practice
        review), not an alternative one."""
        return self.review_type in FULL_REVIEW_TYPES

    @property
    def framework(self) -> frameworks.Framework:
        return frameworks.get(self.review_framework)

    @property
    def words(self) -> dict[str, str]:
        """The framework's words for the pages: `review.words.review`, `review.words.national_body`."""
        return self.framework.wording

    @property
    def state_label(self) -> str:
        """The state as the review's framework names it."""
        return frameworks.state_label(self.review_framework, MACHINE, self.state, self.get_state_display())

    # --- Transitions (domain brief §4.2). Each only moves the state; guards live in the services. A serious
    # case review moves through the stages one by one, in the order of ReviewState. ---

    # Both independent appointments made.
    start_scoping = _next_stage(state, "start_scoping", ReviewState.SETUP)
    # The LSCB Chair approved a version of the terms of reference.
    approve_tor = _next_stage(state, "approve_tor", ReviewState.SCOPING)
    # App 5 letters sent: one IMR per involved agency.
    commission_imrs = _next_stage(state, "commission_imrs", ReviewState.TOR_APPROVED)
    # The authors have been briefed and are writing.
    start_imrs = _next_stage(state, "start_imrs", ReviewState.IMRS_COMMISSIONED)
    # Every IMR accepted or a nil return; the presentation meeting is set.
    schedule_presentation = _next_stage(state, "schedule_presentation", ReviewState.IMRS_IN_PROGRESS)
    # The presentation meeting took place.
    hold_presentation = _next_stage(state, "hold_presentation", ReviewState.PRESENTATION_SCHEDULED)
    # The overview author drafts.
    start_overview = _next_stage(state, "start_overview", ReviewState.PRESENTATION_HELD)
    # The final draft goes to every IMR author.
    send_final_draft = _next_stage(state, "send_final_draft", ReviewState.OVERVIEW_DRAFTING)
    # Every IMR author confirmed, or each dispute resolved.
    start_exec_summary = _next_stage(state, "start_exec_summary", ReviewState.FAIR_REPRESENTATION_CHECK)
    # The panel quality-assures the full SCR.
    start_panel_qa = _next_stage(state, "start_panel_qa", ReviewState.EXEC_SUMMARY_DRAFTING)
    # The LSCB adopted the full SCR.
    adopt = _next_stage(state, "adopt", ReviewState.PANEL_QA)

    @transition(
        field=state,
        source=[ReviewState.FAIR_REPRESENTATION_CHECK, ReviewState.PANEL_QA],
        target=ReviewState.OVERVIEW_DRAFTING,
        conditions=[_not_adopted],
    )
    def return_to_drafting(self) -> None:
        """An IMR author's dispute or the panel's quality assurance sends the overview back to its author
        (Solihull §13.1.6, §14.1.1); a new final draft goes out again for fair representation."""

    @transition(field=state, source=BEFORE_ADOPTION, target=ReviewState.STOOD_DOWN, conditions=[_not_adopted])
    def stand_down(self, *, at) -> None:
        """The LSCB Chair stood the review down with a reason; the retention clock starts as at closure."""
        self.closed_at = at

    # The full SCR went to Ofsted (the six-month target).
    submit_to_ofsted = _next_stage(state, "submit_to_ofsted", ReviewState.ADOPTED)

    @transition(
        field=state,
        source=[ReviewState.SUBMITTED_TO_OFSTED, ReviewState.PUBLISHED, ReviewState.MONITORING],
        target=RETURN_VALUE(ReviewState.EVALUATED, ReviewState.PUBLISHED, ReviewState.MONITORING),
        conditions=[_framework_uses("record_evaluation")],
    )
    def record_evaluation(self) -> str:
        """Ofsted's evaluation letter arrived (after publication too, where the board published first or
        stopped waiting for it): only a letter before publication moves the review on."""
        return ReviewState.EVALUATED if self.state == ReviewState.SUBMITTED_TO_OFSTED else self.state

    @transition(
        field=state,
        source=[ReviewState.SUBMITTED_TO_OFSTED, ReviewState.EVALUATED],
        target=ReviewState.PUBLISHED,
    )
    def publish(self) -> None:
        """The board published: after Ofsted's evaluation, or before it where the board does not wait for
        it, its time for the letter ran out, or the LSCB Chair overrode with a reason (domain brief §9,
        PUBLISH_REQUIRES_EVALUATION; the service checks, and holds it while a blocking process is open)."""

    # The monitoring group follows the action plan.
    start_monitoring = _next_stage(state, "start_monitoring", ReviewState.PUBLISHED)

    @transition(
        field=state,
        source=BEFORE_MONITORING,
        target=ReviewState.MONITORING,
        conditions=[lambda review: not review.is_full_review],
    )
    def monitor_alternative(self) -> None:
        """An alternative review's output was accepted with its recommendations: the monitoring group of
        its type follows the action plan (domain brief §4.8). Not for the review the framework holds, which
        gets there through adoption, the copy to the national body and publication. The service also
        checks the output is accepted."""

    @transition(field=state, source=ReviewState.MONITORING, target=ReviewState.CLOSED)
    def close(self, *, at) -> None:
        """The LSCB signed off the action plan as complete; the retention clock starts."""
        self.closed_at = at


def of_review(related_name: str, *, one: bool = False) -> models.ForeignKey:
    """The review a record belongs to, and goes with; `one=True` for the review's only record of its kind."""
    field = models.OneToOneField if one else models.ForeignKey
    return field(Review, on_delete=models.CASCADE, related_name=related_name)
