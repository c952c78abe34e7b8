"""Change history of every case record, captured by PostgreSQL triggers (django-pghistory): who, when,
what changed and from which request (the request's user and URL come from pghistory's middleware).
Triggers catch every write, including a queryset's bulk `.update()` and raw SQL, which signals and
`save()` overrides miss (docs/adr/0005-change-history-and-access-log.md).

Each app, the kernel included, tracks its own models with `track_changes()` (scr_portal/models/tracking.py)
at the end of its models module, and owns the event models and their migrations; this module reads the
history through the tracking registry (`event_models()`) and pghistory's `Events`, never by app."""

from dataclasses import dataclass

from pghistory.models import Events

from .models.tracking import event_models  # noqa: F401 — the history's readers find it here


@dataclass
class Change:
    at: object
    what: str
    label: str
    object_id: str
    changes: list[tuple[str, object, object]]
    user: str
    url: str


def history_for(*, kind: str, obj, limit: int = 500) -> list[Change]:
    """The record's own events and those of rows that point at it (family rows, checks, panel, ToR…),
    newest first, with who made each change and from which page."""
    from .models import User

    events = list(Events.objects.references(obj).order_by("-pgh_created_at", "-pgh_id")[:limit])
    user_ids = {(e.pgh_context or {}).get("user") for e in events} - {None}
    names = dict(User.objects.filter(pk__in=user_ids).values_list("pk", "full_name"))
    changes = []
    for event in events:
        context = event.pgh_context or {}
        diff = event.pgh_diff or {}
        if event.pgh_label == "insert":
            diff = {field: [None, value] for field, value in (event.pgh_data or {}).items()}
        changes.append(
            Change(
                at=event.pgh_created_at,
                what=event.pgh_model.split(".")[-1].removesuffix("Event"),
                label=event.pgh_label,
                object_id=event.pgh_obj_id,
                changes=[(field, old, new) for field, (old, new) in sorted(diff.items())],
                user=names.get(context.get("user"), "System (no signed-in user)"),
                url=context.get("url", ""),
            )
        )
    return changes
