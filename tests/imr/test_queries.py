"""Query budgets: the integrated chronology pages 5,000 rows in a fixed number of queries, whatever page is
asked for and however many rows there are; its exports read the rows in chunks; the panel's list of a
review's IMRs, the IMR list and the IMR page do not grow with the number of IMRs or events."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from imr.models import ChronologyEntry, IMRState

from ..factories import AgencyFactory
from .factories import advance, commission, confirm_involved, nominate

pytestmark = pytest.mark.django_db

PAGE_BUDGET = 30
EXPORT_BUDGET = 25


def fill(imr, count: int, *, start: int = 1) -> None:
    first = dt.date(2020, 6, 1)
    ChronologyEntry.objects.bulk_create(
        [
            ChronologyEntry(
                imr=imr,
                event_no=number,
                date=first + dt.timedelta(days=number % 1500),
                time=dt.time(number % 24, number % 60) if number % 3 else None,
                family_member=("M", "F", "SC")[number % 3],
                child_seen=bool(number % 2),
                event=f"Event {number}: a contact with the family, recorded at the time.",
                agency_source="Records",
            )
            for number in range(start, start + count)
        ],
        batch_size=1000,
    )


def queries(client, path, data=None) -> tuple[int, object]:
    client.get(path, data or {})  # warm the per-process caches (content types) first
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, data or {})
    assert response.status_code == 200, path
    return len(captured), response


@pytest.fixture
def accepted(review_a, imr_x, imr_y, contact_x, contact_y, panel_a):
    x = advance(imr_x, IMRState.ACCEPTED, contact=contact_x, panel=panel_a)
    y = advance(imr_y, IMRState.ACCEPTED, contact=contact_y, panel=panel_a)
    return review_a, x, y


def test_five_thousand_rows_page_in_a_fixed_number_of_queries(client_as, accepted, panel_a):
    review, x, y = accepted
    client = client_as(panel_a)
    path = reverse("integrated_chronology", args=[review.pk])
    small, _ = queries(client, path)
    fill(x, 2500, start=100)
    fill(y, 2500, start=100)
    first, response = queries(client, path)
    last, last_page = queries(client, path, {"page": 50})
    filtered, _ = queries(client, path, {"agency": x.agency_id, "child_seen": "Y", "family_member": "M"})
    assert response.context["chronology"].total == 5004
    assert len(response.context["chronology"].rows) == 100
    assert last_page.context["chronology"].page.number == 50
    assert first == small == last <= PAGE_BUDGET
    assert filtered <= PAGE_BUDGET


def test_exports_read_five_thousand_rows_in_a_fixed_number_of_queries(
    client_as, accepted, manager_a, settings, tmp_path
):
    """The CSV streams from the database (its queries run while the response is read); the spreadsheet
    is the documents worker's (imr.exports.build), in as few queries."""
    from imr import exports

    settings.MEDIA_ROOT = tmp_path
    review, x, y = accepted
    client = client_as(manager_a)
    path = reverse("integrated_chronology_export", args=[review.pk, "csv"])

    def csv_queries():
        b"".join(client.get(path).streaming_content)  # warm the per-process caches (content types) first
        with CaptureQueriesContext(connection) as captured:
            body = b"".join(client.get(path).streaming_content)
        return len(captured), body

    def xlsx_queries():
        with CaptureQueriesContext(connection) as captured:
            job = exports.build(exports.start(review, manager_a, ""))
        assert job.status == exports.READY
        return len(captured)

    assert csv_queries()[0] <= EXPORT_BUDGET and xlsx_queries() <= EXPORT_BUDGET
    fill(x, 2500, start=100)
    fill(y, 2500, start=100)
    count, body = csv_queries()
    assert count <= EXPORT_BUDGET and xlsx_queries() <= EXPORT_BUDGET
    assert body.decode("utf-8-sig").count("\n") == 5005


def test_the_panel_list_does_not_grow_with_the_number_of_imrs(
    client_as, review_a, board_a, manager_a, panel_a, imr_x, contact_x
):
    client = client_as(panel_a)
    path = reverse("review_imrs", args=[review_a.pk])
    before, _ = queries(client, path)
    more = [AgencyFactory(board=board_a) for _ in range(5)]
    for agency in more:
        confirm_involved(review_a, agency, sent_by=manager_a)
    for number, imr in enumerate(commission(review_a, more, actor=manager_a)):
        nominate(imr, actor=manager_a, email=f"more{number}@example.org")
    advance(imr_x, IMRState.SUBMITTED, contact=contact_x, panel=panel_a)
    after, response = queries(client, path)
    assert len(response.context["rows"]) == 7
    assert after == before


def test_the_imr_list_and_page_do_not_grow(
    client_as, review_a, board_a, manager_a, imr_x, contact_x, panel_a
):
    client = client_as(manager_a)
    before, _ = queries(client, reverse("imr_list"))
    more = [AgencyFactory(board=board_a) for _ in range(4)]
    commission(review_a, more, actor=manager_a)
    after, response = queries(client, reverse("imr_list"))
    assert len(response.context["rows"]) == 6
    assert after == before

    imr = advance(imr_x, IMRState.IN_PREPARATION, contact=contact_x, panel=panel_a)
    page_before, _ = queries(client, reverse("imr_detail", args=[imr.pk]))
    fill(imr, 3000)
    page_after, _ = queries(client, reverse("imr_detail", args=[imr.pk]))
    assert page_after == page_before
    chronology_before, _ = queries(client_as(imr.author), reverse("imr_chronology", args=[imr.pk]))
    chronology_after, _ = queries(
        client_as(imr.author), reverse("imr_chronology", args=[imr.pk]), {"page": 20}
    )
    assert chronology_after == chronology_before
