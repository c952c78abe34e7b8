"""The review pages: every page renders for the business unit; bad input is refused on the form with a
clear message and nothing half-saved; the review page's query count does not grow with the number of
documents, members or deadlines."""

import datetime as dt
import html
import re

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reviews import services
from reviews.models import Adoption, PanelMembership, ReportVersion, ReviewState
from scr_portal.clock.services import deadline_open
from scr_portal.models import DeadlineExtension

from ..factories import date_fields as date
from ..factories import extension_form, signed_in
from .factories import NOW, appoint, independent_person, pdf

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return html.unescape(re.sub(r"\s+", " ", response.content.decode()))


def errors(response) -> str:
    match = re.search(r'class="govuk-error-summary".*?</ul>', response.content.decode(), re.S)
    return html.unescape(re.sub(r"<[^>]+>|\s+", " ", match.group(0))) if match else ""


# --- The review page ---------------------------------------------------------------------------------------


def test_the_review_page_shows_stages_deadlines_panel_documents_and_timeline(client_as, journey, manager_a):
    review = journey.to(ReviewState.OVERVIEW_DRAFTING)
    page = text(client_as(manager_a).get(reverse("review_detail", args=[review.pk])))
    assert "govuk-task-list" in page
    assert re.search(r"Appoint the panel.*?Completed", page)
    assert re.search(r"Write the overview report.*?Not yet started", page)
    assert re.search(r"Publish.*?Cannot start yet", page)
    assert "Review completed and submitted to Ofsted" in page and "Statutory" in page
    assert "Pat Chair-Independent" in page and "Terms of reference, version 1" in page
    assert "Review set up by the Chair's decision" in page
    assert "The overview author is now drafting the overview report" in page
    assert "Send the final draft to the IMR authors" in page  # the next step


def test_the_review_page_query_count_does_not_grow(client_as, journey, manager_a, overview_author, board_a):
    review = journey.to(ReviewState.FAIR_REPRESENTATION_CHECK)
    client = client_as(manager_a)
    url = reverse("review_detail", args=[review.pk])
    client.get(url)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    before = count()
    for number in range(4):
        appoint(review, actor=manager_a, user=independent_person(), role="expert", post=f"Expert {number}")
        services.report_upload(
            review=review, actor=overview_author, kind="overview_report", upload=pdf(f"v{number}.pdf")
        )
        services.report_upload(
            review=review, actor=overview_author, kind="executive_summary", upload=pdf(f"s{number}.pdf")
        )
        services.tor_save_version(review=review, actor=manager_a, scope=f"Scope {number}")
        services.meeting_schedule(
            review=review, actor=manager_a, kind="panel", meeting_date=dt.date(2027, 3, 1 + number)
        )
        services.parallel_process_save(
            review=review, actor=manager_a, kind="inquest", lead_body=f"Coroner {number}"
        )
        services.family_involvement_save(review=review, actor=manager_a, who=f"Relative {number}")
        deadline_open(
            board=board_a,
            subject=review,
            rule_code="post-decision",
            trigger_at=NOW,
            case_reference=review.reference,
            responsible_users=[manager_a],
            now=NOW,
        )
    assert count() == before


# --- Every page renders ------------------------------------------------------------------------------------


