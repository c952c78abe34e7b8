"""The IMR pages, all under /imr/ so they never collide with the reviews app's own pages."""

from scr_portal.routes import pages

from .views import chronology, documents, review, workflow, workspace

urlpatterns = [
    *pages(
        "imr/",
        ("", review.imr_list),
    ),
    *pages(
        "imr/reviews/<int:review_pk>/",
        ("", review.review_imr_list, "review_imrs"),
        ("commission/", workflow.imr_commission),
        ("chronology/", review.integrated_chronology),
        ("chronology/export.<str:fmt>", review.integrated_chronology_export),
    ),
    *pages(
        "imr/<int:pk>/chronology/",
        ("", chronology.imr_chronology),
        ("new/", chronology.imr_chronology_entry, "imr_chronology_entry_add"),
        ("<int:entry_pk>/", chronology.imr_chronology_entry, "imr_chronology_entry_edit"),
        ("<int:entry_pk>/remove/", chronology.imr_chronology_entry_delete),
        ("template.<str:fmt>", chronology.imr_chronology_template),
        ("app7-template.xlsx", documents.imr_chronology_app7_template),
        ("import/", chronology.imr_chronology_import),
        ("import/<int:import_pk>/", chronology.imr_chronology_import_preview),
    ),
    *pages(
        "imr/<int:pk>/genogram/",
        ("", workspace.imr_genogram),
        ("people/new/", workspace.imr_genogram_person, "imr_genogram_person_add"),
        ("people/<int:person_pk>/", workspace.imr_genogram_person, "imr_genogram_person_edit"),
        ("people/<int:person_pk>/remove/", workspace.imr_genogram_person_delete),
        ("relationships/new/", workspace.imr_genogram_relationship, "imr_genogram_relationship_add"),
        ("relationships/<int:line_pk>/remove/", workspace.imr_genogram_relationship_delete),
    ),
    *pages(
        "imr/<int:pk>/interviews/",
        ("", workspace.imr_interviews),
        ("new/", workspace.imr_interview_add),
        ("<int:interview_pk>/", workspace.imr_interview_detail),
        ("<int:interview_pk>/held/", workspace.imr_interview_step, "imr_interview_held", {"step": "held"}),
        (
            "<int:interview_pk>/summary/",
            workspace.imr_interview_step,
            "imr_interview_summary",
            {"step": "summary"},
        ),
        (
            "<int:interview_pk>/answer/",
            workspace.imr_interview_step,
            "imr_interview_outcome",
            {"step": "outcome"},
        ),
        (
            "<int:interview_pk>/withdraw/",
            workspace.imr_interview_step,
            "imr_interview_withdraw",
            {"step": "withdraw"},
        ),
    ),
    *pages(
        "imr/<int:pk>/action-plan/recommendations/<int:rec_pk>/actions/",
        ("new/", workspace.imr_plan_action, "imr_plan_action_add"),
        ("<int:action_pk>/", workspace.imr_plan_action, "imr_plan_action_edit"),
        ("<int:action_pk>/remove/", workspace.imr_plan_action_delete),
    ),
    *pages(
        "imr/<int:pk>/action-plan/",
        ("", workspace.imr_action_plan),
        ("recommendations/new/", workspace.imr_plan_recommendation, "imr_plan_recommendation_add"),
        ("recommendations/<int:rec_pk>/", workspace.imr_plan_recommendation, "imr_plan_recommendation_edit"),
        ("recommendations/<int:rec_pk>/remove/", workspace.imr_plan_recommendation_delete),
    ),
    *pages(
        "imr/<int:pk>/",
        ("", workspace.imr_detail),
        ("nominate/", workflow.imr_nominate),
        ("nil-return/", workflow.imr_nil_return),
        ("start/", workflow.imr_start),
        ("confirm/<slug:step>/", workflow.imr_confirm),
        ("author-sign/", workflow.imr_author_sign),
        ("sign-off/", workflow.imr_sign_off),
        ("return-to-author/", workflow.imr_return_to_author),
        ("replace-author/", workflow.imr_replace_author),
        ("cancel/", workflow.imr_cancel),
        ("quality-assurance/", workflow.imr_quality_assurance),
        ("further-information/request/", workflow.imr_request_information),
        ("further-information/send/", workflow.imr_provide_information),
        ("sections/<slug:slug>/", workspace.imr_section),
        ("report/", workspace.imr_report_upload),
        ("report/<int:file_pk>/override-check/", workspace.imr_report_check_override),
        ("appendices/new/", workspace.imr_appendix_add),
        ("files/<int:file_pk>/", workspace.imr_file_download),
    ),
]
