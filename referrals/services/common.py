"""What every referral service shares: the messages the pages show as they are, the permission check, the
reference numbering."""

from django.core.exceptions import PermissionDenied, ValidationError
from django_fsm import can_proceed

from scr_portal.clock.services import deadline_open
from scr_portal.models import Board
from scr_portal.transitions import lock

from ..frameworks import ONLY_CHAIR_DECIDES, side  # noqa: F401 — the message is offered from here
from ..models import (
    Recommendation,
    Referral,
)
from ..permissions import user_may

NOT_A_DRAFT = "This referral has been submitted and can no longer be changed here."
ALREADY_DECIDED = "This referral has already been decided. Your decision was not saved."
NOT_READY_TO_DECIDE = "The referral needs a screening recommendation before the Chair decides."
REASONS_REQUIRED_NFA = "Give the reasons for deciding that no review is held."
REASONS_REQUIRED_DEPART = "Give the reasons for a decision that departs from the advice."
ALTERNATIVE_TYPE_REQUIRED = "Select which alternative review is held."
CHECK_CLOSED = "This request has already been answered or is closed."
CHECK_AFTER_DECISION = "The Chair has decided on this referral, so the request can no longer be answered."
NO_AGENCIES = "Select at least one agency to write to."
ALL_REPLIED = "Every agency you selected has already replied. Select an agency not yet asked."
AGENCY_OF_OTHER_BOARD = "That agency does not belong to this board."
CANNOT_NOW = "That cannot be done at this stage of the referral."
DUPLICATE_OF_ITSELF = "A referral cannot be a duplicate of itself."
DUPLICATE_OTHER_BOARD = "The original referral must belong to the same board."
DUPLICATE_OF_CLOSED = "The original must be a referral that is not itself closed as a duplicate."
REASON_REQUIRED = "Give the reason."
NOT_SUBCOMMITTEE = "Members present must be members of the board's SCR sub-committee."
NO_DECISION_YET = "There is no decision to notify yet."
LEAD_BOARD_REQUIRED = "Enter the name of the board that will lead."

# The notices of the decision (rule "decision-notice", met when the notice is recorded), per body, for the
# bodies the board's DECISION_NOTIFY_BODIES lists; and the tasks done outside the portal (rule
# "post-decision", recorded by hand) (Cambridgeshire §5).
DECISION_NOTICE_TASKS = {
    "ofsted": "Tell Ofsted of the decision",
    "dfe": "Tell the DfE of the decision",
    "national_panel": "Tell the National Panel of the decision",
}
POST_DECISION_TASKS = (
    "Send letters to chief officers, copied to the panel",
    "Agencies confirm their records are secured",
)
REVIEW_TYPE_FOR = {Recommendation.SCR: "scr"}


def _require(actor, referral: Referral, action: str) -> None:
    if not user_may(actor, referral, action):
        raise PermissionDenied(
            side(referral).decision_refusal if action == "decide" else "You cannot do that on this referral."
        )


def _locked_for(referral: Referral, actor, action: str, transition: str = "") -> Referral:
    """The referral locked for `actor` to do `action`: refused unless they may, and, when a `transition`
    is named, unless its guard lets it run now."""
    locked = lock(referral, "board")
    _require(actor, locked, action)
    if transition and not can_proceed(getattr(locked, transition)):
        raise ValidationError(CANNOT_NOW)
    return locked


def open_deadline(referral: Referral, rule_code: str, *, actor, now, trigger_at=None, subject=None, **more):
    """Open one of the referral's deadlines, filed under its reference, from `trigger_at` (default `now`).
    `subject` is the referral unless a part of it (an agency check); `more`: responsible_users, title."""
    return deadline_open(
        board=referral.board,
        subject=referral if subject is None else subject,
        rule_code=rule_code,
        case_reference=referral.reference,
        review_framework=referral.review_framework,
        trigger_at=now if trigger_at is None else trigger_at,
        actor=actor,
        now=now,
        **more,
    )


def _next_reference(board: Board, year: int) -> str:
    Board.objects.select_for_update().filter(pk=board.pk).first()  # serialises numbering per board
    prefix = f"{board.short_name}-{year}-"
    last = (
        Referral.objects.filter(board=board, reference__startswith=prefix)
        .order_by("-reference")
        .values_list("reference", flat=True)
        .first()
    )
    number = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{number:04d}"
