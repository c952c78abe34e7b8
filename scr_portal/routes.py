"""URL patterns written as a table: each app lists its pages as (route, view) rows under one prefix."""

from types import ModuleType

from django.urls import path


def routes(prefix: str, views: ModuleType, table) -> list:
    """`path()`s for rows of (route, view name) or (route, view name, URL name), the routes under `prefix`
    and the views looked up in `views`. A page's URL name is its view's name unless the row gives one."""
    return [
        path(prefix + route, getattr(views, view), name=name[0] if name else view)
        for route, view, *name in table
    ]
