"""Text out of the files the anonymisation check reads: generated PDFs and uploaded PDF, DOCX and ODT
documents (the overview report, the executive summary).

Uploads are untrusted: zip members are size-capped before they are read (no zip bombs), XML with a
DOCTYPE is refused (no entity expansion), and a PDF that yields no text — a scan — is reported as
unreadable rather than passed, since nothing in it could be checked."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from xml.etree import ElementTree

MAX_MEMBER_BYTES = 50 * 1024 * 1024
MAX_PDF_PAGES = 3_000
NO_TEXT = (
    "No text could be read from this file (it may be a scanned image), so it cannot be checked "
    "automatically. Upload a version with a text layer."
)
UNREADABLE = "The file could not be read. Save it again as PDF, DOCX or ODT and upload it again."
TOO_BIG = "The file is too large to check."

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"


class ExtractionError(ValueError):
    pass


@dataclass(frozen=True)
class ExtractedText:
    pages: list[str]  # PDF: one string a page; DOCX/ODT: one string, a paragraph a line
    paged: bool


def extract_text(data: bytes, file_type: str) -> ExtractedText:
    if file_type == "pdf":
        return _pdf(data)
    if file_type == "docx":
        return _docx(data)
    if file_type == "odt":
        return _odt(data)
    raise ExtractionError(UNREADABLE)


def _pdf(data: bytes) -> ExtractedText:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        if len(reader.pages) > MAX_PDF_PAGES:
            raise ExtractionError(TOO_BIG)
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError) as error:
        if isinstance(error, ExtractionError):
            raise
        raise ExtractionError(UNREADABLE) from None
    if not any(page.strip() for page in pages):
        raise ExtractionError(NO_TEXT)
    return ExtractedText(pages=pages, paged=True)


def _read_members(data: bytes, wanted) -> list[bytes]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = [info for info in archive.infolist() if wanted(info.filename)]
            if any(info.file_size > MAX_MEMBER_BYTES for info in members):
                raise ExtractionError(TOO_BIG)
            return [
                archive.read(info) for info in sorted(members, key=lambda info: _part_order(info.filename))
            ]
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError):
        raise ExtractionError(UNREADABLE) from None


def _part_order(name: str) -> tuple[int, str]:
    """The body first, then headers, footers, notes and comments."""
    for number, prefix in enumerate(("word/document", "content", "word/header", "word/footer", "styles")):
        if name.startswith(prefix):
            return number, name
    return 9, name


def _parse(xml: bytes) -> ElementTree.Element:
    if re.search(rb"<!DOCTYPE|<!ENTITY", xml[:4096], re.IGNORECASE):
        raise ExtractionError(UNREADABLE)
    try:
        return ElementTree.fromstring(xml)  # noqa: S314 — no DOCTYPE, so no entities to expand
    except ElementTree.ParseError:
        raise ExtractionError(UNREADABLE) from None


def _docx(data: bytes) -> ExtractedText:
    parts = _read_members(
        data,
        lambda name: re.fullmatch(
            r"word/(document|header\d*|footer\d*|footnotes|endnotes|comments)\.xml", name
        ),
    )
    paragraphs = []
    for part in parts:
        for paragraph in _parse(part).iter(f"{W}p"):
            pieces = []
            for element in paragraph.iter():
                if element.tag in (f"{W}t", f"{W}delText") and element.text:
                    pieces.append(element.text)
                elif element.tag == f"{W}tab":
                    pieces.append("\t")
                elif element.tag in (f"{W}br", f"{W}cr"):
                    pieces.append(" ")
            paragraphs.append("".join(pieces))
    return _paragraphs(paragraphs)


def _odt_text(element: ElementTree.Element) -> str:
    pieces = [element.text or ""]
    for child in element:
        if child.tag == f"{TEXT}s":
            pieces.append(" " * int(child.get(f"{TEXT}c", "1") or 1))
        elif child.tag == f"{TEXT}tab":
            pieces.append("\t")
        elif child.tag == f"{TEXT}line-break":
            pieces.append(" ")
        elif child.tag in (f"{TEXT}p", f"{TEXT}h"):
            pass  # nested paragraphs (in notes, frames) are their own paragraphs
        else:
            pieces.append(_odt_text(child))
        pieces.append(child.tail or "")
    return "".join(pieces)


def _odt(data: bytes) -> ExtractedText:
    parts = _read_members(data, lambda name: name in {"content.xml", "styles.xml"})
    paragraphs = []
    for part in parts:
        root = _parse(part)
        for element in root.iter():
            if element.tag in (f"{TEXT}p", f"{TEXT}h"):
                paragraphs.append(_odt_text(element))
    return _paragraphs(paragraphs)


def _paragraphs(paragraphs: list[str]) -> ExtractedText:
    if not any(paragraph.strip() for paragraph in paragraphs):
        raise ExtractionError(NO_TEXT)
    return ExtractedText(
        pages=["\n".join(paragraph.replace("\n", " ") for paragraph in paragraphs)], paged=False
    )
