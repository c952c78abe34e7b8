from django.apps import AppConfig


class ImrConfig(AppConfig):
    name = "imr"
    verbose_name = "Individual management reviews"

    def ready(self) -> None:
        from reviews import agency_reports
        from reviews.access_end import register_access_ender
        from scr_portal.reference_data import register_seed_migration
        from scr_portal.selectors import register_case_boards

        from . import records
        from .access import authored_boards, end_authors_access
        from .selectors import review_agency_reports

        agency_reports.register(review_agency_reports())
        records.register()
        register_case_boards(authored_boards)
        register_access_ender(end_authors_access)
        register_seed_migration("imr.migrations.0003_seed_deadline_rules")
        register_seed_migration("imr.migrations.0004_deadline_closing")
