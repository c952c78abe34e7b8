"""URLs of the document engine. A record's pages take the owner type as an extra argument, so reviews
and IMRs add their own four lines (…_documents, …_document_new, …_case_key, …_case_key_fill/add)."""

from django.urls import path

from . import views

REFERRAL = {"owner_type": "referral"}
REVIEW = {"owner_type": "review"}
IMR = {"owner_type": "imr"}

urlpatterns = [
    path("referrals/<int:pk>/documents/", views.owner_documents, REFERRAL, name="referral_documents"),
    path(
        "referrals/<int:pk>/documents/<slug:code>/new/",
        views.document_new,
        REFERRAL,
        name="referral_document_new",
    ),
    path("referrals/<int:pk>/anonymisation-key/", views.case_key, REFERRAL, name="referral_case_key"),
    path(
        "referrals/<int:pk>/anonymisation-key/fill/",
        views.case_key_fill,
        REFERRAL,
        name="referral_case_key_fill",
    ),
    path(
        "referrals/<int:pk>/anonymisation-key/add/",
        views.case_key_person_add,
        REFERRAL,
        name="referral_case_key_add",
    ),
    path("reviews/<int:pk>/documents/", views.owner_documents, REVIEW, name="review_documents"),
    path(
        "reviews/<int:pk>/documents/<slug:code>/new/",
        views.document_new,
        REVIEW,
        name="review_document_new",
    ),
    path("reviews/<int:pk>/anonymisation-key/", views.case_key, REVIEW, name="review_case_key"),
    path(
        "reviews/<int:pk>/anonymisation-key/fill/",
        views.case_key_fill,
        REVIEW,
        name="review_case_key_fill",
    ),
    path(
        "reviews/<int:pk>/anonymisation-key/add/",
        views.case_key_person_add,
        REVIEW,
        name="review_case_key_add",
    ),
    path("imr/<int:pk>/documents/", views.owner_documents, IMR, name="imr_documents"),
    path("imr/<int:pk>/documents/<slug:code>/new/", views.document_new, IMR, name="imr_document_new"),
    path("imr/<int:pk>/anonymisation-key/", views.case_key, IMR, name="imr_case_key"),
    path("imr/<int:pk>/anonymisation-key/fill/", views.case_key_fill, IMR, name="imr_case_key_fill"),
    path("imr/<int:pk>/anonymisation-key/add/", views.case_key_person_add, IMR, name="imr_case_key_add"),
    path("anonymisation-key/<int:pk>/", views.case_key_person_edit, name="case_key_person_edit"),
    path("anonymisation-key/<int:pk>/remove/", views.case_key_person_remove, name="case_key_person_remove"),
    path("documents/<int:pk>/", views.document_detail, name="document_detail"),
    path("documents/<int:pk>/status/", views.document_status, name="document_status"),
    path("documents/<int:pk>/download/", views.document_download, name="document_download"),
    path("documents/<int:pk>/retry/", views.document_retry, name="document_retry"),
    path("documents/<int:pk>/check/", views.document_recheck, name="document_recheck"),
    path("documents/<int:pk>/approve/", views.document_approve, name="document_approve"),
    path("documents/<int:pk>/override/", views.document_override, name="document_override"),
    path("documents/<int:pk>/sent/", views.document_mark_sent, name="document_mark_sent"),
    path("document-wording/", views.wording_list, name="document_wordings"),
    path("document-wording/<slug:code>/", views.wording_edit, name="document_wording_edit"),
]
