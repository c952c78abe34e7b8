"""Issue 19: the board's own roles find each piece of their work from their home page alone and act on it —
business manager, business support officer, LSCB Chair, sub-committee member, agency contact, head of
agency and auditor — in the browser, clicking links only after signing in, with axe-core on every page.
(The panel chair, overview author and IMR author are in test_work_from_home_journey.py.)"""

import datetime as dt
import re

import pytest
from django.utils import timezone

from imr.models import IMR, IMRState
from referrals.models import Referral, ReferralState
from reviews.models import ActionPlan, PlanState, Review, ReviewState
from reviews.services import actions
from scr_portal.models import User

from ..imr.factories import advance, commission, panel_member
from ..referrals.factories import recommended
from ..reviews.factories import pdf
from ..reviews.plan_factories import draft_plan
from .test_imr_journey import banner, name_alex_author, review_with_the_police_involved
from .test_review_journey import fill_date

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def northshire(db):
    """The demo board and its people, and a review of a decided referral whose police were involved."""
    board, manager, police, review = review_with_the_police_involved()
    return {"board": board, "manager": manager, "police": police, "review": review}


def at(review: Review, state: str) -> Review:
    Review.objects.filter(pk=review.pk).update(state=state)
    return Review.objects.get(pk=review.pk)


def requested_imr(case) -> IMR:
    (imr,) = commission(case["review"], [case["police"]], actor=case["manager"], now=timezone.now())
    return imr


def item(page, testid: str, reference: str, what: str):
    """The link `what` of the home page's item about `reference` in the list `testid`."""
    return page.get_by_test_id(testid).locator("li", has_text=reference).get_by_role("link", name=what)


def go_home(page) -> None:
    page.locator(".govuk-header__homepage-link").click()
    page.wait_for_url(re.compile(r"^https?://[^/]+/$"))


def test_business_manager_commissions_the_imrs_from_home(page, axe, sign_in_as, northshire):
    review = at(northshire["review"], ReviewState.TOR_APPROVED)
    sign_in_as("manager@northshire.example")
    axe("the business manager's home")
    item(page, "work-queue", review.reference, "Commission the IMRs").click()
    assert page.get_by_label("Northshire Police (confirmed involvement)").is_checked()
    axe("commissioning, from the home page")
    fill_date(page, "Date by which each agency names its author", timezone.localdate() + dt.timedelta(days=7))
    page.get_by_role("button", name="Commission the IMRs").click()
    assert "1 IMR has been commissioned" in banner(page)
    assert Review.objects.get(pk=review.pk).state == ReviewState.IMRS_COMMISSIONED
    go_home(page)
    imr = IMR.objects.get(review=review)
    waiting = page.get_by_test_id("waiting-for").locator("li", has_text=imr.case_reference)
    assert "waiting for the agency to name the author" in waiting.inner_text()
    axe("the business manager's home, the IMR waiting for the agency")
    waiting.get_by_role("link").click()
    page.wait_for_url(re.compile(rf"/imr/{imr.pk}/$"))
    axe("the IMR, from the home page")


def test_support_officer_moves_the_review_on_from_home(page, axe, sign_in_as, northshire):
    review = at(northshire["review"], ReviewState.PRESENTATION_HELD)
    sign_in_as("support@northshire.example")
    axe("the support officer's home")
    item(page, "work-queue", review.reference, "Start drafting the overview report").click()
    axe("the step, from the home page")
    page.get_by_role("button", name="Start drafting the overview report").click()
    page.wait_for_url(re.compile(rf"/reviews/{review.pk}/$"))
    assert page.locator(".govuk-notification-banner--success").is_visible()
    axe("the review, the overview being drafted")
    assert Review.objects.get(pk=review.pk).state == ReviewState.OVERVIEW_DRAFTING


def test_lscb_chair_decides_a_referral_and_follows_a_review_from_home(page, axe, sign_in_as, northshire):
    review = at(northshire["review"], ReviewState.IMRS_COMMISSIONED)
    referral = recommended(
        board=northshire["board"],
        author=User.objects.get(email="agency@northshire.example"),
        manager=northshire["manager"],
        agencies=[northshire["police"]],
    )
    sign_in_as("chair@northshire.example")
    axe("the LSCB Chair's home")
    waiting = page.get_by_test_id("waiting-for").locator("li", has_text=review.reference)
    assert "waiting for the business unit" in waiting.inner_text()
    page.get_by_test_id("home-decisions_awaiting").get_by_role("link", name=referral.reference).click()
    axe("the referral awaiting the decision, from the home page")
    page.get_by_role("link", name="Make the decision").click()
    axe("the decision")
    page.get_by_label("Hold a serious case review").check()
    page.get_by_label("LSCB members consulted").fill("Police, health, children's social care")
    page.get_by_role("group", name="Was legal advice sought?").get_by_label("No").check()
    page.get_by_role("button", name="Record the decision").click()
    page.wait_for_url(re.compile(rf"/referrals/{referral.pk}/$"))
    axe("the referral, decided")
    assert Referral.objects.get(pk=referral.pk).state == ReferralState.DECIDED
    go_home(page)
    page.get_by_test_id("waiting-for").locator("li", has_text=review.reference).get_by_role("link").click()
    page.wait_for_url(re.compile(rf"/reviews/{review.pk}/$"))
    axe("the review waiting for the business unit, from the home page")


