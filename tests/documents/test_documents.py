"""The referral's documents, rendered for real and read back from the PDF: merged names, dates and the
clock's deadlines, the footer on every page, the DRAFT watermark until approval, anonymised versions
that name no one, and the check that blocks one that does until it is fixed or overridden."""

import datetime as dt
import hashlib
import re
import subprocess

import pytest
from django.core.exceptions import ValidationError

from referrals.models import Decision, Recommendation
from scr_portal.clock.schedule import describe_due
from scr_portal.documents import engine, rendering, services
from scr_portal.documents.selectors import KEY_CHANGED, key_rows, release_problem, released_notification_text
from scr_portal.models import (
    AnonymisationCheck,
    CaseKeyPerson,
    Deadline,
    DocumentDownload,
    DocumentStatus,
    DocumentTemplateVersion,
    GeneratedDocument,
    StoredFile,
    TransitionLog,
)

from .conftest import CHILD, FATHER, MOTHER, WORKER, make_referral, pdf_bytes, pdf_pages, pdf_text

pytestmark = pytest.mark.django_db

FOOTER = "Ref: ALSCB-2026-0001/{code}/v{version} · Version {version} · Tuesday 24 November 2026"
NAME_FRAGMENTS = (
    "Zoë",
    "Zoe",
    "Smith",
    "Jones",
    "Neill",
    "Siobhan",
    "Liam",
    "Priya",
    "Patel",
    "Acacia",
    "B91 3QT",
)


def footer_and_watermark_on_every_page(pages: list[str], code: str, version: int, *, draft: bool) -> None:
    footer = FOOTER.format(code=code, version=version)
    for number, text in enumerate(pages, start=1):
        flat = " ".join(text.split())
        assert footer in flat, f"page {number} has no footer"
        assert f"Page {number} of {len(pages)}" in flat
        watermark = "DRAFT" in [line.strip() for line in text.splitlines()]
        assert watermark is draft, f"page {number}: watermark {'missing' if draft else 'present'}"
        assert ("DRAFT – not approved" in flat) is draft


def test_referral_form_merges_part_1_with_the_footer_and_draft_watermark_on_every_page(
    referral, manager_a, produce, frozen
):
    internal, twin = produce(referral, "referral-form", manager_a)
    assert internal.status == DocumentStatus.READY and twin is None
    pages = pdf_pages(internal)
    text = re.sub(r"-\s+", "-", " ".join(" ".join(pages).split()))  # a name wrapped after its hyphen
    for merged in (
        CHILD,
        "1 May 2020",
        MOTHER,
        FATHER,
        "3 February 1995",
        WORKER,
        "Health visitor saw Zoë at home.",
    ):
        assert merged in text
    assert "Part 2: the LSCB Chair's decision The LSCB Chair has not decided yet." in text
    assert (
        "Part 3: terms of reference agreed by the panel The terms of reference have not been agreed yet."
        in text
    )
    footer_and_watermark_on_every_page(pages, "referral-form", 1, draft=True)


def test_the_agency_notice_gives_the_reply_date_the_clock_set_and_attaches_the_referral(
    referral, manager_a, produce, frozen
):
    internal, _ = produce(referral, "agency-notice", manager_a)
    reply = Deadline.objects.filter(rule__code="agency-reply").order_by("due_date").first()
    label = describe_due(due_date=reply.due_date, today=reply.due_date, nation="england-and-wales").split(
        " ("
    )[0]
    assert label == "Thursday 26 November 2026"  # 3 working days from Monday 23 November
    text = " ".join(pdf_text(internal).split())
    assert f"Please reply by {label}" in text
    assert "that is by Wednesday 23 December 2026" in text  # the Chair's decision, one month
    assert "Alpha Hospitals NHS Trust" in text and "Alpha Police" in text
    assert (
        f"Request for a serious case review: {CHILD}, born 1 May 2020, of 12 Acacia Avenue, Solihull, B91 3QT"
        in text
    )
    assert "Attached: the referral Part 1: referral" in text
    assert "Carol Chair Chair, Alpha Local Safeguarding Children Board" in text
    footer_and_watermark_on_every_page(pdf_pages(internal), "agency-notice", 1, draft=True)


