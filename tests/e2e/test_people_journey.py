"""Issue 19's invitation in the browser: the business manager invites an independent overview author from
the board's People page, appoints them to a review with their independence declaration, and the author
follows the emailed link, chooses a password, sets up an authenticator app and sees exactly their review.
axe-core checks every page visited."""

import re

import pytest
from django.core import mail
from django.utils import timezone

from portal_site.demo import demo_data_load
from reviews.models import Review
from scr_portal.models import Agency, Board, User

from ..referrals.factories import decide, recommended
from .conftest import current_code
from .test_review_journey import declare

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "a-long-and-unusual-passphrase-42"


def decided(board, manager, chair, agency) -> Review:
    referral = recommended(board=board, author=manager, manager=manager, agencies=[agency])
    decide(referral, actor=chair, reasons="A child died.", members_consulted="All", now=timezone.now())
    return Review.objects.get(referral=referral)


def test_the_manager_invites_an_independent_author_who_sees_exactly_their_review(
    page, new_page, axe, sign_in_as, monkeypatch
):
    # No worker here: queued emails are sent at once, into the test outbox.
    monkeypatch.setattr(
        "scr_portal.queue._safe_send", lambda task, args, kwargs: task.apply(args=args, kwargs=kwargs)
    )
    demo_data_load()
    board = Board.objects.get(short_name="NLSCB")
    manager = User.objects.get(email="manager@northshire.example")
    chair = User.objects.get(email="chair@northshire.example")
    police = Agency.objects.get(board=board, name="Northshire Police")
    mine, other = (decided(board, manager, chair, police) for _ in range(2))
    today = timezone.localdate()

    sign_in_as("manager@northshire.example")
    page.goto(f"/boards/{board.pk}/")
    page.get_by_role("link", name="People and roles").click()
    axe("people")
    page.get_by_role("link", name="Invite a person").click()
    page.get_by_role("button", name="Send the invitation").click()
    assert "Enter the person's full name" in page.locator(".govuk-error-summary").inner_text()
    axe("invitation refused")
    page.get_by_label("Full name").fill("Robin Independent")
    page.get_by_label("Email address").fill("robin@independent.example")
    page.get_by_role("button", name="Send the invitation").click()
    assert "Now give them a role" in page.locator(".govuk-notification-banner").inner_text()
    axe("give a role")
    page.get_by_label("Independent overview author of a review").check()
    page.get_by_label("Review (panel chair and overview author)").select_option(label=mine.reference)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(re.compile(rf"/reviews/{mine.pk}/panel/appoint/"))
    assert (
        page.get_by_label("Email address of the person appointed").input_value()
        == "robin@independent.example"
    )
    declare(page, "author", email="robin@independent.example", organisation="Self-employed", today=today)
    page.get_by_role("button", name="Appoint").click()
    assert (
        "has been appointed independent overview author"
        in page.locator(".govuk-notification-banner").inner_text()
    )
    page.goto(f"/boards/{board.pk}/people/")
    row = page.get_by_test_id("person").filter(has_text="Robin Independent")
    assert f"Independent overview author, {mine.reference}" in row.inner_text()
    assert "Invited, no password yet" in row.inner_text()
    axe("people with the invited author")

    # The author follows the emailed link, chooses a password and signs in.
    invitation = next(email for email in mail.outbox if email.to == ["robin@independent.example"])
    path = re.search(r"https?://[^/]+(/accounts/password/reset/key/\S+/)", invitation.body).group(1)
    author = new_page()
    axe.page = author
    author.goto(path)
    axe("choose a password")
    author.locator("[name=password1]").fill(PASSWORD)
    author.locator("[name=password2]").fill(PASSWORD)
    author.get_by_role("button", name=re.compile("password", re.I)).click()
    author.goto("/accounts/login/")
    author.get_by_label("Email address").fill("robin@independent.example")
    author.get_by_label("Password").fill(PASSWORD)
    author.get_by_role("button", name="Sign in").click()
    author.wait_for_url(re.compile(r"/accounts/(reauthenticate|2fa/totp/activate)/"))
    if "reauthenticate" in author.url:
        author.get_by_label("Password").fill(PASSWORD)
        author.get_by_role("button", name="Confirm").click()
        author.wait_for_url(re.compile(r"/accounts/2fa/totp/activate/"))
    secret = author.locator("#authenticator_secret").input_value()
    author.get_by_label("Code from your authenticator app").fill(current_code(secret))
    author.get_by_role("button", name="Activate").click()

    author.goto(f"/reviews/{mine.pk}/")
    assert author.get_by_text(mine.reference).first.is_visible()
    axe("the author's review")
    assert author.goto(f"/reviews/{other.pk}/").status == 404
