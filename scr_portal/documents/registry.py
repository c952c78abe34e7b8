"""The kinds of document the portal generates, and the pieces of wording a board can edit.

A kind says what it is (code, title, the guidance appendix it follows), which layout template renders it,
which record it belongs to (an owner type: a referral now; a review or an IMR later), how its data is
gathered (a context function returning plain strings, lists and dicts), which wording it uses, what must
exist before it can be produced, and whether it goes to an outside body or the public — in which case an
anonymised version is made alongside and checked before it can leave the board (domain brief §8.1).

To add a document (the terms of reference, App 4, App 5, App 10…): write its layout in
templates/documents/, its default wording in templates/documents/wording/, a context function and a
sample context, and register a `DocumentKind` in the `documents` module of the app that owns the record
(referrals/documents/, reviews/documents/, imr/documents/). Those modules are found the way the
admin finds `admin` modules (autodiscover), so this engine never names an app: imports run one way, from
the apps to the kernel."""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils.module_loading import autodiscover_modules

from ..viewhelpers import long_date  # noqa: F401 — documents word dates as the pages do
from . import anonymise

# The module each app registers its kinds, owner types and extensions in (found in INSTALLED_APPS order).
DISCOVERED_MODULE = "documents"

WORDING_DIR = Path(settings.BASE_DIR) / "templates" / "documents" / "wording"


def board_fields(board) -> dict:
    """The board's letterhead fields, the same in every document."""
    return {
        "name": board.name,
        "address": board.address,
        "phone": board.phone,
        "secure_mailbox": board.secure_mailbox,
        "email": board.contact_email,
    }


def short_date(day: dt.date | None) -> str:
    """ "1 May 2020": dates of birth and events, without the weekday."""
    return f"{day.day} {day:%B %Y}" if day else ""


@dataclass(frozen=True)
class Merge:
    """How a context function writes values into a document: as they are, or anonymised (names to
    pseudonyms, dates of birth to ages, addresses and schools left out)."""

    anonymised: bool = False
    reference_date: dt.date | None = None
    detector: anonymise.Detector | None = None

    def text(self, value: str | None) -> str:
        value = value or ""
        if self.anonymised and self.detector is not None:
            return anonymise.anonymise_text(value, self.detector)
        return value

    name = text

    def dob(self, value: dt.date | None) -> str:
        if value is None:
            return ""
        if self.anonymised:
            return f"aged {anonymise.age_text(value, self.reference_date)}" if self.reference_date else ""
        return short_date(value)

    def address(self, value: str | None) -> str:
        return "" if self.anonymised else (value or "")

    def school(self, value: str | None) -> str:
        return "" if self.anonymised else (value or "")

    def age(self, value: dt.date | None) -> str:
        return anonymise.age_text(value, self.reference_date) if value and self.reference_date else ""


@dataclass(frozen=True)
class BuildRequest:
    """What a context function is given besides the owner."""

    merge: Merge
    today: dt.date
    options: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Wording:
    code: str
    title: str
    kind: str  # the document whose fields it may use

    def default_body(self) -> str:
        return (WORDING_DIR / f"{self.code}.txt").read_text(encoding="utf-8")


@dataclass(frozen=True)
class DocumentKind:
    code: str
    title: str
    source: str  # the guidance it follows, e.g. "Solihull App 2"
    description: str
    layout: str
    owner_type: str
    build: Callable  # (owner, BuildRequest) -> dict
    sample: Callable[[], dict]
    descriptions: dict[str, str]
    wordings: dict[str, str] = field(default_factory=dict)  # part name → wording code
    external: bool = False
    missing: Callable = lambda owner: []  # (owner) -> list of things to do first, in plain words
    options_form: str = ""  # dotted path of a form class taking `owner=`; "" for none
    orientation: str = "portrait"
    listed: bool = True  # shown on the owner's documents page
    # The data's list that a long document is rendered in parts of (settings.DOCUMENT_PART_ROWS rows each,
    # engine.render_pdf_parts); the layout gets `part` (number, count) and shows its opening in part 1 only.
    part_rows: str = ""
    # (owner, options) -> (approver, approved_at) when the record's own workflow has already approved what
    # the document shows (a terms-of-reference version the LSCB Chair approved): produced without DRAFT.
    preapproved: Callable = lambda owner, options: None

    def options_form_class(self):
        if not self.options_form:
            return None
        module, name = self.options_form.rsplit(".", 1)
        return getattr(importlib.import_module(module), name)


_KINDS: dict[str, DocumentKind] = {}
_WORDINGS: dict[str, Wording] = {}
_EXTENSIONS: dict[str, list[Callable]] = {}
_loaded = False


def register(kind: DocumentKind, *, wordings: list[Wording] = ()) -> DocumentKind:
    _KINDS[kind.code] = kind
    for wording in wordings:
        _WORDINGS[wording.code] = wording
    return kind


def extend(point: str, function: Callable) -> Callable:
    """Add to what a lower layer builds from a higher one, which it may not import: the review's approved
    terms of reference on the referral form ("approved-terms-of-reference"), the practitioners a review's
    IMRs name in the review's key ("review-key-practitioners")."""
    _EXTENSIONS.setdefault(point, []).append(function)
    return function


def extensions(point: str) -> list[Callable]:
    _load()
    return list(_EXTENSIONS.get(point, []))


def _load() -> None:
    """Import every app's `documents` module once, on first use: they register the kinds, the owner types
    and the extensions. Lazy, because the apps must be ready and the kernel's own AppConfig stays as is."""
    global _loaded
    if not _loaded:
        autodiscover_modules(DISCOVERED_MODULE)
        _loaded = True


def kinds(*, owner_type: str | None = None) -> list[DocumentKind]:
    _load()
    return [kind for kind in _KINDS.values() if owner_type is None or kind.owner_type == owner_type]


def get_kind(code: str) -> DocumentKind | None:
    _load()
    return _KINDS.get(code)


def wordings() -> list[Wording]:
    _load()
    return list(_WORDINGS.values())


def get_wording(code: str) -> Wording | None:
    _load()
    return _WORDINGS.get(code)
