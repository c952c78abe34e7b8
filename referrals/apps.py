from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "referrals"
    verbose_name = "Referrals"

    def ready(self) -> None:
        from scr_portal.reference_data import register_seed_migration

        from . import checks, frameworks, records  # noqa: F401 — checks registers the start-up check

        records.register()
        frameworks.register()
        register_seed_migration("referrals.migrations.0002_seed_criteria")
        register_seed_migration("referrals.migrations.0007_criteria_rules")
