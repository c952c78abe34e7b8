from allauth.account.adapter import DefaultAccountAdapter


class PortalAccountAdapter(DefaultAccountAdapter):
    """Accounts are created by the business unit, never by self-registration."""

    def is_open_for_signup(self, request) -> bool:
        return False