def test_the_family_letter_is_addressed_to_the_chosen_relative_with_the_leaflet(
    referral, manager_a, produce, frozen
):
    mother = referral.family.get(name=MOTHER)
    internal, twin = produce(
        referral,
        "family-letter",
        manager_a,
        recipient=mother.pk,
        contact_name="Dee O'Brien",
        contact_phone="0121 496 0000",
    )
    assert twin is None  # it goes to the family, named
    pages = pdf_pages(internal)
    assert len(pages) == 2
    letter, leaflet = (" ".join(page.split()) for page in pages)
    assert f"Dear {MOTHER}," in letter
    assert "Your personal contact for the review is Dee O'Brien, who you can call on 0121 496 0000." in letter
    assert "Serious case reviews: information for families" in leaflet
    assert "within 6 months of the decision to hold it" in leaflet


def test_the_anonymised_notification_names_no_one_and_passes_the_check(referral, manager_a, produce, frozen):
    internal, twin = produce(referral, "notification-ofsted", manager_a, event="incident")
    internal_text = pdf_text(internal)
    assert CHILD in internal_text and "Mrs O’Neill" in internal_text
    text = pdf_text(twin)
    for fragment in NAME_FRAGMENTS:
        assert fragment not in text, fragment
    flat = " ".join(text.split())
    assert "Child Child A, aged 6 years" in flat
    assert "Child A lived with her mother, Mother, and her father Father at [address removed]" in flat
    assert "[NHS number removed]" in flat and "[phone number removed]" in flat and "[school removed]" in flat
    assert "· Anonymised ·" in flat
    # Only the LSCB Chair is named; the business manager is given by post (domain brief §8.1).
    assert "Carol Chair" in flat and "Alice Manager" not in flat
    assert "Business Manager, Alpha Local Safeguarding Children Board" in flat
    assert "Alice Manager" in internal_text
    check = twin.checks.get()
    assert check.outcome == "passed" and check.findings == []
    assert release_problem(twin) == ""


def test_a_decision_notification_needs_the_decision_and_says_what_was_decided(
    referral, manager_a, chair_a, produce, frozen
):
    Decision.objects.create(
        referral=referral,
        outcome=Recommendation.SCR,
        reasons="Zoë died and agencies' work together needs review.",
        members_consulted="Police, health",
        legal_advice_sought=False,
        decided_by=chair_a,
        decided_at=dt.datetime(2026, 11, 24, 9, tzinfo=dt.UTC),
    )
    _, twin = produce(referral, "notification-national-panel", manager_a, event="decision")
    # Without white space: text extraction splits kerned pairs ("T uesday") depending on the fonts installed.
    text = "".join(pdf_text(twin).split())
    sentence = "On Tuesday 24 November 2026 the LSCB Chair decided that a serious case review will be held."
    assert "".join(sentence.split()) in text
    assert "".join("Child A died and agencies' work together needs review.".split()) in text


def test_approval_removes_the_watermark_and_keeps_exactly_the_approved_data(
    referral, manager_a, queued, render_queued, produce, frozen
):
    draft, draft_twin = produce(referral, "notification-dfe", manager_a, event="incident")
    final = services.document_approve(document=draft, actor=manager_a)
    render_queued()
    final.refresh_from_db()
    final_twin = final.anonymised_versions.get()
    assert (final.version, final.draft, final.approved_by) == (2, False, manager_a)
    assert final.data_fingerprint == draft.data_fingerprint and final.context == draft.context
    footer_and_watermark_on_every_page(pdf_pages(final), "notification-dfe", 2, draft=False)
    footer_and_watermark_on_every_page(pdf_pages(final_twin), "notification-dfe", 2, draft=False)
    assert final_twin.checks.get().outcome == "passed"
    assert TransitionLog.objects.filter(transition="approve", object_id=final.pk, actor=manager_a).exists()
    with pytest.raises(ValidationError) as error:
        services.document_approve(document=final, actor=manager_a)
    assert error.value.messages == [services.ONLY_DRAFTS_APPROVED]


