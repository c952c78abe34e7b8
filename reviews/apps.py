from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "Reviews"

    def ready(self) -> None:
        from scr_portal.clock.recipients import register_panel_chair_resolver

        from . import records
        from .recipients import panel_chairs_of_deadlines

        register_panel_chair_resolver(panel_chairs_of_deadlines)
        records.register()
