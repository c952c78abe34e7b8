"""An action plan walked through the real services (issue 7), for journeys that must close a review."""

import datetime as dt

from reviews import permissions
from reviews.models import RecommendationSource, ReviewState
from reviews.services import actions, plans

from ..factories import member
from .factories import PDF, TODAY, pdf

ACTION = {
    "text": "Brief every practitioner on the escalation protocol.",
    "audit_information": "Attendance lists of the briefings.",
}


def add_action(recommendation, *, actor, **fields):
    """An action added to a recommendation; fields give its agency, owner and due date."""
    return plans.action_add(recommendation=recommendation, actor=actor, **{**ACTION, **fields})


def draft_plan(review, *, manager, agency, owner, due_date=dt.date(2027, 6, 30)):
    plan = plans.plan_for(review, manager)
    recommendation = plans.recommendation_add(
        plan=plan,
        actor=manager,
        source=RecommendationSource.OVERVIEW,
        text="Agencies share concerns about neglect at strategy discussions.",
        outcome="Concerns reach the agencies who can act on them.",
        agency=agency,
        addressed_to="Director of Children's Services",
    )
    action = add_action(recommendation, actor=manager, agency=agency, owner=owner, due_date=due_date)
    return plan, recommendation, action


def agree_plan(plan, manager, *agencies, on=TODAY, name="Sam Senior", post="Director"):
    """Each agency signs up to the plan through its senior officer, then the plan is agreed."""
    for agency in agencies:
        plans.plan_sign_up(plan=plan, actor=manager, agency=agency, name=name, post=post, signed_on=on)
    return plans.plan_agree(plan=plan, actor=manager, agreed_on=on)


def complete_plan(review, *, manager, chair, agency=None, owner=None, monitor=None):
    """Draft, agree, adopt, monitor, verify and sign off a one-action plan. The review must be adopted."""
    assert review.reached(ReviewState.ADOPTED)
    agency = agency or review.board.agencies.order_by("pk").first()
    owner = owner or manager
    monitor = monitor or member(
        board=review.board, role=permissions.monitoring_role(review), full_name="Monica Monitor"
    )
    plan, _, action = draft_plan(review, manager=manager, agency=agency, owner=owner, due_date=TODAY)
    agree_plan(plan, manager, agency)
    plans.plan_adopt(plan=plan, actor=chair, adopted_on=TODAY)
    plans.plan_start_monitoring(plan=plan, actor=manager)
    actions.action_add_evidence(
        action=action, actor=manager, note="Briefing attendance", upload=pdf("a.pdf", PDF)
    )
    actions.action_mark_done(action=action, actor=manager, actions_taken="Four briefings held.")
    actions.action_verify(action=action, actor=monitor, note="Attendance seen.")
    plans.plan_complete(plan=plan, actor=chair, completed_on=TODAY, note="Signed off by the LSCB.")
    return plan
