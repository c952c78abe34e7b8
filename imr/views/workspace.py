"""The IMR page and the author's workspace: the standard-format sections, the report and appendices, the
genogram, the interviews (author and agency only) and the single-agency action plan."""

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods
from django_fsm import can_proceed

from reviews.selectors import approved_tor
from scr_portal.forms import posted_data
from scr_portal.models import StoredFile
from scr_portal.uploads import download_response

from .. import services
from ..forms import (
    AppendixForm,
    GenogramPersonForm,
    GenogramRelationshipForm,
    InterviewForm,
    InterviewHeldForm,
    InterviewOutcomeForm,
    InterviewSummaryForm,
    PlanActionForm,
    PlanRecommendationForm,
    ReportUploadForm,
    SectionForm,
)
from ..models import (
    AUTHOR_WRITES_STATES,
    IMR,
    ActionPlanAction,
    ActionPlanRecommendation,
    GenogramPerson,
    GenogramRelationship,
    IMRState,
    Interview,
    InterviewState,
)
from ..permissions import IMRAccess, get_imr_for_user
from ..sections import SECTION_BY_SLUG, SECTIONS
from ..selectors import (
    APPENDIX_KIND,
    REPORT_KIND,
    current_sign_off,
    genogram,
    imr_history,
    imr_rows,
    recommendations_without_actions,
    report_versions,
)
from ._common import confirm_removal, explains_refusal, form_page, not_now, posted_files

INTERVIEW_TAGS = {
    InterviewState.INVITED: "govuk-tag--blue",
    InterviewState.HELD: "govuk-tag--light-blue",
    InterviewState.SUMMARY_SENT: "govuk-tag--yellow",
    InterviewState.SIGNED: "govuk-tag--green",
    InterviewState.DISAGREEMENT_NOTED: "govuk-tag--orange",
}


def _url(name: str, imr: IMR, *args) -> str:
    return reverse(name, args=[imr.pk, *args])


def _actions(imr: IMR, access: IMRAccess) -> list[dict]:
    """The buttons of the IMR page: what this user may do now."""
    offer = []

    def add(label, url, warning=False):
        offer.append({"label": label, "url": url, "warning": warning})

    state = imr.state
    if state == IMRState.REQUESTED and access.may("nominate"):
        add("Name the author", _url("imr_nominate", imr))
        add("Record a nil return", _url("imr_nil_return", imr), warning=True)
    if access.may("write"):
        if state == IMRState.AUTHOR_NOMINATED:
            add("Start preparing the IMR", _url("imr_start", imr))
        if state == IMRState.RETURNED_FOR_REWORK:
            add("Start the rework", _url("imr_start", imr))
        if state == IMRState.IN_PREPARATION:
            add("Send for factual check", _url("imr_confirm", imr, "factual-check"))
    if state == IMRState.FACTUAL_CHECK and access.may("agency_qa"):
        add("Send for the agency's quality assurance", _url("imr_confirm", imr, "agency-qa"))
    if state == IMRState.AGENCY_QA and access.may("sign_off"):
        add("Sign off the IMR", _url("imr_sign_off", imr))
    if state == IMRState.SIGNED_OFF and access.may("submit"):
        add("Submit the IMR to the panel", _url("imr_confirm", imr, "submit"))
    if state == IMRState.SUBMITTED and access.may("quality_assure"):
        add("Quality-assure the IMR", _url("imr_quality_assurance", imr))
    if state == IMRState.ACCEPTED and access.may("present"):
        add("Record the presentation", _url("imr_confirm", imr, "present"))
    if state == IMRState.PRESENTED:
        if access.may("request_information"):
            add("Ask for further information", _url("imr_request_information", imr))
        if access.may("finalise"):
            add("Mark the IMR as final", _url("imr_confirm", imr, "final"))
    if state == IMRState.FURTHER_INFO_REQUESTED and access.may("provide_information"):
        add("Send the further information", _url("imr_provide_information", imr))
    return offer


