"""Deadline rules the IMR workflow needs beyond those of the domain brief §5 table: the author named by the
date in the commissioning letter (#14, date set per case), and the new date the panel sets when it returns
an IMR for rework (Solihull App 14 §4.5, set per case). Boards change amounts in their settings."""

from django.db import migrations

S002 = "Solihull LSCB SCR Practice Guidance (seed 002)"

# code, number, name, trigger, amount, unit, responsible, statutory, warn_only, per_case, kind, reminders, source
RULES = [
    ("imr-author-named", 14, "IMR author named by the agency", "IMR commissioning letter (App 5)", 7,
     "calendar_days", "Chief officer / designated representative", False, False, True, "imr", True,
     f"{S002}, App 5; §10.1.4"),
    ("imr-rework", 15, "IMR reworked and submitted again", "Panel returns the IMR for rework", 14,
     "calendar_days", "IMR author / agency", False, False, True, "imr", True, f"{S002}, App 14 §4.5"),
]


def seed(apps, schema_editor):
    DeadlineRule = apps.get_model("scr_portal", "DeadlineRule")
    for (code, number, name, trigger, amount, unit, responsible, statutory, warn_only, per_case, kind,
         reminders, source) in RULES:
        DeadlineRule.objects.update_or_create(
            code=code,
            defaults={
                "number": number, "name": name, "trigger_event": trigger, "amount": amount, "unit": unit,
                "responsible": responsible, "statutory": statutory, "warn_only": warn_only,
                "due_set_per_case": per_case, "subject_kind": kind, "reminders": reminders, "source": source,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("imr", "0002_imr_workspace"), ("scr_portal", "0003_seed_deadline_rules")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
