"""Who works with a board and in what role: its memberships, the active panel places on its reviews, the
authors of its IMRs still being written, and the people it invited who hold no role yet."""

from dataclasses import dataclass, field

from django.urls import reverse

from imr.models import IMR
from imr.models.imr import ENDED_STATES
from reviews.models import PanelMembership
from scr_portal.models import AccessAction, AccessLog, Board, Membership, User
from scr_portal.roles import role_text


@dataclass
class Held:
    """One role a person holds, and the page that takes it away (a panel place and an authorship are
    taken on their review's and IMR's own pages, which ask for the reason or the successor)."""

    label: str
    take_url: str
    take_text: str = "Take away"


@dataclass
class Person:
    user: User
    roles: list[Held] = field(default_factory=list)


def board_people(board: Board) -> list[Person]:
    people: dict[int, Person] = {}

    def add(user: User, held: Held) -> None:
        people.setdefault(user.pk, Person(user)).roles.append(held)

    for membership in Membership.objects.filter(board=board).select_related("user", "agency"):
        take = reverse("board_role_take", args=[board.pk, membership.pk])
        add(membership.user, Held(role_text(membership), take))
    panel = PanelMembership.objects.filter(review__board=board, removed_at__isnull=True)
    for place in panel.select_related("user", "review"):
        take = reverse("review_remove_member", args=[place.review_id, place.pk])
        add(place.user, Held(f"{place.get_role_display()}, {place.review.reference}", take))
    authored = IMR.objects.filter(review__board=board, author__isnull=False).exclude(state__in=ENDED_STATES)
    for imr in authored.select_related("author", "review"):
        take = reverse("imr_replace_author", args=[imr.pk])
        add(imr.author, Held(f"IMR author, {imr.case_reference}", take, "Replace the author"))
    invited = AccessLog.objects.filter(board=board, action=AccessAction.INVITE).values("object_id")
    for user in User.objects.filter(pk__in=invited).exclude(pk__in=people):
        people[user.pk] = Person(user)
    return sorted(people.values(), key=lambda person: (person.user.full_name.lower(), person.user.pk))


def board_person(board: Board, user_pk: int) -> Person | None:
    """One of the board's people (a person unknown to the board is not shown to its manager)."""
    return next((person for person in board_people(board) if person.user.pk == user_pk), None)
