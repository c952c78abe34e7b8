"""Issue 19: the header's search box and menu in the browser. The business manager finds the demo case
by the child's name typed without capitals, opens it from the results, and reaches the board's page from
the header's "More" menu; axe-core checks each page."""

import pytest

from portal_site.demo import demo_data_load

pytestmark = pytest.mark.django_db(transaction=True)


def test_business_manager_searches_and_uses_the_menu(page, axe, sign_in_as):
    demo_data_load()
    sign_in_as("manager@northshire.example")
    page.get_by_role("search").get_by_label("Search by reference, name or agency").fill("demo child")
    page.get_by_role("search").get_by_role("button", name="Search").click()
    referrals = page.get_by_test_id("search-referrals")
    assert referrals.get_by_text("Demo Child (not a real case)").is_visible()
    axe("search results")
    referrals.get_by_role("link").first.click()
    assert page.get_by_role("heading", name="Referral").first.is_visible()

    page.locator("summary", has_text="More").click()
    axe("the header's menu open")
    page.get_by_role("link", name="Board", exact=True).click()
    assert page.get_by_role("heading", level=1).is_visible()
