"""The load test of `make bench` (issues 10, 21): `python -m portal_site.bench.run --base-url http://127.0.0.1:PORT`.

Runs against the gunicorn of .ci/bench.sh, on loopback. It signs in users of several roles on several
scale boards (sessions created in the database, as a sign-in with the second factor would leave them) and
writes their journeys to a plan; Locust (portal_site/bench/locustfile.py, headless, one process per
level) runs them:

- business manager: home, deadline dashboard, referral list (three filters), a referral, the review list,
  a review, its reports page, the board's annual report, the IMR list, an IMR, the integrated chronology
  (about 2,000 rows), a form submission (the reminder preference) and a PDF letter request;
- LSCB Chair: home, decisions awaiting, a referral, a review;
- agency contact: home, the requests to answer.

Every user also asks for the floor page (/bench/floor: signed in, one query) once per round, so every page
is reported against the floor measured in the same run. Each level runs --duration seconds. --think is the
mean pause between a user's requests; 0 is a closed loop (N users, N requests in flight), the saturation
curve's mode. SQL queries per request are counted in this process with the Django test client (the same
settings and database). The gunicorn workers' peak memory is their VmHWM from /proc; the load generator's
own CPU is Locust's child-process CPU time. Results go to docs/benchmarks.md between the load-benchmark
markers.
"""

import argparse
import csv
import json
import os
import resource
import secrets
import string
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from . import saturation
from .report import TARGETS_MS, background_rows, data_summary, report, write_docs  # noqa: F401

LOCUSTFILE = Path(__file__).with_name("locustfile.py")

CSRF_SECRET = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(32))


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
    """One level's figures, from Locust's statistics: per page its count and percentiles in ms."""

    pages: dict = field(default_factory=dict)  # page -> {"count", "p50", "p95", "p99"}
    errors: dict = field(default_factory=dict)  # page -> count
    error_samples: list = field(default_factory=list)
    requests: int = 0
    seconds: float = 0.0
    generator_cpu: float = 0.0  # seconds of CPU the load generator used


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
    from django.test import override_settings

    counts: dict[str, int] = {}
    seen = set()
    # The page as it is built, not as the page cache serves it (scr_portal.pagecache).
    with override_settings(PAGE_CACHE_ENABLED=False):
        _count_queries(users, counts, seen)
    return counts


def _count_queries(users, counts: dict, seen: set) -> None:
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

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


# --------------------------------------------------------------------------------------------- the load


def write_plan(users: list[VirtualUser], path: Path) -> Path:
    from django.conf import settings

    plan = {
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "csrf_cookie": settings.CSRF_COOKIE_NAME,
        "csrf_secret": CSRF_SECRET,
        "users": [
            {"role": u.role, "session_key": u.session_key, "steps": [asdict(step) for step in u.steps]}
            for u in users
        ],
    }
    path.write_text(json.dumps(plan), encoding="utf-8")
    return path


def run_level(base_url: str, plan: Path, users: int, *, duration: float, think: float, out: Path) -> Results:
    """One Locust run, headless, `users` users started at once, for `duration` seconds."""
    out.mkdir(parents=True, exist_ok=True)
    prefix = out / f"locust-{users}"
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    subprocess.run(  # noqa: S603 — our own Locust with our own arguments
        [
            str(Path(sys.executable).with_name("locust")),
            "-f",
            str(LOCUSTFILE),
            "--headless",
            "--only-summary",
            "--host",
            base_url,
            "--users",
            str(users),
            "--spawn-rate",
            str(users),
            "--run-time",
            f"{int(duration)}s",
            "--stop-timeout",
            "30",
            "--csv",
            str(prefix),
            "--loglevel",
            "WARNING",
        ],
        env={**os.environ, "BENCH_PLAN": str(plan), "BENCH_THINK": str(think)},
        check=False,
    )
    seconds = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return read_stats(
        prefix, seconds, (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    )


def read_stats(prefix: Path, seconds: float, cpu: float) -> Results:
    results = Results(seconds=seconds, generator_cpu=cpu)
    with open(f"{prefix}_stats.csv", encoding="utf-8") as stats:
        for row in csv.DictReader(stats):
            if row["Name"] == "Aggregated":
                results.requests = int(row["Request Count"])
                continue
            figure = {
                key: float(row[col] or "nan") for key, col in (("p50", "50%"), ("p95", "95%"), ("p99", "99%"))
            }
            results.pages[row["Name"]] = {**figure, "count": int(row["Request Count"])}
            if int(row["Failure Count"]):
                results.errors[row["Name"]] = int(row["Failure Count"])
    failures = Path(f"{prefix}_failures.csv")
    if failures.exists():
        with failures.open(encoding="utf-8") as rows:
            results.error_samples = [row["Error"] for row in csv.DictReader(rows)][:10]
    return results


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--users", default="20,50")
    parser.add_argument("--boards", type=int, default=10, help="Boards the virtual users belong to.")
    parser.add_argument("--duration", type=float, default=120)
    parser.add_argument("--max-requests", type=int, default=0, help="Ignored (Locust runs for --duration).")
    parser.add_argument("--saturation", default="", help="Closed-loop levels, e.g. 1,2,4,8,16 (none: skip).")
    parser.add_argument("--out", default=".cache/bench", help="Folder for the plan and Locust's CSV files.")
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
    args.users_desc = ", ".join(f"{n}" for n in levels_wanted) + " concurrent users"
    users = plan(args.boards, max(levels_wanted))
    counts = query_counts(users[: max(10, len(set(u.role for u in users)) * 3)])
    print("queries per request:", counts, flush=True)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    plan_file = write_plan(users, out / "plan.json")
    # Warm every worker (templates, content types) before measuring.
    run_level(args.base_url, plan_file, min(10, len(users)), duration=10, think=0, out=out)
    levels = {}
    for n in levels_wanted:
        print(f"load: {n} users for {args.duration:.0f} s …", flush=True)
        levels[n] = r = run_level(
            args.base_url, plan_file, n, duration=args.duration, think=args.think, out=out
        )
        print(f"  {r.requests} requests, {sum(r.errors.values())} errors, {r.seconds:.0f} s", flush=True)
        for sample in r.error_samples:
            print("  error:", sample, flush=True)
    if args.saturation:
        floor_plan = write_plan(
            [VirtualUser(u.role, u.board, u.session_key, u.steps[:1]) for u in users], out / "floor.json"
        )
        mixed, alone = {}, {}
        for n in [int(n) for n in args.saturation.split(",")]:
            print(f"saturation: {n} users, closed loop, mixed then floor alone …", flush=True)
            mixed[n] = run_level(
                args.base_url, plan_file, n, duration=args.duration, think=0, out=out / "mixed"
            )
            alone[n] = run_level(
                args.base_url, floor_plan, n, duration=args.duration, think=0, out=out / "floor"
            )
        ordinary = [name for name in counts if name not in TARGETS_MS and name != "floor"]
        args.saturation_rows = saturation.curve(mixed, alone, ordinary)
        if args.write_docs:
            from django.conf import settings

            saturation.write_svg(args.saturation_rows, Path(settings.BASE_DIR) / "docs")
    memory = gunicorn_memory(args.gunicorn_pid)
    text = report(args, levels, counts, memory, data_summary())
    print(text)
    if args.write_docs:
        print("written to", write_docs(text))


if __name__ == "__main__":
    main()
