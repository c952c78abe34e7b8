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
import http.client
import random
import secrets
import string
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

from .report import background_rows, data_summary, report, write_docs  # noqa: F401 (background_rows: tests)

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
