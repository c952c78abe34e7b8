"""Uploaded reports (PDF, DOCX, ODT) get the same check as generated documents, from their extracted
text; a scan with no text, or a file that hides entities, is reported as not checkable rather than
passed."""

import pytest

from scr_portal.documents import extract, services
from scr_portal.documents.engine import render_pdf
from scr_portal.uploads import CheckedUpload, store_file

from ..factories import zipped
from .conftest import CHILD

pytestmark = pytest.mark.django_db

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
TEXT_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
)


def docx(*paragraphs: str, footer: str = "") -> bytes:
    body = "".join(f"<w:p><w:r><w:t xml:space='preserve'>{text}</w:t></w:r></w:p>" for text in paragraphs)
    parts = {
        "[Content_Types].xml": b"<Types/>",
        "word/document.xml": f"<w:document {W}><w:body>{body}</w:body></w:document>".encode(),
    }
    if footer:
        parts["word/footer1.xml"] = f"<w:ftr {W}><w:p><w:r><w:t>{footer}</w:t></w:r></w:p></w:ftr>".encode()
    return zipped(parts)


def odt(*paragraphs: str) -> bytes:
    body = "".join(f"<text:p>{text}</text:p>" for text in paragraphs)
    content = (
        f"<office:document-content {TEXT_NS}><office:body><office:text>{body}</office:text></office:body>"
        "</office:document-content>"
    )
    return zipped({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": content.encode()})


def pdf(*paragraphs: str) -> bytes:
    body = "".join(f"<p>{text}</p>" for text in paragraphs)
    return render_pdf(f'<html lang="en-GB"><head><title>Report</title></head><body>{body}</body></html>').data


OVERVIEW = (
    "Overview report",
    "Child A lived with Mother.",
    "Mrs O’Neill was not seen by the GP.",
    "Postcode B91 3QT.",
)


@pytest.mark.parametrize(("file_type", "build"), [("pdf", pdf), ("docx", docx), ("odt", odt)])
def test_an_uploaded_report_is_checked_from_its_text(referral, manager_a, file_type, build, frozen):
    stored = store_file(
        checked=CheckedUpload(name=f"overview.{file_type}", data=build(*OVERVIEW), file_type=file_type),
        board=referral.board,
        owner=referral,
        kind="overview_report",
        actor=manager_a,
    )
    services.case_key_fill(owner=referral, actor=manager_a)
    check = services.uploaded_file_check(stored_file=stored, owner=referral, actor=manager_a)
    assert check.outcome == "blocked" and check.stored_file == stored and check.document is None
    found = [(f["kind"], f["text"]) for f in check.findings]
    assert found == [("name", "Mrs O’Neill"), ("postcode", "B91 3QT")]
    place = check.findings[0]
    if file_type == "pdf":
        assert (place["page"], place["line"]) == (1, 3)
    else:
        assert (place["page"], place["line"], place["unit"]) == (None, 3, "paragraph")


def test_a_clean_upload_passes_and_headers_and_footers_are_read_too(referral, manager_a, frozen):
    services.case_key_fill(owner=referral, actor=manager_a)
    clean = store_file(
        checked=CheckedUpload(name="summary.docx", data=docx("Child A and Mother."), file_type="docx"),
        board=referral.board,
        owner=referral,
        kind="executive_summary",
        actor=manager_a,
    )
    assert (
        services.uploaded_file_check(stored_file=clean, owner=referral, actor=manager_a).outcome == "passed"
    )
    footer = store_file(
        checked=CheckedUpload(
            name="summary.docx", data=docx("Child A.", footer=f"Draft by {CHILD}"), file_type="docx"
        ),
        board=referral.board,
        owner=referral,
        kind="executive_summary",
        actor=manager_a,
    )
    check = services.uploaded_file_check(stored_file=footer, owner=referral, actor=manager_a)
    assert [f["text"] for f in check.findings] == [CHILD]


def test_a_file_with_no_text_cannot_be_checked_and_says_so(referral, manager_a, frozen):
    scan = render_pdf('<html lang="en-GB"><head><title>Scan</title></head><body></body></html>').data
    stored = store_file(
        checked=CheckedUpload(name="scan.pdf", data=scan, file_type="pdf"),
        board=referral.board,
        owner=referral,
        kind="overview_report",
        actor=manager_a,
    )
    check = services.uploaded_file_check(stored_file=stored, owner=referral, actor=manager_a)
    assert (check.outcome, check.message) == ("unreadable", extract.NO_TEXT)
    assert not check.releases


def test_xml_with_a_doctype_is_refused_not_expanded():
    bomb = (
        f'<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><w:document {W}><w:body><w:p><w:r>'
        "<w:t>&lol2;</w:t></w:r></w:p></w:body></w:document>"
    )
    with pytest.raises(extract.ExtractionError):
        extract.extract_text(
            zipped({"[Content_Types].xml": b"<Types/>", "word/document.xml": bomb.encode()}), "docx"
        )


def test_a_corrupt_file_is_unreadable():
    with pytest.raises(extract.ExtractionError):
        extract.extract_text(b"%PDF-1.7 not really", "pdf")
    with pytest.raises(extract.ExtractionError):
        extract.extract_text(b"PK\x03\x04 broken", "odt")
