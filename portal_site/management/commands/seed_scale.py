"""`python manage.py seed_scale --boards 150 [--scale 1.0] [--seed 10] [--reset]`: the realistic data of the
scale issue (see portal_site.scale). Boards already seeded are kept, so a second run with the same
arguments does nothing; --reset deletes every scale board first."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from portal_site import scale as scale_data


class Command(BaseCommand):
    help = "Seed one board per English safeguarding board with ten years of realistic cases (bulk inserts)."

    def add_arguments(self, parser):
        parser.add_argument("--boards", type=int, default=150)
        parser.add_argument("--scale", type=float, default=1.0, help="Multiply every per-board count.")
        parser.add_argument("--seed", type=int, default=10)
        parser.add_argument("--reset", action="store_true", help="Delete the scale boards first.")

    def handle(self, *args, boards: int, scale: float, seed: int, reset: bool, **options):
        if connection.vendor != "postgresql":
            raise CommandError("seed_scale needs PostgreSQL (DATABASE_URL=postgres://…).")
        if not 0 < scale <= 10 or boards < 1:
            raise CommandError("--boards must be positive and --scale between 0 and 10.")
        log = self.stdout.write if options["verbosity"] > 1 else (lambda message: None)
        if reset:
            scale_data.delete_all(log=self.stdout.write)
        have = scale_data.existing_boards()
        if have >= boards:
            self.stdout.write(f"{have} scale boards already seeded; nothing to do (--reset to start again).")
            return
        started = time.monotonic()
        totals = scale_data.seed(boards=boards, scale=scale, seed=seed, log=log)
        self.stdout.write(
            f"Seeded boards {have + 1}–{boards} in {time.monotonic() - started:.0f} s: "
            + ", ".join(f"{key} {value:,}" for key, value in totals.items())
        )
