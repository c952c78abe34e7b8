"""Issue 20 in the browser: a safeguarding partnership runs an England 2023 case (serious incident
notification, rapid review, the partners' decision, a local child safeguarding practice review, publication
with the copy to the Panel 7 working days before) while another board in the same test still runs an SCR.
axe-core checks every page on the way.

Started by the site helper (H4) before the England referral side (H2) and the LCSPR (H3) were merged: the
steps whose pages are not built yet skip with "needs H2/H3" and are completed at the merge."""

import re

import pytest

from portal_site.demo import PARTNERSHIP, demo_data_load
from referrals.models import Referral
from scr_portal import frameworks
from scr_portal.models import Board, DeadlineRule

from .test_referral_journey import axe_for

pytestmark = pytest.mark.django_db(transaction=True)

ENGLAND_NAME = frameworks.get(frameworks.ENGLAND_2023).name


def case_row(page, reference: str):
    return page.get_by_test_id("deadline-table").get_by_role("row").filter(has_text=reference).first


def test_an_england_2023_case_beside_an_scr(page, new_page, axe, sign_in_as):
    demo_data_load()
    partnership = Board.objects.get(name=PARTNERSHIP)
    notified = Referral.objects.get(board=partnership)
    scr = Referral.objects.get(board__short_name="NLSCB")

    # The partnership's business manager: the board runs England 2023, and its case is named an LCSPR.
    sign_in_as("manager@southshire.example")
    page.get_by_role("link", name="Deadlines").click()
    assert page.get_by_role("heading", name="Deadlines").is_visible()
    row = case_row(page, notified.reference)
    assert row.get_by_test_id("framework").first.inner_text() == "LCSPR"
    axe("the partnership's deadline dashboard")
    page.goto(f"/boards/{partnership.pk}/settings/")
    assert ENGLAND_NAME in page.get_by_test_id("process-settings").inner_text()
    axe("the partnership's settings")
    page.goto(f"/boards/{partnership.pk}/settings/process/")
    assert page.get_by_label("Review framework").input_value() == frameworks.ENGLAND_2023
    axe("the process settings form with the framework")

    # Another board in the same test still runs an SCR, in its own words.
    northshire = new_page()
    sign_in_as("manager@northshire.example", northshire)
    northshire.get_by_role("link", name="Deadlines").click()
    assert case_row(northshire, scr.reference).get_by_test_id("framework").first.inner_text() == "SCR"
    axe_for(axe, northshire, "the SCR board's deadline dashboard")
    northshire.goto("/search/?q=" + scr.reference)
    assert re.search(r"\bSCR\b", northshire.get_by_test_id("search-referrals").inner_text())
    axe_for(axe, northshire, "search results with the framework column")

    # The notification's deadlines: 5 working days to notify the Panel, 15 for the rapid review.
    if not DeadlineRule.objects.filter(code="e23-rapid-review").exists():
        pytest.skip("needs H2/H3: the England deadline rules, rapid review and partners' decision pages")
    dashboard = page.get_by_test_id("deadline-table")
    for what in ("Serious incident notified to the Child Safeguarding Practice Review Panel", "Rapid review"):
        assert dashboard.get_by_text(re.compile(what)).first.is_visible()

    # TODO(issue 20 merge): from here, with H2's and H3's pages —
    # 1. the business unit requests the agency summaries; two partners' agencies answer;
    # 2. the rapid review meeting is set and the rapid review sent to the Panel (the 15-working-day
    #    deadline met; its reminder seen in the mailbox);
    # 3. the business unit records the partners' decision to hold an LCSPR; la@, police@ and icb@
    #    southshire.example each confirm it from their own account (refused before the third);
    # 4. the Panel's response recorded;
    # 5. the LCSPR: reviewer appointed, terms of reference, reviewer's report, fair representation,
    #    anonymisation check, agreed by the partners (the 6-month deadline shown and met);
    # 6. the copy to the Panel and the Secretary of State, publication refused earlier than 7 working
    #    days after it, then published;
    # 7. the action plan to closure.
    pytest.skip("needs H2/H3: the LCSPR journey from the rapid review to publication")
