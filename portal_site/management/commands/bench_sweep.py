# ruff: noqa: S608 — the SQL here is built from model table names only; every value is a query parameter.
"""`python manage.py bench_sweep`: how long one reminder sweep takes, and how many SQL queries it makes,
with 300,000 open deadlines of which 3,000 have a reminder step due; then the same at a tenth of the
size, to show the query count does not depend on the number of deadlines. Not a test: a measurement to
repeat on the target machine. Results go to docs/benchmarks.md with --write-docs.

Runs against whatever DATABASE_URL points at, which must be PostgreSQL (the sweep's row locking is what
is measured). Meant for the throwaway server of .ci/services.sh: it seeds a board called "Benchmark
board" with SQL (generate_series, seconds rather than minutes), and deletes that board and everything
of it before and after the run.
"""

import contextlib
import datetime as dt
import json as json_module
import os
import re
import time
from pathlib import Path

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import JSONField
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from scr_portal.clock.reminders import SWEEP_BATCH_SIZE, reminder_sweep
from scr_portal.clock.schedule import ReminderSchedule
from scr_portal.models import (
    Board,
    Deadline,
    DeadlineRule,
    Membership,
    ReminderStep,
    Role,
    SentReminder,
    TransitionLog,
    User,
)

BOARD_NAME = "Benchmark board"
USER_DOMAIN = "bench.invalid"
RESPONSIBLE_PEOPLE = 20
TARGET_SECONDS = 5
DOCS = Path(settings.BASE_DIR) / "docs" / "benchmarks.md"
START, END = "<!-- sweep-benchmark:start -->", "<!-- sweep-benchmark:end -->"


@contextlib.contextmanager
def without_history():
    """Seeding and cleaning up skip the change-history triggers (django-pghistory) on deadlines: 300,000
    rows through a row trigger each take minutes, and they are not what is measured. The sweep itself runs
    with them, as in production. (The benchmark's own throwaway database only: the triggers are switched
    off for the table, and on again whatever happens.)"""
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {table(Deadline)} DISABLE TRIGGER USER")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER TABLE {table(Deadline)} ENABLE TRIGGER USER")


def table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


