"""England 2023's pages on the referral (domain brief §10): a safeguarding partner's lead confirms the
partners' decision from their own account; the business unit records the Panel's response to the rapid
review. Fetched and authorised through `referrals.permissions` (404 when the user may not know the
referral exists, 403 when they see it but may not act)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from scr_portal.forms import GovukForm, posted_data
from scr_portal.viewhelpers import form_page, long_date

from .. import services
from ..forms.partners import PanelResponseForm
from ..frameworks import awaiting_confirmation
from ..permissions import get_referral_for_user, led_partners
from ..selectors.partners import partners_decision
from .workflow import explains_refusal


def _to_referral(referral) -> HttpResponse:
    return redirect("referral_detail", referral.pk)


@explains_refusal
@require_http_methods(["GET", "POST"])
def referral_partners_decision(request: HttpRequest, pk: int) -> HttpResponse:
    """The decision as the business unit recorded it, who has confirmed it, and (for a lead whose
    partner has not yet) the button that confirms it."""
    referral = get_referral_for_user(request.user, pk)
    led = led_partners(request.user, referral)
    if not led:
        raise PermissionDenied(services.NOT_A_PARTNER_LEAD)
    summary = partners_decision(referral)
    if request.method == "GET" and awaiting_confirmation(referral) is None:
        messages.error(request, services.NOTHING_TO_CONFIRM)
        return _to_referral(referral)

    def apply(_data):
        confirmation = services.partners_decision_confirm(referral=referral, actor=request.user)
        messages.success(
            request,
            f"You have confirmed the safeguarding partners' decision for {confirmation.agency.name}.",
        )

    return form_page(
        request,
        form=_Confirm(posted_data(request)),
        apply=apply,
        done=lambda _: _to_referral(referral),
        template="referrals/partners/confirm.html",
        context={
            "referral": referral,
            "summary": summary,
            "yours": [agency for partner, agency in led.items() if partner not in summary.confirmed_partners],
        },
    )


@explains_refusal
@require_http_methods(["GET", "POST"])
def referral_panel_response(request: HttpRequest, pk: int) -> HttpResponse:
    referral = get_referral_for_user(request.user, pk, "record_panel_response")
    form = PanelResponseForm(posted_data(request), today=timezone.localdate())

    def apply(data):
        response = services.panel_response_record(referral=referral, actor=request.user, **data)
        messages.success(
            request,
            f"Recorded: the Panel's response of {long_date(response.received_on)}, "
            f"{response.get_kind_display().lower()}.",
        )

    return form_page(
        request,
        form=form,
        apply=apply,
        done=lambda _: _to_referral(referral),
        template="referrals/partners/panel_response.html",
        context={"referral": referral},
    )


class _Confirm(GovukForm):
    """No fields: the button is the answer."""
