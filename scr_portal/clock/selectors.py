"""Reads for the deadline pages: rows ready to show, with RAG and the due date in words, in a number of
queries that does not depend on how many deadlines there are."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from scr_portal.models import BoardClosureDay, Deadline, SentReminder, User
from scr_portal.models.clock import ACTIVE_STATUSES, DeliveryStatus

from . import schedule as sched

RAG_LABELS = {"red": "Overdue", "amber": "Due soon", "green": "On track", "closed": "Closed"}
RAG_TAGS = {
    "red": "govuk-tag--red",
    "amber": "govuk-tag--yellow",
    "green": "govuk-tag--green",
    "closed": "govuk-tag--grey",
}


@dataclass(frozen=True)
class DeadlineRow:
    deadline: Deadline
    rag: str
    rag_label: str
    rag_tag: str
    due_text: str


def closures_by_board(board_ids) -> dict[int, tuple[dt.date, ...]]:
    found: dict[int, list[dt.date]] = {}
    for board_id, day in BoardClosureDay.objects.filter(board_id__in=set(board_ids)).values_list(
        "board_id", "day"
    ):
        found.setdefault(board_id, []).append(day)
    return {board_id: tuple(days) for board_id, days in found.items()}


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
            )
        )
    return rows


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


def undelivered_reminders(board) -> QuerySet[SentReminder]:
    return (
        SentReminder.objects.filter(board=board, status=DeliveryStatus.FAILED)
        .select_related("deadline", "step", "recipient")
        .order_by("-next_attempt_at", "-pk")
    )
