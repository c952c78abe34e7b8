"""How the referral machine serves each review framework (issue 20; scr_portal.frameworks). The SCR
framework uses every stage and transition under the engine's own names. England 2023 uses them for the
local authority's serious incident notification, the rapid review and the partners' decision (domain brief
§10): agency checks become the agency summaries, the screening meeting the rapid review meeting, the
recommendation the rapid review sent to the National Panel.

Each framework's referral-side data (`ReferralSide`): who records the decision, which deadlines a case's
submission opens, what the recommendation meets; and the named rule England 2023 adds
(`partners_confirmed`)."""

from collections.abc import Callable
from dataclasses import dataclass

from scr_portal import frameworks
from scr_portal.frameworks import ENGLAND_2023, SCR_2010, MachinePart
from scr_portal.models import SafeguardingPartner
from scr_portal.people import business_unit, lscb_chairs
from scr_portal.permissions import DECIDE_REFERRALS, WORK_CASES

from .models import REFERRAL_MACHINE, Decision, Recommendation, Referral, ReferralState

MACHINE = REFERRAL_MACHINE
ONLY_CHAIR_DECIDES = "Only the LSCB Chair can decide whether a review is held."
TRANSITIONS = (
    "submit",
    "send_agency_checks",
    "schedule_screening",
    "recommend",
    "decide",
    "rescind",
    "withdraw",
    "transfer",
    "mark_duplicate",
)


def partners_confirmed(referral: Referral) -> bool:
    """Each of the three safeguarding partners' leads must confirm the decision first."""
    decision = Decision.objects.filter(referral=referral).first()
    if decision is None:
        return False
    confirmed = set(decision.confirmations.values_list("partner", flat=True))
    return confirmed >= set(SafeguardingPartner.values)


def confirms_by_partners(referral: Referral) -> bool:
    """Whether the case's framework holds the decision back until the partners' leads confirm it."""
    return framework_confirms(referral.review_framework)


def framework_confirms(code: str) -> bool:
    return "partners_confirmed" in frameworks.part(code, MACHINE).guards.get("decide", ())


def awaiting_confirmation(referral: Referral) -> Decision | None:
    """The recorded decision the partners' leads have still to confirm, if there is one."""
    if referral.state != ReferralState.RECOMMENDED or not confirms_by_partners(referral):
        return None
    return Decision.objects.filter(referral=referral).first()


@dataclass(frozen=True)
class ReferralSide:
    """A framework's data for the referral services. `on_submit`: (rule code, counted from "received",
    "aware" or "incident", who is responsible: "business_unit", "decision_makers" or "" for nobody, and
    "now" or "received" for a rule met at once: the submission is its event)."""

    decision_recorded_with: tuple[str, ...]
    decision_recorders: Callable  # board -> the people who record the decision
    decision_refusal: str
    on_submit: tuple[tuple[str, str, str, str], ...]
    recommendation_meets: str
    recommendation_notice: str  # to the decision's recorders; {reference}
    decided_words: tuple[str, str]  # the notice that the decision stands: its subject, its opening
    decision_intro: str  # on the decision page
    decision_heading: str  # on the referral page
    members_consulted_label: str
    # The incident notice's rule and the bodies whose notices of the incident together meet it.
    incident_notice: tuple[str, frozenset[str]]
    notified_bodies: tuple[str, ...]
    kept_open_at_decision: tuple[str, ...] = ()
    needs_aware_on: bool = False
    # The rapid review records immediate safety actions and learning with the meeting's view.
    rapid_review: bool = False


