"""Pieces every app's pages share: the refusal page that says why, the form page's post/redirect/get
loop, and the long date the pages and emails print. Each app keeps its own templates and what success
means; only the mechanics live here."""

import datetime as dt
import functools
from collections.abc import Callable

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone


def long_date(day: dt.date | None) -> str:
    """ "Tuesday 3 March 2026": how the pages, the reminder emails and the documents write a date."""
    return f"{day:%A} {day.day} {day:%B %Y}" if day else ""


class TemplateRow:
    """A base for the rows of a list page's table: Django's templates look {{ row.name }} up as row["name"]
    first, and for a plain object only reach the attribute after handling a TypeError, for every cell."""

    def __getitem__(self, name: str):
        return getattr(self, name)


def short_date(value: dt.date | dt.datetime | None) -> str:
    """ "3 Mar 2026" (a moment in local time), as the template filter date:"j M Y" writes it: for list pages
    that format each row's dates in Python, where the filter per cell is a large part of the page's time."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value)
    return f"{value.day} {value:%b %Y}"


def pk_url(name: str) -> Callable[[int], str]:
    """reverse(name, args=[pk]) for the many rows of a list at the cost of one reverse (URL names taking
    one integer argument)."""
    marker = 987654321987
    return reverse(name, args=[marker]).replace(str(marker), "{}").format


def query_without_page(request) -> str:
    """The list page's query string (its filters) without the page number, for the pager's links."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def refusal_page(template: str) -> Callable:
    """A decorator for views: a PermissionDenied raised by the service (for example "Only the LSCB Chair
    can decide…") is shown on `template` with its message, as a 403, instead of the general page. Each
    app makes its own with its template: `explains_refusal = refusal_page("app/forbidden.html")`."""

    def explains_refusal(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            try:
                return view(request, *args, **kwargs)
            except PermissionDenied as refusal:
                return render(request, template, {"reason": str(refusal)}, status=403)

        return wrapped

    return explains_refusal


def form_page(
    request, *, form, apply: Callable, done: Callable, template: str, context: dict
) -> HttpResponse:
    """GET shows the form; a valid POST runs `apply(cleaned_data)` (one service call) and returns
    `done(result)`, the app's redirect. A refusal goes back on the form with everything typed kept."""
    if request.method == "POST" and form.is_valid():
        try:
            result = apply(form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            return done(result)
    return render(request, template, {"form": form, **context})
