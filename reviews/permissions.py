"""Who may see and act on a review (domain brief §2.1, §2.3). Every view and service asks here.

- Board-wide viewers of the review's board (business unit, LSCB Chair, auditor) see every review.
- Panel members see the reviews they are on: appointment grants django-guardian object permissions on
  that review alone, and removal withdraws them.
- IMR authors of the review see its approved terms of reference and the final draft overview report
  (to confirm fair representation), nothing else.
- The monitoring group of the review's type (the SCR sub-committee, or Quality & Effectiveness for audits
  and key-themes reports) reads the review once it has something to monitor — an action plan, or the
  review is in monitoring or closed — but not its confidential parts (docs/security.md, "The monitoring
  group's view of a review"): only `review_detail`, which shows them a page of their own, and the plan.
- Anyone else gets a 404: they may not know the review exists. Someone who sees it but may not do an
  action gets a 403 naming who can.

Global permissions and the superuser shortcut are off throughout: being a Django superuser does not open
a board's case records.
"""

from collections.abc import Iterable
from dataclasses import dataclass, replace

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from scr_portal.models import Role
from scr_portal.permissions import (
    AUDIT_BOARD,
    DECIDE_REFERRALS,
    WORK_CASES,
    board_ids_with_any_perm,
    board_perm_codenames,
    memberships_of,
    object_ids_for_user,
    object_perm_codenames,
    remembered,
    roles_on,
)

from . import agency_reports
from .frameworks import review_rules
from .models import (
    Action,
    ActionPlan,
    PanelMembership,
    PanelRole,
    Recommendation,
    Review,
    ReviewState,
    ReviewType,
)

VIEW_REVIEW = "reviews.view_review"
COMMENT = "comment_on_review"
UPLOAD_REPORTS = "upload_review_reports"
BOARD_WIDE_PERMS = frozenset({"work_cases", "decide_referrals", "audit_board"})

# The object permissions an active panel role gives on its review.
ROLE_REVIEW_PERMS: dict[str, tuple[str, ...]] = {
    role: ("view_review", COMMENT) for role in PanelRole.values
} | {PanelRole.OVERVIEW_AUTHOR: ("view_review", COMMENT, UPLOAD_REPORTS)}
ALL_REVIEW_PERMS = frozenset(perm for perms in ROLE_REVIEW_PERMS.values() for perm in perms)

BOARD, PANEL, IMR_AUTHOR, MONITOR = "board", "panel", "imr_author", "monitor"

REFUSALS = {
    "run": "Only the board's business unit can do that on a review.",
    "appoint": "Only the business unit or the LSCB Chair can change the panel.",
    "override": "Only the LSCB Chair can override an independence rule, with a reason.",
    "approve_tor": "Only the LSCB Chair can approve the terms of reference.",
    "agree_tor": "Only the panel chair or the business unit can record the panel's agreement.",
    "draft_tor": "Only the panel chair or the business unit can draft the terms of reference.",
    "comment": "Only panel members and the board's staff can comment.",
    "upload_reports": "Only the overview author or the business unit can upload the reports.",
    "resolve_dispute": "Only the panel chair or the business unit can record a dispute as resolved.",
    "respond": "Only the IMR author it was sent to can answer this.",
    "adopt": "Only the LSCB Chair can record the LSCB's adoption of the review.",
    "close": "Only the LSCB Chair can sign off the action plan and close the review.",
    "stand_down": "Only the LSCB Chair can stand a review down or cancel an alternative review.",
    "publish": "Only the business unit or the LSCB Chair can record the publication.",
    "override_publication": "Only the LSCB Chair can publish while publication is held, with a reason.",
    "extend": "Only the business unit or the LSCB Chair can record an extension agreed by the LSCB.",
    "family": "Only the business unit or the panel chair can record the family's involvement.",
    "follow_imrs": "Only the panel or the business unit can move the review on with its IMRs.",
}


@dataclass(frozen=True)
class ReviewAccess:
    """What one user may do on one review, worked out once per request."""

    level: str | None
    board_perms: frozenset[str]
    review_perms: frozenset[str]
    panel_roles: frozenset[str]
    is_imr_author: bool
    # The board permission of the LSCB Chair's acts (approve, adopt, close, override); under England 2023
    # the partners' business unit records them (reviews.frameworks.ReviewRules.chair_acts_with).
    chair_perm: str = "decide_referrals"

    @property
    def sees_all(self) -> bool:
        return self.level in (BOARD, PANEL)

    @property
    def is_panel_chair(self) -> bool:
        return PanelRole.INDEPENDENT_CHAIR in self.panel_roles

    def may(self, action: str) -> bool:
        board = self.board_perms
        if action == "view":
            return self.level is not None
        if action == "run":
            return "work_cases" in board
        if action in ("appoint", "extend", "publish"):
            return bool(board & {"work_cases", "decide_referrals"})
        if action in ("override", "override_publication", "approve_tor", "adopt", "close", "stand_down"):
            return self.chair_perm in board
        if action in ("agree_tor", "draft_tor", "resolve_dispute", "family"):
            return "work_cases" in board or self.is_panel_chair
        if action == "comment":
            return COMMENT in self.review_perms or bool(board & {"work_cases", "decide_referrals"})
        if action == "upload_reports":
            return UPLOAD_REPORTS in self.review_perms or "work_cases" in board
        if action == "respond":
            return self.is_imr_author
        if action == "follow_imrs":
            # Commissioning and accepting IMRs (the panel or the business unit) move the review with them.
            return "work_cases" in board or bool(self.panel_roles)
        raise ValueError(f"Unknown action {action!r}")

    def require(self, action: str) -> None:
        if not self.may(action):
            raise PermissionDenied(REFUSALS.get(action, "You cannot do that on this review."))


