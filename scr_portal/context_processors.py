from django.conf import settings


def portal(request):
    return {
        "service_name": "Serious Case Review portal",
        "current_board": getattr(request, "board", None),
        "user_boards": getattr(request, "boards", []),
        "mfa_not_enforced": not settings.MFA_REQUIRED,
        "dev_mailbox_enabled": settings.DEV_MAILBOX_ENABLED,
    }
