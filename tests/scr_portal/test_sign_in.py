"""Sign-in rules: email and password, a second factor, lockout after repeated failures, idle timeout,
and nothing public but the pages that must be."""

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time
from django.conf import settings
from django.urls import reverse

from ..factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = ["/accounts/login/", "/accounts/password/reset/", "/accessibility/", "/privacy/", "/healthz"]


def totp_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))


def sign_in(client, email, password):
    return client.post(reverse("account_login"), {"login": email, "password": password})


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_need_no_sign_in(client, path):
    assert client.get(path).status_code == 200


@pytest.mark.parametrize("path", ["/", "/admin/", "/dev/mailbox/", "/accounts/2fa/"])
def test_everything_else_needs_sign_in(client, path):
    response = client.get(path, follow=True)
    assert response.redirect_chain
    assert response.redirect_chain[-1][0].startswith("/accounts/login/")


def test_sign_in_asks_for_the_second_factor_then_lets_in(client, board_a, manager_a):
    response = sign_in(client, manager_a.email, TEST_PASSWORD)
    assert response.status_code == 302 and response.url == reverse("mfa_authenticate")
    assert client.get(reverse("home")).status_code == 302  # not signed in yet
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(manager_a.totp_secret)})
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_wrong_second_factor_code_is_refused(client, manager_a):
    sign_in(client, manager_a.email, TEST_PASSWORD)
    response = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert response.status_code == 200
    assert "govuk-error-message" in response.text
    assert client.get(reverse("home")).status_code == 302


def test_account_without_authenticator_must_set_one_up_first(client, board_a):
    user = UserFactory(totp=False)
    response = sign_in(client, user.email, TEST_PASSWORD)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("mfa_activate_totp"))


def test_wrong_password_shows_error_summary_and_keeps_email(client, manager_a):
    response = sign_in(client, manager_a.email, "wrong password")
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert f'value="{manager_a.email}"' in response.text


def test_locked_out_user_cannot_sign_in_even_with_the_right_password(client, manager_a):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, manager_a.email, "wrong password")
    response = sign_in(client, manager_a.email, TEST_PASSWORD)
    assert response.status_code == 429
    assert "Your account is locked" in response.text
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("mfa_authenticate")).status_code != 200


def test_lockout_lifts_after_the_thirty_minute_cool_off_and_not_before(client, manager_a):
    import datetime as dt

    import time_machine
    from django.utils import timezone

    assert settings.AXES_COOLOFF_TIME == dt.timedelta(minutes=30)
    locked_at = timezone.now()
    with time_machine.travel(locked_at, tick=False):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            sign_in(client, manager_a.email, "wrong password")
    with time_machine.travel(locked_at + dt.timedelta(minutes=29), tick=False):
        assert sign_in(client, manager_a.email, TEST_PASSWORD).status_code == 429
    # The cool-off runs from the last attempt, the refused one at 29 minutes included.
    with time_machine.travel(locked_at + dt.timedelta(minutes=29 + 31), tick=False):
        response = sign_in(client, manager_a.email, TEST_PASSWORD)
    assert response.status_code == 302 and response.url == reverse("mfa_authenticate")


def test_lockout_of_one_account_does_not_lock_another(client, manager_a, chair_a):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, manager_a.email, "wrong password")
    response = sign_in(client, chair_a.email, TEST_PASSWORD)
    assert response.status_code == 302 and response.url == reverse("mfa_authenticate")


def test_session_ends_after_thirty_idle_minutes():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    # The idle clock moves once a minute at most (tests/security/test_idle_timeout.py), not on every request.
    assert "scr_portal.middleware.IdleSessionMiddleware" in settings.MIDDLEWARE


def test_passwords_are_hashed_with_argon2_outside_tests():
    from scr_portal.settings import base

    assert base.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_self_registration_is_closed(client):
    response = client.get("/accounts/signup/")
    assert response.status_code in (200, 302, 404)
    assert "Sign up" not in response.text or "closed" in response.text.lower()


def test_password_reset_sends_an_email_with_a_link(client, manager_a, mailoutbox):
    response = client.post(reverse("account_reset_password"), {"email": manager_a.email})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert "/accounts/password/reset/key/" in mailoutbox[0].body
