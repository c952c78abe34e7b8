"""Reminders end to end: a real Celery worker (subprocess) on a real Redis, the sweep task sent through
the broker, and a real SMTP server (aiosmtpd) in this process. The worker works on this test's database.

Time: time-machine moves this process's clock to each reminder moment; the worker is another process, so
each sweep carries that moment as `now_iso` (exactly what beat leaves out and the task fills in).

Every message the SMTP server accepts is recorded with its Message-ID, which names the sent-reminder
row, so "exactly once" is checked per (step, recipient) rather than by counting.

Finished-ness without sleeping: the worker runs one task at a time in queue order (solo pool, prefetch
1), so once the emails of a later "marker" sweep arrive, every sweep sent before it has run."""

import datetime as dt
import email
import email.policy
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import pytest
import redis
import time_machine
from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import connection
from django.utils import timezone

from scr_portal.celery import app
from scr_portal.clock.tasks import reminder_sweep_task
from scr_portal.models import Role, SentReminder
from tests.factories import BoardFactory, UserFactory, member, open_deadline
from tests.scr_portal.clock.test_reminders import (
    DUE_DAY,
    FIRST_OVERDUE,
    HALF_TIME,
    REFERRAL_RECEIVED,
    SECOND_OVERDUE,
    TWO_WORKING_DAYS_BEFORE,
)

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
CELERY = Path(sys.executable).parent / "celery"
WAIT_SECONDS = 30
VISIBILITY_TIMEOUT = 1  # seconds; in production an hour (CELERY_VISIBILITY_TIMEOUT)
# A Redis database of its own, and a queue name of its own per test, so no other worker sees our tasks.
REDIS_DB = os.environ.get("REMINDER_TEST_REDIS_DB", "13")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def broker_url() -> str:
    parts = urlsplit(settings.CELERY_BROKER_URL)
    return urlunsplit(parts._replace(path=f"/{REDIS_DB}"))


