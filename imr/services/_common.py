"""Pieces every IMR service uses: the row lock and the people to tell. Transitions go through the kernel's
scr_portal.transitions."""

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils import timezone

from scr_portal.models import User
from scr_portal.people import agency_contacts
from scr_portal.transitions import lock, state_change

from .. import permissions
from ..models import AUTHOR_WRITES_STATES, IMR

CANNOT_NOW = "That cannot be done at this stage of the IMR."
NOT_EDITABLE = (
    "The IMR cannot be changed at this stage. It can be changed while it is in preparation, at factual "
    "check or agency quality assurance, or when the panel asks for further information."
)


def now_or(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


def locked(imr: IMR) -> IMR:
    """The IMR row, locked until the transaction ends, with what the services read. `of=("self",)`: the
    author and the referral are nullable joins, which PostgreSQL cannot lock."""
    return lock(imr, "review__board", "review__referral", "agency", "author", of=("self",))


def imr_change(imr: IMR, name: str, *, actor, reason: str = "", fields: Iterable[str] = ()):
    """The kernel's state change for an IMR: logged on the review's board, saving the state and `fields`
    (what the transition sets besides it)."""
    return state_change(imr, name, actor=actor, reason=reason, board=imr.review.board, update_fields=fields)


def writable(imr: IMR, actor) -> IMR:
    """Lock the IMR for a change by its author, refusing once it is signed off."""
    current = locked(imr)
    permissions.require(actor, current, "write")
    if current.state not in AUTHOR_WRITES_STATES:
        raise ValidationError(NOT_EDITABLE)
    return current


def touch(imr: IMR, now: dt.datetime | None = None) -> None:
    IMR.objects.filter(pk=imr.pk).update(updated_at=now_or(now))


def panel(review) -> list[User]:
    return list(
        User.objects.filter(
            panel_memberships__review=review, panel_memberships__removed_at__isnull=True, is_active=True
        ).distinct()
    )


def writers(imr: IMR) -> list[User]:
    """The author and the agency's contacts: who hears about the IMR's progress."""
    people = agency_contacts(imr.agency_id)
    if imr.author is not None:
        people.append(imr.author)
    return people
