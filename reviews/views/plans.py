"""The action-plan pages (issue 7): a review's plan, each action with its evidence and verdicts, and the
board-wide list of actions with RAG for the monitoring group. Every page asks `reviews.services.plans`
who may see and do what; a refusal from a service goes back on the form with everything typed kept."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_fsm import can_proceed

from scr_portal.forms import posted_data
from scr_portal.models import Membership, Role
from scr_portal.uploads import download_response

from .. import guards, permissions
from ..forms import plans as f
from ..models import Action, ActionEvidence, ActionPlan, ActionState, LearningTheme, PlanState, Review
from ..services import actions as svc_actions
from ..services import conversion as svc_conversion
from ..services import plans as svc_plans
from ..services import themes as svc_themes
from .common import explains_refusal, form_page


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
    return form_page(
        request,
        review=review,
        form=form,
        apply=apply,
        heading=heading,
        button=button,
        success_url=context.pop("success_url", plan_url(review)),
        back_url=context.pop("back_url", plan_url(review)),
        back_text=context.pop("back_text", "Back to the action plan"),
        **context,
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


# --- Actions ---


def actions_visible_to(user, board):
    """The actions of `board` that `user` may see: all for board-wide viewers; otherwise those of the
    review types their group monitors, of their agency, or that they own."""
    if board is None:
        return Action.objects.none()
    actions = Action.objects.filter(board=board)
    roles = list(Membership.objects.filter(user=user, board=board).values_list("role", "agency_id"))
    role_names = {role for role, _ in roles}
    if role_names & {Role.BUSINESS_MANAGER, Role.BUSINESS_SUPPORT, Role.LSCB_CHAIR, Role.AUDITOR}:
        return actions
    types = [t for t, role in permissions.MONITORING_GROUP_BY_TYPE.items() if role in role_names]
    agencies = [agency for role, agency in roles if role == Role.AGENCY_CONTACT and agency]
    return actions.filter(
        Q(recommendation__plan__review__review_type__in=types) | Q(agency__in=agencies) | Q(owner=user)
    )


ACTIONS_PER_PAGE = 50


@require_GET
def action_list(request: HttpRequest) -> HttpResponse:
    board = request.board
    if board is None:
        raise Http404("No board.")
    form = f.ActionFilterForm(request.GET or None, board=board)
    actions = actions_visible_to(request.user, board).select_related(
        "agency", "owner", "recommendation__plan__review"
    )
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if data["agency"]:
            actions = actions.filter(agency=data["agency"])
        if data["review"]:
            actions = actions.filter(
                recommendation__plan__review__reference__icontains=data["review"].strip()
            )
        if data["owner"]:
            actions = actions.filter(owner=data["owner"])
        if data["status"]:
            actions = actions.filter(state=data["status"])
    today = timezone.localdate()
    page = Paginator(actions.order_by("due_date", "pk"), ACTIONS_PER_PAGE).get_page(request.GET.get("page"))
    rows = [(a, RAG_TAGS[rag(a, today)]) for a in page.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    may_report = bool(getattr(request, "board_perms", frozenset()) & {"work_cases", "decide_referrals"})
    return render(
        request,
        "reviews/plans/action_list.html",
        {
            "rows": rows,
            "page": page,
            "query": query.urlencode(),
            "form": form,
            "board": board,
            "may_report": may_report,
        },
    )


@explains_refusal
@require_GET
def action_detail(request: HttpRequest, pk: int) -> HttpResponse:
    action, access = _action(request.user, pk)
    review = action.recommendation.plan.review
    open_ = review.is_open
    return render(
        request,
        "reviews/plans/action.html",
        {
            "action": action,
            "review": review,
            "rag": RAG_TAGS[rag(action, timezone.localdate())],
            "evidence": action.evidence.select_related("added_by", "file"),
            "group": permissions.monitoring_group_name(review),
            "can": {
                "update": access.may("update", action) and open_ and not action.is_finished,
                "monitor": access.may("monitor") and open_,
                # What the action's state machine allows now (its transitions' sources), not the template.
                "start": can_proceed(action.start),
                "mark_done": can_proceed(action.mark_done),
                "verdict": can_proceed(action.verify),
                "reaudit": access.may("monitor") and action.state == ActionState.VERIFIED,
                "close": (access.may("monitor") or access.may("manage")) and open_ and not action.is_finished,
            },
        },
    )


def _action_page(request, action, form, apply, heading, button, **context):
    url = reverse("action_detail", args=[action.pk])
    return form_page(
        request,
        review=action.recommendation.plan.review,
        form=form,
        apply=apply,
        heading=heading,
        button=button,
        success_url=url,
        back_url=url,
        back_text="Back to the action",
        **context,
    )


@explains_refusal
@require_http_methods(["GET", "POST"])
def action_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    action, _ = _action(request.user, pk)
    user = request.user
    if step == "start":
        form = f.GovukForm(posted_data(request))

        def apply(data):
            svc_actions.action_start(action=action, actor=user)
            return "The action is in progress."

        return _action_page(request, action, form, apply, "Start work on the action", "Start")
    if step == "evidence":
        form = f.EvidenceForm(posted_data(request), request.FILES or None)

        def apply(data):
            svc_actions.action_add_evidence(
                action=action, actor=user, note=data["note"], upload=data["upload"]
            )
            return "The evidence has been recorded."

        return _action_page(request, action, form, apply, "Add evidence", "Add the evidence", multipart=True)
    if step == "done":
        form = f.DoneForm(posted_data(request))

        def apply(data):
            svc_actions.action_mark_done(action=action, actor=user, actions_taken=data["actions_taken"])
            return "The action is recorded as done. The monitoring group will verify it."

        return _action_page(request, action, form, apply, "Record the actions taken", "Record as done")
    if step == "verdict":
        form = f.VerdictForm(posted_data(request))

        def apply(data):
            if data["verdict"] == "verify":
                svc_actions.action_verify(action=action, actor=user, note=data["note"])
                return "The action is verified."
            svc_actions.action_send_back(action=action, actor=user, note=data["note"])
            return "The action has been sent back to its owner."

        return _action_page(request, action, form, apply, "Record the monitoring group's verdict", "Save")
    if step == "close":
        form = f.CloseActionForm(posted_data(request))

        def apply(data):
            svc_actions.action_close(action=action, actor=user, reason=data["reason"])
            return "The action is closed."

        return _action_page(
            request, action, form, apply, "Close the action with a reason", "Close the action"
        )
    if step == "reaudit":
        form = f.ReauditForm(posted_data(request))

        def apply(data):
            svc_actions.action_schedule_reaudit(action=action, actor=user, **data)
            return "The re-audit is scheduled."

        return _action_page(request, action, form, apply, "Schedule a re-audit", "Schedule")
    raise Http404("No such step.")


@explains_refusal
@require_GET
def evidence_download(request: HttpRequest, pk: int, evidence_pk: int):
    action, _ = _action(request.user, pk)
    evidence = get_object_or_404(ActionEvidence, pk=evidence_pk, action=action, file__isnull=False)
    return download_response(evidence.file)


# --- Learning themes ---


@explains_refusal
@require_http_methods(["GET", "POST"])
def themes_page(request: HttpRequest) -> HttpResponse:
    """The board's taxonomy of learning themes: the business unit adds and retires themes."""
    board = request.board
    if board is None:
        raise Http404("No board.")
    may_edit = "work_cases" in getattr(request, "board_perms", frozenset())
    if not may_edit:
        raise PermissionDenied(svc_themes.THEME_REFUSAL)
    form = f.ThemeForm(posted_data(request))
    if request.method == "POST":
        toggle = request.POST.get("toggle")
        try:
            if toggle:
                theme = get_object_or_404(LearningTheme, pk=toggle, board=board)
                svc_themes.theme_set_active(theme=theme, actor=request.user, active=not theme.active)
                messages.success(request, f"“{theme.name}” is now {'in use' if theme.active else 'retired'}.")
                return redirect("themes")
            if form.is_valid():
                theme = svc_themes.theme_create(
                    board=board, actor=request.user, name=form.cleaned_data["name"]
                )
                messages.success(request, f"“{theme.name}” has been added.")
                return redirect("themes")
        except ValidationError as error:
            form.add_service_error(error)
    return render(
        request,
        "reviews/plans/themes.html",
        {"board": board, "form": form, "themes": LearningTheme.objects.filter(board=board)},
    )


