"""Pieces every IMR service uses: the row lock, the deadlines and the people to tell. Transitions go
through the kernel's scr_portal.transitions."""

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django_fsm import can_proceed

from scr_portal.clock.services import deadline_cancel, deadline_open, deadlines_of
from scr_portal.models import User
from scr_portal.models.clock import ACTIVE_STATUSES
from scr_portal.notify import notify_on_commit
from scr_portal.people import agency_contacts
from scr_portal.transitions import lock, state_change

from .. import permissions
from ..models import IMR, IMRState
from ..parts import PART_TITLES, titles

CANNOT_NOW = "That cannot be done at this stage of the IMR."
NOT_EDITABLE = (
    "The IMR cannot be changed at this stage. It can be changed while it is in preparation, at factual "
    "check or agency quality assurance, or when the panel asks for further information."
)
NOT_ASKED = (
    "The panel's request for further information reopens only: {asked}. {part} cannot be changed until the "
    "IMR is signed off again."
)


def now_or(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


def local_today(now: dt.datetime) -> dt.date:
    return timezone.localtime(now).date()


def imr_path(imr: IMR) -> str:
    return reverse("imr_detail", args=[imr.pk])


def locked(imr: IMR) -> IMR:
    """The IMR row, locked until the transaction ends, with what the services read. `of=("self",)`: the
    author and the referral are nullable joins, which PostgreSQL cannot lock."""
    return lock(imr, "review__board", "review__referral", "agency", "author", of=("self",))


def imr_change(imr: IMR, name: str, *, actor, reason: str = "", fields: Iterable[str] = ()):
    """The kernel's state change for an IMR: logged on the review's board, saving the state and `fields`
    (what the transition sets besides it)."""
    return state_change(imr, name, actor=actor, reason=reason, board=imr.review.board, update_fields=fields)


def acting(imr: IMR, actor, action: str, transition: str = "") -> IMR:
    """Lock the IMR for `action`: refused without the permission, and refused with CANNOT_NOW when the
    django-fsm `transition` (if named) cannot run now."""
    current = locked(imr)
    permissions.require(actor, current, action)
    if transition and not can_proceed(getattr(current, transition)):
        raise ValidationError(CANNOT_NOW)
    return current


def not_writable(imr: IMR, part: str) -> str:
    """Why the author cannot change `part` (a slug of `imr.parts`) now, or "" when they can."""
    allowed = imr.writable_parts()
    if part in allowed:
        return ""
    if imr.state != IMRState.FURTHER_INFO_REQUESTED:
        return NOT_EDITABLE
    return NOT_ASKED.format(asked=", ".join(titles(allowed)) or "nothing", part=PART_TITLES[part])


def writable(imr: IMR, actor, part: str, *more: str) -> IMR:
    """Lock the IMR for a change by its author to `part` (and `more`), refusing once it is signed off, and
    while a request for further information is open, for any part the panel did not ask for."""
    current = locked(imr)
    permissions.require(actor, current, "write")
    for each in (part, *more):
        refusal = not_writable(current, each)
        if refusal:
            raise ValidationError(refusal)
    return current


def set_aside_sign_off(imr: IMR, now: dt.datetime) -> None:
    """The signatures no longer cover the IMR (it goes back to be changed): kept, and given again later."""
    imr.sign_offs.filter(superseded_at__isnull=True).update(superseded_at=now)


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


def open_deadline(imr: IMR, rule_code: str, *, actor, now, responsible_users, subject=None, **rule):
    """Open the IMR's deadline under `rule_code` from `now` (or for `subject`, a part of the IMR), on the
    review's board. `rule`: the clock's due_date, trigger_at or title."""
    return deadline_open(
        board=imr.review.board,
        subject=subject or imr,
        rule_code=rule_code,
        trigger_at=rule.pop("trigger_at", now),
        case_reference=imr.case_reference,
        review_framework=imr.review.review_framework,
        actor=actor,
        responsible_users=responsible_users,
        now=now,
        **rule,
    )


def active_deadline(imr: IMR, rule_code: str):
    return deadlines_of(imr).filter(rule__code=rule_code, status__in=ACTIVE_STATUSES).first()


def cancel_deadlines(subject, *, actor, reason: str, now) -> None:
    """Cancel every open deadline of `subject` (an IMR, an interview): it no longer applies."""
    for deadline in deadlines_of(subject).filter(status__in=ACTIVE_STATUSES):
        deadline_cancel(deadline=deadline, actor=actor, reason=reason, now=now)


def tell(people, imr: IMR, subject: str, body: str, path: str = "") -> None:
    """A notice about the IMR: `subject` gets the case reference; the link goes to the IMR unless `path`."""
    notify_on_commit(
        people, subject=f"{subject}: {imr.case_reference}", body=body, path=path or imr_path(imr)
    )
