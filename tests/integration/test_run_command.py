"""`make run` starts the portal on the embedded default: SQLite, a file-system broker, a Celery worker and
beat. This starts it the same way (the management command `make run` calls) in a subprocess."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

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


@pytest.fixture
def portal(tmp_path):
    port = free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "DJANGO_SETTINGS_MODULE"}
    }
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
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            if fetch(f"{base}/healthz")[0] in (200, 503):
                break
        except OSError:
            time.sleep(0.5)
    yield base, process
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def test_make_run_serves_health_check_and_sign_in_on_the_embedded_default(portal):
    base, process = portal
    status, body = fetch(f"{base}/healthz")
    assert status == 200, body
    assert '"database": "ok"' in body and '"broker": "ok"' in body
    status, body = fetch(f"{base}/accounts/login/")
    assert status == 200
    assert "Sign in" in body and "Demonstration mode" in body


def test_ctrl_c_stops_the_web_server_worker_and_beat(portal):
    base, process = portal
    assert fetch(f"{base}/healthz")[0] == 200
    os.killpg(process.pid, signal.SIGINT)
    process.wait(timeout=30)
    output = process.stdout.read()
    assert "manager@northshire.example" in output  # demo credentials were printed
    time.sleep(1)
    with pytest.raises(ProcessLookupError):
        os.killpg(process.pid, 0)
