"""Who may see and act on a referral (domain brief §2.3). Board-wide viewers — business unit, LSCB Chair,
sub-committee, auditors — see every submitted referral of their board; the person who made a referral
sees their own; an agency contact sees referrals their agency was asked about. A draft is seen by its
author only."""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from scr_portal import frameworks
from scr_portal.models import Agency, Board, Membership, Role
from scr_portal.permissions import (
    DECIDE_REFERRALS,
    SCREEN_REFERRALS,
    VIEW_BOARD,
    WORK_CASES,
    board_ids_with_any_perm,
    memberships_of,
    roles_on,
    user_has_board_perm,
)
from scr_portal.permissions import sees_whole_board as sees_all_referrals

from .frameworks import side
from .models import AgencyCheck, Referral, ReferralState

CREATE_ROLES = {Role.AGENCY_CONTACT, Role.BUSINESS_MANAGER, Role.BUSINESS_SUPPORT, Role.SUBCOMMITTEE_MEMBER}

ACTION_PERMS = {
    "send_checks": (WORK_CASES,),
    "record_check_reply": (WORK_CASES,),
    "schedule_screening": (WORK_CASES,),
    "recommend": (WORK_CASES, SCREEN_REFERRALS),
    "decide": (DECIDE_REFERRALS,),
    "rescind": (DECIDE_REFERRALS,),
    "withdraw": (WORK_CASES,),
    "transfer": (WORK_CASES,),
    "mark_duplicate": (WORK_CASES,),
    "record_notification": (WORK_CASES,),
    "record_panel_response": (WORK_CASES,),
}


def user_agency_ids(user, board: Board) -> list[int]:
    return [
        agency
        for board_pk, role, agency in memberships_of(user)
        if board_pk == board.pk and role == Role.AGENCY_CONTACT
    ]


def can_create_referral(user, board: Board | None) -> bool:
    if board is None:
        return False
    return bool(roles_on(user, board) & set(CREATE_ROLES))


def referrals_visible_to(user, board: Board | None) -> QuerySet[Referral]:
    if board is None or board.pk not in board_ids_with_any_perm(user, [VIEW_BOARD]):
        return Referral.objects.none()
    referrals = Referral.objects.filter(board=board)
    own = Q(created_by=user)
    if sees_all_referrals(user, board):
        return referrals.filter(own | ~Q(state=ReferralState.DRAFT))
    agencies = user_agency_ids(user, board)
    seen = Q(pk__in=AgencyCheck.objects.filter(agency_id__in=agencies).values("referral_id"))
    if Role.PARTNER_LEAD in roles_on(user, board):
        # A partner's lead sees the cases of the frameworks whose decision the partners confirm.
        seen |= Q(
            review_framework__in=[f.code for f in frameworks.all_frameworks() if Role.PARTNER_LEAD in f.roles]
        )
    return referrals.filter(own | (seen & ~Q(state=ReferralState.DRAFT)))


def led_partners(user, referral: Referral) -> dict[str, Agency]:
    """The safeguarding partners `user` leads on the referral's board (England 2023), each with its agency."""
    return partners_led_on(user, referral.board_id)


def partners_led_on(user, board_id: int) -> dict[str, Agency]:
    memberships = Membership.objects.filter(
        user=user, board_id=board_id, role=Role.PARTNER_LEAD, agency__partner__gt=""
    ).select_related("agency")
    return {membership.agency.partner: membership.agency for membership in memberships}


def user_may(user, referral: Referral, action: str) -> bool:
    if action in {"edit_draft", "submit"}:
        return referral.created_by_id == user.pk
    # Who records the decision is the framework's: the LSCB Chair, or the partners' business unit.
    perms = side(referral).decision_recorded_with if action == "decide" else ACTION_PERMS[action]
    return any(user_has_board_perm(user, referral.board, perm) for perm in perms)


def get_referral_for_user(
    user, pk: int, action: str | None = None, *, related: Iterable[str] = ()
) -> Referral:
    """404 when the user may not know the referral exists; 403 when they see it but may not do `action`.
    `related`: the rows the page shows with it (select_related), fetched in the same query."""
    referral = Referral.objects.select_related("board", *related).filter(pk=pk).first()
    if referral is None or not referrals_visible_to(user, referral.board).filter(pk=pk).exists():
        raise Http404("No such referral.")
    if action and not user_may(user, referral, action):
        raise PermissionDenied("You cannot do that on this referral.")
    return referral


def get_check_for_user(user, pk: int) -> AgencyCheck:
    """An agency check its agency's contact may answer (or the business unit record). Others: 404."""
    check = AgencyCheck.objects.select_related("referral__board", "agency").filter(pk=pk).first()
    if check is None:
        raise Http404("No such request.")
    board = check.referral.board
    if check.agency_id in user_agency_ids(user, board) or user_has_board_perm(user, board, WORK_CASES):
        return check
    raise Http404("No such request.")
