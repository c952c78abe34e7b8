"""The IMR documents, rendered for real and read back: the IMR pack (App 6 headings with guidance, App 7
columns, the authors' guide) with its footer and DRAFT mark, the App 7 template as a spreadsheet the
import accepts, the review's integrated chronology (both agencies, date order, landscape; refused above
5,000 rows with a pointer to the spreadsheet), the genogram in the referral page and in a PDF, the IMR's
anonymisation key filled with the practitioners its staff key and interviews name, and who may see what
(another agency's author and another board get 404)."""

import datetime as dt
import io
import re

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from imr import services as imr_services
from imr.chronology_io import parse_chronology
from imr.documents import TOO_LONG_FOR_PDF, app7_headers, staff_key_names
from imr.documents import contexts as imr_documents
from imr.models import IMR, IMRState, Interview
from reviews.models import Review
from scr_portal.documents import anonymise, registry, rendering, selectors, services
from scr_portal.models import CaseKeyPerson, DocumentStatus, KeyRole
from scr_portal.reference_data import ensure_reference_data

from ..factories import frozen_at
from ..imr.factories import NOW, advance, commission, panel_member, review_of
from .conftest import CHILD, FATHER, MOTHER, WORKER, pdf_bytes, pdf_pages, pdf_text

pytestmark = pytest.mark.django_db

APP7 = [
    "Event No",
    "Date",
    "Time",
    "Age of Child",
    "Family Member",
    "Child seen/wishes sought or expressed (Y/N)",
    "Event",
    "Agency source to overview",
    "Action taken",
    "Note",
]
TODAY_TEXT = "Monday 11 January 2027"
XSS = '<script>alert("x")</script>'
STAFF_KEY = (
    "Kerry-Ann O'Brien, health visitor\n"
    "- Dr Zoë Ng (GP)\n"
    "Priya Patel – family support worker\n"  # already in the key from the referral
    "kerry-ann  o'brien: duty cover\n"  # the same person again
)


imr_time = frozen_at(NOW)


@pytest.fixture
def review(referral, manager_a):
    """Board A's review of the tricky-names referral, with approved terms of reference."""
    ensure_reference_data()
    return review_of(
        referral, created_by=manager_a, scope="The agencies' work with Zoë's family from her birth."
    )


@pytest.fixture
def panel(review, manager_a):
    return panel_member(review, appointed_by=manager_a, full_name="Penny Panel")


@pytest.fixture
def imrs(review, agency_x, agency_y, manager_a, contact_x, contact_y):
    created = {imr.agency_id: imr for imr in commission(review, [agency_x, agency_y], actor=manager_a)}
    x = advance(
        created[agency_x.pk], IMRState.IN_PREPARATION, contact=contact_x, panel=None, email="x@example.org"
    )
    y = advance(
        created[agency_y.pk], IMRState.IN_PREPARATION, contact=contact_y, panel=None, email="y@example.org"
    )
    return {"x": x, "y": y}


def add_rows(imr: IMR, rows: list[tuple[dt.date, str]]) -> None:
    for number, (day, event) in enumerate(rows, start=1):
        imr_services.chronology_entry_save(
            imr=imr,
            actor=imr.author,
            event_no=number,
            date=day,
            time=None,
            family_member="M",
            child_seen=True,
            event=event,
            agency_source="Records",
            action_taken="",
            note="",
        )


@pytest.fixture
def accepted(imrs, panel, contact_x, contact_y):
    """Both IMRs accepted, their chronologies interleaving in date order."""
    add_rows(
        imrs["x"], [(dt.date(2021, 3, 1), "X first contact."), (dt.date(2021, 3, 5), "X third contact.")]
    )
    add_rows(
        imrs["y"], [(dt.date(2021, 3, 3), "Y second contact."), (dt.date(2021, 3, 9), "Y fourth contact.")]
    )
    return {
        key: advance(imr, IMRState.ACCEPTED, contact=contact, panel=panel)
        for (key, imr), contact in zip(imrs.items(), (contact_x, contact_y), strict=True)
    }


def flat(text: str) -> str:
    return re.sub(r"-\s+", "-", " ".join(text.split()))


