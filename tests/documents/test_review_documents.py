"""The review's documents, rendered for real and read back from the PDF: merged names and dates, the reply
dates the clock computes, the footer, the DRAFT watermark (on a terms-of-reference version until the LSCB
Chair approves it), the anonymised action plan that names no one from the key, who may open the pages,
and the anonymisation check of an uploaded overview report."""

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape
from pypdf import PdfReader

from reviews import guards
from reviews import services as review_services
from reviews.documents import briefing_reply_by
from reviews.models import MeetingKind, PanelRole, ProgressReport, Review, ReviewState
from reviews.services.progress import progress_report_generate
from reviews.services.report_checks import BLOCKED_RELEASE, reports_release_problems, version_check
from scr_portal.clock.services import deadline_open
from scr_portal.documents import registry, sandbox, services
from scr_portal.documents.selectors import key_rows, release_problem
from scr_portal.models import CaseKeyPerson, DocumentStatus, GeneratedDocument, TransitionLog
from scr_portal.uploads import file_path

from ..factories import frozen_at
from ..imr.factories import panel_member
from ..referrals.factories import decide, recommended
from ..reviews.factories import (
    DECIDED_AT,
    Journey,
    appoint,
    communications_plan,
    debrief,
    independent_person,
)
from ..reviews.plan_factories import draft_plan
from .conftest import CHILD, HOME, pdf_pages, pdf_text
from .test_extract import docx

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2027, 3, 15, 10, tzinfo=dt.UTC)  # Monday 15 March 2027, 10:00 in London
FOOTER = "Ref: {ref}/{code}/v{version} · Version {version} · Monday 15 March 2027"
IMR_AUTHOR_X = "Ifeoma Okafor-Eze"
IMR_AUTHOR_Y = "Yusuf Yılmaz"
PANEL_REP = "Rhiannon O'Hara"


frozen = frozen_at(NOW)


@pytest.fixture
def journey(board_details, chair_a, manager_a, agency_x, agency_y):
    referral = recommended(
        board=board_details,
        author=manager_a,
        manager=manager_a,
        agencies=[agency_x, agency_y],
        child_name=CHILD,
        child_address=HOME,
        brief_account="Zoë lived at home with her mother.",
    )
    decide(
        referral,
        actor=chair_a,
        reasons="The child was seriously harmed.",
        members_consulted="All core members",
        now=DECIDED_AT,
    )
    review = Review.objects.get(referral=referral)
    return Journey(
        review,
        manager=manager_a,
        chair=chair_a,
        agencies=[agency_x, agency_y],
        imr_authors=[independent_person(full_name=IMR_AUTHOR_X), independent_person(full_name=IMR_AUTHOR_Y)],
    )


def flat(document) -> str:
    return " ".join(pdf_text(document).split())


def footer_on_every_page(document, *, draft: bool) -> None:
    pages = pdf_pages(document)
    footer = FOOTER.format(ref=document.owner.reference, code=document.code, version=document.version)
    for number, text in enumerate(pages, start=1):
        assert footer in " ".join(text.split()), f"page {number} has no footer"
        watermark = "DRAFT" in [line.strip() for line in text.splitlines()]
        assert watermark is draft, f"page {number}: watermark {'missing' if draft else 'present'}"


def _path(document):
    document.refresh_from_db()
    return file_path(document.file)


def approve_and_render(document, actor, render_queued):
    final = services.document_approve(document=document, actor=actor)
    render_queued()
    final.refresh_from_db()
    return final


# --- Each document ------------------------------------------------------------------------------------


def test_terms_of_reference_version_is_dated_and_stays_draft_until_the_chair_approves_it(
    journey, manager_a, chair_a, produce, render_queued
):
    review = journey.to(ReviewState.TOR_APPROVED)
    review_services.tor_save_version(
        review=review, actor=manager_a, scope="A wider scope: the extended family, 2022 to 2026."
    )
    approved, _ = produce(review, "terms-of-reference", manager_a, version=1)
    text = flat(approved)
    assert "Terms of reference: serious case review" in text and CHILD in text
    assert "Agencies' work with the family, 2024 to 2026." in text
    assert "dated 15 March 2027" in text and "approved by Carol Chair on 15 March 2027" in text
    assert not approved.draft and approved.approved_by == chair_a  # the Chair's approval is the approval
    footer_on_every_page(approved, draft=False)

    unapproved, _ = produce(review, "terms-of-reference", manager_a, version=2)
    assert "A wider scope: the extended family" in flat(unapproved)
    footer_on_every_page(unapproved, draft=True)
    assert "the LSCB Chair has not approved this version" in flat(unapproved)
    final = approve_and_render(unapproved, chair_a, render_queued)
    pages = pdf_pages(final)
    assert all("DRAFT" in [line.strip() for line in page.splitlines()] for page in pages)


