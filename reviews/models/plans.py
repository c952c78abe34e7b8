"""Action plans (Solihull App 13; Cambridgeshire §11–§13; domain brief §4.6, §6.7): a review's
recommendations become actions with an owner, a date and the information for audit agreed up front, are
monitored until the board signs them off, and can be re-audited later. Learning themes tag referrals,
reviews and recommendations across cases.

Transitions only set fields; `reviews.services.plans` locks, checks permission and guards, logs and moves
the clock's deadlines in one transaction."""

from django.conf import settings
from django.db import models
from django_fsm import FSMField, transition

from scr_portal.models import Agency, Board
from scr_portal.models.fields import Recorded, who_and_when
from scr_portal.models.fsm import ConcurrentTransitionMixin, move

from .review import of_review


class PlanState(models.TextChoices):
    DRAFT = "draft", "Draft"
    AGREED = "agreed", "Agreed"
    ADOPTED = "adopted", "Adopted"
    MONITORING = "monitoring", "Monitoring"
    COMPLETED = "completed", "Completed"


class ActionState(models.TextChoices):
    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    VERIFIED = "verified", "Verified"
    CLOSED = "closed", "Closed with reason"


FINISHED_ACTION_STATES = (ActionState.VERIFIED, ActionState.CLOSED)


class RecommendationSource(models.TextChoices):
    OVERVIEW = "overview", "Overview report"
    IMR = "imr", "Single-agency IMR"
    IMMEDIATE = "immediate", "Immediate learning"


class LearningTheme(models.Model):
    """A board-editable theme (for example "neglect", "information sharing"). The tags live on this side
    so the referrals app is untouched."""

    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="learning_themes")
    name = models.CharField(max_length=120)
    active = models.BooleanField(default=True)
    referrals = models.ManyToManyField("referrals.Referral", blank=True, related_name="themes")
    reviews = models.ManyToManyField("reviews.Review", blank=True, related_name="themes")

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["board", "name"], name="learning_theme_unique_name")]

    def __str__(self) -> str:
        return self.name


class ActionPlan(ConcurrentTransitionMixin, models.Model):
    """One per review: draft → agreed (each implementing agency's senior manager signed up) → adopted
    (by the LSCB) → monitoring → completed (signed off by the board)."""

    review = models.OneToOneField("reviews.Review", on_delete=models.PROTECT, related_name="action_plan")
    state = FSMField(default=PlanState.DRAFT, choices=PlanState.choices, protected=True)
    FINAL_STATES = frozenset({PlanState.COMPLETED})
    created_by, created_at = who_and_when()
    agreed_on = models.DateField(null=True, blank=True)
    adopted_on = models.DateField(null=True, blank=True)
    completed_on = models.DateField(null=True, blank=True)
    completion_note = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"Action plan for {self.review}"

    @transition(field=state, source=PlanState.DRAFT, target=PlanState.AGREED)
    def agree(self, *, on) -> None:
        self.agreed_on = on

    @transition(field=state, source=PlanState.AGREED, target=PlanState.ADOPTED)
    def adopt(self, *, on) -> None:
        self.adopted_on = on

    # The monitoring group follows the actions.
    start_monitoring = move(state, "start_monitoring", PlanState.ADOPTED, PlanState.MONITORING)

    @transition(field=state, source=PlanState.MONITORING, target=PlanState.COMPLETED)
    def complete(self, *, on, note) -> None:
        self.completed_on = on
        self.completion_note = note


class PlanSignUp(Recorded):
    """An implementing agency's senior manager signing up to the plan (App 13)."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="sign_ups")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=200)
    post = models.CharField(max_length=200)
    signed_on = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["plan", "agency"], name="plan_signup_one_per_agency")]

    def __str__(self) -> str:
        return f"Sign-up for agency {self.agency_id}"


class Recommendation(models.Model):
    """A recommendation of the overview report, of an IMR (single-agency) or immediate learning, addressed
    to an organisation and to a person with authority to act."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="recommendations")
    number = models.PositiveIntegerField()
    source = models.CharField(max_length=20, choices=RecommendationSource.choices)
    imr = models.ForeignKey("imr.IMR", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    text = models.TextField()
    outcome = models.TextField(blank=True, help_text="The outcome the recommendation should achieve.")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    addressed_to = models.CharField(max_length=200, help_text="The person with authority to act.")
    themes = models.ManyToManyField(LearningTheme, blank=True, related_name="recommendations")
    created_by, created_at = who_and_when()

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="recommendation_unique_number")
        ]

    def __str__(self) -> str:
        return f"Recommendation {self.number}"


