"""Reads for England 2023's partners' decision and the Panel's response (domain brief §10)."""

from dataclasses import dataclass

from scr_portal import frameworks
from scr_portal.models import Agency, Board, SafeguardingPartner

from ..frameworks import confirms_by_partners, framework_confirms
from ..models import Decision, PanelResponse, PartnerConfirmation, Referral, ReferralState
from ..permissions import partners_led_on


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


@dataclass(frozen=True)
class ToConfirm:
    """A recorded decision on the board waiting for the partners this lead leads (their agencies)."""

    referral: Referral
    decision: Decision
    for_agencies: list[Agency]


def decisions_to_confirm(user, board: Board | None) -> list[ToConfirm]:
    """The partner lead's home: the decisions recorded on `board` under a framework whose partners confirm
    them (`awaiting_confirmation`), which a partner `user` leads has still to confirm. Three queries for
    any number of cases."""
    if board is None:
        return []
    led = partners_led_on(user, board.pk)
    codes = [code for code, _ in frameworks.choices() if framework_confirms(code)]
    if not led or not codes:
        return []
    if frameworks.DEFAULT in codes:
        codes.append("")
    decisions = list(
        Decision.objects.filter(
            referral__board=board,
            referral__state=ReferralState.RECOMMENDED,
            referral__review_framework__in=codes,
        )
        .select_related("referral")
        .order_by("decided_at", "pk")
    )
    done = set(
        PartnerConfirmation.objects.filter(decision__in=decisions, partner__in=led).values_list(
            "decision_id", "partner"
        )
    )
    rows = []
    for decision in decisions:
        agencies = [agency for partner, agency in sorted(led.items()) if (decision.pk, partner) not in done]
        if agencies:
            rows.append(ToConfirm(referral=decision.referral, decision=decision, for_agencies=agencies))
    return rows
