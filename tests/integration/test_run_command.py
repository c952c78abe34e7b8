"""`make run` starts the portal on the embedded default: SQLite, a file-system broker, a Celery worker and
beat. This starts it the same way (the management command `make run` calls) in a subprocess."""

import http.cookiejar
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from portal_site.demo import (
    DEMO_PASSWORD,
    DEMO_USERS,
    INDEPENDENT_REVIEWER,
    OTHER_BOARD_MANAGER,
    PARTNERSHIP_USERS,
)

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.integration


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 — loopback only
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


# The demo runs on SQLite with one database role and no virus scanner (files are "not scanned"), as
# `make run` does: none of make test's database, broker or scanner settings.
NOT_FOR_THE_DEMO = {
    "CLAMAV_SOCKET",
    "CLAMAV_HOST",
    "CLAMAV_PORT",
    "DATABASE_URL",
    "DATABASE_OWNER_URL",
    "DATABASE_ADMIN_URL",
    "REDIS_URL",
    "CELERY_BROKER_URL",
    "DJANGO_SETTINGS_MODULE",
}


@pytest.fixture
def portal(tmp_path):
    port = free_port()
    env = {key: value for key, value in os.environ.items() if key not in NOT_FOR_THE_DEMO}
    env.update(
        DJANGO_SETTINGS_MODULE="scr_portal.settings.dev", DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3"
    )
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, "manage.py", "runportal", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    # Read the portal's output as it comes: a pipe nobody reads fills up (64 KiB) and the web server then
    # blocks writing its request log, so a run with many demo accounts would hang.
    process.output = []
    process.reader = threading.Thread(target=lambda: process.output.extend(process.stdout), daemon=True)
    process.reader.start()
    base = f"http://127.0.0.1:{port}"
    # Migrating a new SQLite database and loading the demo takes a while on a busy two-core machine.
    deadline = time.monotonic() + 300
    while True:
        try:
            if fetch(f"{base}/healthz")[0] in (200, 503):
                break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                os.killpg(process.pid, signal.SIGKILL)
                process.reader.join(timeout=10)
                pytest.fail(f"the portal did not start:\n{''.join(process.output)[-4000:]}")
            time.sleep(0.5)
    yield base, process
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


class Visitor:
    """A person with a browser: cookies kept, the CSRF token sent back, redirects followed."""

    def __init__(self, base: str):
        self.base = base
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def _open(self, request) -> tuple[int, bytes, str]:
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.read(), response.url
        except urllib.error.HTTPError as error:
            return error.code, error.read(), error.url

    def get(self, path: str) -> tuple[int, bytes, str]:
        return self._open(urllib.request.Request(self.base + path))

    def post(self, path: str, data: dict) -> tuple[int, bytes, str]:
        token = next(cookie.value for cookie in self.cookies if cookie.name == "csrftoken")
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token}).encode()
        return self._open(urllib.request.Request(self.base + path, data=body, headers={"Referer": self.base}))

    def sign_in(self, email: str) -> tuple[int, str, str]:
        self.get("/accounts/login/")
        status, body, url = self.post("/accounts/login/", {"login": email, "password": DEMO_PASSWORD})
        return status, body.decode(), url


def test_every_demo_account_signs_in_and_works_on_the_embedded_default(portal):
    """What a new user does after `make run`: sign in as each demo account and open the main pages; the
    business manager also produces a document, which only the demo's worker can prepare."""
    base, process = portal
    status, body = fetch(f"{base}/healthz")
    assert status == 200, body
    assert '"database": "ok"' in body and '"broker": "ok"' in body
    status, body = fetch(f"{base}/accounts/login/")
    assert status == 200
    assert "Sign in" in body and "Demonstration mode" in body
    for person in [*DEMO_USERS, OTHER_BOARD_MANAGER, INDEPENDENT_REVIEWER, *PARTNERSHIP_USERS]:
        visitor = Visitor(base)
        status, body, url = visitor.sign_in(person.email)
        assert (status, url) == (200, base + "/"), f"{person.email}: {status} at {url}\n{body[:2000]}"
        assert "Sign out" in body, person.email
        for path in ["/", "/referrals/", "/deadlines/", "/reviews/", "/imr/", "/dev/mailbox/"]:
            status, body, url = visitor.get(path)
            assert status < 500, f"{person.email} {path}: {status}\n{body[:2000]!r}"

    manager = Visitor(base)
    manager.sign_in("manager@northshire.example")
    referral_pk = re.search(rb'href="/referrals/(\d+)/"', manager.get("/referrals/")[1]).group(1).decode()
    status, body, url = manager.post(f"/referrals/{referral_pk}/documents/referral-form/new/", {})
    assert status == 200 and re.search(r"/documents/\d+/$", url), body[:2000]
    document = url.rstrip("/").rsplit("/", 1)[1]
    deadline = time.monotonic() + 120
    while (state := json.loads(manager.get(f"/documents/{document}/status/")[1])["status"]) in {
        "queued",
        "rendering",
    }:
        assert time.monotonic() < deadline, "the demo's worker never prepared the document"
        time.sleep(1)
    assert state == "ready"
    status, pdf, _ = manager.get(f"/documents/{document}/download/")
    assert status == 200 and pdf.startswith(b"%PDF")

    # The demo referral's "new referral" notice, sent by the worker: its link is on this port.
    link = f"{base}/referrals/{referral_pk}/".encode()
    while link not in manager.get("/dev/mailbox/")[1]:
        assert time.monotonic() < deadline, "no notice with a link to this portal's address"
        time.sleep(1)


def test_ctrl_c_stops_the_web_server_worker_and_beat_and_the_printed_address_follows_the_port(portal):
    base, process = portal
    assert fetch(f"{base}/healthz")[0] == 200
    os.killpg(process.pid, signal.SIGINT)
    process.wait(timeout=30)
    process.reader.join(timeout=30)
    output = "".join(process.output)
    assert "manager@northshire.example" in output  # demo credentials were printed
    assert f"Sign in at {base}/ as:" in output  # the address follows the port
    assert "127.0.0.1:8000" not in output
    time.sleep(1)
    with pytest.raises(ProcessLookupError):
        os.killpg(process.pid, 0)
