"""Issue 20 in the browser: a safeguarding partnership runs an England 2023 case (serious incident
notification, rapid review, the partners' decision, a local child safeguarding practice review, publication
with the copy to the Panel 7 working days before) while another board in the same test still runs an SCR.
axe-core checks every page on the way.

The LCSPR runs on the review's pages from the panel to publication, which is refused before the 7 working
days after the copy and accepted once the clock has moved on."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from portal_site.demo import PARTNERSHIP, PARTNERSHIP_AGENCIES, demo_data_load
from referrals.models import Referral
from scr_portal import frameworks
from scr_portal.clock.reminders import deliver_pending, reminder_sweep_all
from scr_portal.clock.services import board_working_day, deadlines_of
from scr_portal.documents.engine import render_pdf
from scr_portal.models import Agency, Board, DeadlineRule, Role
from scr_portal.services import membership_grant

from .test_documents_journey import produce_a_draft
from .test_referral_journey import axe_for, days_from_today, fill_date
from .test_review_journey import axe_on, declare, next_step, person, review_as
from .test_review_journey import fill_date as fill_day

LONDON = ZoneInfo("Europe/London")

pytestmark = pytest.mark.django_db(transaction=True)

ENGLAND_NAME = frameworks.get(frameworks.ENGLAND_2023).name


def case_row(page, reference: str):
    return page.get_by_test_id("deadline-table").get_by_role("row").filter(has_text=reference).first


def test_an_england_2023_case_beside_an_scr(page, new_page, axe, sign_in_as, mailoutbox, render_on_commit):
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
    page.get_by_role("link", name="Deadlines").click()
    dashboard = page.get_by_test_id("deadline-table")
    for what in ("Serious incident notified to the Child Safeguarding Practice Review Panel", "Rapid review"):
        assert dashboard.get_by_text(re.compile(what)).first.is_visible()

    # The deadlines are reminded: the sweep at the rapid review's due date sends the 5- and 15-working-day
    # reminders (the 5-day one overdue by then).
    rapid_due = deadline_of(notified, "e23-rapid-review").due_date
    assert deadline_of(notified, "e23-notify-panel").due_date == board_working_day(
        partnership, notified.aware_on, 5
    )
    swept = sweep_at(rapid_due, mailoutbox)
    assert any(notified.reference in subject and "Rapid review" in subject for subject in swept)
    assert any(notified.reference in subject and "notified" in subject.lower() for subject in swept)

    # The local authority's notification to the Panel, recorded by the business unit.
    page.goto(f"/referrals/{notified.pk}/")
    assert page.get_by_test_id("state").inner_text() == "Notified"
    axe("the notified case")
    page.get_by_role("link", name="Record a notification").click()
    page.get_by_label("Child Safeguarding Practice Review Panel").check()
    page.get_by_label("Serious incident").check()
    fill_date(page, "Date it was sent", *days_from_today(0))
    page.get_by_label("How was it sent?").fill("Online notification form")
    page.get_by_label("The anonymised text that was sent").fill("Child A, aged 6, seriously harmed.")
    axe("the notification to the Panel")
    page.get_by_role("button", name="Record the notification").click()
    page.wait_for_url(re.compile(rf"/referrals/{notified.pk}/$"))

    # Agency summaries requested from two partners' agencies; each answers from its own account.
    page.get_by_role("link", name="Send agency checks").click()
    for name, _, _ in PARTNERSHIP_AGENCIES[:2]:
        page.get_by_label(name).check()
    axe("agency summaries requested")
    page.get_by_role("button", name="Send the requests").click()
    page.wait_for_url(re.compile(rf"/referrals/{notified.pk}/$"))
    assert page.get_by_test_id("state").inner_text() == "Agency summaries requested"
    for number, (name, _, _) in enumerate(PARTNERSHIP_AGENCIES[:2]):
        email = f"summary{number}@southshire.example"
        membership_grant(
            user=person(email, f"Summary Writer {number}"),
            board=partnership,
            role=Role.AGENCY_CONTACT,
            agency=Agency.objects.get(board=partnership, name=name),
        )
        contact = sign_in_as(email, new_page())
        contact.get_by_test_id("home-agency_requests").get_by_role("link").first.click()
        axe_for(axe, contact, f"agency summary request {number}")
        contact.get_by_role("group", name=re.compile("Was your agency involved")).get_by_label("No").check()
        contact.get_by_role("button", name="Send your reply").click()
        assert contact.locator(".govuk-notification-banner").is_visible()

    # The rapid review meeting, its immediate actions and learning, and the view sent to the Panel.
    page.goto(f"/referrals/{notified.pk}/")
    page.get_by_role("link", name="Schedule screening").click()
    fill_date(page, "Date of the sub-committee meeting", *days_from_today(0))
    page.get_by_role("button", name="Save the meeting date").click()
    assert page.get_by_test_id("state").inner_text() == "Rapid review meeting set"
    page.get_by_role("link", name="Record the recommendation").click()
    # The partnership has no screening sub-committee: the partners' representatives attend.
    page.get_by_label("Deputies attending for absent members (optional)").fill(
        "Nadia Rahman, local authority; Owen Brooks, police; Dr Femi Adebayo, ICB"
    )
    page.get_by_label("Hold a local child safeguarding practice review").check()
    page.get_by_label("Reasons for the recommendation").fill("Multi-agency learning about neglect.")
    page.get_by_label("Immediate safety actions (optional)").fill("The sibling's plan was reviewed.")
    page.get_by_label("Learning identified so far (optional)").fill("Information sharing at weekends.")
    axe("the rapid review meeting's view")
    page.get_by_role("button", name="Record the recommendation").click()
    page.wait_for_url(re.compile(rf"/referrals/{notified.pk}/$"))
    assert page.get_by_test_id("state").inner_text() == "Rapid review sent to the Panel"
    notified.refresh_from_db()
    assert deadline_of(notified, "e23-rapid-review").status == "met"
    assert deadline_of(notified, "e23-notify-panel").status in ("met", "met_late")

    # The rapid review for the Panel, as a document.
    page.get_by_test_id("documents-link").click()
    produce_a_draft(page, axe, "rapid-review", "rapid review for the Panel")

    # The business unit records the partners' decision; each partner's lead confirms it from home.
    page.goto(f"/referrals/{notified.pk}/")
    page.get_by_role("link", name="Make the decision").click()
    axe("the partners' decision")
    page.get_by_label("Hold a local child safeguarding practice review").check()
    page.get_by_label("Reasons for your decision").fill("Learning about neglect across the agencies.")
    page.get_by_label("Partners' representatives consulted").fill("Local authority, police, ICB")
    page.get_by_role("group", name="Was legal advice sought?").get_by_label("No").check()
    page.get_by_role("button", name="Record the decision").click()
    page.wait_for_url(re.compile(rf"/referrals/{notified.pk}/$"))
    assert page.get_by_test_id("state").inner_text() == "Rapid review sent to the Panel"
    for lead in ("la", "police", "icb"):
        lead_page = sign_in_as(f"{lead}@southshire.example", new_page())
        assert lead_page.get_by_role("heading", name="Decisions to confirm").is_visible()
        axe_for(axe, lead_page, f"{lead} lead's home")
        lead_page.get_by_test_id("home-decisions_to_confirm").get_by_role("link").first.click()
        axe_for(axe, lead_page, f"{lead} lead confirms")
        lead_page.get_by_role("button", name="Confirm the decision").click()
        assert lead_page.locator(".govuk-notification-banner").is_visible()
    page.reload()
    assert page.get_by_test_id("state").inner_text() == "Partners' decision confirmed"

    # The Panel's response, kept beside the decision.
    page.get_by_test_id("panel-response-form").get_by_role("button").click()
    axe("the Panel's response")
    page.get_by_label("Agrees with the partners' decision", exact=True).check()
    fill_date(page, "Date the response arrived", *days_from_today(0))
    page.get_by_role("button", name="Record the response").click()
    assert "Agrees with the partners' decision" in page.get_by_test_id("panel-responses").inner_text()

    # The LCSPR opens with its 6-month report, reminded.
    notified.refresh_from_db()
    review = notified.review
    assert review.reference.endswith("-LCSPR")
    report = deadline_of(review, "e23-lcspr-report")
    page.get_by_role("link", name="Deadlines").click()
    assert case_row(page, review.reference).is_visible()
    swept = sweep_at(report.due_date, mailoutbox)
    assert any(review.reference in subject for subject in swept)
    lcspr_to_publication(page, new_page, axe, sign_in_as, review)


def deadline_of(case, code):
    return deadlines_of(case).get(rule__code=code)


def sweep_at(day, mailoutbox) -> list[str]:
    """The reminder sweep and delivery at 9 a.m. on `day`: the subjects of the emails sent."""
    mailoutbox.clear()
    moment = dt.datetime.combine(day, dt.time(9), tzinfo=LONDON)
    with time_machine.travel(moment, tick=False):
        reminder_sweep_all(now=timezone.now())
        deliver_pending(now=timezone.now())
    return [email.subject for email in mailoutbox]


def report_pdf(*paragraphs: str) -> bytes:
    """A PDF with text, so the anonymisation check reads it."""
    body = "".join(f"<p>{text}</p>" for text in paragraphs)
    return render_pdf(f'<html lang="en-GB"><head><title>Report</title></head><body>{body}</body></html>').data


def upload(page, name: str, *paragraphs: str):
    page.get_by_role("link", name="Upload a new version").click()
    buffer = report_pdf(*paragraphs)
    page.get_by_label("Upload a file").set_input_files(
        {"name": name, "mimeType": "application/pdf", "buffer": buffer}
    )
    return page


def lcspr_to_publication(page, new_page, axe, sign_in_as, review) -> None:
    """The LCSPR: the panel chair and reviewer appointed, scoping and terms of reference approved by the
    business unit, no agencies' reports, the reviewer's report checked for names and agreed by the
    partners, the copy to the Panel and the Secretary of State, and publication 7 working days later."""
    partnership = review.board
    today = timezone.localdate()
    person("pam.chair@independent.example", "Pam Panel-Chair")
    person("rae.reviewer@independent.example", "Rae Reviewer")
    page.goto(f"/reviews/{review.pk}/")
    assert page.get_by_test_id("state").inner_text() == "Set-up"
    axe("the LCSPR in set-up")
    page.get_by_role("link", name="Appoint the panel").click()
    page.get_by_role("link", name="Appoint the panel chair").click()
    axe("the LCSPR's appointment form")
    declare(page, "chair", email="pam.chair@independent.example", organisation="Reviews CIC", today=today)
    page.get_by_role("button", name="Appoint").click()
    page.get_by_role("link", name="Appoint the reviewer").click()
    declare(page, "author", email="rae.reviewer@independent.example", organisation="Rae Ltd", today=today)
    page.get_by_role("button", name="Appoint").click()
    assert page.get_by_test_id("member").count() == 2
    axe("the LCSPR's panel")
    page.get_by_role("link", name="Back to the review").click()

    # Scoping and the terms of reference, approved by the business unit for the partners.
    next_step(page, axe, "Start scoping")
    page.get_by_role("link", name="Record the methodology").click()
    page.get_by_label("Systems approach").check()
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="Agree and approve the terms of reference").click()
    page.get_by_role("link", name="Write the first version").click()
    page.get_by_label("Scope of the review").fill("How agencies worked with the family over the last year.")
    page.get_by_role("button", name="Save as a new version").click()
    page.get_by_role("link", name="Record the panel's agreement").click()
    page.get_by_role("button", name="Record the agreement").click()
    page.get_by_role("link", name="Approve this version").click()
    axe("the business unit approves the terms of reference")
    page.get_by_role("button", name="Approve").click()
    assert page.get_by_test_id("tor-state").inner_text() == "Approved"

    # No agencies' reports: the partners did not ask for any. The panel meets to hear the learning.
    page.goto(f"/reviews/{review.pk}/")
    assert page.get_by_test_id("state").inner_text() == "Terms of reference approved"
    next_step(page, axe, "Record the agency reports as commissioned")
    next_step(page, axe, "Record the agency reports as in progress")
    page.goto(f"/reviews/{review.pk}/meetings/new/?kind=presentation")
    fill_day(page, "Date of the meeting", today)
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name=re.compile("Record as held")).click()
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="Back to the review").click()
    next_step(page, axe, "Move to presentation scheduled")
    next_step(page, axe, "Record the presentation as held")
    next_step(page, axe, "Start drafting the reviewer's report")

    # The reviewer uploads the final draft; the anonymisation check reads it and finds nothing.
    reviewer = review_as(
        new_page(), sign_in_as, axe, "rae.reviewer@independent.example", review, "the reviewer's view"
    )
    reviewer.get_by_role("link", name="Write the reviewer's report").click()
    upload(
        reviewer,
        "report.pdf",
        "The review looked at how the agencies shared information.",
        "Learning: share concerns at weekends.",
    )
    reviewer.get_by_label(re.compile("This is the final draft")).check()
    reviewer.get_by_role("button", name="Upload", exact=True).click()
    version = reviewer.get_by_test_id("version")
    assert "Final draft" in version.inner_text()
    assert version.get_by_test_id("check-outcome").inner_text().startswith("Check passed")
    axe_on(axe, reviewer, "the reviewer's report checked for names")
    page.reload()
    next_step(page, axe, "Send the final draft to the authors of the agency reports")
    page.goto(f"/reviews/{review.pk}/fair-representation/")
    axe("fair representation, no agency authors")
    page.get_by_role("link", name="Back to the review").click()
    next_step(page, axe, "Start drafting the executive summary")
    page.get_by_role("link", name="Write the executive summary").click()
    upload(page, "summary.pdf", "What the partners learned.")
    page.get_by_role("button", name="Upload", exact=True).click()
    page.get_by_role("link", name="Back to the review").click()
    next_step(page, axe, "Start the panel's quality assurance")

    # The partners agree the report (recorded by the business unit), then the copy goes to the Panel.
    assert "Agreed by the partners" in page.get_by_test_id("task-list").inner_text()
    page.get_by_test_id("next-step").click()
    assert page.get_by_role("heading", name="Record the partners' agreement").is_visible()
    axe("the partners agree the report")
    fill_day(page, "Date adopted", today)
    page.get_by_label("Partners' meeting that agreed it").fill("Safeguarding partners' executive")
    page.get_by_label("Dissemination and media arrangements agreed").fill("Briefings; press statement.")
    page.get_by_role("button", name=re.compile("Record")).click()
    assert page.get_by_test_id("state").inner_text() == "Agreed by the partners"
    page.get_by_test_id("next-step").click()
    axe("the copy to the Panel and the Secretary of State")
    assert "Ofsted" not in page.locator("main").inner_text()
    fill_day(
        page, "Date sent to the Child Safeguarding Practice Review Panel and the Secretary of State", today
    )
    page.get_by_label("Overview report (with integrated chronology)").check()
    page.get_by_label("Executive summary").check()
    page.get_by_role("button", name=re.compile("Record")).click()
    assert page.get_by_test_id("state").inner_text() == "Copy sent to the Panel and the Secretary of State"

    # The practitioners' debriefing, then publication: refused before the 7 working days, with the reason.
    page.goto(f"/reviews/{review.pk}/meetings/new/?kind=staff_debrief")
    fill_day(page, "Date of the meeting", today)
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name=re.compile("Record as held")).last.click()
    page.get_by_role("button", name="Save").click()
    page.goto(f"/reviews/{review.pk}/")
    refusal = "The copy must go to the Panel and the Secretary of State at least 7 working days before"
    assert refusal in page.get_by_test_id("next-step-problems").inner_text()
    axe("publication refused before the 7 working days")
    publish_on = board_working_day(partnership, today, 7)
    with time_machine.travel(dt.datetime.combine(publish_on, dt.time(10), tzinfo=LONDON), tick=True):
        sign_in_as("manager@southshire.example", page)
        page.goto(f"/reviews/{review.pk}/")
        page.get_by_test_id("next-step").click()
        axe("the publication form")
        fill_day(page, "Date published", publish_on)
        page.get_by_label("Executive summary").check()
        page.get_by_label(re.compile(r"report \(anonymised\)")).check()
        page.get_by_role("button", name="Record the publication").click()
        assert page.get_by_test_id("state").inner_text() == "Published"
        axe("the LCSPR published")
    review.refresh_from_db()
    assert deadline_of(review, "e23-lcspr-report").status == "met"
