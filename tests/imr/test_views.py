"""The IMR pages: forms that put service refusals back on the page, post/redirect/get with messages, the
chronology import's report and preview, bad input on every form, stale links, and interview summaries
never shown to the panel."""

import csv
import datetime as dt
import html
import io

import openpyxl
import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from imr import chronology_io, services
from imr.models import IMR, ChronologyEntry, ChronologyImport, IMRState
from imr.quality import QA_CODES
from imr.selectors import ChronologyFilters, integrated_export_rows
from imr.services import commissioning, workflow

from ..factories import date_fields
from .factories import TODAY, add_chronology, advance, invite_interview, review_ready

pytestmark = pytest.mark.django_db

HEADER = (
    "Event No,Date,Time,Family Member,Child seen/wishes sought or expressed (Y/N),Event,"
    "Agency source to overview,Action taken,Note\n"
)


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


# --- Commissioning and nomination ---------------------------------------------------------------------


def test_commissioning_preselects_involved_agencies_and_redirects(
    client_as, review_a, panel_a, agency_x, agency_y
):
    client = client_as(panel_a)
    page = client.get(reverse("imr_commission", args=[review_a.pk]))
    assert set(page.context["form"]["agencies"].initial) == {agency_x.pk, agency_y.pk}
    assert "Alpha Police (confirmed involvement)" in page.content.decode()
    empty = client.post(reverse("imr_commission", args=[review_a.pk]), {})
    assert "Select at least one agency to commission an IMR from" in empty.content.decode()
    response = client.post(
        reverse("imr_commission", args=[review_a.pk]),
        {"agencies": [agency_x.pk]} | date_fields("nominate_by", TODAY + dt.timedelta(days=7)),
    )
    assert response.status_code == 302 and response["Location"] == reverse("review_imrs", args=[review_a.pk])
    assert messages_of(response) == [
        "1 IMR has been commissioned. Each agency names its author by Monday 18 January 2027."
    ]
    assert IMR.objects.get().agency == agency_x


def test_commissioning_without_approved_terms_of_reference_explains(client_as, board_a, manager_a, agency_x):
    review = review_ready(board=board_a, created_by=manager_a, approved=False)
    client = client_as(manager_a)
    page = client.get(reverse("imr_commission", args=[review.pk]))
    assert commissioning.NO_APPROVED_TOR in page.content.decode()
    client.post(
        reverse("imr_commission", args=[review.pk]),
        {"agencies": [agency_x.pk]} | date_fields("nominate_by", TODAY + dt.timedelta(days=7)),
    )
    assert not IMR.objects.exists()


def nomination(**overrides) -> dict:
    return {
        "full_name": "Nina Author",
        "email": "nina@example.org",
        "job_title": "Head of Safeguarding",
        "author_role": "Safeguarding lead",
        "external_author": "no",
        "directly_involved": "no",
        "line_manager_of_practitioners": "no",
        "senior_enough": "yes",
        "knows_cp_practice": "yes",
        "confirm": "on",
    } | overrides


def test_a_failing_declaration_is_shown_on_the_form_and_nothing_is_saved(client_as, imrs, contact_x):
    client = client_as(contact_x)
    response = client.post(reverse("imr_nominate", args=[imrs["x"].pk]), nomination(directly_involved="yes"))
    assert response.status_code == 200
    assert commissioning.AUTHOR_INVOLVED in response.content.decode()
    assert response.context["form"].data["full_name"] == "Nina Author"
    assert IMR.objects.get(pk=imrs["x"].pk).author is None
    missing = client.post(
        reverse("imr_nominate", args=[imrs["x"].pk]), nomination(confirm="", email="not-an-email")
    )
    content = missing.content.decode()
    assert "Confirm that the answers are true" in content
    assert "Enter an email address in the correct format" in content


def test_nominating_names_the_author_and_a_second_visit_is_a_stale_link(client_as, imrs, contact_x):
    client = client_as(contact_x)
    response = client.post(reverse("imr_nominate", args=[imrs["x"].pk]), nomination())
    assert response.status_code == 302
    assert IMR.objects.get(pk=imrs["x"].pk).author.email == "nina@example.org"
    again = client.get(reverse("imr_nominate", args=[imrs["x"].pk]))
    assert again.status_code == 302
    assert messages_of(again)[-1] == services.CANNOT_NOW


