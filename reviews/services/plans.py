"""Action plans and their actions (Solihull App 13; Cambridgeshire §11–§13; domain brief §4.6, §6.7).

Each service: one transaction, the row locked, permission checked, the guard checked (refusals are
ValidationErrors in words a user can act on, and nothing changes), the django-fsm transition called, saved,
logged, and the action's "by when" kept on the clock (rule "action": reminders to its owner, escalation
when overdue).

Who may do what (`PlanAccess`):

- The business unit (work_cases) of the review's board drafts the plan, records sign-ups, agreement and
  the start of monitoring, and may act on any action.
- The LSCB Chair (decide_referrals) adopts the plan, signs it off as complete and approves a conversion
  of the review to another type.
- The monitoring group verifies actions, sends them back, closes them with a reason and schedules
  re-audits. Which group is set by the review's type (domain brief §6.7, `MONITORING_GROUP_BY_TYPE`): the
  SCR sub-committee (members with the role `subcommittee_member`) for SCRs, partnership case reviews,
  management reviews and single-agency IMRs; the Quality & Effectiveness group for inter-agency audits and
  key-themes reports. The portal has no Q&E role: Q&E is taken to be the board's `auditor` members, who
  audit and re-audit (Cambridgeshire §12). No new role is added.
- An agency contact (agency_contact) sees and updates only the actions of their own agency, and signs up
  to the plan for their agency; an action's owner updates that action.
- Board-wide viewers (business unit, chair, auditor) see the whole plan. Anyone else, including every
  member of another board, gets a 404.
"""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.http import Http404
from django.utils import timezone
from django_fsm import can_proceed

from scr_portal.clock.services import deadline_cancel, deadline_meet_for, deadline_open, deadlines_of
from scr_portal.models import Membership, Role
from scr_portal.models.clock import ACTIVE_STATUSES
from scr_portal.permissions import board_perm_codenames
from scr_portal.transitions import lock, log_transition, state_change
from scr_portal.uploads import DOCUMENT_TYPES, check_upload, store_file

from .. import agency_reports
from ..models import (
    Action,
    ActionEvidence,
    ActionPlan,
    ActionState,
    KeyThemesReferral,
    LearningTheme,
    PlanSignUp,
    PlanState,
    Recommendation,
    RecommendationSource,
    Review,
    ReviewConversion,
    ReviewState,
    ReviewType,
)
from ._common import locked, notify, now_or

# Which board role forms the monitoring group of each review type (see the module docstring).
MONITORING_GROUP_BY_TYPE = {
    ReviewType.SCR: Role.SUBCOMMITTEE_MEMBER,
    ReviewType.PARTNERSHIP: Role.SUBCOMMITTEE_MEMBER,
    ReviewType.MANAGEMENT: Role.SUBCOMMITTEE_MEMBER,
    ReviewType.SINGLE_AGENCY: Role.SUBCOMMITTEE_MEMBER,
    ReviewType.OTHER: Role.SUBCOMMITTEE_MEMBER,
    ReviewType.AUDIT: Role.AUDITOR,
    ReviewType.KEY_THEMES: Role.AUDITOR,
}
MONITORING_GROUP_NAMES = {
    Role.SUBCOMMITTEE_MEMBER: "SCR sub-committee",
    Role.AUDITOR: "Quality & Effectiveness",
}

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
ACTIONS_OPEN = "{count} action(s) are not yet verified or closed with a reason."
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
NO_PLAN = "The review has no action plan: draft one and have the board sign it off as complete."
PLAN_NOT_COMPLETED = "The action plan must be signed off as complete before the review closes."

REFUSALS = {
    "manage": "Only the board's business unit can change the action plan.",
    "decide": "Only the LSCB Chair can do that.",
    "monitor": "Only the monitoring group of this type of review can record its verdict.",
    "update": "Only the action's owner, its agency's contact or the business unit can update it.",
    "sign_up": "Only the agency's contact or the business unit can record the agency's sign-up.",
}


