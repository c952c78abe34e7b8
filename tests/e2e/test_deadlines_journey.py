"""The business manager works the statutory clock in the browser: the dashboard, a deadline, an extension
refused then agreed, the board's deadline settings; an agency contact sees their own deadline at home.
axe-core checks every page on the way."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from portal_site.demo import demo_data_load

pytestmark = pytest.mark.django_db(transaction=True)


def test_business_manager_extends_a_deadline_and_changes_the_board_settings(page, axe, sign_in_as):
    demo_data_load()
    sign_in_as("manager@northshire.example")
    page.get_by_role("link", name="Deadlines").click()
    assert page.get_by_role("heading", name="Deadlines").is_visible()
    assert page.get_by_test_id("deadline-table").get_by_text("NLSCB-DEMO-003").is_visible()
    axe("deadline dashboard")

    page.get_by_label("Statutory deadlines only").check()
    page.get_by_role("button", name="Apply filters").click()
    assert page.get_by_test_id("deadline-table").get_by_text("NLSCB-DEMO-002").count() == 0
    axe("deadline dashboard filtered")

    page.get_by_role("link", name="Review completed and submitted to Ofsted").click()
    assert page.get_by_role("heading", name="Review completed and submitted to Ofsted").is_visible()
    axe("deadline page")

    page.get_by_role("link", name="Extend").click()
    page.get_by_role("button", name="Extend the deadline").click()
    assert page.locator(".govuk-error-summary").is_visible()
    assert "Select why more time is needed" in page.locator(".govuk-error-summary").inner_text()
    axe("extension with errors")

    # Dates from the day the test runs: the new due date well ahead, the agreement a few days ago.
    new_due = timezone.localdate() + dt.timedelta(days=1000)
    agreed = timezone.localdate() - dt.timedelta(days=3)
    page.get_by_role("group", name="New due date").get_by_label("Day").fill(str(new_due.day))
    page.get_by_role("group", name="New due date").get_by_label("Month").fill(str(new_due.month))
    page.get_by_role("group", name="New due date").get_by_label("Year").fill(str(new_due.year))
    page.get_by_label("Police investigation").check()
    page.get_by_label("Explain the reason").fill("The police investigation is still running.")
    page.get_by_label("Who agreed the extension").fill("LSCB meeting")
    page.get_by_role("group", name="Date it was agreed").get_by_label("Day").fill(str(agreed.day))
    page.get_by_role("group", name="Date it was agreed").get_by_label("Month").fill(str(agreed.month))
    page.get_by_role("group", name="Date it was agreed").get_by_label("Year").fill(str(agreed.year))
    # The six-month completion also needs the date Ofsted was told (issue 15).
    page.get_by_role("group", name="Date Ofsted was told").get_by_label("Day").fill(str(agreed.day))
    page.get_by_role("group", name="Date Ofsted was told").get_by_label("Month").fill(str(agreed.month))
    page.get_by_role("group", name="Date Ofsted was told").get_by_label("Year").fill(str(agreed.year))
    page.get_by_role("button", name="Extend the deadline").click()
    banner = page.locator(".govuk-notification-banner").inner_text()
    assert f"{new_due:%A} {new_due.day} {new_due:%B %Y}" in banner
    axe("deadline page after extension")

    page.locator("summary", has_text="More").click()  # the header's menu of the less used sections
    page.get_by_role("link", name="Board", exact=True).click()
    page.get_by_role("link", name="Deadline settings").click()
    axe("board deadline settings")
    page.get_by_role("link", name=re.compile("Change.*reminder", re.I)).first.click()
    axe("reminder schedule form")


def test_agency_contact_sees_own_deadline_and_sets_up_a_calendar(page, axe, sign_in_as):
    demo_data_load()
    sign_in_as("agency@northshire.example")
    assert page.get_by_test_id("my-deadlines").get_by_text("NLSCB-DEMO-001").is_visible()
    axe("agency contact home with deadlines")
    page.locator("summary", has_text="More").click()
    page.get_by_role("link", name="Reminders").click()
    axe("reminder preferences")
    page.get_by_role("button", name="Create a calendar address").click()
    assert "/calendar/" in page.get_by_label("Your calendar address").input_value()
    axe("reminder preferences with calendar address")
