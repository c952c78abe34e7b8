"""The load test's report (portal_site.bench.run): the machine, the latencies per page against their
targets, the background jobs, and the section of docs/benchmarks.md it replaces."""

import datetime as dt
import json
import os
import platform
from pathlib import Path

from . import saturation

START, END = "<!-- load-benchmark:start -->", "<!-- load-benchmark:end -->"
TARGETS_MS = {"integrated_chronology": 600, "board_reports": 800}
DEFAULT_TARGET_MS = 250


def write_section(docs: Path, section: str, start: str, end: str) -> None:
    """Put `section` (its markers included) in place of the one between `start` and `end` in `docs`, or
    at its end if there is none yet."""
    current = docs.read_text() if docs.exists() else "# Benchmarks\n"
    if start in current and end in current:
        before, rest = current.split(start, 1)
        current = before + section + rest.split(end, 1)[1]
    else:
        current = current.rstrip("\n") + "\n\n" + section + "\n"
    docs.write_text(current)


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    low = int(k)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kb = int(
            next(
                x for x in Path("/proc/meminfo").read_text().splitlines() if x.startswith("MemTotal")
            ).split()[1]
        )
        memory = f"{mem_kb / 1024 / 1024:.1f} GiB RAM"
    except (OSError, StopIteration, ValueError):
        memory = "memory unknown"
    load = os.getloadavg()
    return (
        f"{os.cpu_count()} CPUs ({cpu}), {memory}, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}; load average at the end "
        f"{load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f}"
    )


def figure(r, name: str, key: str) -> float:
    return r.pages.get(name, {}).get(key, float("nan"))


def rate(r, names) -> float:
    """Requests per second of these pages at one level."""
    return sum(r.pages.get(name, {}).get("count", 0) for name in names) / r.seconds if r.seconds else 0.0


def report(args, levels: dict, counts: dict, memory: tuple, data: dict) -> str:
    floor = {n: figure(r, "floor", "p95") for n, r in levels.items()}
    pages = []
    for r in levels.values():
        for name in r.pages:
            if name not in pages:
                pages.append(name)
    pages.sort(key=lambda n: (n != "floor", n))
    lines = [
        START,
        "",
        "## Load test",
        "",
        f"Run on {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC with `{args.command}`.",
        "",
        f"- **Machine:** {machine()}.",
        f"- **Data:** {data['summary']}",
        f"- **Server:** gunicorn, {args.workers} sync workers, production settings (DEBUG off), PostgreSQL "
        "of `.ci/services.sh` (fsync off) on the same machine; the load generator (Locust, headless, "
        "`portal_site/bench/locustfile.py`) is a second process on loopback on the same cores.",
        f"- **Load:** {args.users_desc}; each level runs {args.duration:.0f} s. Users: business managers, "
        f"LSCB Chairs and agency contacts of {args.boards} boards; each waits {args.think:g} s on average "
        "(0.5× to 1.5×) between requests"
        + (" (none: closed loop, so N users means N requests in flight)." if not args.think else ".")
        + " The 1-user level, where there is one, is the unloaded service time.",
        "",
        "Latency in milliseconds; ×floor is the page's p95 over the floor's p95 at the same level. "
        "Queries: SQL statements per request (largest over the sampled users).",
        "",
    ]
    header = "| Page | Queries |"
    rule = "| --- | ---: |"
    for n in levels:
        header += f" p50 @{n} | p95 @{n} | p99 @{n} | ×floor @{n} | req/s @{n} | errors @{n} |"
        rule += " ---: | ---: | ---: | ---: | ---: | ---: |"
    judged = 20 if 20 in levels else next(iter(levels))
    header += f" Target p95 | Met @{judged} |"
    rule += " ---: | :---: |"
    lines += [header, rule]
    for name in pages:
        target = None if name == "floor" else TARGETS_MS.get(name, DEFAULT_TARGET_MS)
        row = f"| {name} | {counts.get(name, '–')} |"
        for n, r in levels.items():
            p95 = figure(r, name, "p95")
            ratio = p95 / floor[n] if floor[n] else float("nan")
            row += (
                f" {figure(r, name, 'p50'):.0f} | {p95:.0f} | {figure(r, name, 'p99'):.0f} | {ratio:.1f} |"
                f" {rate(r, [name]):.1f} | {r.errors.get(name, 0)} |"
            )
        p95_first = figure(levels[judged], name, "p95")
        met = "–" if target is None else ("yes" if p95_first <= target else "**no**")
        row += f" {target or '–'} | {met} |"
        lines.append(row)
    lines += background_rows(args, levels, judged)
    if getattr(args, "saturation_rows", None):
        lines += saturation.table(args.saturation_rows)
    for n, r in levels.items():
        errors = sum(r.errors.values())
        lines.append("")
        lines.append(
            f"At {n} users: {r.requests} requests in {r.seconds:.0f} s ({r.requests / r.seconds:.1f} req/s), "
            f"{errors} errors; the load generator used {r.generator_cpu:.1f} s of CPU "
            f"({r.generator_cpu / r.seconds:.0%} of one core)."
            + (f" Samples: {'; '.join(r.error_samples)}." if errors else "")
        )
    lines += [
        "",
        f"Gunicorn workers' peak memory (VmHWM): largest worker {memory[0]:.0f} MiB, all {memory[2]} workers "
        f"{memory[1]:.0f} MiB.",
        "",
        "The last rows of the table are the background jobs of the earlier issues, measured by `make bench` "
        "just before the load (`manage.py bench_sweep` and `manage.py bench_pdf`, each with the machine to "
        "itself): their time in milliseconds is in the first p50 column (the sweep: one sweep; a PDF: the "
        "median render), their own sections below and above this one give the detail. The PDF letter "
        "request row is the request that queues a letter (the rendering runs in the Celery worker).",
        "",
        END,
    ]
    return "\n".join(lines)


