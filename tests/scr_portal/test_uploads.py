"""Uploads are checked by content and size and stored outside the web root under random names."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from scr_portal.uploads import (
    DOCUMENT_TYPES,
    SPREADSHEET_TYPES,
    check_upload,
    detect_type,
    download_response,
    file_path,
    store_file,
)

from ..factories import zipped

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF"
DOCX = zipped({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
DOCM = zipped({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>", "word/vbaProject.bin": b"x"})
XLSX = zipped({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})
ODT = zipped({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<office/>"})
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (PDF, "pdf"),
        (DOCX, "docx"),
        (XLSX, "xlsx"),
        (ODT, "odt"),
        (b"date,event\n1/1/2026,Visit\n", "csv"),
        (EXE, None),
        (DOCM, "macro"),
        (zipped({"a.txt": b"x"}), None),
    ],
)
def test_type_is_detected_from_the_content(data, expected):
    assert detect_type(data) == expected


def test_a_renamed_executable_is_refused_whatever_its_name():
    upload = SimpleUploadedFile("report.pdf", EXE)
    with pytest.raises(ValidationError) as error:
        check_upload(upload, allowed=DOCUMENT_TYPES)
    assert error.value.messages == [
        "The selected file must be a Word (DOCX) or OpenDocument text (ODT) or PDF"
    ]


def test_macro_enabled_documents_are_refused():
    with pytest.raises(ValidationError, match="macros"):
        check_upload(SimpleUploadedFile("report.docx", DOCM), allowed=DOCUMENT_TYPES)


def test_size_limit_and_empty_files():
    with pytest.raises(ValidationError, match="smaller than 1MB"):
        check_upload(
            SimpleUploadedFile("big.pdf", PDF + b"0" * (1024 * 1024)),
            allowed=DOCUMENT_TYPES,
            max_bytes=1024 * 1024,
        )
    with pytest.raises(ValidationError, match="empty"):
        check_upload(SimpleUploadedFile("empty.pdf", b""), allowed=DOCUMENT_TYPES)


def test_spreadsheets_accept_csv_and_xlsx_only():
    assert check_upload(SimpleUploadedFile("c.xlsx", XLSX), allowed=SPREADSHEET_TYPES).file_type == "xlsx"
    with pytest.raises(ValidationError):
        check_upload(SimpleUploadedFile("c.csv", PDF), allowed=SPREADSHEET_TYPES)


@pytest.mark.django_db
def test_stored_outside_the_web_root_with_a_random_name_and_versions(board_a, manager_a, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private"
    checked = check_upload(SimpleUploadedFile("IMR Child A.pdf", PDF), allowed=DOCUMENT_TYPES)
    first = store_file(checked=checked, board=board_a, owner=board_a, kind="test", actor=manager_a)
    second = store_file(checked=checked, board=board_a, owner=board_a, kind="test", actor=manager_a)
    assert (first.version, second.version) == (1, 2)
    path = file_path(first)
    assert path.read_bytes() == PDF and "Child" not in str(path)
    assert str(settings.STATIC_ROOT) not in str(path)
    response = download_response(first)
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Type"] == "application/pdf"
