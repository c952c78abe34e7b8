"""The business manager produces a review letter in the browser: from the review page to its documents,
the App 4 invitation to the authors' briefing produced, rendered and ready to download, and the
anonymisation key of the review. axe-core checks every page on the way."""

import re

import pytest

from tests.reviews.factories import add_imr, independent_person

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]


def test_business_manager_produces_the_authors_briefing_invitation(
    page, axe, sign_in_as, render_on_commit, northshire_review
):
    review, manager, agency = northshire_review
    add_imr(review, agency, author=independent_person(full_name="Imogen Author"), actor=manager)

    sign_in_as("manager@northshire.example")
    page.goto(f"/reviews/{review.pk}/")
    page.get_by_test_id("documents-link").click()
    assert page.get_by_role("heading", name="Documents and letters").is_visible()
    axe("review documents page")

    page.get_by_test_id("kind-authors-briefing").get_by_role(
        "link", name=re.compile("Produce a new draft")
    ).click()
    axe("produce the authors' briefing invitation")
    page.get_by_role("button", name="Produce the draft").click()
    page.wait_for_url(re.compile(r"/documents/\d+/$"))
    assert page.get_by_test_id("download").is_visible()
    axe("authors' briefing invitation, ready")

    page.goto(f"/reviews/{review.pk}/documents/")
    page.get_by_role("link", name="Anonymisation key").click()
    key = page.locator("main").inner_text()
    assert "Imogen Author" in key and "Child A" in key  # IMR authors are anonymised outside the board
    axe("review anonymisation key")
