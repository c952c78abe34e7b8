"""Change-history tracking (django-pghistory triggers), written once for every app: each models module
calls `track_changes()` on its own models at its end (docs/adr/0005-change-history-and-access-log.md)."""

import pghistory
from django.apps import apps

EVENT_MODEL_NAMES: dict[type, str] = {}


def track_changes(*tracked: type) -> None:
    """Insert, update and delete events of each model, as `<Model>Event` in the scr_portal app."""
    for model in tracked:
        name = f"{model.__name__}Event"
        EVENT_MODEL_NAMES[model] = name
        pghistory.track(
            pghistory.InsertEvent(),
            pghistory.UpdateEvent(),
            pghistory.DeleteEvent(),
            app_label="scr_portal",
            model_name=name,
        )(model)


def event_models() -> dict[type, type]:
    """Tracked model → its event model."""
    return {model: apps.get_model("scr_portal", name) for model, name in EVENT_MODEL_NAMES.items()}