class Command(BaseCommand):
    help = "Time one reminder sweep over 300,000 open deadlines with 3,000 steps due (PostgreSQL only)."

    def add_arguments(self, parser):
        parser.add_argument("--deadlines", type=int, default=300_000)
        parser.add_argument("--due", type=int, default=3_000, help="Reminder steps due now.")
        parser.add_argument("--write-docs", action="store_true", help=f"Rewrite the results in {DOCS.name}.")
        parser.add_argument("--keep", action="store_true", help="Leave the last seeded board in place.")
        parser.add_argument("--json", default="", help="Also write the figures to this file (make bench).")

    def handle(
        self, *args, deadlines: int, due: int, write_docs: bool, keep: bool, json: str = "", **options
    ):
        self.verbosity = options["verbosity"]
        if connection.vendor != "postgresql":
            raise CommandError("The sweep benchmark needs PostgreSQL (DATABASE_URL=postgres://…).")
        if not 0 < due <= min(deadlines, SWEEP_BATCH_SIZE):
            raise CommandError(f"--due must be between 1 and {min(deadlines, SWEEP_BATCH_SIZE)}.")
        runs = []
        try:
            for size, due_now in ((deadlines, due), (deadlines // 10, max(due // 10, 1))):
                with without_history():
                    self.cleanup()
                runs.append(self.run(size, due_now))
        finally:
            if not keep:
                with without_history():
                    self.cleanup()
        report = self.report(runs)
        self.stdout.write(report)
        if write_docs:
            self.write_docs(report)
            self.stdout.write(f"Written to {DOCS}")
        if json:
            Path(json).write_text(json_module.dumps(runs), encoding="utf-8")

    # ------------------------------------------------------------------------------------------ seeding

    def cleanup(self) -> None:
        board = Board.objects.filter(name=BOARD_NAME).first()
        if board is not None:
            of_board = f"IN (SELECT id FROM {table(Deadline)} WHERE board_id = %s)"
            statements = [
                f"DELETE FROM {table(SentReminder)} WHERE board_id = %s",
                f"DELETE FROM {table(ReminderStep)} WHERE deadline_id {of_board}",
                f"DELETE FROM {table(Deadline.responsible_users.through)} WHERE deadline_id {of_board}",
                f"DELETE FROM {table(TransitionLog)} WHERE board_id = %s",
                f"DELETE FROM {table(Deadline)} WHERE board_id = %s",
            ]
            with transaction.atomic(), connection.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement, [board.pk])
                Membership.objects.filter(board=board).delete()
                board.delete()
        User.objects.filter(email__endswith=f"@{USER_DOMAIN}").delete()

    def seed(self, size: int, due: int, now: dt.datetime) -> dict:
        """`size` open deadlines of the Chair's decision rule, each with three reminder steps. Two thirds of
        the `due` ones have their half-time reminder due now; the other third are past their due date with
        the first overdue escalation due now. All others have their half-time reminder already sent and
        the due-day and first escalation still to come."""
        board = Board.objects.create(name=BOARD_NAME, short_name="BENCH")
        password = make_password(None)
        people = User.objects.bulk_create(
            [
                User(email=f"bench-{role}@{USER_DOMAIN}", full_name=f"Bench {role}", password=password)
                for role in ("manager", "support", "chair")
            ]
            + [
                User(
                    email=f"bench-{n}@{USER_DOMAIN}",
                    full_name=f"Bench person {n}",
                    password=password,
                    reminder_delivery="daily_digest" if n % 4 == 0 else "each",
                )
                for n in range(RESPONSIBLE_PEOPLE)
            ]
        )
        Membership.objects.bulk_create(
            Membership(user=user, board=board, role=role)
            for user, role in zip(
                people, (Role.BUSINESS_MANAGER, Role.BUSINESS_SUPPORT, Role.LSCB_CHAIR), strict=False
            )
        )
        responsible_ids = [user.pk for user in people[3:]]
        overdue = due // 3
        today = timezone.localdate(now)
        params = {
            "board": board.pk,
            "content_type": ContentType.objects.get_for_model(Board).pk,
            "rule": DeadlineRule.objects.get(code="decision").pk,
            "framework": board.review_framework,
            "size": size,
            "due": due,
            "overdue": overdue,
            "today": today,
            "now": now,
            "schedule": ReminderSchedule().as_dict() | {"enabled": True},
            "people": responsible_ids,
        }
        params["schedule"] = JSONField().get_db_prep_value(params["schedule"], connection)
        with transaction.atomic(), connection.cursor() as cursor:
            # Deadline i: 1..overdue are overdue (due three days ago), the rest due 5 to 64 days ahead.
            cursor.execute(
                f"""
                INSERT INTO {table(Deadline)} (board_id, content_type_id, object_id, kind, case_reference,
                    rule_id, title, trigger_at, amount, unit, original_due_date, due_date, due_at, statutory,
                    warn_only, responsible_role, reminder_schedule, status, opened_at, closed_reason,
                    done_by_name, evidence, review_framework)
                SELECT %(board)s, %(content_type)s, %(board)s, 'referral', 'BENCH-' || lpad(i::text, 6, '0'),
                    %(rule)s, 'LSCB Chair''s decision on holding a review', %(now)s - interval '20 days',
                    1, 'calendar_months', d.day, d.day,
                    (d.day + time '23:59:59') AT TIME ZONE 'Europe/London', true, false, 'LSCB Chair',
                    %(schedule)s, 'open', %(now)s - interval '20 days', '', '', '', %(framework)s
                FROM generate_series(1, %(size)s) AS i,
                    LATERAL (SELECT CASE WHEN i <= %(overdue)s THEN %(today)s::date - 3
                                         ELSE %(today)s::date + 5 + i %% 60 END AS day) AS d
                """,
                params,
            )
            cursor.execute(
                f"""
                INSERT INTO {table(Deadline.responsible_users.through)} (deadline_id, user_id)
                SELECT id, (%(people)s::bigint[])[1 + id %% array_length(%(people)s::bigint[], 1)]
                FROM {table(Deadline)} WHERE board_id = %(board)s
                """,
                params,
            )
            # Number the deadlines 1..size in id order to decide which steps are due.
            cursor.execute(
                f"""
                INSERT INTO {table(ReminderStep)} (deadline_id, key, send_at, audience, status, processed_at)
                SELECT n.id, s.key, s.send_at, s.audience, s.status, s.processed_at
                FROM (SELECT id, due_at, row_number() OVER (ORDER BY id) AS i
                      FROM {table(Deadline)} WHERE board_id = %(board)s) AS n,
                LATERAL (VALUES
                    ('half-time', CASE WHEN n.i > %(overdue)s AND n.i <= %(due)s
                                       THEN %(now)s - (n.i %% 15) * interval '1 minute'
                                       ELSE %(now)s - interval '10 days' END, 'responsible',
                     CASE WHEN n.i > %(overdue)s AND n.i <= %(due)s THEN 'pending' ELSE 'done' END,
                     CASE WHEN n.i > %(overdue)s AND n.i <= %(due)s THEN NULL
                          ELSE %(now)s - interval '10 days' END),
                    ('due-day', date_trunc('day', n.due_at) + interval '7 hours', 'responsible',
                     CASE WHEN n.i <= %(overdue)s THEN 'done' ELSE 'pending' END,
                     CASE WHEN n.i <= %(overdue)s THEN %(now)s - interval '3 days' END),
                    ('overdue-1', CASE WHEN n.i <= %(overdue)s
                                       THEN %(now)s - (n.i %% 15) * interval '1 minute'
                                       ELSE date_trunc('day', n.due_at) + interval '1 day 7 hours' END,
                     'business_unit', 'pending', NULL::timestamptz)
                ) AS s(key, send_at, audience, status, processed_at)
                """,
                params,
            )
        with connection.cursor() as cursor:
            for model in (Deadline, ReminderStep, Deadline.responsible_users.through, SentReminder):
                cursor.execute(f"ANALYZE {table(model)}")
        pending = ReminderStep.objects.filter(deadline__board=board, status="pending").count()
        return {"board": board, "pending": pending, "overdue": overdue}

    # --------------------------------------------------------------------------------------- measuring

    def run(self, size: int, due: int) -> dict:
        now = timezone.now()
        started = time.perf_counter()
        with without_history():
            seeded = self.seed(size, due, now)
        self.stdout.write(f"Seeded {size:,} deadlines in {time.perf_counter() - started:.1f} s; sweeping…")
        ContentType.objects.get_for_model(Deadline)  # cached for the life of a worker process
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            result = reminder_sweep(now=now)
            elapsed = time.perf_counter() - started
        if result.steps_claimed != due or result.deadlines_marked_overdue != seeded["overdue"]:
            raise CommandError(f"The sweep did not do what was seeded: {result} (expected {due} steps)")
        if self.verbosity > 1:
            for query in queries.captured_queries:
                self.stdout.write(f"  {query['time']} s  {query['sql'][:120]}")
        return {
            "deadlines": size,
            "pending": seeded["pending"],
            "due": due,
            "created": result.reminders_created,
            "overdue": result.deadlines_marked_overdue,
            "seconds": elapsed,
            "queries": len(queries),
        }

    # ---------------------------------------------------------------------------------------- reporting

    def machine(self) -> str:
        cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
        memory = "unknown memory"
        try:
            meminfo = Path("/proc/meminfo").read_text()
            kib = int(re.search(r"^MemTotal:\s+(\d+) kB", meminfo, re.MULTILINE).group(1))
            memory = f"{kib / 1024 / 1024:.1f} GiB memory"
        except (OSError, AttributeError):
            pass
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            version = cursor.fetchone()[0].split()[0]
            cursor.execute("SHOW fsync")
            fsync = cursor.fetchone()[0]
        return f"{cpus} CPUs, {memory}, PostgreSQL {version} (fsync {fsync})"

    def report(self, runs: list[dict]) -> str:
        lines = [
            f"Run on {timezone.localdate():%d %B %Y} with `python manage.py bench_sweep --write-docs` on "
            f"{self.machine()}.",
            "",
            "| Open deadlines | Pending reminder steps | Steps due | Sent-reminder rows created "
            "| Deadlines marked overdue | One sweep | SQL statements |",
            "|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for run in runs:
            lines.append(
                f"| {run['deadlines']:,} | {run['pending']:,} | {run['due']:,} | {run['created']:,} "
                f"| {run['overdue']:,} | {run['seconds']:.2f} s | {run['queries']} |"
            )
        largest = runs[0]
        within = "met" if largest["seconds"] <= TARGET_SECONDS else "NOT met"
        same = "the same" if len({run["queries"] for run in runs}) == 1 else "NOT the same"
        lines += [
            "",
            f"Target of at most {TARGET_SECONDS} s for one sweep over {largest['deadlines']:,} deadlines: "
            f"{within}. SQL statements (BEGIN and COMMIT included) at both sizes: {same}.",
        ]
        return "\n".join(lines) + "\n"

    def write_docs(self, report: str) -> None:
        text = DOCS.read_text() if DOCS.exists() else f"# Benchmarks\n\n{START}\n{END}\n"
        if START not in text or END not in text:
            text = f"{text.rstrip()}\n\n{START}\n{END}\n"
        before, rest = text.split(START, 1)
        _, after = rest.split(END, 1)
        DOCS.write_text(f"{before}{START}\n{report}{END}{after}")
