"""Change-history tracking (django-pghistory triggers), written once for every app: each models module
calls `track_changes()` on its own models at its end (docs/adr/0005-change-history-and-access-log.md)."""

import pghistory
from django.apps import apps

EVENT_MODEL_LABELS: dict[type, str] = {}


def track_changes(*tracked: type) -> None:
    """Insert, update and delete events of each model, as `<Model>Event` in the model's own app."""
    for model in tracked:
        app_label, name = model._meta.app_label, f"{model.__name__}Event"
        EVENT_MODEL_LABELS[model] = f"{app_label}.{name}"
        pghistory.track(
            pghistory.InsertEvent(),
            pghistory.UpdateEvent(),
            pghistory.DeleteEvent(),
            app_label=app_label,
            model_name=name,
            # One name for every event table, `scr_portal_<model>event`: the tables were created when the
            # event models all lived in the kernel, and the models moved to their apps in state only.
            meta={"db_table": f"scr_portal_{name.lower()}"},
        )(model)


def event_models() -> dict[type, type]:
    """Tracked model → its event model."""
    return {model: apps.get_model(label) for model, label in EVENT_MODEL_LABELS.items()}