# --- The workspace ------------------------------------------------------------------------------------


def test_a_section_is_saved_and_shown_on_the_imr_page(client_as, preparing):
    client = client_as(preparing.author)
    response = client.post(
        reverse("imr_section", args=[preparing.pk, "analysis"]), {"analysis": "Practice was <b>late</b>."}
    )
    assert response["Location"].endswith("#section-analysis")
    page = client.get(reverse("imr_detail", args=[preparing.pk])).content.decode()
    assert "Practice was &lt;b&gt;late&lt;/b&gt;." in page


def test_an_event_with_a_bad_time_and_no_answer_is_refused(client_as, preparing):
    response = client_as(preparing.author).post(
        reverse("imr_chronology_entry_add", args=[preparing.pk]),
        {"event_no": "3", "time": "25:61", "event": "Visit"} | date_fields("date", dt.date(2021, 3, 1)),
    )
    content = response.content.decode()
    assert "Time must be a real time on the 24-hour clock" in content
    assert "Child seen must be Y or N" in content
    assert not ChronologyEntry.objects.filter(imr=preparing, event_no=3).exists()


def test_an_event_is_added(client_as, preparing):
    response = client_as(preparing.author).post(
        reverse("imr_chronology_entry_add", args=[preparing.pk]),
        {"event_no": "3", "time": "07:05", "child_seen": "N", "event": "Visit"}
        | date_fields("date", dt.date(2021, 3, 1)),
    )
    assert response.status_code == 302
    entry = ChronologyEntry.objects.get(imr=preparing, event_no=3)
    assert (entry.time, entry.child_seen) == (dt.time(7, 5), False)


def test_changing_an_event_starts_from_what_was_recorded(client_as, preparing):
    add_chronology(preparing, rows=1)
    entry = ChronologyEntry.objects.get(imr=preparing, event_no=1)
    page = (
        client_as(preparing.author)
        .get(reverse("imr_chronology_entry_edit", args=[preparing.pk, entry.pk]))
        .content.decode()
    )
    assert f"Event 1 of {preparing.agency.name}." in page and "Health visiting" in page
    assert 'value="09:30"' in page


def upload(client, imr, name, data):
    return client.post(
        reverse("imr_chronology_import", args=[imr.pk]), {"file": SimpleUploadedFile(name, data)}
    )


def test_an_invalid_import_lists_every_problem_and_imports_nothing(client_as, preparing):
    add_chronology(preparing, rows=2)
    body = HEADER + "1,31/02/2021,25:61,M,Yes,Visit,,,\n2,01/02/2021,,M,Y,,,,\n"
    response = upload(client_as(preparing.author), preparing, "c.csv", body.encode())
    content = response.content.decode()
    assert response.status_code == 200
    assert "The file was not imported" in content
    assert "Correct these 4 problems" in content
    table = response.context["report"].problems
    assert [(p.row, p.column) for p in table] == [
        (2, "Date"),
        (2, "Time"),
        (2, "Child seen/wishes sought or expressed (Y/N)"),
        (3, "Event"),
    ]
    assert not ChronologyImport.objects.exists()
    assert preparing.chronology.count() == 2


def test_an_import_that_is_not_a_spreadsheet_is_refused_on_the_form(client_as, preparing):
    client = client_as(preparing.author)
    exe = upload(client, preparing, "chronology.xlsx", b"MZ\x90\x00" + b"\x00" * 100)
    assert "The selected file must be a CSV or Excel (XLSX)" in exe.content.decode()
    none = client.post(reverse("imr_chronology_import", args=[preparing.pk]), {})
    assert "Select a file" in none.content.decode()
    big = upload(client, preparing, "big.csv", b"a" * (5 * 1024 * 1024 + 1))
    assert "The selected file must be smaller than 5MB" in big.content.decode()


