"""URL patterns written as a table: each app lists its pages as rows under one prefix."""

from django.urls import path


def pages(prefix: str, *rows: tuple) -> list:
    """(the path after `prefix`, the view[, the URL name when it is not the view's[, the view's keyword
    arguments]]) for each page."""
    urls = []
    for route, view, *extra in rows:
        name, kwargs = (*extra, None, None)[:2]
        urls.append(path(prefix + route, view, kwargs, name=name or view.__name__))
    return urls
