"""Helpers the IMR pages share. Every page fetches and authorises through `imr.permissions` (404 when the
user may not know the IMR exists, 403 when they see it but may not act). GET shows; POST calls exactly one
service, puts a domain error back on the form, and on success redirects with a message."""

import functools

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET, require_http_methods
from django_fsm import can_proceed

from scr_portal import viewhelpers
from scr_portal.audit.cases import shows_case
from scr_portal.viewhelpers import refusal_page

from ..models import IMR
from ..permissions import IMRAccess, get_imr_for_user
from ..services import CANNOT_NOW, not_writable

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


def editable(imr: IMR, access: IMRAccess, part: str) -> bool:
    """The user may change `part` (`imr.parts`) of the author's work now: they write it, and the IMR is open
    for writing, or a request for further information reopened that part."""
    return access.may("write") and part in imr.writable_parts()


def shown_page(action: str | None = None):
    """A decorator for a page that shows the IMR or a part of it (GET only) to those who see it (and may do
    `action`). The view gets the IMR and the user's access instead of its pk."""

    def decorate(view):
        @explains_refusal
        @require_GET
        @functools.wraps(view)
        def page(request, pk: int, **kwargs) -> HttpResponse:
            imr, access = get_imr_for_user(request.user, pk, action)
            shows_case(request, imr)
            return view(request, imr, access, **kwargs)

        return page

    return decorate


def imr_page(action: str, closed):
    """A decorator for a page that acts on the IMR (GET shows, POST acts): the user needs `action` (403 with
    the reason otherwise), and `closed(request, imr, access)`, if it gives a reason, sends them back to the
    IMR with it. The view gets the IMR instead of its pk."""

    def decorate(view):
        @explains_refusal
        @require_http_methods(["GET", "POST"])
        @functools.wraps(view)
        def page(request, pk: int, **kwargs) -> HttpResponse:
            imr, access = get_imr_for_user(request.user, pk, action)
            shows_case(request, imr)
            reason = closed(request, imr, access)
            if reason:
                return not_now(request, imr, reason)
            return view(request, imr, **kwargs)

        return page

    return decorate


def author_page(part: str):
    """A decorator for a page that changes `part` of the author's work, opened only while `editable`."""
    return imr_page("write", lambda request, imr, access: not_writable(imr, part))


def transition_page(action: str, transition: str):
    """A page that runs one of the IMR's transitions: a GET when `transition` cannot run now (a stale link,
    someone else was quicker) goes back to the IMR; a POST leaves the refusal to the service."""

    def closed(request, imr: IMR, access) -> str:
        return CANNOT_NOW if request.method == "GET" and not can_proceed(getattr(imr, transition)) else ""

    return imr_page(action, closed)


def form_page(
    request,
    imr: IMR,
    form,
    apply,
    *,
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


def item_page(
    request, imr: IMR, form, save, *, item: str | None, add: str, remove_url: str | None, saved, then, **page
) -> HttpResponse:
    """The form page that adds something to the author's workspace (`item` None: headed `add`) or changes
    it (`item` names it, as in "event 3": headed "Change event 3", with the link to remove it). `save(data)`
    (one service call) returns what it saved; success says `saved(it)` and goes to `then(it)`."""

    def apply(data):
        thing = save(data)
        messages.success(request, saved(thing))
        return redirect(then(thing))

    if item:
        page = {
            "heading": f"Change {item}",
            "remove_url": remove_url,
            "remove_label": f"Remove {item}",
            **page,
        }
    return form_page(request, imr, form, apply, **{"heading": add, **page})


def confirm_removal(request, imr: IMR, remove, item: str, *, back_url: str, **page) -> HttpResponse:
    """The "Remove …?" page of something in the author's workspace (`item` names it, as in "event 3"): GET
    asks, a POST calls `remove` (one service call) and goes back to `back_url` with the message `done`
    ("Event 3 has been removed." unless given)."""
    from scr_portal.forms import posted_data

    from ..forms import ConfirmForm

    done = page.pop("done", f"{item[:1].upper()}{item[1:]} has been removed.")

    def apply(data):
        remove()
        messages.success(request, done)
        return redirect(back_url)

    return form_page(
        request,
        imr,
        ConfirmForm(posted_data(request)),
        apply,
        **{"heading": f"Remove {item}?", **page},
        button="Remove",
        button_class="govuk-button--warning",
        template="imr/confirm.html",
        back_url=back_url,
    )


def removal_page(remove, item, back, *, part: str, **page):
    """A decorator that makes the finder of something in the author's workspace (it gets the IMR and the
    URL's pks, and returns the thing or a 404 when it is not the IMR's) into its "Remove …?" page:
    `remove(imr, actor, thing)` is the service call, `item(thing)` names it ("event 3"), `back(imr)` is
    the page to go back to and `part` the part of the IMR it belongs to. Of `page` (see confirm_removal), a
    callable is given the thing."""

    def decorate(find):
        @author_page(part)
        @functools.wraps(find)
        def view(request, imr: IMR, **pks) -> HttpResponse:
            thing = find(imr, **pks)
            return confirm_removal(
                request,
                imr,
                lambda: remove(imr, request.user, thing),
                item(thing),
                back_url=back(imr),
                **{name: value(thing) if callable(value) else value for name, value in page.items()},
            )

        return view

    return decorate
