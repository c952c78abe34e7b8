"""The business manager produces a review letter in the browser: from the review page to its documents,
the App 4 invitation to the authors' briefing produced, rendered and ready to download, and the
anonymisation key of the review. axe-core checks every page on the way."""

import pytest

from tests.reviews.factories import add_imr, independent_person

from .test_documents_journey import open_documents, produce_a_draft

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]


def test_business_manager_produces_the_authors_briefing_invitation(
    page, axe, sign_in_as, render_on_commit, northshire_review
):
    review, manager, agency = northshire_review
    add_imr(review, agency, author=independent_person(full_name="Imogen Author"), actor=manager)

    open_documents(page, sign_in_as, f"/reviews/{review.pk}/")
    axe("review documents page")

    produce_a_draft(page, axe, "authors-briefing", "authors' briefing invitation")

    page.goto(f"/reviews/{review.pk}/documents/")
    page.get_by_role("link", name="Anonymisation key").click()
    key = page.locator("main").inner_text()
    assert "Imogen Author" in key and "Child A" in key  # IMR authors are anonymised outside the board
    axe("review anonymisation key")
