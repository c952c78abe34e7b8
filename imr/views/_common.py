"""Helpers the IMR pages share. Every page fetches and authorises through `imr.permissions` (404 when the
user may not know the IMR exists, 403 when they see it but may not act). GET shows; POST calls exactly one
service, puts a domain error back on the form, and on success redirects with a message."""

import functools

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render

from ..models import IMR
from ..services import CANNOT_NOW


def explains_refusal(view):
    """Show why an action was refused (for example "Only the IMR's nominated author can change it.") on the
    403 page, instead of the general one."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied as refusal:
            return render(request, "imr/forbidden.html", {"reason": str(refusal)}, status=403)

    return wrapped


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
    """GET shows the form; a valid POST runs `apply` (one service call, which may return where to go
    next) and redirects. A refusal goes back on the form with everything typed kept."""
    if request.method == "POST" and form.is_valid():
        try:
            target = apply(form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            return target or to_imr(imr)
    return render(
        request,
        template,
        {
            "imr": imr,
            "form": form,
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
