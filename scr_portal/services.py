"""Writes to the shared domain. Views, admin and commands call these; nothing else saves these models."""

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from guardian.shortcuts import assign_perm, remove_perm

from .models import AGENCY_ROLES, Agency, Board, Membership, TransitionLog
from .permissions import ROLE_PERMISSIONS

AGENCY_REQUIRED = "Choose the agency this person answers for."
AGENCY_OF_OTHER_BOARD = "That agency belongs to another board."


def now_or(now: dt.datetime | None) -> dt.datetime:
    """The time a service acts at: the one it was given (tests, replays) or now."""
    return now or timezone.now()


def refuse_problems(problems: dict[str, str | None]) -> None:
    """Refuse with every field's problem at once: a ValidationError keyed by field, if any field has a
    problem (a field without one maps to None)."""
    errors = {field: problem for field, problem in problems.items() if problem}
    if errors:
        raise ValidationError(errors)


def blank(text: str, problem: str) -> str | None:
    """`problem` when `text` is empty or only spaces."""
    return None if text.strip() else problem


def _perm_codename(perm: str) -> str:
    return perm.split(".", 1)[1]


def sync_object_perms(*, user, obj, wanted: set[str], every) -> None:
    """Leave the user exactly the `wanted` guardian permissions on `obj`, of `every` one roles can give."""
    for codename in set(every) - wanted:
        remove_perm(codename, user, obj)
    for codename in wanted:
        assign_perm(codename, user, obj)


def _sync_board_perms(*, user, board: Board) -> None:
    """Make the user's guardian permissions on `board` exactly those their remaining roles give."""
    wanted = {
        _perm_codename(perm)
        for role in Membership.objects.filter(user=user, board=board).values_list("role", flat=True)
        for perm in ROLE_PERMISSIONS[role]
    }
    every = {_perm_codename(perm) for perms in ROLE_PERMISSIONS.values() for perm in perms}
    sync_object_perms(user=user, obj=board, wanted=wanted, every=every)


@transaction.atomic
def membership_grant(
    *, user, board: Board, role: str, agency: Agency | None = None, granted_by=None
) -> Membership:
    if role in AGENCY_ROLES and agency is None:
        raise ValidationError({"agency": AGENCY_REQUIRED})
    if agency is not None and agency.board_id != board.pk:
        raise ValidationError({"agency": AGENCY_OF_OTHER_BOARD})
    membership, _ = Membership.objects.update_or_create(
        user=user,
        board=board,
        role=role,
        defaults={"agency": agency if role in AGENCY_ROLES else None, "granted_by": granted_by},
    )
    _sync_board_perms(user=user, board=board)
    return membership


@transaction.atomic
def membership_revoke(*, membership: Membership) -> None:
    user, board = membership.user, membership.board
    membership.delete()
    _sync_board_perms(user=user, board=board)


def transition_log_write(
    *, board: Board, subject, transition: str, from_state: str, to_state: str, actor, reason: str = ""
) -> TransitionLog:
    """Record a state change. Call inside the transaction that makes the change, so both or neither land."""
    return TransitionLog.objects.create(
        board=board,
        content_type=ContentType.objects.get_for_model(subject),
        object_id=subject.pk,
        transition=transition,
        from_state=from_state,
        to_state=to_state,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        reason=reason,
        at=timezone.now(),
    )


@transaction.atomic
def board_update(*, board: Board, actor, **fields) -> Board:
    """Change a board's contact details. The change history (issue: protection of the records) records who."""
    board = Board.objects.select_for_update().get(pk=board.pk)
    for name, value in fields.items():
        setattr(board, name, value)
    board.full_clean()
    board.save(update_fields=list(fields))
    return board
