"""Reads of the shared domain."""

from .models import BUSINESS_UNIT_ROLES, Board, Role
from .permissions import roles_on


def roles_on_board(*, user, board: Board | None) -> set[str]:
    if board is None or not user.is_authenticated:
        return set()
    return roles_on(user, board)


def home_sections(*, roles: set[str]) -> list[str]:
    """Which parts of the home page a user sees, in order: the work queue for the business unit, decisions
    awaiting for the Chair, requests to answer for agency contacts, IMRs to sign off for heads of agency,
    the partners' decisions to confirm for a safeguarding partner's lead (England 2023)."""
    sections = []
    if roles & BUSINESS_UNIT_ROLES:
        sections.append("work_queue")
    if Role.LSCB_CHAIR in roles:
        sections.append("decisions_awaiting")
    if Role.SUBCOMMITTEE_MEMBER in roles:
        sections.append("screening")
    if Role.AGENCY_CONTACT in roles:
        sections.append("agency_requests")
    if Role.HEAD_OF_AGENCY in roles:
        sections.append("sign_off")
    if Role.PARTNER_LEAD in roles:
        sections.append("decisions_to_confirm")
    if Role.AUDITOR in roles:
        sections.append("audit")
    return sections


# Boards a person works for through a case rather than a membership (a panel from another board, an IMR
# author): the apps above register how to find them, so the header names the board (issue 19).
_case_board_finders: list = []


def register_case_boards(finder) -> None:
    """`finder(user)` -> a queryset of the board ids where `user` works on a case without a membership."""
    if finder not in _case_board_finders:
        _case_board_finders.append(finder)


def case_boards(user) -> list[Board]:
    if not getattr(user, "is_authenticated", False) or not _case_board_finders:
        return []
    ids = set()
    for finder in _case_board_finders:
        ids.update(finder(user))
    return list(Board.objects.filter(pk__in=ids).order_by("name"))
