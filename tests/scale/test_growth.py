"""No page's cost grows with other boards' data (issue 21, target 1).

One small board (the user's) and N, then 3N, boards with many times its rows (scale seeder). With the
planner's statistics fresh (ANALYZE), each page's SELECTs are explained and the rows their scans read are
added up (portal_site.bench.growth). A page reading the user's own rows reads the same at N and 3N; one that
scans a whole table, or joins every row of another board, reads three times as many. Rows, not time, so
the test cannot flake on a busy machine."""

import json
import os
from dataclasses import asdict
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from portal_site import scale
from portal_site.bench.growth import grant_authors, grown, measure
from scr_portal.db_roles import as_owner

# Committed data: ANALYZE needs the tables' owner, a second role on a second connection
# (scr_portal.db_roles), which cannot see rows of the test's own transaction.
pytestmark = pytest.mark.django_db(transaction=True)

OWN_SCALE = 0.05  # the user's board: 10 referrals, 2 reviews, their IMRs
OTHER_SCALE = 0.5  # each other board: 100 referrals, 20 reviews, 5 IMRs a review past commissioning
N = 3  # other boards at N: 30 times the user's rows; at 3N, 90 times


class OtherBoard(scale.BoardSeeder):
    """At most 20 chronology rows an IMR: the chronology is read by IMR, and writing a full one (with its
    history triggers) would take most of the test's time."""

    def chronology_plan(self):
        return [(imr_id, min(rows, 20)) for imr_id, rows in super().chronology_plan()]


def seed_boards(numbers, seeder, board_scale, ctx, now) -> None:
    for number in numbers:
        seeder(number=number, scale=board_scale, seed=21, now=now, context=ctx).run()
        grant_authors(number)


def analyze() -> None:
    with as_owner(), connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def test_no_page_reads_more_when_other_boards_grow(client_as):
    from scr_portal.reference_data import ensure_reference_data

    ensure_reference_data()
    ctx, now = scale.context(), timezone.now()
    seed_boards([1], scale.BoardSeeder, OWN_SCALE, ctx, now)
    seed_boards(range(2, N + 2), OtherBoard, OTHER_SCALE, ctx, now)
    analyze()
    small = measure(client_as, prefer_indexes=True)
    seed_boards(range(N + 2, 3 * N + 2), OtherBoard, OTHER_SCALE, ctx, now)
    analyze()
    large = measure(client_as, prefer_indexes=True)

    if os.environ.get("GROWTH_REPORT"):  # every query's SQL and scans at both sizes, for a closer look
        Path(os.environ["GROWTH_REPORT"]).write_text(
            json.dumps(
                [
                    {
                        "page": key,
                        "n": [asdict(q) for q in small[key].queries],
                        "3n": [asdict(q) for q in large[key].queries],
                    }
                    for key in small
                ],
                indent=1,
            )
        )
    for key, before in small.items():
        print(
            " ".join(key),
            f"rows {before.rows} -> {large[key].rows}, buf {before.buffers} -> {large[key].buffers}",
        )
    found = grown(small, large)
    assert not found, "Pages whose rows read grow with other boards' data:\n" + "\n".join(found)
