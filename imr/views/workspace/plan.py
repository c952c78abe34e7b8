"""The IMR's single-agency action plan (Solihull App 13)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from scr_portal.forms import posted_data

from ... import services
from ...forms import PlanActionForm, PlanRecommendationForm
from ...models import IMR, ActionPlanAction, ActionPlanRecommendation
from ...parts import ACTION_PLAN
from ...permissions import IMRAccess
from ...selectors import plan_with_gaps
from .._common import author_page, item_page, removal_page, shown_page
from .._common import editable as _editable
from .page import _url

# --- Action plan (Solihull App 13) --------------------------------------------------------------------


plan_page = author_page(ACTION_PLAN)


@shown_page()
def imr_action_plan(request: HttpRequest, imr: IMR, access: IMRAccess) -> HttpResponse:
    recommendations, missing_actions = plan_with_gaps(imr)
    return render(
        request,
        "imr/action_plan.html",
        {
            "imr": imr,
            "recommendations": recommendations,
            "missing_actions": missing_actions,
            "editable": _editable(imr, access, ACTION_PLAN),
        },
    )


def _plan_url(imr: IMR) -> str:
    return _url("imr_action_plan", imr)


@plan_page
def imr_plan_recommendation(request: HttpRequest, imr: IMR, rec_pk: int | None = None) -> HttpResponse:
    recommendation = get_object_or_404(ActionPlanRecommendation, pk=rec_pk, imr=imr) if rec_pk else None
    return item_page(
        request,
        imr,
        PlanRecommendationForm(posted_data(request), item=recommendation),
        lambda data: services.plan_recommendation_save(
            imr=imr, actor=request.user, item=recommendation, **data
        ),
        item=recommendation and f"recommendation {recommendation.number}",
        add="Add a recommendation",
        remove_url=recommendation and _url("imr_plan_recommendation_delete", imr, recommendation.pk),
        saved=lambda saved: f"Recommendation {saved.number} has been saved.",
        then=lambda saved: f"{_plan_url(imr)}#recommendation-{saved.number}",
        back_url=_plan_url(imr),
    )


@removal_page(
    lambda imr, actor, recommendation: services.plan_recommendation_delete(
        imr=imr, actor=actor, recommendation=recommendation
    ),
    lambda recommendation: f"recommendation {recommendation.number}",
    _plan_url,
    warning="Its actions are removed too.",
    part=ACTION_PLAN,
)
def imr_plan_recommendation_delete(imr: IMR, rec_pk: int) -> ActionPlanRecommendation:
    return get_object_or_404(ActionPlanRecommendation, pk=rec_pk, imr=imr)


@plan_page
def imr_plan_action(
    request: HttpRequest, imr: IMR, rec_pk: int, action_pk: int | None = None
) -> HttpResponse:
    recommendation = get_object_or_404(ActionPlanRecommendation, pk=rec_pk, imr=imr)
    action = (
        get_object_or_404(ActionPlanAction, pk=action_pk, recommendation=recommendation)
        if action_pk
        else None
    )
    return item_page(
        request,
        imr,
        PlanActionForm(posted_data(request), item=action),
        lambda data: services.plan_action_save(
            imr=imr, actor=request.user, recommendation=recommendation, item=action, **data
        ),
        item=action and f"action {recommendation.number}.{action.number}",
        add=f"Add an action to recommendation {recommendation.number}",
        remove_url=action and _url("imr_plan_action_delete", imr, recommendation.pk, action.pk),
        saved=lambda saved: f"Action {recommendation.number}.{saved.number} has been saved.",
        then=lambda saved: f"{_plan_url(imr)}#recommendation-{recommendation.number}",
        intro=recommendation.recommendation,
        back_url=_plan_url(imr),
    )


@removal_page(
    lambda imr, actor, action: services.plan_action_delete(imr=imr, actor=actor, action=action),
    lambda action: f"action {action.recommendation.number}.{action.number}",
    _plan_url,
    part=ACTION_PLAN,
)
def imr_plan_action_delete(imr: IMR, rec_pk: int, action_pk: int) -> ActionPlanAction:
    return get_object_or_404(
        ActionPlanAction.objects.select_related("recommendation"),
        pk=action_pk,
        recommendation_id=rec_pk,
        recommendation__imr=imr,
    )