def test_a_name_left_in_an_anonymised_version_blocks_it_with_its_place_until_overridden_and_logged(
    manager_a, leaky_twin, frozen
):
    twin = leaky_twin("Seen at home by her mother Siobhan O’Neill (Mrs O'Neill).")
    check = twin.checks.get()
    assert check.outcome == "blocked"
    assert [(f["kind"], f["text"], f["page"]) for f in check.findings] == [
        ("name", "Siobhan O’Neill", 1),
        ("name", "Mrs O'Neill", 1),
    ]
    assert check.findings[0]["line"] > 1 and "by her mother Siobhan O’Neill" in check.findings[0]["snippet"]

    with pytest.raises(ValidationError) as refused:
        services.document_download_record(document=twin, user=manager_a)
    assert "cannot be downloaded or sent" in refused.value.messages[0]
    assert not DocumentDownload.objects.exists()

    with pytest.raises(ValidationError) as no_reason:
        services.anonymisation_override(check=check, actor=manager_a, reason="  ")
    assert no_reason.value.message_dict == {"reason": [services.REASON_REQUIRED]}

    services.anonymisation_override(check=check, actor=manager_a, reason="Agreed with the panel chair.")
    check.refresh_from_db()
    assert (check.overridden_by, check.override_reason) == (manager_a, "Agreed with the panel chair.")
    log = TransitionLog.objects.get(transition="anonymisation_override")
    assert (log.object_id, log.actor, log.reason, log.to_state) == (
        twin.pk,
        manager_a,
        "Agreed with the panel chair.",
        "overridden",
    )
    services.document_download_record(document=twin, user=manager_a, ip_address="192.0.2.1")
    download = DocumentDownload.objects.get()
    assert (download.document, download.user, download.anonymised, download.ip_address) == (
        twin,
        manager_a,
        True,
        "192.0.2.1",
    )


def test_a_person_added_to_the_key_later_blocks_versions_checked_before_until_checked_again(
    referral, manager_a, produce, frozen
):
    _, twin = produce(referral, "notification-ofsted", manager_a, event="incident")
    assert release_problem(twin) == ""
    services.case_key_person_add(
        owner=referral,
        actor=manager_a,
        real_name="Dr Patel's colleague Ola Nowak",
        pseudonym="Practitioner 9",
        role="practitioner",
    )
    assert release_problem(twin) == KEY_CHANGED
    services.case_key_person_add(
        owner=referral, actor=manager_a, real_name="Oak Tree", pseudonym="Place 1", role="other"
    )
    check = services.document_check(document=twin, actor=manager_a)
    assert check.outcome == "passed"  # neither appears: the school name had already been removed


def test_internal_versions_of_an_outside_body_document_cannot_be_recorded_as_sent(
    referral, manager_a, queued, render_queued, produce, frozen
):
    draft, draft_twin = produce(referral, "notification-ofsted", manager_a, event="incident")
    with pytest.raises(ValidationError) as internal_refused:
        services.document_mark_sent(
            document=draft, actor=manager_a, sent_on=dt.date(2026, 11, 24), sent_to="Ofsted"
        )
    assert internal_refused.value.messages == [services.ANONYMISED_ONLY_SENT]
    with pytest.raises(ValidationError) as draft_refused:
        services.document_mark_sent(
            document=draft_twin, actor=manager_a, sent_on=dt.date(2026, 11, 24), sent_to="Ofsted"
        )
    assert draft_refused.value.messages == [services.ONLY_APPROVED_SENT]
    final = services.document_approve(document=draft, actor=manager_a)
    render_queued()
    final_twin = final.anonymised_versions.get()
    text = released_notification_text(referral, body="ofsted", event="incident")
    assert "Child A lived with her mother, Mother" in text and CHILD not in text
    assert released_notification_text(referral, body="ofsted", event="decision") == ""
    sent = services.document_mark_sent(
        document=final_twin, actor=manager_a, sent_on=dt.date(2026, 11, 24), sent_to="Ofsted NBU"
    )
    assert (sent.sent_to, sent.sent_by) == ("Ofsted NBU", manager_a)
    assert TransitionLog.objects.filter(transition="mark_sent", object_id=final_twin.pk).exists()


