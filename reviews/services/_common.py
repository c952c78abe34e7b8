"""Helpers every reviews service shares: the clock, the review's row lock, the board's people, and short
notices sent after commit. The transition recipe itself is the kernel's (scr_portal.transitions)."""

import datetime as dt
from collections.abc import Iterable

from django.utils import timezone

from scr_portal.models import Board, Role, User
from scr_portal.notify import notify_on_commit
from scr_portal.transitions import lock

from ..models import Review

CANNOT_NOW = "That cannot be done at this stage of the review."
REVIEW_CLOSED = "The review is closed."


def now_or(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


def locked(review: Review) -> Review:
    """The review row, locked for the rest of the transaction: two people acting at once are serialised
    and the second sees the state the first left."""
    return lock(review, "board")


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
