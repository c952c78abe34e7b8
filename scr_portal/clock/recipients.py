"""Who a reminder goes to, resolved for a whole batch of deadlines at once.

The sweep hands over every (deadline, audience) pair of the steps it claimed; this answers with a fixed
number of queries (the deadlines' responsible people, the boards' business units and chairs, and one
call of the panel-chair resolver), however many deadlines there are.

Audiences (domain brief, "Decisions already taken": escalation business unit → panel chair → LSCB Chair):

- ``responsible``: the deadline's responsible people; if it has none, the board's business unit.
- ``business_unit``: the board's business unit (business managers and support officers) and the
  responsible people.
- ``panel_chair``: the review's panel chair, from the resolver registered with
  `register_panel_chair_resolver`; until one is registered (the reviews issue supplies the real one), and
  for any deadline it has no answer for, the board's business managers.
- ``lscb_chair``: the board's LSCB Chair(s) and its business managers.

Only active users with an email address are returned.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence

from django.db.models import prefetch_related_objects

from scr_portal.models import Deadline, Membership, Role, User
from scr_portal.models.clock import ReminderAudience

PanelChairResolver = Callable[[Sequence[Deadline]], Mapping[int, Iterable[User]]]

_panel_chair_resolver: PanelChairResolver | None = None

_BOARD_ROLES = (Role.BUSINESS_MANAGER, Role.BUSINESS_SUPPORT, Role.LSCB_CHAIR)


def register_panel_chair_resolver(resolver: PanelChairResolver | None) -> PanelChairResolver | None:
    """Install the function that finds the panel chair of deadlines (None removes it).

    It is called once per sweep batch with every deadline whose step goes to the panel chair and must
    answer in bulk, ``{deadline_id: [users]}``, with a fixed number of queries, so the sweep's cost stays
    independent of the number of deadlines. Deadlines left out of the answer (or given no users) go to
    the board's business managers. The reviews app registers its resolver in its AppConfig.ready().
    Usable as a decorator; returns the resolver."""
    global _panel_chair_resolver
    _panel_chair_resolver = resolver
    return resolver


def _usable(user: User) -> bool:
    return user.is_active and bool(user.email)


def _unique(users: Iterable[User]) -> list[User]:
    seen: dict[int, User] = {}
    for user in users:
        if _usable(user):
            seen.setdefault(user.pk, user)
    return sorted(seen.values(), key=lambda user: user.pk)


def recipients_for(
    pairs: Iterable[tuple[Deadline, str]],
) -> dict[tuple[int, str], list[User]]:
    """The recipients of each (deadline, audience) pair, keyed by (deadline id, audience), each list
    without duplicates and ordered by user id. The deadlines need `board` loaded (select_related)."""
    pairs = list(pairs)
    if not pairs:
        return {}
    deadlines = list({deadline.pk: deadline for deadline, _ in pairs}.values())
    # One query, or none if the caller already prefetched them.
    prefetch_related_objects(deadlines, "responsible_users")

    by_board: dict[int, dict[str, list[User]]] = defaultdict(lambda: defaultdict(list))
    memberships = Membership.objects.filter(
        board_id__in={deadline.board_id for deadline in deadlines},
        role__in=_BOARD_ROLES,
        user__is_active=True,
    ).select_related("user")
    for membership in memberships:
        by_board[membership.board_id][membership.role].append(membership.user)

    panel_deadlines = [deadline for deadline, audience in pairs if audience == ReminderAudience.PANEL_CHAIR]
    panel_chairs: Mapping[int, Iterable[User]] = {}
    if panel_deadlines and _panel_chair_resolver is not None:
        panel_chairs = _panel_chair_resolver(list({d.pk: d for d in panel_deadlines}.values())) or {}

    result: dict[tuple[int, str], list[User]] = {}
    for deadline, audience in pairs:
        roles = by_board[deadline.board_id]
        managers = roles[Role.BUSINESS_MANAGER]
        business_unit = managers + roles[Role.BUSINESS_SUPPORT]
        responsible = _unique(deadline.responsible_users.all())
        if audience == ReminderAudience.RESPONSIBLE:
            users = responsible or business_unit
        elif audience == ReminderAudience.PANEL_CHAIR:
            users = _unique(panel_chairs.get(deadline.pk, ())) or managers
        elif audience == ReminderAudience.LSCB_CHAIR:
            users = roles[Role.LSCB_CHAIR] + managers
        else:  # business_unit, and any audience this module does not know yet
            users = business_unit + responsible
        result[(deadline.pk, audience)] = _unique(users)
    return result
