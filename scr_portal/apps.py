from django.apps import AppConfig


class ScrPortalConfig(AppConfig):
    name = "scr_portal"
    verbose_name = "Boards and people"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from .audit.requests import key_people_named
        from .models import Deadline, GeneratedDocument
        from .records import CaseRecord, register, register_personal_data
        from .reference_data import register_seed_migration

        # The kernel's own case records; the apps register theirs (scr_portal/records.py).
        register(
            CaseRecord(kind="deadline", model=Deadline, url_prefix="deadline_", reference="case_reference"),
            CaseRecord(kind="document", model=GeneratedDocument, url_prefix="document_", reference="title"),
        )
        register_personal_data(key_people_named, order=30)
        register_seed_migration("scr_portal.migrations.0003_seed_deadline_rules")
