from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse

from .selectors import case_boards


def portal(request):
    board = getattr(request, "board", None)
    return {
        "service_name": "Serious Case Review portal",
        "current_board": board,
        "user_boards": getattr(request, "boards", []),
        # Read only when the header has no current board to show (a panel member from elsewhere, an IMR
        # author): the boards of their cases (issue 19).
        "case_boards": lambda: case_boards(request.user),
        "mfa_not_enforced": not settings.MFA_REQUIRED,
        "change_history_off": not settings.CHANGE_HISTORY_ENABLED,
        "dev_mailbox_enabled": settings.DEV_MAILBOX_ENABLED,
        # Which links the navigation offers; every view still checks permission itself.
        "nav": navigation(getattr(request, "board_perms", frozenset()), board),
    }


@dataclass(frozen=True)
class NavItem:
    name: str  # the URL name, to mark the current page
    label: str
    href: str


BOARD_WIDE = frozenset({"work_cases", "decide_referrals", "screen_referrals", "audit_board"})
# The few sections each board permission's holders use day to day; the other links go under "More".
SECTIONS_BY_PERM = {
    "work_cases": {"referral_list", "review_list", "imr_list", "deadline_dashboard", "report_index"},
    "decide_referrals": {"referral_list", "review_list", "report_index"},
    "screen_referrals": {"referral_list", "review_list", "action_list"},
    "audit_board": {"review_list", "action_list"},
    "answer_agency_requests": {"imr_list", "action_list"},
}
# Without a board-wide role (an IMR author, a panel member from another board) the person's work is IMRs.
SECTIONS_WITHOUT_ROLE = {"imr_list"}


def navigation(perms: frozenset, board=None) -> dict:
    """The header's links for a person with board permissions `perms` on `board`: `sections`, the few their
    role uses, and `more`, the rest (one disclosure menu)."""
    board_wide = bool(perms & BOARD_WIDE)
    offered = [
        ("deadline_dashboard", "Deadlines", board_wide),
        ("referral_list", "Referrals", board_wide),
        ("review_list", "Reviews", board_wide),
        ("imr_list", "IMRs", True),
        ("action_list", "Actions", board is not None),
        # Board reports are for the business unit and the LSCB Chair (portal_site.reports checks again).
        ("report_index", "Reports", bool(perms & {"work_cases", "decide_referrals"})),
        ("undelivered_notifications", "Undelivered", "work_cases" in perms),
        ("board_detail", "Board", board is not None),
        ("notification_settings", "Reminders", True),
        ("dev_mailbox", "Mailbox (demo)", settings.DEV_MAILBOX_ENABLED),
        ("mfa_index", "Your account", True),
    ]
    used = set().union(*(SECTIONS_BY_PERM.get(perm, set()) for perm in perms)) or SECTIONS_WITHOUT_ROLE
    sections = [NavItem("home", "Home", reverse("home"))]
    more = []
    for name, label, shown in offered:
        if not shown:
            continue
        href = reverse(name, args=[board.pk]) if name == "board_detail" else reverse(name)
        (sections if name in used else more).append(NavItem(name, label, href))
    return {"sections": sections, "more": more}