def footer_on_every_page(pages: list[str], reference: str, *, draft: bool) -> None:
    for number, text in enumerate(pages, start=1):
        line = flat(text)
        assert f"Ref: {reference} · Version 1 · {TODAY_TEXT}" in line, f"page {number} has no footer"
        assert f"Page {number} of {len(pages)}" in line
        assert ("DRAFT" in [row.strip() for row in text.splitlines()]) is draft
        assert ("DRAFT – not approved" in line) is draft


# --- The IMR pack -------------------------------------------------------------------------------------


def test_the_imr_pack_has_the_app6_headings_the_app7_columns_and_the_guide_with_footer_and_draft_mark(
    imrs, manager_a, produce
):
    imr = imrs["x"]
    internal, twin = produce(imr, "imr-pack", manager_a)
    assert internal.status == DocumentStatus.READY and twin is None  # for the author, not an outside body
    pages = pdf_pages(internal)
    text = flat(" ".join(pages))
    assert "IMR pack for Alpha Police" in text
    assert f"On {CHILD}" in text
    assert "Version 1, covering 1 May 2020 to 20 November 2026" in text
    headings = [
        "About this report",
        "Contextual information",
        "Methodology",
        "Genogram",
        "Summary of facts",
        "Detailed factual chronology",
        "Analysis of involvement",
        "What do we learn from this case?",
        "SMART recommendations",
        "Action plan",
        "Signatures",
    ]
    positions = [text.index(f"{number}. {heading}") for number, heading in enumerate(headings, start=1)]
    assert positions == sorted(positions)
    assert "Staff involved, by name and job title: For the panel only." in text  # guidance under a heading
    for header in APP7:
        assert header in text
    assert "Part 3: the authors' guide in one page" in text and "Who writes the IMR" in text
    footer_on_every_page(pages, f"{imr.case_reference}/imr-pack/v1", draft=True)


def test_no_pack_for_an_agency_that_made_a_nil_return(review, agency_x, manager_a, contact_x):
    imr = commission(review, [agency_x], actor=manager_a)[0]
    imr = imr_services.imr_record_nil_return(imr=imr, actor=contact_x, reason="No contact with the family.")
    with pytest.raises(ValidationError) as refused:
        services.document_request(owner=imr, code="imr-pack", actor=manager_a)
    assert refused.value.messages == ["The agency made a nil return, so there is no IMR to write."]


