"""Meetings and attendance, the IMRs' circulation, parallel processes, the family's and victims'
involvement and the prompts to the family's contact."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from scr_portal.forms import posted_data

from .. import services
from ..forms.process import (
    CirculationForm,
    DoneForm,
    FamilyForm,
    MeetingForm,
    MeetingHeldForm,
    ParallelProcessForm,
)
from ..models import FamilyInvolvement, FamilyPrompt, Meeting, MeetingKind, ParallelProcess
from ..services.process import FAMILY_FIELDS
from .common import form_page, long_date, review_view, row_page


@review_view(in_full=True, methods=("GET",))
def review_meetings(request: HttpRequest, review, access) -> HttpResponse:
    meetings = list(
        Meeting.objects.filter(review=review)
        .prefetch_related("attendance__membership__user")
        .order_by("meeting_date")
    )
    return render(
        request,
        "reviews/meetings.html",
        {"review": review, "meetings": meetings, "may_run": access.may("run") and review.is_open},
    )


@review_view("run")
def review_meeting_new(request: HttpRequest, review, access) -> HttpResponse:
    kind = request.GET.get("kind", "")
    form = MeetingForm(posted_data(request), initial={"kind": kind} if kind in MeetingKind.values else None)
    target = reverse("review_meetings", args=[review.pk])

    def apply(data):
        meeting, warnings = services.meeting_schedule(review=review, actor=request.user, **data)
        message = f"The {meeting.get_kind_display().lower()} is set for {long_date(meeting.meeting_date)}."
        if meeting.kind == MeetingKind.PRESENTATION:
            message += " The IMRs must be circulated at least 2 weeks before it."
        return message, warnings

    return form_page(
        request,
        review=review,
        form=form,
        apply=apply,
        heading="Set a meeting",
        button="Save",
        intro=[
            "Setting the presentation meeting again moves it, and the date for circulating the IMRs with it."
        ],
        back=(target, "Back to the meetings"),
    )


@review_view("run")
def review_meeting_held(request: HttpRequest, review, access, meeting_pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting, pk=meeting_pk, review=review)
    members = review.panel.filter(removed_at__isnull=True).select_related("user").order_by("pk")
    form = MeetingHeldForm(posted_data(request), members=members, initial={"held_on": meeting.meeting_date})
    target = reverse("review_meetings", args=[review.pk])

    def apply(data):
        services.meeting_record_held(
            meeting=meeting,
            actor=request.user,
            held_on=data["held_on"],
            attendance=form.attendance(),
            other_attendees=data["other_attendees"],
            notes=data["notes"],
        )
        return (
            f"The {meeting.get_kind_display().lower()} is recorded as held on {long_date(data['held_on'])}."
        )

    return form_page(
        request,
        review=review,
        form=form,
        apply=apply,
        heading=f"Record the {meeting.get_kind_display().lower()} as held",
        button="Save",
        back=(target, "Back to the meetings"),
    )


@review_view("run")
def review_meeting_circulation(request: HttpRequest, review, access, meeting_pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting, pk=meeting_pk, review=review, kind=MeetingKind.PRESENTATION)
    form = CirculationForm(posted_data(request))
    target = reverse("review_meetings", args=[review.pk])

    def apply(data):
        _, warnings = services.meeting_record_circulation(
            meeting=meeting, actor=request.user, circulated_on=data["circulated_on"]
        )
        return f"The IMRs are recorded as circulated on {long_date(data['circulated_on'])}.", warnings

    return form_page(
        request,
        review=review,
        form=form,
        apply=apply,
        heading="Record the IMRs as circulated",
        button="Save",
        intro=[
            "The IMRs go to the panel, the panel chair and the overview author at least 2 weeks before the "
            f"presentation meeting on {long_date(meeting.meeting_date)}."
        ],
        back=(target, "Back to the meetings"),
    )


PROCESS_FIELDS = (
    "kind",
    "description",
    "lead_body",
    "started_on",
    "key_dates",
    "next_key_date",
    "outcome",
    "concluded_on",
    "blocks_publication",
)


@review_view("run")
def review_parallel_process(
    request: HttpRequest, review, access, process_pk: int | None = None
) -> HttpResponse:
    process = get_object_or_404(ParallelProcess, pk=process_pk, review=review) if process_pk else None

    def apply(data):
        saved = services.parallel_process_save(review=review, actor=request.user, process=process, **data)
        return f"The {saved.get_kind_display().lower()} has been recorded."

    return row_page(
        request,
        review,
        process,
        ParallelProcessForm,
        PROCESS_FIELDS,
        apply,
        heading="Change the parallel process" if process else "Add a parallel process",
    )


@review_view("family")
def review_family(request: HttpRequest, review, access, involvement_pk: int | None = None) -> HttpResponse:
    involvement = (
        get_object_or_404(FamilyInvolvement, pk=involvement_pk, review=review) if involvement_pk else None
    )
    initial = {name: getattr(involvement, name) for name in FAMILY_FIELDS} if involvement else None
    if initial and initial["police_consulted"] is not None:
        initial["police_consulted"] = "yes" if initial["police_consulted"] else "no"
    form = FamilyForm(posted_data(request), initial=initial)

    def apply(data):
        saved = services.family_involvement_save(
            review=review, actor=request.user, involvement=involvement, **data
        )
        return f"The involvement of {saved.who} has been recorded: {saved.stage.lower()}."

    return form_page(
        request,
        review=review,
        form=form,
        apply=apply,
        heading="Family or victim involvement",
        button="Save",
        intro=[
            "Decide the method and timing at scoping, with the police where there are criminal proceedings. "
            "Record the reasons if someone could not be involved."
        ],
    )


@review_view("family")
def review_family_prompt(request: HttpRequest, review, access, prompt_pk: int) -> HttpResponse:
    prompt = get_object_or_404(FamilyPrompt, pk=prompt_pk, review=review, done_on__isnull=True)
    form = DoneForm(posted_data(request))

    def apply(data):
        services.family_prompt_done(prompt=prompt, actor=request.user, **data)
        return "Recorded: the family has been told."

    return form_page(
        request,
        review=review,
        form=form,
        apply=apply,
        heading="Record that the family has been told",
        button="Save",
        intro=[prompt.text],
    )