def test_authors_briefing_invitation_merges_the_meeting_and_the_reply_by_date_from_the_clock(
    journey, manager_a, produce
):
    review = journey.to(ReviewState.IMRS_COMMISSIONED)
    review_services.meeting_schedule(
        review=review,
        actor=manager_a,
        kind=MeetingKind.AUTHORS_BRIEFING,
        meeting_date=dt.date(2027, 4, 14),
        venue="Council House, Room 2",
    )
    internal, twin = produce(review, "authors-briefing", manager_a)
    assert internal.status == DocumentStatus.READY and twin is None  # internal: stays in the partnership
    text = flat(internal)
    for merged in (CHILD, "born 1 May 2020", IMR_AUTHOR_X, IMR_AUTHOR_Y, "Olu Author-Independent"):
        assert merged in text
    assert "held on Wednesday 14 April 2027 at Council House, Room 2" in text
    assert "Please reply by Monday 22 March 2027" in text  # 5 working days after Monday 15 March
    assert "Pat Chair-Independent" in text  # signed by the panel chair
    footer_on_every_page(internal, draft=True)


def test_briefing_reply_date_skips_bank_holidays_and_comes_before_the_briefing(journey):
    review = journey.review
    # Tuesday 23 March 2027 + 5 working days, over Good Friday and Easter Monday.
    assert briefing_reply_by(review, today=dt.date(2027, 3, 23), meeting=None) == dt.date(2027, 4, 1)

    class Soon:
        meeting_date = dt.date(2027, 3, 18)

    assert briefing_reply_by(review, today=dt.date(2027, 3, 15), meeting=Soon) == dt.date(2027, 3, 17)


def test_imr_commissioning_letter_goes_to_one_agency_with_its_due_date_and_the_approved_tor(
    journey, manager_a, agency_y, produce
):
    review = journey.to(ReviewState.IMRS_COMMISSIONED)
    imr = review.imrs.get(agency=agency_y)
    deadline = deadline_open(
        board=review.board, subject=imr, rule_code="imr-completed", trigger_at=NOW, case_reference="x"
    )
    internal, twin = produce(review, "imr-commission", manager_a, imr=imr.pk)
    assert twin is None
    text = flat(internal)
    assert "Alpha Hospitals NHS Trust" in text and CHILD in text
    assert f"by {registry.long_date(deadline.due_date)}" in text
    assert "Attached: terms of reference" in text
    assert "Agencies' work with the family, 2024 to 2026." in text
    footer_on_every_page(internal, draft=True)


def assert_refused(review, code, actor, message):
    """Asking for the document now is refused with the message."""
    with pytest.raises(ValidationError) as refused:
        services.document_request(owner=review, code=code, actor=actor)
    assert message in " ".join(refused.value.messages)


def test_imr_commissioning_letter_waits_for_approved_terms_of_reference(journey, manager_a):
    review = journey.to(ReviewState.SCOPING)
    assert_refused(
        review, "imr-commission", manager_a, "The LSCB Chair must approve the terms of reference first"
    )


def test_debriefing_invitation_has_a_reply_slip_and_a_reply_date_before_the_meeting(
    journey, manager_a, produce
):
    review = journey.to(ReviewState.ADOPTED)
    internal, _ = produce(
        review, "practitioners-debrief", manager_a, date="2027-04-19", time="10:00", venue="Council House"
    )
    text = flat(internal)
    assert CHILD in text and "Monday 19 April 2027" in text and "at 10:00" in text
    assert "by Monday 12 April 2027" in text  # 5 working days before the debriefing
    for slip in ("Reply slip", "Name:", "Workplace:", "I am able / unable to attend the debriefing"):
        assert slip in text
    footer_on_every_page(internal, draft=True)


def test_debriefing_waits_for_adoption(journey, manager_a):
    review = journey.to(ReviewState.PANEL_QA)
    assert_refused(review, "practitioners-debrief", manager_a, "The LSCB must adopt the review first")


