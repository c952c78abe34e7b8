"""The home page's work queue, as every app reports it (issue 19): what a person can do now and what they
wait for, each item with its board, case reference, link and due date from the deadline engine. The apps
build the items from the same permission checks and guards their services use; the site layer gathers
them (portal_site.views.home)."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType

from .clock.selectors import DeadlineRow, deadline_rows
from .models import Deadline
from .models.clock import ACTIVE_STATUSES


@dataclass(frozen=True)
class WorkItem:
    board: str
    reference: str
    what: str
    url: str
    due: DeadlineRow | None = None
    waiting_for: str = ""  # "" when the person can act now; else whom they wait for
    problems: tuple[str, ...] = ()  # what the guard still asks for before the step can be taken

    @property
    def sort_key(self) -> tuple:
        due = self.due.deadline.due_date if self.due else dt.date.max
        return (due, self.board, self.reference, self.what)


def soonest_deadlines(model, ids: Iterable[int], *, today: dt.date) -> dict[int, DeadlineRow]:
    """The soonest open deadline of each object of `model` among `ids`, as rows, in one query (plus the
    boards' closure days, cached)."""
    ids = list(ids)
    if not ids:
        return {}
    found: dict[int, Deadline] = {}
    deadlines = (
        Deadline.objects.filter(
            content_type=ContentType.objects.get_for_model(model),
            object_id__in=ids,
            status__in=ACTIVE_STATUSES,
        )
        .select_related("board", "rule")
        .order_by("due_at", "pk")
    )
    for deadline in deadlines:
        found.setdefault(deadline.object_id, deadline)
    return {row.deadline.object_id: row for row in deadline_rows(found.values(), today=today)}


def ordered(items: Iterable[WorkItem]) -> tuple[list[WorkItem], list[WorkItem]]:
    """(what the person can do now, what they wait for), soonest due first."""
    items = sorted(items, key=lambda item: item.sort_key)
    return [i for i in items if not i.waiting_for], [i for i in items if i.waiting_for]
