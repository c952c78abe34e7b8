"""The audit pages. Each record's pages follow the `<record>_...` naming, so the URL sweep in
tests/security fills them like every other page of that record."""

from django.urls import path

from . import views

urlpatterns = [
    path(
        "referrals/<int:pk>/access-log/",
        views.case_access_log,
        {"kind": "referral"},
        name="referral_access_log",
    ),
    path("reviews/<int:pk>/access-log/", views.case_access_log, {"kind": "review"}, name="review_access_log"),
    path("imr/<int:pk>/access-log/", views.case_access_log, {"kind": "imr"}, name="imr_access_log"),
    path("referrals/<int:pk>/history/", views.case_history, {"kind": "referral"}, name="referral_history"),
    path("reviews/<int:pk>/history/", views.case_history, {"kind": "review"}, name="review_history"),
    path("imr/<int:pk>/history/", views.case_history, {"kind": "imr"}, name="imr_history"),
    path("boards/<int:pk>/access-log/", views.board_access_log, name="board_access_log"),
    path("boards/<int:pk>/retention/", views.board_retention, name="board_retention"),
    path(
        "boards/<int:pk>/information-requests/",
        views.board_information_requests,
        name="board_information_requests",
    ),
    path(
        "boards/<int:pk>/information-requests/<int:request_pk>/export.csv",
        views.board_information_request_export,
        name="board_information_request_export",
    ),
]
