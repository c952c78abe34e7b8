"""The load test of `make bench` (issue 10): `python -m portal_site.bench.run --base-url http://127.0.0.1:PORT`.

Runs in its own process against the gunicorn of .ci/bench.sh, on loopback. It signs in users of several
roles on several scale boards (sessions created in the database, as a sign-in with the second factor
would leave them), then each virtual user follows its role's journey in a loop, with a think time
(--think, mean seconds; 0 for a closed loop):

- business manager: home, deadline dashboard, referral list (three filters), a referral, the review list,
  a review, its reports page, the board's annual report (where
  portal_site.reports exists), the IMR list, an IMR, the integrated chronology (about 2,000 rows), a form
  submission (the reminder preference) and a PDF letter request (the referral form);
- LSCB Chair: home, decisions awaiting, a referral, a review;
- agency contact: home, the requests to answer.

Every user also asks for the floor page (/bench/floor: signed in, one query) once per round, so every page
is reported as a ratio to the floor measured in the same run. Each level (20, then 50 users) stops after
--duration seconds or --max-requests requests, whichever comes first. SQL queries per request are counted
in this process with the Django test client (the same settings and database). The gunicorn workers' peak
memory is their VmHWM from /proc. Results go to docs/benchmarks.md between the load-benchmark markers.

A small thread-per-user generator on http.client (standard library only): locust would be a heavy
dependency for this, and one Python process drives 50 users comfortably (it is
idle while waiting for responses; the CPU it does use competes with gunicorn on the same cores, which
the report says).
"""

import argparse
import datetime as dt
import http.client
import os
import platform
import random
import secrets
import string
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

START, END = "<!-- load-benchmark:start -->", "<!-- load-benchmark:end -->"
CSRF_SECRET = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(32))
TARGETS_MS = {"integrated_chronology": 600, "board_reports": 800}
DEFAULT_TARGET_MS = 250


@dataclass
class Step:
    name: str
    path: str
    method: str = "GET"
    data: dict | None = None
    expect: tuple = (200,)


@dataclass
class VirtualUser:
    role: str
    board: str
    session_key: str
    steps: list[Step]


@dataclass
class Results:
    latencies: dict = field(default_factory=dict)  # page -> [ms]
    errors: dict = field(default_factory=dict)  # page -> count
    error_samples: list = field(default_factory=list)
    requests: int = 0
    seconds: float = 0.0


# --------------------------------------------------------------------------------------------- planning


def plan(boards: int, users: int) -> list[VirtualUser]:
    """Sessions and journeys for `users` virtual users over the first `boards` scale boards."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.db.models import Count
    from django.urls import NoReverseMatch, reverse

    from imr.models import IMR
    from portal_site import scale
    from referrals.models import Referral
    from reviews.models import Review
    from reviews.views.documents import REPORT_SLUGS
    from scr_portal.middleware import SESSION_BOARD_KEY
    from scr_portal.models import Board, User

    report_slug = next(iter(REPORT_SLUGS))
    backend = "allauth.account.auth_backends.AuthenticationBackend"
    board_rows = list(
        Board.objects.filter(short_name__startswith=scale.PREFIX).order_by("short_name")[:boards]
    )
    if not board_rows:
        raise SystemExit("No scale boards: run `manage.py seed_scale` first.")
    per_board = {}
    for number, board in enumerate(board_rows, start=1):
        review = (
            Review.objects.filter(board=board)
            .annotate(rows=Count("imrs__chronology"))
            .order_by("-rows", "pk")
            .first()
        )
        imr = IMR.objects.filter(review=review).order_by("agency__name").first()
        referrals = Referral.objects.filter(board=board).exclude(state="draft").order_by("-pk")
        referral = referrals.filter(state="agency_checks").first() or referrals.first()
        per_board[board.pk] = (board, number, review, imr, referral)

    def session_for(user, board) -> str:
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = backend
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store[SESSION_BOARD_KEY] = board.pk
        store.set_expiry(6 * 3600)
        store.create()
        return store.session_key

    floor = Step("floor", "/bench/floor")
    board_reports = []
    try:  # the board reports pages (portal_site.reports), where this version has them
        board_reports = [Step("board_reports", reverse("report_annual"))]
    except NoReverseMatch:
        pass
    out = []
    roles = ["manager", "chair", "contact1", "manager", "contact2"]
    for i in range(users):
        board, number, review, imr, referral = per_board[board_rows[i % len(board_rows)].pk]
        role = roles[i % len(roles)]
        user = User.objects.get(email=scale.user_email(number, role))
        referral_page = Step("referral_detail", reverse("referral_detail", args=[referral.pk]))
        review_page = Step("review_detail", reverse("review_detail", args=[review.pk]))
        if role == "manager":
            steps = [
                Step("home", "/"),
                Step("deadline_dashboard", reverse("deadline_dashboard")),
                Step("referral_list", reverse("referral_list")),
                Step("referral_list", reverse("referral_list") + "?state=agency_checks"),
                Step("referral_list", reverse("referral_list") + f"?q={board.short_name}-2024"),
                referral_page,
                Step("review_list", reverse("review_list")),
                review_page,
                Step("review_reports", reverse("review_reports", args=[review.pk, report_slug])),
                *board_reports,
                Step("imr_list", reverse("imr_list")),
                Step("imr_detail", reverse("imr_detail", args=[imr.pk])),
                Step("integrated_chronology", reverse("integrated_chronology", args=[review.pk])),
                Step(
                    "form_submission",
                    reverse("notification_settings"),
                    "POST",
                    {"reminder_delivery": "each"},
                    (302,),
                ),
                Step(
                    "pdf_letter_request",
                    reverse("referral_document_new", args=[referral.pk, "referral-form"]),
                    "POST",
                    {},
                    (302,),
                ),
            ]
        elif role == "chair":
            steps = [
                Step("home", "/"),
                Step("decisions_awaiting", reverse("decisions_awaiting")),
                referral_page,
                review_page,
            ]
        else:
            steps = [Step("home", "/"), Step("check_list", reverse("check_list"))]
        out.append(VirtualUser(role, board.short_name, session_for(user, board), [floor, *steps]))
    assert settings.SESSION_ENGINE.endswith("db") or "cache" not in settings.SESSION_ENGINE
    return out


def query_counts(users: list[VirtualUser]) -> dict:
    """SQL queries per request, per page: the largest count over the sampled users (the second request of
    each, so per-process caches are warm, as in a long-running worker)."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    counts: dict[str, int] = {}
    seen = set()
    for user in users:
        client = Client(HTTP_X_FORWARDED_PROTO="https", HTTP_HOST="127.0.0.1")
        client.cookies[settings.SESSION_COOKIE_NAME] = user.session_key
        for step in user.steps:
            if step.method != "GET" or (user.role, step.path) in seen:
                continue
            seen.add((user.role, step.path))
            client.get(step.path, secure=True)
            with CaptureQueriesContext(connection) as captured:
                response = client.get(step.path, secure=True)
            if response.status_code == 200:
                counts[step.name] = max(counts.get(step.name, 0), len(captured))
    return counts


