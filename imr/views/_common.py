"""Helpers the IMR pages share. Every page fetches and authorises through `imr.permissions` (404 when the
user may not know the IMR exists, 403 when they see it but may not act). GET shows; POST calls exactly one
service, puts a domain error back on the form, and on success redirects with a message."""

import functools

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods

from scr_portal import viewhelpers
from scr_portal.viewhelpers import refusal_page

from ..models import AUTHOR_WRITES_STATES, IMR
from ..permissions import IMRAccess, get_imr_for_user
from ..services import CANNOT_NOW, NOT_EDITABLE

# Why an action was refused (for example "Only the IMR's nominated author can change it."), on the 403 page.
explains_refusal = refusal_page("imr/forbidden.html")


def posted_files(request):
    return request.FILES if request.method == "POST" else None


def to_imr(imr: IMR) -> HttpResponse:
    return redirect("imr_detail", imr.pk)


def not_now(request, imr: IMR, message: str = CANNOT_NOW) -> HttpResponse:
    """A page opened when its action no longer applies (a stale link, someone else was quicker)."""
    messages.error(request, message)
    return to_imr(imr)


def editable(imr: IMR, access: IMRAccess) -> bool:
    """The user may change the author's work now: they write it, and the IMR is open for writing."""
    return access.may("write") and imr.state in AUTHOR_WRITES_STATES


def author_page(view):
    """A page that changes the author's work (GET shows, POST saves), opened only while `editable`;
    otherwise back to the IMR with the reason. The view gets the IMR instead of its pk."""

    @explains_refusal
    @require_http_methods(["GET", "POST"])
    @functools.wraps(view)
    def page(request, pk: int, **kwargs) -> HttpResponse:
        imr, access = get_imr_for_user(request.user, pk, "write")
        if not editable(imr, access):
            return not_now(request, imr, NOT_EDITABLE)
        return view(request, imr, **kwargs)

    return page


def form_page(
    request,
    *,
    imr: IMR,
    form,
    apply,
    heading: str,
    button: str = "Save",
    template: str = "imr/form_page.html",
    back_url: str = "",
    context: dict | None = None,
    **page,
) -> HttpResponse:
    """The IMR's form page: `apply` (one service call) may return where to go next; otherwise success
    returns to the IMR."""
    return viewhelpers.form_page(
        request,
        form=form,
        apply=apply,
        done=lambda target: target or to_imr(imr),
        template=template,
        context={
            "imr": imr,
            "heading": heading,
            "button": button,
            "back_url": back_url,
            **page,
            **(context or {}),
        },
    )


def confirm_removal(
    request, *, imr: IMR, remove, done: str, heading: str, back_url: str, **page
) -> HttpResponse:
    """The "Remove …?" page of something in the author's workspace: GET asks, a POST calls `remove` (one
    service call) and goes back to `back_url` with the message `done`."""
    from scr_portal.forms import posted_data

    from ..forms import ConfirmForm

    def apply(data):
        remove()
        messages.success(request, done)
        return redirect(back_url)

    return form_page(
        request,
        imr=imr,
        form=ConfirmForm(posted_data(request)),
        apply=apply,
        heading=heading,
        button="Remove",
        button_class="govuk-button--warning",
        template="imr/confirm.html",
        back_url=back_url,
        **page,
    )
