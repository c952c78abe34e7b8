"""Who may do what on a board. Every view asks here; templates never decide access.

Role → board-level object permissions (django-guardian). An object permission, not a global one, so a
role on board A says nothing about board B.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from .models import Board, Membership, Role

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
    as an object permission of their own: one query on the user's own permission rows (none for a request's
    user, whose rows were read once), so its cost does not grow with other users' (guardian's
    get_objects_for_user compares every row of the model with a subquery). Permissions are granted to users,
    never groups (scr_portal.services); global permissions and the superuser shortcut count for nothing."""
    from django.contrib.contenttypes.models import ContentType
    from guardian.models import UserObjectPermission

    if not user.is_authenticated:
        return []
    codenames = {perm.split(".", 1)[-1] for perm in perms}
    content_type = ContentType.objects.get_for_model(model)
    cached = getattr(user, OBJECT_PERMS_ATTR, None)
    if cached is not None:
        held = cached.get(content_type.pk, {})
        return sorted(int(pk) for pk, codes in held.items() if codes & codenames)
    rows = UserObjectPermission.objects.filter(
        user_id=user.pk, content_type=content_type, permission__codename__in=codenames
    ).values_list("object_pk", flat=True)
    return sorted({int(pk) for pk in rows})


def object_perm_codenames(user, obj) -> frozenset[str]:
    """The codenames of the user's own permissions on `obj`, from the request's cache when there is one."""
    from django.contrib.contenttypes.models import ContentType

    cached = getattr(user, OBJECT_PERMS_ATTR, None)
    if cached is None:
        from guardian.shortcuts import get_user_perms

        return frozenset(get_user_perms(user, obj))
    content_type = ContentType.objects.get_for_model(obj)
    return cached.get(content_type.pk, {}).get(str(obj.pk), frozenset())


def object_perms_by_pk(user, model, pks) -> dict[int, frozenset[str]]:
    """{pk: the codenames the user holds on it} for the `model` objects among `pks`: one query, or none for
    a request's user."""
    from django.contrib.contenttypes.models import ContentType
    from guardian.models import UserObjectPermission

    content_type = ContentType.objects.get_for_model(model)
    wanted = {str(pk) for pk in pks}
    cached = getattr(user, OBJECT_PERMS_ATTR, None)
    if cached is not None:
        held = cached.get(content_type.pk, {})
        return {int(pk): held[pk] for pk in wanted if pk in held}
    found: dict[int, set[str]] = {}
    rows = UserObjectPermission.objects.filter(
        user_id=user.pk, content_type=content_type, object_pk__in=wanted
    ).values_list("object_pk", "permission__codename")
    for pk, codename in rows:
        found.setdefault(int(pk), set()).add(codename)
    return {pk: frozenset(codes) for pk, codes in found.items()}


def board_ids_with_any_perm(user, perms) -> set[int]:
    """The boards on which `user` holds any of `perms`, from the request's cache when there is one."""
    cached = getattr(user, BOARD_PERMS_ATTR, None)
    if cached is not None:
        return {pk for pk, held in cached.items() if held & set(perms)}
    return set(object_ids_for_user(user, Board, perms))


# A request's user carries its permissions, read once (scr_portal.middleware.CurrentBoardMiddleware): a
# page asks "may this user …?" a dozen times, and each answer from guardian is a query. Other user objects
# (services, tasks, tests) have no cache and always ask the database.
BOARD_PERMS_ATTR = "_board_perms_cache"
OBJECT_PERMS_ATTR = "_object_perms_cache"  # {content type pk: {object pk (text): codenames}}
REQUEST_MEMO_ATTR = "_request_memo"


def board_perms_of(user) -> dict[int, frozenset[str]]:
    """Every board permission the user holds directly, as {board pk: {"scr_portal.work_cases", …}}, in
    one query. Permissions are granted to users (scr_portal.services.membership_grant), never groups."""
    from django.contrib.contenttypes.models import ContentType

    board_type = ContentType.objects.get_for_model(Board)
    return _full_names(board_type, _object_perms_of(user, board_type))


def _full_names(board_type, held: dict[str, frozenset[str]]) -> dict[int, frozenset[str]]:
    label = board_type.app_label
    return {int(pk): frozenset(f"{label}.{code}" for code in codes) for pk, codes in held.items()}


def board_perms_held(user) -> dict[int, frozenset[str]]:
    """`board_perms_of`, from the request's cache when there is one."""
    cached = getattr(user, BOARD_PERMS_ATTR, None)
    return cached if cached is not None else board_perms_of(user)


def _object_perms_of(user, content_type=None) -> dict:
    """The user's own object permissions as {object pk (text): codenames} for one content type, or
    {content type pk: {…}} for all of them; one query."""
    from guardian.models import UserObjectPermission

    rows = UserObjectPermission.objects.filter(user_id=user.pk)
    if content_type is not None:
        rows = rows.filter(content_type=content_type)
    perms: dict[int, dict[str, set[str]]] = {}
    rows = rows.values_list("content_type_id", "object_pk", "permission__codename")
    for type_pk, object_pk, codename in rows:
        perms.setdefault(type_pk, {}).setdefault(object_pk, set()).add(codename)
    frozen = {
        type_pk: {pk: frozenset(codes) for pk, codes in held.items()} for type_pk, held in perms.items()
    }
    return frozen.get(content_type.pk, {}) if content_type is not None else frozen


def cache_board_perms(user) -> dict[int, frozenset[str]]:
    """Read the user's object permissions (boards, reviews, IMRs …) once and keep them on this user object
    (a request's user), with a memo for the rest of what the request reads about the user (`remembered`)."""
    from django.contrib.contenttypes.models import ContentType

    every = _object_perms_of(user)
    board_type = ContentType.objects.get_for_model(Board)
    boards = _full_names(board_type, every.get(board_type.pk, {}))
    setattr(user, OBJECT_PERMS_ATTR, every)
    setattr(user, BOARD_PERMS_ATTR, boards)
    setattr(user, REQUEST_MEMO_ATTR, {})
    return boards


def remembered(user, key: str, load):
    """`load()`, read once per request for a request's user; other user objects (services, tasks, tests)
    always load afresh, so a change made through them is never hidden."""
    memo = getattr(user, REQUEST_MEMO_ATTR, None)
    if memo is None:
        return load()
    if key not in memo:
        memo[key] = load()
    return memo[key]


def memberships_of(user) -> tuple[tuple[int, str, int | None], ...]:
    """Every (board pk, role, agency pk) the user holds, in one query a request."""
    if not user.is_authenticated:
        return ()
    return remembered(
        user,
        "memberships",
        lambda: tuple(
            Membership.objects.filter(user_id=user.pk).order_by().values_list("board_id", "role", "agency_id")
        ),
    )


def roles_on(user, board: Board | None) -> set[str]:
    """The user's roles on `board`."""
    if board is None:
        return set()
    return {role for board_pk, role, _ in memberships_of(user) if board_pk == board.pk}


def board_perm_codenames(user, board: Board) -> frozenset[str]:
    """The codenames ("work_cases", …) of the user's permissions on `board`, from the request's cache
    when there is one."""
    cached = getattr(user, BOARD_PERMS_ATTR, None)
    if cached is not None:
        return frozenset(perm.split(".", 1)[1] for perm in cached.get(board.pk, frozenset()))
    return object_perm_codenames(user, board)


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
