"""The action-plan pages (issue 7), included by reviews/urls/__init__.py."""

from scr_portal.routes import pages

from ..views import plans as views

urlpatterns = [
    *pages(
        "reviews/<int:pk>/plan/",
        ("", views.review_plan),
        ("create/", views.plan_create),
        ("recommendations/new/", views.recommendation_new),
        ("recommendations/<int:number>/actions/new/", views.action_new),
        ("sign-up/", views.plan_sign_up),
        ("themes/", views.review_themes),
        ("<slug:step>/", views.plan_step),
    ),
    *pages(
        "",
        ("themes/", views.themes_page, "themes"),
        ("themes/referrals/<int:pk>/", views.referral_themes),
        ("actions/", views.action_list),
        ("actions/<int:pk>/", views.action_detail),
        ("actions/<int:pk>/evidence/<int:evidence_pk>/", views.evidence_download),
        ("actions/<int:pk>/<slug:step>/", views.action_step),
    ),
]
