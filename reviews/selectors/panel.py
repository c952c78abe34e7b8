"""The executive summary's membership section, read from the panel."""

from dataclasses import dataclass

from scr_portal.models import Membership, Role

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
    Solihull §13.2.1): the LSCB Chair, the panel chair and the overview author by name; every other
    panel member by post and organisation only — never by name."""
    chairs = (
        Membership.objects.filter(board=review.board, role=Role.LSCB_CHAIR, user__is_active=True)
        .select_related("user")
        .order_by("user__full_name")
    )
    named = [
        MembershipLine("LSCB Chair", m.user.full_name, m.user.job_title, m.user.organisation) for m in chairs
    ]
    members = []
    panel = PanelMembership.objects.filter(review=review, removed_at__isnull=True).order_by("pk")
    for membership in sorted(panel, key=lambda m: (ROLE_ORDER[m.role], m.post, m.organisation, m.pk)):
        if membership.role in (PanelRole.INDEPENDENT_CHAIR, PanelRole.OVERVIEW_AUTHOR):
            named.append(
                MembershipLine(
                    membership.get_role_display(),
                    membership.user.full_name,
                    membership.post,
                    membership.organisation,
                )
            )
        else:
            members.append(
                MembershipLine(membership.get_role_display(), "", membership.post, membership.organisation)
            )
    return MembershipSection(named=named, members=members)
