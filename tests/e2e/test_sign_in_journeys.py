"""Each demo role signs in with a password and an authenticator code, reaches its home page and signs
out; axe-core finds no WCAG 2.2 AA violation on any page on the way."""

import re

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from portal_site.demo import DEMO_PASSWORD, DEMO_USERS, OTHER_BOARD_MANAGER, PARTNERSHIP_USERS, demo_data_load
from scr_portal.models import Role, User

from .conftest import current_code

pytestmark = pytest.mark.django_db(transaction=True)

HOME_HEADING = {
    Role.BUSINESS_MANAGER: "Work queue",
    Role.BUSINESS_SUPPORT: "Work queue",
    Role.LSCB_CHAIR: "Decisions awaiting",
    Role.SUBCOMMITTEE_MEMBER: "Screening",
    Role.AGENCY_CONTACT: "Requests to answer",
    Role.HEAD_OF_AGENCY: "IMRs to sign off",
    Role.AUDITOR: "Audit",
    Role.PARTNER_LEAD: "Decisions to confirm",
}


def with_authenticator(email: str) -> str:
    secret = generate_totp_secret()
    TOTP.activate(User.objects.get(email=email), secret)
    return secret


def sign_in(page, email: str, password: str = DEMO_PASSWORD) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


@pytest.mark.parametrize(
    "spec",
    [*DEMO_USERS, OTHER_BOARD_MANAGER, *PARTNERSHIP_USERS],
    ids=lambda spec: spec.email.split("@")[0] + "-" + spec.email.split("@")[1].split(".")[0],
)
def test_demo_role_signs_in_with_second_factor_reaches_home_and_signs_out(page, axe, spec):
    demo_data_load()
    secret = with_authenticator(spec.email)

    page.goto("/accounts/login/")
    axe("sign-in")
    sign_in(page, spec.email)

    page.wait_for_url(re.compile(r"/accounts/2fa/authenticate/"))
    assert page.get_by_role("heading", level=1).inner_text()
    axe("second factor")
    page.get_by_label("Code from your authenticator app").fill(current_code(secret))
    page.get_by_role("button", name="Sign in").click()

    page.wait_for_url(re.compile(r"/$"))
    assert page.get_by_role("heading", name=HOME_HEADING[spec.role]).is_visible()
    axe("home")

    page.get_by_role("link", name="Sign out").click()
    axe("sign out")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(r"/accounts/login/|/$"))
    page.goto("/")
    assert "/accounts/login/" in page.url


def test_sign_in_with_errors_is_accessible_and_keeps_the_email(page, axe):
    demo_data_load()
    page.goto("/accounts/login/")
    page.get_by_role("button", name="Sign in").click()
    summary = page.locator(".govuk-error-summary")
    assert "Enter your email address" in summary.inner_text()
    axe("sign-in with missing answers")

    sign_in(page, "manager@northshire.example", "not the password")
    assert page.locator(".govuk-error-summary").is_visible()
    assert page.get_by_label("Email address").input_value() == "manager@northshire.example"
    axe("sign-in with a wrong password")

    page.locator(".govuk-error-summary a").first.click()
    assert page.evaluate("document.activeElement.id") == "id_login"


def test_public_statements_are_accessible(page, axe):
    page.goto("/accessibility/")
    assert page.get_by_role("heading", name="Accessibility statement").is_visible()
    axe("accessibility statement")
    page.goto("/privacy/")
    assert page.get_by_role("heading", name="Privacy notice").is_visible()
    axe("privacy notice")


def test_new_account_sets_up_an_authenticator_app_before_anything_else(page, axe):
    demo_data_load()
    sign_in(page, "auditor@northshire.example")
    # allauth asks for the password again before an authenticator can be added to an account.
    page.wait_for_url(re.compile(r"/accounts/reauthenticate/"))
    axe("confirm password")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url(re.compile(r"/accounts/2fa/totp/activate/"))
    axe("set up authenticator")
    secret = page.locator("#authenticator_secret").input_value()
    page.get_by_label("Code from your authenticator app").fill(current_code(secret))
    page.get_by_role("button", name="Activate").click()
    page.goto("/")
    assert page.get_by_role("heading", name="Audit").is_visible()
    axe("home after set-up")


def test_chair_of_two_boards_switches_board_in_the_header(page, axe):
    demo_data_load()
    secret = with_authenticator("chair@northshire.example")
    sign_in(page, "chair@northshire.example")
    page.get_by_label("Code from your authenticator app").fill(current_code(secret))
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/$"))
    page.get_by_label("Current board").select_option(label="Southvale Local Safeguarding Children Board")
    page.get_by_role("button", name="Switch board").click()
    assert "Southvale" in page.get_by_test_id("current-board").inner_text()
    axe("home after switching board")
