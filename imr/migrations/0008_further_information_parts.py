"""A request for further information names the parts of the IMR it reopens (issue 16 clause 2). Requests
made before reopened the whole IMR: they are given every part, so an open one keeps what it allowed."""

import django_fsm
from django.db import migrations, models

# imr.parts.ALL_PARTS when this migration was written.
EVERY_PART = [
    "context",
    "methodology",
    "facts",
    "analysis",
    "lessons",
    "recommendations",
    "report",
    "appendices",
    "chronology",
    "genogram",
    "interviews",
    "action_plan",
]


def every_part_for_earlier_requests(apps, schema_editor):
    apps.get_model("imr", "FurtherInformationRequest").objects.update(parts=EVERY_PART)


class Migration(migrations.Migration):

    dependencies = [
        ('imr', '0007_head_of_agency_sign_off'),
    ]

    operations = [
        migrations.AddField(
            model_name='furtherinformationrequest',
            name='parts',
            field=models.JSONField(default=list, help_text='The parts of the IMR reopened (imr.parts slugs).'),
        ),
        migrations.AddField(
            model_name='furtherinformationrequestevent',
            name='parts',
            field=models.JSONField(default=list, help_text='The parts of the IMR reopened (imr.parts slugs).'),
        ),
        migrations.RunPython(every_part_for_earlier_requests, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='imr',
            name='state',
            field=django_fsm.FSMField(choices=[('requested', 'Requested'), ('nil_return', 'Nil return'), ('author_nominated', 'Author nominated'), ('in_preparation', 'In preparation'), ('factual_check', 'Factual check'), ('agency_qa', 'Agency quality assurance'), ('author_signed', 'Signed by the author'), ('signed_off', 'Signed off'), ('submitted', 'Submitted'), ('accepted', 'Accepted'), ('returned_for_rework', 'Returned for rework'), ('presented', 'Presented'), ('further_info_requested', 'Further information requested'), ('further_info_provided', 'Further information added: to be signed'), ('further_info_author_signed', 'Further information signed by the author'), ('final', 'Final'), ('cancelled', 'Cancelled')], default='requested', max_length=50, protected=True),
        ),
        migrations.AlterField(
            model_name='imrevent',
            name='state',
            field=django_fsm.FSMField(choices=[('requested', 'Requested'), ('nil_return', 'Nil return'), ('author_nominated', 'Author nominated'), ('in_preparation', 'In preparation'), ('factual_check', 'Factual check'), ('agency_qa', 'Agency quality assurance'), ('author_signed', 'Signed by the author'), ('signed_off', 'Signed off'), ('submitted', 'Submitted'), ('accepted', 'Accepted'), ('returned_for_rework', 'Returned for rework'), ('presented', 'Presented'), ('further_info_requested', 'Further information requested'), ('further_info_provided', 'Further information added: to be signed'), ('further_info_author_signed', 'Further information signed by the author'), ('final', 'Final'), ('cancelled', 'Cancelled')], default='requested', max_length=50, protected=True),
        ),
    ]