def background_rows(args, levels: dict, judged: int) -> list[str]:
    """Table rows for the reminder sweep and the PDF renders, from the JSON their commands wrote."""

    rows = []
    blank = " – | – | – | – | – | – |"

    def row(name: str, queries, ms: float, target_ms: float) -> str:
        first = f" {ms:.0f} | – | – | – | – | – |"
        cells = first + blank * (len(levels) - 1)
        met = "yes" if ms <= target_ms else "**no**"
        return f"| {name} | {queries} |{cells} {target_ms:.0f} | {met} |"

    if args.sweep_json and Path(args.sweep_json).exists():
        for run in json.loads(Path(args.sweep_json).read_text())[:1]:
            name = f"reminder sweep, {run['deadlines']:,} open deadlines, {run['due']:,} due (job)"
            rows.append(row(name, run["queries"], run["seconds"] * 1000, 5000))
    if args.pdf_json and Path(args.pdf_json).exists():
        for figure in json.loads(Path(args.pdf_json).read_text()):
            if figure.get("target"):
                name = f"PDF: {figure['label'][0].lower()}{figure['label'][1:]} (job)"
                rows.append(row(name, "–", figure["median"] * 1000, figure["target"] * 1000))
    return rows


def write_docs(text: str) -> Path:
    from django.conf import settings

    docs = Path(settings.BASE_DIR) / "docs" / "benchmarks.md"
    write_section(docs, text, START, END)
    return docs


def data_summary() -> dict:
    from imr.models import IMR, ChronologyEntry
    from portal_site import scale
    from referrals.models import Referral
    from reviews.models import Review
    from scr_portal.models import Board, Deadline

    boards = Board.objects.filter(short_name__startswith=scale.PREFIX).count()
    counts = {
        "referrals": Referral.objects.count(),
        "reviews": Review.objects.count(),
        "IMRs": IMR.objects.count(),
        "chronology rows": ChronologyEntry.objects.count(),
        "deadlines": Deadline.objects.count(),
    }
    text = f"{boards} scale boards; " + ", ".join(f"{v:,} {k}" for k, v in counts.items()) + "."
    return {"summary": text}