def _editable(imr: IMR, access: IMRAccess) -> bool:
    return access.may("write") and imr.state in AUTHOR_WRITES_STATES


@explains_refusal
@require_GET
def imr_detail(request: HttpRequest, pk: int) -> HttpResponse:
    imr, access = get_imr_for_user(request.user, pk)
    row = imr_rows([imr], today=timezone.localdate())[0]
    recommendations = list(imr.plan_recommendations.prefetch_related("actions"))
    return render(
        request,
        "imr/detail.html",
        {
            "imr": imr,
            "row": row,
            "access": access,
            "actions": _actions(imr, access),
            "editable": _editable(imr, access),
            "tor": approved_tor(imr.review),
            "declaration": imr.declarations.first(),
            "sections": [
                (section, [(item, getattr(imr, item.name)) for item in section.fields])
                for section in SECTIONS
            ],
            "report_versions": list(report_versions(imr).select_related("uploaded_by")),
            "appendices": list(imr.appendices.select_related("file")),
            "chronology_count": imr.chronology.count(),
            "people_count": imr.genogram_people.count(),
            "interviews": list(imr.interviews.all()) if access.sees_interviews else None,
            "interview_tags": INTERVIEW_TAGS,
            "recommendations": recommendations,
            "missing_actions": recommendations_without_actions(imr),
            "sign_off": current_sign_off(imr),
            "quality_assurances": list(imr.quality_assurances.select_related("decided_by")),
            "information_requests": list(imr.information_requests.select_related("requested_by")),
            "history": imr_history(imr),
        },
    )


# --- Sections and files -------------------------------------------------------------------------------


