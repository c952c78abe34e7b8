"""`make run`: the demo portal on the embedded default — SQLite, a Celery worker and beat on kombu's
file-system broker (no server needed), email written to .cache/mailbox. Ctrl-C stops all of it."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the demo portal: web server, Celery worker and Celery beat, with demo data."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--no-demo", action="store_true", help="Do not load the demo data.")

    def handle(self, *args, port: int, no_demo: bool, **options):
        # Links in emails and the address load_demo prints follow the port the portal runs on, in this
        # process and in the worker and beat started below (unless PORTAL_BASE_URL says otherwise).
        if not os.environ.get("PORTAL_BASE_URL"):
            os.environ["PORTAL_BASE_URL"] = settings.PORTAL_BASE_URL = f"http://127.0.0.1:{port}"
        call_command("migrate", interactive=False, verbosity=0)
        if not no_demo:
            call_command("load_demo")
        bin_dir = Path(sys.executable).parent
        cache = Path(settings.BASE_DIR) / ".cache"
        commands = {
            "worker": [
                str(bin_dir / "celery"),
                "-A",
                "scr_portal",
                "worker",
                "--pool=solo",
                "--queues=celery",
                "--hostname=celery@%h",
                "--loglevel=WARNING",
            ],
            # Documents and exports on their own queue, one at a time, as docker-compose.yml runs them.
            "documents": [
                str(bin_dir / "celery"),
                "-A",
                "scr_portal",
                "worker",
                f"--queues={settings.DOCUMENTS_QUEUE}",
                "--concurrency=1",
                f"--max-memory-per-child={settings.DOCUMENTS_WORKER_MAX_MEMORY_KIB}",
                "--hostname=documents@%h",
                "--loglevel=WARNING",
            ],
            "beat": [
                str(bin_dir / "celery"),
                "-A",
                "scr_portal",
                "beat",
                "--loglevel=WARNING",
                "--schedule",
                str(cache / "celerybeat-schedule"),
            ],
            "web": [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        }
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "")}
        processes = {
            name: subprocess.Popen(command, cwd=settings.BASE_DIR, env=env)  # noqa: S603
            for name, command in commands.items()
        }
        self.stdout.write(f"Portal: http://127.0.0.1:{port}/ — Ctrl-C stops the web server, worker and beat.")
        stopping = False

        def stop(*_):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        try:
            while not stopping and all(process.poll() is None for process in processes.values()):
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            for process in processes.values():
                if process.poll() is None:
                    process.terminate()
            for process in processes.values():
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
        failed = [name for name, process in processes.items() if process.returncode not in (0, -15, None)]
        if failed and not stopping:
            self.stderr.write(f"Stopped because {', '.join(failed)} exited.")
