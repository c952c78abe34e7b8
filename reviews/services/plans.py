"""The App 13 action plan of a review (Solihull guidance App 13; domain brief §4.7): drafted from the review's
and the IMRs' recommendations, agreed with every implementing agency's senior manager, adopted by the LSCB,
monitored by the group of the review's type and signed off as complete. Who may do what is
reviews.permissions.PlanAccess; what must hold first is in reviews.guards."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django_fsm import can_proceed

from scr_portal.clock.services import deadlines_of
from scr_portal.services import require_text
from scr_portal.transitions import lock, log_transition, state_change

from ..guards import completion_problems, plan_actions
from ..models import (
    Action,
    ActionPlan,
    PlanSignUp,
    PlanState,
    Recommendation,
    RecommendationSource,
    Review,
    ReviewState,
)
from ..permissions import require_on_plan
from ._common import locked, notify, now_or, open_deadline

REVIEW_CLOSED = "The review is closed: nothing more can be added to its plan."
PLAN_EXISTS = "This review already has an action plan."
PLAN_NOT_DRAFT = "Only immediate-learning recommendations can be added once the plan is agreed."
PLAN_COMPLETED = "The plan has been signed off as complete."
CANNOT_NOW = "That cannot be done at this stage of the plan."
ACTION_CANNOT_NOW = "That cannot be done at this stage of the action."
TEXT_REQUIRED = "Enter the recommendation."
ADDRESSED_TO_REQUIRED = "Enter the person with authority to act on the recommendation."
ACTION_TEXT_REQUIRED = "Enter the action."
OWNER_REQUIRED = "Select who owns the action."
AGENCY_REQUIRED = "Select the organisation that will carry out the action."
DUE_REQUIRED = "Enter the date by when the action must be done."
AUDIT_INFO_REQUIRED = "Enter the information for audit agreed up front."
DUE_BEFORE_AGREED = "The date by when must be on or after the date the plan was agreed, {date}."
DUE_BEFORE_AGREEMENT = "Action {number}'s date by when, {due}, is before the date of agreement, {date}."
NO_ACTIONS = "Add at least one recommendation with an action before the plan is agreed."
NOT_SIGNED_UP = "The senior manager of {agency} has not signed up to the plan."
SIGN_UP_NAME_REQUIRED = "Enter the name of the senior manager."
SIGN_UP_POST_REQUIRED = "Enter the senior manager's post."
REVIEW_NOT_ADOPTED = "The LSCB must adopt the review before its plan is adopted."


COMPLETION_NOTE_REQUIRED = "Record how the board signed off the plan as complete."
ACTIONS_TAKEN_REQUIRED = "Describe the actions taken."
EVIDENCE_REQUIRED = "Add a note describing the evidence."
NO_EVIDENCE = "An action can only be verified once evidence is recorded against it."
SEND_BACK_NOTE_REQUIRED = "Say what is still needed."
CLOSE_REASON_REQUIRED = "Give the reason the action is closed."
REAUDIT_ONLY_VERIFIED = "Only a verified action can be scheduled for re-audit."
REAUDIT_NOT_LATER = "The re-audit date must be after the date the action was verified."
CONVERT_REASON_REQUIRED = "Give the reason for converting the review."
CONVERT_SAME_TYPE = "Select a different type of review."


def _open_deadline(action: Action, actor, now: dt.datetime) -> None:
    open_deadline(
        action.recommendation.plan.review,
        "action",
        subject=action,
        trigger_at=now,
        due_date=action.due_date,
        title=f"Action {action.pk} ({action.agency.name})",
        actor=actor,
        responsible_users=[action.owner],
        now=now,
    )


# --- The plan ---


@transaction.atomic
def plan_create(*, review: Review, actor, now=None) -> ActionPlan:
    now = now_or(now)
    review = locked(review)
    require_on_plan(actor, review, "manage")
    if not review.is_open:
        raise ValidationError(REVIEW_CLOSED)
    if ActionPlan.objects.filter(review=review).exists():
        raise ValidationError(PLAN_EXISTS)
    plan = ActionPlan.objects.create(review=review, created_at=now, created_by=actor)
    log_transition(plan, "create", "", actor, board=review.board)
    return plan


def plan_for(review: Review, actor, now=None) -> ActionPlan:
    """The review's plan, drafted now if it has none."""
    plan = ActionPlan.objects.filter(review=review).first()
    return plan or plan_create(review=review, actor=actor, now=now)