@explains_refusal
@require_http_methods(["GET", "POST"])
def imr_section(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    section = SECTION_BY_SLUG.get(slug)
    if section is None:
        raise Http404("No such section.")
    imr, access = get_imr_for_user(request.user, pk, "write")
    if not _editable(imr, access):
        return not_now(request, imr, services.NOT_EDITABLE)
    form = SectionForm(posted_data(request), section=section, imr=imr)

    def apply(data):
        services.imr_update_section(imr=imr, actor=request.user, **data)
        messages.success(request, f"{section.title} has been saved.")
        return redirect(f"{_url('imr_detail', imr)}#section-{section.slug}")

    return form_page(request, imr=imr, form=form, apply=apply, heading=section.title, intro=section.intro)


@explains_refusal
@require_http_methods(["GET", "POST"])
def imr_report_upload(request: HttpRequest, pk: int) -> HttpResponse:
    imr, access = get_imr_for_user(request.user, pk, "write")
    if not _editable(imr, access):
        return not_now(request, imr, services.NOT_EDITABLE)
    form = ReportUploadForm(posted_data(request), posted_files(request))

    def apply(data):
        stored = services.imr_report_upload(imr=imr, actor=request.user, upload=data.get("file"))
        messages.success(request, f"Version {stored.version} of the IMR report has been uploaded.")

    return form_page(
        request,
        imr=imr,
        form=form,
        apply=apply,
        heading="Upload the IMR report",
        button="Upload",
        multipart=True,
    )


@explains_refusal
@require_http_methods(["GET", "POST"])
def imr_appendix_add(request: HttpRequest, pk: int) -> HttpResponse:
    imr, access = get_imr_for_user(request.user, pk, "write")
    if not _editable(imr, access):
        return not_now(request, imr, services.NOT_EDITABLE)
    form = AppendixForm(posted_data(request), posted_files(request))

    def apply(data):
        appendix = services.imr_appendix_add(
            imr=imr, actor=request.user, title=data["title"], upload=data.get("file")
        )
        messages.success(request, f"The appendix “{appendix.title}” has been added.")

    return form_page(
        request,
        imr=imr,
        form=form,
        apply=apply,
        heading="Add an appendix",
        button="Add the appendix",
        multipart=True,
        intro="For example conference minutes, criminal antecedents, growth charts, the agency's procedures, "
        "a legal appendix or the glossary of anonymised names (Solihull App 6; App 14 §3.2, §4.6).",
    )


@explains_refusal
@require_GET
def imr_file_download(request: HttpRequest, pk: int, file_pk: int) -> HttpResponse:
    """The report's versions and the appendices, as attachments, to those who may see the IMR."""
    imr, _ = get_imr_for_user(request.user, pk)
    stored = StoredFile.objects.filter(
        pk=file_pk,
        content_type=ContentType.objects.get_for_model(IMR),
        object_id=imr.pk,
        kind__in=(REPORT_KIND, APPENDIX_KIND),
    ).first()
    if stored is None:
        raise Http404("No such file.")
    return download_response(stored)


# --- Genogram (Solihull App 15) -----------------------------------------------------------------------


@explains_refusal
@require_GET
def imr_genogram(request: HttpRequest, pk: int) -> HttpResponse:
    imr, access = get_imr_for_user(request.user, pk)
    people, lines = genogram(imr)
    return render(
        request,
        "imr/genogram.html",
        {"imr": imr, "people": people, "lines": lines, "editable": _editable(imr, access)},
    )


def _genogram_url(imr: IMR) -> str:
    return _url("imr_genogram", imr)


@explains_refusal
@require_http_methods(["GET", "POST"])
def imr_genogram_person(request: HttpRequest, pk: int, person_pk: int | None = None) -> HttpResponse:
    imr, access = get_imr_for_user(request.user, pk, "write")
    if not _editable(imr, access):
        return not_now(request, imr, services.NOT_EDITABLE)
    person = get_object_or_404(GenogramPerson, pk=person_pk, imr=imr) if person_pk else None
    form = GenogramPersonForm(posted_data(request), person=person)

    def apply(data):
        saved = services.genogram_person_save(imr=imr, actor=request.user, person=person, **data)
        messages.success(request, f"{saved.label} has been saved on the genogram.")
        return redirect(_genogram_url(imr))

    return form_page(
        request,
        imr=imr,
        form=form,
        apply=apply,
        heading=f"Change {person.label}" if person else "Add a person to the genogram",
        remove_url=_url("imr_genogram_person_delete", imr, person.pk) if person else "",
        remove_label=f"Remove {person.label} from the genogram" if person else "",
        back_url=_genogram_url(imr),
    )


@explains_refusal
@require_http_methods(["GET", "POST"])
def imr_genogram_person_delete(request: HttpRequest, pk: int, person_pk: int) -> HttpResponse:
    imr, access = get_imr_for_user(request.user, pk, "write")
    if not _editable(imr, access):
        return not_now(request, imr, services.NOT_EDITABLE)
    person = get_object_or_404(GenogramPerson, pk=person_pk, imr=imr)
    return confirm_removal(
        request,
        imr=imr,
        remove=lambda: services.genogram_person_delete(imr=imr, actor=request.user, person=person),
        done=f"{person.label} has been removed from the genogram.",
        heading=f"Remove {person.label} from the genogram?",
        warning="Their relationship lines are removed too.",
        back_url=_genogram_url(imr),
    )


@explains_refusal
@require_http_methods(["GET", "POST"])
def imr_genogram_relationship(request: HttpRequest, pk: int) -> HttpResponse:
    imr, access = get_imr_for_user(request.user, pk, "write")
    if not _editable(imr, access):
        return not_now(request, imr, services.NOT_EDITABLE)
    form = GenogramRelationshipForm(posted_data(request), imr=imr)

    def apply(data):
        services.genogram_relationship_add(imr=imr, actor=request.user, **data)
        messages.success(request, "The relationship has been added to the genogram.")
        return redirect(_genogram_url(imr))

    return form_page(
        request,
        imr=imr,
        form=form,
        apply=apply,
        heading="Add a relationship",
        button="Add the relationship",
        back_url=_genogram_url(imr),
    )


@explains_refusal
@require_http_methods(["GET", "POST"])
def imr_genogram_relationship_delete(request: HttpRequest, pk: int, line_pk: int) -> HttpResponse:
    imr, access = get_imr_for_user(request.user, pk, "write")
    if not _editable(imr, access):
        return not_now(request, imr, services.NOT_EDITABLE)
    line = get_object_or_404(
        GenogramRelationship.objects.select_related("person_a", "person_b"), pk=line_pk, imr=imr
    )
    return confirm_removal(
        request,
        imr=imr,
        remove=lambda: services.genogram_relationship_delete(imr=imr, actor=request.user, line=line),
        done="The relationship has been removed from the genogram.",
        heading=f"Remove the line between {line.person_a} and {line.person_b}?",
        back_url=_genogram_url(imr),
    )


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
            "interviews": list(imr.interviews.all()),
            "tags": INTERVIEW_TAGS,
            "editable": _editable(imr, access),
        },
    )


