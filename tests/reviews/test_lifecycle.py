"""Each transition of the review's state machine (domain brief §4.2): its guard refuses with the words the
user sees, its permission refuses anyone else, and when it goes ahead it is logged (who, when, from, to,
reason) and moves the deadlines through the clock."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from imr.models import IMRState
from reviews import guards, services
from reviews.models import (
    Adoption,
    AuthorConfirmation,
    MeetingKind,
    OfstedEvaluation,
    ParallelProcessKind,
    ReportVersion,
    ReviewState,
)
from reviews.services import lifecycle, outcome
from scr_portal.clock.services import deadlines_of
from scr_portal.models import TransitionLog

from .factories import NOW, TODAY, add_imr, appoint, debrief

pytestmark = pytest.mark.django_db


def last_log(review):
    return (
        TransitionLog.objects.filter(object_id=review.pk, content_type__model="review")
        .order_by("-pk")
        .first()
    )


def deadline(review, code):
    return deadlines_of(review).filter(rule__code=code).order_by("-pk").first()


def refused(call, *messages):
    with pytest.raises(ValidationError) as error:
        call()
    for message in messages:
        assert message in error.value.messages
    return error.value


# --- Set-up ------------------------------------------------------------------------------------------


def test_the_decision_opens_the_completion_clock_six_months_on_as_statutory(review):
    completion = deadline(review, "review-completion")
    assert completion.due_date == dt.date(2027, 6, 10) and completion.statutory
    assert deadline(review, "authors-briefing").due_date == dt.date(2027, 1, 21)  # six weeks (issue 15)
    assert deadline(review, "progress-report").due_date == dt.date(2027, 1, 10)
    assert review.state == ReviewState.SETUP


def test_scoping_needs_both_independent_appointments(review, manager_a, panel_chair):
    refused(
        lambda: services.review_start_scoping(review=review, actor=manager_a),
        guards.NEEDS_CHAIR,
        guards.NEEDS_AUTHOR,
    )
    appoint(review, actor=manager_a, user=panel_chair, role="independent_chair")
    refused(lambda: services.review_start_scoping(review=review, actor=manager_a), guards.NEEDS_AUTHOR)


def test_start_scoping_is_logged_with_who_when_from_to_and_reason(journey, manager_a):
    review = journey.to(ReviewState.SCOPING)
    log = last_log(review)
    assert (log.transition, log.from_state, log.to_state) == ("start_scoping", "setup", "scoping")
    assert log.actor == manager_a and log.at == NOW


def test_only_the_business_unit_runs_the_stages(journey, chair_a, panel_chair):
    journey.to(ReviewState.SETUP)
    appoint(journey.review, actor=journey.manager, user=panel_chair, role="independent_chair")
    appoint(journey.review, actor=journey.manager, user=journey.author, role="overview_author")
    for outsider in (chair_a, panel_chair):
        with pytest.raises(PermissionDenied):
            services.review_start_scoping(review=journey.review, actor=outsider)


def test_a_step_from_the_wrong_state_is_refused(review, manager_a):
    refused(lambda: services.review_start_overview(review=review, actor=manager_a), lifecycle.CANNOT_NOW)


# --- Terms of reference approved -----------------------------------------------------------------------


def test_approving_the_terms_of_reference_moves_the_review_out_of_scoping(journey, chair_a):
    review = journey.to(ReviewState.TOR_APPROVED)
    assert review.state == ReviewState.TOR_APPROVED
    log = last_log(review)
    assert (log.transition, log.from_state, log.actor) == ("approve_tor", "scoping", chair_a)


def test_approval_waits_for_the_methodology(journey, manager_a, chair_a):
    review = journey.to(ReviewState.SCOPING)
    version = services.tor_save_version(review=review, actor=manager_a, scope="Scope")
    services.tor_panel_agree(version=version, actor=manager_a)
    refused(lambda: services.tor_approve(version=version, actor=chair_a), guards.NEEDS_METHODOLOGY)


def test_approval_waits_for_scoping(review, manager_a, chair_a):
    version = services.tor_save_version(review=review, actor=manager_a, scope="Scope")
    services.tor_panel_agree(version=version, actor=manager_a)
    refused(lambda: services.tor_approve(version=version, actor=chair_a), guards.NEEDS_SCOPING)


# --- IMRs ------------------------------------------------------------------------------------------------


def test_commissioning_needs_an_imr(journey, manager_a):
    review = journey.to(ReviewState.TOR_APPROVED)
    refused(lambda: services.review_commission_imrs(review=review, actor=manager_a), guards.NEEDS_IMRS)


def test_imrs_in_progress_needs_the_authors_briefing_held_which_meets_its_deadline(journey, manager_a):
    review = journey.to(ReviewState.IMRS_COMMISSIONED)
    review.imrs.update(state=IMRState.IN_PREPARATION)
    refused(lambda: services.review_start_imrs(review=review, actor=manager_a), guards.NEEDS_BRIEFING)
    review.imrs.update(state=IMRState.ACCEPTED)
    review = journey.to(ReviewState.IMRS_IN_PROGRESS)
    assert deadline(review, "authors-briefing").status == "met"


def test_presentation_cannot_be_scheduled_until_every_imr_is_accepted_or_a_nil_return(
    journey, manager_a, agency_y
):
    review = journey.to(ReviewState.IMRS_IN_PROGRESS)
    imr = review.imrs.get(agency=agency_y)
    type(imr).objects.filter(pk=imr.pk).update(state=IMRState.IN_PREPARATION)
    refused(
        lambda: services.review_schedule_presentation(review=review, actor=manager_a),
        guards.IMRS_NOT_COMPLETE,
        guards.NEEDS_PRESENTATION_DATE,
    )
    type(imr).objects.filter(pk=imr.pk).update(state=IMRState.NIL_RETURN)
    services.meeting_schedule(
        review=review, actor=manager_a, kind="presentation", meeting_date=dt.date(2027, 4, 30)
    )
    assert (
        services.review_schedule_presentation(review=review, actor=manager_a).state
        == "presentation_scheduled"
    )


def test_setting_the_presentation_meeting_opens_the_circulation_deadline_two_weeks_before(journey, manager_a):
    review = journey.to(ReviewState.IMRS_IN_PROGRESS)
    meeting, warnings = services.meeting_schedule(
        review=review, actor=manager_a, kind=MeetingKind.PRESENTATION, meeting_date=dt.date(2027, 4, 30)
    )
    assert deadline(review, "imr-circulation").due_date == dt.date(2027, 4, 16) and warnings == []
    moved, _ = services.meeting_schedule(
        review=review, actor=manager_a, kind=MeetingKind.PRESENTATION, meeting_date=dt.date(2027, 5, 14)
    )
    assert moved.pk == meeting.pk
    circulation = deadlines_of(review).filter(rule__code="imr-circulation")
    assert sorted(circulation.values_list("status", flat=True)) == ["cancelled", "open"]
    assert deadline(review, "imr-circulation").due_date == dt.date(2027, 4, 30)


def test_a_presentation_meeting_less_than_two_weeks_away_warns_that_circulation_is_late(journey, manager_a):
    review = journey.to(ReviewState.IMRS_IN_PROGRESS)
    _, warnings = services.meeting_schedule(
        review=review, actor=manager_a, kind=MeetingKind.PRESENTATION, meeting_date=dt.date(2027, 3, 22)
    )
    assert warnings == [services.process.CIRCULATION_LATE.format(date="8 March 2027")]


def test_presentation_held_needs_the_circulation_and_the_meeting_recorded(journey, manager_a):
    review = journey.to(ReviewState.PRESENTATION_SCHEDULED)
    refused(
        lambda: services.review_hold_presentation(review=review, actor=manager_a),
        guards.PRESENTATION_NOT_HELD,
        guards.IMRS_NOT_CIRCULATED,
    )
    review = journey.to(ReviewState.PRESENTATION_HELD)
    assert deadline(review, "imr-circulation").status == "met"


# --- Reports and fair representation ---------------------------------------------------------------------


def test_the_final_draft_goes_to_every_imr_author(journey, manager_a, imr_author_x, imr_author_y):
    review = journey.to(ReviewState.OVERVIEW_DRAFTING)
    refused(
        lambda: services.review_send_final_draft(review=review, actor=manager_a), guards.NEEDS_FINAL_DRAFT
    )
    review = journey.to(ReviewState.FAIR_REPRESENTATION_CHECK)
    asked = set(AuthorConfirmation.objects.filter(version__review=review).values_list("author", "status"))
    assert asked == {(imr_author_x.pk, "pending"), (imr_author_y.pk, "pending")}


def test_executive_summary_drafting_waits_for_fair_representation(journey, manager_a, agency_x, imr_author_x):
    review = journey.to(ReviewState.FAIR_REPRESENTATION_CHECK)
    error = refused(lambda: services.review_start_exec_summary(review=review, actor=manager_a))
    assert guards.NOT_CONFIRMED.format(author=imr_author_x.full_name, agency=agency_x.name) in error.messages


def test_panel_qa_needs_the_executive_summary(journey, manager_a):
    review = journey.to(ReviewState.EXEC_SUMMARY_DRAFTING)
    refused(lambda: services.review_start_panel_qa(review=review, actor=manager_a), guards.NEEDS_EXEC_SUMMARY)


# --- Adoption ----------------------------------------------------------------------------------------------


def test_adoption_is_recorded_by_the_lscb_chair_only_and_ends_the_drafts(journey, manager_a, chair_a):
    review = journey.to(ReviewState.PANEL_QA)
    with pytest.raises(PermissionDenied):
        services.review_adopt(
            review=review, actor=manager_a, adopted_on=TODAY, meeting="LSCB", dissemination="Briefings"
        )
    review = journey.to(ReviewState.ADOPTED)
    assert Adoption.objects.get(review=review).meeting == "LSCB Board meeting"
    assert not ReportVersion.objects.filter(review=review, adopted_at__isnull=True).exists()
    assert last_log(review).actor == chair_a


def test_adoption_warns_while_a_parallel_process_is_open(journey, manager_a, chair_a):
    review = journey.to(ReviewState.PANEL_QA)
    services.parallel_process_save(
        review=review, actor=manager_a, kind=ParallelProcessKind.CRIMINAL_TRIAL, lead_body="Crown Court"
    )
    _, warnings = services.review_adopt(
        review=review, actor=chair_a, adopted_on=TODAY, meeting="LSCB", dissemination="Briefings"
    )
    assert "criminal trial (Crown Court)" in warnings[0]
    assert Adoption.objects.get(review=review).open_processes_note == warnings[0]


def test_adoption_with_an_unconfirmed_imr_author_is_refused(journey, manager_a, chair_a, board_a):
    from ..factories import AgencyFactory
    from .factories import independent_person

    review = journey.to(ReviewState.PANEL_QA)
    late = independent_person(full_name="Lee Late-Author")
    add_imr(review, AgencyFactory(board=board_a, name="Alpha Schools"), author=late, actor=manager_a)
    error = refused(
        lambda: services.review_adopt(
            review=review, actor=chair_a, adopted_on=TODAY, meeting="LSCB", dissemination="Briefings"
        )
    )
    assert guards.NOT_CONFIRMED.format(author="Lee Late-Author", agency="Alpha Schools") in error.messages
    assert not Adoption.objects.filter(review=review).exists()
    assert journey.refresh().state == ReviewState.PANEL_QA


# --- Ofsted and publication --------------------------------------------------------------------------------


def test_submission_meets_the_six_month_completion_deadline(journey):
    review = journey.to(ReviewState.SUBMITTED_TO_OFSTED)
    assert deadline(review, "review-completion").status == "met"
    assert review.ofsted_submission.submitted_on == dt.date(2027, 3, 11)


def test_submission_before_adoption_is_refused(journey, manager_a):
    review = journey.to(ReviewState.ADOPTED)
    refused(
        lambda: services.review_submit_to_ofsted(
            review=review, actor=manager_a, submitted_on=dt.date(2027, 3, 1), items=["executive_summary"]
        ),
        outcome.SUBMITTED_BEFORE_ADOPTION.format(date="10/03/2027"),
    )


def test_the_evaluation_letter_starts_the_one_month_published_summary_clock(journey):
    review = journey.to(ReviewState.EVALUATED)
    evaluation = OfstedEvaluation.objects.get(review=review)
    assert evaluation.overall_grade == "good"
    assert dict(evaluation.grades.values_list("element__code", "grade")) == {
        "timescales": "good",
        "independence": "outstanding",
    }
    assert deadline(review, "published-summary").due_date == dt.date(2027, 4, 12)


def test_an_evaluation_needs_an_inspector_a_grade_and_a_letter_after_the_submission(journey, manager_a):
    review = journey.to(ReviewState.SUBMITTED_TO_OFSTED)
    refused(
        lambda: services.review_record_evaluation(
            review=review,
            actor=manager_a,
            letter_date=dt.date(2027, 3, 1),
            inspector=" ",
            overall_grade="",
            element_grades={},
        ),
        outcome.LETTER_BEFORE_SUBMISSION.format(date="11/03/2027"),
        outcome.INSPECTOR_REQUIRED,
        outcome.GRADE_REQUIRED,
    )


def test_withholding_the_overview_report_needs_a_reason(journey, manager_a):
    review = journey.to(ReviewState.EVALUATED)
    debrief(review, actor=manager_a)
    refused(
        lambda: services.review_publish(
            review=review, actor=manager_a, published_on=TODAY, items=["executive_summary"]
        ),
        outcome.WITHHELD_REASON_REQUIRED,
    )
    services.review_publish(
        review=review,
        actor=manager_a,
        published_on=TODAY,
        items=["executive_summary"],
        overview_withheld_reason="Publishing it would identify the surviving sibling.",
        summary_sent_on=TODAY,
    )
    assert deadline(review, "published-summary").status == "met"


def test_the_summary_sent_later_meets_the_published_summary_deadline(journey, manager_a):
    review = journey.to(ReviewState.PUBLISHED)
    assert deadline(review, "published-summary").status == "open"
    services.review_record_summary_sent(review=review, actor=manager_a, sent_on=TODAY)
    assert deadline(review, "published-summary").status == "met"


def test_closing_is_the_lscb_chairs_and_starts_retention(journey, manager_a):
    review = journey.to(ReviewState.MONITORING)
    with pytest.raises(PermissionDenied):
        services.review_close(review=review, actor=manager_a, closed_on=TODAY, reason="Done")
    review = journey.to(ReviewState.CLOSED)
    assert review.closed_at is not None
    assert deadline(review, "retention").due_date == dt.date(2034, 3, 15)
    assert (
        not deadlines_of(review)
        .filter(status__in=["open", "overdue", "extended"])
        .exclude(rule__code="retention")
        .exists()
    )


def test_every_transition_of_the_journey_is_logged_once(journey):
    review = journey.to(ReviewState.CLOSED)
    logged = list(
        TransitionLog.objects.filter(content_type__model="review", object_id=review.pk)
        .exclude(from_state=review.state, to_state=review.state)
        .exclude(from_state="")
        .values_list("from_state", "to_state")
    )
    states = [state for state in ReviewState.values if state != ReviewState.STOOD_DOWN]  # a way out only
    expected = list(zip(states, states[1:], strict=False))
    assert [pair for pair in logged if pair[0] != pair[1] and pair[1] in states] == expected


def test_accepted_imrs_count_as_started_without_a_briefing(journey, manager_a):
    """Issue 19: "Record the IMRs as in progress" is not blocked on a briefing once IMRs are accepted."""
    review = journey.to(ReviewState.IMRS_COMMISSIONED)
    assert guards.problems_for(review, "start_imrs") == []
    review = services.review_start_imrs(review=review, actor=manager_a)
    assert review.state == ReviewState.IMRS_IN_PROGRESS