def test_markup_in_the_childs_name_is_text_in_the_pdf(board_details, manager_a, agency_x, produce, frozen):
    payload = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    referral = make_referral(
        board=board_details, author=manager_a, agencies=[agency_x], manager=manager_a, child_name=payload
    )
    internal, _ = produce(referral, "referral-form", manager_a)
    text = " ".join(pdf_text(internal).split())
    assert f"Name {payload}" in text


def test_the_key_is_filled_from_the_referral_once_and_keeps_chosen_pseudonyms(referral, manager_a, frozen):
    assert services.case_key_fill(owner=referral, actor=manager_a) == 5
    assert [(row.pseudonym, row.real_name) for row in key_rows(referral)] == [
        ("Child A", CHILD),
        ("Mother", MOTHER),
        ("Father", FATHER),
        ("Practitioner 1", WORKER),
        ("Practitioner 2", "Rita Referrer"),
    ]
    mother = CaseKeyPerson.objects.get(pseudonym="Mother")
    services.case_key_person_update(person=mother, actor=manager_a, pseudonym="Birth mother", aliases="Shiv")
    assert services.case_key_fill(owner=referral, actor=manager_a) == 0
    assert CaseKeyPerson.objects.get(pk=mother.pk).pseudonym == "Birth mother"
    with pytest.raises(ValidationError) as taken:
        services.case_key_person_update(person=mother, actor=manager_a, pseudonym="child a")
    assert taken.value.message_dict == {"pseudonym": [services.PSEUDONYM_TAKEN]}
    with pytest.raises(ValidationError) as real:
        services.case_key_person_update(person=mother, actor=manager_a, pseudonym="Mrs O'Neill")
    assert real.value.message_dict == {"pseudonym": [services.PSEUDONYM_IS_A_NAME]}
    with pytest.raises(ValidationError):
        services.case_key_person_remove(person=mother, actor=manager_a)


def test_each_version_records_its_hash_author_data_and_wording(referral, manager_a, produce, frozen):
    internal, _ = produce(referral, "agency-notice", manager_a)
    stored = internal.file
    assert stored.sha256 == hashlib.sha256(pdf_bytes(internal)).hexdigest()
    assert (stored.kind, stored.file_type, stored.uploaded_by) == (
        "generated:agency-notice",
        "pdf",
        manager_a,
    )
    assert internal.requested_by == manager_a and internal.data_as_of == referral.updated_at
    assert len(internal.data_fingerprint) == 64
    assert internal.template_versions == {"agency-notice-letter": 0}
    assert internal.context["data"]["reply_by"] == "Thursday 26 November 2026"


def test_the_boards_own_wording_is_used_from_its_next_version(referral, manager_a, produce, frozen):
    services.wording_save(
        board=referral.board,
        code="agency-notice-letter",
        body="Dear colleague,\n\nPlease confirm by {{ reply_by }} whether you knew {{ child.name }}.",
        actor=manager_a,
        note="Shorter",
    )
    internal, _ = produce(referral, "agency-notice", manager_a)
    assert internal.template_versions == {"agency-notice-letter": 1}
    assert f"Please confirm by Thursday 26 November 2026 whether you knew {CHILD}." in " ".join(
        pdf_text(internal).split()
    )


def test_a_broken_template_never_saves(board_a, manager_a):
    with pytest.raises(ValidationError) as error:
        services.wording_save(
            board=board_a, code="agency-notice-letter", body="Reply by {{ reply_bye }}", actor=manager_a
        )
    assert "{{ reply_bye }}" in error.value.message_dict["body"][0]
    with pytest.raises(ValidationError):
        services.wording_save(board=board_a, code="agency-notice-letter", body="{% if x %}", actor=manager_a)
    assert not DocumentTemplateVersion.objects.exists()


def test_a_document_that_cannot_be_produced_yet_says_what_to_do_first(
    board_details, manager_a, agency_x, queued, frozen
):
    referral = make_referral(
        board=board_details, author=manager_a, agencies=[agency_x], manager=manager_a, family=[]
    )
    with pytest.raises(ValidationError) as error:
        services.document_request(owner=referral, code="family-letter", actor=manager_a, options={})
    assert error.value.messages == [
        "The referral names no family members to write to. Add them to the referral first."
    ]
    assert not GeneratedDocument.objects.exists() and queued == []


