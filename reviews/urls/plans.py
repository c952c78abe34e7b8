"""The action-plan pages (issue 7), included by reviews/urls/__init__.py."""

from scr_portal.routes import routes

from ..views import plans as views

urlpatterns = [
    *routes(
        "reviews/<int:pk>/plan/",
        views,
        [
            ("", "review_plan"),
            ("create/", "plan_create"),
            ("recommendations/new/", "recommendation_new"),
            ("recommendations/<int:number>/actions/new/", "action_new"),
            ("sign-up/", "plan_sign_up"),
            ("themes/", "review_themes"),
            ("<slug:step>/", "plan_step"),
        ],
    ),
    *routes(
        "",
        views,
        [
            ("themes/", "themes_page", "themes"),
            ("themes/referrals/<int:pk>/", "referral_themes"),
            ("actions/", "action_list"),
            ("actions/<int:pk>/", "action_detail"),
            ("actions/<int:pk>/evidence/<int:evidence_pk>/", "evidence_download"),
            ("actions/<int:pk>/<slug:step>/", "action_step"),
        ],
    ),
]
