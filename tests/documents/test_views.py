"""The document pages: who may open and use each one (allowed and forbidden personas), the progress
page and its status, downloads logged, a blocked version held back until the business manager overrides
it, the anonymisation key, and the wording editor's preview-before-save."""

import datetime as dt
import html
import re

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.urls import reverse

from scr_portal.documents import services
from scr_portal.models import (
    AnonymisationCheck,
    CaseKeyPerson,
    DocumentDownload,
    DocumentTemplateVersion,
    GeneratedDocument,
)

from .conftest import CHILD, MOTHER, make_referral

pytestmark = pytest.mark.django_db


def error_summary(response) -> str:
    found = re.search(r'<div class="govuk-error-summary".*?</ul>', response.text, re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", found.group(0))).split()) if found else ""


def flashed(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


TITLES = (
    "Referral form (Parts 1 to 3)",
    "Notice to agencies",
    "Letter and leaflet for the family",
    "Notification to Ofsted",
    "Notification to the Department for Education",
    "Notification to the National Panel",
)


@pytest.fixture
def blocked(leaky_twin):
    """An anonymised Ofsted notification whose text still names the mother."""
    return leaky_twin("Seen with Mrs O'Neill.")


@pytest.mark.parametrize(
    ("persona", "status"),
    [("manager_a", 200), ("chair_a", 200), ("auditor_a", 200), ("contact_x", 403), ("manager_b", 404)],
)
def test_the_documents_page_is_for_board_wide_staff(request, client_as, referral, persona, status, frozen):
    response = client_as(request.getfixturevalue(persona)).get(
        reverse("referral_documents", args=[referral.pk])
    )
    assert response.status_code == status
    if status == 200:
        for title in TITLES:
            assert title in response.text
    if status == 403:
        assert "Only the business unit, the LSCB Chair, the sub-committee and auditors" in response.text


def test_the_referral_page_links_to_its_documents(client_as, referral, manager_a, frozen):
    response = client_as(manager_a).get(reverse("referral_detail", args=[referral.pk]))
    assert reverse("referral_documents", args=[referral.pk]) in response.text


@pytest.mark.parametrize(("persona", "status"), [("chair_a", 403), ("auditor_a", 403), ("manager_b", 404)])
def test_only_the_business_unit_produces_documents(
    request, client_as, referral, queued, persona, status, frozen
):
    url = reverse("referral_document_new", args=[referral.pk, "referral-form"])
    assert client_as(request.getfixturevalue(persona)).post(url).status_code == status
    assert not GeneratedDocument.objects.exists()


def test_producing_a_document_leads_to_its_progress_page_then_its_download(
    client, client_as, referral, manager_a, queued, render_queued, frozen
):
    client = client_as(manager_a)
    response = client.post(reverse("referral_document_new", args=[referral.pk, "referral-form"]))
    document = GeneratedDocument.objects.get()
    assert response.status_code == 302 and response.url == reverse("document_detail", args=[document.pk])
    page = client.get(response.url)
    assert "Waiting to be prepared" in page.text and 'data-status-url="' in page.text
    assert "js/document-progress.mjs" in page.text
    assert client.get(reverse("document_status", args=[document.pk])).json() == {
        "status": "queued",
        "label": "Waiting to be prepared",
    }
    render_queued()
    page = client.get(reverse("document_detail", args=[document.pk]))
    document.refresh_from_db()
    assert document.file.sha256 in page.text and "Not downloaded yet." in page.text
    download = client.get(reverse("document_download", args=[document.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith(
        'attachment; filename="ALSCB-2026-0001-referral-form-v1-draft.pdf"'
    )
    assert b"".join(download.streaming_content).startswith(b"%PDF-")
    assert DocumentDownload.objects.get().user == manager_a
    assert "Alice Manager" in client.get(reverse("document_detail", args=[document.pk])).text


@pytest.mark.parametrize("persona", ["manager_b", "contact_x"])
def test_another_boards_or_a_lower_role_cannot_reach_a_document(
    request, client_as, referral, manager_a, queued, render_queued, persona, frozen
):
    document = services.document_request(owner=referral, code="referral-form", actor=manager_a)
    render_queued()
    client = client_as(request.getfixturevalue(persona))
    expected = 404 if persona == "manager_b" else 403
    for name in ("document_detail", "document_download"):
        assert client.get(reverse(name, args=[document.pk])).status_code == expected
    assert client.get(reverse("document_status", args=[document.pk])).status_code == 404
    assert not DocumentDownload.objects.exists()


def test_options_are_asked_for_and_bad_answers_put_back_on_the_form(
    client_as, referral, manager_a, queued, frozen
):
    client = client_as(manager_a)
    family_url = reverse("referral_document_new", args=[referral.pk, "family-letter"])
    page = client.get(family_url)
    assert f"{html.escape(MOTHER)} (Mother)" in page.text
    response = client.post(family_url, {"contact_phone": "0121 496 0000"})
    assert error_summary(response) == (
        "There is a problem Select the family member the letter is to "
        "Enter the personal contact's name, or leave the number blank"
    )
    notify_url = reverse("referral_document_new", args=[referral.pk, "notification-ofsted"])
    response = client.post(notify_url, {"event": "decision"})
    assert "The LSCB Chair has not decided yet, so there is no decision to notify" in error_summary(response)
    assert not GeneratedDocument.objects.exists()


def test_a_document_that_cannot_be_produced_yet_says_why(
    client_as, board_details, manager_a, agency_x, frozen
):
    referral = make_referral(
        board=board_details, author=manager_a, agencies=[agency_x], manager=manager_a, family=[]
    )
    page = client_as(manager_a).get(reverse("referral_document_new", args=[referral.pk, "family-letter"]))
    assert "The referral names no family members to write to." in page.text
    assert "Produce the draft" not in page.text


def test_a_blocked_version_lists_its_findings_and_cannot_be_downloaded(client_as, blocked, manager_a, frozen):
    client = client_as(manager_a)
    page = client.get(reverse("document_detail", args=[blocked.pk]))
    assert "Blocked" in page.text and "Mrs O&#x27;Neill" in page.text
    assert re.search(r"Page 1, line \d+", page.text)
    assert reverse("document_download", args=[blocked.pk]) not in page.text
    response = client.get(reverse("document_download", args=[blocked.pk]))
    assert response.status_code == 302
    assert "cannot be downloaded or sent" in flashed(response)[0]
    assert not DocumentDownload.objects.exists()


def test_only_the_business_manager_overrides_and_must_give_a_reason(
    client_as, blocked, manager_a, chair_a, frozen
):
    url = reverse("document_override", args=[blocked.pk])
    refused = client_as(chair_a).post(url, {"reason": "Fine"})
    assert refused.status_code == 403
    assert "Only the business manager can release a version the anonymisation check blocked." in refused.text
    client = client_as(manager_a)
    assert "Override and release this version" in client.get(url).text
    no_reason = client.post(url, {"reason": ""})
    assert error_summary(no_reason) == (
        "There is a problem Enter the reason for releasing this version despite what the check found"
    )
    done = client.post(url, {"reason": "The name is the LSCB Chair's, named by policy."})
    assert done.status_code == 302
    check = AnonymisationCheck.objects.get()
    assert (check.overridden_by, check.override_reason) == (
        manager_a,
        "The name is the LSCB Chair's, named by policy.",
    )
    assert client.get(reverse("document_download", args=[blocked.pk])).status_code == 200
    assert DocumentDownload.objects.get().anonymised is True


def test_markup_in_the_childs_name_is_text_on_the_pages(
    client_as, board_details, manager_a, agency_x, queued, render_queued, frozen
):
    payload = '<script>alert("x")</script>'
    referral = make_referral(
        board=board_details, author=manager_a, agencies=[agency_x], manager=manager_a, child_name=payload
    )
    client = client_as(manager_a)
    client.post(
        reverse("referral_document_new", args=[referral.pk, "notification-ofsted"]), {"event": "incident"}
    )
    render_queued()
    key_page = client.get(reverse("referral_case_key", args=[referral.pk]))
    assert payload not in key_page.text
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in key_page.text
    twin = GeneratedDocument.objects.get(anonymised=True)
    assert payload not in client.get(reverse("document_detail", args=[twin.pk])).text


def test_the_business_unit_keeps_the_key(client_as, referral, manager_a, chair_a, frozen):
    client = client_as(manager_a)
    filled = client.post(reverse("referral_case_key_fill", args=[referral.pk]))
    assert flashed(filled) == ["5 people have been added from the referral."]
    page = client.get(reverse("referral_case_key", args=[referral.pk]))
    assert "Child A" in page.text and html.escape(CHILD) in page.text
    added = client.post(
        reverse("referral_case_key_add", args=[referral.pk]),
        {
            "real_name": "Kayleigh Dunn",
            "pseudonym": "Neighbour",
            "role": "significant_other",
            "aliases": "Kay",
        },
    )
    assert added.status_code == 302
    person = CaseKeyPerson.objects.get(pseudonym="Neighbour")
    clash = client.post(
        reverse("case_key_person_edit", args=[person.pk]),
        {"real_name": "Kayleigh Dunn", "pseudonym": "Mother", "role": "other"},
    )
    assert error_summary(clash) == "There is a problem Another person in the key already has this pseudonym"
    assert client.post(reverse("case_key_person_remove", args=[person.pk])).status_code == 302
    assert not CaseKeyPerson.objects.filter(pk=person.pk).exists()
    assert client_as(chair_a).post(reverse("referral_case_key_fill", args=[referral.pk])).status_code == 403


@pytest.mark.parametrize(("persona", "status"), [("manager_a", 200), ("chair_a", 403), ("contact_x", 403)])
def test_only_the_business_manager_edits_wording(request, client_as, persona, status):
    client = client_as(request.getfixturevalue(persona))
    assert client.get(reverse("document_wordings")).status_code == status
    assert client.get(reverse("document_wording_edit", args=["family-leaflet"])).status_code == status


def test_wording_is_previewed_before_it_saves_and_a_broken_one_never_saves(client_as, board_a, manager_a):
    client = client_as(manager_a)
    url = reverse("document_wording_edit", args=["agency-notice-letter"])
    page = client.get(url)
    assert "{{ reply_by }}" in html.unescape(page.text) and "Save this version" not in page.text
    broken = client.post(
        url, {"body": "Reply by {{ reply_bye }} about {{ child.nmae }}", "action": "preview"}
    )
    assert error_summary(broken) == (
        "There is a problem The wording uses fields this document does not have: {{ reply_bye }}, "
        "{{ child.nmae }}. Use only the fields listed for this document."
    )
    body = "Dear colleague,\n\nReply by {{ reply_by }} about {{ child.name }}."
    preview = client.post(url, {"body": body, "action": "preview"})
    assert "Reply by Thursday 26 November 2026 about Child A." in preview.text
    digest = re.search(r'name="previewed" value="([0-9a-f]+)"', preview.text)[1]
    edited = client.post(url, {"body": body + " Thanks.", "action": "save", "previewed": digest})
    assert (
        edited.status_code == 200 and not DocumentTemplateVersion.objects.exists()
    )  # previewed again instead
    saved = client.post(url, {"body": body, "action": "save", "previewed": digest, "note": "Shorter"})
    assert saved.status_code == 302
    version = DocumentTemplateVersion.objects.get()
    assert (version.version, version.body, version.author, version.note) == (1, body, manager_a, "Shorter")
    assert "Version 1" in client.get(url).text


def test_a_version_stuck_in_the_queue_can_be_queued_again(client_as, referral, manager_a, queued, frozen):
    document = services.document_request(owner=referral, code="referral-form", actor=manager_a)
    queued.clear()
    client = client_as(manager_a)
    assert 'data-testid="stuck"' not in client.get(reverse("document_detail", args=[document.pk])).text
    with time_machine.travel(frozen + dt.timedelta(minutes=10), tick=False):
        page = client.get(reverse("document_detail", args=[document.pk]))
        assert "This is taking longer than it should." in page.text
        response = client.post(reverse("document_retry", args=[document.pk]))
    assert response.status_code == 302 and queued == [document.pk]
