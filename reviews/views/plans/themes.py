"""Learning themes: the board's list and tagging referrals and reviews with them."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from scr_portal.forms import posted_data

from ...forms import plans as f
from ...models import LearningTheme
from ...services import themes as svc_themes
from ..common import explains_refusal
from .plan import _review, plan_url

# --- Learning themes ---


@explains_refusal
@require_http_methods(["GET", "POST"])
def themes_page(request: HttpRequest) -> HttpResponse:
    """The board's taxonomy of learning themes: the business unit adds and retires themes."""
    board = request.board
    if board is None:
        raise Http404("No board.")
    may_edit = "work_cases" in getattr(request, "board_perms", frozenset())
    if not may_edit:
        raise PermissionDenied(svc_themes.THEME_REFUSAL)
    form = f.ThemeForm(posted_data(request))
    if request.method == "POST":
        toggle = request.POST.get("toggle")
        try:
            if toggle:
                theme = get_object_or_404(LearningTheme, pk=toggle, board=board)
                svc_themes.theme_set_active(theme=theme, actor=request.user, active=not theme.active)
                messages.success(request, f"“{theme.name}” is now {'in use' if theme.active else 'retired'}.")
                return redirect("themes")
            if form.is_valid():
                theme = svc_themes.theme_create(
                    board=board, actor=request.user, name=form.cleaned_data["name"]
                )
                messages.success(request, f"“{theme.name}” has been added.")
                return redirect("themes")
        except ValidationError as error:
            form.add_service_error(error)
    return render(
        request,
        "reviews/plans/themes.html",
        {"board": board, "form": form, "themes": LearningTheme.objects.filter(board=board)},
    )


def _tag_page(request, *, board, subject, heading, back_url, current):
    form = f.TagThemesForm(posted_data(request), board=board, initial={"themes": current})
    if request.method == "POST" and form.is_valid():
        try:
            svc_themes.themes_tag(
                subject=subject, board=board, actor=request.user, themes=form.cleaned_data["themes"]
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, "The learning themes have been saved.")
            return redirect(back_url)
    return render(
        request,
        "reviews/plans/tag_themes.html",
        {"form": form, "heading": heading, "back_url": back_url, "board": board},
    )


@explains_refusal
@require_http_methods(["GET", "POST"])
def review_themes(request: HttpRequest, pk: int) -> HttpResponse:
    review, access = _review(request.user, pk)
    access.require("manage")
    return _tag_page(
        request,
        board=review.board,
        subject=review,
        heading=f"Learning themes of {review.reference}",
        back_url=plan_url(review),
        current=list(review.themes.all()),
    )


@explains_refusal
@require_http_methods(["GET", "POST"])
def referral_themes(request: HttpRequest, pk: int) -> HttpResponse:
    from referrals.models import Referral
    from scr_portal.permissions import VIEW_BOARD, WORK_CASES, user_has_board_perm

    referral = Referral.objects.select_related("board").filter(pk=pk).first()
    if referral is None or not user_has_board_perm(request.user, referral.board, VIEW_BOARD):
        raise Http404("No such referral.")
    if not user_has_board_perm(request.user, referral.board, WORK_CASES):
        raise PermissionDenied(svc_themes.THEME_REFUSAL)
    return _tag_page(
        request,
        board=referral.board,
        subject=referral,
        heading=f"Learning themes of {referral.reference}",
        back_url=reverse("referral_detail", args=[referral.pk]),
        current=list(referral.themes.all()),
    )
