"""Interviews with the practitioners (the author and the agency only: hidden from the panel)."""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django_fsm import can_proceed

from scr_portal.forms import posted_data

from ... import services
from ...forms import (
    InterviewForm,
    InterviewHeldForm,
    InterviewOutcomeForm,
    InterviewSummaryForm,
    InterviewWithdrawForm,
)
from ...models import IMR, Interview
from ...parts import INTERVIEWS
from ...permissions import IMRAccess
from .._common import author_page, form_page, shown_page
from .._common import editable as _editable
from .page import INTERVIEW_TAGS, _url

# --- Interviews: the author and the agency only (domain brief §2.3) ----------------------------------


interviews_page = author_page(INTERVIEWS)


@shown_page("view_interviews")
def imr_interviews(request: HttpRequest, imr: IMR, access: IMRAccess) -> HttpResponse:
    return render(
        request,
        "imr/interviews.html",
        {
            "imr": imr,
            "interviews": [(each, INTERVIEW_TAGS[each.state]) for each in imr.interviews.all()],
            "editable": _editable(imr, access, INTERVIEWS),
        },
    )


def _interview(imr: IMR, interview_pk: int) -> Interview:
    return get_object_or_404(Interview, pk=interview_pk, imr=imr)


@interviews_page
def imr_interview_add(request: HttpRequest, imr: IMR) -> HttpResponse:
    form = InterviewForm(posted_data(request), initial={"invited_on": timezone.localdate()})

    def apply(data):
        interview = services.interview_invite(imr=imr, actor=request.user, **data)
        messages.success(request, f"The invitation to {interview.interviewee_name} has been recorded.")
        return redirect("imr_interview_detail", imr.pk, interview.pk)

    return form_page(
        request,
        imr,
        form,
        apply,
        heading="Invite someone to an interview",
        button="Record the invitation",
        intro="Give at least 2 weeks' notice, offer a supporter, and arrange access to the case files during "
        "the notice period (Solihull §11.1.3–11.1.4). Staff who ask to be interviewed must be offered an "
        "interview.",
        back_url=_url("imr_interviews", imr),
    )


@shown_page("view_interviews")
def imr_interview_detail(
    request: HttpRequest, imr: IMR, access: IMRAccess, interview_pk: int
) -> HttpResponse:
    interview = _interview(imr, interview_pk)
    editable = _editable(imr, access, INTERVIEWS)
    steps = [
        (step.heading, reverse(f"imr_interview_{name}", args=[imr.pk, interview.pk]))
        for name, step in INTERVIEW_STEPS.items()
        if editable and can_proceed(getattr(interview, step.transition))
    ]
    return render(
        request,
        "imr/interview_detail.html",
        {
            "imr": imr,
            "interview": interview,
            "tag": INTERVIEW_TAGS[interview.state],
            "steps": steps,
        },
    )


@dataclass(frozen=True)
class InterviewStep:
    transition: str
    heading: str
    button: str
    form_class: type
    service: Callable  # called with interview=, actor= and what `arguments` makes of the cleaned data
    arguments: Callable[[dict], dict]


# The steps after the invitation (Solihull §11.1.6, App 8), in order: each has its page and its link on the
# interview's page while its transition can run.
INTERVIEW_STEPS = {
    "held": InterviewStep(
        "record_held",
        "Record that the interview was held",
        "Save",
        InterviewHeldForm,
        services.interview_record_held,
        lambda data: {"held_on": data["held_on"]},
    ),
    "summary": InterviewStep(
        "send_summary",
        "Send the summary for signature",
        "Save and record as sent",
        InterviewSummaryForm,
        services.interview_send_summary,
        lambda data: {"summary": data["summary"], "sent_on": data["sent_on"]},
    ),
    "outcome": InterviewStep(
        "record_signed",
        "Record the interviewee's answer",
        "Save",
        InterviewOutcomeForm,
        services.interview_record_outcome,
        lambda data: {
            "signed": data["outcome"] == "signed",
            "on": data["on"],
            "disagreement": data.get("disagreement", ""),
        },
    ),
    "withdraw": InterviewStep(
        "cancel",
        "Record that the interview was cancelled or declined",
        "Save",
        InterviewWithdrawForm,
        services.interview_withdraw,
        lambda data: {"declined": data["outcome"] == "declined", "on": data["on"], "reason": data["reason"]},
    ),
}


@interviews_page
def imr_interview_step(request: HttpRequest, imr: IMR, interview_pk: int, step: str) -> HttpResponse:
    """One of INTERVIEW_STEPS; the URL names each (imr_interview_held, …)."""
    step = INTERVIEW_STEPS[step]
    interview = _interview(imr, interview_pk)
    detail = reverse("imr_interview_detail", args=[imr.pk, interview.pk])
    if request.method == "GET" and not can_proceed(getattr(interview, step.transition)):
        messages.error(request, services.CANNOT_NOW)
        return redirect(detail)

    def apply(data):
        step.service(interview=interview, actor=request.user, **step.arguments(data))
        messages.success(request, "The interview record has been updated.")
        return redirect(detail)

    form = step.form_class(posted_data(request))
    return form_page(request, imr, form, apply, heading=step.heading, button=step.button, back_url=detail)