SIDES = {
    SCR_2010: ReferralSide(
        decision_recorded_with=(DECIDE_REFERRALS,),
        decision_recorders=lscb_chairs,
        decision_refusal=ONLY_CHAIR_DECIDES,
        on_submit=(
            ("referral-part1", "incident", "", "now"),
            ("agency-letters", "received", "business_unit", ""),
            ("incident-notice", "received", "business_unit", ""),
            ("screening", "received", "business_unit", ""),
            ("decision", "received", "decision_makers", ""),
        ),
        recommendation_meets="screening",
        recommendation_notice="The sub-committee has made its recommendation on referral {reference}. "
        "Your decision is due within one month of the referral.",
        decided_words=("The Chair has decided", "The LSCB Chair has decided on referral"),
        decision_intro="Part 2 of the referral. Only the LSCB Chair decides; the decision is due within one "
        "month of the referral.",
        members_consulted_label="LSCB members consulted",
        decision_heading="The LSCB Chair's decision",
        incident_notice=("incident-notice", frozenset({"ofsted", "dfe"})),
        notified_bodies=("ofsted", "dfe", "national_panel"),
        kept_open_at_decision=("incident-notice",),
    ),
    # The partners' business unit records their decision; each partner's lead confirms it.
    ENGLAND_2023: ReferralSide(
        decision_recorded_with=(WORK_CASES,),
        decision_recorders=business_unit,
        decision_refusal="Only the business unit records the safeguarding partners' decision.",
        on_submit=(
            ("e23-notify-panel", "aware", "business_unit", ""),
            ("e23-tell-partners", "aware", "", "received"),
            ("e23-rapid-review", "received", "business_unit", ""),
        ),
        recommendation_meets="e23-rapid-review",
        recommendation_notice="The rapid review of {reference} has been sent to the Panel. Record the "
        "safeguarding partners' decision, for each partner's lead to confirm.",
        # The Panel passes the notification on to Ofsted and the DfE.
        decided_words=(
            "The safeguarding partners' decision stands",
            "Each partner's lead has confirmed the safeguarding partners' decision on",
        ),
        decision_intro="Record the safeguarding partners' decision on a local child safeguarding practice "
        "review. It stands once the leads of the local authority, the police and the integrated care board "
        "have each confirmed it from their own account.",
        members_consulted_label="Partners' representatives consulted",
        decision_heading="The safeguarding partners' decision",
        incident_notice=("e23-notify-panel", frozenset({"cspr_panel"})),
        notified_bodies=("cspr_panel",),
        rapid_review=True,
        kept_open_at_decision=("e23-notify-panel",),
        needs_aware_on=True,
    ),
}


def outcome_choices(referral: Referral) -> list[tuple[str, str]]:
    """The outcomes of a recommendation or decision, the review named in the case's framework's words."""
    review = frameworks.get(referral.review_framework or frameworks.DEFAULT).word("review")
    return [
        (value, f"Hold a {review}" if value == Recommendation.SCR else label)
        for value, label in Recommendation.choices
    ]


def side(referral: Referral) -> ReferralSide:
    return SIDES[referral.review_framework or frameworks.DEFAULT]


PARTS = (
    MachinePart(
        framework=SCR_2010, machine=MACHINE, stages=tuple(ReferralState.values), transitions=TRANSITIONS
    ),
    MachinePart(
        framework=ENGLAND_2023,
        machine=MACHINE,
        stages=tuple(ReferralState.values),
        # Rescinding is the LSCB Chair's (and reopens the SCR's one-month decision): not England's.
        transitions=tuple(name for name in TRANSITIONS if name != "rescind"),
        labels={
            ReferralState.DRAFT: "Draft notification",
            ReferralState.SUBMITTED: "Notified",
            ReferralState.AGENCY_CHECKS: "Agency summaries requested",
            ReferralState.SCREENING_SCHEDULED: "Rapid review meeting set",
            ReferralState.RECOMMENDED: "Rapid review sent to the Panel",
            ReferralState.DECIDED: "Partners' decision confirmed",
        },
        guards={"decide": ("partners_confirmed",)},
    ),
)


def register() -> None:
    frameworks.register_machine(MACHINE, Referral)
    frameworks.register_rule("partners_confirmed", partners_confirmed)
    for part in PARTS:
        frameworks.register_part(part)
