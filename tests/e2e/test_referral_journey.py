"""From referral to decision in the browser: an agency user refers, saves a draft, comes back and submits;
the business unit sends agency checks; one agency answers "involved", another sends a nil return;
screening recommends a review; the Chair decides; the review and its deadlines exist. axe-core checks
every page on the way, error states included."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from portal_site.demo import demo_data_load
from referrals.models import Referral
from scr_portal.clock.services import deadlines_of

pytestmark = pytest.mark.django_db(transaction=True)

YES = {"ABUSE", "M1"}


def fill_date(page, group: str, day: str, month: str, year: str) -> None:
    fieldset = page.get_by_role("group", name=group)
    fieldset.get_by_label("Day").fill(day)
    fieldset.get_by_label("Month").fill(month)
    fieldset.get_by_label("Year").fill(year)


def days_from_today(days: int) -> tuple[str, str, str]:
    """A date typed as a person would, counted from the day the test runs (the server's "today")."""
    day = timezone.localdate() + dt.timedelta(days=days)
    return str(day.day), str(day.month), str(day.year)


def save_and_continue(page) -> None:
    page.get_by_role("button", name="Save and continue").click()


def sign_out(page) -> None:
    page.get_by_role("link", name="Sign out").click()
    page.get_by_role("button", name="Sign out").click()


def test_referral_from_draft_to_the_chairs_decision(page, new_page, axe, sign_in_as):
    demo_data_load()
    demo_referrals = list(Referral.objects.values_list("pk", flat=True))  # the demo's own, made just now

    # An agency user starts a referral and saves a draft.
    sign_in_as("agency@northshire.example")
    page.get_by_role("link", name="Make a referral").click()
    axe("referral start page")
    page.get_by_role("button", name=re.compile("Start")).click()
    page.wait_for_url(re.compile(r"/edit/referrer/"))
    axe("referrer section")
    page.get_by_label("Job title").fill("Detective Inspector")
    page.get_by_label("Telephone number").fill("01234 000111")
    page.get_by_label("Line manager's name").fill("DCI Manager")
    save_and_continue(page)

    page.wait_for_url(re.compile(r"/edit/child/"))
    fill_date(page, "Date of birth", *days_from_today(400))
    save_and_continue(page)
    assert page.locator(".govuk-error-summary").is_visible()
    assert "Date of birth must be in the past" in page.locator(".govuk-error-summary").inner_text()
    axe("child section with errors")
    page.get_by_label("Child's full name").fill("Jamie Example")
    fill_date(page, "Date of birth", "14", "3", "2019")
    fill_date(page, "Date of the incident", *days_from_today(-5))
    page.get_by_label("Yes, in the past").check()
    save_and_continue(page)

    page.wait_for_url(re.compile(r"/edit/family/"))
    axe("family section")
    page.get_by_label("Name (person 1)").fill("Alex Example")
    page.get_by_label("Relationship to the child (person 1)").fill("Mother")
    save_and_continue(page)

    page.wait_for_url(re.compile(r"/edit/agencies/"))
    axe("agencies section")
    page.get_by_label(re.compile(r"^Agency \(agency 1\)")).select_option(
        label="Northshire Hospitals NHS Trust"
    )
    save_and_continue(page)

    page.wait_for_url(re.compile(r"/edit/circumstances/"))
    axe("circumstances section")
    page.get_by_label("Brief account of the facts").fill("Jamie was found unresponsive at home.")
    page.get_by_label("(a) The child has died").check()
    page.get_by_label("Describe the triggering circumstances").fill("The child died; neglect is suspected.")
    page.get_by_label("Are other children at risk?").fill("A younger sibling lives at the address.")
    page.get_by_label(re.compile("I have consulted my agency's designated professional")).check()
    page.get_by_label("I have made a referral to children's social care").check()
    page.get_by_role("group", name="Which board should lead?").get_by_label("This board").check()
    page.get_by_role("button", name="Save and come back later").click()
    page.wait_for_url(re.compile(r"/referrals/mine/"))
    axe("your referrals with a draft")
    reference = Referral.objects.exclude(pk__in=demo_referrals).get().reference
    assert page.get_by_role("link", name=re.compile(reference)).first.is_visible()
    sign_out(page)

    # The referrer comes back, answers the checklist, checks the answers and submits.
    sign_in_as("agency@northshire.example")
    page.get_by_role("link", name="Your referrals").click()
    page.get_by_role("link", name=re.compile(reference)).first.click()
    drafted = Referral.objects.exclude(pk__in=demo_referrals).get()
    page.goto(f"/referrals/{drafted.pk}/edit/criteria/")
    axe("criteria checklist")
    for code in drafted.framework.questions.values_list("code", flat=True):
        page.locator(f"input[name='criterion_{code}'][value='{'yes' if code in YES else 'no'}']").check()
    save_and_continue(page)
    page.wait_for_url(re.compile(r"/edit/key-dates/"))
    axe("key dates section")
    fill_date(page, "Date (event 1)", *days_from_today(-5))
    page.get_by_label("What happened (event 1)").fill("Ambulance called to the home.")
    save_and_continue(page)
    page.wait_for_url(re.compile(r"/check-answers/"))
    assert "Must review" in page.content()
    axe("check your answers")
    page.get_by_role("button", name="Submit referral").click()
    page.wait_for_url(re.compile(r"/submitted/"))
    assert reference in page.locator(".govuk-panel").inner_text()
    axe("confirmation")
    referral = Referral.objects.exclude(pk__in=demo_referrals).get()
    assert referral.state == "submitted" and referral.advice == "must_review"

    # The business unit writes to the agencies.
    manager = new_page()
    sign_in_as("manager@northshire.example", manager)
    manager.goto(f"/referrals/{referral.pk}/")
    axe_for(axe, manager, "referral page for the business unit")
    manager.get_by_role("link", name="Send agency checks").click()
    manager.get_by_label("Northshire Police").check()
    manager.get_by_label("Northshire Hospitals NHS Trust").check()
    axe_for(axe, manager, "send agency checks")
    manager.get_by_role("button", name="Send the requests").click()
    manager.wait_for_url(re.compile(rf"/referrals/{referral.pk}/$"))

    # The police answer "involved".
    page.goto("/")
    page.get_by_test_id("home-agency_requests").get_by_role("link").first.click()
    axe("request to answer")
    page.get_by_role("group", name=re.compile("Was your agency involved")).get_by_label("Yes").check()
    page.get_by_role("button", name="Send your reply").click()
    assert page.locator(".govuk-error-summary").is_visible()
    axe("request with errors")
    fill_date(page, "Date the records were secured", *days_from_today(-4))
    page.get_by_label("Briefly outline what your agency knew of the child and family").fill(
        "Two call-outs to the address this year."
    )
    page.get_by_role("button", name="Send your reply").click()
    assert page.locator(".govuk-notification-banner").is_visible()

    # Health sends a nil return.
    health = new_page()
    sign_in_as("health@northshire.example", health)
    health.get_by_test_id("home-agency_requests").get_by_role("link").first.click()
    health.get_by_role("group", name=re.compile("Was your agency involved")).get_by_label("No").check()
    health.get_by_role("button", name="Send your reply").click()
    axe_for(axe, health, "nil return sent")

    # Screening recommends a review.
    manager.goto(f"/referrals/{referral.pk}/")
    manager.get_by_role("link", name="Schedule screening").click()
    fill_date(manager, "Date of the sub-committee meeting", *days_from_today(0))
    axe_for(axe, manager, "schedule screening")
    manager.get_by_role("button", name="Save the meeting date").click()
    manager.get_by_role("link", name="Record the recommendation").click()
    manager.get_by_label("Priya Shah").check()
    manager.get_by_label("Hold a serious case review").check()
    manager.get_by_label("Reasons for the recommendation").fill("The child died and neglect is suspected.")
    axe_for(axe, manager, "record the recommendation")
    manager.get_by_role("button", name="Record the recommendation").click()

    # The Chair decides.
    chair = new_page()
    sign_in_as("chair@northshire.example", chair)
    chair.goto("/decisions/")
    axe_for(axe, chair, "decisions awaiting")
    chair.get_by_role("link", name=re.compile(reference)).first.click()
    chair.get_by_role("link", name="Make the decision").click()
    chair.get_by_role("button", name="Record the decision").click()
    assert chair.locator(".govuk-error-summary").is_visible()
    axe_for(axe, chair, "decision with errors")
    chair.get_by_label("Hold a serious case review").check()
    chair.get_by_label("LSCB members consulted").fill("Police, health, children's social care")
    chair.get_by_role("group", name="Was legal advice sought?").get_by_label("No").check()
    chair.get_by_role("button", name="Record the decision").click()
    chair.wait_for_url(re.compile(rf"/referrals/{referral.pk}/$"))
    axe_for(axe, chair, "referral page after the decision")

    referral.refresh_from_db()
    assert referral.state == "decided"
    review = referral.review
    titles = set(deadlines_of(review).values_list("title", flat=True))
    assert {"Tell Ofsted of the decision", "Review completed and submitted to Ofsted"} <= titles
    checks = dict(referral.agency_checks.values_list("agency__name", "state"))
    assert checks["Northshire Police"] == "involved"
    assert checks["Northshire Hospitals NHS Trust"] == "nil_return"
    # Core members written to by default who never replied: not answered by the decision (issue 15).
    assert {state for name, state in checks.items() if "Police" not in name and "Hospitals" not in name} == {
        "unanswered"
    }


def axe_for(axe, page, label):
    """Run the same axe check on another signed-in person's page."""
    original, axe.page = axe.page, page
    try:
        axe(label)
    finally:
        axe.page = original
