"""The screening criteria fully as data (issue 20): the rules that turn the answers into advice, for the SCR
criteria of version 1 (the same outcomes and reasons the portal computed in code before), and the England
2023 criteria (domain brief §10; Working Together 2023, chapter 5). `referrals.criteria` evaluates them."""

from django.db import migrations, models

CONSIDER = ["C1", "C2", "C3", "C4", "C5"]
HELPERS = [f"H{number}" for number in range(1, 12)]

SCR_RULES = [
    {
        "advice": "must_review_custody",
        "all": ["A1"],
        "reason": "A1: the child died in custody or detention, which is always reviewed (Cambridgeshire §4).",
    },
    {
        "advice": "must_review",
        "all": ["ABUSE"],
        "any": ["M1", "M2"],
        "reason_each": {
            "M1": "M1 with abuse or neglect known or suspected: the child died (Cambridgeshire §4).",
            "M2": "M2 with abuse or neglect known or suspected: serious harm and concerns about how agencies "
            "worked together (Cambridgeshire §4).",
        },
    },
    {
        "advice": "consider",
        "all": ["G"],
        "any": CONSIDER,
        "reason": "{met} with G: the case raises concerns about how services worked together "
        "(Cambridgeshire §4 items 4–8).",
    },
    {
        "advice": "below_threshold",
        "any": ["M1", "M2"],
        "none": ["ABUSE"],
        "reason": "M1 or M2 applies, but abuse or neglect is not known or suspected.",
    },
    {
        "advice": "below_threshold",
        "any": CONSIDER,
        "reason": "A 'consider' criterion applies, but not the gate G on working together.",
    },
    {"advice": "below_threshold", "reason": "None of the mandatory or 'consider' criteria applies."},
]
SCR_NOTES = [
    {
        "any": HELPERS,
        "reason": "{met} answered yes: a review would be likely to yield useful lessons (Solihull §1.4.1).",
    },
]

WT2023 = "Working Together 2023, chapter 5"
BRIEF = "domain brief §10"
ENGLAND_QUESTIONS = [
    ("ABUSE", "abuse", "Is abuse or neglect of the child known or suspected?", f"{WT2023}; {BRIEF}"),
    ("S1", "serious", "Has the child died?", f"{WT2023}; {BRIEF}"),
    ("S2", "serious", "Has the child been seriously harmed?", f"{WT2023}; {BRIEF}"),
    (
        "L1",
        "local_review",
        "Could a review show what needs to improve to keep children safe and promote "
        "their welfare, including improvements found before but not yet made?",
        WT2023,
    ),
    (
        "L2",
        "local_review",
        "Does the case show, or might it show, themes that keep recurring in how "
        "children are safeguarded here?",
        WT2023,
    ),
    (
        "L3",
        "local_review",
        "Are there concerns about how two or more organisations or agencies worked "
        "together to keep the child safe?",
        WT2023,
    ),
    ("L4", "local_review", "Are there concerns about what one agency did, or did not do?", WT2023),
    (
        "L5",
        "local_review",
        "Did no agency know the child or family, and does that itself give the partners cause for concern?",
        WT2023,
    ),
    (
        "L6",
        "local_review",
        "Is more than one local authority, police force or integrated care board involved?",
        WT2023,
    ),
    (
        "L7",
        "local_review",
        "Did the harm happen in an institution, such as a school, children's home or secure setting?",
        WT2023,
    ),
]
ENGLAND_RULES = [
    {
        "advice": "notify_panel",
        "all": ["ABUSE"],
        "any": ["S1", "S2"],
        "reason_each": {
            "S1": "S1 with abuse or neglect known or suspected: the child died, so this is a serious child "
            f"safeguarding case to notify to the Panel ({BRIEF}).",
            "S2": "S2 with abuse or neglect known or suspected: the child was seriously harmed, so this is a "
            f"serious child safeguarding case to notify to the Panel ({BRIEF}).",
        },
    },
    {
        "advice": "below_threshold",
        "any": ["S1", "S2"],
        "none": ["ABUSE"],
        "reason": "S1 or S2 applies, but abuse or neglect is not known or suspected: not a serious child "
        "safeguarding case.",
    },
    {
        "advice": "below_threshold",
        "reason": f"The child neither died nor was seriously harmed: not a serious child safeguarding case ({BRIEF}).",
    },
]
ENGLAND_NOTES = [
    {
        "any": ["L1", "L2", "L3", "L4", "L5", "L6", "L7"],
        "reason": "{met} answered yes: the partners may find a local child safeguarding practice review "
        f"appropriate ({WT2023}).",
    },
]


def seed(apps, schema_editor):
    Framework = apps.get_model("referrals", "CriteriaFramework")
    Question = apps.get_model("referrals", "CriterionQuestion")
    Framework.objects.filter(code="scr-wt2015", version=1).update(rules=SCR_RULES, notes=SCR_NOTES)
    england, _ = Framework.objects.update_or_create(
        code="england-2023",
        version=1,
        defaults={
            "name": "Serious child safeguarding case criteria (England, Working Together 2023)",
            "rules": ENGLAND_RULES,
            "notes": ENGLAND_NOTES,
        },
    )
    for order, (code, group, text, source) in enumerate(ENGLAND_QUESTIONS, start=1):
        Question.objects.update_or_create(
            framework=england,
            code=code,
            defaults={"group": group, "text": text, "source": source, "order": order},
        )


class Migration(migrations.Migration):
    dependencies = [
        ("referrals", "0006_review_framework"),
    ]

    operations = [
        migrations.AddField(
            model_name="criteriaframework",
            name="notes",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text="Reasons added whenever they hold.",
            ),
        ),
        migrations.AddField(
            model_name="criteriaframework",
            name="rules",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text="Ordered: the first that holds gives the advice.",
            ),
        ),
        migrations.AlterField(
            model_name="criterionquestion",
            name="group",
            field=models.CharField(
                choices=[
                    ("abuse", "Abuse or neglect"),
                    ("mandatory", "Mandatory review"),
                    ("custody", "Always reviewed (custody)"),
                    ("consider", "Consider a review"),
                    ("gate", "Working together"),
                    ("helper", "Would a review yield lessons?"),
                    ("serious", "Serious child safeguarding case"),
                    ("local_review", "Would a local review be appropriate?"),
                ],
                max_length=20,
            ),
        ),
        migrations.AlterField(
            model_name="referral",
            name="advice",
            field=models.CharField(
                blank=True,
                choices=[
                    ("must_review", "Must review"),
                    ("must_review_custody", "Must review (death in custody)"),
                    ("consider", "Consider a review"),
                    ("below_threshold", "Below the threshold"),
                    ("notify_panel", "Serious child safeguarding case: notify the Panel"),
                ],
                max_length=30,
            ),
        ),
        migrations.AlterField(
            model_name="referralevent",
            name="advice",
            field=models.CharField(
                blank=True,
                choices=[
                    ("must_review", "Must review"),
                    ("must_review_custody", "Must review (death in custody)"),
                    ("consider", "Consider a review"),
                    ("below_threshold", "Below the threshold"),
                    ("notify_panel", "Serious child safeguarding case: notify the Panel"),
                ],
                max_length=30,
            ),
        ),
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
