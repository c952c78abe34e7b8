"""Reference data every installation needs (deadline rules, screening criteria, Ofsted grading elements).
The data migrations seed it; this puts it back after something emptied the tables (a test that flushes the
database, a restored partial dump), using the migrations' own data so there is one source."""

import importlib

from django.apps import apps

# Seeding migrations, in dependency order. Each `seed(apps, schema_editor)` is idempotent.
SEEDS = [
    "scr_portal.migrations.0003_seed_deadline_rules",
    "referrals.migrations.0002_seed_criteria",
    "imr.migrations.0003_seed_deadline_rules",
    "reviews.migrations.0004_seed_ofsted_elements",
]


def ensure_reference_data() -> None:
    """A flush empties every table at once, so one probe tells whether the seeds must run again."""
    if apps.get_model("scr_portal", "DeadlineRule").objects.filter(code="imr-author-named").exists():
        return
    for module_name in SEEDS:
        importlib.import_module(module_name).seed(apps, None)
