"""Reads for England 2023's partners' decision and the Panel's response (domain brief §10)."""

from dataclasses import dataclass

from scr_portal.models import SafeguardingPartner

from ..frameworks import confirms_by_partners
from ..models import Decision, PanelResponse, PartnerConfirmation, Referral


@dataclass(frozen=True)
class PartnersDecision:
    """The decision the business unit recorded, who of the three partners confirmed it and who has
    still to, and the Panel's responses kept beside it."""

    decision: Decision | None
    confirmations: list[PartnerConfirmation]
    waiting_for: list[str]
    panel_responses: list[PanelResponse]

    @property
    def confirmed_partners(self) -> set[str]:
        return {confirmation.partner for confirmation in self.confirmations}


def partners_decision(referral: Referral) -> PartnersDecision | None:
    """None for a framework whose decision the partners do not confirm."""
    if not confirms_by_partners(referral):
        return None
    decision = Decision.objects.filter(referral=referral).select_related("decided_by").first()
    confirmations = list(decision.confirmations.select_related("agency", "confirmed_by")) if decision else []
    done = {confirmation.partner for confirmation in confirmations}
    return PartnersDecision(
        decision=decision,
        confirmations=confirmations,
        waiting_for=[label for value, label in SafeguardingPartner.choices if value not in done],
        panel_responses=list(referral.panel_responses.select_related("recorded_by")),
    )