def _interview(imr: IMR, interview_pk: int) -> Interview:
    return get_object_or_404(Interview, pk=interview_pk, imr=imr)


@explains_refusal
@require_http_methods(["GET", "POST"])
def imr_interview_add(request: HttpRequest, pk: int) -> HttpResponse:
    imr, access = get_imr_for_user(request.user, pk, "write")
    if not _editable(imr, access):
        return not_now(request, imr, services.NOT_EDITABLE)
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


def _interview_step(request, pk, interview_pk, *, form_class, transition, heading, button, apply_service):
    imr, access = get_imr_for_user(request.user, pk, "write")
    if not _editable(imr, access):
        return not_now(request, imr, services.NOT_EDITABLE)
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


@explains_refusal
@require_http_methods(["GET", "POST"])
def imr_interview_held(request: HttpRequest, pk: int, interview_pk: int) -> HttpResponse:
    return _interview_step(
        request,
        pk,
        interview_pk,
        form_class=InterviewHeldForm,
        transition="record_held",
        heading="Record that the interview was held",
        button="Save",
        apply_service=lambda interview, data: services.interview_record_held(
            interview=interview, actor=request.user, held_on=data["held_on"]
        ),
    )


@explains_refusal
@require_http_methods(["GET", "POST"])
def imr_interview_summary(request: HttpRequest, pk: int, interview_pk: int) -> HttpResponse:
    return _interview_step(
        request,
        pk,
        interview_pk,
        form_class=InterviewSummaryForm,
        transition="send_summary",
        heading="Send the summary for signature",
        button="Save and record as sent",
        apply_service=lambda interview, data: services.interview_send_summary(
            interview=interview, actor=request.user, summary=data["summary"], sent_on=data["sent_on"]
        ),
    )


