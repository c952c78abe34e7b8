"""Extensions of the six-month completion, parallel processes, the family's and victims' involvement,
meetings and attendance, the monthly progress report to the LSCB Chair, and the panel chair who receives
the clock's escalations."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from reviews import services
from reviews.models import FamilyPrompt, MeetingAttendance, ProgressReport, ReviewState
from reviews.recipients import panel_chairs_of_deadlines
from reviews.services import outcome, process
from reviews.tasks import progress_reports_task
from scr_portal.clock.recipients import recipients_for
from scr_portal.clock.services import deadlines_of
from scr_portal.models import Deadline, DeadlineExtension

from .factories import LONDON

pytestmark = pytest.mark.django_db

EXTENSION = {
    "new_due_date": dt.date(2027, 9, 10),
    "reason_category": "criminal_proceedings",
    "reason": "The trial is listed for July.",
    "approved_on": dt.date(2027, 3, 12),
    "ofsted_told_on": dt.date(2027, 3, 14),
}


def completion(review) -> Deadline:
    return deadlines_of(review).get(rule__code="review-completion")


# --- Extension ----------------------------------------------------------------------------------------------


def test_an_extension_moves_the_deadline_keeps_its_history_and_prompts_the_family_contact(
    journey, manager_a, panel_chair
):
    review = journey.to(ReviewState.SCOPING)
    mail.outbox.clear()
    with pytest.MonkeyPatch.context() as patch:
        sent = []
        patch.setattr("scr_portal.notify.enqueue_on_commit", lambda task, *args: sent.append(args))
        services.review_extend(review=review, actor=manager_a, **EXTENSION)
    deadline = completion(review)
    assert (deadline.due_date, deadline.original_due_date, deadline.status) == (
        dt.date(2027, 9, 10),
        dt.date(2027, 6, 10),
        "extended",
    )
    extension = DeadlineExtension.objects.get(deadline=deadline)
    assert (extension.reason_category, extension.approved_by, extension.ofsted_told_on) == (
        "criminal_proceedings",
        "The LSCB",
        dt.date(2027, 3, 14),
    )
    prompt = FamilyPrompt.objects.get(review=review)
    assert prompt.extension == extension and "10 September 2027" in prompt.text
    assert [panel_chair.email] in [args[0] for args in sent]


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"reason": "  "}, "reason", outcome.EXTENSION_REASON_REQUIRED),
        (
            {"new_due_date": dt.date(2027, 6, 1)},
            "new_due_date",
            outcome.EXTENSION_NOT_LATER.format(date="10/06/2027"),
        ),
        (
            {"new_due_date": dt.date(2027, 6, 10)},
            "new_due_date",
            outcome.EXTENSION_NOT_LATER.format(date="10/06/2027"),
        ),
        ({"reason_category": ""}, "reason_category", outcome.EXTENSION_CATEGORY_REQUIRED),
        ({"ofsted_told_on": None}, "ofsted_told_on", outcome.OFSTED_TOLD_REQUIRED),
    ],
)
def test_an_extension_without_reason_or_to_an_earlier_date_is_refused_with_nothing_saved(
    review, manager_a, change, field, message
):
    with pytest.raises(ValidationError) as error:
        services.review_extend(review=review, actor=manager_a, **(EXTENSION | change))
    assert error.value.message_dict[field] == [message]
    assert completion(review).due_date == dt.date(2027, 6, 10)
    assert not DeadlineExtension.objects.exists() and not FamilyPrompt.objects.exists()


def test_the_lscb_chair_may_record_an_extension_but_a_panel_member_may_not(journey, chair_a, panel_chair):
    review = journey.to(ReviewState.SCOPING)
    with pytest.raises(PermissionDenied):
        services.review_extend(review=review, actor=panel_chair, **EXTENSION)
    services.review_extend(review=review, actor=chair_a, **EXTENSION)


def test_the_family_contact_records_that_the_family_was_told(journey, manager_a, panel_chair):
    review = journey.to(ReviewState.SCOPING)
    services.review_extend(review=review, actor=manager_a, **EXTENSION)
    prompt = FamilyPrompt.objects.get(review=review)
    services.family_prompt_done(
        prompt=prompt, actor=panel_chair, done_on=dt.date(2027, 3, 15), note="Met the mother."
    )
    prompt.refresh_from_db()
    assert prompt.done_by == panel_chair


# --- Parallel processes and the family ---------------------------------------------------------------------


def test_a_parallel_process_needs_its_lead_body_and_an_outcome_when_concluded(review, manager_a):
    with pytest.raises(ValidationError) as error:
        services.parallel_process_save(
            review=review, actor=manager_a, kind="other", lead_body=" ", concluded_on=dt.date(2027, 3, 1)
        )
    assert set(error.value.message_dict) == {"description", "lead_body", "outcome"}
    saved = services.parallel_process_save(
        review=review, actor=manager_a, kind="inquest", lead_body="HM Coroner", started_on=dt.date(2027, 1, 4)
    )
    assert saved.is_open
    services.parallel_process_save(
        review=review,
        actor=manager_a,
        process=saved,
        kind="inquest",
        lead_body="HM Coroner",
        outcome="Unlawful killing",
        concluded_on=dt.date(2027, 3, 1),
    )
    saved.refresh_from_db()
    assert not saved.is_open


def test_the_family_method_is_decided_with_the_police_while_a_criminal_process_runs(review, manager_a):
    services.parallel_process_save(
        review=review, actor=manager_a, kind="criminal_investigation", lead_body="Police"
    )
    family = {"who": "Mother", "method": "interview", "decided_on": dt.date(2027, 3, 1)}
    with pytest.raises(ValidationError) as error:
        services.family_involvement_save(review=review, actor=manager_a, **family)
    assert error.value.message_dict == {"police_consulted": [process.POLICE_REQUIRED]}
    saved = services.family_involvement_save(review=review, actor=manager_a, police_consulted=True, **family)
    assert saved.stage == "Method decided"


def test_no_involvement_needs_its_reasons_and_feedback_waits_for_completion(review, manager_a):
    with pytest.raises(ValidationError) as error:
        services.family_involvement_save(
            review=review, actor=manager_a, who="Father", declined=True, feedback_on=dt.date(2027, 3, 1)
        )
    assert set(error.value.message_dict) == {"no_involvement_reason", "feedback_on"}
    saved = services.family_involvement_save(
        review=review,
        actor=manager_a,
        who="Father",
        declined=True,
        no_involvement_reason="In custody; declined.",
    )
    assert saved.stage == "Not involved"


# --- Meetings ----------------------------------------------------------------------------------------------


def test_attendance_is_recorded_for_panel_members_only(journey, manager_a, panel_chair, manager_b):
    review = journey.to(ReviewState.SCOPING)
    meeting, _ = services.meeting_schedule(
        review=review, actor=manager_a, kind="scoping", meeting_date=dt.date(2027, 3, 8)
    )
    chair_seat = review.panel.get(user=panel_chair)
    with pytest.raises(ValidationError):
        services.meeting_record_held(
            meeting=meeting, actor=manager_a, held_on=dt.date(2027, 3, 8), attendance={999999: "attended"}
        )
    services.meeting_record_held(
        meeting=meeting, actor=manager_a, held_on=dt.date(2027, 3, 8), attendance={chair_seat.pk: "attended"}
    )
    assert MeetingAttendance.objects.get(meeting=meeting).membership == chair_seat
    with pytest.raises(ValidationError):
        services.meeting_record_held(
            meeting=meeting, actor=manager_a, held_on=dt.date(2027, 3, 8), attendance={}
        )


# --- The monthly progress report ----------------------------------------------------------------------------


def test_the_monthly_sweep_makes_one_report_per_open_review_and_month(journey, manager_a):
    review = journey.to(ReviewState.SCOPING)
    first_of_april = dt.datetime(2027, 4, 1, 6, 30, tzinfo=LONDON)
    with time_machine.travel(first_of_april, tick=False):
        assert progress_reports_task.apply(kwargs={"now_iso": first_of_april.isoformat()}).get() == 1
        assert progress_reports_task.apply(kwargs={"now_iso": first_of_april.isoformat()}).get() == 0
    report = ProgressReport.objects.get(review=review)
    assert report.month == dt.date(2027, 4, 1)
    assert report.content["state"] == "Scoping"
    assert report.content["planned_completion"] == "2027-06-10"
    assert "Authors' briefing held" in [item["title"] for item in report.content["missed"]]
    assert "Planned completion: 10 June 2027" in report.text
    progress = deadlines_of(review).filter(rule__code="progress-report").order_by("pk")
    assert [d.status for d in progress] == ["met_late", "open"]
    assert progress.last().due_date == dt.date(2027, 5, 1)


def test_a_closed_review_gets_no_progress_report(journey):
    journey.to(ReviewState.CLOSED)
    assert services.progress_reports_generate_all(now=dt.datetime(2027, 4, 1, 6, tzinfo=LONDON)) == 0


def test_risks_name_open_processes_and_extensions(journey, manager_a):
    review = journey.to(ReviewState.SCOPING)
    services.parallel_process_save(
        review=review, actor=manager_a, kind="criminal_trial", lead_body="Crown Court"
    )
    services.review_extend(review=review, actor=manager_a, **EXTENSION)
    services.progress_reports_generate_all(now=dt.datetime(2027, 4, 1, 6, tzinfo=LONDON))
    risks = ProgressReport.objects.get(review=review).content["risks"]
    assert "A parallel process is open: criminal trial (Crown Court)." in risks
    assert any(risk.startswith("Completion extended from 10/06/2027 to 10/09/2027") for risk in risks)


# --- The panel chair for the clock's escalations ------------------------------------------------------------


def test_the_panel_chair_resolver_answers_in_bulk_with_a_fixed_number_of_queries(
    journey, manager_a, panel_chair, django_assert_max_num_queries
):
    review = journey.to(ReviewState.SCOPING)
    deadlines = list(deadlines_of(review))
    with django_assert_max_num_queries(2):
        answer = panel_chairs_of_deadlines(deadlines)
    assert {tuple(users) for users in answer.values()} == {(panel_chair,)}
    assert set(answer) == {d.pk for d in deadlines}


def test_overdue_escalation_to_the_panel_chair_reaches_the_reviews_chair(journey, panel_chair):
    review = journey.to(ReviewState.SCOPING)
    deadline = deadlines_of(review).select_related("board").first()
    assert recipients_for([(deadline, "panel_chair")])[(deadline.pk, "panel_chair")] == [panel_chair]


def test_a_removed_panel_chair_no_longer_gets_escalations(journey, manager_a, panel_chair):
    review = journey.to(ReviewState.SCOPING)
    services.panel_remove(membership=review.panel.get(user=panel_chair), actor=manager_a, reason="Resigned")
    assert panel_chairs_of_deadlines(list(deadlines_of(review))) == {}
