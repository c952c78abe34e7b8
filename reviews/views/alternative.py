"""The alternative-review pages (domain brief §4.8): the review's steps as a task list, appointing the
people who conduct it, completing a step, the output document (upload and download), recording its
acceptance with the recommendations; and the LSCB Chair's key-themes page, several referrals of the board
selected together.

Access goes through `reviews.permissions`: 404 for anyone who may not know the review exists (another
board, an agency contact, an IMR author of another review), and for IMR authors, who see only the
terms of reference and the final draft of a serious case review; 403 naming who may act otherwise."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods
from django_fsm import can_proceed

from referrals.models import Referral, ReferralState
from scr_portal.forms import posted_data
from scr_portal.models import AnonymisationCheck
from scr_portal.uploads import download_response

from .. import permissions, services
from ..forms import alternative as f
from ..models import AlternativeReview, AlternativeState, ReviewState, ReviewType
from ..permissions import get_review_in_full
from ..selectors.review import CANNOT_START
from ..services import alternative as svc
from ..services import themes
from .common import explains_refusal, form_page, long_date

PAGE_SIZE = 25
KEY_THEMES_REFUSAL = "Only the LSCB Chair can set off a key-themes report."


def _alternative(user, pk: int, action: str | None = None):
    review, access = get_review_in_full(user, pk)
    alternative = (
        AlternativeReview.objects.select_related(
            "lead_user", "lead_agency", "output_file", "appointed_by", "acceptance_recorded_by"
        )
        .filter(review=review)
        .first()
    )
    if alternative is None:
        raise Http404("This review has no alternative-review steps.")
    alternative.review = review
    if action:
        access.require(action)
    return alternative, access


def _page_url(alternative) -> str:
    return reverse("review_alternative", args=[alternative.review_id])


def _form(request, alternative, **kwargs):
    return form_page(
        request,
        review=alternative.review,
        back=(_page_url(alternative), "Back to the alternative review"),
        **kwargs,
    )


@explains_refusal
@require_GET
def review_alternative(request: HttpRequest, pk: int) -> HttpResponse:
    alternative, access = _alternative(request.user, pk)
    review = alternative.review
    steps = list(alternative.steps.select_related("done_by"))
    current = [s for s in steps if s.review_type == alternative.review_type]
    earlier = [s for s in steps if s.review_type != alternative.review_type]
    may_run = access.may("run") and review.is_open
    # Until the lead is appointed the review is still planning: no step can start.
    awaiting_lead = can_proceed(alternative.start)
    tasks = []
    for step in current:
        blocked = any(not other.is_done for other in current if other.position < step.position)
        if step.is_done:
            status, tag = "Completed", ""
        elif awaiting_lead or blocked:
            status, tag = CANNOT_START, ""
        else:
            status, tag = "Not yet started", "govuk-tag govuk-tag--blue"
        url = ""
        if may_run and status == "Not yet started":
            url = (
                reverse("review_alternative_output", args=[pk])
                if step.is_output
                else reverse("review_alternative_step", args=[pk, step.code])
            )
        tasks.append(
            {"step": step, "status": status, "tag": tag, "url": url, "cannot_start": status == CANNOT_START}
        )
    return render(
        request,
        "reviews/alternative/detail.html",
        {
            "review": review,
            "alternative": alternative,
            "tasks": tasks,
            "earlier": earlier,
            "awaiting_lead": awaiting_lead,
            "key_themes": review.review_type == ReviewType.KEY_THEMES,
            "may_appoint": access.may("appoint")
            and review.is_open
            and alternative.state != AlternativeState.OUTPUT_ACCEPTED,
            "may_run": may_run,
            "may_cancel": access.may("stand_down") and review.is_open and can_proceed(alternative.cancel),
            "may_accept": may_run and alternative.state == AlternativeState.OUTPUT_RECEIVED,
            "may_replace": may_run and alternative.state == AlternativeState.OUTPUT_RECEIVED,
            "monitoring_group": permissions.monitoring_group_name(review),
            "in_monitoring": review.state == ReviewState.MONITORING,
            "linked_referrals": review.key_theme_referrals.select_related("referral").order_by("pk"),
            "output_check": AnonymisationCheck.objects.filter(stored_file_id=alternative.output_file_id)
            .order_by("-checked_at", "-pk")
            .first()
            if alternative.output_file_id
            else None,
        },
    )


@explains_refusal
@require_http_methods(["GET", "POST"])
def review_alternative_appoint(request: HttpRequest, pk: int) -> HttpResponse:
    alternative, _ = _alternative(request.user, pk, "appoint")
    initial = {
        "lead_agency": alternative.lead_agency_id,
        "lead_user": alternative.lead_user_id,
        "lead_name": alternative.lead_name,
        "lead_organisation": alternative.lead_organisation,
        "lead_independent": alternative.lead_independent,
        "planned_completion": alternative.planned_completion,
    }
    form = f.AppointForm(posted_data(request), alternative=alternative, initial=initial)

    def apply(_data):
        updated = svc.alternative_appoint(
            alternative=alternative, actor=request.user, **form.service_kwargs()
        )
        return f"{updated.lead_role_label} recorded: {updated.lead_display}."

    return _form(
        request,
        alternative,
        form=form,
        apply=apply,
        heading=f"Appoint who conducts the {alternative.get_review_type_display().lower()}",
        button="Save",
    )


@explains_refusal
@require_http_methods(["GET", "POST"])
def review_alternative_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    alternative, _ = _alternative(request.user, pk, "run")
    found = next((s for s in svc.current_steps(alternative) if s.code == step and not s.is_output), None)
    if found is None:
        raise Http404("No such step.")
    problems = []
    if alternative.state == AlternativeState.PLANNING:
        problems = [svc.NOT_UNDER_WAY]
    elif missing := svc.missing_before(alternative, found):
        problems = [svc.EARLIER_STEPS.format(steps="; ".join(s.label for s in missing))]
    elif found.is_done:
        problems = [svc.STEP_DONE]
    form = f.StepForm(posted_data(request))

    def apply(data):
        svc.alternative_step_complete(alternative=alternative, actor=request.user, code=step, **data)
        return f"“{found.label}” is recorded as done on {long_date(data['done_on'])}."

    return _form(
        request,
        alternative,
        form=form,
        apply=apply,
        heading=found.label,
        button="Record as done",
        problems=problems if request.method == "GET" else [],
    )


@explains_refusal
@require_http_methods(["GET", "POST"])
def review_alternative_output(request: HttpRequest, pk: int) -> HttpResponse:
    alternative, _ = _alternative(request.user, pk, "run")
    problems = svc.output_problems(alternative) if request.method == "GET" else []
    if alternative.state == AlternativeState.OUTPUT_ACCEPTED:
        problems = [svc.UPLOAD_NOT_NOW]
    form = f.OutputForm(posted_data(request), request.FILES or None)

    def apply(data):
        stored = svc.alternative_output_upload(
            alternative=alternative, actor=request.user, upload=data["file"], note=data["note"]
        )
        return f"Version {stored.version} of the {alternative.output_label} has been uploaded."

    return _form(
        request,
        alternative,
        form=form,
        apply=apply,
        heading=f"Upload the {alternative.output_label}",
        button="Upload",
        multipart=True,
        problems=problems,
    )


@explains_refusal
@require_GET
def review_alternative_output_download(request: HttpRequest, pk: int) -> HttpResponse:
    alternative, _ = _alternative(request.user, pk)
    if alternative.output_file is None:
        raise Http404("No output has been uploaded.")
    return download_response(alternative.output_file)


@explains_refusal
@require_http_methods(["GET", "POST"])
def review_alternative_accept(request: HttpRequest, pk: int) -> HttpResponse:
    alternative, _ = _alternative(request.user, pk, "run")
    problems = []
    if request.method == "GET" and alternative.output_file is None:
        problems = [svc.NO_OUTPUT.format(output=alternative.output_label)]
    form = f.AcceptForm(posted_data(request), board=alternative.review.board)

    def apply(_data):
        svc.alternative_accept(alternative=alternative, actor=request.user, **form.service_kwargs())
        return (
            f"The {alternative.output_label} is accepted and its recommendation is in the action plan. "
            f"The {permissions.monitoring_group_name(alternative.review)} monitors the plan."
        )

    return _form(
        request,
        alternative,
        form=form,
        apply=apply,
        heading=f"Record the acceptance of the {alternative.output_label}",
        button="Record the acceptance",
        intro=[
            "Record who accepted the output and the recommendations it makes. Each recommendation goes "
            "into the review's action plan, where actions, owners and dates are added."
        ],
        problems=problems,
    )


@explains_refusal
@require_http_methods(["GET", "POST"])
def review_alternative_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """The LSCB Chair cancels the alternative review with a reason; the review is stood down with it."""
    alternative, _ = _alternative(request.user, pk, "stand_down")
    if not can_proceed(alternative.cancel) or not alternative.review.is_open:
        messages.error(request, svc.CANNOT_NOW)
        return redirect(_page_url(alternative))
    form = f.CancelAlternativeForm(posted_data(request))

    def apply(data):
        services.alternative_cancel(review=alternative.review, actor=request.user, reason=data["reason"])
        return f"The {alternative.get_review_type_display().lower()} is cancelled and the review stood down."

    return _form(
        request,
        alternative,
        form=form,
        apply=apply,
        heading=f"Cancel the {alternative.get_review_type_display().lower()}",
        button="Cancel the alternative review",
        intro=["Its open deadlines are cancelled and the review is stood down; its records are kept."],
    )


# --- Key-themes report from several referrals -----------------------------------------------------------


@explains_refusal
@require_http_methods(["GET", "POST"])
def key_themes_new(request: HttpRequest) -> HttpResponse:
    """The LSCB Chair selects several of the board's referrals to consider together (Cambridgeshire §11)
    and gives the reason; the report is a review of its own, monitored by Quality & Effectiveness."""
    board = request.board
    if board is None:
        raise Http404("No board.")
    if "decide_referrals" not in getattr(request, "board_perms", frozenset()):
        raise PermissionDenied(KEY_THEMES_REFUSAL)
    query = request.GET.get("q", "").strip()
    referrals = Referral.objects.filter(board=board).exclude(state=ReferralState.DRAFT)
    if query:
        referrals = referrals.filter(reference__icontains=query)
    page = Paginator(referrals.order_by("-received_at", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    choices = [
        (
            referral.pk,
            f"{referral.reference} – {referral.get_state_display()}"
            + (f", received {referral.received_at:%d %B %Y}" if referral.received_at else ""),
        )
        for referral in page.object_list
    ]
    form = f.KeyThemesForm(posted_data(request), choices=choices)
    if request.method == "POST" and form.is_valid():
        ids = form.cleaned_data["referrals"]
        chosen = list(Referral.objects.filter(pk__in=ids))
        # An id that matches no referral at all is treated as another board's.
        chosen += [Referral(pk=-1, board_id=None)] if len(chosen) < len(set(ids)) else []
        try:
            review = themes.review_key_themes_create(
                board=board,
                actor=request.user,
                referrals=chosen,
                reason=form.cleaned_data["reason"],
                now=timezone.now(),
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request, f"Key themes report {review.reference} is set up across {len(chosen)} referrals."
            )
            return redirect("review_alternative", pk=review.pk)
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "reviews/alternative/key_themes.html",
        {"board": board, "form": form, "page": page, "query": query, "params": params.urlencode()},
    )