@dataclass(frozen=True)
class PlanAccess:
    """What one user may do on one review's plan."""

    board_perms: frozenset[str]
    monitoring: bool
    agencies: frozenset[int]
    user_id: int | None

    @property
    def sees_all(self) -> bool:
        return bool(self.board_perms & {"work_cases", "decide_referrals", "audit_board"}) or self.monitoring

    @property
    def sees_any(self) -> bool:
        return self.sees_all or bool(self.agencies)

    def may(self, action: str, obj=None) -> bool:
        if action == "view":
            return self.sees_any
        if action == "manage":
            return "work_cases" in self.board_perms
        if action == "decide":
            return "decide_referrals" in self.board_perms
        if action == "monitor":
            return self.monitoring
        if action == "sign_up":
            return "work_cases" in self.board_perms or (obj is not None and obj.pk in self.agencies)
        if action == "see_action":
            return self.sees_all or obj.agency_id in self.agencies or obj.owner_id == self.user_id
        if action == "update":
            return (
                "work_cases" in self.board_perms
                or obj.agency_id in self.agencies
                or obj.owner_id == self.user_id
            )
        raise ValueError(f"Unknown action {action!r}")

    def require(self, action: str, obj=None) -> None:
        if not self.may(action, obj):
            raise PermissionDenied(REFUSALS.get(action, "You cannot do that on this plan."))


NO_ACCESS = PlanAccess(frozenset(), False, frozenset(), None)


def monitoring_role(review: Review) -> str:
    return MONITORING_GROUP_BY_TYPE.get(review.review_type, Role.SUBCOMMITTEE_MEMBER)


def monitoring_group_name(review: Review) -> str:
    return MONITORING_GROUP_NAMES[monitoring_role(review)]


def plan_access(user, review: Review) -> PlanAccess:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return NO_ACCESS
    board_perms = board_perm_codenames(user, review.board)
    roles = list(Membership.objects.filter(user=user, board=review.board).values_list("role", "agency_id"))
    monitoring = any(role == monitoring_role(review) for role, _ in roles)
    agencies = frozenset(agency for role, agency in roles if role == Role.AGENCY_CONTACT and agency)
    if agencies:
        # An agency contact is concerned only when their agency is in the plan or gave an IMR.
        agencies &= involved_agencies(review)
    return PlanAccess(board_perms, monitoring, agencies, user.pk)


def involved_agencies(review: Review) -> frozenset[int]:
    in_plan = Action.objects.filter(recommendation__plan__review=review).values_list("agency_id", flat=True)
    addressed = Recommendation.objects.filter(plan__review=review, agency__isnull=False).values_list(
        "agency_id", flat=True
    )
    imrs = agency_reports.agency_ids(review)
    return frozenset(in_plan) | frozenset(addressed) | frozenset(imrs)


def require(user, review: Review, action: str, obj=None) -> PlanAccess:
    access = plan_access(user, review)
    if not access.sees_any and not (obj is not None and getattr(obj, "owner_id", None) == user.pk):
        if not access.board_perms:
            raise Http404("No such review.")
    access.require(action, obj)
    return access


