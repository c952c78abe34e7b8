"""The IMR pages, all under /imr/ so they never collide with the reviews app's own pages."""

from django.urls import path

from .views import chronology, documents, review, workflow, workspace

urlpatterns = [
    # Across IMRs and per review
    path("imr/", review.imr_list, name="imr_list"),
    path("imr/reviews/<int:review_pk>/", review.review_imr_list, name="review_imrs"),
    path("imr/reviews/<int:review_pk>/commission/", workflow.imr_commission, name="imr_commission"),
    path(
        "imr/reviews/<int:review_pk>/chronology/", review.integrated_chronology, name="integrated_chronology"
    ),
    path(
        "imr/reviews/<int:review_pk>/chronology/export.<str:fmt>",
        review.integrated_chronology_export,
        name="integrated_chronology_export",
    ),
    # One IMR and its workflow
    path("imr/<int:pk>/", workspace.imr_detail, name="imr_detail"),
    path("imr/<int:pk>/nominate/", workflow.imr_nominate, name="imr_nominate"),
    path("imr/<int:pk>/nil-return/", workflow.imr_nil_return, name="imr_nil_return"),
    path("imr/<int:pk>/start/", workflow.imr_start, name="imr_start"),
    path("imr/<int:pk>/confirm/<slug:step>/", workflow.imr_confirm, name="imr_confirm"),
    path("imr/<int:pk>/sign-off/", workflow.imr_sign_off, name="imr_sign_off"),
    path("imr/<int:pk>/quality-assurance/", workflow.imr_quality_assurance, name="imr_quality_assurance"),
    path(
        "imr/<int:pk>/further-information/request/",
        workflow.imr_request_information,
        name="imr_request_information",
    ),
    path(
        "imr/<int:pk>/further-information/send/",
        workflow.imr_provide_information,
        name="imr_provide_information",
    ),
    # The author's workspace
    path("imr/<int:pk>/sections/<slug:slug>/", workspace.imr_section, name="imr_section"),
    path("imr/<int:pk>/report/", workspace.imr_report_upload, name="imr_report_upload"),
    path("imr/<int:pk>/appendices/new/", workspace.imr_appendix_add, name="imr_appendix_add"),
    path("imr/<int:pk>/files/<int:file_pk>/", workspace.imr_file_download, name="imr_file_download"),
    path("imr/<int:pk>/chronology/", chronology.imr_chronology, name="imr_chronology"),
    path("imr/<int:pk>/chronology/new/", chronology.imr_chronology_entry, name="imr_chronology_entry_add"),
    path(
        "imr/<int:pk>/chronology/<int:entry_pk>/",
        chronology.imr_chronology_entry,
        name="imr_chronology_entry_edit",
    ),
    path(
        "imr/<int:pk>/chronology/<int:entry_pk>/remove/",
        chronology.imr_chronology_entry_delete,
        name="imr_chronology_entry_delete",
    ),
    path(
        "imr/<int:pk>/chronology/template.<str:fmt>",
        chronology.imr_chronology_template,
        name="imr_chronology_template",
    ),
    path(
        "imr/<int:pk>/chronology/app7-template.xlsx",
        documents.imr_chronology_app7_template,
        name="imr_chronology_app7_template",
    ),
    path("imr/<int:pk>/chronology/import/", chronology.imr_chronology_import, name="imr_chronology_import"),
    path(
        "imr/<int:pk>/chronology/import/<int:import_pk>/",
        chronology.imr_chronology_import_preview,
        name="imr_chronology_import_preview",
    ),
    path("imr/<int:pk>/genogram/", workspace.imr_genogram, name="imr_genogram"),
    path("imr/<int:pk>/genogram/people/new/", workspace.imr_genogram_person, name="imr_genogram_person_add"),
    path(
        "imr/<int:pk>/genogram/people/<int:person_pk>/",
        workspace.imr_genogram_person,
        name="imr_genogram_person_edit",
    ),
    path(
        "imr/<int:pk>/genogram/people/<int:person_pk>/remove/",
        workspace.imr_genogram_person_delete,
        name="imr_genogram_person_delete",
    ),
    path(
        "imr/<int:pk>/genogram/relationships/new/",
        workspace.imr_genogram_relationship,
        name="imr_genogram_relationship_add",
    ),
    path(
        "imr/<int:pk>/genogram/relationships/<int:line_pk>/remove/",
        workspace.imr_genogram_relationship_delete,
        name="imr_genogram_relationship_delete",
    ),
    path("imr/<int:pk>/interviews/", workspace.imr_interviews, name="imr_interviews"),
    path("imr/<int:pk>/interviews/new/", workspace.imr_interview_add, name="imr_interview_add"),
    path(
        "imr/<int:pk>/interviews/<int:interview_pk>/",
        workspace.imr_interview_detail,
        name="imr_interview_detail",
    ),
    path(
        "imr/<int:pk>/interviews/<int:interview_pk>/held/",
        workspace.imr_interview_held,
        name="imr_interview_held",
    ),
    path(
        "imr/<int:pk>/interviews/<int:interview_pk>/summary/",
        workspace.imr_interview_summary,
        name="imr_interview_summary",
    ),
    path(
        "imr/<int:pk>/interviews/<int:interview_pk>/answer/",
        workspace.imr_interview_outcome,
        name="imr_interview_outcome",
    ),
    path("imr/<int:pk>/action-plan/", workspace.imr_action_plan, name="imr_action_plan"),
    path(
        "imr/<int:pk>/action-plan/recommendations/new/",
        workspace.imr_plan_recommendation,
        name="imr_plan_recommendation_add",
    ),
    path(
        "imr/<int:pk>/action-plan/recommendations/<int:rec_pk>/",
        workspace.imr_plan_recommendation,
        name="imr_plan_recommendation_edit",
    ),
    path(
        "imr/<int:pk>/action-plan/recommendations/<int:rec_pk>/remove/",
        workspace.imr_plan_recommendation_delete,
        name="imr_plan_recommendation_delete",
    ),
    path(
        "imr/<int:pk>/action-plan/recommendations/<int:rec_pk>/actions/new/",
        workspace.imr_plan_action,
        name="imr_plan_action_add",
    ),
    path(
        "imr/<int:pk>/action-plan/recommendations/<int:rec_pk>/actions/<int:action_pk>/",
        workspace.imr_plan_action,
        name="imr_plan_action_edit",
    ),
    path(
        "imr/<int:pk>/action-plan/recommendations/<int:rec_pk>/actions/<int:action_pk>/remove/",
        workspace.imr_plan_action_delete,
        name="imr_plan_action_delete",
    ),
]
