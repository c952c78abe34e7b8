"""Reads for the deadline pages: rows ready to show, with RAG and the due date in words, in a number of
queries that does not depend on how many deadlines there are."""

import datetime as dt
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction
from django.db.models import Min, Prefetch, Q, QuerySet
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from scr_portal.models import BoardClosureDay, Deadline, SentReminder, User
from scr_portal.models.clock import ACTIVE_STATUSES, DeliveryStatus

from ..viewhelpers import TemplateRow
from . import schedule as sched

RAG_LABELS = {"red": "Overdue", "amber": "Due soon", "green": "On track", "closed": "Closed"}
RAG_TAGS = {
    "red": "govuk-tag--red",
    "amber": "govuk-tag--yellow",
    "green": "govuk-tag--green",
    "closed": "govuk-tag--grey",
}


@dataclass(frozen=True)
class DeadlineRow(TemplateRow):
    deadline: Deadline
    rag: str
    rag_label: str
    rag_tag: str
    due_text: str
    due_day_note: str = ""


CLOSURES_CACHE_SECONDS = 600


def _closures_key(board_id: int) -> str:
    return f"board-closures:{board_id}"


def closures_by_board(board_ids) -> dict[int, tuple[dt.date, ...]]:
    """Each board's closure days, from the shared cache (Redis in production) where they are there: every
    deadline list needs them and they change a few times a year. `forget_closures` drops a board's entry
    when its closure days change."""
    board_ids = set(board_ids)
    cached = cache.get_many([_closures_key(board_id) for board_id in board_ids])
    found = {
        board_id: cached[_closures_key(board_id)]
        for board_id in board_ids
        if _closures_key(board_id) in cached
    }
    missing = board_ids - found.keys()
    if missing:
        fetched: dict[int, list[dt.date]] = {board_id: [] for board_id in missing}
        for board_id, day in BoardClosureDay.objects.filter(board_id__in=missing).values_list(
            "board_id", "day"
        ):
            fetched[board_id].append(day)
        loaded = {board_id: tuple(sorted(days)) for board_id, days in fetched.items()}
        cache.set_many(
            {_closures_key(board_id): days for board_id, days in loaded.items()}, CLOSURES_CACHE_SECONDS
        )
        found.update(loaded)
    return found


@receiver([post_save, post_delete], sender=BoardClosureDay)
def forget_closures(sender, instance: BoardClosureDay, **kwargs) -> None:
    """Drop the cached closure days of a board when one is added, changed or removed (whichever page or
    the admin did it): at once, and again once the change is committed."""
    key = _closures_key(instance.board_id)
    cache.delete(key)  # this transaction reads the change from here on
    transaction.on_commit(lambda: cache.delete(key))  # and one read meanwhile may have cached the old days


def with_people(deadlines: QuerySet[Deadline]) -> QuerySet[Deadline]:
    return deadlines.select_related("board", "rule").prefetch_related(
        Prefetch("responsible_users", queryset=User.objects.only("id", "full_name", "email"))
    )


def deadline_rows(deadlines, *, today: dt.date) -> list[DeadlineRow]:
    deadlines = list(deadlines)
    closures = closures_by_board(d.board_id for d in deadlines)
    rows = []
    for deadline in deadlines:
        board_closures = closures.get(deadline.board_id, ())
        rag = sched.rag_status(
            due_date=deadline.due_date,
            status=deadline.status,
            today=today,
            nation=deadline.board.nation,
            closures=board_closures,
        )
        rows.append(
            DeadlineRow(
                deadline=deadline,
                rag=rag,
                rag_label=RAG_LABELS[rag],
                rag_tag=RAG_TAGS[rag],
                due_text=sched.describe_due(
                    due_date=deadline.due_date,
                    today=today,
                    nation=deadline.board.nation,
                    closures=board_closures,
                ),
                due_day_note=sched.due_day_note(
                    deadline.due_date, nation=deadline.board.nation, closures=board_closures
                ),
            )
        )
    return rows


def case_deadline_rows(deadlines: QuerySet[Deadline], *, board, today: dt.date) -> list[DeadlineRow]:
    """`deadline_rows` of one case's deadlines, whose board the case page has already loaded: each deadline
    of `board` is given it rather than joining it again (the join costs the ORM more than the rows)."""
    deadlines = list(deadlines.select_related(None).select_related("rule"))
    for deadline in deadlines:
        if deadline.board_id == board.pk:
            deadline.board = board
    return deadline_rows(deadlines, today=today)


def filter_deadlines(
    deadlines: QuerySet[Deadline],
    *,
    kind: str = "",
    case: str = "",
    responsible: User | None = None,
    statutory_only: bool = False,
    include_closed: bool = False,
) -> QuerySet[Deadline]:
    if not include_closed:
        deadlines = deadlines.filter(status__in=ACTIVE_STATUSES)
    if kind:
        deadlines = deadlines.filter(kind=kind)
    if case:
        deadlines = deadlines.filter(case_reference__icontains=case.strip())
    if responsible is not None:
        deadlines = deadlines.filter(responsible_users=responsible)
    if statutory_only:
        deadlines = deadlines.filter(statutory=True)
    return deadlines.order_by("due_at", "pk")


def my_open_deadlines(user, *, board) -> QuerySet[Deadline]:
    if board is None:
        return Deadline.objects.none()
    return with_people(
        Deadline.objects.filter(board=board, responsible_users=user, status__in=ACTIVE_STATUSES)
    ).order_by("due_at", "pk")


def my_soonest_deadlines(user, *, board, limit: int) -> QuerySet[Deadline]:
    """The first `limit` of `my_open_deadlines`, chosen before the rule and the board are joined: joined
    first, PostgreSQL reads the rule of every open deadline of the user's to sort them (the home page)."""
    soonest = my_open_deadlines(user, board=board).values("pk")[:limit]
    return with_people(Deadline.objects.filter(pk__in=soonest)).order_by("due_at", "pk")


def next_fall_due(user, *, board_ids, after: dt.datetime, before: dt.datetime) -> dt.datetime | None:
    """The first moment in (after, before) at which an open deadline of `board_ids`, or one `user` answers
    for, falls due: a deadline turns overdue at its due time, not at midnight (Deadline.is_past_due)."""
    mine = Q(responsible_users=user)
    return (
        Deadline.objects.filter(Q(board_id__in=board_ids) | mine if board_ids else mine)
        .filter(status__in=ACTIVE_STATUSES, due_at__gt=after, due_at__lt=before)
        .aggregate(next_due=Min("due_at"))["next_due"]
    )


def undelivered_reminders(board) -> QuerySet[SentReminder]:
    return (
        SentReminder.objects.filter(board=board, status=DeliveryStatus.FAILED)
        .select_related("deadline", "step", "recipient")
        .order_by("-next_attempt_at", "-pk")
    )
