"""Who may see and act on an IMR (domain brief §2.1–§2.3). Every view and service asks here; templates
never decide access.

- The nominated author holds django-guardian object permissions on their own IMR only (granted by the
  nomination service). Authors are not board members and need no current board.
- The agency's contacts (its chief officer or designated representative: board memberships with the
  agency contact role) and its heads (who sign the IMR off) see their agency's IMRs, including the
  interview records.
- Active members of the review's panel see all its IMRs, except the interview records.
- Board-wide viewers (business unit, LSCB Chair, auditor) see every IMR of their board, except the
  interview records, which are for the author and the agency only (§2.3).
- Anyone else gets a 404: they may not know the IMR exists. Someone who sees it but may not do an action
  gets a 403 naming who can.

Global permissions and the superuser shortcut are off throughout."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from reviews.models import Review
from reviews.permissions import panel_roles_of
from scr_portal.models import AGENCY_ROLES, Role
from scr_portal.permissions import (
    AUDIT_BOARD,
    DECIDE_REFERRALS,
    WORK_CASES,
    board_ids_with_any_perm,
    board_perm_codenames,
    memberships_of,
    object_ids_for_user,
    object_perm_codenames,
)

from .models import IMR

VIEW_IMR = "imr.view_imr"
AUTHOR_PERMS = ("view_imr", "change_imr", "author_imr", "view_imr_interviews")
BOARD_WIDE_PERMS = (WORK_CASES, DECIDE_REFERRALS, AUDIT_BOARD)

REFUSALS = {
    "commission": "Only members of the review's panel or the business unit can commission IMRs.",
    "nominate": "Only the agency's chief officer or designated representative, or the business unit, "
    "can name the author.",
    "nil_return": "Only the agency's chief officer or designated representative, or the business unit, "
    "can record a nil return.",
    "write": "Only the IMR's nominated author can change it.",
    "agency_qa": "Only the author or the agency can send the IMR for the agency's quality assurance.",
    "author_sign": "Only the IMR's author can sign the author's declaration.",
    "sign_off": "Only the agency's head (chief executive or director) can sign off the IMR.",
    "return_to_author": "Only the agency's contacts or its head can return the IMR to the author.",
    "replace_author": "Only the agency's chief officer or designated representative, or the business unit, "
    "can replace the author.",
    "cancel": "Only the panel or the business unit can cancel an IMR.",
    "submit": "Only the author or the agency can submit the IMR.",
    "quality_assure": "Only members of the review's panel can quality-assure an IMR.",
    "present": "Only the panel or the business unit can record the presentation.",
    "request_information": "Only the panel or the business unit can ask for further information.",
    "provide_information": "Only the IMR's author can send the further information.",
    "finalise": "Only the panel or the business unit can mark the IMR final.",
    "view_integrated": "Only the panel and the board's staff see the integrated chronology.",
}


def _authenticated(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def board_wide_board_ids(user) -> set[int]:
    """Boards on which the user is business unit, LSCB Chair or auditor."""
    if not _authenticated(user):
        return set()
    return board_ids_with_any_perm(user, BOARD_WIDE_PERMS)


def business_unit_board_ids(user) -> set[int]:
    if not _authenticated(user):
        return set()
    return board_ids_with_any_perm(user, [WORK_CASES])


def contact_agency_ids(user) -> set[int]:
    if not _authenticated(user):
        return set()
    return {agency for _, role, agency in memberships_of(user) if role in AGENCY_ROLES and agency}


def panel_review_ids(user) -> set[int]:
    if not _authenticated(user):
        return set()
    return set(panel_roles_of(user))


def authored_imr_ids(user) -> list[int]:
    if not _authenticated(user):
        return []
    return object_ids_for_user(user, IMR, [VIEW_IMR])


def authored_imrs(user) -> QuerySet[IMR]:
    return IMR.objects.filter(pk__in=authored_imr_ids(user))


@dataclass(frozen=True)
class IMRAccess:
    """What one user may do on one IMR, worked out once per request."""

    is_author: bool = False
    is_agency: bool = False
    is_head: bool = False
    is_panel: bool = False
    is_board_wide: bool = False
    is_business_unit: bool = False

    @property
    def sees(self) -> bool:
        return self.is_author or self.is_agency or self.is_head or self.is_panel or self.is_board_wide

    @property
    def sees_interviews(self) -> bool:
        """Interview summaries: the author and the agency only, never the panel (domain brief §2.3)."""
        return self.is_author or self.is_agency or self.is_head

    @property
    def is_reviewer(self) -> bool:
        """Reads the IMR as the panel or the board does, not as its writer."""
        return self.is_panel or self.is_board_wide

    def may(self, action: str) -> bool:
        if action == "view":
            return self.sees
        if action == "view_interviews":
            return self.sees_interviews
        if action in ("nominate", "nil_return", "replace_author"):
            return self.is_agency or self.is_business_unit
        if action in ("write", "provide_information", "author_sign"):
            return self.is_author
        if action == "sign_off":
            return self.is_head
        if action == "return_to_author":
            return self.is_agency or self.is_head
        if action in ("agency_qa", "submit"):
            return self.is_author or self.is_agency or self.is_head
        if action == "quality_assure":
            return self.is_panel
        if action in ("present", "request_information", "finalise", "cancel"):
            return self.is_panel or self.is_business_unit
        raise ValueError(f"Unknown action {action!r}")

    def require(self, action: str) -> None:
        if not self.may(action):
            raise PermissionDenied(REFUSALS.get(action, "You cannot do that on this IMR."))


NO_ACCESS = IMRAccess()


def imr_access(user, imr: IMR) -> IMRAccess:
    """A handful of queries, whatever the IMR holds."""
    if not _authenticated(user):
        return NO_ACCESS
    board = imr.review.board
    board_perms = board_perm_codenames(user, board)
    agency_roles = {
        role
        for board_id, role, agency in memberships_of(user)
        if board_id == board.pk and role in AGENCY_ROLES and agency == imr.agency_id
    }
    return IMRAccess(
        is_author=imr.author_id == user.pk and "view_imr" in object_perm_codenames(user, imr),
        is_agency=Role.AGENCY_CONTACT in agency_roles,
        is_head=Role.HEAD_OF_AGENCY in agency_roles,
        is_panel=imr.review_id in panel_roles_of(user),
        is_board_wide=bool(board_perms & {perm.split(".")[1] for perm in BOARD_WIDE_PERMS}),
        is_business_unit="work_cases" in board_perms,
    )


def require(user, imr: IMR, action: str) -> IMRAccess:
    """For services: the access of `user`, or PermissionDenied naming who may do `action`."""
    access = imr_access(user, imr)
    access.require(action)
    return access


def get_imr_for_user(user, pk: int, action: str | None = None) -> tuple[IMR, IMRAccess]:
    """404 when the user may not know the IMR exists; 403 when they see it but may not do `action`."""
    imr = (
        IMR.objects.select_related("review__board", "review__referral", "agency", "author")
        .filter(pk=pk)
        .first()
    )
    if imr is None:
        raise Http404("No such IMR.")
    access = imr_access(user, imr)
    if not access.sees:
        raise Http404("No such IMR.")
    if action == "view_interviews" and not access.sees_interviews:
        raise Http404("No such interview.")
    if action:
        access.require(action)
    return imr, access


# --- The review's IMRs as a whole ---------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewIMRAccess:
    is_panel: bool = False
    is_board_wide: bool = False
    is_business_unit: bool = False

    @property
    def sees(self) -> bool:
        return self.is_panel or self.is_board_wide

    def may(self, action: str) -> bool:
        if action in ("view", "view_integrated"):
            return self.sees
        if action == "commission":
            return self.is_panel or self.is_business_unit
        raise ValueError(f"Unknown action {action!r}")

    def require(self, action: str) -> None:
        if not self.may(action):
            raise PermissionDenied(REFUSALS.get(action, "You cannot do that on this review."))


def review_imr_access(user, review: Review) -> ReviewIMRAccess:
    if not _authenticated(user):
        return ReviewIMRAccess()
    board_perms = board_perm_codenames(user, review.board)
    return ReviewIMRAccess(
        is_panel=review.pk in panel_roles_of(user),
        is_board_wide=bool(board_perms & {perm.split(".")[1] for perm in BOARD_WIDE_PERMS}),
        is_business_unit="work_cases" in board_perms,
    )


def get_review_imrs_for_user(user, pk: int, action: str | None = None) -> tuple[Review, ReviewIMRAccess]:
    """The IMR pages of a review (the panel's list, commissioning, the integrated chronology): the panel
    and the board's staff; 404 for anyone else, including the review's IMR authors."""
    review = Review.objects.select_related("board", "referral").filter(pk=pk).first()
    if review is None:
        raise Http404("No such review.")
    access = review_imr_access(user, review)
    if not access.sees:
        raise Http404("No such review.")
    if action:
        access.require(action)
    return review, access


def imrs_visible_to(user) -> QuerySet[IMR]:
    """Every IMR the user may open: their own as author, their agency's, their panels' reviews', and every
    IMR of the boards where they are business unit, Chair or auditor."""
    if not _authenticated(user):
        return IMR.objects.none()
    # Each part is a short list of ids read from the user's own rows, so the IMRs are found through the
    # indexes on id, agency and review, never by comparing every IMR of the nation with four subqueries.
    review_ids = panel_review_ids(user) | set(
        Review.objects.filter(board_id__in=board_wide_board_ids(user)).values_list("pk", flat=True)
    )
    visible = (
        Q(pk__in=authored_imr_ids(user))
        | Q(agency_id__in=sorted(contact_agency_ids(user)))
        | Q(review_id__in=sorted(review_ids))
    )
    return IMR.objects.filter(visible)
