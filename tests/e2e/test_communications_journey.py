"""The business manager draws up the review's communications plan (App 9) in the browser: from the review
page, the plan set up with its owner and publication date, an audience dated after publication refused
with an error summary and then added, and the plan produced as a document. axe-core checks every page."""

import datetime as dt
import re

import pytest
from django.utils import timezone

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]


def fill_date(page, group: str, day: dt.date) -> None:
    fieldset = page.get_by_role("group", name=group)
    fieldset.get_by_label("Day").fill(str(day.day))
    fieldset.get_by_label("Month").fill(str(day.month))
    fieldset.get_by_label("Year").fill(str(day.year))


def test_business_manager_draws_up_the_communications_plan(
    page, axe, sign_in_as, render_on_commit, northshire_review
):
    review, _, _ = northshire_review
    publication = max(timezone.localdate(), review.decision_date) + dt.timedelta(days=90)

    sign_in_as("manager@northshire.example")
    page.goto(f"/reviews/{review.pk}/")
    page.get_by_test_id("communications-link").click()
    assert page.get_by_test_id("no-plan").is_visible()
    axe("communications plan, none yet")

    page.get_by_role("link", name="Set up the communications plan").click()
    page.get_by_role("button", name="Save").click()
    assert page.locator(".govuk-error-summary").is_visible()
    axe("communications plan form with an error")
    page.get_by_label("Person responsible for the plan").fill("Casey Comms")
    page.get_by_label("Agency leading media work (optional)").fill("Northshire Council press office")
    fill_date(page, "Planned publication date (optional)", publication)
    page.get_by_label("Key messages (optional)").fill("Agencies have learned and acted.")
    page.get_by_role("button", name="Save").click()
    assert page.get_by_test_id("owner").inner_text().startswith("Casey Comms")

    page.get_by_role("link", name="Add an audience").click()
    page.get_by_label("Ofsted", exact=True).check()
    page.get_by_label("What they are told").fill("The findings and the action plan, in advance.")
    page.get_by_label("Who tells them").fill("Business manager")
    page.get_by_label("How", exact=True).fill("Secure email")
    page.get_by_label("Before publication").check()
    fill_date(page, "Planned date (optional)", publication + dt.timedelta(days=3))
    page.get_by_role("button", name="Save").click()
    summary = page.locator(".govuk-error-summary")
    assert "must be before the review is published" in summary.inner_text()
    axe("audience refused: dated after publication")
    fill_date(page, "Planned date (optional)", publication - dt.timedelta(days=7))
    page.get_by_role("button", name="Save").click()
    assert "The findings and the action plan, in advance." in page.get_by_test_id("audiences").inner_text()
    axe("communications plan with an audience")

    page.get_by_test_id("plan-document").click()
    axe("produce the communications plan")
    page.get_by_role("button", name="Produce the draft").click()
    page.wait_for_url(re.compile(r"/documents/\d+/$"))
    assert page.get_by_test_id("download").is_visible()
