"""An alternative review in the browser (domain brief §4.8): the LSCB Chair selects two referrals for a
key-themes report (after one refused attempt), the business manager appoints the Q&E lead, completes the
steps, uploads the report and records its acceptance with a recommendation, which lands in the action
plan. axe-core checks every page visited."""

import pytest
import time_machine
from playwright.sync_api import expect

from portal_site.demo import demo_data_load
from reviews.models import AlternativeState, Review, ReviewState, ReviewType
from scr_portal.models import Board, User
from tests.referrals.factories import submitted
from tests.reviews.factories import NOW, PDF, TODAY

from .test_review_journey import axe_on, fill_date

pytestmark = pytest.mark.django_db(transaction=True)


def test_key_themes_report_from_two_referrals_to_accepted_output(page, new_page, axe, sign_in_as):  # noqa: F811
    with time_machine.travel(NOW, tick=True):
        demo_data_load()
        board = Board.objects.get(short_name="NLSCB")
        manager = User.objects.get(email="manager@northshire.example")
        first, second = (submitted(board=board, author=manager) for _ in range(2))

        # The LSCB Chair sets off the report from their home page.
        sign_in_as("chair@northshire.example")
        page.goto("/")
        page.get_by_test_id("key-themes-link").click()
        axe("the key-themes page")
        page.get_by_label("Why are these referrals considered together?").fill("Neglect in two families.")
        page.get_by_label(first.reference, exact=False).check()
        page.get_by_role("button", name="Set up the key-themes report").click()
        expect(page.locator(".govuk-error-summary")).to_contain_text("Select at least two referrals")
        expect(page.get_by_label("Why are these referrals considered together?")).to_have_value(
            "Neglect in two families."
        )
        axe("the key-themes page, with an error")
        page.get_by_label(first.reference, exact=False).check()
        page.get_by_label(second.reference, exact=False).check()
        page.get_by_role("button", name="Set up the key-themes report").click()
        expect(page.get_by_test_id("alternative-state")).to_have_text("Planning")
        axe("the new key-themes report")
        review = Review.objects.get(board=board, review_type=ReviewType.KEY_THEMES)

        # The business manager appoints the lead, completes the steps and uploads the report.
        manager_page = new_page()
        sign_in_as("manager@northshire.example", manager_page)
        manager_page.goto(f"/reviews/{review.pk}/")
        axe_on(axe, manager_page, "the review page")
        manager_page.get_by_test_id("alternative-link").click()
        manager_page.get_by_test_id("appoint").click()
        axe_on(axe, manager_page, "appoint the lead")
        manager_page.get_by_label("Or the name of someone from outside the board").fill("Quinn Auditor")
        manager_page.get_by_label("Their organisation").fill("Independent Audit Ltd")
        manager_page.get_by_role("button", name="Save").click()
        expect(manager_page.get_by_test_id("alternative-state")).to_have_text("Under way")
        for step in ("Notifications gathered", "Themes analysed"):
            manager_page.get_by_role("link", name=step).click()
            axe_on(axe, manager_page, f"step: {step}")
            fill_date(manager_page, "Date it was done", TODAY)
            manager_page.get_by_role("button", name="Record as done").click()
            expect(manager_page.locator(".govuk-notification-banner")).to_contain_text(step)
        manager_page.get_by_role("link", name="Summary report shaping the audit schedule").click()
        axe_on(axe, manager_page, "upload the report")
        manager_page.get_by_label("Upload the output document").set_input_files(
            files=[{"name": "key-themes.pdf", "mimeType": "application/pdf", "buffer": PDF}]
        )
        manager_page.get_by_role("button", name="Upload", exact=True).click()
        expect(manager_page.get_by_test_id("alternative-state")).to_have_text("Output received")
        expect(manager_page.get_by_test_id("output-check")).to_contain_text("Anonymisation check")
        axe_on(axe, manager_page, "the report received")

        # The acceptance, with one recommendation for the action plan.
        manager_page.get_by_test_id("accept").click()
        axe_on(axe, manager_page, "record the acceptance")
        manager_page.get_by_label("The monitoring group").check()
        fill_date(manager_page, "Date it was accepted", TODAY)
        manager_page.get_by_label("Recommendation", exact=True).fill("Audit neglect cases each quarter.")
        manager_page.get_by_label("Person with authority to act").fill("Chair of Q&E")
        manager_page.get_by_role("button", name="Record the acceptance").click()
        expect(manager_page.get_by_test_id("alternative-state")).to_have_text("Output accepted")
        axe_on(axe, manager_page, "the accepted report")

        review.refresh_from_db()
        assert review.state == ReviewState.MONITORING
        assert review.alternative.state == AlternativeState.OUTPUT_ACCEPTED
        assert review.action_plan.recommendations.get().text == "Audit neglect cases each quarter."
    assert len(axe.checked) >= 10
