from django.apps import AppConfig


class ScrPortalConfig(AppConfig):
    name = "scr_portal"
    verbose_name = "Boards and people"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import checks, framework_data  # noqa: F401 — registers the start-up check

        framework_data.register()
        from . import pagecache

        pagecache.install()
        from allauth.account.signals import password_reset
        from django.db.models.signals import post_migrate

        from .adapters import email_verified_by_reset

        password_reset.connect(email_verified_by_reset, dispatch_uid="scr_portal_email_verified_by_reset")

        from django.contrib.auth.signals import user_logged_in

        from .middleware import idle_clock_started

        user_logged_in.connect(idle_clock_started, dispatch_uid="scr_portal_idle_clock_started")

        from .audit.requests import key_people_named
        from .models import CaseKeyPerson, Deadline, GeneratedDocument, InformationRequest
        from .records import CaseRecord, register, register_personal_data
        from .reference_data import register_seed_migration

        # The kernel's own case records; the apps register theirs (scr_portal/records.py).
        register(
            CaseRecord(
                kind="deadline",
                model=Deadline,
                url_prefix="deadline_",
                route="deadlines/<int:pk>/",
                reference="case_reference",
            ),
            CaseRecord(
                kind="document",
                model=GeneratedDocument,
                url_prefix="document_",
                route="documents/<int:pk>/",
                reference="title",
            ),
            # A key person of a case's anonymisation key (real name, pseudonym); logged by pseudonym.
            CaseRecord(
                kind="key_person",
                model=CaseKeyPerson,
                url_prefix="case_key_person_",
                route="anonymisation-key/<int:pk>/",
                reference="pseudonym",
            ),
            # A subject access or FOI request and its export (the personal data of the cases it concerns).
            CaseRecord(
                kind="information_request",
                model=InformationRequest,
                url_prefix="information_request_",
                url_kwarg="request_pk",
                reference="kind",
            ),
        )
        register_personal_data(key_people_named, order=30)
        register_seed_migration("scr_portal.migrations.0003_seed_deadline_rules")
        register_seed_migration("scr_portal.migrations.0010_seed_deadline_closing")
        register_seed_migration("scr_portal.migrations.0017_england_rules_partner_lead")
        # After every migration, the runtime database role gets exactly its grants (scr_portal/db_roles.py).
        from .db_roles import grant_after_migrate

        post_migrate.connect(grant_after_migrate, sender=self, dispatch_uid="scr_portal.grant_after_migrate")
        # Search folds accents and case in the database; SQLite gets the Python fold (scr_portal/folding.py).
        from django.db.backends.signals import connection_created

        from .folding import register_sqlite_fold

        connection_created.connect(register_sqlite_fold, dispatch_uid="scr_portal.sqlite_fold")