def panel_roles_of(user) -> dict[int, frozenset[str]]:
    """{review pk: the user's roles on its panel} over every panel they sit on: one query a request."""

    def load() -> dict[int, frozenset[str]]:
        roles: dict[int, set[str]] = {}
        rows = PanelMembership.objects.filter(user_id=user.pk, removed_at__isnull=True).order_by()
        for review_id, role in rows.values_list("review_id", "role"):
            roles.setdefault(review_id, set()).add(role)
        return {pk: frozenset(held) for pk, held in roles.items()}

    return remembered(user, "panel_roles", load) if user.is_authenticated else {}


NO_ACCESS = ReviewAccess(None, frozenset(), frozenset(), frozenset(), False)


def review_access(user, review: Review) -> ReviewAccess:
    """Four queries at most, whatever the review holds."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return NO_ACCESS
    board_perms = board_perm_codenames(user, review.board)
    review_perms = object_perm_codenames(user, review)
    panel_roles = frozenset(panel_roles_of(user).get(review.pk, ()))
    if board_perms & BOARD_WIDE_PERMS:
        level = BOARD
    elif "view_review" in review_perms:
        level = PANEL
    else:
        level = None
    # An IMR author's access to the review ends with it (issue 16 clause 7).
    is_author = agency_reports.is_author(user, review) if level != BOARD and review.is_open else False
    if level is None and is_author:
        level = IMR_AUTHOR
    chair_perm = review_rules(review).chair_acts_with
    return ReviewAccess(level, board_perms, review_perms, panel_roles, is_author, chair_perm)


def require(user, review: Review, action: str) -> ReviewAccess:
    """For services: the access of `user`, or PermissionDenied naming who may do `action`."""
    access = review_access(user, review)
    access.require(action)
    return access


def get_review_for_user(user, pk: int, action: str | None = None) -> tuple[Review, ReviewAccess]:
    """404 when the user may not know the review exists; 403 when they see it but may not do `action`."""
    review = Review.objects.select_related("board", "referral").filter(pk=pk).first()
    if review is None:
        raise Http404("No such review.")
    access = review_access(user, review)
    if access.level is None:
        raise Http404("No such review.")
    if action:
        access.require(action)
    return review, access


def get_review_to_read(user, pk: int, *, related: Iterable[str] = ()) -> tuple[Review, ReviewAccess]:
    """As `get_review_for_user`, and also for the review's monitoring group (level MONITOR), who read the
    review's page without its confidential parts. Only the review's own page asks this. `related`: the
    rows the page shows with it (select_related), fetched in the same query."""
    review = Review.objects.select_related("board", "referral", *related).filter(pk=pk).first()
    if review is None:
        raise Http404("No such review.")
    access = review_access(user, review)
    if access.level is None and monitors(user, review):
        access = replace(access, level=MONITOR)
    if access.level is None:
        raise Http404("No such review.")
    return review, access


def monitors(user, review: Review) -> bool:
    """The user is in the review's monitoring group, and the review has something to monitor."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if monitoring_role(review) not in roles_on(user, review.board):
        return False
    monitored = review.state in (ReviewState.MONITORING, ReviewState.CLOSED)
    return monitored or ActionPlan.objects.filter(review=review).exists()


