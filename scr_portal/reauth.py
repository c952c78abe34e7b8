"""Recent sign-in checks for weighty actions (the LSCB Chair's decision): the person must have signed in,
or confirmed their password, within the last few minutes."""

import time
from urllib.parse import urlencode

from allauth.account.authentication import get_authentication_records
from django.shortcuts import redirect
from django.urls import reverse

RECENT_SIGN_IN_SECONDS = 15 * 60


def signed_in_within(request, seconds: int = RECENT_SIGN_IN_SECONDS) -> bool:
    records = get_authentication_records(request, request.user)
    latest = max((record.get("at", 0) for record in records), default=0)
    return time.time() - latest <= seconds


def sign_in_again(request):
    """Send the user to confirm their password, then back here."""
    return redirect(f"{reverse('account_reauthenticate')}?{urlencode({'next': request.get_full_path()})}")
