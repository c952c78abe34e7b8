"""A review's action plan (Solihull App 13; issue 7): the plan page, its recommendations and actions, the
agencies' sign-up, its steps, and converting the review to another type."""

import datetime as dt

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_fsm import can_proceed

from scr_portal.forms import posted_data

from ... import guards, permissions
from ...forms import plans as f
from ...models import Action, ActionPlan, ActionState, PlanState, Review
from ...services import conversion as svc_conversion
from ...services import plans as svc_plans
from ..common import explains_refusal, form_page


def plan_offers(plan: ActionPlan | None, access, *, review_open: bool) -> dict:
    """Which of the plan's steps this person is offered: their permission, and what the plan's state machine
    allows now (django-fsm's can_proceed), so the template compares no state names."""
    manage = access.may("manage") and review_open
    decide = access.may("decide") and review_open
    may_change = plan is not None and plan.state != PlanState.COMPLETED
    return {
        "manage": manage,
        "decide": decide,
        "add_recommendation": manage and may_change,
        "sign_up": (access.may("manage") or bool(access.agencies)) and review_open and _allows(plan, "agree"),
        "agree": manage and _allows(plan, "agree"),
        "adopt": decide and _allows(plan, "adopt"),
        "monitor": manage and _allows(plan, "start_monitoring"),
        "complete": decide and _allows(plan, "complete"),
    }


def _allows(plan: ActionPlan | None, transition: str) -> bool:
    return plan is not None and can_proceed(getattr(plan, transition))


RAG_TAGS = {
    "red": ("Overdue", "govuk-tag--red"),
    "amber": ("Due soon", "govuk-tag--yellow"),
    "green": ("On track", "govuk-tag--green"),
    "done": ("Awaiting verification", "govuk-tag--blue"),
    "finished": ("Finished", "govuk-tag--grey"),
}
DUE_SOON_DAYS = 30


def rag(action: Action, today: dt.date) -> str:
    if action.state in (ActionState.VERIFIED, ActionState.CLOSED):
        return "finished"
    if action.state == ActionState.DONE:
        return "done"
    if action.due_date < today:
        return "red"
    if action.due_date <= today + dt.timedelta(days=DUE_SOON_DAYS):
        return "amber"
    return "green"


def _review(user, pk: int) -> tuple[Review, permissions.PlanAccess]:
    review = Review.objects.select_related("board").filter(pk=pk).first()
    if review is None:
        raise Http404("No such review.")
    access = permissions.plan_access(user, review)
    if not access.sees_any:
        raise Http404("No such review.")
    return review, access


def _action(user, pk: int) -> tuple[Action, permissions.PlanAccess]:
    action = (
        Action.objects.select_related("recommendation__plan__review__board", "agency", "owner")
        .filter(pk=pk)
        .first()
    )
    if action is None:
        raise Http404("No such action.")
    access = permissions.plan_access(user, action.recommendation.plan.review)
    if not access.may("see_action", action):
        raise Http404("No such action.")
    return action, access


def plan_url(review) -> str:
    return reverse("review_plan", args=[review.pk])


@explains_refusal
@require_GET
def review_plan(request: HttpRequest, pk: int) -> HttpResponse:
    review, access = _review(request.user, pk)
    plan = ActionPlan.objects.filter(review=review).first()
    today = timezone.localdate()
    recommendations = []
    if plan:
        for recommendation in plan.recommendations.select_related("agency").prefetch_related(
            "actions__agency", "actions__owner"
        ):
            actions = [
                (a, RAG_TAGS[rag(a, today)])
                for a in recommendation.actions.all()
                if access.may("see_action", a)
            ]
            if access.sees_all or actions:
                recommendations.append((recommendation, actions))
    problems = []
    if plan and plan.state == PlanState.DRAFT:
        problems = svc_plans.agreement_problems(plan)
    elif plan and plan.state == PlanState.MONITORING:
        problems = guards.completion_problems(plan)
    return render(
        request,
        "reviews/plans/plan.html",
        {
            "review": review,
            "plan": plan,
            "recommendations": recommendations,
            "sign_ups": plan.sign_ups.select_related("agency") if plan else [],
            "problems": problems,
            "group": permissions.monitoring_group_name(review),
            "can": plan_offers(plan, access, review_open=review.is_open),
            "conversions": review.conversions.select_related("approved_by"),
        },
    )


@explains_refusal
@require_POST
def plan_create(request: HttpRequest, pk: int) -> HttpResponse:
    review, _ = _review(request.user, pk)
    svc_plans.plan_create(review=review, actor=request.user)
    messages.success(request, "The action plan has been drafted.")
    return redirect(plan_url(review))


def _plan_or_404(review) -> ActionPlan:
    plan = ActionPlan.objects.filter(review=review).first()
    if plan is None:
        raise Http404("No action plan.")
    return plan


