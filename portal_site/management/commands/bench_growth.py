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
                cursor.execute("ANALYZE")
            figures.append(measure(signed_in))
        small, large = figures
        rows = [
            {
                "persona": persona,
                "page": page,
                "rows": [small[key].rows, large[key].rows],
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
            "added up. Rows read do not depend on the machine's speed. Target: every page's rows at 3N "
            "within "
            f"{round((GROWTH_LIMIT - 1) * 100)}% of its rows at N.",
            "",
            f"| Person | Page | Queries | Rows read at {n} | Rows read at {n3} | ×  | Buffers at {n} | "
            f"Buffers at {n3} | Within {round((GROWTH_LIMIT - 1) * 100)}% |",
            "|---|---|---:|---:|---:|---:|---:|---:|:---:|",
        ]
        for row in result["pages"]:
            before, after = row["rows"]
            ratio = after / before if before else 1.0
            lines.append(
                f"| {row['persona']} | {row['page']} | {row['queries'][1]} | {before:,} | {after:,} | "
                f"{ratio:.2f} | {row['buffers'][0]:,} | {row['buffers'][1]:,} | "
                f"{'yes' if after <= before * GROWTH_LIMIT else 'no'} |"
            )
        verdict = (
            "Every page met the target."
            if not result["grown"]
            else f"{len(result['grown'])} pages grew: "
            + "; ".join(g.splitlines()[0] for g in result["grown"])
        )
        lines += ["", verdict, END]
        return "\n".join(lines) + "\n"