@transaction.atomic
def recommendation_add(
    *,
    plan: ActionPlan,
    actor,
    source: str,
    text: str,
    addressed_to: str,
    agency=None,
    outcome: str = "",
    imr=None,
    themes=(),
    now=None,
) -> Recommendation:
    """Overview and IMR recommendations go in while the plan is a draft; immediate-learning ones at any
    stage before the review closes."""
    now = now_or(now)
    plan = lock(plan, "review__board")
    require_on_plan(actor, plan.review, "manage")
    if not plan.review.is_open:
        raise ValidationError(REVIEW_CLOSED)
    if plan.state == PlanState.COMPLETED:
        raise ValidationError(PLAN_COMPLETED)
    if plan.state != PlanState.DRAFT and source != RecommendationSource.IMMEDIATE:
        raise ValidationError(PLAN_NOT_DRAFT)
    require_text(text=(text, TEXT_REQUIRED), addressed_to=(addressed_to, ADDRESSED_TO_REQUIRED))
    number = (plan.recommendations.aggregate(n=Max("number"))["n"] or 0) + 1
    recommendation = Recommendation.objects.create(
        plan=plan,
        number=number,
        source=source,
        imr=imr,
        text=text.strip(),
        outcome=outcome.strip(),
        agency=agency if agency is not None else getattr(imr, "agency", None),
        addressed_to=addressed_to.strip(),
        created_at=now,
        created_by=actor,
    )
    if themes:
        recommendation.themes.set(themes)
    log_transition(
        plan, "add_recommendation", plan.state, actor, f"Recommendation {number}", board=plan.review.board
    )
    return recommendation


def recommendations_import_imr(*, plan: ActionPlan, imr, actor, addressed_to: str, now=None) -> list:
    """Copy an IMR's recommendations (one a line) into the board's plan, addressed to its agency."""
    lines = [line.strip(" -•\t") for line in (imr.recommendations or "").splitlines()]
    return [
        recommendation_add(
            plan=plan,
            actor=actor,
            source=RecommendationSource.IMR,
            imr=imr,
            text=line,
            addressed_to=addressed_to,
            now=now,
        )
        for line in lines
        if line
    ]


@transaction.atomic
def action_add(
    *,
    recommendation: Recommendation,
    actor,
    text: str,
    agency,
    owner,
    due_date: dt.date | None,
    audit_information: str,
    immediate: bool = False,
    now=None,
) -> Action:
    """An action with an owner, a date and the information for audit. Once the plan is agreed (or for
    immediate learning at once) its date goes on the clock."""
    now = now_or(now)
    plan = lock(recommendation.plan, "review__board")
    require_on_plan(actor, plan.review, "manage")
    if not plan.review.is_open:
        raise ValidationError(REVIEW_CLOSED)
    if plan.state == PlanState.COMPLETED:
        raise ValidationError(PLAN_COMPLETED)
    immediate = immediate or recommendation.source == RecommendationSource.IMMEDIATE
    if plan.state != PlanState.DRAFT and not immediate:
        raise ValidationError(PLAN_NOT_DRAFT)
    errors = {}
    if not text.strip():
        errors["text"] = ACTION_TEXT_REQUIRED
    if agency is None:
        errors["agency"] = AGENCY_REQUIRED
    if owner is None:
        errors["owner"] = OWNER_REQUIRED
    if due_date is None:
        errors["due_date"] = DUE_REQUIRED
    elif plan.agreed_on and due_date < plan.agreed_on:
        errors["due_date"] = DUE_BEFORE_AGREED.format(date=f"{plan.agreed_on:%d/%m/%Y}")
    if not audit_information.strip():
        errors["audit_information"] = AUDIT_INFO_REQUIRED
    if errors:
        raise ValidationError(errors)
    action = Action.objects.create(
        recommendation=recommendation,
        board=plan.review.board,
        text=text.strip(),
        agency=agency,
        owner=owner,
        due_date=due_date,
        audit_information=audit_information.strip(),
        immediate=immediate,
        created_at=now,
        created_by=actor,
    )
    log_transition(action, "create", "", actor, board=plan.review.board)
    if immediate or plan.state != PlanState.DRAFT:
        _open_deadline(action, actor, now)
    return action


