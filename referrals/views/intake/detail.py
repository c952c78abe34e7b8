"""The referral page, at the level of access the person has (referrals.selectors.referral_page)."""

import logging

from django.db.models import prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch
from django.utils import timezone
from django.views.decorators.http import require_GET

from scr_portal.audit.cases import shows_case
from scr_portal.pagecache import cached_page

from ...forms.partners import PanelResponseForm
from ...frameworks import side
from ...models import (
    Referral,
    ReferralState,
)
from ...permissions import (
    get_referral_for_user,
    user_may,
)
from ...selectors import (
    ADVICE_TAGS,
    PAGE_RELATED,
    STATE_TAGS,
    available_actions,
    referral_page,
    referral_timeline,
)
from ...selectors.partners import partners_decision
from .answers import answer_sections

logger = logging.getLogger(__name__)


# --- The referral page ---------------------------------------------------------------------------------


def _actions(user, referral: Referral) -> list:
    try:
        return available_actions(user, referral)
    except NoReverseMatch:
        logger.warning("A referral workflow page is not installed; no actions offered on %s", referral)
        return []


def _partners(user, referral: Referral, full_view: bool) -> dict:
    """England 2023: the partners' confirmations and the Panel's responses, and for the business unit the
    form that records a response once the rapid review has gone to the Panel."""
    summary = partners_decision(referral) if full_view else None
    may_record = (
        summary is not None
        and referral.state in (ReferralState.RECOMMENDED, ReferralState.DECIDED)
        and user_may(user, referral, "record_panel_response")
    )
    return {
        "partners": summary,
        "panel_form": PanelResponseForm(today=timezone.localdate()) if may_record else None,
    }


@cached_page
@require_GET
def referral_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The referral page, at the level of access the person has (referrals.selectors.referral_page)."""
    referral = get_referral_for_user(request.user, pk, related=PAGE_RELATED)
    shows_case(request, referral)
    page = referral_page(request.user, referral, today=timezone.localdate())
    full_view, level = page.full_view, page.level
    if level != "status":
        # The answers' family table and the genogram (full view) list the same people: read them once.
        prefetch_related_objects([referral], "family")
    screening, notifications = page.screening, page.notifications
    context = {
        "referral": referral,
        "level": level,
        "full_view": full_view,
        "state_tag": STATE_TAGS.get(referral.state, ""),
        "advice_tag": ADVICE_TAGS.get(referral.advice, ""),
        "actions": _actions(request.user, referral),
        "decision": getattr(referral, "decision", None),
        "decision_due": page.decision_due,
        "review": getattr(referral, "review", None) if full_view else None,
        "screening": screening,
        "members_present": list(screening.members_present.all()) if screening else [],
        "checks": page.checks,
        "notifications": notifications,
        "deadlines": page.deadlines,
        "sections": answer_sections(referral, change=False, checklist=full_view) if level != "status" else [],
        "decision_heading": side(referral).decision_heading,
        **_partners(request.user, referral, full_view),
        "timeline": referral_timeline(referral=referral, checks=page.raw_checks, notifications=notifications)
        if full_view
        else [],
    }
    return render(request, "referrals/detail.html", context)