@explains_refusal
@require_http_methods(["GET", "POST"])
def imr_interview_outcome(request: HttpRequest, pk: int, interview_pk: int) -> HttpResponse:
    return _interview_step(
        request,
        pk,
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


# --- Action plan (Solihull App 13) --------------------------------------------------------------------


@explains_refusal
@require_GET
def imr_action_plan(request: HttpRequest, pk: int) -> HttpResponse:
    imr, access = get_imr_for_user(request.user, pk)
    return render(
        request,
        "imr/action_plan.html",
        {
            "imr": imr,
            "recommendations": list(imr.plan_recommendations.prefetch_related("actions")),
            "missing_actions": recommendations_without_actions(imr),
            "editable": _editable(imr, access),
        },
    )


def _plan_url(imr: IMR) -> str:
    return _url("imr_action_plan", imr)


@explains_refusal
@require_http_methods(["GET", "POST"])
def imr_plan_recommendation(request: HttpRequest, pk: int, rec_pk: int | None = None) -> HttpResponse:
    imr, access = get_imr_for_user(request.user, pk, "write")
    if not _editable(imr, access):
        return not_now(request, imr, services.NOT_EDITABLE)
    recommendation = get_object_or_404(ActionPlanRecommendation, pk=rec_pk, imr=imr) if rec_pk else None
    initial = (
        {name: getattr(recommendation, name) for name in ("outcome", "recommendation", "audit_information")}
        if recommendation
        else None
    )
    form = PlanRecommendationForm(posted_data(request), initial=initial)

    def apply(data):
        saved = services.plan_recommendation_save(imr=imr, actor=request.user, item=recommendation, **data)
        messages.success(request, f"Recommendation {saved.number} has been saved.")
        return redirect(f"{_plan_url(imr)}#recommendation-{saved.number}")

    return form_page(
        request,
        imr=imr,
        form=form,
        apply=apply,
        heading=f"Change recommendation {recommendation.number}"
        if recommendation
        else "Add a recommendation",
        remove_url=_url("imr_plan_recommendation_delete", imr, recommendation.pk) if recommendation else "",
        remove_label=f"Remove recommendation {recommendation.number}" if recommendation else "",
        back_url=_plan_url(imr),
    )


@explains_refusal
@require_http_methods(["GET", "POST"])
def imr_plan_recommendation_delete(request: HttpRequest, pk: int, rec_pk: int) -> HttpResponse:
    imr, access = get_imr_for_user(request.user, pk, "write")
    if not _editable(imr, access):
        return not_now(request, imr, services.NOT_EDITABLE)
    recommendation = get_object_or_404(ActionPlanRecommendation, pk=rec_pk, imr=imr)
    return confirm_removal(
        request,
        imr=imr,
        remove=lambda: services.plan_recommendation_delete(
            imr=imr, actor=request.user, recommendation=recommendation
        ),
        done=f"Recommendation {recommendation.number} has been removed.",
        heading=f"Remove recommendation {recommendation.number}?",
        warning="Its actions are removed too.",
        back_url=_plan_url(imr),
    )


@explains_refusal
@require_http_methods(["GET", "POST"])
def imr_plan_action(request: HttpRequest, pk: int, rec_pk: int, action_pk: int | None = None) -> HttpResponse:
    imr, access = get_imr_for_user(request.user, pk, "write")
    if not _editable(imr, access):
        return not_now(request, imr, services.NOT_EDITABLE)
    recommendation = get_object_or_404(ActionPlanRecommendation, pk=rec_pk, imr=imr)
    action = (
        get_object_or_404(ActionPlanAction, pk=action_pk, recommendation=recommendation)
        if action_pk
        else None
    )
    initial = (
        {name: getattr(action, name) for name in ("action", "by_whom", "by_when", "ongoing", "actions_taken")}
        if action
        else None
    )
    form = PlanActionForm(posted_data(request), initial=initial)

    def apply(data):
        saved = services.plan_action_save(
            imr=imr, actor=request.user, recommendation=recommendation, item=action, **data
        )
        messages.success(request, f"Action {recommendation.number}.{saved.number} has been saved.")
        return redirect(f"{_plan_url(imr)}#recommendation-{recommendation.number}")

    return form_page(
        request,
        imr=imr,
        form=form,
        apply=apply,
        heading=f"Change action {recommendation.number}.{action.number}"
        if action
        else f"Add an action to recommendation {recommendation.number}",
        intro=recommendation.recommendation,
        back_url=_plan_url(imr),
        remove_url=_url("imr_plan_action_delete", imr, recommendation.pk, action.pk) if action else "",
        remove_label=f"Remove action {recommendation.number}.{action.number}" if action else "",
    )


@explains_refusal
@require_http_methods(["GET", "POST"])
def imr_plan_action_delete(request: HttpRequest, pk: int, rec_pk: int, action_pk: int) -> HttpResponse:
    imr, access = get_imr_for_user(request.user, pk, "write")
    if not _editable(imr, access):
        return not_now(request, imr, services.NOT_EDITABLE)
    action = get_object_or_404(
        ActionPlanAction.objects.select_related("recommendation"),
        pk=action_pk,
        recommendation_id=rec_pk,
        recommendation__imr=imr,
    )
    return confirm_removal(
        request,
        imr=imr,
        remove=lambda: services.plan_action_delete(imr=imr, actor=request.user, action=action),
        done=f"Action {action.recommendation.number}.{action.number} has been removed.",
        heading=f"Remove action {action.recommendation.number}.{action.number}?",
        back_url=_plan_url(imr),
    )
