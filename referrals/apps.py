from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "referrals"
    verbose_name = "Referrals"

    def ready(self) -> None:
        from scr_portal.reference_data import register_seed_migration

        from . import frameworks, records

        records.register()
        frameworks.register()
        register_seed_migration("referrals.migrations.0002_seed_criteria")
