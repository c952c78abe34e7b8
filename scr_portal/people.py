"""Who to tell or make responsible, by role: one definition of "the business unit", "the LSCB Chair" and
"the agency's contacts" for every app, so a notice and a deadline always reach the same people. Only
active users count; each person once, whatever roles they hold."""

from collections.abc import Iterable

from .models import Agency, Board, Role, User


def board_people(board: Board, roles: Iterable[str]) -> list[User]:
    """The active people holding any of `roles` on the board."""
    return list(
        User.objects.filter(
            memberships__board=board, memberships__role__in=list(roles), is_active=True
        ).distinct()
    )


def business_unit(board: Board) -> list[User]:
    """The board's business manager and support staff, who run the process."""
    return board_people(board, [Role.BUSINESS_MANAGER, Role.BUSINESS_SUPPORT])


def lscb_chairs(board: Board) -> list[User]:
    return board_people(board, [Role.LSCB_CHAIR])


def _agency_people(agency: Agency | int, role: str) -> list[User]:
    return list(
        User.objects.filter(memberships__agency=agency, memberships__role=role, is_active=True).distinct()
    )


def agency_contacts(agency: Agency | int) -> list[User]:
    """The agency's active contacts. Takes the agency or its id, so callers holding only a foreign key
    need not load the agency."""
    return _agency_people(agency, Role.AGENCY_CONTACT)


def heads_of_agency(agency: Agency | int) -> list[User]:
    """The agency's active heads (chief executive or director), who sign off its IMRs."""
    return _agency_people(agency, Role.HEAD_OF_AGENCY)


def partner_leads(board: Board) -> list[User]:
    """The leads of the board's safeguarding partners (England 2023), who confirm the partners' decision."""
    return board_people(board, [Role.PARTNER_LEAD])
