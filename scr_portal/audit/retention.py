"""Retention and destruction (domain brief, "Decisions already taken"; Solihull §15.1): case papers are
kept `Board.retention_years` (7 by default) from the review's closure, or from the decision for a referral
that led to no review, or from the closing of one withdrawn, transferred or closed as a duplicate. A
monthly job lists what is due; the business manager approves destruction case by case; a legal hold
blocks it. Destruction removes the case's rows, files, change history and the
access log's personal fields, and leaves a Tombstone.

A case is its referral and everything hanging from it: the review, IMRs, their rows, and the rows keyed
to any of them by content type (deadlines, documents, stored files, key people, transition logs)."""

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.contrib.admin.utils import NestedObjects
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, models, transaction
from django.utils import timezone

from .. import records
from ..models import Board
from ..permissions import MANAGE_BOARD, user_has_board_perm
from ..workdays import add_calendar_months
from .models import AccessLog, LegalHold, Tombstone

NOT_DUE = "This case is not yet due for destruction."
ON_HOLD = "A legal hold stops this case being destroyed until it is lifted."
NOT_MANAGER = "Only the board's business manager can approve destruction."
NO_REASON = "Give the reason for the legal hold."


@dataclass(frozen=True)
class DueCase:
    referral_id: int
    reference: str
    record_type: str
    retention_from: dt.date
    due_on: dt.date
    on_hold: bool


def _retention_start(referral) -> tuple[str, dt.date] | None:
    review = getattr(referral, "review", None) if hasattr(referral, "review") else None
    if review is not None:
        return ("review", timezone.localdate(review.closed_at)) if review.closed_at else None
    if referral.decided_at:
        return "referral", timezone.localdate(referral.decided_at)
    if referral.closed_at:  # withdrawn, transferred or a duplicate
        return "referral", timezone.localdate(referral.closed_at)
    return None


def _closed_on(review, referral) -> dt.date | None:
    closed_at = review.closed_at if review else referral.closed_at
    return timezone.localdate(closed_at) if closed_at else None


def _case_roots() -> models.Manager:
    """The referrals (the case root registered in scr_portal/records.py)."""
    return records.case_root().model.objects


def retention_due(*, board: Board, today: dt.date) -> list[DueCase]:
    """Closed reviews and referrals that led to no review whose retention period has ended."""
    months = 12 * board.retention_years
    held = set(
        LegalHold.objects.filter(board=board, lifted_at__isnull=True).values_list("referral_id", flat=True)
    )
    due = []
    ended = models.Q(decided_at__isnull=False) | models.Q(closed_at__isnull=False)
    referrals = _case_roots().filter(ended, board=board).select_related("review")
    for referral in referrals:
        start = _retention_start(referral)
        if start is None:
            continue
        due_on = add_calendar_months(start[1], months)
        if due_on <= today:
            due.append(
                DueCase(referral.pk, referral.reference, start[0], start[1], due_on, referral.pk in held)
            )
    return sorted(due, key=lambda case: case.due_on)


def legal_hold_place(*, board: Board, referral, actor, reason: str, now: dt.datetime) -> LegalHold:
    if not user_has_board_perm(actor, board, MANAGE_BOARD):
        raise PermissionDenied(NOT_MANAGER)
    if not reason.strip():
        raise ValidationError(NO_REASON)
    return LegalHold.objects.create(
        board=board,
        case_reference=referral.reference,
        referral_id=referral.pk,
        reason=reason,
        placed_by=actor,
        placed_at=now,
    )


def legal_hold_lift(*, hold: LegalHold, actor, reason: str, now: dt.datetime) -> LegalHold:
    if not user_has_board_perm(actor, hold.board, MANAGE_BOARD):
        raise PermissionDenied(NOT_MANAGER)
    hold.lifted_by, hold.lifted_at, hold.lift_reason = actor, now, reason
    hold.save(update_fields=["lifted_by", "lifted_at", "lift_reason"])
    return hold


def _case_objects(roots: list[models.Model]) -> dict[type[models.Model], set]:
    """Everything that depends on the roots, through foreign keys (cascaded or protected) and through
    content-type keys."""
    found: dict[type[models.Model], set] = {}
    pending = list(roots)
    while pending:
        collector = NestedObjects(using="default")
        by_model: dict[type[models.Model], list] = {}
        for obj in pending:
            by_model.setdefault(type(obj), []).append(obj)
        for objs in by_model.values():
            collector.collect(objs)
        pending = []
        for model, instances in collector.data.items():
            for obj in instances:
                model = obj._meta.concrete_model
                if obj.pk not in found.setdefault(model, set()):
                    found[model].add(obj.pk)
        for obj in collector.protected:
            if obj.pk not in found.get(obj._meta.concrete_model, set()):
                pending.append(obj)
        # Rows keyed by content type to any object found so far.
        for model, pks in list(found.items()):
            content_type = ContentType.objects.get_for_model(model)
            for generic in _generic_models():
                for obj in generic.objects.filter(content_type=content_type, object_id__in=pks):
                    if obj.pk not in found.get(generic, set()):
                        pending.append(obj)
    return found


