"""Helpers every reviews service shares: the clock, row locks, the transition log, the board's people,
and short notices sent after commit."""

import datetime as dt
from collections.abc import Iterable

from django.utils import timezone

from scr_portal.models import Board, Role, User
from scr_portal.notify import notify_on_commit
from scr_portal.services import transition_log_write

from ..models import Review

CANNOT_NOW = "That cannot be done at this stage of the review."
REVIEW_CLOSED = "The review is closed."


def now_or(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


def locked(review: Review) -> Review:
    """The review row, locked for the rest of the transaction: two people acting at once are serialised
    and the second sees the state the first left."""
    return Review.objects.select_for_update().select_related("board").get(pk=review.pk)


def log(review: Review, transition: str, previous: str, actor, reason: str = "", *, to_state=None) -> None:
    transition_log_write(
        board=review.board,
        subject=review,
        transition=transition,
        from_state=previous,
        to_state=review.state if to_state is None else to_state,
        actor=actor,
        reason=reason,
    )


def board_people(board: Board, roles: Iterable[str]) -> list[User]:
    return list(
        User.objects.filter(
            memberships__board=board, memberships__role__in=list(roles), is_active=True
        ).distinct()
    )


def business_unit(board: Board) -> list[User]:
    return board_people(board, [Role.BUSINESS_MANAGER, Role.BUSINESS_SUPPORT])


def lscb_chairs(board: Board) -> list[User]:
    return board_people(board, [Role.LSCB_CHAIR])


def notify(users, review: Review, subject: str, body: str) -> None:
    """A notice with the review's reference and a link, never a name (domain brief §8 item 3)."""
    notify_on_commit(
        users, subject=f"[{review.reference}] {subject}", body=body, path=f"/reviews/{review.pk}/"
    )
