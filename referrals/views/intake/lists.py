"""The business unit's referral list and the user's own referrals, in a number of queries that does not depend
on how many rows there are."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from scr_portal.clock.schedule import describe_due
from scr_portal.clock.selectors import closures_by_board
from scr_portal.models.clock import ACTIVE_STATUSES
from scr_portal.pagecache import cached_page
from scr_portal.viewhelpers import TemplateRow, pk_url, short_date

from ...forms.intake import (
    ReferralFilterForm,
)
from ...models import (
    Referral,
)
from ...permissions import (
    can_create_referral,
    referrals_visible_to,
    sees_all_referrals,
)
from ...selectors import (
    ADVICE_TAGS,
    STATE_TAGS,
    referrals_for_list,
)

PAGE_SIZE = 50


# --- Lists --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReferralRow:
    referral: Referral
    state_tag: str
    advice_tag: str
    decision_text: str


@dataclass(frozen=True)
class ListRow(TemplateRow):
    """A row of the business unit's list, its cells worked out here rather than cell by cell in the
    template (the list's rendering is most of its time)."""

    url: str
    reference: str
    received: str
    child_name: str
    advice: str
    advice_tag: str
    state: str
    state_tag: str
    overdue: bool
    decision_text: str


@cached_page
@require_GET
def referral_list(request: HttpRequest) -> HttpResponse:
    board = request.board
    if board is None or not sees_all_referrals(request.user, board):
        raise PermissionDenied(
            "Only the board's business unit, chairs, sub-committee and auditors see all referrals."
        )
    form = ReferralFilterForm(request.GET or None)
    filters = {}
    if form.is_bound:
        form.is_valid()  # the filters without an error still apply; the others are shown as errors
        filters = form.cleaned_data
    referrals = referrals_for_list(user=request.user, board=board, now=timezone.now(), **filters)
    page = Paginator(referrals, PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    closures = closures_by_board([board.pk]).get(board.pk, ())
    detail_url = pk_url("referral_detail")
    rows = []
    for referral in page.object_list:
        decision_text = ""
        if referral.decision_due and referral.decision_status in ACTIVE_STATUSES:
            decision_text = describe_due(
                due_date=referral.decision_due, today=today, nation=board.nation, closures=closures
            )
        elif referral.decision_status:
            decision_text = "Closed"
        rows.append(
            ListRow(
                url=detail_url(referral.pk),
                reference=referral.reference,
                received=short_date(referral.received_at),
                child_name=referral.child_name,
                advice=referral.get_advice_display() if referral.advice else "",
                advice_tag=ADVICE_TAGS.get(referral.advice, ""),
                state=referral.state_label,
                state_tag=STATE_TAGS.get(referral.state, ""),
                overdue=referral.overdue,
                decision_text=decision_text,
            )
        )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "referrals/list.html",
        {"board": board, "form": form, "rows": rows, "page": page, "query": query.urlencode()},
    )


@require_GET
def my_referrals(request: HttpRequest) -> HttpResponse:
    board = request.board
    referrals = (
        referrals_visible_to(request.user, board)
        .filter(created_by=request.user)
        .order_by("-updated_at", "-pk")
    )
    page = Paginator(referrals, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        ReferralRow(
            referral=referral, state_tag=STATE_TAGS.get(referral.state, ""), advice_tag="", decision_text=""
        )
        for referral in page.object_list
    ]
    return render(
        request,
        "referrals/intake/mine.html",
        {"board": board, "rows": rows, "page": page, "can_start": can_create_referral(request.user, board)},
    )