def test_progress_report_prints_the_month_the_stage_and_the_risks(journey, manager_a, produce):
    review = journey.to(ReviewState.IMRS_COMMISSIONED)
    report = progress_report_generate(review=review, now=NOW)
    internal, _ = produce(review, "progress-report", manager_a, report=report.pk)
    text = flat(internal)
    assert f"Progress report: {review.reference}, March 2027" in text
    assert "IMRs commissioned" in text
    assert ProgressReport.objects.filter(review=review).count() == 1
    footer_on_every_page(internal, draft=True)


def test_executive_summary_cover_names_only_the_chairs_and_author_and_its_anonymised_version_passes(
    journey, manager_a, produce
):
    review = journey.to(ReviewState.PANEL_QA)
    panel_member(review, appointed_by=manager_a, full_name=PANEL_REP)
    internal, twin = produce(review, "exec-summary-cover", manager_a)
    text = flat(internal)
    for named in ("Carol Chair", "Pat Chair-Independent", "Olu Author-Independent", CHILD):
        assert named in text
    assert "O'Hara" not in text and "Rhiannon" not in text
    anonymised = flat(twin)
    assert "Child A" in anonymised and "Zoë" not in anonymised and "Smith-Jones" not in anonymised
    for named in ("Pat Chair-Independent", "Olu Author-Independent", "Carol Chair"):
        assert named in anonymised  # named even outside the board (domain brief §8.1)
    twin.refresh_from_db()
    assert release_problem(twin) == ""


def test_action_plan_in_landscape_and_its_anonymised_version_names_no_one_from_the_key(
    journey, manager_a, contact_x, agency_x, produce
):
    review = journey.to(ReviewState.ADOPTED)
    plan, recommendation, action = draft_plan(review, manager=manager_a, agency=agency_x, owner=contact_x)
    action.text = "Review how Zoë Smith-Jones's health visits were recorded."
    action.save(update_fields=["text"])
    internal, twin = produce(review, "action-plan", manager_a)
    text = flat(internal)
    for column in ("Outcome", "Recommendation", "Actions", "By whom?", "By when?", "Actions taken"):
        assert column in text
    assert "Information for audit" in text
    assert "Xavier Contact" in text and "Zoë Smith-Jones" in text and "30 June 2027" in text
    page = PdfReader(io.BytesIO(_path(twin).read_bytes())).pages[0]
    assert page.mediabox.width > page.mediabox.height  # App 13 is a landscape table

    anonymised = flat(twin)
    names = [person.real_name for person in key_rows(review)]
    assert "Xavier Contact" in names and CHILD in names
    for name in names:
        for part in name.replace("'", " ").split():
            assert part not in anonymised, f"{part} (from {name}) left in the anonymised action plan"
    assert "Child A" in anonymised
    twin.refresh_from_db()
    assert release_problem(twin) == ""


def test_every_review_wording_fills_in_with_its_example_case():
    for kind in registry.kinds(owner_type="review"):
        for code in kind.wordings.values():
            body = registry.get_wording(code).default_body()
            assert sandbox.validate_wording(body, sample=kind.sample()).strip(), code


# --- Who may see them ---------------------------------------------------------------------------------


@pytest.fixture
def produced(journey, manager_a, produce):
    review = journey.to(ReviewState.IMRS_COMMISSIONED)
    internal, _ = produce(review, "authors-briefing", manager_a)
    return review, internal


@pytest.mark.parametrize(
    ("persona", "page", "download", "new"),
    [
        ("manager_a", 200, 200, 200),
        ("chair_a", 200, 200, 403),
        ("panel_rep", 200, 200, 403),
        ("imr_author_y", 403, 403, 403),
        ("manager_b", 404, 404, 404),
    ],
)
def test_review_documents_are_for_the_board_and_the_panel_only(
    request, client_as, produced, manager_a, persona, page, download, new
):
    review, document = produced
    if persona == "panel_rep":
        user = independent_person(full_name=PANEL_REP)
        appoint(review, actor=manager_a, user=user, role=PanelRole.AGENCY_REPRESENTATIVE, post="Inspector")
    elif persona == "imr_author_y":
        user = review.imrs.get(agency__name="Alpha Hospitals NHS Trust").author
    else:
        user = request.getfixturevalue(persona)
    client = client_as(user)
    assert client.get(reverse("review_documents", args=[review.pk])).status_code == page
    assert client.get(reverse("review_case_key", args=[review.pk])).status_code == page
    assert client.get(reverse("document_download", args=[document.pk])).status_code == download
    new_url = reverse("review_document_new", args=[review.pk, "authors-briefing"])
    assert client.get(new_url).status_code == new


