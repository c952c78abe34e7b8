"""Alternative reviews (domain brief §4.8; Cambridgeshire §11–§13): the record created with each non-SCR
review, its steps per type, its transitions and guards, conversion from an SCR, recommendations landing in
the action plan with the monitoring group of the type, and the way to closure."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django_fsm import can_proceed

from reviews import permissions
from reviews.models import (
    STEPS_BY_TYPE,
    AcceptedBy,
    AlternativeReview,
    AlternativeState,
    PlanState,
    ReviewState,
    ReviewType,
)
from reviews.services import actions, conversion, outcome, plans, themes
from reviews.services import alternative as alt
from scr_portal.clock.services import deadlines_of
from scr_portal.models import Role, TransitionLog

from ..factories import member
from ..referrals.factories import submitted
from .alternative_factories import accept, accepted, appointed, decided_alternative, output_received
from .factories import TODAY, pdf
from .plan_factories import add_action, agree_plan, draft_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def partnership(board_a, chair_a, manager_a, agency_x):
    return decided_alternative(board=board_a, chair=chair_a, manager=manager_a, agencies=[agency_x])


def codes(alternative):
    return [step.code for step in alt.current_steps(alternative)]


@pytest.mark.parametrize("review_type", sorted(STEPS_BY_TYPE))
def test_chair_decision_for_an_alternative_review_creates_its_record_with_the_type_steps(
    board_a, chair_a, manager_a, agency_x, review_type
):
    review = decided_alternative(
        board=board_a, chair=chair_a, manager=manager_a, agencies=[agency_x], review_type=review_type
    )
    alternative = AlternativeReview.objects.get(review=review)
    assert alternative.review_type == review_type
    assert alternative.state == AlternativeState.PLANNING
    assert codes(alternative) == [step.code for step in STEPS_BY_TYPE[review_type]]
    assert [s.is_output for s in alt.current_steps(alternative)][-1] is True
    assert TransitionLog.objects.filter(transition="create", object_id=alternative.pk).exists()


def test_steps_per_type_follow_the_guidance():
    assert [s.code for s in STEPS_BY_TYPE[ReviewType.SINGLE_AGENCY]] == [
        "agency_commissioned",
        "imr_received",
    ]
    assert [s.code for s in STEPS_BY_TYPE[ReviewType.MANAGEMENT]][0] == "facilitator_appointed"
    assert "case_files_audited" in [s.code for s in STEPS_BY_TYPE[ReviewType.AUDIT]]
    assert ReviewType.SCR not in STEPS_BY_TYPE


def test_an_scr_has_no_alternative_record(review):
    assert not AlternativeReview.objects.filter(review=review).exists()


def test_key_themes_report_creates_the_record(board_a, chair_a, manager_a):
    referrals = [submitted(board=board_a, author=manager_a) for _ in range(2)]
    review = themes.review_key_themes_create(
        board=board_a, actor=chair_a, referrals=referrals, reason="Three neglect cases this year."
    )
    assert codes(review.alternative) == [s.code for s in STEPS_BY_TYPE[ReviewType.KEY_THEMES]]


def test_appointing_puts_the_review_under_way_and_outside_people_need_an_organisation(partnership, manager_a):
    alternative = partnership.alternative
    with pytest.raises(ValidationError) as refused:
        alt.alternative_appoint(alternative=alternative, actor=manager_a)
    assert refused.value.message_dict == {"lead_user": [alt.LEAD_REQUIRED]}
    with pytest.raises(ValidationError) as refused:
        alt.alternative_appoint(alternative=alternative, actor=manager_a, lead_name="Fran Facilitator")
    assert refused.value.message_dict == {"lead_organisation": [alt.LEAD_ORGANISATION_REQUIRED]}
    assert AlternativeReview.objects.get(pk=alternative.pk).state == AlternativeState.PLANNING
    alternative = appointed(partnership, manager=manager_a)
    assert alternative.state == AlternativeState.UNDER_WAY
    assert alternative.lead_display == "Fran Facilitator, Independent Learning Ltd"
    assert alternative.lead_independent


def test_lead_must_be_a_person_of_the_board(partnership, manager_a, manager_b):
    with pytest.raises(ValidationError) as refused:
        alt.alternative_appoint(alternative=partnership.alternative, actor=manager_a, lead_user=manager_b)
    assert refused.value.message_dict == {"lead_user": [alt.LEAD_NOT_MEMBER]}


def test_learning_day_facilitator_appointment_completes_its_first_step(board_a, chair_a, manager_a, agency_x):
    review = decided_alternative(
        board=board_a,
        chair=chair_a,
        manager=manager_a,
        agencies=[agency_x],
        review_type=ReviewType.MANAGEMENT,
    )
    alternative = appointed(review, manager=manager_a, lead=chair_a)
    steps = alt.current_steps(alternative)
    assert steps[0].is_done and not steps[1].is_done
    assert alternative.lead_display == "Carol Chair"


def test_steps_are_done_in_order_and_only_once_under_way(partnership, manager_a):
    alternative = partnership.alternative
    with pytest.raises(ValidationError, match="Appoint the people"):
        alt.alternative_step_complete(
            alternative=alternative, actor=manager_a, code="scope_agreed", done_on=TODAY
        )
    appointed(partnership, manager=manager_a)
    with pytest.raises(ValidationError, match="Scope agreed by the panel"):
        alt.alternative_step_complete(
            alternative=alternative, actor=manager_a, code="panel_meeting", done_on=TODAY
        )
    with pytest.raises(ValidationError) as refused:
        alt.alternative_step_complete(
            alternative=alternative,
            actor=manager_a,
            code="scope_agreed",
            done_on=TODAY + dt.timedelta(days=1),
        )
    assert refused.value.message_dict == {"done_on": [alt.DONE_IN_FUTURE]}
    step = alt.alternative_step_complete(
        alternative=alternative, actor=manager_a, code="scope_agreed", done_on=TODAY, note="Agreed at panel."
    )
    assert (step.done_by, step.done_on, step.note) == (manager_a, TODAY, "Agreed at panel.")
    with pytest.raises(ValidationError, match=alt.STEP_DONE):
        alt.alternative_step_complete(
            alternative=alternative, actor=manager_a, code="scope_agreed", done_on=TODAY
        )
    with pytest.raises(ValidationError, match="uploading"):
        alt.alternative_step_complete(
            alternative=alternative, actor=manager_a, code="summary_report", done_on=TODAY
        )


def test_output_needs_every_earlier_step(partnership, manager_a):
    alternative = appointed(partnership, manager=manager_a)
    with pytest.raises(ValidationError, match="Information gathered"):
        alt.alternative_output_upload(alternative=alternative, actor=manager_a, upload=pdf())
    assert AlternativeReview.objects.get(pk=alternative.pk).output_file is None


def test_output_must_be_a_document(partnership, manager_a):
    alternative = appointed(partnership, manager=manager_a)
    for step in alt.current_steps(alternative)[:-1]:
        alt.alternative_step_complete(alternative=alternative, actor=manager_a, code=step.code, done_on=TODAY)
    with pytest.raises(ValidationError) as refused:
        alt.alternative_output_upload(alternative=alternative, actor=manager_a, upload=pdf("x.pdf", b"hello"))
    assert "file" in refused.value.message_dict
    assert AlternativeReview.objects.get(pk=alternative.pk).state == AlternativeState.UNDER_WAY


def test_output_received_marks_its_step(partnership, manager_a):
    alternative = output_received(partnership, manager=manager_a)
    assert alternative.state == AlternativeState.OUTPUT_RECEIVED
    assert alternative.output_file.file_type == "pdf"
    assert all(step.is_done for step in alt.current_steps(alternative))


def test_accepting_without_output_is_refused(partnership, manager_a, agency_x):
    alternative = appointed(partnership, manager=manager_a)
    with pytest.raises(ValidationError, match="Upload the summary report"):
        accept(
            alternative, manager_a, AcceptedBy.PANEL_CHAIR, {"text": "Do better.", "addressed_to": "Director"}
        )


def test_accepting_needs_a_recommendation_and_saves_nothing_when_refused(partnership, manager_a):
    alternative = output_received(partnership, manager=manager_a)
    with pytest.raises(ValidationError) as refused:
        accept(alternative, manager_a, "", accepted_on=None)
    assert set(refused.value.message_dict) == {"accepted_by", "accepted_on", "text"}
    with pytest.raises(ValidationError) as refused:
        accept(alternative, manager_a, AcceptedBy.LSCB_CHAIR, {"text": "Share concerns.", "addressed_to": ""})
    assert refused.value.message_dict == {"addressed_to": [plans.ADDRESSED_TO_REQUIRED]}
    assert AlternativeReview.objects.get(pk=alternative.pk).state == AlternativeState.OUTPUT_RECEIVED
    assert not hasattr(partnership.__class__.objects.get(pk=partnership.pk), "action_plan")


def test_only_the_business_unit_records_steps_and_acceptance(partnership, manager_a, chair_a, contact_x):
    alternative = appointed(partnership, manager=manager_a)
    with pytest.raises(PermissionDenied):
        alt.alternative_step_complete(
            alternative=alternative, actor=chair_a, code="scope_agreed", done_on=TODAY
        )
    # The LSCB Chair may appoint (as on an SCR's panel).
    alt.alternative_appoint(alternative=alternative, actor=chair_a, lead_user=manager_a)


@pytest.mark.parametrize(
    "review_type,group",
    [(ReviewType.PARTNERSHIP, Role.SUBCOMMITTEE_MEMBER), (ReviewType.AUDIT, Role.AUDITOR)],
)
def test_recommendations_land_in_the_action_plan_monitored_by_the_group_of_the_type(
    board_a, chair_a, manager_a, agency_x, review_type, group
):
    review = decided_alternative(
        board=board_a, chair=chair_a, manager=manager_a, agencies=[agency_x], review_type=review_type
    )
    alternative = accepted(review, manager=manager_a, agency=agency_x)
    review.refresh_from_db()
    assert alternative.state == AlternativeState.OUTPUT_ACCEPTED
    assert alternative.accepted_by == AcceptedBy.MONITORING_GROUP
    assert review.state == ReviewState.MONITORING
    recommendation = review.action_plan.recommendations.get()
    assert (recommendation.text, recommendation.agency) == ("Share concerns at strategy meetings.", agency_x)
    assert review.action_plan.state == PlanState.DRAFT
    assert permissions.monitoring_role(review) == group
    monitor = member(board=board_a, role=group)
    assert permissions.plan_access(monitor, review).may("monitor")


def test_an_scr_cannot_take_the_alternative_route_to_monitoring(review):
    assert not can_proceed(review.monitor_alternative)


def test_an_alternative_review_reaches_closure(partnership, manager_a, chair_a, agency_x):
    accepted(partnership, manager=manager_a, agency=agency_x)
    review = partnership.__class__.objects.get(pk=partnership.pk)
    plan = review.action_plan
    recommendation = plan.recommendations.get()
    action = add_action(
        recommendation,
        actor=manager_a,
        agency=agency_x,
        owner=manager_a,
        due_date=TODAY,
        text="Brief practitioners.",
        audit_information="Attendance lists.",
    )
    agree_plan(plan, manager_a, agency_x, name="S Senior")
    plans.plan_adopt(plan=plan, actor=chair_a, adopted_on=TODAY)
    plans.plan_start_monitoring(plan=plan, actor=manager_a)
    with pytest.raises(ValidationError, match="signed off as complete"):
        outcome.review_close(review=review, actor=chair_a, closed_on=TODAY, reason="Done.")
    actions.action_add_evidence(action=action, actor=manager_a, note="Lists", upload=pdf("a.pdf"))
    actions.action_mark_done(action=action, actor=manager_a, actions_taken="Briefed.")
    monitor = member(board=review.board, role=Role.SUBCOMMITTEE_MEMBER)
    actions.action_verify(action=action, actor=monitor, note="Seen.")
    plans.plan_complete(plan=plan, actor=chair_a, completed_on=TODAY, note="Signed off by the LSCB.")
    review = outcome.review_close(review=review, actor=chair_a, closed_on=TODAY, reason="Plan complete.")
    assert review.state == ReviewState.CLOSED


def test_conversion_from_scr_to_single_agency_imr_keeps_everything(
    journey, manager_a, chair_a, agency_x, agency_y
):
    review = journey.to(ReviewState.SCOPING)
    draft_plan(review, manager=manager_a, agency=agency_x, owner=manager_a)
    panel_before = list(review.panel.values_list("pk", flat=True))
    conversion.review_convert(
        review=review,
        actor=chair_a,
        to_type=ReviewType.SINGLE_AGENCY,
        reason="The inquest found an accident.",
    )
    review.refresh_from_db()
    assert review.state == ReviewState.SCOPING
    assert list(review.panel.values_list("pk", flat=True)) == panel_before
    assert review.action_plan.recommendations.count() == 1
    alternative = review.alternative
    assert codes(alternative) == ["agency_commissioned", "imr_received"]
    # The single-agency IMR's own timescale runs from commissioning (Cambridgeshire §8).
    alt.alternative_appoint(alternative=alternative, actor=manager_a, lead_agency=agency_y)
    alt.alternative_step_complete(
        alternative=alternative, actor=manager_a, code="agency_commissioned", done_on=TODAY
    )
    deadline = deadlines_of(review).get(rule__code="imr-completed")
    assert deadline.due_date == dt.date(2027, 4, 15)
    alt.alternative_output_upload(alternative=alternative, actor=manager_a, upload=pdf("imr.pdf"))
    deadline.refresh_from_db()
    assert deadline.status == "met"


def test_converting_between_alternative_types_keeps_earlier_steps(partnership, manager_a, chair_a):
    alternative = appointed(partnership, manager=manager_a)
    alt.alternative_step_complete(
        alternative=alternative, actor=manager_a, code="scope_agreed", done_on=TODAY
    )
    conversion.review_convert(
        review=partnership, actor=chair_a, to_type=ReviewType.AUDIT, reason="One theme only."
    )
    alternative = AlternativeReview.objects.get(pk=alternative.pk)
    assert alternative.review_type == ReviewType.AUDIT
    assert alternative.state == AlternativeState.UNDER_WAY
    assert codes(alternative) == [s.code for s in STEPS_BY_TYPE[ReviewType.AUDIT]]
    assert [s.code for s in alt.earlier_steps(alternative) if s.is_done] == ["scope_agreed"]


def test_the_output_is_checked_for_names_like_the_overview_report(partnership, manager_a):
    from scr_portal.models import AnonymisationCheck

    alternative = output_received(partnership, manager=manager_a)
    assert AnonymisationCheck.objects.filter(stored_file=alternative.output_file).exists()
