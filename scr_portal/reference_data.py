"""Reference data every installation needs (deadline rules, screening criteria, Ofsted grading elements).
The data migrations seed it; this puts it back after something emptied the tables (a test that flushes the
database, a restored partial dump), using the migrations' own data so there is one source. Each app
registers its seeding migration's `seed(apps, schema_editor)` from its AppConfig.ready()."""

import importlib
from collections.abc import Callable

from django.apps import apps

_seeds: list[Callable] = []


def register_seed_migration(module_name: str) -> None:
    """Register the idempotent `seed` of one of the caller's own data migrations, e.g.
    "referrals.migrations.0002_seed_criteria" (a migration's module name starts with a digit)."""
    seed = importlib.import_module(module_name).seed
    if seed not in _seeds:
        _seeds.append(seed)


def ensure_reference_data() -> None:
    """A flush empties every table at once, so one probe tells whether the seeds must run again."""
    if apps.get_model("scr_portal", "DeadlineRule").objects.filter(code="imr-author-named").exists():
        return
    for seed in _seeds:
        seed(apps, None)
