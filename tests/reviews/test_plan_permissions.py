"""Who sees and does what on action plans (issue 7): an agency contact sees and updates only their agency's
actions; the monitoring group of the right type verifies; another board sees nothing. Also the pages."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse

from reviews.models import Action, ActionState, PlanState, ReviewState
from reviews.services import actions, plans
from scr_portal.models import Role

from ..factories import member
from .factories import TODAY
from .plan_factories import add_action, agree_plan, draft_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_actions(journey, manager_a, chair_a, agency_x, agency_y, contact_x, contact_y):
    review = journey.to(ReviewState.ADOPTED)
    plan, recommendation, action_x = draft_plan(review, manager=manager_a, agency=agency_x, owner=contact_x)
    action_y = add_action(
        recommendation,
        actor=manager_a,
        agency=agency_y,
        owner=contact_y,
        due_date=dt.date(2027, 8, 1),
        text="Hospital audit of discharge planning.",
        audit_information="Audit report.",
    )
    agree_plan(plan, manager_a, agency_x, agency_y, name="S", post="D")
    plans.plan_adopt(plan=plan, actor=chair_a, adopted_on=TODAY)
    plans.plan_start_monitoring(plan=plan, actor=manager_a)
    return plan, Action.objects.get(pk=action_x.pk), Action.objects.get(pk=action_y.pk)


def test_agency_contact_updates_only_their_agencys_actions(two_actions, contact_x):
    _, action_x, action_y = two_actions
    assert actions.action_start(action=action_x, actor=contact_x).state == ActionState.IN_PROGRESS
    with pytest.raises(PermissionDenied):
        actions.action_start(action=action_y, actor=contact_x)
    with pytest.raises(PermissionDenied):
        actions.action_add_evidence(action=action_y, actor=contact_x, note="x")
    with pytest.raises(PermissionDenied):
        actions.action_verify(action=action_x, actor=contact_x)


def test_agency_contact_sees_only_their_agencys_actions_in_pages(two_actions, contact_x, client_as):
    plan, action_x, action_y = two_actions
    client = client_as(contact_x)
    page = client.get(reverse("review_plan", args=[plan.review_id])).content.decode()
    assert action_x.text in page and action_y.text not in page
    assert client.get(reverse("action_detail", args=[action_x.pk])).status_code == 200
    assert client.get(reverse("action_detail", args=[action_y.pk])).status_code == 404
    listing = client.get(reverse("action_list")).content.decode()
    assert action_x.text in listing and action_y.text not in listing


def test_monitoring_group_of_the_right_type_verifies(two_actions, contact_x, monitor_a, auditor_a, manager_a):
    _, action_x, _ = two_actions
    actions.action_add_evidence(action=action_x, actor=contact_x, note="Lists")
    actions.action_mark_done(action=action_x, actor=contact_x, actions_taken="Done.")
    for wrong in (auditor_a, manager_a, contact_x):
        with pytest.raises(PermissionDenied):
            actions.action_verify(action=action_x, actor=wrong)
    assert actions.action_verify(action=action_x, actor=monitor_a).state == ActionState.VERIFIED


def test_another_board_sees_nothing(two_actions, manager_b, monitor_b, client_as):
    plan, action_x, _ = two_actions
    for outsider in (manager_b, monitor_b):
        with pytest.raises(Http404):
            actions.action_start(action=action_x, actor=outsider)
        with pytest.raises(Http404):
            actions.action_verify(action=action_x, actor=outsider)
        client = client_as(outsider)
        assert client.get(reverse("review_plan", args=[plan.review_id])).status_code == 404
        assert client.get(reverse("action_detail", args=[action_x.pk])).status_code == 404
        assert action_x.text not in client.get(reverse("action_list")).content.decode()


def test_only_the_chair_adopts_and_completes(two_actions, manager_a, monitor_a):
    plan, _, _ = two_actions
    for actor in (manager_a, monitor_a):
        with pytest.raises(PermissionDenied):
            plans.plan_complete(plan=plan, actor=actor, completed_on=TODAY, note="x")


def test_monitoring_list_filters_and_shows_rag(two_actions, monitor_a, agency_y, client_as):
    _, action_x, action_y = two_actions
    client = client_as(monitor_a)
    page = client.get(reverse("action_list")).content.decode()
    assert action_x.text in page and action_y.text in page
    assert "On track" in page or "Due soon" in page or "Overdue" in page
    filtered = client.get(reverse("action_list"), {"agency": agency_y.pk}).content.decode()
    assert action_y.text in filtered and action_x.text not in filtered
    by_status = client.get(reverse("action_list"), {"status": "verified"}).content.decode()
    assert action_x.text not in by_status


def test_pages_record_the_journey(two_actions, contact_x, monitor_a, chair_a, client_as, tmp_path):
    plan, action_x, action_y = two_actions
    client = client_as(contact_x)
    url = reverse("action_step", args=[action_x.pk, "evidence"])
    response = client.post(url, {"note": ""})
    assert "Add a note describing the evidence" in response.content.decode()
    client.post(url, {"note": "Attendance lists"})
    client.post(reverse("action_step", args=[action_x.pk, "done"]), {"actions_taken": "Briefings held."})
    assert Action.objects.get(pk=action_x.pk).state == ActionState.DONE
    client = client_as(monitor_a)
    client.post(reverse("action_step", args=[action_x.pk, "verdict"]), {"verdict": "verify", "note": "OK"})
    client.post(reverse("action_step", args=[action_y.pk, "close"]), {"reason": "Service closed."})
    client = client_as(chair_a)
    response = client.post(
        reverse("plan_step", args=[plan.review_id, "complete"]),
        {"completed_on_0": "15", "completed_on_1": "3", "completed_on_2": "2027", "note": "Signed off."},
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.state == PlanState.COMPLETED


def test_verify_without_evidence_refused_on_the_page(two_actions, contact_x, monitor_a, client_as):
    _, action_x, _ = two_actions
    actions.action_mark_done(action=action_x, actor=contact_x, actions_taken="Done.")
    response = client_as(monitor_a).post(
        reverse("action_step", args=[action_x.pk, "verdict"]), {"verdict": "verify", "note": ""}
    )
    assert response.status_code == 200
    assert plans.NO_EVIDENCE in response.content.decode()
    assert Action.objects.get(pk=action_x.pk).state == ActionState.DONE


def test_action_form_refuses_missing_owner_and_date(journey, manager_a, agency_x, contact_x, client_as):
    review = journey.to(ReviewState.ADOPTED)
    draft_plan(review, manager=manager_a, agency=agency_x, owner=contact_x)
    response = client_as(manager_a).post(
        reverse("action_new", args=[review.pk, 1]),
        {"text": "Something", "agency": agency_x.pk, "audit_information": "x"},
    )
    page = response.content.decode()
    assert plans.OWNER_REQUIRED in page and plans.DUE_REQUIRED in page


def test_convert_page_refuses_without_a_reason(journey, chair_a, client_as):
    review = journey.to(ReviewState.SCOPING)
    response = client_as(chair_a).post(
        reverse("plan_step", args=[review.pk, "convert"]), {"to_type": "management_review", "reason": ""}
    )
    assert plans.CONVERT_REASON_REQUIRED in response.content.decode()
    review.refresh_from_db()
    assert review.review_type == "scr"


def test_contact_of_an_uninvolved_agency_sees_nothing(two_actions, board_a, client_as):
    from tests.factories import AgencyFactory

    outsider_agency = AgencyFactory(board=board_a, name="Alpha Schools")
    outsider = member(board=board_a, role=Role.AGENCY_CONTACT, agency=outsider_agency, full_name="Oz Out")
    plan, action_x, _ = two_actions
    client = client_as(outsider)
    assert client.get(reverse("review_plan", args=[plan.review_id])).status_code == 404
    assert client.get(reverse("plan_sign_up", args=[plan.review_id])).status_code == 404
    assert client.get(reverse("action_detail", args=[action_x.pk])).status_code == 404


def test_action_list_pages_in_a_fixed_number_of_queries(
    client_as, two_actions, manager_a, agency_x, contact_x
):
    """The board-wide list of actions is paged (50 a page) and does not grow with the actions it lists."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    plan, action_x, _ = two_actions
    client = client_as(manager_a)
    path = reverse("action_list")
    client.get(path)
    with CaptureQueriesContext(connection) as few:
        client.get(path)
    for number in range(60):
        Action.objects.create(
            recommendation=action_x.recommendation,
            text=f"Extra action {number}.",
            agency=agency_x,
            owner=contact_x,
            due_date=dt.date(2027, 9, 1),
            audit_information="Audit.",
            created_at=action_x.created_at,
            board=action_x.board,
            created_by=action_x.created_by,
        )
    with CaptureQueriesContext(connection) as many:
        response = client.get(path)
    second = client.get(path, {"page": 2})
    assert len(many) == len(few)
    assert response.context["page"].paginator.count == 62
    assert len(response.context["rows"]) == 50 and len(second.context["rows"]) == 12
    assert "Page 1 of 2" in response.text
