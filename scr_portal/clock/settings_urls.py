"""The board's deadline settings pages. Wired into portal_site/urls.py with
`path("", include("scr_portal.clock.settings_urls"))`."""

from django.urls import path

from . import settings_views as views

urlpatterns = [
    path("boards/<int:pk>/settings/", views.board_settings, name="board_settings"),
    path(
        "boards/<int:pk>/settings/reminders/", views.board_settings_reminders, name="board_settings_reminders"
    ),
    path("boards/<int:pk>/settings/process/", views.board_settings_switches, name="board_settings_switches"),
    path("boards/<int:pk>/settings/closures/add/", views.board_closure_add, name="board_closure_add"),
    path(
        "boards/<int:pk>/settings/closures/<int:closure_pk>/remove/",
        views.board_closure_remove,
        name="board_closure_remove",
    ),
    path(
        "boards/<int:pk>/settings/timescales/<slug:rule_code>/",
        views.board_timescale_edit,
        name="board_timescale_edit",
    ),
]
