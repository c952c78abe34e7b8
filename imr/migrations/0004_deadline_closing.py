"""Issue 15: the IMR workflow's own rules say how they close (both by their event; see
scr_portal/migrations/0010_seed_deadline_closing.py)."""

from django.db import migrations

CLOSING = {
    "imr-author-named": ("event", "the agency names the author (or records a nil return)",
                         "The chief officer or designated representative names the author by the date in the "
                         "App 5 letter (Solihull App 5, §10.1.4)."),
    "imr-rework": ("event", "the reworked IMR is submitted again",
                   "The panel sets the date when it returns an IMR for rework (Solihull App 14 §4.5)."),
}


def seed(apps, schema_editor):
    DeadlineRule = apps.get_model("scr_portal", "DeadlineRule")
    for code, (closing, event, description) in CLOSING.items():
        DeadlineRule.objects.filter(code=code).update(
            closing=closing, closing_event=event, description=description
        )


class Migration(migrations.Migration):
    dependencies = [("imr", "0003_seed_deadline_rules"), ("scr_portal", "0010_seed_deadline_closing")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
