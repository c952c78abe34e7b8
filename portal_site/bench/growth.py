"""Rows read by a page (issue 21, target 1): each SELECT a request sent is run again under
`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON)` and the rows its table and index scans read are added up
(returned rows plus those a filter or a recheck threw away, times the loops). A page whose figure grows
when other boards' data grows reads rows it does not show. Rows, not time: the figure is the same on a
busy machine and a quiet one.

Used by the regression test (tests/scale/test_growth.py) and by the growth check of `make bench`."""

import json
from dataclasses import dataclass, field

from django.db import connection
from django.test.utils import CaptureQueriesContext

SCAN_NODES = {"Seq Scan", "Index Scan", "Index Only Scan", "Bitmap Heap Scan", "Tid Scan", "Tid Range Scan"}


def scans(plan: dict) -> list[tuple[str, int]]:
    """("Seq Scan on imr_imr", rows read) for each scan of one plan node and its children."""
    found = []
    if plan["Node Type"] in SCAN_NODES:
        per_loop = (
            plan.get("Actual Rows", 0)
            + plan.get("Rows Removed by Filter", 0)
            + plan.get("Rows Removed by Index Recheck", 0)
        )
        where = plan.get("Relation Name", "") + (f" ({plan['Index Name']})" if "Index Name" in plan else "")
        found.append((f"{plan['Node Type']} on {where}", round(per_loop * plan.get("Actual Loops", 0))))
    for child in plan.get("Plans", ()):
        found += scans(child)
    return found


@dataclass
class QueryCost:
    sql: str
    scans: list[tuple[str, int]]
    buffers: int

    @property
    def rows(self) -> int:
        return sum(rows for _, rows in self.scans)


@dataclass
class PageCost:
    queries: list[QueryCost] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return sum(query.rows for query in self.queries)

    @property
    def buffers(self) -> int:
        return sum(query.buffers for query in self.queries)

    def largest(self, n: int = 3) -> list[QueryCost]:
        return sorted(self.queries, key=lambda query: -query.rows)[:n]


# Planner settings tried with `prefer_indexes` (see page_cost): as configured; without sequential scans;
# and with index lookups driving every join.
INDEX_PLANS = (
    {},
    {"enable_seqscan": "off"},
    {
        "enable_seqscan": "off",
        "enable_bitmapscan": "off",
        "enable_hashjoin": "off",
        "enable_mergejoin": "off",
    },
)


def explain(sql: str, settings: dict | None = None) -> QueryCost:
    settings = settings or {}
    with connection.cursor() as cursor:
        for name, value in settings.items():
            cursor.execute(f"SET {name} = {value}")
        try:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql)
            document = cursor.fetchone()[0]
        finally:
            for name in settings:
                cursor.execute(f"RESET {name}")
    plan = (json.loads(document) if isinstance(document, str) else document)[0]["Plan"]
    buffers = plan.get("Shared Hit Blocks", 0) + plan.get("Shared Read Blocks", 0)
    return QueryCost(sql=sql, scans=scans(plan), buffers=buffers)


def least_rows(sql: str) -> QueryCost:
    return min((explain(sql, settings) for settings in INDEX_PLANS), key=lambda cost: cost.rows)


def page_cost(client, path: str, data: dict | None = None, *, prefer_indexes: bool = False) -> PageCost:
    """Ask for the page twice (the first warms the per-process caches), then explain every SELECT of the
    second request. The SQL is the one Django sent, with its parameters bound on the client side.

    `prefer_indexes` counts, for each query, the fewest rows read among the plans of INDEX_PLANS. On a
    test database's tables of a few hundred rows PostgreSQL reads a table whole even to fetch one row by its
    key (cheaper than the index there), which it does not do on tables of national size; the plan those
    get is among these. A query no index can answer reads the whole table under every setting, so it
    still shows as growth."""
    client.get(path, data or {})
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, data or {})
    assert response.status_code == 200, (path, response.status_code)
    # pghistory prefixes writes with "SELECT set_config(…); INSERT …": a write, not a read.
    selects = [
        sql
        for sql in (q["sql"].lstrip() for q in captured.captured_queries)
        if sql[:6].upper() in ("SELECT", "WITH ") and not sql.startswith("SELECT set_config(")
    ]
    return PageCost([least_rows(sql) if prefer_indexes else explain(sql) for sql in selects])


# ------------------------------------------------------------------- the pages and people that are measured

GROWTH_LIMIT = 1.2  # a page's rows read at 3N may be at most 20% above its figure at N


def grant_authors(board_number: int) -> None:
    """The scale seeder names IMR authors without their object permissions; the nomination service would
    grant them, so grant them here in bulk."""
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType
    from guardian.models import UserObjectPermission

    from imr.models import IMR
    from imr.permissions import AUTHOR_PERMS
    from portal_site import scale

    imrs = IMR.objects.filter(
        review__board__short_name=scale.board_short_name(board_number), author__isnull=False
    )
    ct = ContentType.objects.get_for_model(IMR)
    perms = list(Permission.objects.filter(content_type=ct, codename__in=AUTHOR_PERMS))
    UserObjectPermission.objects.bulk_create(
        (
            UserObjectPermission(
                user_id=imr.author_id, permission=perm, content_type=ct, object_pk=str(imr.pk)
            )
            for imr in imrs
            for perm in perms
        ),
        ignore_conflicts=True,
    )


def pages(board_number: int = 1) -> list[tuple[str, str, str]]:
    """(persona, page name, path) for each main page of one board, as its people see them."""
    from django.urls import reverse

    from portal_site import scale
    from reviews.models import Review

    board_review = (
        Review.objects.filter(board__short_name=scale.board_short_name(board_number), imrs__isnull=False)
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
        + [("contact1", "imr_list", reverse("imr_list"))]
        + [("author1", "home", reverse("home")), ("author1", "imr_list", reverse("imr_list"))]
    )


def measure(client_for, board_number: int = 1, *, prefer_indexes: bool = False) -> dict:
    """{(persona, page): PageCost} for board `board_number`'s people; `client_for(user)` signs one in."""
    from django.test import override_settings

    from portal_site import scale
    from scr_portal.models import User

    figures = {}
    # The pages as they are built: one served by the page cache (scr_portal.pagecache) sends no SELECT.
    with override_settings(PAGE_CACHE_ENABLED=False):
        for persona, name, path in pages(board_number):
            client = client_for(User.objects.get(email=scale.user_email(board_number, persona)))
            figures[(persona, name)] = page_cost(client, path, prefer_indexes=prefer_indexes)
    return figures


def grown(small: dict, large: dict) -> list[str]:
    """The pages whose rows read grew by more than GROWTH_LIMIT from `small` to `large`, with their worst
    queries."""
    found = []
    for key, before in small.items():
        after = large[key]
        if after.rows > before.rows * GROWTH_LIMIT:
            # The queries that grew most (a page sends the same queries at both sizes).
            pairs = zip(before.queries, after.queries, strict=False)
            pairs = sorted(pairs, key=lambda pair: pair[0].rows - pair[1].rows)[:3]
            worst = "\n    ".join(
                f"{n.rows} -> {q.rows} rows: {q.sql[:300]}\n      at N {n.scans}\n      at 3N {q.scans}"
                for n, q in pairs
            )
            found.append(f"{key}: {before.rows} rows at N, {after.rows} at 3N\n    {worst}")
    return found