def _tag_page(request, *, board, subject, heading, back_url, current):
    form = f.TagThemesForm(posted_data(request), board=board, initial={"themes": current})
    if request.method == "POST" and form.is_valid():
        try:
            svc_themes.themes_tag(
                subject=subject, board=board, actor=request.user, themes=form.cleaned_data["themes"]
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, "The learning themes have been saved.")
            return redirect(back_url)
    return render(
        request,
        "reviews/plans/tag_themes.html",
        {"form": form, "heading": heading, "back_url": back_url, "board": board},
    )


@explains_refusal
@require_http_methods(["GET", "POST"])
def review_themes(request: HttpRequest, pk: int) -> HttpResponse:
    review, access = _review(request.user, pk)
    access.require("manage")
    return _tag_page(
        request,
        board=review.board,
        subject=review,
        heading=f"Learning themes of {review.reference}",
        back_url=plan_url(review),
        current=list(review.themes.all()),
    )


@explains_refusal
@require_http_methods(["GET", "POST"])
def referral_themes(request: HttpRequest, pk: int) -> HttpResponse:
    from referrals.models import Referral
    from scr_portal.permissions import VIEW_BOARD, WORK_CASES, user_has_board_perm

    referral = Referral.objects.select_related("board").filter(pk=pk).first()
    if referral is None or not user_has_board_perm(request.user, referral.board, VIEW_BOARD):
        raise Http404("No such referral.")
    if not user_has_board_perm(request.user, referral.board, WORK_CASES):
        raise PermissionDenied(svc_themes.THEME_REFUSAL)
    return _tag_page(
        request,
        board=referral.board,
        subject=referral,
        heading=f"Learning themes of {referral.reference}",
        back_url=reverse("referral_detail", args=[referral.pk]),
        current=list(referral.themes.all()),
    )