class Action(ConcurrentTransitionMixin, models.Model):
    """open → in progress → done (actions taken and evidence) → verified by the monitoring group; or closed
    with a reason when overtaken by events. The "by when" is a deadline on the clock (rule "action")."""

    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="actions")
    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="plan_actions")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="plan_actions")
    due_date = models.DateField("By when")
    audit_information = models.TextField(help_text="The information for audit, agreed up front.")
    immediate = models.BooleanField(default=False, help_text="Immediate learning, added during the review.")
    state = FSMField(default=ActionState.OPEN, choices=ActionState.choices, protected=True)
    FINAL_STATES = frozenset({ActionState.VERIFIED, ActionState.CLOSED})
    actions_taken = models.TextField(blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    verified_by, verified_at = who_and_when(null=True, blank=True)
    verification_note = models.TextField(blank=True)
    closed_reason = models.TextField(blank=True)
    reaudit_on = models.DateField(null=True, blank=True)
    reaudit_note = models.TextField(blank=True)
    created_by, created_at = who_and_when()

    class Meta:
        ordering = ["due_date", "pk"]
        indexes = [models.Index(fields=["board", "state"]), models.Index(fields=["agency", "state"])]

    def __str__(self) -> str:
        return f"Action {self.pk}"

    @property
    def is_finished(self) -> bool:
        return self.state in FINISHED_ACTION_STATES

    # The owner has started work.
    start = move(state, "start", ActionState.OPEN, ActionState.IN_PROGRESS)

    @transition(field=state, source=[ActionState.OPEN, ActionState.IN_PROGRESS], target=ActionState.DONE)
    def mark_done(self, *, at, actions_taken) -> None:
        self.done_at = at
        self.actions_taken = actions_taken

    @transition(field=state, source=ActionState.DONE, target=ActionState.VERIFIED)
    def verify(self, *, at, by, note) -> None:
        self.verified_at, self.verified_by, self.verification_note = at, by, note

    @transition(field=state, source=ActionState.DONE, target=ActionState.IN_PROGRESS)
    def send_back(self, *, note) -> None:
        """The monitoring group's verdict: not yet done."""
        self.verification_note = note
        self.done_at = None

    @transition(
        field=state,
        source=[ActionState.OPEN, ActionState.IN_PROGRESS, ActionState.DONE],
        target=ActionState.CLOSED,
    )
    def close(self, *, reason) -> None:
        self.closed_reason = reason


class ActionEvidence(models.Model):
    """A note, and optionally a file, against an action: who, when."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="evidence")
    note = models.TextField()
    file = models.ForeignKey(
        "scr_portal.StoredFile", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    added_by, added_at = who_and_when()

    class Meta:
        ordering = ["added_at", "pk"]

    def __str__(self) -> str:
        return f"Evidence {self.pk}"


class ReviewConversion(models.Model):
    """A review converted to another type (an SCR downgraded after an inquest), with the reason and the
    LSCB Chair's approval; everything already recorded is kept."""

    review = of_review("conversions")
    from_type = models.CharField(max_length=40)
    to_type = models.CharField(max_length=40)
    reason = models.TextField()
    approved_by, approved_at = who_and_when()

    def __str__(self) -> str:
        return f"{self.from_type} → {self.to_type}"


class KeyThemesReferral(models.Model):
    """A referral considered in a key-themes report: several referrals selected together (domain brief
    §4.8; Cambridgeshire §11–§12)."""

    review = of_review("key_theme_referrals")
    referral = models.ForeignKey("referrals.Referral", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["review", "referral"], name="key_themes_referral_once")
        ]

    def __str__(self) -> str:
        return f"Referral {self.referral_id} in {self.review_id}"
