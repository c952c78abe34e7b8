"""Who sees and acts on deadlines. Board-wide viewers (business unit, LSCB Chair, sub-committee,
auditors) see all of a board's deadlines; anyone else sees only those they are responsible for."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from scr_portal.models import Board, Deadline
from scr_portal.permissions import WORK_CASES, boards_for_user, user_has_board_perm
from scr_portal.permissions import sees_whole_board as sees_all_board_deadlines


def deadlines_visible_to(user, board: Board) -> QuerySet[Deadline]:
    if board is None or not boards_for_user(user).filter(pk=board.pk).exists():
        return Deadline.objects.none()
    deadlines = Deadline.objects.filter(board=board)
    if sees_all_board_deadlines(user, board):
        return deadlines
    return deadlines.filter(responsible_users=user)


def get_deadline_for_user(user, pk: int, *, act: bool = False) -> Deadline:
    """404 unless the user may see the deadline; 403 when `act` and they are not the business unit."""
    deadline = Deadline.objects.select_related("board", "rule").filter(pk=pk).first()
    if deadline is None or not deadlines_visible_to(user, deadline.board).filter(pk=pk).exists():
        raise Http404("No such deadline.")
    if act and not user_has_board_perm(user, deadline.board, WORK_CASES):
        raise PermissionDenied("Only the business unit can change deadlines.")
    return deadline
