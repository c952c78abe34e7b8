"""Helpers the IMR pages share. Every page fetches and authorises through `imr.permissions` (404 when the
user may not know the IMR exists, 403 when they see it but may not act). GET shows; POST calls exactly one
service, puts a domain error back on the form, and on success redirects with a message."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect

from scr_portal import viewhelpers
from scr_portal.viewhelpers import refusal_page

from ..models import IMR
from ..services import CANNOT_NOW

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
