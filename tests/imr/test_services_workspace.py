"""The author's workspace: report versions, sections, chronology rows and imports, genograms,
interviews and actions; and the integrated chronology of the accepted IMRs."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from imr import selectors, services
from imr.models import IMR, ChronologyEntry, IMRState, InterviewState, RelationshipKind, Sex
from imr.services import workspace
from scr_portal.models import Deadline, StoredFile

from .factories import (
    TODAY,
    add_chronology,
    add_plan,
    advance,
    invite_interview,
)
from .service_helpers import csv_upload, deadlines, docx, pdf, refused

pytestmark = pytest.mark.django_db


# --- Workspace ----------------------------------------------------------------------------------------


def test_report_versions_are_all_kept_and_checked_by_content(preparing):
    first = services.imr_report_upload(imr=preparing, actor=preparing.author, upload=pdf())
    second = services.imr_report_upload(imr=preparing, actor=preparing.author, upload=docx())
    assert (first.version, second.version) == (1, 2)
    assert [f.file_type for f in selectors.report_versions(preparing)] == ["docx", "pdf"]
    renamed = SimpleUploadedFile("report.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64)
    refused(
        lambda: services.imr_report_upload(imr=preparing, actor=preparing.author, upload=renamed),
        "The selected file must be a",
    )


def test_sections_only_take_the_standard_format_fields(preparing):
    services.imr_update_section(
        imr=preparing, actor=preparing.author, contextual_information="  Busy team.  "
    )
    assert IMR.objects.get(pk=preparing.pk).contextual_information == "Busy team."
    refused(
        lambda: services.imr_update_section(imr=preparing, actor=preparing.author, state="final"),
        workspace.UNKNOWN_FIELD,
    )


def test_chronology_rows_keep_event_numbers_unique_and_dates_in_the_past(preparing):
    add_chronology(preparing, rows=1)
    row = {
        "event_no": 1,
        "date": dt.date(2021, 2, 1),
        "time": None,
        "family_member": "F",
        "child_seen": False,
        "event": "Phone call.",
        "agency_source": "",
        "action_taken": "",
        "note": "",
    }
    refused(
        lambda: services.chronology_entry_save(imr=preparing, actor=preparing.author, **row),
        "Event number 1 is already used",
    )
    refused(
        lambda: services.chronology_entry_save(
            imr=preparing,
            actor=preparing.author,
            **(row | {"event_no": 2, "date": TODAY + dt.timedelta(days=1)}),
        ),
        "must be today or in the past",
    )


def test_genogram_lines_join_two_people_of_the_same_imr_once(preparing, imr_y, contact_y, panel_a):
    def person(imr, label, **extra):
        return services.genogram_person_save(imr=imr, actor=imr.author, label=label, sex=Sex.FEMALE, **extra)

    mother, father = person(preparing, "M"), person(preparing, "F")
    other = person(advance(imr_y, IMRState.IN_PREPARATION, contact=contact_y, panel=panel_a), "Y1")
    add = services.genogram_relationship_add
    refused(
        lambda: add(imr=preparing, actor=preparing.author, person_a=mother, person_b=mother, kind="enduring"),
        workspace.SAME_PERSON,
    )
    refused(
        lambda: add(imr=preparing, actor=preparing.author, person_a=mother, person_b=other, kind="enduring"),
        workspace.PERSON_OF_OTHER_IMR,
    )
    add(
        imr=preparing,
        actor=preparing.author,
        person_a=mother,
        person_b=father,
        kind=RelationshipKind.DIVORCED,
    )
    refused(
        lambda: add(imr=preparing, actor=preparing.author, person_a=father, person_b=mother, kind="divorced"),
        workspace.LINE_EXISTS,
    )
    refused(
        lambda: person(preparing, "GM", date_of_death=dt.date(2020, 1, 1)), workspace.DEATH_WITHOUT_DECEASED
    )
    refused(
        lambda: person(
            preparing,
            "GM",
            deceased=True,
            date_of_birth=dt.date(1950, 1, 1),
            date_of_death=dt.date(1940, 1, 1),
        ),
        workspace.DEATH_BEFORE_BIRTH,
    )


def test_interviews_need_two_weeks_notice_unless_agreed_and_a_supporter_not_involved(preparing):
    invite = {
        "interviewee_name": "Sam Worker",
        "job_title": "Social worker",
        "invited_on": TODAY,
        "venue": "Room 4, Police HQ",
    }
    with pytest.raises(ValidationError) as caught:
        services.interview_invite(
            imr=preparing, actor=preparing.author, interview_date=TODAY + dt.timedelta(days=13), **invite
        )
    assert "the interview must be on or after 25/01/2027" in caught.value.messages[0]
    assert not preparing.interviews.exists()
    refused(
        lambda: services.interview_invite(
            imr=preparing,
            actor=preparing.author,
            interview_date=TODAY + dt.timedelta(days=14),
            supporter="A colleague",
            **invite,
        ),
        workspace.SUPPORTER_INVOLVED,
    )
    short = services.interview_invite(
        imr=preparing,
        actor=preparing.author,
        interview_date=TODAY + dt.timedelta(days=3),
        shorter_notice_agreed=True,
        **invite,
    )
    notice = Deadline.objects.get(content_type__model="interview", object_id=short.pk)
    assert (notice.rule.code, notice.due_date) == ("interview-notice", dt.date(2027, 1, 25))


def test_interview_record_goes_held_summary_signed_or_disagreement(preparing, contact_x):
    interview = invite_interview(preparing, interview_date=TODAY - dt.timedelta(days=2))
    refused(
        lambda: services.interview_send_summary(
            interview=interview, actor=preparing.author, summary="S", sent_on=TODAY
        ),
        services.CANNOT_NOW,
    )
    with pytest.raises(PermissionDenied):
        services.interview_record_held(interview=interview, actor=contact_x, held_on=TODAY)
    services.interview_record_held(
        interview=interview, actor=preparing.author, held_on=TODAY - dt.timedelta(days=2)
    )
    services.interview_send_summary(
        interview=interview, actor=preparing.author, summary="What was said.", sent_on=TODAY
    )
    refused(
        lambda: services.interview_record_outcome(
            interview=interview, actor=preparing.author, signed=False, on=TODAY
        ),
        workspace.DISAGREEMENT_REQUIRED,
    )
    done = services.interview_record_outcome(
        interview=interview,
        actor=preparing.author,
        signed=False,
        on=TODAY,
        disagreement="The date of the visit.",
    )
    assert done.state == InterviewState.DISAGREEMENT_NOTED
    assert Deadline.objects.get(content_type__model="interview", object_id=interview.pk).status in (
        "met",
        "met_late",
    )


def test_an_action_needs_a_date_or_ongoing(preparing):
    recommendation = services.plan_recommendation_save(
        imr=preparing, actor=preparing.author, outcome="O", recommendation="R", audit_information=""
    )

    def save(*, ongoing):
        return services.plan_action_save(
            imr=preparing,
            actor=preparing.author,
            recommendation=recommendation,
            action="A",
            by_whom="B",
            by_when=None,
            ongoing=ongoing,
        )

    refused(lambda: save(ongoing=False), workspace.TIMESCALE_REQUIRED)
    action = save(ongoing=True)
    assert (action.number, action.ongoing) == (1, True)


def test_the_plan_pages_name_the_recommendations_without_an_action_as_sign_off_does(preparing):
    add_plan(preparing)
    for _ in range(2):
        services.plan_recommendation_save(
            imr=preparing, actor=preparing.author, outcome="O", recommendation="R", audit_information=""
        )
    recommendations, missing = selectors.plan_with_gaps(preparing)
    assert [r.number for r in recommendations] == [1, 2, 3]
    assert missing == selectors.recommendations_without_actions(preparing) == [2, 3]


# --- Chronology import --------------------------------------------------------------------------------


def test_a_bad_import_keeps_nothing(preparing):
    add_chronology(preparing, rows=2)
    files_before = StoredFile.objects.count()
    with pytest.raises(services.ChronologyRejected) as caught:
        services.chronology_import_upload(
            imr=preparing,
            actor=preparing.author,
            upload=csv_upload("1,01/02/2021,25:61,M,Y,Visit,,,\n2,31/02/2021,,M,Yes,Visit,,,\n"),
        )
    problems = {(p.row, p.column) for p in caught.value.result.problems}
    assert problems == {
        (2, "Time"),
        (3, "Date"),
        (3, "Child seen/wishes sought or expressed (Y/N)"),
    }
    assert preparing.chronology.count() == 2
    assert StoredFile.objects.count() == files_before
    assert not preparing.chronology_imports.exists()


def test_a_good_import_is_previewed_then_replaces_the_chronology(preparing):
    add_chronology(preparing, rows=3)
    pending = services.chronology_import_upload(
        imr=preparing,
        actor=preparing.author,
        upload=csv_upload('1,01/02/2021,09:15,M,Y,"=1+1",,,\n2,2021-02-03,,F,n,Phone call,Police,,\n'),
    )
    assert (pending.row_count, preparing.chronology.count()) == (2, 3)
    preview = services.chronology_import_preview(pending, today=TODAY)
    assert [row["event"] for row in preview.rows] == ["=1+1", "Phone call"]
    assert services.chronology_import_save(chronology_import=pending, actor=preparing.author) == 2
    saved = list(preparing.chronology.order_by("event_no").values_list("event", "child_seen", "time"))
    assert saved == [("=1+1", True, dt.time(9, 15)), ("Phone call", False, None)]
    assert deadlines(preparing, "chronology-collated").get().status == "met"
    refused(
        lambda: services.chronology_import_save(chronology_import=pending, actor=preparing.author),
        "already been saved or discarded",
    )


def test_a_discarded_import_changes_nothing(preparing):
    pending = services.chronology_import_upload(
        imr=preparing, actor=preparing.author, upload=csv_upload("1,01/02/2021,,M,Y,Visit,,,\n")
    )
    services.chronology_import_discard(chronology_import=pending, actor=preparing.author)
    assert not ChronologyEntry.objects.exists()


def test_a_renamed_executable_is_refused_by_content(preparing):
    exe = SimpleUploadedFile("chronology.csv", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 200)
    refused(
        lambda: services.chronology_import_upload(imr=preparing, actor=preparing.author, upload=exe),
        "The selected file must be a CSV or Excel (XLSX)",
    )


def test_fifty_thousand_rows_are_refused_with_a_clear_message(preparing):
    rows = "".join(f"{n},01/02/2021,,M,Y,Visit {n},,,\n" for n in range(1, 50_001))
    with pytest.raises(services.ChronologyRejected) as caught:
        services.chronology_import_upload(imr=preparing, actor=preparing.author, upload=csv_upload(rows))
    assert [p.message for p in caught.value.result.problems] == [
        "The file has more than 5,000 rows of events. Import at most 5,000 rows at a time: split the "
        "chronology into smaller files."
    ]
    assert not ChronologyEntry.objects.exists()


def test_importing_is_for_the_author_while_the_imr_is_open(preparing, contact_x, imr_y):
    with pytest.raises(PermissionDenied):
        services.chronology_import_upload(
            imr=preparing, actor=contact_x, upload=csv_upload("1,01/02/2021,,M,Y,V,,,\n")
        )
    with pytest.raises(PermissionDenied):
        services.chronology_import_upload(
            imr=preparing, actor=imr_y.author, upload=csv_upload("1,01/02/2021,,M,Y,V,,,\n")
        )


# --- Integrated chronology ----------------------------------------------------------------------------


def test_integrated_chronology_merges_accepted_imrs_only_sorted_with_agency(
    review_a, imr_x, imr_y, contact_x, contact_y, panel_a
):
    x = advance(imr_x, IMRState.ACCEPTED, contact=contact_x, panel=panel_a)
    advance(imr_y, IMRState.IN_PREPARATION, contact=contact_y, panel=panel_a)
    add_chronology(IMR.objects.get(pk=imr_y.pk), rows=1)
    result = selectors.integrated_chronology(review_a, selectors.ChronologyFilters(), page=1)
    assert [(row.agency, row.entry.event_no) for row in result.rows] == [
        ("Alpha Police", 1),
        ("Alpha Police", 2),
    ]
    assert result.rows[0].age == "8 months"
    y = advance(imr_y, IMRState.ACCEPTED, contact=contact_y, panel=panel_a)
    result = selectors.integrated_chronology(review_a, selectors.ChronologyFilters(), page=1)
    # Both agencies saw the family on 1 January 2021 at 09:30: the day is flagged, agencies in name order.
    assert [(row.agency, row.entry.date.day, row.several_agencies) for row in result.rows] == [
        ("Alpha Hospitals NHS Trust", 1, True),
        ("Alpha Police", 1, True),
        ("Alpha Police", 2, False),
    ]
    assert result.contacts_by_agency == [("Alpha Hospitals NHS Trust", 1), ("Alpha Police", 2)]
    assert result.child_seen_count == 2
    only_y = selectors.integrated_chronology(
        review_a, selectors.ChronologyFilters(agency=y.agency_id), page=1
    )
    assert only_y.total == 1
    unseen = selectors.integrated_chronology(review_a, selectors.ChronologyFilters(child_seen=False), page=1)
    assert [row.entry.imr_id for row in unseen.rows] == [x.pk]


def test_the_overview_reuses_accepted_imrs_genograms(review_a, imr_x, imr_y, contact_x, contact_y, panel_a):
    x = advance(imr_x, IMRState.IN_PREPARATION, contact=contact_x, panel=panel_a)
    mother = services.genogram_person_save(imr=x, actor=x.author, label="M", sex=Sex.FEMALE, household="H1")
    child = services.genogram_person_save(
        imr=x, actor=x.author, label="C", sex=Sex.UNKNOWN, subject_child=True, birth_order=1, household="H1"
    )
    services.genogram_relationship_add(
        imr=x, actor=x.author, person_a=mother, person_b=child, kind=RelationshipKind.PARENT_CHILD
    )
    y = advance(imr_y, IMRState.IN_PREPARATION, contact=contact_y, panel=panel_a)
    services.genogram_person_save(imr=y, actor=y.author, label="Y-only", sex=Sex.MALE)
    assert selectors.review_genogram(review_a) == {}
    advance(x, IMRState.ACCEPTED, contact=contact_x, panel=panel_a)
    genograms = selectors.review_genogram(review_a)
    assert list(genograms) == ["Alpha Police"]
    people, lines = genograms["Alpha Police"]
    assert {p.label for p in people} == {"C", "M"}
    assert [(line.person_a.label, line.person_b.label, line.kind) for line in lines] == [
        ("M", "C", "parent_child")
    ]