def _page(request, review, form, apply, heading, button, **context):
    back = (context.pop("back_url", plan_url(review)), context.pop("back_text", "Back to the action plan"))
    context.setdefault("success_url", plan_url(review))
    return form_page(
        request, review=review, form=form, apply=apply, heading=heading, button=button, back=back, **context
    )


@explains_refusal
@require_http_methods(["GET", "POST"])
def recommendation_new(request: HttpRequest, pk: int) -> HttpResponse:
    review, access = _review(request.user, pk)
    access.require("manage")
    plan = _plan_or_404(review)
    form = f.RecommendationForm(posted_data(request), board=review.board)

    def apply(data):
        recommendation = svc_plans.recommendation_add(plan=plan, actor=request.user, **data)
        return f"Recommendation {recommendation.number} has been added."

    return _page(request, review, form, apply, "Add a recommendation", "Add the recommendation")


@explains_refusal
@require_http_methods(["GET", "POST"])
def action_new(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    review, access = _review(request.user, pk)
    access.require("manage")
    plan = _plan_or_404(review)
    recommendation = get_object_or_404(plan.recommendations, number=number)
    form = f.ActionForm(posted_data(request), board=review.board)

    def apply(data):
        svc_plans.action_add(recommendation=recommendation, actor=request.user, **data)
        return f"The action has been added to recommendation {number}."

    return _page(
        request,
        review,
        form,
        apply,
        f"Add an action to recommendation {number}",
        "Add the action",
        intro=[recommendation.text],
    )


@explains_refusal
@require_http_methods(["GET", "POST"])
def plan_sign_up(request: HttpRequest, pk: int) -> HttpResponse:
    review, access = _review(request.user, pk)
    plan = _plan_or_404(review)
    agencies = f.board_agencies(review.board)
    if not access.may("manage"):
        if not access.agencies:
            access.require("sign_up")
        agencies = agencies.filter(pk__in=access.agencies)
    form = f.SignUpForm(posted_data(request), agencies=agencies)

    def apply(data):
        svc_plans.plan_sign_up(plan=plan, actor=request.user, **data)
        return f"{data['agency'].name} has signed up to the plan."

    return _page(request, review, form, apply, "Record an agency's sign-up", "Record the sign-up")


@explains_refusal
@require_http_methods(["GET", "POST"])
def plan_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    review, access = _review(request.user, pk)
    if step == "convert":
        return _convert(request, review, access)
    plan = _plan_or_404(review)
    if step == "agree":
        access.require("manage")
        form = f.DayForm(posted_data(request), label="Date the plan was agreed")
        problems = svc_plans.agreement_problems(plan) if request.method == "GET" else []

        def apply(data):
            svc_plans.plan_agree(plan=plan, actor=request.user, agreed_on=data["day"])
            return "The plan is agreed. Each action's date is now on the clock."

        return _page(request, review, form, apply, "Record the plan as agreed", "Agree", problems=problems)
    if step == "adopt":
        access.require("decide")
        form = f.DayForm(posted_data(request), label="Date the LSCB adopted the plan")

        def apply(data):
            svc_plans.plan_adopt(plan=plan, actor=request.user, adopted_on=data["day"])
            return "The plan is adopted."

        return _page(request, review, form, apply, "Record the plan as adopted", "Adopt")
    if step == "monitor":
        access.require("manage")
        form = f.GovukForm(posted_data(request))

        def apply(data):
            svc_plans.plan_start_monitoring(plan=plan, actor=request.user)
            return "The monitoring group now follows the plan."

        return _page(
            request,
            review,
            form,
            apply,
            "Start monitoring the plan",
            "Start monitoring",
            intro=[f"The {permissions.monitoring_group_name(review)} will verify each action."],
        )
    if step == "complete":
        access.require("decide")
        form = f.CompleteForm(posted_data(request))
        problems = guards.completion_problems(plan) if request.method == "GET" else []

        def apply(data):
            svc_plans.plan_complete(
                plan=plan, actor=request.user, completed_on=data["completed_on"], note=data["note"]
            )
            return "The plan is signed off as complete. The review can now be closed."

        return _page(
            request, review, form, apply, "Sign off the plan as complete", "Sign off", problems=problems
        )
    raise Http404("No such step.")


def _convert(request, review, access):
    access.require("decide")
    form = f.ConvertForm(posted_data(request), initial={"to_type": review.review_type})

    def apply(data):
        conversion = svc_conversion.review_convert(review=review, actor=request.user, **data)
        return f"The review is now a {conversion.review.get_review_type_display().lower()}."

    return _page(
        request,
        review,
        form,
        apply,
        "Convert the review to another type",
        "Convert",
        intro=["Everything already recorded is kept. The monitoring group follows the new type."],
    )
