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
