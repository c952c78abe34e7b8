"""Reads of the shared domain."""

from .models import BUSINESS_UNIT_ROLES, Board, Membership, Role


def roles_on_board(*, user, board: Board | None) -> set[str]:
    if board is None or not user.is_authenticated:
        return set()
    return set(Membership.objects.filter(user=user, board=board).values_list("role", flat=True))


def home_sections(*, roles: set[str]) -> list[str]:
    """Which parts of the home page a user sees, in order: the work queue for the business unit, decisions
    awaiting for the Chair, requests to answer for agency contacts, IMRs to sign off for heads of agency."""
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
    if Role.AUDITOR in roles:
        sections.append("audit")
    return sections
