"""Closing a referral without a decision: withdrawn, transferred to the board that leads, or a duplicate."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django_fsm import can_proceed

from scr_portal.services import now_or
from scr_portal.transitions import lock, state_change

from ..models import (
    Referral,
    ReferralState,
)
from ..permissions import user_may
from .common import (
    CANNOT_NOW,
    DUPLICATE_OF_CLOSED,
    DUPLICATE_OF_ITSELF,
    DUPLICATE_OTHER_BOARD,
    LEAD_BOARD_REQUIRED,
    REASON_REQUIRED,
    _locked_for,
    open_deadline,
)
from .decision import _close_open_work

# --- Closing without a decision -----------------------------------------------------------------------


def _close(referral: Referral, *, actor, now, reason: str) -> None:
    """Cancel what is still open and start the retention period, as a review's closure does (the papers
    are kept the board's retention years from the closing; scr_portal/audit/retention.py)."""
    _close_open_work(referral, actor=actor, now=now, reason=reason)
    open_deadline(referral, "retention", actor=actor, now=now)


@transaction.atomic
def referral_withdraw(*, referral: Referral, actor, reason: str, now=None) -> Referral:
    now = now_or(now)
    locked = lock(referral, "board")
    if not (
        user_may(actor, locked, "withdraw")
        or (locked.state == ReferralState.DRAFT and locked.created_by_id == actor.pk)
    ):
        raise PermissionDenied("You cannot withdraw this referral.")
    if not reason.strip():
        raise ValidationError({"reason": REASON_REQUIRED})
    if not can_proceed(locked.withdraw):
        raise ValidationError(CANNOT_NOW)
    with state_change(locked, "withdraw", actor=actor, reason=reason):
        locked.withdraw(reason=reason, at=now)
    _close(locked, actor=actor, now=now, reason=f"Referral withdrawn: {reason}")
    return locked


@transaction.atomic
def referral_transfer(*, referral: Referral, actor, lead_board: str, reason: str, now=None) -> Referral:
    """Pass the referral to the board where the child is ordinarily resident (Solihull §1.3.2)."""
    now = now_or(now)
    locked = _locked_for(referral, actor, "transfer")
    if not lead_board.strip():
        raise ValidationError({"lead_board": LEAD_BOARD_REQUIRED})
    if not reason.strip():
        raise ValidationError({"reason": REASON_REQUIRED})
    if not can_proceed(locked.transfer):
        raise ValidationError(CANNOT_NOW)
    with state_change(locked, "transfer", actor=actor, reason=f"To {lead_board}: {reason}"):
        locked.transfer(lead_board=lead_board, reason=reason, at=now)
    _close(locked, actor=actor, now=now, reason=f"Transferred to {lead_board}")
    return locked


@transaction.atomic
def referral_mark_duplicate(
    *, referral: Referral, actor, original: Referral, reason: str, now=None
) -> Referral:
    now = now_or(now)
    locked = _locked_for(referral, actor, "mark_duplicate")
    if original.pk == locked.pk:
        raise ValidationError({"original": DUPLICATE_OF_ITSELF})
    if original.board_id != locked.board_id:
        raise ValidationError({"original": DUPLICATE_OTHER_BOARD})
    if original.state in (ReferralState.DUPLICATE, ReferralState.DRAFT):
        raise ValidationError({"original": DUPLICATE_OF_CLOSED})
    if not reason.strip():
        raise ValidationError({"reason": REASON_REQUIRED})
    if not can_proceed(locked.mark_duplicate):
        raise ValidationError(CANNOT_NOW)
    reason_logged = f"Duplicate of {original.reference}: {reason}"
    with state_change(locked, "mark_duplicate", actor=actor, reason=reason_logged):
        locked.mark_duplicate(original=original, reason=reason, at=now)
    _close(locked, actor=actor, now=now, reason=f"Duplicate of {original.reference}")
    return locked
