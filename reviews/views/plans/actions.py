"""The actions of the plans: the board-wide list with RAG for the monitoring group, each action with its
evidence and verdicts, and their downloads."""

from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods
from django_fsm import can_proceed

from scr_portal.forms import posted_data
from scr_portal.models import Membership, Role
from scr_portal.uploads import download_response

from ... import permissions
from ...forms import plans as f
from ...models import Action, ActionEvidence, ActionState
from ...services import actions as svc_actions
from ..common import explains_refusal, form_page
from .plan import RAG_TAGS, _action, rag

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
        back=(url, "Back to the action"),
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
