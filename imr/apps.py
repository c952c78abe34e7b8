from django.apps import AppConfig


class ImrConfig(AppConfig):
    name = "imr"
    verbose_name = "Individual management reviews"

    def ready(self) -> None:
        from . import records

        records.register()