def test_the_app7_template_spreadsheet_has_the_appendix_columns_and_imports_as_it_comes(
    imrs, client_as, manager_a
):
    imr = imrs["x"]
    response = client_as(imr.author).get(reverse("imr_chronology_app7_template", args=[imr.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('-chronology-template.xlsx"')
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = workbook["Chronology"]
    assert [cell.value for cell in sheet[1]] == APP7 == app7_headers()
    assert sheet["B2"].number_format == "dd/mm/yyyy" and sheet["C2"].number_format == "hh:mm"
    assert [row[0] for row in workbook["How to fill it in"].iter_rows(min_row=2, values_only=True)] == APP7
    # An author fills in a row and imports the file: accepted, the "Age of Child" column left to the portal.
    sheet.append(
        [1, dt.date(2021, 3, 1), dt.time(9, 30), "anything", "M", "Y", "Home visit.", "Health", "", ""]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = parse_chronology(buffer.getvalue(), "xlsx", today=NOW.date())
    assert result.ok, result.problems
    assert result.rows[0]["event"] == "Home visit." and result.rows[0]["date"] == dt.date(2021, 3, 1)


def test_the_imr_page_links_its_documents_and_the_template(imrs, client_as):
    imr = imrs["x"]
    page = client_as(imr.author).get(reverse("imr_detail", args=[imr.pk])).content.decode()
    assert reverse("imr_documents", args=[imr.pk]) in page
    assert reverse("imr_chronology_app7_template", args=[imr.pk]) in page


# --- Who may see an IMR's documents -------------------------------------------------------------------


def test_another_agencys_author_and_another_board_get_404_for_an_imrs_documents(
    imrs, manager_a, manager_b, client_as, produce
):
    imr_x, author_y = imrs["x"], imrs["y"].author
    internal, _ = produce(imr_x, "imr-pack", manager_a)
    urls = [
        reverse("imr_documents", args=[imr_x.pk]),
        reverse("imr_document_new", args=[imr_x.pk, "imr-pack"]),
        reverse("imr_case_key", args=[imr_x.pk]),
        reverse("imr_chronology_app7_template", args=[imr_x.pk]),
        reverse("document_detail", args=[internal.pk]),
        reverse("document_download", args=[internal.pk]),
    ]
    for user in (author_y, manager_b):
        client = client_as(user)
        for url in urls:
            assert client.get(url).status_code == 404, (user.full_name, url)
    own = client_as(imr_x.author)
    assert own.get(reverse("imr_documents", args=[imr_x.pk])).status_code == 200
    assert own.get(reverse("document_download", args=[internal.pk])).status_code == 200


def test_the_author_may_produce_the_pack_and_an_agency_contact_may_only_look(imrs, client_as, contact_x):
    imr = imrs["x"]
    new_url = reverse("imr_document_new", args=[imr.pk, "imr-pack"])
    assert client_as(imr.author).post(new_url).status_code == 302
    contact = client_as(contact_x)
    assert contact.get(reverse("imr_documents", args=[imr.pk])).status_code == 200
    assert contact.post(new_url).status_code == 403


# --- The key, filled from the IMR ---------------------------------------------------------------------


def test_staff_key_lines_give_the_names_before_the_job_title():
    assert staff_key_names(STAFF_KEY) == [
        "Kerry-Ann O'Brien",
        "Dr Zoë Ng",
        "Priya Patel",
        "kerry-ann  o'brien",
    ]


def test_the_key_is_filled_with_the_practitioners_the_imr_names_once_each_and_they_are_replaced(
    imrs, manager_a
):
    imr = imrs["x"]
    IMR.objects.filter(pk=imr.pk).update(staff_key=STAFF_KEY)
    Interview.objects.create(
        imr=imr,
        interviewee_name="Seán Smith-Jones",
        job_title="Social worker",
        invited_on=NOW.date(),
        interview_date=NOW.date() + dt.timedelta(days=14),
        venue="Council House",
        created_by=imr.author,
        created_at=NOW,
    )
    imr.refresh_from_db()
    added = services.case_key_fill(owner=imr, actor=manager_a)
    key = {
        row.real_name: row
        for row in CaseKeyPerson.objects.filter(object_id=imr.pk, role=KeyRole.PRACTITIONER)
    }
    from_imr = {name for name, row in key.items() if row.source_ref.startswith("imr-")}
    assert from_imr == {"Kerry-Ann O'Brien", "Dr Zoë Ng", "Seán Smith-Jones"}
    assert key[WORKER].source_ref.startswith("agency-worker:")  # named by the referral already: once
    assert added == len(selectors.key_rows(imr))
    assert sorted(row.pseudonym for row in key.values()) == [
        f"Practitioner {n}" for n in range(1, len(key) + 1)
    ]
    assert services.case_key_fill(owner=imr, actor=manager_a) == 0
    text = (
        f"{CHILD} was seen by Kerry-Ann O'Brien and by Dr Ng. Mrs O’Neill told KERRY-ANN O'BRIEN'S "
        f"colleague Seán Smith-Jones; {MOTHER} and {FATHER} were present. Zoë's GP is Dr Zoë Ng."
    )
    anonymised = anonymise.anonymise_text(text, selectors.detector_for_owner(imr))
    for fragment in (
        "Zoë",
        "Zoe",
        "Neill",
        "Kerry",
        "Brien",
        "Smith",
        "Jones",
        "Seán",
        "Siobhan",
        "Liam",
        "Ng",
    ):
        assert fragment not in anonymised, (fragment, anonymised)
    assert "Child A" in anonymised and "Practitioner" in anonymised


# --- The integrated chronology ------------------------------------------------------------------------


def test_the_integrated_chronology_pdf_merges_both_agencies_in_date_order_landscape(
    review, accepted, manager_a, produce
):
    internal, twin = produce(review, "integrated-chronology", manager_a)
    assert internal.status == DocumentStatus.READY and twin is None
    reader = PdfReader(io.BytesIO(pdf_bytes(internal)))
    box = reader.pages[0].mediabox
    assert box.width > box.height  # landscape
    pages = pdf_pages(internal)
    text = flat(" ".join(pages))
    events = ["X first contact.", "Y second contact.", "X third contact.", "Y fourth contact."]
    positions = [text.index(event) for event in events]
    assert positions == sorted(positions)
    assert "Alpha Police" in text and "Alpha Hospitals NHS Trust" in text
    assert "4 rows: Alpha Hospitals NHS Trust 2; Alpha Police 2." in text
    # The App 7 headings (narrow columns wrap them over lines, so their words are looked for).
    for word in (
        "Agency",
        "Event",
        "No",
        "Date",
        "Time",
        "Age",
        "Child",
        "Family",
        "Member",
        "source",
        "taken",
    ):
        assert re.search(rf"\b{word}\b", text[: text.index("X first contact.")]), word
    footer_on_every_page(pages, f"{review.reference}/integrated-chronology/v1", draft=True)


def test_a_chronology_longer_than_a_part_renders_in_parts_joined_into_one_tagged_pdf_numbered_throughout(
    review, accepted, manager_a, produce, settings
):
    """Rendered 7 rows at a time (bounded memory), the parts make one PDF: every row once and in order, the
    heading once, "Page X of Y" counted over the whole document, and one structure tree for screen readers
    whose page keys all differ."""
    settings.DOCUMENT_PART_ROWS = 7
    x = accepted["x"]
    x.chronology.bulk_create(
        [
            x.chronology.model(
                imr=x,
                event_no=100 + n,
                date=dt.date(2022, 1, 1 + n),
                child_seen=False,
                event=f"Later visit {n}.",
            )
            for n in range(26)
        ]
    )
    internal, _ = produce(review, "integrated-chronology", manager_a)
    assert internal.status == DocumentStatus.READY
    pages = pdf_pages(internal)
    assert internal.page_count == len(pages) >= 5  # 30 rows in 5 parts, each starting a page
    footer_on_every_page(pages, f"{review.reference}/integrated-chronology/v1", draft=True)
    text = flat(" ".join(pages))
    events = ["X first contact.", "Y second contact.", "X third contact.", "Y fourth contact."]
    events += [f"Later visit {n}." for n in range(26)]
    positions = [text.index(event) for event in events]
    assert positions == sorted(positions) and all(text.count(event) == 1 for event in events[:4])
    assert text.count("30 rows: ") == 1 and text.count(f"Integrated chronology: {review.reference}") == 1
    reader = PdfReader(io.BytesIO(pdf_bytes(internal)))
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == "en-GB" and catalog["/MarkInfo"]["/Marked"]
    tree = catalog["/StructTreeRoot"]
    keys = [int(page["/StructParents"]) for page in reader.pages]
    nums = tree["/ParentTree"]["/Nums"]
    assert len(set(keys)) == len(keys) and set(keys) <= {int(key) for key in nums[::2]}
    assert tree["/K"][0]["/S"] == "/Document"


def test_the_integrated_chronology_spreadsheet_has_the_app7_headers_and_both_agencies_in_date_order(
    review, accepted, client_as, manager_a, xlsx_export
):
    _, response = xlsx_export(client_as(manager_a), review)
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    headers = list(rows[1])
    for header in [h for h in APP7 if h != "Child seen/wishes sought or expressed (Y/N)"]:
        assert header in headers
    data = rows[2:]
    dates = [row[headers.index("Date")] for row in data]
    assert dates == sorted(dates) and len(dates) == 4
    assert {row[headers.index("Agency")] for row in data} == {"Alpha Police", "Alpha Hospitals NHS Trust"}


def test_the_integrated_chronology_waits_for_an_accepted_imr(review, imrs, manager_a):
    kind = registry.get_kind("integrated-chronology")
    assert kind.missing(review) == [imr_documents.NO_ACCEPTED_IMRS]


def test_above_5000_rows_the_pdf_is_refused_with_a_pointer_to_the_spreadsheet(
    review, accepted, manager_a, monkeypatch
):
    monkeypatch.setattr(imr_documents, "MAX_TABLE_ROWS", 3)
    message = TOO_LONG_FOR_PDF.format(rows=4, limit=3)
    assert "spreadsheet (Excel, XLSX) from the integrated chronology page" in message
    with pytest.raises(ValidationError) as refused:
        services.document_request(owner=review, code="integrated-chronology", actor=manager_a)
    assert refused.value.messages == [message]


def test_the_limit_is_the_engines_5000_rows():
    assert imr_documents.MAX_TABLE_ROWS == services.MAX_TABLE_ROWS == 5_000


# --- The genogram -------------------------------------------------------------------------------------


def test_the_genogram_pdf_draws_the_family_and_its_anonymised_version_uses_the_pseudonyms(
    referral, manager_a, produce
):
    internal, twin = produce(referral, "genogram", manager_a)
    text = flat(pdf_text(internal))
    assert f"Genogram: {CHILD}" in text
    assert f"{MOTHER}, Mother, female, born 3 February 1995" in text
    assert f"{CHILD}, The child, gender not known, born 1 May 2020, the subject child" in text
    html = rendering.render_html(internal)
    assert 'role="img"' in html and "<circle" in html and "<rect" in html and "subject-inner" in html
    anonymous = flat(pdf_text(twin))
    assert "Genogram: Child A" in anonymous and "Mother, female, aged 31 years" in anonymous
    for fragment in ("Zoë", "Zoe", "Smith", "Jones", "Neill", "Siobhan", "Liam", "1995"):
        assert fragment not in anonymous, fragment
    assert twin.checks.get().outcome == "passed"
    assert "1995" not in str(twin.context) and "2020-05-01" not in str(twin.context)


def test_markup_in_a_family_members_name_is_text_in_the_referral_page_and_in_the_pdf(
    referral, manager_a, client_as, produce
):
    referral.family.create(name=XSS, relationship="Mother's partner", order=9)
    page = client_as(manager_a).get(reverse("referral_detail", args=[referral.pk])).content.decode()
    section = page[page.index('id="genogram"') : page.index('id="documents"')]
    assert "<script>alert" not in section
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in section
    assert 'role="img"' in section and f'aria-labelledby="genogram-{referral.pk}-title' in section
    assert "People on the genogram" in section
    internal, _ = produce(referral, "genogram", manager_a)
    assert XSS in flat(pdf_text(internal))


@pytest.mark.parametrize(
    "code", ["imr-pack-intro", "imr-authors-guide", "integrated-chronology-intro", "genogram-note"]
)
def test_each_default_wording_previews_with_its_sample_case(code):
    """The wording a board may edit uses only the fields its document documents (a broken one never saves)."""
    wording = registry.get_wording(code)
    preview = services.wording_preview(code=code, body=wording.default_body())
    assert preview and "{{" not in preview


def test_building_the_integrated_chronology_takes_the_same_queries_whatever_its_length(review, accepted):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    kind = registry.get_kind("integrated-chronology")

    def queries() -> int:
        request = registry.BuildRequest(merge=registry.Merge(), today=NOW.date())
        with CaptureQueriesContext(connection) as captured:
            kind.build(Review.objects.get(pk=review.pk), request)
        return len(captured)

    before = queries()
    x = accepted["x"]
    x.chronology.bulk_create(
        [
            x.chronology.model(
                imr=x, event_no=100 + n, date=dt.date(2022, 1, 1), child_seen=False, event=f"More {n}."
            )
            for n in range(30)
        ]
    )
    assert queries() == before


def test_the_imr_genogram_page_draws_what_the_author_recorded(imrs, client_as):
    from imr.models import GenogramPerson, GenogramRelationship

    imr = imrs["x"]
    mother = GenogramPerson.objects.create(imr=imr, label="Mother", sex="female")
    child = GenogramPerson.objects.create(imr=imr, label=XSS, sex="male", subject_child=True)
    GenogramRelationship.objects.create(imr=imr, person_a=mother, person_b=child, kind="parent_child")
    page = client_as(imr.author).get(reverse("imr_genogram", args=[imr.pk])).content.decode()
    drawing = page[page.index('data-testid="genogram"') : page.index('data-testid="genogram-people"')]
    assert (
        'role="img"' in drawing and "<circle" in drawing and "<rect" in drawing and "subject-inner" in drawing
    )
    assert "<script>alert" not in page and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in drawing


def test_the_review_key_also_holds_the_practitioners_its_imrs_name(imrs, manager_a):
    imr = imrs["x"]
    IMR.objects.filter(pk=imr.pk).update(staff_key=STAFF_KEY)
    services.case_key_fill(owner=imr.review, actor=manager_a)
    names = set(
        CaseKeyPerson.objects.filter(object_id=imr.review_id, role=KeyRole.PRACTITIONER).values_list(
            "real_name", flat=True
        )
    )
    assert {"Kerry-Ann O'Brien", "Dr Zoë Ng"} <= names
