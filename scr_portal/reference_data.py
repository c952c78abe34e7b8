"""Reference data every installation needs (deadline rules, screening criteria). The data migrations
seed it; this puts it back after something emptied the tables (a test that flushes the database, a
restored partial dump), using the migrations' own data so there is one source."""

import importlib

from django.apps import apps

SEEDS = [
    ("scr_portal.migrations.0003_seed_deadline_rules", "scr_portal", "DeadlineRule"),
    ("referrals.migrations.0002_seed_criteria", "referrals", "CriterionQuestion"),
]


def ensure_reference_data() -> None:
    for module_name, app_label, model_name in SEEDS:
        if not apps.get_model(app_label, model_name).objects.exists():
            importlib.import_module(module_name).seed(apps, None)