def _generic_models() -> list[type[models.Model]]:
    from django.apps import apps

    result = []
    for model in apps.get_models():
        names = {f.name for f in model._meta.concrete_fields}
        if (
            {"content_type", "object_id"} <= names
            and model is not AccessLog
            and not model._meta.app_label == "admin"
        ):
            result.append(model)
    return result


def _event_models() -> dict[type[models.Model], type[models.Model]]:
    from .. import history

    return history.event_models()


@transaction.atomic
def case_destroy(*, referral, actor, today: dt.date, now: dt.datetime) -> Tombstone:
    """Destroy a case whose retention has ended, on the business manager's approval."""
    from ..models import StoredFile
    from ..uploads import file_path

    referral = _case_roots().select_for_update().select_related("board").get(pk=referral.pk)
    board = referral.board
    if not user_has_board_perm(actor, board, MANAGE_BOARD):
        raise PermissionDenied(NOT_MANAGER)
    due = {case.referral_id: case for case in retention_due(board=board, today=today)}
    case = due.get(referral.pk)
    if case is None:
        raise ValidationError(NOT_DUE)
    if case.on_hold:
        raise ValidationError(ON_HOLD)
    review = getattr(referral, "review", None) if hasattr(referral, "review") else None
    decision = getattr(referral, "decision", None) if hasattr(referral, "decision") else None
    tombstone = Tombstone.objects.create(
        board=board,
        reference=referral.reference,
        record_type=case.record_type,
        received_on=timezone.localdate(referral.received_at) if referral.received_at else None,
        decided_on=timezone.localdate(referral.decided_at) if referral.decided_at else None,
        closed_on=_closed_on(review, referral),
        retention_from=case.retention_from,
        destruction_due_on=case.due_on,
        outcome=decision.get_outcome_display() if decision else "",
        approved_by=actor,
        destroyed_at=now,
    )
    roots = [referral] + ([review] if review else [])
    found = _case_objects(roots)
    # Files first (the rows say where they are), then every row. Foreign keys are deferred until the
    # end of the transaction on PostgreSQL, so the order of the deletes does not matter.
    for stored in StoredFile.objects.filter(pk__in=found.get(StoredFile, ())):
        file_path(stored).unlink(missing_ok=True)
    counts = Counter()
    event_models = set(_event_models().values())
    for model, pks in found.items():
        if model in event_models:
            # Change history keyed to the case by content type (a deadline's events): append-only.
            counts[model._meta.label] += _destroy_history(tombstone, model, pks, column="pgh_id")
        else:
            counts[model._meta.label] += model.objects.filter(pk__in=pks)._raw_delete(connection.alias)
    # The change history of every destroyed row, including the delete events just written.
    for model, event_model in _event_models().items():
        if model in found:
            _destroy_history(tombstone, event_model, found[model])
    # The access log stays (it is evidence of who looked), without the personal fields.
    for model, pks in found.items():
        _anonymise_access_log(tombstone, ContentType.objects.get_for_model(model), pks)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    tombstone.rows_destroyed = dict(counts)
    tombstone.save(update_fields=["rows_destroyed"])
    return tombstone


# On PostgreSQL the portal's runtime role may only add rows to the change history and the access log
# (scr_portal/db_roles.py); destruction goes through two SECURITY DEFINER functions owned by the owner role
# (migration 0008), which refuse unless the tombstone was written in this transaction and log each use.
# The embedded demo (SQLite) has neither roles nor triggers, and uses the ORM.


def _destroy_history(
    tombstone: Tombstone, event_model: type[models.Model], pks: set, column: str = "pgh_obj_id"
) -> int:
    if connection.vendor != "postgresql":
        return event_model.objects.filter(**{f"{column}__in": pks})._raw_delete(connection.alias)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT scr_retention_destroy_history(%s, %s, %s, %s)",
            [tombstone.pk, event_model._meta.db_table, column, [str(pk) for pk in pks]],
        )
        return cursor.fetchone()[0]


def _anonymise_access_log(tombstone: Tombstone, content_type: ContentType, pks: set) -> int:
    if connection.vendor != "postgresql":
        return AccessLog.objects.filter(content_type=content_type, object_id__in=pks).update(
            user_name="", ip_address=None, path="", object_label=tombstone.reference
        )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT scr_retention_anonymise_access_log(%s, %s, %s)",
            [tombstone.pk, content_type.pk, [int(pk) for pk in pks]],
        )
        return cursor.fetchone()[0]
