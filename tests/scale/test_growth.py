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
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from guardian.models import UserObjectPermission

from imr.models import IMR
from imr.permissions import AUTHOR_PERMS
from portal_site import scale
from portal_site.bench.growth import page_cost
from reviews.models import Review
from scr_portal.db_roles import as_owner
from scr_portal.models import User

# Committed data: ANALYZE needs the tables' owner, a second role on a second connection
# (scr_portal.db_roles), which cannot see rows of the test's own transaction.
pytestmark = pytest.mark.django_db(transaction=True)

OWN_SCALE = 0.05  # the user's board: 10 referrals, 2 reviews, their IMRs
OTHER_SCALE = 0.5  # each other board: 100 referrals, 20 reviews, 5 IMRs a review past commissioning
N = 3  # other boards at N: 30 times the user's rows; at 3N, 90 times
ALLOWED_GROWTH = 1.2


class OtherBoard(scale.BoardSeeder):
    """At most 20 chronology rows an IMR: the chronology is read by IMR, and writing a full one (with its
    history triggers) would take most of the test's time."""

    def chronology_plan(self):
        return [(imr_id, min(rows, 20)) for imr_id, rows in super().chronology_plan()]


def seed_boards(numbers, seeder, board_scale, ctx, now) -> None:
    for number in numbers:
        seeder(number=number, scale=board_scale, seed=21, now=now, context=ctx).run()
        grant_authors(number)


def grant_authors(number: int) -> None:
    """The seeder names authors without their object permissions; the nomination service grants them."""
    imrs = IMR.objects.filter(review__board__short_name=scale.board_short_name(number), author__isnull=False)
    ct = ContentType.objects.get_for_model(IMR)
    perms = list(Permission.objects.filter(content_type=ct, codename__in=AUTHOR_PERMS))
    UserObjectPermission.objects.bulk_create(
        UserObjectPermission(user_id=imr.author_id, permission=perm, content_type=ct, object_pk=str(imr.pk))
        for imr in imrs
        for perm in perms
    )


def analyze() -> None:
    with as_owner(), connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def pages() -> list[tuple[str, str, str]]:
    """(persona, page name, path) for each main page of the user's board."""
    board_review = (
        Review.objects.filter(board__short_name=scale.board_short_name(1), imrs__isnull=False)
        .order_by("pk")
        .first()
    )
    manager_pages = [
        ("home", reverse("home")),
        ("deadline_dashboard", reverse("deadline_dashboard")),
        ("referral_list", reverse("referral_list")),
        ("check_list", reverse("check_list")),
        ("review_list", reverse("review_list")),
        ("imr_list", reverse("imr_list")),
        ("review_imrs", reverse("review_imrs", args=[board_review.pk])),
        ("integrated_chronology", reverse("integrated_chronology", args=[board_review.pk])),
        ("report_annual", reverse("report_annual")),
        *[
            (f"report_{slug}", reverse("report", args=[slug]))
            for slug in ("timeliness", "decisions", "agencies")
        ],
    ]
    return (
        [("manager", name, path) for name, path in manager_pages]
        + [("chair", "home", reverse("home")), ("chair", "decisions_awaiting", reverse("decisions_awaiting"))]
        + [("contact1", "home", reverse("home")), ("contact1", "check_list", reverse("check_list"))]
        + [
            ("contact1", "imr_list", reverse("imr_list")),
        ]
        + [("author1", "home", reverse("home")), ("author1", "imr_list", reverse("imr_list"))]
    )


def measure(client_as) -> dict:
    figures = {}
    for persona, name, path in pages():
        client = client_as(User.objects.get(email=scale.user_email(1, persona)))
        figures[(persona, name)] = page_cost(client, path, prefer_indexes=True)
    return figures


def test_no_page_reads_more_when_other_boards_grow(client_as):
    from scr_portal.reference_data import ensure_reference_data

    ensure_reference_data()
    ctx, now = scale.context(), timezone.now()
    seed_boards([1], scale.BoardSeeder, OWN_SCALE, ctx, now)
    seed_boards(range(2, N + 2), OtherBoard, OTHER_SCALE, ctx, now)
    analyze()
    small = measure(client_as)
    seed_boards(range(N + 2, 3 * N + 2), OtherBoard, OTHER_SCALE, ctx, now)
    analyze()
    large = measure(client_as)

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
    grown = []
    for key, before in small.items():
        after = large[key]
        print(" ".join(key), f"rows {before.rows} -> {after.rows}, buf {before.buffers} -> {after.buffers}")
        if after.rows > before.rows * ALLOWED_GROWTH:
            worst = "\n    ".join(f"{q.rows} rows: {q.sql[:300]}\n      {q.scans}" for q in after.largest())
            grown.append(f"{key}: {before.rows} rows at N, {after.rows} at 3N\n    {worst}")
    assert not grown, "Pages whose rows read grow with other boards' data:\n" + "\n".join(grown)