def test_a_valid_xlsx_import_is_previewed_then_saved(client_as, preparing):
    add_chronology(preparing, rows=3)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADER.strip().split(","))
    sheet.append([1, dt.datetime(2021, 2, 1), dt.time(10, 0), "M", "Y", "=1+1", "School", "", ""])
    sheet.append([2, "02/02/2021", "", "F", "N", "Phone call", "", "", ""])
    buffer = io.BytesIO()
    workbook.save(buffer)
    client = client_as(preparing.author)
    response = upload(client, preparing, "chronology.xlsx", buffer.getvalue())
    assert response.status_code == 302
    preview = client.get(response["Location"])
    content = preview.content.decode()
    assert "passed every check: 2 events" in content
    assert "Saving replaces the events already in the chronology." in content
    assert "=1+1" in content
    saved = client.post(response["Location"])
    assert messages_of(saved) == ["The chronology has been imported: 2 events."]
    assert list(preparing.chronology.order_by("event_no").values_list("event", flat=True)) == [
        "=1+1",
        "Phone call",
    ]
    stale = client.get(response["Location"])
    assert stale["Location"] == reverse("imr_chronology_import", args=[preparing.pk])


def test_the_template_downloads_are_attachments(client_as, preparing):
    client = client_as(preparing.author)
    csv_file = client.get(reverse("imr_chronology_template", args=[preparing.pk, "csv"]))
    assert csv_file["Content-Disposition"] == 'attachment; filename="chronology-template.csv"'
    header = next(csv.reader(io.StringIO(csv_file.content.decode("utf-8-sig"))))
    assert header[4] == "Child seen/wishes sought or expressed (Y/N)"
    xlsx = client.get(reverse("imr_chronology_template", args=[preparing.pk, "xlsx"]))
    assert xlsx["Content-Disposition"] == 'attachment; filename="chronology-template.xlsx"'


def test_pages_for_changes_say_why_once_the_imr_is_signed_off(client_as, imr_x, contact_x, panel_a):
    imr = advance(imr_x, IMRState.SIGNED_OFF, contact=contact_x, panel=panel_a)
    response = client_as(imr.author).get(reverse("imr_section", args=[imr.pk, "analysis"]))
    assert response.status_code == 302
    assert messages_of(response) == [services.NOT_EDITABLE]


# --- Sign-off, submission, quality assurance ----------------------------------------------------------


def test_submitting_before_sign_off_is_refused_with_the_reason(client_as, imr_x, contact_x, panel_a):
    imr = advance(imr_x, IMRState.AGENCY_QA, contact=contact_x, panel=panel_a)
    client = client_as(imr.author)
    page = client.get(reverse("imr_confirm", args=[imr.pk, "submit"]))
    assert "has not been signed off" in page.content.decode()
    response = client.post(reverse("imr_confirm", args=[imr.pk, "submit"]))
    assert workflow.NOT_SIGNED_OFF in response.content.decode()
    assert IMR.objects.get(pk=imr.pk).state == IMRState.AGENCY_QA


def test_a_return_for_rework_needs_guidance_and_a_date_on_the_page(client_as, imr_x, contact_x, panel_a):
    imr = advance(imr_x, IMRState.SUBMITTED, contact=contact_x, panel=panel_a)
    client = client_as(panel_a)
    data = {f"met_{code}": "met" for code in QA_CODES} | {"met_analysis": "not_met", "decision": "return"}
    response = client.post(reverse("imr_quality_assurance", args=[imr.pk]), data)
    content = response.content.decode()
    assert workflow.GUIDANCE_REQUIRED in content and workflow.NEW_DUE_DATE_REQUIRED in content
    data |= {"guidance_analysis": "Explain why."} | date_fields("new_due_date", TODAY + dt.timedelta(days=14))
    response = client.post(reverse("imr_quality_assurance", args=[imr.pk]), data)
    assert response.status_code == 302
    assert IMR.objects.get(pk=imr.pk).state == IMRState.RETURNED_FOR_REWORK
    page = client_as(imr.author).get(reverse("imr_detail", args=[imr.pk])).content.decode()
    assert "Explain why." in page and "Start the rework" in page


