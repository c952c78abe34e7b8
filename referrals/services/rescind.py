"""The LSCB Chair rescinds a decision while no IMR has been commissioned (issue 16): the referral goes back
to awaiting the decision, and what the decision set off is undone. The layers above say through
referrals.decisions whether they allow it and undo their part (the review and its deadlines)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django_fsm import can_proceed

from scr_portal.clock.services import deadline_cancel, deadlines_of
from scr_portal.models.clock import ACTIVE_STATUSES
from scr_portal.notify import notify_on_commit
from scr_portal.people import business_unit, lscb_chairs
from scr_portal.services import now_or
from scr_portal.transitions import lock, state_change

from ..decisions import rescind_blockers, rescind_undoers
from ..models import AgencyCheckState, Referral, ReferralState
from ..permissions import user_may
from .checks import check_reask
from .common import REASON_REQUIRED, open_deadline

ONLY_CHAIR_RESCINDS = "Only the LSCB Chair can rescind a decision."
NOT_DECIDED = "There is no decision to rescind."


def rescind_refusal(referral: Referral) -> str:
    """Why the decision on `referral` cannot be rescinded now, or "" when it can."""
    if referral.state != ReferralState.DECIDED:
        return NOT_DECIDED
    return next(iter(rescind_blockers(referral)), "")


@transaction.atomic
def referral_rescind_decision(*, referral: Referral, actor, reason: str, now=None) -> Referral:
    """Back to "recommended", awaiting a fresh decision: the decision is removed (its change history
    keeps it, and the log row names its outcome and the reason), the layers above undo their part, the
    checks the decision found unanswered are asked again and the decision's deadline opens again."""
    now = now_or(now)
    locked = lock(referral, "board")
    if not user_may(actor, locked, "rescind"):
        raise PermissionDenied(ONLY_CHAIR_RESCINDS)
    if not reason.strip():
        raise ValidationError({"reason": REASON_REQUIRED})
    refusal = rescind_refusal(locked)
    if refusal or not can_proceed(locked.rescind):
        raise ValidationError(refusal or NOT_DECIDED)
    decision = locked.decision
    why = f"The Chair's decision ({decision.get_outcome_display().lower()}) was rescinded: {reason}"
    with state_change(locked, "rescind", actor=actor, reason=why, update_fields=["decided_at"]):
        locked.rescind()
    decision.delete()
    for undo in rescind_undoers():
        undo(referral=locked, actor=actor, reason=why, now=now)
    for deadline in deadlines_of(locked).filter(rule__code="decision-notice", status__in=ACTIVE_STATUSES):
        deadline_cancel(deadline=deadline, actor=actor, reason=why, now=now)
    for check in locked.agency_checks.filter(state=AgencyCheckState.UNANSWERED).select_related("agency"):
        check_reask(locked, check, actor=actor, now=now)
    open_deadline(
        locked,
        "decision",
        trigger_at=locked.received_at or now,
        actor=actor,
        responsible_users=lscb_chairs(locked.board),
        now=now,
    )
    notify_on_commit(
        business_unit(locked.board),
        subject=f"[{locked.reference}] The Chair's decision was rescinded",
        body=f"{why}\n\nThe referral awaits a fresh decision. Tell anyone who was told of the decision.",
        path=f"/referrals/{locked.pk}/",
    )
    return locked
