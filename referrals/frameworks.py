"""How the referral machine serves each review framework (issue 20; scr_portal.frameworks). The SCR
framework uses every stage and transition under the engine's own names. England 2023 uses them for the
local authority's serious incident notification, the rapid review and the partners' decision (domain brief
§10): agency checks become the agency summaries, the screening meeting the rapid review meeting, the
recommendation the rapid review sent to the National Panel."""

from scr_portal import frameworks

from .models import REFERRAL_MACHINE, Referral, ReferralState

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

SCR = frameworks.MachinePart(
    framework=frameworks.SCR_2010,
    machine=REFERRAL_MACHINE,
    stages=tuple(ReferralState.values),
    transitions=TRANSITIONS,
)

ENGLAND = frameworks.MachinePart(
    framework=frameworks.ENGLAND_2023,
    machine=REFERRAL_MACHINE,
    stages=tuple(ReferralState.values),
    transitions=TRANSITIONS,
    labels={
        ReferralState.DRAFT: "Draft notification",
        ReferralState.SUBMITTED: "Notified",
        ReferralState.AGENCY_CHECKS: "Agency summaries requested",
        ReferralState.SCREENING_SCHEDULED: "Rapid review meeting set",
        ReferralState.RECOMMENDED: "Rapid review sent to the Panel",
        ReferralState.DECIDED: "Partners' decision confirmed",
    },
)


def register() -> None:
    frameworks.register_machine(REFERRAL_MACHINE, Referral)
    frameworks.register_part(SCR)
    frameworks.register_part(ENGLAND)