def test_a_3000_row_chronology_is_accepted_and_one_too_long_for_a_pdf_is_refused_clearly(
    board_details, manager_a, agency_x, queued, monkeypatch, frozen
):
    rows = [
        {"date": dt.date(2024, 1, 1) + dt.timedelta(days=n // 4), "event": f"Contact {n} with Zoë"}
        for n in range(3000)
    ]
    referral = make_referral(
        board=board_details, author=manager_a, agencies=[agency_x], manager=manager_a, key_dates=rows
    )
    document = services.document_request(owner=referral, code="referral-form", actor=manager_a)
    html = rendering.render_html(document)
    assert html.count("Contact 2999 with Zoë") == 1 and len(document.context["data"]["key_dates"]) == 3000
    monkeypatch.setattr(services, "MAX_TABLE_ROWS", 2999)
    with pytest.raises(ValidationError) as error:
        services.document_request(owner=referral, code="referral-form", actor=manager_a)
    assert error.value.messages == [
        "This document would have a table of 3,000 rows, more than the 2,999 a PDF can hold here. "
        "Export the data as a spreadsheet instead, or split it by period."
    ]


def test_rendering_twice_stores_one_file_and_a_failure_is_recorded_and_can_be_retried(
    referral, manager_a, queued, render_queued, monkeypatch, frozen
):
    document = services.document_request(owner=referral, code="referral-form", actor=manager_a)
    render_queued()
    rendering.document_render(document_id=document.pk)  # a second delivery of the same task
    assert StoredFile.objects.filter(kind="generated:referral-form").count() == 1

    broken = services.document_request(owner=referral, code="referral-form", actor=manager_a)
    queued.clear()

    def fail(html, **kwargs):
        raise RuntimeError("layout exploded")

    monkeypatch.setattr(engine, "render_pdf", fail)
    rendering.document_render(document_id=broken.pk)
    broken.refresh_from_db()
    assert (broken.status, broken.error) == (DocumentStatus.FAILED, rendering.RENDER_FAILED)
    services.document_retry(document=broken, actor=manager_a)
    broken.refresh_from_db()
    assert broken.status == DocumentStatus.QUEUED and queued == [broken.pk]


def test_the_render_is_queued_only_after_the_request_commits(
    referral, manager_a, monkeypatch, django_capture_on_commit_callbacks, frozen
):
    sent = []
    monkeypatch.setattr(
        "scr_portal.documents.tasks.render_document_task.apply_async", lambda **kwargs: sent.append(kwargs)
    )
    with django_capture_on_commit_callbacks(execute=True):
        document = services.document_request(
            owner=referral, code="notification-ofsted", actor=manager_a, options={"event": "incident"}
        )
        assert sent == []
    twin = document.anonymised_versions.get()
    assert [call["args"] for call in sent] == [(document.pk,), (twin.pk,)]


def test_the_render_task_renders_the_version(referral, manager_a, queued, frozen):
    from scr_portal.documents.tasks import render_document_task

    document = services.document_request(owner=referral, code="referral-form", actor=manager_a)
    assert render_document_task(document.pk) == DocumentStatus.READY
    assert render_document_task.app.conf.task_acks_late or render_document_task.acks_late


def test_a_page_renders_to_png_with_pdftoppm(referral, manager_a, produce, frozen, tmp_path):
    internal, _ = produce(referral, "agency-notice", manager_a)
    source = tmp_path / "notice.pdf"
    source.write_bytes(pdf_bytes(internal))
    subprocess.run(
        ["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", str(source), str(tmp_path / "page")],
        check=True,
    )
    png = next(tmp_path.glob("page*.png")).read_bytes()
    assert png.startswith(b"\x89PNG") and len(png) > 2000


def test_only_the_checks_of_anonymised_versions_are_kept(referral, manager_a, produce, frozen):
    produce(referral, "referral-form", manager_a)
    produce(referral, "notification-ofsted", manager_a, event="incident")
    assert AnonymisationCheck.objects.count() == 1
