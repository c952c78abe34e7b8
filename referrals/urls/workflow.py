"""The referral workflow after submission. The referral page itself (`referral_detail`) is in
referrals/urls/intake.py."""

from django.urls import path

from ..views import partners
from ..views import workflow as views

urlpatterns = [
    path("referrals/<int:pk>/agency-checks/send/", views.referral_send_checks, name="referral_send_checks"),
    path(
        "referrals/<int:pk>/screening/", views.referral_schedule_screening, name="referral_schedule_screening"
    ),
    path("referrals/<int:pk>/recommendation/", views.referral_recommend, name="referral_recommend"),
    path("referrals/<int:pk>/decision/", views.referral_decide, name="referral_decide"),
    path("referrals/<int:pk>/decision/rescind/", views.referral_rescind, name="referral_rescind"),
    path("referrals/<int:pk>/withdraw/", views.referral_withdraw, name="referral_withdraw"),
    path("referrals/<int:pk>/transfer/", views.referral_transfer, name="referral_transfer"),
    path("referrals/<int:pk>/duplicate/", views.referral_duplicate, name="referral_duplicate"),
    path("referrals/<int:pk>/notifications/new/", views.referral_notify, name="referral_notify"),
    path(
        "referrals/<int:pk>/partners-decision/",
        partners.referral_partners_decision,
        name="referral_partners_decision",
    ),
    path(
        "referrals/<int:pk>/panel-response/", partners.referral_panel_response, name="referral_panel_response"
    ),
    path("checks/", views.check_list, name="check_list"),
    path("checks/<int:pk>/", views.check_answer, name="check_answer"),
    path("decisions/", views.decisions_awaiting, name="decisions_awaiting"),
]
