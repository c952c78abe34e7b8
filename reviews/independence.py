"""The independence and conflict-of-interest rules of the domain brief §2.2, as validators.

Each rule names the roles it applies to, whether it is a 'must' (a failure blocks the appointment) or a
'should' (only the LSCB Chair may override it, with a reason), the words shown when it fails, and the
guidance it comes from. A rule's check is a pure function of the `Candidate`, which the service builds
from the declaration and from what the portal already knows (the person's roles on the board, their
place on this panel, whether they answer for an agency involved in the case)."""

from collections.abc import Callable
from dataclasses import dataclass, field

from scr_portal.models import Role

from .models import COMPETENCES_NEEDED, PanelRole

MUST, SHOULD = "must", "should"

CHAIR = PanelRole.INDEPENDENT_CHAIR
AUTHOR = PanelRole.OVERVIEW_AUTHOR

# The declaration: yes/no questions every appointee answers (domain brief §2.2 build note).
QUESTIONS: list[tuple[str, str]] = [
    ("involved_lscb_member", "Are they a member of an LSCB involved in this case?"),
    ("involved_agency_employee", "Are they employed by an agency involved in this case?"),
    (
        "case_involvement",
        "Have they had any involvement with the child, the family or the case, or management "
        "responsibility for it?",
    ),
    ("manages_practitioners", "Are they the line manager of any practitioner involved in the case?"),
]

# Roles on the board that make someone part of the LSCB, or of its staff.
LSCB_MEMBER_ROLES = frozenset({Role.LSCB_CHAIR, Role.SUBCOMMITTEE_MEMBER})
LSCB_STAFF_ROLES = frozenset({Role.BUSINESS_MANAGER, Role.BUSINESS_SUPPORT})


@dataclass(frozen=True)
class Candidate:
    role: str
    answers: dict[str, bool]
    board_roles: frozenset[str] = frozenset()
    other_panel_roles: frozenset[str] = frozenset()
    contact_of_involved_agency: bool = False
    competences: frozenset[str] = frozenset()
    competence_evidence: str = ""
    indemnity_confirmed: bool = False
    supervision_confirmed: bool = False
    data_protection_confirmed: bool = False
    contract_issued: bool = False

    def said(self, question: str) -> bool:
        return bool(self.answers.get(question))


@dataclass(frozen=True)
class Rule:
    code: str
    level: str
    roles: frozenset[str]
    text: str
    source: str
    broken_by: Callable[[Candidate], bool] = field(repr=False)

    @property
    def message(self) -> str:
        return f"{self.text} ({self.source})."


def _competences_missing(candidate: Candidate) -> bool:
    needed = set(COMPETENCES_NEEDED.get(candidate.role, ()))
    return not needed <= candidate.competences or not candidate.competence_evidence.strip()


RULES: list[Rule] = [
    Rule(
        "chair-not-lscb-member",
        MUST,
        frozenset({CHAIR}),
        "The panel chair must not be a member of an LSCB involved in the case",
        "Solihull §3.1.1",
        lambda c: c.said("involved_lscb_member") or bool(c.board_roles & LSCB_MEMBER_ROLES),
    ),
    Rule(
        "chair-not-agency-employee",
        MUST,
        frozenset({CHAIR}),
        "The panel chair must not be employed by an agency involved in the case",
        "Solihull §3.1.1",
        lambda c: c.said("involved_agency_employee") or c.contact_of_involved_agency,
    ),
    Rule(
        "chair-not-author",
        MUST,
        frozenset({CHAIR}),
        "The panel chair must not be the overview author",
        "Solihull §3.1.1",
        lambda c: AUTHOR in c.other_panel_roles,
    ),
    Rule(
        "author-not-lscb-chair",
        MUST,
        frozenset({AUTHOR}),
        "The overview author must not be the LSCB Chair",
        "Solihull §3.1.1",
        lambda c: Role.LSCB_CHAIR in c.board_roles,
    ),
    Rule(
        "author-not-panel-chair",
        MUST,
        frozenset({AUTHOR}),
        "The overview author must not be the panel chair",
        "Solihull §3.1.1",
        lambda c: CHAIR in c.other_panel_roles,
    ),
    Rule(
        "independent-of-lscb-and-services",
        MUST,
        frozenset({CHAIR, AUTHOR}),
        "The panel chair and the overview author must be independent of the LSCB and of every service "
        "involved in the case",
        "DCSF response, Annex A Rec 44",
        lambda c: (
            c.said("involved_lscb_member")
            or c.said("involved_agency_employee")
            or c.contact_of_involved_agency
            or bool(c.board_roles & (LSCB_MEMBER_ROLES | LSCB_STAFF_ROLES))
        ),
    ),
    Rule(
        "no-case-involvement",
        MUST,
        frozenset({CHAIR, AUTHOR}),
        "Whoever conducts the review must have had no involvement in the case or management "
        "responsibility for it, and be independent of the workers involved",
        "Bolton leaflet, 'Who will carry out the review?'",
        lambda c: c.said("case_involvement") or c.said("manages_practitioners"),
    ),
    Rule(
        "author-not-on-panel",
        SHOULD,
        frozenset({AUTHOR}),
        "The overview author should not sit on the panel (Ofsted grades this inadequate)",
        "Solihull §3.1.1, App 12",
        lambda c: bool(c.other_panel_roles - {CHAIR}),
    ),
    Rule(
        "competences",
        SHOULD,
        frozenset({CHAIR, AUTHOR}),
        "The appointee should meet the App 16 competences for the role (author 1–4, chair 2–5), with "
        "evidence",
        "Solihull §3.1.3, App 16",
        _competences_missing,
    ),
    Rule(
        "indemnity-supervision-data-protection",
        SHOULD,
        frozenset({CHAIR, AUTHOR}),
        "Professional indemnity, supervision and data-protection compliance should be confirmed",
        "Solihull §3.1.3–3.1.4",
        lambda c: not (c.indemnity_confirmed and c.supervision_confirmed and c.data_protection_confirmed),
    ),
    Rule(
        "contract-issued",
        SHOULD,
        frozenset({CHAIR, AUTHOR}),
        "A contract should have been issued",
        "Solihull §3.1.4",
        lambda c: not c.contract_issued,
    ),
    Rule(
        "legal-adviser-not-involved",
        SHOULD,
        frozenset({PanelRole.LEGAL_ADVISER}),
        "The legal adviser should have had no involvement in the case",
        "Solihull App 14 §3.2–3.3",
        lambda c: c.said("case_involvement"),
    ),
]
RULES_BY_CODE = {rule.code: rule for rule in RULES}


@dataclass(frozen=True)
class Verdict:
    broken_musts: list[Rule]
    broken_shoulds: list[Rule]

    @property
    def ok(self) -> bool:
        return not self.broken_musts and not self.broken_shoulds


def check(candidate: Candidate) -> Verdict:
    """Every rule for the candidate's role that the candidate breaks, 'must' and 'should' apart."""
    broken = [rule for rule in RULES if candidate.role in rule.roles and rule.broken_by(candidate)]
    return Verdict(
        broken_musts=[rule for rule in broken if rule.level == MUST],
        broken_shoulds=[rule for rule in broken if rule.level == SHOULD],
    )


def rules_for(role: str) -> list[Rule]:
    return [rule for rule in RULES if role in rule.roles]
