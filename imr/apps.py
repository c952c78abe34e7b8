from django.apps import AppConfig


class ImrConfig(AppConfig):
    name = "imr"
    verbose_name = "Individual management reviews"

    def ready(self) -> None:
        from reviews import agency_reports

        from . import records
        from .selectors import review_agency_reports

        agency_reports.register(review_agency_reports())
        records.register()
