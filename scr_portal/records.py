"""The registry of case records: what the kernel's audit trail (access log, audit pages, subject access,
retention) knows about the records the apps own. The kernel offers the registry; each app registers its
own records from its AppConfig.ready(), so the kernel never imports an app.

A record says which URLs are about it: every page under its `route` (e.g. "reviews/<int:pk>/", the `pk`
naming the record), pages named `<url_prefix>...` with a `pk` kwarg, or any page with its `url_kwarg`;
how to reach its board and reference (lookup paths such as "review__board"), and, for the records with
audit pages, who may see it (`get_for_user`, raising Http404 or PermissionDenied).
Apps also register the finders of personal data that a subject access export lists."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import reduce

from django.db import models


@dataclass(frozen=True)
class CaseRecord:
    kind: str  # "referral", "review", "imr", "agency_check", "deadline", "document"
    model: type[models.Model]
    url_prefix: str  # pages named "<url_prefix>..." with a `pk` kwarg are about this record
    board: str = "board"  # lookup path from the record to its Board
    reference: str = "reference"  # lookup path to the reference the access log shows
    url_kwarg: str = ""  # a kwarg naming this record on any page (the IMR app's `review_pk`)
    route: str = ""  # every page whose route starts with this (e.g. "reviews/<int:pk>/") is about it
    title: str = ""  # the audit pages' title
    get_for_user: Callable | None = None  # (user, pk) -> record; a record with one has audit pages
    case_root: bool = False  # retention: a case is this record and everything hanging from it

    def board_of(self, obj):
        return reduce(getattr, self.board.split("__"), obj)

    def reference_of(self, obj) -> str:
        return reduce(getattr, self.reference.split("__"), obj)


@dataclass(frozen=True)
class Holding:
    """One field of one row naming the person of a subject access request."""

    record: str
    reference: str
    field: str
    value: str

    @classmethod
    def of(cls, record: str, reference: str, field: str, value) -> "Holding":
        return cls(record, reference, field, "" if value is None else str(value))


# (board, name) -> the holdings naming the person (case-insensitive match on the name fields)
PersonalDataFinder = Callable[[models.Model, str], Iterable[Holding]]

_RECORDS: dict[str, CaseRecord] = {}
_FINDERS: list[tuple[int, PersonalDataFinder]] = []


def register(*records: CaseRecord) -> None:
    for record in records:
        _RECORDS[record.kind] = record


def register_personal_data(finder: PersonalDataFinder, *, order: int) -> PersonalDataFinder:
    """`order` places the finder's holdings in the export (referral 10, family 20, key people 30, IMR
    interviews 40, genograms 50)."""
    if (order, finder) not in _FINDERS:
        _FINDERS.append((order, finder))
    _FINDERS.sort(key=lambda item: item[0])
    return finder


def all_records() -> list[CaseRecord]:
    return list(_RECORDS.values())


def get(kind: str) -> CaseRecord | None:
    return _RECORDS.get(kind)


def for_model(model: type[models.Model]) -> CaseRecord | None:
    return next((record for record in _RECORDS.values() if record.model is model), None)


def audited() -> list[CaseRecord]:
    """The records with audit pages (access log, change history)."""
    return [record for record in _RECORDS.values() if record.get_for_user is not None]


def case_root() -> CaseRecord:
    return next(record for record in _RECORDS.values() if record.case_root)


def personal_data(board, name: str) -> list[Holding]:
    return [holding for _, finder in _FINDERS for holding in finder(board, name)]