def test_subcommittee_member_verifies_an_action_of_the_review_it_monitors(
    page, axe, sign_in_as, northshire, private_media
):
    review = at(northshire["review"], ReviewState.MONITORING)
    owner = User.objects.get(email="agency@northshire.example")
    plan, _, action = draft_plan(
        review, manager=northshire["manager"], agency=northshire["police"], owner=owner
    )
    ActionPlan.objects.filter(pk=plan.pk).update(state=PlanState.MONITORING)
    manager = northshire["manager"]
    actions.action_add_evidence(action=action, actor=manager, note="Attendance lists", upload=pdf("a.pdf"))
    actions.action_mark_done(action=action, actor=manager, actions_taken="Four briefings held.")
    sign_in_as("subcommittee@northshire.example")
    axe("the sub-committee member's home")
    item(page, "work-queue", review.reference, "Record the verdict on 1 action done").click()
    axe("the action plan, from the home page")
    page.get_by_role("link", name=action.text).click()
    axe("the action done")
    page.get_by_role("link", name="Record the verdict").click()
    axe("the verdict")
    page.get_by_label("Verified: the evidence shows it is done").check()
    page.get_by_label("Note").fill("Attendance lists seen.")
    page.get_by_role("button", name="Save").click()
    assert page.get_by_test_id("action-state").inner_text() == "Verified"
    axe("the verified action")
    go_home(page)
    item(page, "waiting-for", review.reference, "Follow the action plan").click()
    page.wait_for_url(re.compile(rf"/reviews/{review.pk}/$"))
    assert page.get_by_test_id("monitoring-view").is_visible()
    axe("the review it monitors, from the home page")


def test_agency_contact_names_the_author_of_an_imr_from_home(page, axe, sign_in_as, northshire):
    imr = requested_imr(northshire)
    sign_in_as("agency@northshire.example")
    axe("the agency contact's home")
    item(page, "work-queue", imr.case_reference, "Name the IMR's author, or record a nil return").click()
    axe("the IMR, from the home page")
    page.get_by_role("link", name="Name the author").click()
    name_alex_author(page, directly_involved="No")
    axe("the nomination")
    page.get_by_role("button", name="Name the author").click()
    assert "Alex Author is the author of this IMR" in banner(page)
    axe("the IMR, its author named")
    go_home(page)
    waiting = page.get_by_test_id("waiting-for").locator("li", has_text=imr.case_reference)
    assert imr.case_reference not in page.get_by_test_id("work-queue").inner_text()
    assert waiting.count() == 0 or "waiting for" in waiting.inner_text()


def test_head_of_agency_signs_off_the_imr_from_home(page, axe, sign_in_as, northshire):
    imr = requested_imr(northshire)
    panel = panel_member(northshire["review"], appointed_by=northshire["manager"])
    contact = User.objects.get(email="agency@northshire.example")
    imr = advance(imr, IMRState.AUTHOR_SIGNED, contact=contact, panel=panel, now=timezone.now())
    sign_in_as("head.police@northshire.example")
    axe("the head of agency's home")
    item(page, "work-queue", imr.case_reference, "Sign off the IMR as head of agency").click()
    axe("the sign-off, from the home page")
    page.get_by_label("Your signature").fill("Mark Ellison")
    fill_date(page, "Date you signed", timezone.localdate())
    page.get_by_role("button", name="Sign off the IMR").click()
    assert "The IMR has been signed off." in banner(page)
    axe("the IMR, signed off")
    assert IMR.objects.get(pk=imr.pk).state == IMRState.SIGNED_OFF


def test_auditor_reads_the_boards_records_from_home(page, axe, sign_in_as, northshire):
    referral = northshire["review"].referral
    sign_in_as("auditor@northshire.example")
    axe("the auditor's home")
    page.get_by_test_id("home-audit").get_by_role("link", name="Referrals").click()
    axe("the referrals, from the home page")
    page.get_by_role("link", name=re.compile(referral.reference)).first.click()
    page.wait_for_url(re.compile(rf"/referrals/{referral.pk}/$"))
    axe("a referral, read-only")
    assert page.get_by_role("link", name="Make the decision").count() == 0
