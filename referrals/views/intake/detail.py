"""The referral page, at the level of access the person has (referrals.selectors.referral_page)."""

import logging

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch
from django.utils import timezone
from django.views.decorators.http import require_GET

from ...models import (
    Referral,
)
from ...permissions import (
    get_referral_for_user,
)
from ...selectors import (
    ADVICE_TAGS,
    STATE_TAGS,
    available_actions,
    referral_page,
    referral_timeline,
)
from .answers import answer_sections

logger = logging.getLogger(__name__)


# --- The referral page ---------------------------------------------------------------------------------


def _actions(user, referral: Referral) -> list:
    try:
        return available_actions(user, referral)
    except NoReverseMatch:
        logger.warning("A referral workflow page is not installed; no actions offered on %s", referral)
        return []


@require_GET
def referral_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The referral page, at the level of access the person has (referrals.selectors.referral_page)."""
    page = referral_page(request.user, get_referral_for_user(request.user, pk), today=timezone.localdate())
    referral, full_view, level = page.referral, page.full_view, page.level
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
        "timeline": referral_timeline(referral=referral, checks=page.raw_checks, notifications=notifications)
        if full_view
        else [],
    }
    return render(request, "referrals/detail.html", context)
