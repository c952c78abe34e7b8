from django.urls import path

from ..views import intake as views

urlpatterns = [
    path("referrals/", views.referral_list, name="referral_list"),
    path("referrals/new/", views.referral_start, name="referral_start"),
    path("referrals/mine/", views.my_referrals, name="my_referrals"),
    path("referrals/<int:pk>/", views.referral_detail, name="referral_detail"),
    path("referrals/<int:pk>/edit/<slug:section>/", views.referral_section, name="referral_section"),
    path("referrals/<int:pk>/check-answers/", views.referral_check_answers, name="referral_check_answers"),
    path("referrals/<int:pk>/submitted/", views.referral_confirmation, name="referral_confirmation"),
]