def worker_database_url() -> str:
    """The database pytest-django made for this test run (its name is in the live settings)."""
    db = connection.settings_dict
    user = quote(db["USER"] or "")
    password = f":{quote(db['PASSWORD'])}" if db.get("PASSWORD") else ""
    return f"postgres://{user}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class Recorder:
    """SMTP handler: records each accepted message; can kill a process when the n-th RCPT arrives (the
    message is then never accepted, so whether it is sent again is the system's business alone)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.messages: list[tuple[str, str, str]] = []  # (Message-ID, To, Subject)
        self.rcpts = 0
        self.kill_on: tuple[int, int] | None = None  # (n-th RCPT, pid)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        with self.lock:
            self.rcpts += 1
            kill = self.kill_on is not None and self.rcpts == self.kill_on[0]
        if kill:
            os.kill(self.kill_on[1], signal.SIGKILL)
            return "451 4.3.0 Try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append((message["Message-ID"], message["To"], message["Subject"]))
        return "250 Message accepted for delivery"

    def count(self) -> int:
        with self.lock:
            return len(self.messages)


class Smtp:
    def __init__(self):
        self.port = free_port()
        self.recorder = Recorder()
        self.controller: Controller | None = None

    def start(self):
        self.controller = Controller(self.recorder, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp():
    server = Smtp()
    server.start()
    yield server
    server.stop()


class Workers:
    """Starts Celery workers on this test's queue; kills whatever is left at the end."""

    def __init__(self, *, smtp_port: int, log_dir: Path):
        self.queue = f"reminders-test-{uuid.uuid4().hex[:12]}"
        self.smtp_port = smtp_port
        self.log_dir = log_dir
        self.processes: list[subprocess.Popen] = []

    def start(self) -> subprocess.Popen:
        env = {key: value for key, value in os.environ.items() if key not in {"CELERY_BROKER_URL"}}
        env.update(
            DJANGO_SETTINGS_MODULE="scr_portal.settings.test",
            DATABASE_URL=worker_database_url(),
            REDIS_URL=broker_url(),
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=str(self.smtp_port),
            # A killed worker's task is handed out again to the next worker that starts.
            CELERY_VISIBILITY_TIMEOUT=str(VISIBILITY_TIMEOUT),
        )
        log = open(self.log_dir / f"worker-{len(self.processes)}.log", "w")  # noqa: SIM115
        process = subprocess.Popen(  # noqa: S603
            [
                str(CELERY),
                "-A",
                "scr_portal",
                "worker",
                "--pool=solo",
                "--concurrency=1",
                "-Q",
                self.queue,
                "-n",
                f"{self.queue}-{len(self.processes)}@%h",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--loglevel=INFO",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.processes.append(process)
        return process

    def logs(self) -> str:
        return "\n".join(path.read_text()[-3000:] for path in sorted(self.log_dir.glob("worker-*.log")))

    def stop(self):
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        self._forget_queue()

    def _forget_queue(self):
        """Remove our queue and any of its messages still unacknowledged (the killed worker's)."""
        client = redis.Redis.from_url(broker_url())
        try:
            client.delete(
                self.queue, f"_kombu.binding.{self.queue}", f"_kombu.binding_permanent.{self.queue}"
            )
            for tag, payload in client.hgetall("unacked").items():
                if self.queue.encode() in payload:
                    client.hdel("unacked", tag)
                    client.zrem("unacked_index", tag)
        finally:
            client.close()


@pytest.fixture
def workers(transactional_db, smtp, tmp_path):
    pool = Workers(smtp_port=smtp.port, log_dir=tmp_path)
    yield pool
    pool.stop()  # before the database is flushed: the worker holds connections to it


def sweep(workers: Workers, moment) -> str:
    """Send the sweep for `moment` through the broker, as beat would (beat sends no moment). Returns the
    task id."""
    with time_machine.travel(moment, tick=False):
        now_iso = timezone.now().isoformat()
    with app.connection_for_write(broker_url()) as conn:
        return reminder_sweep_task.apply_async(
            kwargs={"now_iso": now_iso}, queue=workers.queue, connection=conn
        ).id


def unacknowledged_for(seconds: float) -> bool:
    """Whether every unacknowledged message has waited longer than `seconds` (the visibility timeout),
    so that the next worker to start hands it out again."""
    client = redis.Redis.from_url(broker_url())
    try:
        entries = client.zrange("unacked_index", 0, -1, withscores=True)
    finally:
        client.close()
    return bool(entries) and all(time.time() - score > seconds for _, score in entries)


def wait_for(condition, workers: Workers, what: str) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"Timed out waiting for {what}.\n{workers.logs()}")


def wait_for_messages(smtp: Smtp, workers: Workers, count: int) -> None:
    wait_for(
        lambda: smtp.recorder.count() >= count, workers, f"{count} messages (have {smtp.recorder.count()})"
    )


def delivered(smtp: Smtp) -> Counter:
    """(step key, recipient address) of every accepted message, counted."""
    ids = [
        int(message_id.strip("<>").split("@")[0].removeprefix("reminder-"))
        for message_id, _, _ in smtp.recorder.messages
    ]
    rows = {
        pk: (key, address)
        for pk, key, address in SentReminder.objects.filter(pk__in=ids).values_list(
            "pk", "step__key", "recipient__email"
        )
    }
    return Counter(rows[pk] for pk in ids)


def open_decision(board, people, reference):
    return open_deadline(board, REFERRAL_RECEIVED, reference=reference, responsible_users=people, travel=True)


@pytest.fixture
def board():
    board = BoardFactory(name="Integration Local Safeguarding Children Board", short_name="ILSCB")
    member(board=board, role=Role.BUSINESS_MANAGER, full_name="Ivy Manager", email="ivy.manager@example.org")
    member(board=board, role=Role.BUSINESS_SUPPORT, full_name="Ian Support", email="ian.support@example.org")
    return board


def people(count: int) -> list:
    return [UserFactory(email=f"responsible{n}@example.org", totp=False) for n in range(count)]


def test_every_reminder_step_arrives_exactly_once_per_recipient(board, smtp, workers):
    responsible = people(2)
    open_decision(board, responsible, "ILSCB-2026-0001")
    workers.start()
    business_unit = ["ivy.manager@example.org", "ian.support@example.org"]
    expected = Counter()
    for moment, key, recipients in [
        (HALF_TIME, "half-time", [u.email for u in responsible]),
        (TWO_WORKING_DAYS_BEFORE, "before-2", [u.email for u in responsible]),
        (DUE_DAY, "due-day", [u.email for u in responsible]),
        (FIRST_OVERDUE, "overdue-1", business_unit + [u.email for u in responsible]),
    ]:
        sweep(workers, moment)
        expected.update((key, address) for address in recipients)
        wait_for_messages(smtp, workers, sum(expected.values()))

    for moment in (HALF_TIME, TWO_WORKING_DAYS_BEFORE, DUE_DAY, FIRST_OVERDUE):
        sweep(workers, moment)  # the same sweeps again: nothing new
    sweep(workers, SECOND_OVERDUE)  # marker: the panel chair (the business manager for now)
    expected[("overdue-2", "ivy.manager@example.org")] += 1
    wait_for_messages(smtp, workers, sum(expected.values()))

    assert delivered(smtp) == expected
    assert len({message_id for message_id, _, _ in smtp.recorder.messages}) == len(smtp.recorder.messages)
    subjects = {subject for _, _, subject in smtp.recorder.messages}
    assert (
        "[ILSCB-2026-0001] Due Wednesday 30 December 2026: LSCB Chair's decision on holding a review"
        in subjects
    )


def test_a_worker_killed_mid_sweep_and_replaced_still_sends_each_reminder_exactly_once(board, smtp, workers):
    responsible = people(6)
    open_decision(board, responsible, "ILSCB-2026-0002")
    first = workers.start()
    smtp.recorder.kill_on = (3, first.pid)  # two emails accepted, the worker dies on the third
    killed_task = sweep(workers, HALF_TIME)
    wait_for(lambda: first.poll() is not None, workers, "the first worker to be killed")
    assert smtp.recorder.count() == 2
    # Acknowledged late, so the killed worker's task is still the broker's; once the visibility timeout
    # has passed, the next worker takes it up again.
    wait_for(lambda: unacknowledged_for(VISIBILITY_TIMEOUT), workers, "the visibility timeout to pass")

    workers.start()
    sweep(workers, HALF_TIME)  # and the sweep sent again, as beat would 15 minutes later
    wait_for_messages(smtp, workers, 6)
    sweep(workers, TWO_WORKING_DAYS_BEFORE)  # marker
    wait_for_messages(smtp, workers, 12)

    expected = Counter((key, person.email) for key in ("half-time", "before-2") for person in responsible)
    assert delivered(smtp) == expected
    assert set(SentReminder.objects.values_list("status", flat=True)) == {"sent"}
    assert f"reminder_sweep_task[{killed_task}] succeeded" in (workers.log_dir / "worker-1.log").read_text()


def test_an_smtp_outage_delays_delivery_then_delivers_without_duplicates(board, smtp, workers):
    responsible = people(2)
    deadline = open_decision(board, responsible, "ILSCB-2026-0003")
    smtp.stop()
    workers.start()
    sweep(workers, HALF_TIME)
    rows = SentReminder.objects.filter(deadline=deadline)
    wait_for(
        lambda: rows.filter(status="pending", attempts=1).count() == 2,
        workers,
        "both reminders to have failed once",
    )
    assert set(rows.values_list("status", "attempts", "last_error")) == {
        ("pending", 1, "ConnectionRefusedError 111")
    }

    assert {row.next_attempt_at for row in rows} == {HALF_TIME + dt.timedelta(minutes=5)}
    assert smtp.recorder.count() == 0

    smtp.start()  # the same port
    sweep(workers, HALF_TIME + dt.timedelta(minutes=2))  # still backing off: nothing is sent
    sweep(workers, HALF_TIME + dt.timedelta(minutes=15))  # the next sweep, past the back-off
    wait_for_messages(smtp, workers, 2)
    sweep(workers, HALF_TIME + dt.timedelta(minutes=15))  # again: nothing new
    sweep(workers, TWO_WORKING_DAYS_BEFORE)  # marker
    wait_for_messages(smtp, workers, 4)

    assert delivered(smtp) == Counter(
        (key, person.email) for key in ("half-time", "before-2") for person in responsible
    )
    # Sent by the sweep after the back-off, not the one during it.
    assert set(rows.filter(step__key="half-time").values_list("status", "attempts", "sent_at")) == {
        ("sent", 2, HALF_TIME + dt.timedelta(minutes=15))
    }
