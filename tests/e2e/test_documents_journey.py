"""The business manager produces a referral's documents in the browser: the documents page, an Ofsted
notification with its options (an error first), the progress page, the anonymised version and its
check, the key (a person added, which blocks the version), the override with a reason, approval, and
the wording editor's preview. axe-core checks every page on the way."""

import re

import pytest

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]


def open_documents(page, sign_in_as, owner_url: str) -> None:
    """Signed in as Northshire's business manager, from a referral's or a review's page to its documents."""
    sign_in_as("manager@northshire.example")
    page.goto(owner_url)
    page.get_by_test_id("documents-link").click()
    assert page.get_by_role("heading", name="Documents and letters").is_visible()


def produce_a_new_draft(page, kind: str) -> None:
    page.get_by_test_id(f"kind-{kind}").get_by_role("link", name=re.compile("Produce a new draft")).click()


def produce_a_draft(page, axe, kind: str, what: str) -> None:
    """From the documents page, a new draft of a kind without options, produced and ready to download."""
    produce_a_new_draft(page, kind)
    axe(f"produce the {what}")
    page.get_by_role("button", name="Produce the draft").click()
    page.wait_for_url(re.compile(r"/documents/\d+/$"))
    assert page.get_by_test_id("download").is_visible()
    axe(f"{what}, ready")


def test_business_manager_produces_checks_and_releases_an_ofsted_notification(
    page, axe, sign_in_as, render_on_commit, northshire_referral
):
    referral, _, _ = northshire_referral
    open_documents(page, sign_in_as, f"/referrals/{referral.pk}/")
    axe("documents page")

    produce_a_new_draft(page, "notification-ofsted")
    page.get_by_role("button", name="Produce the draft").click()
    assert "Select what the notification is about" in page.locator(".govuk-error-summary").inner_text()
    axe("notification options with an error")
    page.get_by_label("The serious incident").check()
    page.get_by_role("button", name="Produce the draft").click()
    page.wait_for_url(re.compile(r"/documents/\d+/$"))
    assert page.get_by_test_id("download").is_visible()
    axe("internal version, ready")

    page.get_by_role("link", name=re.compile("the anonymised version 1")).click()
    assert "Check passed" in page.get_by_test_id("check-outcome").inner_text()
    axe("anonymised version, check passed")
    anonymised_url = page.url

    page.get_by_role("link", name="anonymisation key").click()
    axe("anonymisation key")
    page.get_by_role("link", name="Add a person").click()
    page.get_by_role("button", name="Save").click()
    assert page.locator(".govuk-error-summary").is_visible()
    axe("add a person with errors")
    # The Chair, who is named in every notification, is added to the key by mistake.
    page.get_by_label("Real name").fill("Helen Ward")
    page.get_by_label("Pseudonym").fill("Professional 1")
    page.get_by_label("Role").select_option("other")
    page.get_by_role("button", name="Save").click()
    banner = page.locator(".govuk-notification-banner").inner_text()
    assert "Professional 1 has been added to the key." in banner

    page.goto(anonymised_url)
    assert "has changed since this version was checked" in page.get_by_test_id("release-problem").inner_text()
    page.get_by_role("button", name="Check again").click()
    assert "Blocked" in page.get_by_test_id("check-outcome").inner_text()
    assert "Helen Ward" in page.get_by_test_id("findings").inner_text()
    axe("anonymised version, blocked")

    page.get_by_role("link", name="Override the check").click()
    page.get_by_role("button", name="Override and release this version").click()
    assert page.locator(".govuk-error-summary").is_visible()
    axe("override with an error")
    page.get_by_label("Why may this version leave the board as it is?").fill(
        "The name found is the LSCB Chair's, who is named in every notification."
    )
    page.get_by_role("button", name="Override and release this version").click()
    assert "overridden by Morgan Price" in page.get_by_test_id("override").inner_text()
    assert page.get_by_test_id("download").is_visible()

    page.get_by_role("link", name=re.compile("the internal version 1")).click()
    page.get_by_role("link", name="Approve this version").click()
    axe("approve")
    page.get_by_role("button", name="Approve").click()
    assert "Approved" in page.locator(".govuk-notification-banner").inner_text()
    axe("approved version")

    page.goto("/document-wording/")
    axe("wording list")
    page.get_by_role("link", name="Notification to Ofsted: the text").click()
    page.get_by_label("Wording").fill("We write about {{ child.nmae }}.")
    page.get_by_role("button", name="Preview").click()
    assert "{{ child.nmae }}" in page.locator(".govuk-error-summary").inner_text()
    axe("wording with an error")
    page.get_by_label("Wording").fill("We write about {{ child.name }}, aged {{ child.age }}.")
    page.get_by_role("button", name="Preview").click()
    assert "We write about Child A, aged 6 years." in page.get_by_test_id("preview").inner_text()
    axe("wording preview")
    page.get_by_role("button", name="Save this version").click()
    assert "version 1 saved" in page.locator(".govuk-notification-banner").inner_text()
