"""Which case record a URL is about, from its route, URL name and kwargs, as the records registered in
scr_portal/records.py say. A new page under a record's route (e.g. anything under "reviews/<int:pk>/"), or
whose name follows the project's `<record>_...` convention, is logged without editing this module;
tests/security/test_case_reads_logged.py opens every page of the project to prove it."""

from dataclasses import dataclass
from functools import reduce

from django.db import models
from django.http import HttpRequest

from .. import records


@dataclass(frozen=True)
class CaseRef:
    model: type[models.Model]
    pk: int


def case_for(url_name: str, kwargs: dict, route: str = "") -> CaseRef | None:
    registered = records.all_records()
    # e.g. the review-level pages of the IMR app take `review_pk`.
    for record in registered:
        if record.url_kwarg and record.url_kwarg in kwargs:
            return CaseRef(record.model, int(kwargs[record.url_kwarg]))
    pk = kwargs.get("pk")
    if pk is None:
        return None
    # The URL's own shape first: a page under "reviews/<int:pk>/" is about the review, whatever its name.
    for record in registered:
        if record.route and route.startswith(record.route):
            return CaseRef(record.model, int(pk))
    if not url_name:
        return None
    for record in registered:
        if url_name.startswith(record.url_prefix):
            return CaseRef(record.model, int(pk))
    return None


def shows_case(request: HttpRequest, obj: models.Model) -> None:
    """The view hands the case record it has loaded (with the rows on the way to its board and reference)
    to the access log, which then need not read it again. A page that does not still gets logged."""
    request.case_shown = obj


def board_and_label(ref: CaseRef, shown: models.Model | None = None) -> tuple[int, str] | None:
    """The board a case record belongs to, and its reference (for the log's label): from `shown`, the
    record as the view loaded it, when it is the one the URL names; otherwise read from the database."""
    record = records.for_model(ref.model)
    if record is None:
        return None
    if type(shown) is ref.model and shown.pk == ref.pk:
        return reduce(getattr, f"{record.board}_id".split("__"), shown), record.reference_of(shown) or ""
    row = record.model.objects.filter(pk=ref.pk).values_list(f"{record.board}_id", record.reference).first()
    return (row[0], row[1] or "") if row else None
