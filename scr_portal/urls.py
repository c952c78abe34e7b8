"""The kernel's own pages (health check, statements, boards, the demo mailbox). The site layer
(portal_site/urls.py) wires these, the clock, documents and audit pages and every app into one URL space."""

from django.urls import path

from . import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("bench/floor", views.bench_floor, name="bench_floor"),  # benchmark only, off unless enabled
    path("accessibility/", views.accessibility, name="accessibility"),
    path("privacy/", views.privacy, name="privacy"),
    path("boards/switch/", views.board_switch, name="board_switch"),
    path("boards/<int:pk>/", views.board_detail, name="board_detail"),
    path("boards/<int:pk>/contact-details/", views.board_edit, name="board_edit"),
    path("dev/mailbox/", views.dev_mailbox, name="dev_mailbox"),
]
