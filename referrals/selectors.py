"""Reads for the referral pages."""

from dataclasses import dataclass

from django.urls import reverse

from .models import AgencyCheckState, Referral, ReferralState
from .permissions import user_agency_ids, user_may


@dataclass(frozen=True)
class Action:
    label: str
    url: str
    warning: bool = False


def available_actions(user, referral: Referral) -> list[Action]:
    """The buttons the referral page offers this user now. The views check again on every request."""
    pk, state = referral.pk, referral.state
    actions: list[Action] = []

    def offer(action: str, states, label: str, url_name: str, warning: bool = False) -> None:
        if state in states and user_may(user, referral, action):
            actions.append(Action(label, reverse(url_name, args=[pk]), warning))

    offer("edit_draft", {ReferralState.DRAFT}, "Continue the referral", "referral_check_answers")
    offer("send_checks", {ReferralState.SUBMITTED}, "Send agency checks", "referral_send_checks")
    offer(
        "schedule_screening",
        {ReferralState.SUBMITTED, ReferralState.AGENCY_CHECKS, ReferralState.SCREENING_SCHEDULED},
        "Schedule screening",
        "referral_schedule_screening",
    )
    offer("recommend", {ReferralState.SCREENING_SCHEDULED}, "Record the recommendation", "referral_recommend")
    offer("decide", {ReferralState.RECOMMENDED}, "Make the decision", "referral_decide")
    offer(
        "record_notification",
        set(ReferralState) - {ReferralState.DRAFT},
        "Record a notification",
        "referral_notify",
    )
    pre_decision = {
        ReferralState.SUBMITTED,
        ReferralState.AGENCY_CHECKS,
        ReferralState.SCREENING_SCHEDULED,
        ReferralState.RECOMMENDED,
    }
    offer("transfer", pre_decision, "Transfer to another board", "referral_transfer", warning=True)
    offer("mark_duplicate", pre_decision, "Close as a duplicate", "referral_duplicate", warning=True)
    offer("withdraw", pre_decision, "Withdraw", "referral_withdraw", warning=True)
    if state == ReferralState.DRAFT and referral.created_by_id == user.pk:
        actions.append(Action("Withdraw the draft", reverse("referral_withdraw", args=[pk]), True))
    return actions


def checks_to_answer(user, board):
    """The agency contact's requests: checks to their agencies, still waiting for a reply, soonest first."""
    from .models import AgencyCheck

    if board is None:
        return AgencyCheck.objects.none()
    return (
        AgencyCheck.objects.filter(
            agency_id__in=user_agency_ids(user, board), referral__board=board, state=AgencyCheckState.PENDING
        )
        .select_related("referral", "agency")
        .order_by("sent_at")
    )
