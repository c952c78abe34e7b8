"""The state-change recipe every service follows, in one place: lock the row, remember its state, run the
django-fsm transition, save, and write the transition-log row in the same transaction. Services keep their
own permission checks, guards and messages; this module only does the bookkeeping, so every log row has
the same shape whichever app wrote it."""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.db.models import Model

from .services import transition_log_write


def lock(instance: Model, *related: str, of: tuple[str, ...] = ()) -> Model:
    """The row re-read under SELECT … FOR UPDATE, so two people acting at once are serialised and the
    second sees the state the first left. `related` is joined in the same query; `of` limits the lock to
    those tables (PostgreSQL cannot lock the nullable side of an outer join)."""
    return (
        type(instance)._default_manager.select_for_update(of=of).select_related(*related).get(pk=instance.pk)
    )


def log_transition(
    subject: Model,
    transition: str,
    previous: str,
    actor,
    reason: str = "",
    *,
    board=None,
    to_state: str | None = None,
    state_field: str = "state",
) -> None:
    """Write the log row for a change already made, or for an event that changes no state: from `previous`
    to the subject's current state (or `previous` again if it has none). The board defaults to
    `subject.board`."""
    transition_log_write(
        board=subject.board if board is None else board,
        subject=subject,
        transition=transition,
        from_state=previous,
        to_state=getattr(subject, state_field, previous) if to_state is None else to_state,
        actor=actor,
        reason=reason,
    )


class Change:
    """What the caller's block sees: the state before the change, the reason it may still fill in, and
    `save()` for when later writes in the block must find the row already saved."""

    def __init__(self, subject: Model, *, previous: str, reason: str, update_fields):
        self.subject = subject
        self.previous = previous
        self.reason = reason
        self.update_fields = update_fields
        self.saved = False

    def save(self) -> None:
        self.subject.save(update_fields=self.update_fields)  # None: the whole row
        self.saved = True


@contextmanager
def state_change(
    subject: Model,
    name: str,
    *,
    actor,
    reason: str = "",
    board=None,
    update_fields: Iterable[str] | None = None,
    state_field: str = "state",
) -> Iterator[Change]:
    """Run the transition in the block; on leaving it, save the subject (unless the block did, with
    `change.save()`) and log `name` from the state before to the state after. `update_fields` names what the
    transition changes besides the state field; None saves the whole row, as the caller did before. If the
    block raises nothing is saved or logged."""
    fields = None if update_fields is None else [state_field, *update_fields]
    change = Change(subject, previous=getattr(subject, state_field), reason=reason, update_fields=fields)
    yield change
    if not change.saved:
        change.save()
    log_transition(subject, name, change.previous, actor, change.reason, board=board, state_field=state_field)
