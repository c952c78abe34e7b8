"""URLs of the document engine. Each record that has documents (a referral, a review, an IMR) gets the
same five pages under its own prefix, with its owner type as an extra argument: …_documents,
…_document_new, …_case_key, …_case_key_fill and …_case_key_add."""

from django.urls import path

from . import views


def owner_urls(prefix: str, owner_type: str) -> list:
    """The documents and anonymisation-key pages of one kind of record, e.g. ("referrals", "referral")."""
    owner = {"owner_type": owner_type}
    pages = [
        ("documents/", views.owner_documents, "documents"),
        ("documents/<slug:code>/new/", views.document_new, "document_new"),
        ("anonymisation-key/", views.case_key, "case_key"),
        ("anonymisation-key/fill/", views.case_key_fill, "case_key_fill"),
        ("anonymisation-key/add/", views.case_key_person_add, "case_key_add"),
    ]
    return [
        path(f"{prefix}/<int:pk>/{route}", view, owner, name=f"{owner_type}_{name}")
        for route, view, name in pages
    ]


urlpatterns = [
    *owner_urls("referrals", "referral"),
    *owner_urls("reviews", "review"),
    *owner_urls("imr", "imr"),
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