def test_every_page_of_a_published_review_renders_for_the_business_unit(client_as, journey, manager_a):
    review = journey.to(ReviewState.PUBLISHED)
    client = client_as(manager_a)
    meeting = review.meetings.first()
    version = review.report_versions.first()
    report = services.progress_reports_generate_all(now=NOW) and review.progress_reports.get()
    for name, args in [
        ("review_list", []),
        ("review_detail", [review.pk]),
        ("review_panel", [review.pk]),
        ("review_tor", [review.pk]),
        ("review_tor_version", [review.pk, 1]),
        ("review_reports", [review.pk, "overview"]),
        ("review_reports", [review.pk, "executive-summary"]),
        ("review_fair_representation", [review.pk]),
        ("review_meetings", [review.pk]),
        ("review_membership_section", [review.pk]),
        ("review_progress_report", [review.pk, report.pk]),
        ("review_summary_sent", [review.pk]),
        ("review_parallel_process_new", [review.pk]),
        ("review_family_new", [review.pk]),
        ("review_meeting_new", [review.pk]),
        ("review_methodology", [review.pk]),
        ("review_report_download", [review.pk, version.pk]),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 200, name
    assert client.get(reverse("review_meeting_held", args=[review.pk, meeting.pk])).status_code == 200
    page = text(client.get(reverse("review_detail", args=[review.pk])))
    assert "Overall grade" in page and "Good" in page and "Published" in page


# --- Appointment -------------------------------------------------------------------------------------------


def appointment_form(user, role="independent_chair", **overrides) -> dict:
    data = {
        "email": user.email,
        "role": role,
        "post": "Independent consultant",
        "organisation": "Reviews Ltd",
        **date("declared_on", dt.date(2027, 3, 1)),
        "competences": ["2", "3", "4", "5"],
        "competence_evidence": "Two anonymised reports",
        "indemnity_confirmed": "on",
        "supervision_confirmed": "on",
        "data_protection_confirmed": "on",
        **date("contract_issued_on", dt.date(2027, 3, 1)),
        "q_involved_lscb_member": "no",
        "q_involved_agency_employee": "no",
        "q_case_involvement": "no",
        "q_manages_practitioners": "no",
    }
    data.update(overrides)
    return data


def test_an_appointment_breaking_a_must_rule_is_refused_on_the_form(
    client_as, review, manager_a, panel_chair
):
    url = reverse("review_appoint", args=[review.pk])
    response = client_as(manager_a).post(url, appointment_form(panel_chair, q_case_involvement="yes"))
    assert response.status_code == 200
    assert "Whoever conducts the review must have had no involvement in the case" in errors(response)
    assert "cannot be overridden" in errors(response)
    assert not PanelMembership.objects.exists()


def test_an_unanswered_declaration_and_an_unknown_person_are_refused(client_as, review, manager_a):
    url = reverse("review_appoint", args=[review.pk])
    response = client_as(manager_a).post(url, {"email": "nobody@example.org", "role": "expert"})
    summary = errors(response)
    assert "There is no portal account with that email address" in summary
    assert "Select yes or no: are they employed by an agency involved in this case" in summary


def test_the_business_unit_appoints_the_panel_chair_through_the_page(
    client_as, review, manager_a, panel_chair
):
    url = reverse("review_appoint", args=[review.pk])
    response = client_as(manager_a).post(url, appointment_form(panel_chair))
    assert response.status_code == 302
    membership = PanelMembership.objects.get(review=review)
    assert (membership.user, membership.role) == (panel_chair, "independent_chair")
    assert "Pat Chair-Independent has been appointed independent panel chair." in [
        str(m) for m in get_messages(response.wsgi_request)
    ]


def test_the_lscb_chair_overrides_a_should_rule_on_the_form(client, review, chair_a, overview_author):
    url = reverse("review_appoint", args=[review.pk])
    form = appointment_form(overview_author, role="overview_author", competences=["1", "2"])
    response = signed_in(client, chair_a).post(url, form)
    assert "Only the LSCB Chair can override this, with a reason" in errors(response)
    assert "Give the reason for overriding the rules above" in errors(response)
    response = client.post(url, form | {"override_reason": "The only author available with this expertise."})
    assert response.status_code == 302
    assert PanelMembership.objects.get(review=review).overridden_rules == ["competences"]


# --- Extension, upload, adoption: bad input -----------------------------------------------------------------


def test_an_extension_before_the_current_date_and_without_a_reason_is_refused(client_as, review, manager_a):
    url = reverse("review_extend", args=[review.pk])
    data = extension_form(
        dt.date(2027, 5, 1),
        dt.date(2027, 3, 1),
        ofsted_told_on=dt.date(2027, 3, 2),
        reason="",
        approved_by="The LSCB",
    )
    response = client_as(manager_a).post(url, data)
    assert "Give the reason for the extension" in errors(response)
    response = client_as(manager_a).post(url, data | {"reason": "Complex"})
    assert "The new date must be after the current due date, 10/06/2027." in errors(response)
    assert not DeadlineExtension.objects.exists()
    response = client_as(manager_a).post(
        url, data | {"reason": "Complex", **date("new_due_date", dt.date(2027, 8, 2))}
    )
    assert response.status_code == 302
    page = text(client_as(manager_a).get(reverse("review_detail", args=[review.pk])))
    assert "Originally due 10 June 2027" in page and "For the family's contact" in page


def test_an_upload_that_is_not_a_document_is_refused_on_the_form(client_as, journey, overview_author):
    from django.core.files.uploadedfile import SimpleUploadedFile

    review = journey.to(ReviewState.OVERVIEW_DRAFTING)
    url = reverse("review_report_upload", args=[review.pk, "overview"])
    bad = SimpleUploadedFile("report.pdf", b"#!/bin/sh\necho not a pdf\n")
    response = client_as(overview_author).post(url, {"file": bad, "note": ""})
    assert "The selected file must be a Word (DOCX) or OpenDocument text (ODT) or PDF" in errors(response)
    assert not ReportVersion.objects.exists()
    response = client_as(overview_author).post(url, {"file": pdf(), "final_draft": "on", "note": "First"})
    assert response.status_code == 302 and ReportVersion.objects.get().final_draft


def test_adoption_with_unconfirmed_imr_authors_shows_who_is_missing(client, journey, chair_a, imr_author_x):
    review = journey.to(ReviewState.FAIR_REPRESENTATION_CHECK)
    # Move on regardless of the gate at the exec-summary step, to show the gate at adoption too.
    from reviews.models import AuthorConfirmation

    AuthorConfirmation.objects.filter(version__review=review).update(status="confirmed")
    review = journey.to(ReviewState.PANEL_QA)
    AuthorConfirmation.objects.filter(author=imr_author_x).update(status="pending")
    client = signed_in(client, chair_a)
    url = reverse("review_step", args=[review.pk, "adopt"])
    page = text(client.get(url))
    assert "You cannot do this yet" in page and "Xena IMR-Author" in page
    response = client.post(
        url, {**date("adopted_on", dt.date(2027, 3, 15)), "meeting": "LSCB", "dissemination": "Briefings"}
    )
    assert "Xena IMR-Author (Alpha Police) has not confirmed" in errors(response)
    assert not Adoption.objects.exists()


def test_the_chairs_sign_off_asks_for_the_password_again(client_as, journey, chair_a):
    review = journey.to(ReviewState.PANEL_QA)
    response = client_as(chair_a).get(reverse("review_step", args=[review.pk, "adopt"]))
    assert response.status_code == 302 and "reauthenticate" in response["Location"]


def test_a_step_that_does_not_apply_any_more_goes_back_with_a_message(client_as, review, manager_a):
    response = client_as(manager_a).get(reverse("review_step", args=[review.pk, "start-overview"]))
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "That cannot be done at this stage of the review."
    ]