def test_accepting_with_a_point_not_met_is_refused(client_as, imr_x, contact_x, panel_a):
    imr = advance(imr_x, IMRState.SUBMITTED, contact=contact_x, panel=panel_a)
    data = {f"met_{code}": "met" for code in QA_CODES} | {"met_genogram": "not_met", "decision": "accept"}
    response = client_as(panel_a).post(reverse("imr_quality_assurance", args=[imr.pk]), data)
    assert workflow.ACCEPT_WITH_UNMET in response.content.decode()


# --- Interview summaries (domain brief §2.3) ----------------------------------------------------------


def test_interview_summaries_never_reach_the_panel_or_the_board(
    client_as, preparing, contact_x, panel_a, manager_a
):
    interview = invite_interview(preparing, interview_date=TODAY - dt.timedelta(days=3))
    services.interview_record_held(
        interview=interview, actor=preparing.author, held_on=TODAY - dt.timedelta(days=3)
    )
    services.interview_send_summary(
        interview=interview, actor=preparing.author, summary="CONFIDENTIAL-SUMMARY-TEXT", sent_on=TODAY
    )
    detail = reverse("imr_interview_detail", args=[preparing.pk, interview.pk])
    assert b"CONFIDENTIAL-SUMMARY-TEXT" in client_as(contact_x).get(detail).content
    assert b"CONFIDENTIAL-SUMMARY-TEXT" in client_as(preparing.author).get(detail).content
    for reviewer in (panel_a, manager_a):
        page = client_as(reviewer).get(reverse("imr_detail", args=[preparing.pk]))
        assert b"CONFIDENTIAL-SUMMARY-TEXT" not in page.content
        assert b"Sam Worker" not in page.content
        assert page.context["interviews"] is None


# --- Integrated chronology ----------------------------------------------------------------------------


@pytest.fixture
def merged(review_a, imr_x, imr_y, contact_x, contact_y, panel_a):
    advance(imr_x, IMRState.ACCEPTED, contact=contact_x, panel=panel_a)
    advance(imr_y, IMRState.ACCEPTED, contact=contact_y, panel=panel_a)
    return review_a


def test_integrated_chronology_filters_and_highlights(client_as, merged, panel_a, agency_x):
    client = client_as(panel_a)
    page = client.get(reverse("integrated_chronology", args=[merged.pk]))
    chronology = page.context["chronology"]
    assert chronology.total == 4
    assert [row.several_agencies for row in chronology.rows] == [True, True, True, True]
    assert b"Several agencies" in page.content
    filtered = client.get(
        reverse("integrated_chronology", args=[merged.pk]),
        {"agency": agency_x.pk, "child_seen": "Y"} | date_fields("date_from", dt.date(2021, 1, 1)),
    )
    assert [(r.agency, r.entry.event_no) for r in filtered.context["chronology"].rows] == [
        ("Alpha Police", 1)
    ]
    bad = client.get(
        reverse("integrated_chronology", args=[merged.pk]),
        date_fields("date_from", dt.date(2021, 2, 1)) | date_fields("date_to", dt.date(2021, 1, 1)),
    )
    assert "The end of the period must be the same as or after the start" in bad.content.decode()


def test_exports_are_attachments_with_the_filters(client_as, merged, manager_a, agency_x, xlsx_export):
    client = client_as(manager_a)
    job_page, xlsx = xlsx_export(client, merged, f"agency={agency_x.pk}")
    assert xlsx["Content-Disposition"].startswith(
        f'attachment; filename="{merged.reference}-integrated-chronology-'
    )
    rows = list(
        openpyxl.load_workbook(io.BytesIO(b"".join(xlsx.streaming_content)), read_only=True)
        .worksheets[0]
        .iter_rows(values_only=True)
    )
    assert [row[0] for row in rows[2:]] == ["Alpha Police", "Alpha Police"]
    ready = client.get(job_page)
    assert "Ready" in ready.content.decode() and ready.context["job"].status == "ready"
    csv_export = client.get(reverse("integrated_chronology_export", args=[merged.pk, "csv"]))
    assert csv_export.streaming
    body = b"".join(csv_export.streaming_content)
    assert body == chronology_io.export_csv(integrated_export_rows(merged, ChronologyFilters()))
    lines = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert len(lines) == 5 and lines[1][0] == "Alpha Hospitals NHS Trust"
    assert client.get(reverse("integrated_chronology_export", args=[merged.pk, "pdf"])).status_code == 404
    # A GET never starts a spreadsheet: that is the page's POST.
    assert client.get(reverse("integrated_chronology_export", args=[merged.pk, "xlsx"])).status_code == 404


