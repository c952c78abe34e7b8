"""Seed the elements Ofsted grades a review against (domain brief §6.10): the three headline elements of
Solihull §18.1.1 and the eleven descriptor rows of App 12 (January 2009 descriptors). Editable data: a
board following later descriptors changes them in the admin, not here."""

from django.db import migrations

S002 = "Solihull LSCB SCR Practice Guidance (seed 002)"

# code, name, descriptor, headline
ELEMENTS = [
    ("depth-of-learning", "Depth of learning", f"Headline element. {S002}, §18.1.1", True),
    ("recommendations", "Recommendations and action plan", f"Headline element. {S002}, §18.1.1", True),
    ("review-process", "Review process", f"Headline element. {S002}, §18.1.1", True),
    ("timescales", "Timescales",
     "Extensions timely and agreed in writing; inadequate if outside the guidance without agreement.", False),
    ("scope", "Scope", "The decision to hold the review was appropriate; the terms of reference were clear.",
     False),
    ("agency-contribution", "Contribution of agencies", "", False),
    ("independence", "Independent element",
     "The author was not on the panel; expert or legal advice was available; IMR authors were outside the "
     "line management.", False),
    ("family-involvement", "Family involvement",
     "Including cultural and linguistic needs; reasons recorded if the family was not involved.", False),
    ("parallel-investigations", "Links to parallel investigations", "", False),
    ("imrs", "IMRs", "Completeness, critical analysis, measurable recommendations.", False),
    ("overview-report", "Overview report",
     "Pulls the IMRs together; genogram and chronology; child focus; evidence; use of hindsight and research.",
     False),
    ("lessons-learned", "Lessons learned", "", False),
    ("action-plan", "Action plan", "SMART, with leads and targets and LSCB monitoring.", False),
    ("executive-summary", "Executive summary",
     "Succinct, anonymised, publication arranged, shared with the family.", False),
]


def seed(apps, schema_editor):
    OfstedElement = apps.get_model("reviews", "OfstedElement")
    for position, (code, name, descriptor, headline) in enumerate(ELEMENTS, start=1):
        OfstedElement.objects.update_or_create(
            code=code,
            defaults={"name": name, "descriptor": descriptor, "headline": headline, "position": position},
        )


class Migration(migrations.Migration):
    dependencies = [("reviews", "0003_review_life")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
