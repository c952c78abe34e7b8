from django.conf import settings

from .selectors import case_boards


def portal(request):
    return {
        "service_name": "Serious Case Review portal",
        "current_board": getattr(request, "board", None),
        "user_boards": getattr(request, "boards", []),
        # Read only when the header has no current board to show (a panel member from elsewhere, an IMR
        # author): the boards of their cases (issue 19).
        "case_boards": lambda: case_boards(request.user),
        "mfa_not_enforced": not settings.MFA_REQUIRED,
        "change_history_off": not settings.CHANGE_HISTORY_ENABLED,
        "dev_mailbox_enabled": settings.DEV_MAILBOX_ENABLED,
        # Which links the navigation offers; every view still checks permission itself.
        "nav": navigation(getattr(request, "board_perms", frozenset())),
    }


def navigation(perms: frozenset) -> dict:
    board_wide = bool(perms & {"work_cases", "decide_referrals", "screen_referrals", "audit_board"})
    return {
        "deadlines": board_wide,
        "undelivered": "work_cases" in perms,
        "settings": "manage_board" in perms,
        # Board reports are for the business unit and the LSCB Chair (portal_site.reports checks again).
        "reports": bool(perms & {"work_cases", "decide_referrals"}),
    }