def test_review_documents_page_lists_every_kind_in_queries_that_do_not_grow_with_versions(
    client_as, produced, manager_a, produce
):
    review, _ = produced
    client = client_as(manager_a)
    url = reverse("review_documents", args=[review.pk])
    with CaptureQueriesContext(connection) as first:
        response = client.get(url)
    text = response.content.decode()
    for kind in registry.kinds(owner_type="review"):
        assert escape(kind.title) in text
    for _ in range(3):
        produce(review, "authors-briefing", manager_a)
    with CaptureQueriesContext(connection) as later:
        client.get(url)
    assert len(later) <= len(first) <= 40
    detail = client.get(reverse("review_detail", args=[review.pk])).content.decode()
    assert url in detail


def test_debriefing_options_refuse_a_past_date_and_produce_the_letter_for_a_future_one(
    journey, manager_a, client_as, queued
):
    review = journey.to(ReviewState.ADOPTED)
    client = client_as(manager_a)
    url = reverse("review_document_new", args=[review.pk, "practitioners-debrief"])
    past = {"date_0": "1", "date_1": "3", "date_2": "2027", "time": "10:00", "venue": "Council House"}
    response = client.post(url, past)
    assert "The date of the debriefing must be today or in the future" in response.content.decode()
    assert not queued
    response = client.post(url, {**past, "date_0": "19", "date_1": "4"})
    assert response.status_code == 302 and len(queued) == 1
    document = GeneratedDocument.objects.get(pk=queued[0])
    assert document.options == {"date": "2027-04-19", "time": "10:00", "venue": "Council House"}
    assert document.context["data"]["reply_by"] == "Monday 12 April 2027"


# --- The check of uploaded reports --------------------------------------------------------------------