def monitored_reviews(user, board=None) -> QuerySet[Review]:
    """The reviews the user's monitoring groups follow, as `monitors` decides for one review: on `board`,
    or on any of their boards. One query for the memberships; the reviews come by board and type."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Review.objects.none()
    group_roles = set(MONITORING_GROUP_BY_TYPE.values())
    groups = [
        (board_id, role)
        for board_id, role, _ in memberships_of(user)
        if role in group_roles and (board is None or board_id == board.pk)
    ]
    followed = Q(pk__in=[])
    for board_id, role in groups:
        types = [kind for kind, group in MONITORING_GROUP_BY_TYPE.items() if group == role]
        followed |= Q(board_id=board_id, review_type__in=types)
    monitored = Q(state__in=(ReviewState.MONITORING, ReviewState.CLOSED)) | Q(action_plan__isnull=False)
    return Review.objects.filter(followed).filter(monitored)


def get_review_in_full(user, pk: int, missing: str = "No such review.") -> tuple[Review, ReviewAccess]:
    """As `get_review_for_user`, and 404 also for those who see only part of the review (IMR authors)."""
    review, access = get_review_for_user(user, pk)
    if not access.sees_all:
        raise Http404(missing)
    return review, access


def reviews_visible_to(user, board=None) -> QuerySet[Review]:
    """The reviews `user` sees in lists: all of `board`'s for its board-wide viewers, plus (on any board)
    those whose panel they are on."""
    if not getattr(user, "is_authenticated", False):
        return Review.objects.none()
    # The panel's reviews as a list of ids and the board as a column: both through an index, never a
    # subquery compared with every review of the nation.
    visible = Q(pk__in=object_ids_for_user(user, Review, [VIEW_REVIEW]))
    if board is not None and board.pk in board_ids_with_any_perm(
        user, (WORK_CASES, DECIDE_REFERRALS, AUDIT_BOARD)
    ):
        visible |= Q(board=board)
    return Review.objects.filter(visible)


# Which board role forms the monitoring group of each review type (see the module docstring).
MONITORING_GROUP_BY_TYPE = {
    ReviewType.SCR: Role.SUBCOMMITTEE_MEMBER,
    ReviewType.PARTNERSHIP: Role.SUBCOMMITTEE_MEMBER,
    ReviewType.MANAGEMENT: Role.SUBCOMMITTEE_MEMBER,
    ReviewType.SINGLE_AGENCY: Role.SUBCOMMITTEE_MEMBER,
    ReviewType.OTHER: Role.SUBCOMMITTEE_MEMBER,
    ReviewType.AUDIT: Role.AUDITOR,
    ReviewType.KEY_THEMES: Role.AUDITOR,
}
MONITORING_GROUP_NAMES = {
    Role.SUBCOMMITTEE_MEMBER: "SCR sub-committee",
    Role.AUDITOR: "Quality & Effectiveness",
}


PLAN_REFUSALS = {
    "manage": "Only the board's business unit can change the action plan.",
    "decide": "Only the LSCB Chair can do that.",
    "monitor": "Only the monitoring group of this type of review can record its verdict.",
    "update": "Only the action's owner, its agency's contact or the business unit can update it.",
    "sign_up": "Only the agency's contact or the business unit can record the agency's sign-up.",
}


@dataclass(frozen=True)
class PlanAccess:
    """What one user may do on one review's plan."""

    board_perms: frozenset[str]
    monitoring: bool
    agencies: frozenset[int]
    user_id: int | None

    @property
    def sees_all(self) -> bool:
        return bool(self.board_perms & {"work_cases", "decide_referrals", "audit_board"}) or self.monitoring

    @property
    def sees_any(self) -> bool:
        return self.sees_all or bool(self.agencies)

    def may(self, action: str, obj=None) -> bool:
        if action == "view":
            return self.sees_any
        if action == "manage":
            return "work_cases" in self.board_perms
        if action == "decide":
            return "decide_referrals" in self.board_perms
        if action == "monitor":
            return self.monitoring
        if action == "sign_up":
            return "work_cases" in self.board_perms or (obj is not None and obj.pk in self.agencies)
        if action == "see_action":
            return self.sees_all or obj.agency_id in self.agencies or obj.owner_id == self.user_id
        if action == "update":
            return (
                "work_cases" in self.board_perms
                or obj.agency_id in self.agencies
                or obj.owner_id == self.user_id
            )
        raise ValueError(f"Unknown action {action!r}")

    def require(self, action: str, obj=None) -> None:
        if not self.may(action, obj):
            raise PermissionDenied(PLAN_REFUSALS.get(action, "You cannot do that on this plan."))


NO_PLAN_ACCESS = PlanAccess(frozenset(), False, frozenset(), None)


def monitoring_role(review: Review) -> str:
    return MONITORING_GROUP_BY_TYPE.get(review.review_type, Role.SUBCOMMITTEE_MEMBER)


def monitoring_group_name(review: Review) -> str:
    return MONITORING_GROUP_NAMES[monitoring_role(review)]


def plan_access(user, review: Review) -> PlanAccess:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return NO_PLAN_ACCESS
    board_perms = board_perm_codenames(user, review.board)
    roles = [(role, agency) for board_id, role, agency in memberships_of(user) if board_id == review.board_id]
    monitoring = any(role == monitoring_role(review) for role, _ in roles)
    agencies = frozenset(agency for role, agency in roles if role == Role.AGENCY_CONTACT and agency)
    if agencies:
        # An agency contact is concerned only when their agency is in the plan or gave an IMR.
        agencies &= involved_agencies(review)
    return PlanAccess(board_perms, monitoring, agencies, user.pk)


def involved_agencies(review: Review) -> frozenset[int]:
    in_plan = Action.objects.filter(recommendation__plan__review=review).values_list("agency_id", flat=True)
    addressed = Recommendation.objects.filter(plan__review=review, agency__isnull=False).values_list(
        "agency_id", flat=True
    )
    imrs = agency_reports.agency_ids(review)
    return frozenset(in_plan) | frozenset(addressed) | frozenset(imrs)


def require_on_plan(user, review: Review, action: str, obj=None) -> PlanAccess:
    access = plan_access(user, review)
    if not access.sees_any and not (obj is not None and getattr(obj, "owner_id", None) == user.pk):
        if not access.board_perms:
            raise Http404("No such review.")
    access.require(action, obj)
    return access