def test_the_spreadsheet_job_shows_its_progress_until_the_worker_is_done(
    client_as, merged, manager_a, settings, tmp_path, django_capture_on_commit_callbacks, monkeypatch
):
    from imr import exports

    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr("imr.tasks.export_chronology_xlsx_task.apply_async", lambda **kwargs: None)
    client = client_as(manager_a)
    with django_capture_on_commit_callbacks(execute=True):
        job_page = client.post(reverse("integrated_chronology_export", args=[merged.pk, "xlsx"]))["Location"]
    page = client.get(job_page).content.decode()
    assert 'role="status"' in page and 'aria-live="polite"' in page
    assert "Waiting to be prepared" in page and '<progress id="job-progress"' in page and 'value="1"' in page
    assert client.get(job_page + "status/").json() == {"status": "queued", "label": "Waiting to be prepared"}
    assert client.get(job_page + "download/").status_code == 404
    job = exports.load(merged.pk, job_page.rstrip("/").rsplit("/", 1)[1])
    job.save(status=exports.RENDERING)
    assert client.get(job_page + "status/").json()["label"] == "Being prepared"
    assert 'value="2"' in client.get(job_page).content.decode()


def test_another_users_or_boards_spreadsheet_is_not_found(
    client_as, merged, manager_a, manager_b, chair_a, xlsx_export
):
    job_page, _ = xlsx_export(client_as(manager_a), merged)
    for user in (manager_b, chair_a):
        client = client_as(user)
        for suffix in ("", "status/", "download/"):
            assert client.get(job_page + suffix).status_code in (403, 404), (user, suffix)
    other = client_as(manager_b)
    for fmt in ("csv", "xlsx"):
        path = reverse("integrated_chronology_export", args=[merged.pk, fmt])
        assert other.get(path).status_code in (403, 404)
        assert other.post(path).status_code in (403, 404)


def test_genogram_forms_check_their_input(client_as, preparing):
    client = client_as(preparing.author)
    response = client.post(
        reverse("imr_genogram_person_add", args=[preparing.pk]),
        {"label": "GM", "sex": "female"} | date_fields("date_of_death", dt.date(2019, 1, 1)),
    )
    assert "Tick ‘Deceased’ if you give a date of death." in response.content.decode()
    assert (
        client.post(
            reverse("imr_genogram_person_add", args=[preparing.pk]), {"label": "M", "sex": "female"}
        ).status_code
        == 302
    )
    assert (
        client.post(
            reverse("imr_genogram_person_add", args=[preparing.pk]), {"label": "C", "sex": "unknown"}
        ).status_code
        == 302
    )
    mother, child = preparing.genogram_people.order_by("pk")
    same = client.post(
        reverse("imr_genogram_relationship_add", args=[preparing.pk]),
        {"person_a": mother.pk, "person_b": mother.pk, "kind": "parent_child"},
    )
    assert "Choose two different people." in same.content.decode()
    done = client.post(
        reverse("imr_genogram_relationship_add", args=[preparing.pk]),
        {"person_a": mother.pk, "person_b": child.pk, "kind": "parent_child"},
    )
    assert done.status_code == 302
    page = client.get(reverse("imr_genogram", args=[preparing.pk])).content.decode()
    assert "M is the parent" in page


def test_an_interview_invitation_with_short_notice_is_refused_on_the_page(client_as, preparing):
    response = client_as(preparing.author).post(
        reverse("imr_interview_add", args=[preparing.pk]),
        {"interviewee_name": "Sam Worker", "job_title": "Social worker", "venue": "Room 4"}
        | date_fields("invited_on", TODAY)
        | date_fields("interview_date", TODAY + dt.timedelta(days=7)),
    )
    assert "Give at least 2 weeks’ notice of the interview" in html.unescape(response.content.decode())
    assert not preparing.interviews.exists()
