from allauth.account.adapter import DefaultAccountAdapter


class PortalAccountAdapter(DefaultAccountAdapter):
    """Accounts are created by the business unit, never by self-registration."""

    def is_open_for_signup(self, request) -> bool:
        return False


def email_verified_by_reset(sender, request, user, **kwargs) -> None:
    """A password set from an emailed link (an invitation or a reset) proves the person holds the
    address: mark it verified, or allauth refuses to set up the authenticator app the portal requires
    (an invited person would otherwise be stuck at their first sign-in)."""
    from allauth.account.models import EmailAddress

    address, _ = EmailAddress.objects.get_or_create(
        user=user, email__iexact=user.email, defaults={"email": user.email, "primary": True}
    )
    if not address.verified:
        address.verified = True
        address.save(update_fields=["verified"])
