"""Seed the deadline rules of the domain brief §5 (the timescales table). Each row keeps its number in that
table and the guidance it comes from. Boards change amounts in their settings, not here."""

from django.db import migrations

S000 = "Cambridgeshire & Peterborough SCB, Notification of a SCR Process (seed 000)"
S001 = "DCSF response on Working Together chapter 8 (seed 001)"
S002 = "Solihull LSCB SCR Practice Guidance (seed 002)"

# code, number, name, trigger, amount, unit, responsible, statutory, warn_only, per_case, kind, reminders, source
RULES = [
    ("referral-part1", 1, "Part 1 of the referral completed", "Critical incident", 72, "hours",
     "Referring officer", False, True, False, "referral", False, f"{S002}, App 1"),
    ("agency-letters", 4, "Notice of the referral sent to agencies (App 2 letter)", "Referral received", 1,
     "working_days", "LSCB Chair / business unit", False, False, False, "referral", True, f"{S002}, §5.1.1"),
    ("agency-reply", 5, "Agency confirms involvement or sends a nil return", "App 2 letter sent", 3,
     "working_days", "Agency", False, False, False, "agency_check", True, f"{S002}, App 2"),
    ("incident-notice", 6, "Incident notified to Ofsted and the DfE", "Referral received", 7, "calendar_days",
     "Business unit", False, False, False, "referral", True, f"{S002}, §1.6.2"),
    ("screening", 7, "Sub-committee screening meeting held", "Referral received", 3, "weeks",
     "Business unit / sub-committee chair", False, False, False, "referral", True, f"{S000}, §2"),
    ("decision", 8, "LSCB Chair's decision on holding a review", "Referral reaches the Chair", 1,
     "calendar_months", "LSCB Chair", True, False, False, "referral", True,
     f"{S000}, §2; {S002}, §1.6.3, §7.1.2, App 2"),
    ("post-decision", 9, "Post-decision tasks (notifications, chief officer letters, records secured)",
     "Decision to hold a review", 3, "working_days", "Business unit / named panel member", False, False, False,
     "review", True, f"{S000}, §5"),
    ("tor-and-imr-letters", 10, "Terms of reference and IMR request letters sent; family notified",
     "Referral received", 4, "weeks", "Panel / LSCB Chair", False, False, False, "review", True,
     f"{S002}, §1.6.4"),
    ("authors-briefing", 12, "Authors' briefing held", "Decision to hold a review", 7, "calendar_days",
     "Panel chair / business unit", False, False, False, "review", True, f"{S000}, §8; {S002}, §1.6.5"),
    ("chronology-collated", 13, "IMR author collates the chronology", "Author nominated", 7, "calendar_days",
     "IMR author", False, False, False, "imr", True, f"{S000}, §8"),
    ("imr-completed", 15, "IMR completed and submitted", "IMR commissioned", 1, "calendar_months",
     "IMR author / agency", False, False, False, "imr", True, f"{S000}, §8"),
    ("interview-notice", 16, "Interview notice period ends (earliest interview date)", "Interview invitation",
     2, "weeks", "IMR author", False, False, False, "interview", False, f"{S002}, §11.1.3–11.1.4"),
    ("imr-circulation", 18, "IMRs circulated to the panel, chair and overview author",
     "Presentation meeting date", -2, "weeks", "Business unit", False, False, False, "review", True,
     f"{S002}, §12.1.1"),
    ("further-information", 19, "Further information after the presentation", "Panel request", 14,
     "calendar_days", "Agency", False, False, True, "imr", True, f"{S002}, App 14 §9.5"),
    ("review-completion", 22, "Review completed and submitted to Ofsted", "Decision to hold a review", 6,
     "calendar_months", "LSCB / panel", True, False, False, "review", True,
     f"{S000}, §5; {S002}, §1.6.8, §7.1.3; {S001}, ¶3.2"),
    ("progress-report", 24, "Monthly progress report to the LSCB Chair", "Review opened", 1, "calendar_months",
     "Named panel member", False, False, False, "review", True, f"{S002}, §4.1.2"),
    ("published-summary", 27, "Published summary sent to Ofsted; publication date to Ofsted and the DfE",
     "Ofsted evaluation letter received", 1, "calendar_months", "LSCB / business unit", False, False, False,
     "review", True, f"{S002}, §13.3.7"),
    ("retention", 29, "Retention period ends: destruction to be approved", "Review closed (or decision, where "
     "no review was held)", 84, "calendar_months", "Business manager", False, False, False, "review", False,
     f"{S002}, §15.1.5; domain brief, decisions on retention"),
    ("action", 30, "Action in the plan completed", "Action plan agreed", 3, "calendar_months", "Action owner",
     False, False, True, "action", True, f"{S002}, App 13"),
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
    dependencies = [("scr_portal", "0002_statutory_clock")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
