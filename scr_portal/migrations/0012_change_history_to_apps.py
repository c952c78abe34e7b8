"""Each app now owns the change history of its own models (issue 18): referrals 0003, reviews 0008 and
imr 0004 created the event models in their apps, in Django's state only, on the tables created here in
0006. This migration removes them from the kernel's state, again without touching the database: the
tables keep their names and rows, and the triggers on the tracked tables go on writing to them. The kernel's
own event models only name the table they always had.

The content types of the moved models are relabelled (same ids), so no stale `scr_portal` content type or
permission is left behind and any reference to them stays valid."""

from django.db import migrations

MOVED = {
    "referrals": [
        "AgencyCheckEvent",
        "ChronologyEventEvent",
        "DecisionEvent",
        "ExternalNotificationEvent",
        "FamilyMemberEvent",
        "InvolvedAgencyEvent",
        "ReferralEvent",
        "ScreeningMeetingEvent",
    ],
    "reviews": [
        "AdoptionEvent",
        "AuthorConfirmationEvent",
        "ConflictDeclarationEvent",
        "FamilyInvolvementEvent",
        "MeetingEvent",
        "PanelMembershipEvent",
        "ParallelProcessEvent",
        "PublicationEvent",
        "ReportVersionEvent",
        "ReviewEvent",
        "ToRConsultationEvent",
        "ToRVersionEvent",
    ],
    "imr": [
        "ActionPlanActionEvent",
        "ActionPlanRecommendationEvent",
        "AppendixEvent",
        "ChronologyEntryEvent",
        "FurtherInformationRequestEvent",
        "GenogramPersonEvent",
        "GenogramRelationshipEvent",
        "IMREvent",
        "InterviewEvent",
        "QualityAssuranceEvent",
        "SignOffEvent",
    ],
}
KERNEL_EVENTS = ["CaseKeyPerson", "Deadline", "DeadlineExtension", "GeneratedDocument", "StoredFile"]


def _relabel(apps, *, backwards: bool) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    for app_label, names in MOVED.items():
        old, new = ("scr_portal", app_label) if not backwards else (app_label, "scr_portal")
        for name in names:
            model = name.lower()
            if not ContentType.objects.filter(app_label=new, model=model).exists():
                ContentType.objects.filter(app_label=old, model=model).update(app_label=new)


def relabel(apps, schema_editor):
    _relabel(apps, backwards=False)


def relabel_back(apps, schema_editor):
    _relabel(apps, backwards=True)


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("scr_portal", "0011_publication_event_override"),
        ("referrals", "0004_change_history_events"),
        ("reviews", "0009_change_history_events"),
        ("imr", "0005_change_history_events"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                *(
                    migrations.AlterModelTable(name=f"{name}Event", table=f"scr_portal_{name.lower()}event")
                    for name in KERNEL_EVENTS
                ),
                *(migrations.DeleteModel(name=name) for names in MOVED.values() for name in names),
            ],
            database_operations=[],
        ),
        migrations.RunPython(relabel, relabel_back),
    ]
