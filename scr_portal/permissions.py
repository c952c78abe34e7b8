"""Who may do what on a board. Every view asks here; templates never decide access.

Role → board-level object permissions (django-guardian). An object permission, not a global one, so a
role on board A says nothing about board B.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from .models import Board, Role

VIEW_BOARD = "scr_portal.view_board"
WORK_CASES = "scr_portal.work_cases"
MANAGE_BOARD = "scr_portal.manage_board"
DECIDE_REFERRALS = "scr_portal.decide_referrals"
SCREEN_REFERRALS = "scr_portal.screen_referrals"
ANSWER_AGENCY_REQUESTS = "scr_portal.answer_agency_requests"
AUDIT_BOARD = "scr_portal.audit_board"

ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    Role.BUSINESS_MANAGER: (VIEW_BOARD, WORK_CASES, MANAGE_BOARD),
    Role.BUSINESS_SUPPORT: (VIEW_BOARD, WORK_CASES),
    Role.LSCB_CHAIR: (VIEW_BOARD, DECIDE_REFERRALS),
    Role.SUBCOMMITTEE_MEMBER: (VIEW_BOARD, SCREEN_REFERRALS),
    Role.AGENCY_CONTACT: (VIEW_BOARD, ANSWER_AGENCY_REQUESTS),
    Role.HEAD_OF_AGENCY: (VIEW_BOARD,),
    Role.PARTNER_LEAD: (VIEW_BOARD,),
    Role.AUDITOR: (VIEW_BOARD, AUDIT_BOARD),
}

# Who sees every referral and every deadline of a board, not just their own: the business unit, the LSCB
# Chair, the sub-committee and auditors.
BOARD_WIDE_PERMS = (WORK_CASES, DECIDE_REFERRALS, SCREEN_REFERRALS, AUDIT_BOARD)


def boards_for_user(user, perm: str = VIEW_BOARD) -> QuerySet[Board]:
    """The boards on which `user` holds `perm`. Global permissions and the superuser shortcut are off:
    being a Django superuser does not open a board's case records."""
    if not user.is_authenticated:
        return Board.objects.none()
    cached = getattr(user, BOARD_PERMS_ATTR, None)
    if cached is not None:
        return Board.objects.filter(pk__in=[pk for pk, perms in cached.items() if perm in perms]).order_by(
            "name"
        )
    return Board.objects.filter(pk__in=object_ids_for_user(user, Board, [perm])).order_by("name")


def object_ids_for_user(user, model, perms) -> list[int]:
    """The pks of the `model` objects on which `user` holds any of `perms` ("app.codename" or "codename")
    as an object permission of their own: one query on the user's own permission rows, so its cost does not
    grow with other users' (guardian's get_objects_for_user compares every row of the model with a
    subquery). Permissions are granted to users, never groups (scr_portal.services); global permissions and
    the superuser shortcut count for nothing."""
    from django.contrib.contenttypes.models import ContentType
    from guardian.models import UserObjectPermission

    if not user.is_authenticated:
        return []
    codenames = [perm.split(".", 1)[-1] for perm in perms]
    rows = UserObjectPermission.objects.filter(
        user_id=user.pk,
        content_type=ContentType.objects.get_for_model(model),
        permission__codename__in=codenames,
    ).values_list("object_pk", flat=True)
    return sorted({int(pk) for pk in rows})


def board_ids_with_any_perm(user, perms) -> set[int]:
    """The boards on which `user` holds any of `perms`, from the request's cache when there is one."""
    cached = getattr(user, BOARD_PERMS_ATTR, None)
    if cached is not None:
        return {pk for pk, held in cached.items() if held & set(perms)}
    return set(object_ids_for_user(user, Board, perms))


# A request's user carries its board permissions, read once (scr_portal.middleware.CurrentBoardMiddleware):
# a page asks "may this user …?" a dozen times, and each answer from guardian is a query. Other user
# objects (services, tasks, tests) have no cache and always ask the database.
BOARD_PERMS_ATTR = "_board_perms_cache"


def board_perms_of(user) -> dict[int, frozenset[str]]:
    """Every board permission the user holds directly, as {board pk: {"scr_portal.work_cases", …}}, in
    one query. Permissions are granted to users (scr_portal.services.membership_grant), never groups."""
    from django.contrib.contenttypes.models import ContentType
    from guardian.models import UserObjectPermission

    perms: dict[int, set[str]] = {}
    rows = UserObjectPermission.objects.filter(
        user_id=user.pk, content_type=ContentType.objects.get_for_model(Board)
    ).values_list("object_pk", "permission__content_type__app_label", "permission__codename")
    for object_pk, app_label, codename in rows:
        perms.setdefault(int(object_pk), set()).add(f"{app_label}.{codename}")
    return {pk: frozenset(codes) for pk, codes in perms.items()}


def cache_board_perms(user) -> dict[int, frozenset[str]]:
    """Read the user's board permissions once and keep them on this user object (a request's user)."""
    cached = board_perms_of(user)
    setattr(user, BOARD_PERMS_ATTR, cached)
    return cached


def board_perm_codenames(user, board: Board) -> frozenset[str]:
    """The codenames ("work_cases", …) of the user's permissions on `board`, from the request's cache
    when there is one."""
    cached = getattr(user, BOARD_PERMS_ATTR, None)
    if cached is not None:
        return frozenset(perm.split(".", 1)[1] for perm in cached.get(board.pk, frozenset()))
    from guardian.shortcuts import get_user_perms

    return frozenset(get_user_perms(user, board))


def user_has_board_perm(user, board: Board, perm: str) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    cached = getattr(user, BOARD_PERMS_ATTR, None)
    if cached is not None:
        return perm in cached.get(board.pk, frozenset())
    return boards_for_user(user, perm).filter(pk=board.pk).exists()


def sees_whole_board(user, board: Board) -> bool:
    return any(user_has_board_perm(user, board, perm) for perm in BOARD_WIDE_PERMS)


def get_board_for_user(user, pk: int, perm: str = VIEW_BOARD) -> Board:
    """Fetch a board and check access: 404 for a user who is not a member (they may not know the board's
    records exist), 403 for a member without the permission asked for."""
    board = boards_for_user(user, VIEW_BOARD).filter(pk=pk).first()
    if board is None:
        raise Http404("No such board.")
    if perm != VIEW_BOARD and not user_has_board_perm(user, board, perm):
        raise PermissionDenied("You do not have permission to do that on this board.")
    return board
