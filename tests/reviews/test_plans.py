"""Action plans and actions (issue 7): transitions, gates, the clock, evidence, re-audit, conversion."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from reviews import guards, permissions, services
from reviews.models import (
    Action,
    ActionState,
    PlanState,
    RecommendationSource,
    Review,
    ReviewConversion,
    ReviewState,
)
from reviews.services import actions, conversion, plans, themes
from scr_portal.clock.services import deadlines_of
from scr_portal.models import TransitionLog

from .factories import TODAY, pdf
from .plan_factories import add_action, agree_plan, draft_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def adopted(journey):
    return journey.to(ReviewState.ADOPTED)


@pytest.fixture
def drafted(adopted, manager_a, agency_x, contact_x):
    return draft_plan(adopted, manager=manager_a, agency=agency_x, owner=contact_x)


@pytest.fixture
def monitoring(drafted, manager_a, chair_a, agency_x):
    plan, recommendation, action = drafted
    agree_plan(plan, manager_a, agency_x)
    plans.plan_adopt(plan=plan, actor=chair_a, adopted_on=TODAY)
    plan = plans.plan_start_monitoring(plan=plan, actor=manager_a)
    return plan, recommendation, Action.objects.get(pk=action.pk)


def test_plan_walks_draft_to_completed_and_review_closes(
    monitoring, manager_a, chair_a, contact_x, monitor_a
):
    plan, _, action = monitoring
    assert plan.state == PlanState.MONITORING
    action = actions.action_start(action=action, actor=contact_x)
    assert action.state == ActionState.IN_PROGRESS
    actions.action_add_evidence(
        action=action, actor=contact_x, note="Attendance lists", upload=pdf("list.pdf")
    )
    action = actions.action_mark_done(action=action, actor=contact_x, actions_taken="Three briefings held.")
    assert action.state == ActionState.DONE
    assert deadlines_of(action).get().status in ("met", "met_late")
    action = actions.action_verify(action=action, actor=monitor_a, note="Lists seen.")
    assert action.state == ActionState.VERIFIED and action.verified_by == monitor_a
    plan = plans.plan_complete(plan=plan, actor=chair_a, completed_on=TODAY, note="Signed off at the LSCB.")
    assert plan.state == PlanState.COMPLETED
    review = Review.objects.get(pk=plan.review_id)
    Review.objects.filter(pk=review.pk).update(state=ReviewState.MONITORING)
    review = services.review_close(
        review=Review.objects.get(pk=review.pk), actor=chair_a, closed_on=TODAY, reason="Plan signed off."
    )
    assert review.state == ReviewState.CLOSED
    assert TransitionLog.objects.filter(transition="verify", object_id=action.pk).exists()


def test_agreement_opens_a_deadline_for_each_action_owned_by_its_owner(
    drafted, manager_a, agency_x, contact_x
):
    plan, _, action = drafted
    assert not deadlines_of(action).exists()
    agree_plan(plan, manager_a, agency_x)
    deadline = deadlines_of(action).get()
    assert deadline.rule.code == "action"
    assert deadline.due_date == action.due_date
    assert list(deadline.responsible_users.all()) == [contact_x]


def test_agreement_needs_each_agency_signed_up(drafted, manager_a):
    plan, _, _ = drafted
    with pytest.raises(ValidationError) as refusal:
        plans.plan_agree(plan=plan, actor=manager_a, agreed_on=TODAY)
    assert "Alpha Police has not signed up" in str(refusal.value)
    plan.refresh_from_db()
    assert plan.state == PlanState.DRAFT


def test_agreement_refuses_an_action_due_before_it(drafted, manager_a, agency_x):
    plan, _, _ = drafted
    plans.plan_sign_up(plan=plan, actor=manager_a, agency=agency_x, name="S", post="D", signed_on=TODAY)
    with pytest.raises(ValidationError) as refusal:
        plans.plan_agree(plan=plan, actor=manager_a, agreed_on=dt.date(2027, 7, 1))
    assert "before the date of agreement" in str(refusal.value)
    plan.refresh_from_db()
    assert plan.state == PlanState.DRAFT


def test_empty_plan_cannot_be_agreed(adopted, manager_a):
    plan = plans.plan_create(review=adopted, actor=manager_a)
    with pytest.raises(ValidationError, match="at least one recommendation"):
        plans.plan_agree(plan=plan, actor=manager_a, agreed_on=TODAY)


@pytest.mark.parametrize(
    ("field", "overrides", "message"),
    [
        ("owner", {"owner": None}, plans.OWNER_REQUIRED),
        ("due_date", {"due_date": None}, plans.DUE_REQUIRED),
        ("audit_information", {"audit_information": " "}, plans.AUDIT_INFO_REQUIRED),
    ],
)
def test_action_without_owner_date_or_audit_information_is_refused(
    drafted, manager_a, agency_x, contact_x, field, overrides, message
):
    _, recommendation, _ = drafted
    arguments = {
        "recommendation": recommendation,
        "actor": manager_a,
        "text": "Audit ten cases.",
        "agency": agency_x,
        "owner": contact_x,
        "due_date": dt.date(2027, 9, 1),
        "audit_information": "Audit report.",
    } | overrides
    with pytest.raises(ValidationError) as refusal:
        plans.action_add(**arguments)
    assert refusal.value.message_dict[field] == [message]
    assert recommendation.actions.count() == 1


def immediate_learning(plan, *, actor, **fields):
    return plans.recommendation_add(plan=plan, actor=actor, source=RecommendationSource.IMMEDIATE, **fields)


def test_by_when_before_the_plan_was_agreed_is_refused(monitoring, manager_a, agency_x, contact_x):
    plan, _, _ = monitoring
    immediate = immediate_learning(
        plan, actor=manager_a, text="Fix the referral form.", addressed_to="Head of Service"
    )
    with pytest.raises(ValidationError) as refusal:
        add_action(
            immediate,
            actor=manager_a,
            agency=agency_x,
            owner=contact_x,
            due_date=TODAY - dt.timedelta(days=1),
            text="New form.",
            audit_information="The form.",
        )
    assert "on or after the date the plan was agreed" in str(refusal.value)


def test_immediate_learning_can_be_added_at_any_stage_and_goes_on_the_clock(
    review, manager_a, agency_x, contact_x
):
    plan = plans.plan_create(review=review, actor=manager_a)
    recommendation = immediate_learning(
        plan, actor=manager_a, text="Share the alert.", addressed_to="Chief Constable", agency=agency_x
    )
    action = add_action(
        recommendation,
        actor=manager_a,
        agency=agency_x,
        owner=contact_x,
        due_date=TODAY + dt.timedelta(days=14),
        text="Alert all staff.",
        audit_information="The alert.",
    )
    assert action.immediate
    assert deadlines_of(action).get().due_date == TODAY + dt.timedelta(days=14)


def test_overview_recommendations_wait_for_a_draft_plan(monitoring, manager_a):
    plan, _, _ = monitoring
    with pytest.raises(ValidationError, match="immediate-learning"):
        plans.recommendation_add(
            plan=plan, actor=manager_a, source=RecommendationSource.OVERVIEW, text="X", addressed_to="Y"
        )


def test_no_verification_without_evidence(monitoring, contact_x, monitor_a):
    _, _, action = monitoring
    actions.action_mark_done(action=action, actor=contact_x, actions_taken="Done.")
    with pytest.raises(ValidationError, match="evidence"):
        actions.action_verify(action=action, actor=monitor_a)
    action.refresh_from_db()
    assert action.state == ActionState.DONE


def test_monitoring_group_can_send_an_action_back(monitoring, contact_x, monitor_a):
    _, _, action = monitoring
    actions.action_mark_done(action=action, actor=contact_x, actions_taken="Done.")
    action = actions.action_send_back(action=action, actor=monitor_a, note="No lists attached.")
    assert action.state == ActionState.IN_PROGRESS
    with pytest.raises(ValidationError):
        actions.action_send_back(action=action, actor=monitor_a, note="")


def test_no_completion_or_closure_with_open_actions(monitoring, chair_a):
    plan, _, _ = monitoring
    with pytest.raises(ValidationError, match="1 action is not yet verified") as refused:
        plans.plan_complete(plan=plan, actor=chair_a, completed_on=TODAY, note="Done")
    assert "(s)" not in str(refused.value)
    review = Review.objects.get(pk=plan.review_id)
    Review.objects.filter(pk=review.pk).update(state=ReviewState.MONITORING)
    with pytest.raises(ValidationError) as refusal:
        services.review_close(
            review=Review.objects.get(pk=review.pk), actor=chair_a, closed_on=TODAY, reason="Done"
        )
    assert guards.PLAN_NOT_COMPLETED in refusal.value.messages
    assert Review.objects.get(pk=review.pk).state == ReviewState.MONITORING


def test_review_without_a_plan_cannot_close(review):
    assert guards.review_close_problems(review) == [guards.NO_PLAN]


def test_action_closed_with_reason_cancels_its_deadline_and_counts_as_finished(
    monitoring, monitor_a, chair_a
):
    plan, _, action = monitoring
    with pytest.raises(ValidationError):
        actions.action_close(action=action, actor=monitor_a, reason="")
    action = actions.action_close(action=action, actor=monitor_a, reason="The service was decommissioned.")
    assert action.state == ActionState.CLOSED
    assert deadlines_of(action).get().status == "cancelled"
    assert plans.plan_complete(plan=plan, actor=chair_a, completed_on=TODAY, note="OK").state == "completed"


def test_reaudit_only_for_verified_actions_and_after_verification(monitoring, contact_x, monitor_a):
    _, _, action = monitoring
    with pytest.raises(ValidationError, match="Only a verified action"):
        actions.action_schedule_reaudit(action=action, actor=monitor_a, reaudit_on=dt.date(2028, 3, 1))
    actions.action_add_evidence(action=action, actor=contact_x, note="Lists")
    actions.action_mark_done(action=action, actor=contact_x, actions_taken="Done.")
    actions.action_verify(action=action, actor=monitor_a)
    with pytest.raises(ValidationError):
        actions.action_schedule_reaudit(action=action, actor=monitor_a, reaudit_on=TODAY)
    action = actions.action_schedule_reaudit(
        action=action, actor=monitor_a, reaudit_on=dt.date(2028, 3, 1), note="Check the change lasted."
    )
    assert action.reaudit_on == dt.date(2028, 3, 1)


def test_plan_adoption_waits_for_the_review_and_the_chair(review, manager_a, chair_a, agency_x, contact_x):
    plan, _, _ = draft_plan(review, manager=manager_a, agency=agency_x, owner=contact_x)
    agree_plan(plan, manager_a, agency_x)
    with pytest.raises(PermissionDenied):
        plans.plan_adopt(plan=plan, actor=manager_a, adopted_on=TODAY)
    with pytest.raises(ValidationError, match="adopt the review"):
        plans.plan_adopt(plan=plan, actor=chair_a, adopted_on=TODAY)


def test_evidence_upload_is_checked_by_content(monitoring, contact_x):
    _, _, action = monitoring
    with pytest.raises(ValidationError):
        actions.action_add_evidence(
            action=action, actor=contact_x, note="x", upload=pdf("fake.pdf", b"MZ not a pdf")
        )
    assert not action.evidence.exists()


def test_import_imr_recommendations(review, manager_a):
    imr = review.imrs.first()
    assert imr is None  # the review is in set-up; make one
    from imr.models import IMR

    imr = IMR.objects.create(
        review=review,
        agency=review.board.agencies.first(),
        author=manager_a,
        commissioned_at=review.created_at,
        commissioned_by=manager_a,
        recommendations="- Train staff\n- Audit files\n",
    )
    plan = plans.plan_create(review=review, actor=manager_a)
    created = plans.recommendations_import_imr(plan=plan, imr=imr, actor=manager_a, addressed_to="Head")
    assert [r.text for r in created] == ["Train staff", "Audit files"]
    assert all(r.agency == imr.agency and r.source == "imr" for r in created)


def test_conversion_keeps_the_record_and_needs_a_reason_and_the_chair(monitoring, manager_a, chair_a):
    plan, _, _ = monitoring
    review = plan.review
    with pytest.raises(PermissionDenied):
        conversion.review_convert(
            review=review, actor=manager_a, to_type="management_review", reason="Inquest"
        )
    with pytest.raises(ValidationError) as refusal:
        conversion.review_convert(review=review, actor=chair_a, to_type="management_review", reason=" ")
    assert refusal.value.message_dict["reason"] == [plans.CONVERT_REASON_REQUIRED]
    assert Review.objects.get(pk=review.pk).review_type == "scr"
    with pytest.raises(ValidationError):
        conversion.review_convert(review=review, actor=chair_a, to_type="scr", reason="Same")
    conversion.review_convert(
        review=review, actor=chair_a, to_type="management_review", reason="The inquest found it accidental."
    )
    review = Review.objects.get(pk=review.pk)
    assert review.review_type == "management_review"
    assert review.state == ReviewState.ADOPTED
    assert review.action_plan.pk == plan.pk
    assert ReviewConversion.objects.get(review=review).from_type == "scr"


def test_monitoring_group_follows_the_review_type(monitoring, chair_a, contact_x, monitor_a, auditor_a):
    plan, _, action = monitoring
    actions.action_add_evidence(action=action, actor=contact_x, note="Lists")
    actions.action_mark_done(action=action, actor=contact_x, actions_taken="Done.")
    conversion.review_convert(review=plan.review, actor=chair_a, to_type="inter_agency_audit", reason="Theme")
    with pytest.raises(PermissionDenied):
        actions.action_verify(action=action, actor=monitor_a)
    assert actions.action_verify(action=action, actor=auditor_a).state == ActionState.VERIFIED


def test_learning_themes_are_board_editable_and_tagged(review, manager_a, contact_x, manager_b, client_as):
    from django.urls import reverse

    from reviews.models import LearningTheme

    neglect = themes.theme_create(board=review.board, actor=manager_a, name="Neglect")
    with pytest.raises(ValidationError, match="already has a theme"):
        themes.theme_create(board=review.board, actor=manager_a, name="neglect")
    with pytest.raises(ValidationError):
        themes.theme_create(board=review.board, actor=manager_a, name=" ")
    with pytest.raises(PermissionDenied):
        themes.theme_create(board=review.board, actor=contact_x, name="Other")
    themes.themes_tag(subject=review, board=review.board, actor=manager_a, themes=[neglect])
    themes.themes_tag(subject=review.referral, board=review.board, actor=manager_a, themes=[neglect])
    assert list(review.themes.all()) == [neglect] and list(review.referral.themes.all()) == [neglect]
    themes.themes_tag(subject=review, board=review.board, actor=manager_a, themes=[])
    assert not review.themes.exists()
    other = LearningTheme.objects.create(board=manager_b.memberships.get().board, name="Elsewhere")
    with pytest.raises(ValidationError):
        themes.themes_tag(subject=review, board=review.board, actor=manager_a, themes=[other])
    themes.theme_set_active(theme=neglect, actor=manager_a, active=False)
    client = client_as(manager_a)
    assert client.post(reverse("themes"), {"name": "Information sharing"}).status_code == 302
    assert "Information sharing" in client.get(reverse("themes")).content.decode()
    theme = LearningTheme.objects.get(name="Information sharing")
    response = client.post(reverse("referral_themes", args=[review.referral_id]), {"themes": [theme.pk]})
    assert response.status_code == 302
    assert list(review.referral.themes.all()) == [theme]
    assert client_as(contact_x).get(reverse("themes")).status_code == 403
    assert client_as(manager_b).get(reverse("referral_themes", args=[review.referral_id])).status_code == 404


def test_key_themes_report_from_several_referrals(board_a, chair_a, manager_a, agency_x, review, manager_b):
    from reviews.models import KeyThemesReferral
    from tests.reviews.factories import decided_review

    other = decided_review(board=board_a, chair=chair_a, manager=manager_a, agencies=[agency_x])
    referrals = [review.referral, other.referral]
    with pytest.raises(PermissionDenied):
        themes.review_key_themes_create(board=board_a, actor=manager_a, referrals=referrals, reason="Neglect")
    with pytest.raises(ValidationError) as refusal:
        themes.review_key_themes_create(board=board_a, actor=chair_a, referrals=referrals[:1], reason="")
    assert set(refusal.value.message_dict) == {"referrals", "reason"}
    report = themes.review_key_themes_create(
        board=board_a, actor=chair_a, referrals=referrals, reason="Two deaths in unsafe sleep."
    )
    assert report.review_type == "key_themes_report" and report.referral is None
    assert set(KeyThemesReferral.objects.filter(review=report).values_list("referral", flat=True)) == {
        r.pk for r in referrals
    }
    assert permissions.monitoring_group_name(report) == "Quality & Effectiveness"
    plan = plans.plan_create(review=report, actor=manager_a)
    assert plan.state == "draft"


def test_open_actions_are_counted_in_plain_english():
    """Issue 19: "1 action(s)"."""
    assert guards.actions_open(1) == "1 action is not yet verified or closed with a reason."
    assert guards.actions_open(3) == "3 actions are not yet verified or closed with a reason."
