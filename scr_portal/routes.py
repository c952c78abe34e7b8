"""URL patterns written as a table: each app lists its pages as rows under one prefix."""

from django.urls import path


def pages(prefix: str, *rows: tuple) -> list:
    """(the path after `prefix`, the view[, the URL name when it is not the view's]) for each page."""
    return [path(prefix + route, view, name=(name or [view.__name__])[0]) for route, view, *name in rows]
