"""Interviews with the practitioners (the author and the agency only: hidden from the panel)."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET
from django_fsm import can_proceed

from scr_portal.forms import posted_data

from ... import services
from ...forms import (
    InterviewForm,
    InterviewHeldForm,
    InterviewOutcomeForm,
    InterviewSummaryForm,
)
from ...models import (
    IMR,
    Interview,
)
from ...permissions import get_imr_for_user
from .._common import author_page, explains_refusal, form_page
from .page import INTERVIEW_TAGS, _editable, _url

# --- Interviews: the author and the agency only (domain brief §2.3) ----------------------------------


@explains_refusal
@require_GET
def imr_interviews(request: HttpRequest, pk: int) -> HttpResponse:
    imr, access = get_imr_for_user(request.user, pk, "view_interviews")
    return render(
        request,
        "imr/interviews.html",
        {
            "imr": imr,
            "interviews": [(each, INTERVIEW_TAGS[each.state]) for each in imr.interviews.all()],
            "editable": _editable(imr, access),
        },
    )


def _interview(imr: IMR, interview_pk: int) -> Interview:
    return get_object_or_404(Interview, pk=interview_pk, imr=imr)


@author_page
def imr_interview_add(request: HttpRequest, imr: IMR) -> HttpResponse:
    form = InterviewForm(posted_data(request), initial={"invited_on": timezone.localdate()})

    def apply(data):
        interview = services.interview_invite(imr=imr, actor=request.user, **data)
        messages.success(request, f"The invitation to {interview.interviewee_name} has been recorded.")
        return redirect("imr_interview_detail", imr.pk, interview.pk)

    return form_page(
        request,
        imr=imr,
        form=form,
        apply=apply,
        heading="Invite someone to an interview",
        button="Record the invitation",
        intro="Give at least 2 weeks' notice, offer a supporter, and arrange access to the case files during "
        "the notice period (Solihull §11.1.3–11.1.4). Staff who ask to be interviewed must be offered an "
        "interview.",
        back_url=_url("imr_interviews", imr),
    )


@explains_refusal
@require_GET
def imr_interview_detail(request: HttpRequest, pk: int, interview_pk: int) -> HttpResponse:
    imr, access = get_imr_for_user(request.user, pk, "view_interviews")
    interview = _interview(imr, interview_pk)
    editable = _editable(imr, access)
    steps = []
    if editable:
        if can_proceed(interview.record_held):
            steps.append(("Record that the interview was held", "imr_interview_held"))
        if can_proceed(interview.send_summary):
            steps.append(("Send the summary for signature", "imr_interview_summary"))
        if can_proceed(interview.record_signed):
            steps.append(("Record the interviewee's answer", "imr_interview_outcome"))
    return render(
        request,
        "imr/interview_detail.html",
        {
            "imr": imr,
            "interview": interview,
            "tag": INTERVIEW_TAGS[interview.state],
            "steps": [(label, reverse(name, args=[imr.pk, interview.pk])) for label, name in steps],
        },
    )


def _interview_step(request, imr, interview_pk, *, form_class, transition, heading, button, apply_service):
    interview = _interview(imr, interview_pk)
    detail = reverse("imr_interview_detail", args=[imr.pk, interview.pk])
    if request.method == "GET" and not can_proceed(getattr(interview, transition)):
        messages.error(request, services.CANNOT_NOW)
        return redirect(detail)
    form = form_class(posted_data(request))

    def apply(data):
        apply_service(interview, data)
        messages.success(request, "The interview record has been updated.")
        return redirect(detail)

    return form_page(
        request, imr=imr, form=form, apply=apply, heading=heading, button=button, back_url=detail
    )


@author_page
def imr_interview_held(request: HttpRequest, imr: IMR, interview_pk: int) -> HttpResponse:
    return _interview_step(
        request,
        imr,
        interview_pk,
        form_class=InterviewHeldForm,
        transition="record_held",
        heading="Record that the interview was held",
        button="Save",
        apply_service=lambda interview, data: services.interview_record_held(
            interview=interview, actor=request.user, held_on=data["held_on"]
        ),
    )


@author_page
def imr_interview_summary(request: HttpRequest, imr: IMR, interview_pk: int) -> HttpResponse:
    return _interview_step(
        request,
        imr,
        interview_pk,
        form_class=InterviewSummaryForm,
        transition="send_summary",
        heading="Send the summary for signature",
        button="Save and record as sent",
        apply_service=lambda interview, data: services.interview_send_summary(
            interview=interview, actor=request.user, summary=data["summary"], sent_on=data["sent_on"]
        ),
    )


@author_page
def imr_interview_outcome(request: HttpRequest, imr: IMR, interview_pk: int) -> HttpResponse:
    return _interview_step(
        request,
        imr,
        interview_pk,
        form_class=InterviewOutcomeForm,
        transition="record_signed",
        heading="Record the interviewee's answer",
        button="Save",
        apply_service=lambda interview, data: services.interview_record_outcome(
            interview=interview,
            actor=request.user,
            signed=data["outcome"] == "signed",
            on=data["on"],
            disagreement=data.get("disagreement", ""),
        ),
    )