def _open_deadline(action: Action, actor, now: dt.datetime) -> None:
    review = action.recommendation.plan.review
    deadline_open(
        board=review.board,
        subject=action,
        rule_code="action",
        trigger_at=now,
        due_date=action.due_date,
        case_reference=review.reference,
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
    require(actor, review, "manage")
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
    require(actor, plan.review, "manage")
    if not plan.review.is_open:
        raise ValidationError(REVIEW_CLOSED)
    if plan.state == PlanState.COMPLETED:
        raise ValidationError(PLAN_COMPLETED)
    if plan.state != PlanState.DRAFT and source != RecommendationSource.IMMEDIATE:
        raise ValidationError(PLAN_NOT_DRAFT)
    errors = {}
    if not text.strip():
        errors["text"] = TEXT_REQUIRED
    if not addressed_to.strip():
        errors["addressed_to"] = ADDRESSED_TO_REQUIRED
    if errors:
        raise ValidationError(errors)
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
    require(actor, plan.review, "manage")
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


def plan_actions(plan: ActionPlan):
    return Action.objects.filter(recommendation__plan=plan).select_related(
        "agency", "owner", "recommendation"
    )


@transaction.atomic
def plan_sign_up(
    *, plan: ActionPlan, actor, agency, name: str, post: str, signed_on: dt.date, now=None
) -> PlanSignUp:
    """An implementing agency's senior manager signs up to the plan (recorded by the business unit or the
    agency's contact). A later sign-up replaces the earlier one."""
    now = now_or(now)
    plan = lock(plan, "review__board")
    require(actor, plan.review, "sign_up", agency)
    if plan.state != PlanState.DRAFT:
        raise ValidationError(CANNOT_NOW)
    errors = {}
    if not name.strip():
        errors["name"] = SIGN_UP_NAME_REQUIRED
    if not post.strip():
        errors["post"] = SIGN_UP_POST_REQUIRED
    if errors:
        raise ValidationError(errors)
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


def completion_problems(plan: ActionPlan) -> list[str]:
    unfinished = plan_actions(plan).exclude(state__in=[ActionState.VERIFIED, ActionState.CLOSED]).count()
    return [ACTIONS_OPEN.format(count=unfinished)] if unfinished else []


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
    require(actor, plan.review, "manage")
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
    require(actor, plan.review, "decide")
    if not can_proceed(plan.adopt):
        raise ValidationError(CANNOT_NOW)
    if not plan.review.reached(ReviewState.ADOPTED):
        raise ValidationError(REVIEW_NOT_ADOPTED)
    _plan_move(plan, actor, "adopt", f"Adopted on {adopted_on:%d/%m/%Y}", on=adopted_on)
    return plan


@transaction.atomic
def plan_start_monitoring(*, plan: ActionPlan, actor, now=None) -> ActionPlan:
    plan = lock(plan, "review__board")
    require(actor, plan.review, "manage")
    _plan_move(plan, actor, "start_monitoring")
    return plan


@transaction.atomic
def plan_complete(*, plan: ActionPlan, actor, completed_on: dt.date, note: str, now=None) -> ActionPlan:
    """The board signs the plan off as complete (recorded by the LSCB Chair): every action verified or
    closed with a reason."""
    plan = lock(plan, "review__board")
    require(actor, plan.review, "decide")
    if not can_proceed(plan.complete):
        raise ValidationError(CANNOT_NOW)
    problems = completion_problems(plan)
    if problems:
        raise ValidationError(problems)
    if not note.strip():
        raise ValidationError({"note": COMPLETION_NOTE_REQUIRED})
    _plan_move(plan, actor, "complete", note.strip(), on=completed_on, note=note.strip())
    return plan


def review_close_problems(review: Review) -> list[str]:
    """The review's closure gate: its plan signed off as complete (so no action is left open)."""
    plan = ActionPlan.objects.filter(review=review).first()
    if plan is None:
        return [NO_PLAN]
    if plan.state != PlanState.COMPLETED:
        return [PLAN_NOT_COMPLETED, *completion_problems(plan)]
    return []


# --- Actions ---


def _action_move(action: Action, actor, transition: str, log_reason: str = "", **kwargs) -> None:
    if not can_proceed(getattr(action, transition)):
        raise ValidationError(ACTION_CANNOT_NOW)
    with state_change(action, transition, actor=actor, reason=log_reason, board=action.board):
        getattr(action, transition)(**kwargs)


def _action_begin(action: Action, actor, permission: str) -> Action:
    action = lock(action, "recommendation__plan__review__board", "agency", "owner")
    review = action.recommendation.plan.review
    require(actor, review, permission, action)
    if not review.is_open:
        raise ValidationError(REVIEW_CLOSED)
    return action


@transaction.atomic
def action_start(*, action: Action, actor, now=None) -> Action:
    action = _action_begin(action, actor, "update")
    _action_move(action, actor, "start")
    return action


@transaction.atomic
def action_add_evidence(*, action: Action, actor, note: str, upload=None, now=None) -> ActionEvidence:
    """A note, and optionally a document checked by its content, against the action: who and when."""
    now = now_or(now)
    action = _action_begin(action, actor, "update")
    if action.state == ActionState.CLOSED:
        raise ValidationError(ACTION_CANNOT_NOW)
    if not note.strip():
        raise ValidationError({"note": EVIDENCE_REQUIRED})
    stored = None
    if upload is not None:
        try:
            checked = check_upload(upload, allowed=DOCUMENT_TYPES)
        except ValidationError as error:
            raise ValidationError({"upload": error.messages}) from error
        stored = store_file(checked=checked, board=action.board, owner=action, kind="evidence", actor=actor)
    evidence = ActionEvidence.objects.create(
        action=action, note=note.strip(), file=stored, added_by=actor, added_at=now
    )
    log_transition(action, "add_evidence", action.state, actor, board=action.board)
    return evidence


@transaction.atomic
def action_mark_done(*, action: Action, actor, actions_taken: str, now=None) -> Action:
    """The owner records the actions taken: the action's deadline is met."""
    now = now_or(now)
    action = _action_begin(action, actor, "update")
    if not actions_taken.strip():
        raise ValidationError({"actions_taken": ACTIONS_TAKEN_REQUIRED})
    _action_move(action, actor, "mark_done", at=now, actions_taken=actions_taken.strip())
    deadline_meet_for(subject=action, rule_code="action", actor=actor, at=now)
    return action


@transaction.atomic
def action_verify(*, action: Action, actor, note: str = "", now=None) -> Action:
    """The monitoring group's verdict: done, and the evidence shows it."""
    now = now_or(now)
    action = _action_begin(action, actor, "monitor")
    if not can_proceed(action.verify):
        raise ValidationError(ACTION_CANNOT_NOW)
    if not action.evidence.exists():
        raise ValidationError(NO_EVIDENCE)
    _action_move(action, actor, "verify", note, at=now, by=actor, note=note.strip())
    return action


@transaction.atomic
def action_send_back(*, action: Action, actor, note: str, now=None) -> Action:
    """The monitoring group's verdict: not yet done."""
    action = _action_begin(action, actor, "monitor")
    if not note.strip():
        raise ValidationError({"note": SEND_BACK_NOTE_REQUIRED})
    _action_move(action, actor, "send_back", note, note=note.strip())
    notify([action.owner], action.recommendation.plan.review, "An action was sent back", note.strip())
    return action


@transaction.atomic
def action_close(*, action: Action, actor, reason: str, now=None) -> Action:
    """An action overtaken by events, closed with a reason by the monitoring group or the business unit."""
    now = now_or(now)
    action = lock(action, "recommendation__plan__review__board", "agency", "owner")
    review = action.recommendation.plan.review
    access = require(actor, review, "view")
    if not (access.may("monitor") or access.may("manage")):
        raise PermissionDenied(REFUSALS["monitor"])
    if not review.is_open:
        raise ValidationError(REVIEW_CLOSED)
    if not reason.strip():
        raise ValidationError({"reason": CLOSE_REASON_REQUIRED})
    _action_move(action, actor, "close", reason.strip(), reason=reason.strip())
    for deadline in deadlines_of(action).filter(status__in=ACTIVE_STATUSES):
        deadline_cancel(deadline=deadline, actor=actor, reason="The action was closed.", now=now)
    return action


@transaction.atomic
def action_schedule_reaudit(
    *, action: Action, actor, reaudit_on: dt.date, note: str = "", now=None
) -> Action:
    """A verified action re-audited later to check the change lasted (Cambridgeshire §12). Allowed after
    the review closes: re-audit is the point."""
    action = lock(action, "recommendation__plan__review__board", "agency", "owner")
    require(actor, action.recommendation.plan.review, "monitor", action)
    if action.state != ActionState.VERIFIED:
        raise ValidationError(REAUDIT_ONLY_VERIFIED)
    if reaudit_on is None or reaudit_on <= action.verified_at.date():
        raise ValidationError({"reaudit_on": REAUDIT_NOT_LATER})
    action.reaudit_on, action.reaudit_note = reaudit_on, note.strip()
    action.save(update_fields=["reaudit_on", "reaudit_note"])
    log_transition(
        action,
        "schedule_reaudit",
        action.state,
        actor,
        f"Re-audit on {reaudit_on:%d/%m/%Y}",
        board=action.board,
    )
    return action


# --- Converting a review to another type (domain brief §4.8) ---


@transaction.atomic
def review_convert(*, review: Review, actor, to_type: str, reason: str, now=None) -> ReviewConversion:
    """Convert the review (an SCR downgraded after an inquest finds the death accidental), approved by the
    LSCB Chair with a reason. Everything already recorded is kept; the monitoring group follows the type."""
    now = now_or(now)
    review = locked(review)
    require(actor, review, "decide")
    if not review.is_open:
        raise ValidationError(REVIEW_CLOSED)
    errors = {}
    if to_type not in ReviewType.values or to_type == review.review_type:
        errors["to_type"] = CONVERT_SAME_TYPE
    if not reason.strip():
        errors["reason"] = CONVERT_REASON_REQUIRED
    if errors:
        raise ValidationError(errors)
    conversion = ReviewConversion.objects.create(
        review=review,
        from_type=review.review_type,
        to_type=to_type,
        reason=reason.strip(),
        approved_by=actor,
        approved_at=now,
    )
    Review.objects.filter(pk=review.pk).update(review_type=to_type)
    review.review_type = to_type
    # A non-SCR type gets (or keeps, with its earlier steps) its alternative-review record.
    from .alternative import alternative_ensure

    alternative_ensure(review=review, actor=actor, now=now)
    log_transition(
        review,
        "convert",
        review.state,
        actor,
        f"{ReviewType(conversion.from_type).label} → {ReviewType(to_type).label}: {reason.strip()}",
    )
    return conversion


# --- Learning themes: a board-editable taxonomy tagged on referrals, reviews and recommendations ---

THEME_NAME_REQUIRED = "Enter the name of the theme."
THEME_EXISTS = "The board already has a theme with that name."
THEME_REFUSAL = "Only the board's business unit can change the learning themes."
THEME_OTHER_BOARD = "Select themes of this board."


def _require_business_unit(actor, board) -> None:
    from scr_portal.permissions import VIEW_BOARD, WORK_CASES, user_has_board_perm

    if not user_has_board_perm(actor, board, VIEW_BOARD):
        raise Http404("No such board.")
    if not user_has_board_perm(actor, board, WORK_CASES):
        raise PermissionDenied(THEME_REFUSAL)


@transaction.atomic
def theme_create(*, board, actor, name: str) -> LearningTheme:
    _require_business_unit(actor, board)
    name = name.strip()
    if not name:
        raise ValidationError({"name": THEME_NAME_REQUIRED})
    if LearningTheme.objects.filter(board=board, name__iexact=name).exists():
        raise ValidationError({"name": THEME_EXISTS})
    theme = LearningTheme.objects.create(board=board, name=name)
    log_transition(theme, "create", "", actor, name, board=board)
    return theme


@transaction.atomic
def theme_set_active(*, theme: LearningTheme, actor, active: bool) -> LearningTheme:
    """Retire a theme (kept on what it already tags) or bring it back."""
    _require_business_unit(actor, theme.board)
    theme.active = active
    theme.save(update_fields=["active"])
    log_transition(theme, "activate" if active else "retire", "", actor, theme.name, board=theme.board)
    return theme


@transaction.atomic
def themes_tag(*, subject, board, actor, themes) -> None:
    """Set the themes tagged on a referral, a review or a recommendation (all of `board`)."""
    _require_business_unit(actor, board)
    themes = list(themes)
    if any(theme.board_id != board.pk for theme in themes):
        raise ValidationError({"themes": THEME_OTHER_BOARD})
    if isinstance(subject, Recommendation):
        subject.themes.set(themes)
    else:
        relation = "reviews" if isinstance(subject, Review) else "referrals"
        chosen = {theme.pk for theme in themes}
        for theme in LearningTheme.objects.filter(board=board):
            if theme.pk in chosen:
                getattr(theme, relation).add(subject)
            else:
                getattr(theme, relation).remove(subject)
    log_transition(
        subject,
        "tag_themes",
        getattr(subject, "state", ""),
        actor,
        ", ".join(t.name for t in themes),
        board=board,
    )


# --- A key-themes report from several referrals selected together (domain brief §4.8) ---

KEY_THEMES_TOO_FEW = "Select at least two referrals to consider together."
KEY_THEMES_OTHER_BOARD = "Select referrals of this board only."
KEY_THEMES_REASON_REQUIRED = "Give the reason these referrals are considered together."


@transaction.atomic
def review_key_themes_create(*, board, actor, referrals, reason: str, now=None) -> Review:
    """The LSCB Chair sets off a key-themes report across several referrals. It shares the action-plan
    machinery; its monitoring group is Quality & Effectiveness."""
    from scr_portal.permissions import DECIDE_REFERRALS, VIEW_BOARD, user_has_board_perm

    now = now_or(now)
    if not user_has_board_perm(actor, board, VIEW_BOARD):
        raise Http404("No such board.")
    if not user_has_board_perm(actor, board, DECIDE_REFERRALS):
        raise PermissionDenied("Only the LSCB Chair can set off a key-themes report.")
    referrals = list(referrals)
    errors = {}
    if len({r.pk for r in referrals}) < 2:
        errors["referrals"] = KEY_THEMES_TOO_FEW
    elif any(r.board_id != board.pk for r in referrals):
        errors["referrals"] = KEY_THEMES_OTHER_BOARD
    if not reason.strip():
        errors["reason"] = KEY_THEMES_REASON_REQUIRED
    if errors:
        raise ValidationError(errors)
    year = timezone.localtime(now).year
    count = Review.objects.filter(board=board, reference__startswith=f"{board.short_name}-KT-{year}-").count()
    review = Review.objects.create(
        board=board,
        reference=f"{board.short_name}-KT-{year}-{count + 1:04d}",
        review_type=ReviewType.KEY_THEMES,
        decision_date=timezone.localtime(now).date(),
        created_at=now,
        created_by=actor,
    )
    KeyThemesReferral.objects.bulk_create(
        [KeyThemesReferral(review=review, referral=r) for r in {r.pk: r for r in referrals}.values()]
    )
    log_transition(review, "create", "", actor, f"Key themes report: {reason.strip()}")
    from .alternative import alternative_ensure

    alternative_ensure(review=review, actor=actor, now=now)
    return review