# --- Fair representation through the pages ---------------------------------------------------------------


def test_an_imr_author_disputes_and_the_panel_chair_resolves(client_as, journey, imr_author_x, panel_chair):
    review = journey.to(ReviewState.FAIR_REPRESENTATION_CHECK)
    answer = review.report_versions.get(final_draft=True).confirmations.get(author=imr_author_x)
    url = reverse("review_fair_representation_respond", args=[review.pk, answer.pk])
    response = client_as(imr_author_x).post(url, {"confirmed": "no", "comment": ""})
    assert "Say what does not represent your agency fully and fairly." in errors(response)
    response = client_as(imr_author_x).post(url, {"confirmed": "no", "comment": "Paragraph 12 is wrong."})
    assert response.status_code == 302
    resolve = reverse("review_fair_representation_resolve", args=[review.pk, answer.pk])
    assert client_as(panel_chair).post(resolve, {"resolution": "Corrected."}).status_code == 302
    answer.refresh_from_db()
    assert answer.settled


def test_meeting_attendance_is_recorded_on_the_page(client_as, journey, manager_a, panel_chair):
    review = journey.to(ReviewState.SCOPING)
    meeting, _ = services.meeting_schedule(
        review=review, actor=manager_a, kind="scoping", meeting_date=dt.date(2027, 3, 8)
    )
    seat = review.panel.get(user=panel_chair)
    url = reverse("review_meeting_held", args=[review.pk, meeting.pk])
    response = client_as(manager_a).post(
        url, {**date("held_on", dt.date(2027, 3, 8)), f"member_{seat.pk}": "attended"}
    )
    assert response.status_code == 302
    page = text(client_as(manager_a).get(reverse("review_meetings", args=[review.pk])))
    assert page.count("Pat Chair-Independent: attended") == 1
