"""The review pages (included at the root by portal_site.urls)."""

from django.urls import include, path

from scr_portal.routes import routes

from .. import views
from ..views import alternative as alternative_views

R = "reviews/<int:pk>/"
TOR = "terms-of-reference/<int:number>/"

urlpatterns = [
    path("reviews/", views.review_list, name="review_list"),
    path("reviews/key-themes/new/", alternative_views.key_themes_new, name="key_themes_new"),
    *routes(
        R,
        views,
        [
            ("", "review_detail"),
            ("steps/<slug:slug>/", "review_step"),
            ("methodology/", "review_methodology"),
            ("extend/", "review_extend"),
            ("published-summary/", "review_summary_sent"),
            ("progress-reports/<int:report_pk>/", "review_progress_report"),
            ("membership-section/", "review_membership_section"),
            # Panel
            ("panel/", "review_panel"),
            ("panel/appoint/", "review_appoint"),
            ("panel/<int:member_pk>/remove/", "review_remove_member"),
            # Terms of reference
            ("terms-of-reference/", "review_tor"),
            ("terms-of-reference/new/", "review_tor_new"),
            (TOR, "review_tor", "review_tor_version"),
            (TOR + "consult/", "review_tor_consult"),
            (TOR + "responses/<int:consultation_pk>/", "review_tor_response"),
            (TOR + "comment/", "review_tor_comment"),
            (TOR + "agree/", "review_tor_agree"),
            (TOR + "approve/", "review_tor_approve"),
            # Reports and fair representation
            ("reports/<slug:slug>/", "review_reports"),
            ("reports/<slug:slug>/upload/", "review_report_upload"),
            ("reports/<slug:slug>/<int:version_pk>/release/", "review_report_check_override"),
            ("documents/<int:version_pk>/", "review_report_download"),
            ("documents/<int:version_pk>/comment/", "review_report_comment"),
            ("fair-representation/", "review_fair_representation"),
            ("fair-representation/<int:confirmation_pk>/", "review_fair_representation_respond"),
            ("fair-representation/<int:confirmation_pk>/resolve/", "review_fair_representation_resolve"),
            # Meetings, parallel processes, family
            ("meetings/", "review_meetings"),
            ("meetings/new/", "review_meeting_new"),
            ("meetings/<int:meeting_pk>/held/", "review_meeting_held"),
            ("meetings/<int:meeting_pk>/circulation/", "review_meeting_circulation"),
            ("parallel-processes/new/", "review_parallel_process", "review_parallel_process_new"),
            ("parallel-processes/<int:process_pk>/", "review_parallel_process"),
            ("family/new/", "review_family", "review_family_new"),
            ("family/<int:involvement_pk>/", "review_family"),
            ("family-prompts/<int:prompt_pk>/", "review_family_prompt"),
        ],
    ),
    # Alternative reviews (domain brief §4.8)
    *routes(
        R + "alternative/",
        alternative_views,
        [
            ("", "review_alternative"),
            ("appoint/", "review_alternative_appoint"),
            ("steps/<slug:step>/", "review_alternative_step"),
            ("output/", "review_alternative_output"),
            ("output/download/", "review_alternative_output_download"),
            ("accept/", "review_alternative_accept"),
        ],
    ),
    path("", include("reviews.urls.plans")),
]
