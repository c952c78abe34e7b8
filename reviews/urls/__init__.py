"""The review pages (included at the root by portal_site.urls)."""

from django.urls import include, path

from scr_portal.routes import pages

from .. import views
from ..views import alternative as alternative_views
from ..views import communications as communications_views

R = "reviews/<int:pk>/"
TOR = "terms-of-reference/<int:number>/"

urlpatterns = [
    *pages("reviews/", ("", views.review_list), ("key-themes/new/", alternative_views.key_themes_new)),
    *pages(
        R,
        ("", views.review_detail),
        ("steps/<slug:slug>/", views.review_step),
        ("methodology/", views.review_methodology),
        ("extend/", views.review_extend),
        ("published-summary/", views.review_summary_sent),
        ("progress-reports/<int:report_pk>/", views.review_progress_report),
        ("membership-section/", views.review_membership_section),
        # Panel
        ("panel/", views.review_panel),
        ("panel/appoint/", views.review_appoint),
        ("panel/<int:member_pk>/remove/", views.review_remove_member),
        # Terms of reference
        ("terms-of-reference/", views.review_tor),
        ("terms-of-reference/new/", views.review_tor_new),
        (TOR, views.review_tor, "review_tor_version"),
        (TOR + "consult/", views.review_tor_consult),
        (TOR + "responses/<int:consultation_pk>/", views.review_tor_response),
        (TOR + "comment/", views.review_tor_comment),
        (TOR + "agree/", views.review_tor_agree),
        (TOR + "approve/", views.review_tor_approve),
        # Reports and fair representation
        ("reports/drafts/destroy/", views.review_drafts_destroy),
        ("reports/<slug:slug>/", views.review_reports),
        ("reports/<slug:slug>/upload/", views.review_report_upload),
        ("reports/<slug:slug>/<int:version_pk>/release/", views.review_report_check_override),
        ("documents/<int:version_pk>/", views.review_report_download),
        ("documents/<int:version_pk>/comment/", views.review_report_comment),
        ("fair-representation/", views.review_fair_representation),
        ("fair-representation/<int:confirmation_pk>/", views.review_fair_representation_respond),
        ("fair-representation/<int:confirmation_pk>/resolve/", views.review_fair_representation_resolve),
        # Meetings, parallel processes, family
        ("meetings/", views.review_meetings),
        ("meetings/new/", views.review_meeting_new),
        ("meetings/<int:meeting_pk>/held/", views.review_meeting_held),
        ("meetings/<int:meeting_pk>/circulation/", views.review_meeting_circulation),
        ("parallel-processes/new/", views.review_parallel_process, "review_parallel_process_new"),
        ("parallel-processes/<int:process_pk>/", views.review_parallel_process),
        ("family/new/", views.review_family, "review_family_new"),
        ("family/<int:involvement_pk>/", views.review_family),
        ("family-prompts/<int:prompt_pk>/", views.review_family_prompt),
    ),
    # The communications plan (Solihull §16.1, App 9)
    *pages(
        R + "communications/",
        ("", communications_views.review_communications),
        ("plan/", communications_views.review_communications_plan),
        ("audiences/new/", communications_views.review_communication_item, "review_communication_item_new"),
        ("audiences/<int:audience_pk>/", communications_views.review_communication_item),
        ("audiences/<int:audience_pk>/remove/", communications_views.review_communication_item_remove),
    ),
    # Alternative reviews (domain brief §4.8)
    *pages(
        R + "alternative/",
        ("", alternative_views.review_alternative),
        ("appoint/", alternative_views.review_alternative_appoint),
        ("steps/<slug:step>/", alternative_views.review_alternative_step),
        ("output/", alternative_views.review_alternative_output),
        ("output/download/", alternative_views.review_alternative_output_download),
        ("accept/", alternative_views.review_alternative_accept),
        ("cancel/", alternative_views.review_alternative_cancel),
    ),
    path("", include("reviews.urls.plans")),
]
