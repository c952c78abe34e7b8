"""The action-plan pages (issue 7), included by reviews/urls/__init__.py."""

from django.urls import path

from ..views import plans as views

R = "reviews/<int:pk>/plan/"

urlpatterns = [
    path(R, views.review_plan, name="review_plan"),
    path(R + "create/", views.plan_create, name="plan_create"),
    path(R + "recommendations/new/", views.recommendation_new, name="recommendation_new"),
    path(R + "recommendations/<int:number>/actions/new/", views.action_new, name="action_new"),
    path(R + "sign-up/", views.plan_sign_up, name="plan_sign_up"),
    path(R + "themes/", views.review_themes, name="review_themes"),
    path(R + "<slug:step>/", views.plan_step, name="plan_step"),
    path("themes/", views.themes_page, name="themes"),
    path("themes/referrals/<int:pk>/", views.referral_themes, name="referral_themes"),
    path("actions/", views.action_list, name="action_list"),
    path("actions/<int:pk>/", views.action_detail, name="action_detail"),
    path("actions/<int:pk>/evidence/<int:evidence_pk>/", views.evidence_download, name="evidence_download"),
    path("actions/<int:pk>/<slug:step>/", views.action_step, name="action_step"),
]