@transaction.atomic
def plan_sign_up(
    *, plan: ActionPlan, actor, agency, name: str, post: str, signed_on: dt.date, now=None
) -> PlanSignUp:
    """An implementing agency's senior manager signs up to the plan (recorded by the business unit or the
    agency's contact). A later sign-up replaces the earlier one."""
    now = now_or(now)
    plan = lock(plan, "review__board")
    require_on_plan(actor, plan.review, "sign_up", agency)
    if plan.state != PlanState.DRAFT:
        raise ValidationError(CANNOT_NOW)
    require_text(name=(name, SIGN_UP_NAME_REQUIRED), post=(post, SIGN_UP_POST_REQUIRED))
    sign_up, _ = PlanSignUp.objects.update_or_create(
        plan=plan,
        agency=agency,
        defaults={
            "name": name.strip(),
            "post": post.strip(),
            "signed_on": signed_on,
            "recorded_by": actor,
            "recorded_at": now,
        },
    )
    log_transition(
        plan, "sign_up", plan.state, actor, f"Signed up for {agency.name}", board=plan.review.board
    )
    return sign_up


def agreement_problems(plan: ActionPlan, agreed_on: dt.date | None = None) -> list[str]:
    actions = list(plan_actions(plan).order_by("pk"))
    if not actions:
        return [NO_ACTIONS]
    signed = set(plan.sign_ups.values_list("agency_id", flat=True))
    problems = []
    for agency in sorted({a.agency for a in actions}, key=lambda a: a.name):
        if agency.pk not in signed:
            problems.append(NOT_SIGNED_UP.format(agency=agency.name))
    if agreed_on:
        for number, action in enumerate(actions, start=1):
            if action.due_date < agreed_on and not action.immediate:
                problems.append(
                    DUE_BEFORE_AGREEMENT.format(
                        number=number, due=f"{action.due_date:%d/%m/%Y}", date=f"{agreed_on:%d/%m/%Y}"
                    )
                )
    return problems


def _plan_move(plan: ActionPlan, actor, transition: str, reason: str = "", **kwargs) -> None:
    if not can_proceed(getattr(plan, transition)):
        raise ValidationError(CANNOT_NOW)
    with state_change(plan, transition, actor=actor, reason=reason, board=plan.review.board):
        getattr(plan, transition)(**kwargs)


@transaction.atomic
def plan_agree(*, plan: ActionPlan, actor, agreed_on: dt.date, now=None) -> ActionPlan:
    """Every implementing agency's senior manager has signed up. Each action's date goes on the clock."""
    now = now_or(now)
    plan = lock(plan, "review__board")
    require_on_plan(actor, plan.review, "manage")
    if not can_proceed(plan.agree):
        raise ValidationError(CANNOT_NOW)
    problems = agreement_problems(plan, agreed_on)
    if problems:
        raise ValidationError(problems)
    _plan_move(plan, actor, "agree", f"Agreed on {agreed_on:%d/%m/%Y}", on=agreed_on)
    for action in plan_actions(plan):
        if not deadlines_of(action).exists():
            _open_deadline(action, actor, now)
        notify(
            [action.owner],
            plan.review,
            "An action in the plan is yours",
            f"You own an action in the agreed plan, due by {action.due_date:%d/%m/%Y}.",
        )
    return plan


@transaction.atomic
def plan_adopt(*, plan: ActionPlan, actor, adopted_on: dt.date, now=None) -> ActionPlan:
    """The LSCB adopts the plan, recorded by the LSCB Chair, once it has adopted the review."""
    plan = lock(plan, "review__board")
    require_on_plan(actor, plan.review, "decide")
    if not can_proceed(plan.adopt):
        raise ValidationError(CANNOT_NOW)
    if not plan.review.reached(ReviewState.ADOPTED):
        raise ValidationError(REVIEW_NOT_ADOPTED)
    _plan_move(plan, actor, "adopt", f"Adopted on {adopted_on:%d/%m/%Y}", on=adopted_on)
    return plan


@transaction.atomic
def plan_start_monitoring(*, plan: ActionPlan, actor, now=None) -> ActionPlan:
    plan = lock(plan, "review__board")
    require_on_plan(actor, plan.review, "manage")
    _plan_move(plan, actor, "start_monitoring")
    return plan


@transaction.atomic
def plan_complete(*, plan: ActionPlan, actor, completed_on: dt.date, note: str, now=None) -> ActionPlan:
    """The board signs the plan off as complete (recorded by the LSCB Chair): every action verified or
    closed with a reason."""
    plan = lock(plan, "review__board")
    require_on_plan(actor, plan.review, "decide")
    if not can_proceed(plan.complete):
        raise ValidationError(CANNOT_NOW)
    problems = completion_problems(plan)
    if problems:
        raise ValidationError(problems)
    if not note.strip():
        raise ValidationError({"note": COMPLETION_NOTE_REQUIRED})
    _plan_move(plan, actor, "complete", note.strip(), on=completed_on, note=note.strip())
    return plan
