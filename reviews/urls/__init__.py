"""The review pages (included at the root by portal_site.urls)."""

from django.urls import include, path

from .. import views
from ..views import alternative as alternative_views

R = "reviews/<int:pk>/"

urlpatterns = [
    path("reviews/", views.review_list, name="review_list"),
    path(R, views.review_detail, name="review_detail"),
    path(R + "steps/<slug:slug>/", views.review_step, name="review_step"),
    path(R + "methodology/", views.review_methodology, name="review_methodology"),
    path(R + "extend/", views.review_extend, name="review_extend"),
    path(R + "published-summary/", views.review_summary_sent, name="review_summary_sent"),
    path(
        R + "progress-reports/<int:report_pk>/", views.review_progress_report, name="review_progress_report"
    ),
    path(R + "membership-section/", views.review_membership_section, name="review_membership_section"),
    # Panel
    path(R + "panel/", views.review_panel, name="review_panel"),
    path(R + "panel/appoint/", views.review_appoint, name="review_appoint"),
    path(R + "panel/<int:member_pk>/remove/", views.review_remove_member, name="review_remove_member"),
    # Terms of reference
    path(R + "terms-of-reference/", views.review_tor, name="review_tor"),
    path(R + "terms-of-reference/new/", views.review_tor_new, name="review_tor_new"),
    path(R + "terms-of-reference/<int:number>/", views.review_tor, name="review_tor_version"),
    path(R + "terms-of-reference/<int:number>/consult/", views.review_tor_consult, name="review_tor_consult"),
    path(
        R + "terms-of-reference/<int:number>/responses/<int:consultation_pk>/",
        views.review_tor_response,
        name="review_tor_response",
    ),
    path(R + "terms-of-reference/<int:number>/comment/", views.review_tor_comment, name="review_tor_comment"),
    path(R + "terms-of-reference/<int:number>/agree/", views.review_tor_agree, name="review_tor_agree"),
    path(R + "terms-of-reference/<int:number>/approve/", views.review_tor_approve, name="review_tor_approve"),
    # Reports and fair representation
    path(R + "reports/<slug:slug>/", views.review_reports, name="review_reports"),
    path(R + "reports/<slug:slug>/upload/", views.review_report_upload, name="review_report_upload"),
    path(
        R + "reports/<slug:slug>/<int:version_pk>/release/",
        views.review_report_check_override,
        name="review_report_check_override",
    ),
    path(R + "documents/<int:version_pk>/", views.review_report_download, name="review_report_download"),
    path(
        R + "documents/<int:version_pk>/comment/", views.review_report_comment, name="review_report_comment"
    ),
    path(R + "fair-representation/", views.review_fair_representation, name="review_fair_representation"),
    path(
        R + "fair-representation/<int:confirmation_pk>/",
        views.review_fair_representation_respond,
        name="review_fair_representation_respond",
    ),
    path(
        R + "fair-representation/<int:confirmation_pk>/resolve/",
        views.review_fair_representation_resolve,
        name="review_fair_representation_resolve",
    ),
    # Meetings, parallel processes, family
    path(R + "meetings/", views.review_meetings, name="review_meetings"),
    path(R + "meetings/new/", views.review_meeting_new, name="review_meeting_new"),
    path(R + "meetings/<int:meeting_pk>/held/", views.review_meeting_held, name="review_meeting_held"),
    path(
        R + "meetings/<int:meeting_pk>/circulation/",
        views.review_meeting_circulation,
        name="review_meeting_circulation",
    ),
    path(R + "parallel-processes/new/", views.review_parallel_process, name="review_parallel_process_new"),
    path(
        R + "parallel-processes/<int:process_pk>/",
        views.review_parallel_process,
        name="review_parallel_process",
    ),
    path(R + "family/new/", views.review_family, name="review_family_new"),
    path(R + "family/<int:involvement_pk>/", views.review_family, name="review_family"),
    path(R + "family-prompts/<int:prompt_pk>/", views.review_family_prompt, name="review_family_prompt"),
    # Alternative reviews (domain brief §4.8)
    path("reviews/key-themes/new/", alternative_views.key_themes_new, name="key_themes_new"),
    path(R + "alternative/", alternative_views.review_alternative, name="review_alternative"),
    path(
        R + "alternative/appoint/",
        alternative_views.review_alternative_appoint,
        name="review_alternative_appoint",
    ),
    path(
        R + "alternative/steps/<slug:step>/",
        alternative_views.review_alternative_step,
        name="review_alternative_step",
    ),
    path(
        R + "alternative/output/",
        alternative_views.review_alternative_output,
        name="review_alternative_output",
    ),
    path(
        R + "alternative/output/download/",
        alternative_views.review_alternative_output_download,
        name="review_alternative_output_download",
    ),
    path(
        R + "alternative/accept/",
        alternative_views.review_alternative_accept,
        name="review_alternative_accept",
    ),
    path("", include("reviews.urls.plans")),
]