# --------------------------------------------------------------------------------------------- the load


def run_level(
    base_url: str, users: list[VirtualUser], *, duration: float, max_requests: int, think: float = 0.0
) -> Results:
    from django.conf import settings

    url = urllib.parse.urlsplit(base_url)
    host, port = url.hostname, url.port or 80
    origin = f"https://{host}:{port}"
    results = Results()
    lock = threading.Lock()
    stop = threading.Event()
    deadline = time.monotonic() + duration

    def worker(user: VirtualUser, number: int) -> None:
        pause = random.Random(number)  # noqa: S311 — think times, not secrets
        cookie = (
            f"{settings.SESSION_COOKIE_NAME}={user.session_key}; {settings.CSRF_COOKIE_NAME}={CSRF_SECRET}"
        )
        conn = http.client.HTTPConnection(host, port, timeout=60)
        while not stop.is_set():
            for step in user.steps:
                if stop.is_set() or time.monotonic() > deadline:
                    stop.set()
                    break
                headers = {
                    "Cookie": cookie,
                    "X-Forwarded-Proto": "https",
                    "Host": f"{host}:{port}",
                    "User-Agent": "scr-bench",
                }
                body = None
                if step.method == "POST":
                    body = urllib.parse.urlencode({**(step.data or {}), "csrfmiddlewaretoken": CSRF_SECRET})
                    headers |= {
                        "Content-Type": "application/x-www-form-urlencoded",
                        "Referer": origin + step.path,
                        "Origin": origin,
                    }
                started = time.perf_counter()
                try:
                    conn.request(step.method, step.path, body=body, headers=headers)
                    response = conn.getresponse()
                    response.read()
                    status = response.status
                    if response.getheader("Connection", "").lower() == "close":
                        conn.close()
                        conn = http.client.HTTPConnection(host, port, timeout=60)
                except (OSError, http.client.HTTPException) as error:
                    status = f"{type(error).__name__}: {error}"
                    conn.close()
                    conn = http.client.HTTPConnection(host, port, timeout=60)
                elapsed = (time.perf_counter() - started) * 1000
                with lock:
                    results.requests += 1
                    results.latencies.setdefault(step.name, []).append(elapsed)
                    if status not in step.expect:
                        results.errors[step.name] = results.errors.get(step.name, 0) + 1
                        if len(results.error_samples) < 10:
                            results.error_samples.append(f"{step.method} {step.path} -> {status}")
                    if results.requests >= max_requests:
                        stop.set()
                if think:
                    stop.wait(pause.uniform(0.5, 1.5) * think)
        conn.close()

    threads = [threading.Thread(target=worker, args=(user, i), daemon=True) for i, user in enumerate(users)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    results.seconds = time.monotonic() - started
    return results


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    low = int(k)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def gunicorn_memory(master_pid: int | None) -> tuple[float, float, int]:
    """(largest worker peak RSS, sum of the workers' peak RSS, workers) in MiB, from /proc VmHWM."""
    if not master_pid:
        return (float("nan"), float("nan"), 0)
    try:
        children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    except OSError:
        return (float("nan"), float("nan"), 0)
    peaks = []
    for pid in children:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peaks.append(int(line.split()[1]) / 1024)
        except OSError:
            continue
    return (max(peaks, default=float("nan")), sum(peaks), len(peaks))


# --------------------------------------------------------------------------------------------- report


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


def report(args, levels: dict, counts: dict, memory: tuple, data: dict) -> str:
    floor = {n: percentile(r.latencies.get("floor", []), 95) for n, r in levels.items()}
    pages = []
    for r in levels.values():
        for name in r.latencies:
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
        "of `.ci/services.sh` (fsync off) on the same machine; the load generator is a second process on "
        "loopback on the same two cores.",
        f"- **Load:** {args.users_desc}; each level stops after {args.duration:.0f} s or {args.max_requests} "
        "requests. Users: business managers, LSCB Chairs and agency contacts of "
        f"{args.boards} boards; each waits {args.think:g} s on average (0.5× to 1.5×) between requests"
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
            values = r.latencies.get(name, [])
            p95 = percentile(values, 95)
            ratio = p95 / floor[n] if floor[n] else float("nan")
            row += (
                f" {percentile(values, 50):.0f} | {p95:.0f} | {percentile(values, 99):.0f} | {ratio:.1f} |"
                f" {len(values) / r.seconds:.1f} | {r.errors.get(name, 0)} |"
            )
        p95_first = percentile(levels[judged].latencies.get(name, []), 95)
        met = "–" if target is None else ("yes" if p95_first <= target else "**no**")
        row += f" {target or '–'} | {met} |"
        lines.append(row)
    lines += background_rows(args, levels, judged)
    for n, r in levels.items():
        errors = sum(r.errors.values())
        lines.append("")
        lines.append(
            f"At {n} users: {r.requests} requests in {r.seconds:.0f} s ({r.requests / r.seconds:.1f} req/s), "
            f"{errors} errors." + (f" Samples: {'; '.join(r.error_samples)}." if errors else "")
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
    import json

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
    current = docs.read_text()
    if START in current and END in current:
        before, rest = current.split(START, 1)
        after = rest.split(END, 1)[1]
        current = before + text + after
    else:
        current = current.rstrip("\n") + "\n\n" + text + "\n"
    docs.write_text(current)
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--users", default="20,50")
    parser.add_argument("--boards", type=int, default=10, help="Boards the virtual users belong to.")
    parser.add_argument("--duration", type=float, default=120)
    parser.add_argument("--max-requests", type=int, default=100_000)
    parser.add_argument("--think", type=float, default=1.0, help="Mean think time between a user's requests.")
    parser.add_argument("--gunicorn-pid", type=int)
    parser.add_argument("--workers", type=int, default=0)
    parser.add_argument("--command", default="make bench")
    parser.add_argument("--write-docs", action="store_true")
    parser.add_argument("--sweep-json", default="", help="Figures of manage.py bench_sweep --json.")
    parser.add_argument("--pdf-json", default="", help="Figures of manage.py bench_pdf --json.")
    args = parser.parse_args()

    import django

    django.setup()
    levels_wanted = [int(n) for n in args.users.split(",")]
    args.users_desc = " then ".join(f"{n} concurrent users" for n in levels_wanted)
    users = plan(args.boards, max(levels_wanted))
    counts = query_counts(users[: max(10, len(set(u.role for u in users)) * 3)])
    print("queries per request:", counts, flush=True)
    # Warm every worker (templates, content types) before measuring.
    run_level(args.base_url, users[:10], duration=10, max_requests=300)
    levels = {}
    for n in levels_wanted:
        print(f"load: {n} users for up to {args.duration:.0f} s …", flush=True)
        levels[n] = run_level(
            args.base_url, users[:n], duration=args.duration, max_requests=args.max_requests, think=args.think
        )
        r = levels[n]
        print(f"  {r.requests} requests, {sum(r.errors.values())} errors, {r.seconds:.0f} s", flush=True)
        for sample in r.error_samples:
            print("  error:", sample, flush=True)
    memory = gunicorn_memory(args.gunicorn_pid)
    text = report(args, levels, counts, memory, data_summary())
    print(text)
    if args.write_docs:
        print("written to", write_docs(text))


if __name__ == "__main__":
    main()
