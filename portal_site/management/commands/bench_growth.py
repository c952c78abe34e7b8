"""`python manage.py bench_growth --boards 10 [--json F] [--write-docs]`: the growth check of `make bench`
(issue 21, target 1). In an empty database it seeds N full-size scale boards, measures every main page of
the first board as its people see it (rows read and buffers touched, from EXPLAIN (ANALYZE, BUFFERS) of
each SELECT the request sent: portal_site.bench.growth), seeds 2N more boards, runs ANALYZE and measures
again. Every page's figure at 3N should be within 20% of its figure at N."""

import json
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client

from portal_site import scale as scale_data
from portal_site.bench.growth import GROWTH_LIMIT, grant_authors, grown, measure
from portal_site.bench.report import write_section

START, END = "<!-- growth-benchmark:start -->", "<!-- growth-benchmark:end -->"
BACKEND = "allauth.account.auth_backends.AuthenticationBackend"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user, backend=BACKEND)
    return client


class Command(BaseCommand):
    help = "Rows read by each main page at N and 3N boards (EXPLAIN ANALYZE BUFFERS)."

    def add_arguments(self, parser):
        parser.add_argument("--boards", type=int, default=10, help="N: boards at the first measurement.")
        parser.add_argument("--scale", type=float, default=1.0)
        parser.add_argument("--json", dest="json_path", help="Write the figures to this file.")
        parser.add_argument(
            "--write-docs", action="store_true", help="Replace the section in docs/benchmarks.md."
        )

    def handle(self, *args, boards: int, scale: float, json_path: str | None, write_docs: bool, **options):
        if connection.vendor != "postgresql":
            raise CommandError("bench_growth needs PostgreSQL (DATABASE_URL=postgres://…).")
        if scale_boards_present := scale_data.existing_boards():
            raise CommandError(
                f"The database already holds {scale_boards_present} scale boards: use an empty one."
            )
        started = time.monotonic()
        sizes, figures, seeded = [boards, 3 * boards], [], 0
        for size in sizes:
            scale_data.seed(boards=size, scale=scale)  # numbers on from the boards already there
            for number in range(seeded + 1, size + 1):
                grant_authors(number)
            seeded = size
            with connection.cursor() as cursor:
                # VACUUM as well: an index-only scan reads the heap for pages the visibility map does not
                # yet mark all-visible, so freshly seeded tables would count rows a settled database skips.
                cursor.execute("VACUUM ANALYZE")
            figures.append((measure(signed_in), measure(signed_in, prefer_indexes=True)))
        (planned_small, small), (planned_large, large) = figures
        rows = [
            {
                "persona": persona,
                "page": page,
                "rows": [small[key].rows, large[key].rows],
                "planner_rows": [planned_small[key].rows, planned_large[key].rows],
                "buffers": [small[key].buffers, large[key].buffers],
                "queries": [len(small[key].queries), len(large[key].queries)],
            }
            for key in small
            for persona, page in [key]
        ]
        found = grown(small, large)
        result = {
            "boards": sizes,
            "pages": rows,
            "grown": found,
            "seconds": round(time.monotonic() - started),
        }
        if json_path:
            Path(json_path).write_text(json.dumps(result, indent=1))
        text = self.report(result)
        self.stdout.write(text)
        if write_docs:
            write_section(Path(settings.BASE_DIR) / "docs" / "benchmarks.md", text, START, END)
        if found:
            self.stderr.write("Pages whose rows read grow with other boards' data:\n" + "\n".join(found))

    @staticmethod
    def report(result: dict) -> str:
        n, n3 = result["boards"]
        lines = [
            START,
            "## Growth with other boards' data",
            "",
            f"`manage.py bench_growth --boards {n}` (part of `make bench`), in its own database: {n} "
            f"full-size scale boards, then {n3}. Each page is asked for by the first board's people "
            "(business manager, LSCB Chair, agency contact, IMR author); every SELECT the request sent "
            "is run again under `EXPLAIN (ANALYZE, BUFFERS)`, and the rows its scans read (returned, "
            "plus those a filter threw away, times the loops) and the shared buffers it touched are "
            "added up. Rows read do not depend on the machine's speed.",
            "",
            "Two figures per page. **Index plans** (the target): for each query, the fewest rows among the "
            "plans PostgreSQL gives as configured, without sequential scans, and with index lookups driving "
            "every join (`portal_site.bench.growth.INDEX_PLANS`): what the query must read given its "
            "indexes. **Planner's own**: the plan PostgreSQL chose. At this size the boards, agencies, "
            "users and reviews tables are small enough that a hash join reading one of them whole is the "
            "cheaper plan, so the planner's figure grows with those tables while the query itself does "
            "not need to; a query that no index can answer reads the whole table under every plan and "
            f"shows as growth in both. Target: every page's index-plan rows at {n3} boards within "
            f"{round((GROWTH_LIMIT - 1) * 100)}% of its rows at {n}.",
            "",
            f"| Person | Page | Queries | Rows at {n} | Rows at {n3} | × | Within "
            f"{round((GROWTH_LIMIT - 1) * 100)}% | Planner's own at {n} | at {n3} | × | "
            f"Buffers at {n} | at {n3} |",
            "|---|---|---:|---:|---:|---:|:---:|---:|---:|---:|---:|---:|",
        ]
        for row in result["pages"]:
            before, after = row["rows"]
            planned_before, planned_after = row["planner_rows"]
            lines.append(
                f"| {row['persona']} | {row['page']} | {row['queries'][1]} | {before:,} | {after:,} | "
                f"{after / max(before, 1):.2f} | {'yes' if after <= before * GROWTH_LIMIT else 'no'} | "
                f"{planned_before:,} | {planned_after:,} | {planned_after / max(planned_before, 1):.2f} | "
                f"{row['buffers'][0]:,} | {row['buffers'][1]:,} |"
            )
        verdict = (
            "Every page met the target."
            if not result["grown"]
            else f"{len(result['grown'])} pages grew: "
            + "; ".join(g.splitlines()[0] for g in result["grown"])
        )
        lines += ["", verdict, END]
        return "\n".join(lines) + "\n"
