"""The actions of an action plan: started, evidenced, done, verified or sent back by the monitoring group,
closed with a reason, re-audited. Each action's "by when" is a deadline on the clock."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django_fsm import can_proceed

from scr_portal.clock.services import deadline_cancel, deadline_meet_for, deadlines_of
from scr_portal.models.clock import ACTIVE_STATUSES
from scr_portal.transitions import lock, log_transition, state_change
from scr_portal.uploads import DOCUMENT_TYPES, check_upload, store_file

from ..models import (
    Action,
    ActionEvidence,
    ActionState,
)
from ..permissions import PLAN_REFUSALS, require_on_plan
from ._common import notify, now_or
from .plans import (
    ACTION_CANNOT_NOW,
    ACTIONS_TAKEN_REQUIRED,
    CLOSE_REASON_REQUIRED,
    EVIDENCE_REQUIRED,
    NO_EVIDENCE,
    REAUDIT_NOT_LATER,
    REAUDIT_ONLY_VERIFIED,
    REVIEW_CLOSED,
    SEND_BACK_NOTE_REQUIRED,
)

# --- Actions ---


def _action_move(action: Action, actor, transition: str, log_reason: str = "", **kwargs) -> None:
    if not can_proceed(getattr(action, transition)):
        raise ValidationError(ACTION_CANNOT_NOW)
    with state_change(action, transition, actor=actor, reason=log_reason, board=action.board):
        getattr(action, transition)(**kwargs)


def _action_begin(action: Action, actor, permission: str) -> Action:
    action = lock(action, "recommendation__plan__review__board", "agency", "owner")
    review = action.recommendation.plan.review
    require_on_plan(actor, review, permission, action)
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
    access = require_on_plan(actor, review, "view")
    if not (access.may("monitor") or access.may("manage")):
        raise PermissionDenied(PLAN_REFUSALS["monitor"])
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
    require_on_plan(actor, action.recommendation.plan.review, "monitor", action)
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
