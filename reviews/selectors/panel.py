"""The executive summary's membership section, read from the panel."""

from dataclasses import dataclass

from scr_portal.models import Membership, Role
from scr_portal.models.people import NamedRole

from ..models import PanelMembership, PanelRole, Review


@dataclass(frozen=True)
class MembershipLine:
    role: str
    name: str
    post: str
    organisation: str

    @property
    def text(self) -> str:
        described = ", ".join(part for part in (self.post, self.organisation) if part)
        if self.name:
            return f"{self.role}: {self.name}" + (f", {described}" if described else "")
        return described


@dataclass(frozen=True)
class MembershipSection:
    named: list[MembershipLine]
    members: list[MembershipLine]

    @property
    def text(self) -> str:
        lines = ["Membership of the review panel", "", "Named officers"]
        lines += [line.text for line in self.named]
        lines += ["", "Panel members (by post and organisation)"]
        lines += [f"- {line.text}" for line in self.members] or ["- None"]
        return "\n".join(lines)


ROLE_ORDER = {role: position for position, role in enumerate(PanelRole.values)}


def executive_summary_membership(review: Review) -> MembershipSection:
    """The executive summary's membership section, generated (domain brief §8 items 1–2; DCSF ¶3.10;
    Solihull §13.2.1): the officers the board's NAMED_ROLES lists (by default the LSCB Chair, the panel
    chair and the overview author) by name; every other panel member by post and organisation, and by name
    too only where the board names panel members (domain brief §9)."""
    roles = set(review.board.named_roles)
    named = []
    if NamedRole.LSCB_CHAIR in roles:
        chairs = (
            Membership.objects.filter(board=review.board, role=Role.LSCB_CHAIR, user__is_active=True)
            .select_related("user")
            .order_by("user__full_name")
        )
        named = [
            MembershipLine("LSCB Chair", m.user.full_name, m.user.job_title, m.user.organisation)
            for m in chairs
        ]
    officers = {
        PanelRole.INDEPENDENT_CHAIR: NamedRole.PANEL_CHAIR,
        PanelRole.OVERVIEW_AUTHOR: NamedRole.OVERVIEW_AUTHOR,
    }
    members = []
    panel = PanelMembership.objects.filter(review=review, removed_at__isnull=True).order_by("pk")
    for membership in sorted(panel, key=lambda m: (ROLE_ORDER[m.role], m.post, m.organisation, m.pk)):
        officer = officers.get(membership.role)
        by_name = (officer or NamedRole.PANEL_MEMBERS) in roles
        line = MembershipLine(
            membership.get_role_display(),
            membership.user.full_name if by_name else "",
            membership.post,
            membership.organisation,
        )
        (named if officer and by_name else members).append(line)
    return MembershipSection(named=named, members=members)