def docx_with(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(
        "overview.docx",
        docx("Overview report", text),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )


def test_uploaded_overview_naming_the_child_is_blocked_from_ofsted_until_overridden(
    journey, manager_a, client_as
):
    review = journey.to(ReviewState.OVERVIEW_DRAFTING)
    debrief(review, actor=manager_a)  # publication's other condition (App 10), so only the check blocks
    version = review_services.report_upload(
        review=review,
        actor=journey.author,
        kind="overview_report",
        upload=docx_with("The health visitor saw Zoë at home on 19 November 2026."),
    )
    check = version_check(version)
    assert check.outcome == "blocked"
    assert any(finding["text"] == "Zoë" for finding in check.findings)
    assert check.findings[0]["unit"] == "paragraph" and check.findings[0]["line"] == 2
    blocked = [BLOCKED_RELEASE.format(number=version.number, kind="overview report")]
    assert reports_release_problems(review) == blocked
    assert guards.problems_for(review, "submit_to_ofsted") == blocked  # nothing goes to Ofsted
    assert guards.problems_for(review, "publish") == blocked
    loaded = Review.objects.get(pk=review.pk)
    guards.load_guard_facts([loaded])  # as the home page's work queue asks
    assert (
        guards.problems_for(loaded, "submit_to_ofsted") == guards.problems_for(loaded, "publish") == blocked
    )
    client = client_as(manager_a)
    page = client.get(reverse("review_reports", args=[review.pk, "overview"])).content.decode()
    assert "Blocked" in page and "Paragraph 2" in page

    override_url = reverse("review_report_check_override", args=[review.pk, "overview", version.pk])
    assert client_as(journey.chair).get(override_url).status_code == 403
    client = client_as(manager_a)
    response = client.post(
        override_url, {"reason": "The child's first name is used with the family's consent."}
    )
    assert response.status_code == 302
    assert reports_release_problems(review) == [] and guards.problems_for(review, "publish") == []
    assert TransitionLog.objects.filter(transition="anonymisation_override", actor=manager_a).exists()


def test_upload_page_warns_at_once_when_the_check_finds_a_name(journey, client_as):
    review = journey.to(ReviewState.OVERVIEW_DRAFTING)
    client = client_as(journey.author)
    url = reverse("review_report_upload", args=[review.pk, "overview"])
    response = client.post(url, {"file": docx_with("Zoë was seen at home."), "note": ""}, follow=True)
    text = response.content.decode()
    assert "The anonymisation check found 1 item in version 1 that could identify someone." in text
    assert "Paragraph 2" in text


def test_uploaded_pdf_overview_naming_the_child_is_found_with_its_page(journey, manager_a, produce):
    review = journey.to(ReviewState.OVERVIEW_DRAFTING)
    # A real PDF that names the child: the terms of reference the portal rendered (internal version).
    tor, _ = produce(review, "terms-of-reference", manager_a, version=1)
    data = _path(tor).read_bytes()
    version = review_services.report_upload(
        review=review,
        actor=journey.author,
        kind="overview_report",
        upload=SimpleUploadedFile("overview.pdf", data, content_type="application/pdf"),
    )
    check = version_check(version)
    assert check.outcome == "blocked"
    assert any(CHILD in finding["text"] and finding["page"] == 1 for finding in check.findings)
    assert CaseKeyPerson.objects.filter(real_name=CHILD, object_id=review.pk).exists()


def test_review_key_holds_the_professionals_but_not_the_people_named_in_everything(
    journey, manager_a, contact_x, agency_x
):
    review = journey.to(ReviewState.ADOPTED)
    panel_member(review, appointed_by=manager_a, full_name=PANEL_REP)
    draft_plan(review, manager=manager_a, agency=agency_x, owner=contact_x)
    services.case_key_fill(owner=review, actor=manager_a)
    key = {person.real_name: person.pseudonym for person in key_rows(review)}
    assert key[CHILD] == "Child A"
    for professional in (IMR_AUTHOR_X, IMR_AUTHOR_Y, PANEL_REP, "Xavier Contact"):
        assert key[professional].startswith("Practitioner ")
    for named in ("Carol Chair", "Pat Chair-Independent", "Olu Author-Independent"):
        assert named not in key


# --- The communications plan (App 9) --------------------------------------------------------------------


def test_communications_plan_prints_its_owner_dates_headings_and_audiences(journey, manager_a, produce):
    review = journey.to(ReviewState.SCOPING)
    assert_refused(review, "communications-plan", manager_a, "Set up the communications plan first")
    communications_plan(
        review,
        actor=manager_a,
        media_lead="Alpha Council press office",
        embargo_until=dt.date(2027, 9, 14),
        key_messages="Agencies have learned from what happened and have acted.",
        holding_statement="The board is reviewing how agencies worked together.",
    )
    internal, twin = produce(review, "communications-plan", manager_a)
    assert twin is None  # for the LSCB and the partners' press offices
    text = flat(internal)
    assert f"Communications plan: serious case review {review.reference}" in text
    for printed in (
        "Casey Comms, Head of Communications, Alpha Council",
        "Alpha Council press office",
        "Publication planned for 14 September 2027",
        "Key messages Agencies have learned from what happened and have acted.",
        "Holding statement The board is reviewing how agencies worked together.",
        "Ofsted The findings and the action plan, in advance. Business manager Secure email",
        "Before publication, 1 September 2027",
    ):
        assert printed in text, printed
    footer_on_every_page(internal, draft=True)


def test_another_boards_manager_cannot_produce_or_download_the_communications_plan(
    journey, manager_a, manager_b, client_as, produce
):
    review = journey.review
    communications_plan(review, actor=manager_a, briefing=None)
    internal, _ = produce(review, "communications-plan", manager_a)
    client = client_as(manager_b)
    assert client.get(reverse("document_download", args=[internal.pk])).status_code == 404
    assert (
        client.get(reverse("review_document_new", args=[review.pk, "communications-plan"])).status_code == 404
    )
    assert client_as(manager_a).get(reverse("document_download", args=[internal.pk])).status_code == 200


def test_document_names_keep_their_capitals(client_as, journey, manager_a):
    """Issue 19: "Produce a new draft: imr commissioning letter"."""
    review = journey.to(ReviewState.TOR_APPROVED)
    client = client_as(manager_a)
    page = client.get(reverse("review_document_new", args=[review.pk, "imr-commission"])).text
    assert "Produce a new draft: IMR commissioning letter" in page
    assert "imr commissioning letter" not in page
    listing = client.get(reverse("review_documents", args=[review.pk])).text
    assert "IMR commissioning letter" in listing and "imr commissioning letter" not in listing
