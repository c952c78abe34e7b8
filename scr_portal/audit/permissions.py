"""Who may read the audit trail of a case: the board's business manager and auditor. Someone else who can
see the record gets 403; anyone who cannot see it gets 404 (they may not know it exists)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from .. import records
from ..models import Board
from ..permissions import AUDIT_BOARD, MANAGE_BOARD, user_has_board_perm
from ..records import CaseRecord


def may_audit(user, board: Board) -> bool:
    return user_has_board_perm(user, board, MANAGE_BOARD) or user_has_board_perm(user, board, AUDIT_BOARD)


def _record(kind: str) -> CaseRecord:
    record = records.get(kind)
    if record is None or record.get_for_user is None:
        raise Http404("No such record.")
    return record


def _fetch(kind: str, pk: int):
    record = _record(kind)
    return record.model.objects.select_related(record.board).filter(pk=pk).first()


def _visible(user, kind: str, pk: int) -> bool:
    try:
        _record(kind).get_for_user(user, pk)
    except (Http404, PermissionDenied):
        return False
    return True


def board_of(kind: str, obj) -> Board:
    return _record(kind).board_of(obj)


def get_case_for_auditor(user, kind: str, pk: int):
    obj = _fetch(kind, pk)
    if obj is None or not user.is_authenticated:
        raise Http404("No such record.")
    if may_audit(user, board_of(kind, obj)):
        return obj
    if _visible(user, kind, pk):
        raise PermissionDenied(
            "Only the board's business manager and auditor can see this record's audit trail."
        )
    raise Http404("No such record.")


def get_board_for_auditor(user, pk: int) -> Board:
    board = Board.objects.filter(pk=pk).first()
    if board is None or not user.is_authenticated:
        raise Http404("No such board.")
    if may_audit(user, board):
        return board
    if user_has_board_perm(user, board, "scr_portal.view_board"):
        raise PermissionDenied("Only the board's business manager and auditor can see the access log.")
    raise Http404("No such board.")
