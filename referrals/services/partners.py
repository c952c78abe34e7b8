"""England 2023 (domain brief §10): each safeguarding partner's lead confirms the partners' decision from
their own account, and the decision takes effect with the last confirmation; the Child Safeguarding
Practice Review Panel's response to the rapid review is recorded when it arrives."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django_fsm import can_proceed

from scr_portal.services import now_or
from scr_portal.transitions import lock, log_transition

from ..frameworks import awaiting_confirmation, side
from ..models import PanelResponse, PartnerConfirmation, Referral, ReferralState
from ..permissions import led_partners
from .common import CANNOT_NOW, _locked_for
from .decision import decision_take_effect

NOT_A_PARTNER_LEAD = "Only a safeguarding partner's lead of this board confirms the partners' decision."
NOTHING_TO_CONFIRM = "There is no decision of the safeguarding partners waiting to be confirmed."
ALREADY_CONFIRMED = "Your partner has already confirmed this decision."
NOT_SENT_TO_PANEL = "The rapid review has not been sent to the Panel yet."


@transaction.atomic
def partners_decision_confirm(*, referral: Referral, actor, now=None) -> PartnerConfirmation:
    """The lead of one of the three safeguarding partners confirms the decision the business unit
    recorded; the last of the three confirmations lets the deciding transition run (rule
    `partners_confirmed`)."""
    now = now_or(now)
    locked = lock(referral, "board")
    led = led_partners(actor, locked)
    if not led:
        raise PermissionDenied(NOT_A_PARTNER_LEAD)
    decision = awaiting_confirmation(locked)
    if decision is None:
        raise ValidationError(NOTHING_TO_CONFIRM)
    done = set(decision.confirmations.values_list("partner", flat=True))
    partner = next((partner for partner in sorted(led) if partner not in done), None)
    if partner is None:
        raise ValidationError(ALREADY_CONFIRMED)
    confirmation = PartnerConfirmation.objects.create(
        decision=decision, partner=partner, agency=led[partner], confirmed_by=actor, confirmed_at=now
    )
    log_transition(
        locked, "confirm_decision", locked.state, actor, f"Confirmed for {confirmation.get_partner_display()}"
    )
    if can_proceed(locked.decide):
        decision_take_effect(locked, decision, actor=actor, now=now)
    return confirmation


@transaction.atomic
def panel_response_record(
    *, referral: Referral, actor, kind: str, received_on: dt.date, notes: str = "", now=None
) -> PanelResponse:
    """What the Panel said of the rapid review. It leaves the partners' decision as it is."""
    now = now_or(now)
    locked = _locked_for(referral, actor, "record_panel_response")
    if not side(locked).rapid_review:
        raise ValidationError(CANNOT_NOW)
    if locked.state not in (ReferralState.RECOMMENDED, ReferralState.DECIDED):
        raise ValidationError(NOT_SENT_TO_PANEL)
    response = PanelResponse.objects.create(
        referral=locked, kind=kind, received_on=received_on, notes=notes, recorded_by=actor, recorded_at=now
    )
    log_transition(locked, "record_panel_response", locked.state, actor, response.get_kind_display())
    return response
