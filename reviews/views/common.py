"""What every review page shares: fetching with access checked, the page's own 403 explanation, and the
form page (GET shows; a valid POST calls one service, a refusal goes back on the form with everything
typed kept, success redirects with a message: post/redirect/get)."""

import functools

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from scr_portal import viewhelpers
from scr_portal.audit.cases import shows_case
from scr_portal.forms import posted_data
from scr_portal.viewhelpers import long_date, refusal_page

from ..permissions import get_review_for_user, get_review_in_full

__all__ = ["explains_refusal", "form_page", "long_date", "review_view", "to_review"]


# Why an action was refused (for example "Only the LSCB Chair can approve…"), on the 403 page.
explains_refusal = refusal_page("reviews/forbidden.html")


def review_view(
    action: str | None = None,
    *,
    methods=("GET", "POST"),
    in_full: bool = False,
    missing: str = "No such review.",
):
    """A decorator for a review page answering `methods`: the user needs `action` (403 with the reason
    otherwise); `in_full` pages are only for those who see the whole review (404 with `missing` for IMR
    authors). The view gets the review and the user's access instead of its pk."""

    def decorate(view):
        @explains_refusal
        @require_http_methods(list(methods))
        @functools.wraps(view)
        def page(request, pk: int, **kwargs):
            if in_full:
                review, access = get_review_in_full(request.user, pk, missing)
                if action:
                    access.require(action)
            else:
                review, access = get_review_for_user(request.user, pk, action)
            shows_case(request, review)
            return view(request, review, access, **kwargs)

        return page

    return decorate


def to_review(review, anchor: str = ""):
    return redirect(reverse("review_detail", args=[review.pk]) + (f"#{anchor}" if anchor else ""))


def form_page(
    request, review, form, apply, *, heading: str, button: str, success_url=None, back=None, **context
):
    """The form page of one action. `apply(data)` calls the service and returns the success message, or
    (message, warnings). `back` is (url, link text) of the page the form came from, and where success
    returns to unless `success_url` says otherwise."""
    if back:
        success_url = success_url or back[0]
        context["back_url"], context["back_text"] = back

    def done(result):
        message, warnings = result if isinstance(result, tuple) else (result, [])
        messages.success(request, message)
        for warning in warnings:
            messages.warning(request, warning)
        return redirect(success_url) if success_url else to_review(review)

    template = context.pop("template", "reviews/form_page.html")
    return viewhelpers.form_page(
        request,
        form=form,
        apply=apply,
        done=done,
        template=template,
        context={
            "review": review,
            "heading": heading,
            "button": button,
            "review_url": reverse("review_detail", args=[review.pk]),
            **context,
        },
    )


def row_page(request, review, row, form_class, fields, apply, **page):
    """The add-or-change page of one of the review's rows (`row` None: add), its form filled from the
    row's `fields`."""
    initial = {name: getattr(row, name) for name in fields} if row else None
    form = form_class(posted_data(request), initial=initial)
    return form_page(request, review, form, apply, button="Save", **page)
