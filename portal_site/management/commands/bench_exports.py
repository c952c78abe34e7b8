"""`python manage.py bench_exports [--write-docs]`: how long an export holds a web worker (issue 21, target 4:
at most 0.5 s). On the scale data of `make bench`, the first board's business manager asks for the largest
integrated chronology (2,000 rows) as CSV, streamed from the database and read to its end, and asks for it
as a spreadsheet, which only queues the documents worker's job. Median of five after a warm-up; the CPU time
is this process's own, so other work on the machine does not change it."""

import statistics
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count
from django.urls import reverse

from portal_site import scale
from portal_site.bench.report import write_section
from portal_site.management.commands.bench_growth import signed_in
from reviews.models import Review
from scr_portal.models import User

START, END = "<!-- export-benchmark:start -->", "<!-- export-benchmark:end -->"
LIMIT_SECONDS = 0.5
REPEAT = 5


def timed(request) -> tuple[float, float, int, int]:
    wall, cpu = time.perf_counter(), time.process_time()
    response = request()
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return time.perf_counter() - wall, time.process_time() - cpu, response.status_code, len(body)


class Command(BaseCommand):
    help = "Time the integrated chronology's CSV export and spreadsheet request in the web process."

    def add_arguments(self, parser):
        parser.add_argument("--write-docs", action="store_true", help="Replace its docs section.")

    def handle(self, *args, write_docs: bool, **options):
        review = (
            Review.objects.filter(board__short_name=scale.board_short_name(1))
            .annotate(rows=Count("imrs__chronology"))
            .order_by("-rows", "pk")
            .first()
        )
        if review is None:
            raise CommandError("No scale boards: run `manage.py seed_scale` first.")
        client = signed_in(User.objects.get(email=scale.user_email(1, "manager")))
        url = reverse("integrated_chronology_export", args=[review.pk, "csv"])
        xlsx_url = reverse("integrated_chronology_export", args=[review.pk, "xlsx"])
        cases = [
            (f"CSV export, {review.rows:,} rows, streamed and read to the end", lambda: client.get(url)),
            ("Spreadsheet (XLSX) request: queues the documents worker's job", lambda: client.post(xlsx_url)),
        ]
        lines = [
            START,
            "## Exports in the request",
            "",
            "`manage.py bench_exports` (part of `make bench`): how long each export holds a web worker, on "
            "the scale data, as the first board's business manager. The CSV is streamed from the database "
            "(`chronology_io.export_csv_chunks` over an iterator) and read to its end; the spreadsheet is "
            "built by the documents worker, so the request only queues it and redirects to the page that "
            f"shows its progress. Median of {REPEAT} after a warm-up. Target: at most "
            f"{LIMIT_SECONDS} s each.",
            "",
            "| Export | Status | Bytes | Wall time (median) | CPU time (median) | Within 0.5 s |",
            "|---|---:|---:|---:|---:|:---:|",
        ]
        for label, request in cases:
            timed(request)
            runs = [timed(request) for _ in range(REPEAT)]
            wall = statistics.median(run[0] for run in runs)
            cpu = statistics.median(run[1] for run in runs)
            status, size = runs[-1][2], runs[-1][3]
            lines.append(
                f"| {label} | {status} | {size:,} | {wall:.3f} s | {cpu:.3f} s | "
                f"{'yes' if wall <= LIMIT_SECONDS else 'no'} |"
            )
        lines.append(END)
        text = "\n".join(lines) + "\n"
        self.stdout.write(text)
        if write_docs:
            write_section(Path(settings.BASE_DIR) / "docs" / "benchmarks.md", text, START, END)
