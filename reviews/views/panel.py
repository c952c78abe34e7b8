"""The panel (appointments with their conflict declarations, removals) and the terms of reference
(versions, consultation, comments, the panel's agreement, the LSCB Chair's approval)."""

import functools

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from scr_portal.forms import initial_from_query, posted_data
from scr_portal.reauth import sign_in_again, signed_in_within

from .. import independence, services
from ..forms.panel import AppointForm
from ..forms.review import CommentForm, NoteForm, ReasonForm
from ..forms.tor import ConsultForm, ResponseForm, ToRForm
from ..guards import tor_approval_problems
from ..models import WORKING_TOR_STATES, PanelMembership, PanelRole, ToRConsultation, ToRState, ToRVersion
from ..services.tor import TOR_FIELDS, consultable_agencies
from .common import form_page, review_view


@review_view(in_full=True, methods=("GET",))
def review_panel(request: HttpRequest, review, access) -> HttpResponse:
    members = list(
        PanelMembership.objects.filter(review=review)
        .select_related(
            "user", "declaration__declarant", "declaration__approver", "override_by", "appointed_by"
        )
        .order_by("removed_at", "pk")
    )
    return render(
        request,
        "reviews/panel.html",
        {
            "review": review,
            "active": [m for m in members if m.is_active],
            "removed": [m for m in members if not m.is_active],
            "questions": independence.QUESTIONS,
            "rules": independence.RULES_BY_CODE,
            "may_appoint": access.may("appoint"),
        },
    )


@review_view("appoint")
def review_appoint(request: HttpRequest, review, access) -> HttpResponse:
    """Appoint a panel member; the panel chair and overview author are checked against the independence
    rules (domain brief §2.2)."""
    initial = initial_from_query(request, ("email", "organisation", "role"))
    if initial.get("role") not in PanelRole.values:
        initial.pop("role", None)
    form = AppointForm(posted_data(request), initial=initial)

    def apply(data):
        membership = services.panel_appoint(review=review, actor=request.user, **form.service_arguments())
        return f"{membership.user.full_name} has been appointed {membership.get_role_display().lower()}."

    return form_page(
        request,
        review=review,
        form=form,
        apply=apply,
        heading="Appoint a panel member",
        button="Appoint",
        fields_template="reviews/_appoint_fields.html",
        rules=independence.RULES,
        may_override=access.may("override"),
        back=(reverse("review_panel", args=[review.pk]), "Back to the panel"),
    )


@review_view("appoint")
def review_remove_member(request: HttpRequest, review, access, member_pk: int) -> HttpResponse:
    membership = get_object_or_404(
        PanelMembership.objects.select_related("user"), pk=member_pk, review=review, removed_at__isnull=True
    )
    form = ReasonForm(
        posted_data(request),
        label="Why are they leaving the panel?",
        message="Give the reason for removing this person from the panel",
    )

    def apply(data):
        services.panel_remove(membership=membership, actor=request.user, reason=data["reason"])
        return (
            f"{membership.user.full_name} has been removed from the panel and can no longer see the review."
        )

    return form_page(
        request,
        review=review,
        form=form,
        apply=apply,
        heading=f"Remove {membership.user.full_name} from the panel",
        button="Remove from the panel",
        warning_button=True,
        back=(reverse("review_panel", args=[review.pk]), "Back to the panel"),
    )


# --- Terms of reference -------------------------------------------------------------------------------


def _version_or_404(review, number: int | None, access) -> ToRVersion | None:
    versions = ToRVersion.objects.filter(review=review).select_related(
        "created_by", "approved_by", "agreed_by"
    )
    if not access.sees_all:  # an IMR author: the approved version only
        versions = versions.filter(state=ToRState.APPROVED)
    if number is None:
        return versions.filter(state__in=[*WORKING_TOR_STATES, ToRState.APPROVED]).order_by("-number").first()
    version = versions.filter(number=number).first()
    if version is None:
        raise Http404("No such version.")
    return version


@review_view(methods=("GET",))
def review_tor(request: HttpRequest, review, access, number: int | None = None) -> HttpResponse:
    """One version of the terms of reference as a document, dated in its footer and marked DRAFT until
    approved; for the panel and staff, every version, the comments, the consultation and the actions."""
    version = _version_or_404(review, number, access)
    if version is None and not access.sees_all:
        raise Http404("No approved terms of reference yet.")
    context = {"review": review, "version": version, "access": access, "fields": []}
    if version is not None:
        labels = {name: ToRForm.base_fields[name].label for name in TOR_FIELDS}
        context["fields"] = [
            (labels[name], getattr(version, name))
            for name in TOR_FIELDS
            if name not in ("period_from", "period_to")
        ]
    if access.sees_all:
        context.update(
            versions=list(ToRVersion.objects.filter(review=review).order_by("-number")),
            comments=list(version.comments.select_related("author")) if version else [],
            consultations=list(version.consultations.select_related("agency")) if version else [],
            comment_form=CommentForm(),
            may_comment=access.may("comment")
            and version is not None
            and version.state != ToRState.SUPERSEDED,
            may_draft=access.may("draft_tor") and review.is_open,
            may_consult=access.may("run") and version is not None and version.state == ToRState.DRAFT,
            may_agree=access.may("agree_tor")
            and version is not None
            and version.state in (ToRState.DRAFT, ToRState.IN_CONSULTATION),
            may_approve=access.may("approve_tor")
            and version is not None
            and version.state == ToRState.PANEL_AGREED,
            may_record=access.may("run"),
        )
    return render(request, "reviews/tor.html", context)


@review_view("draft_tor")
def review_tor_new(request: HttpRequest, review, access) -> HttpResponse:
    latest = ToRVersion.objects.filter(review=review).order_by("-number").first()
    initial = {name: getattr(latest, name) for name in TOR_FIELDS} if latest else {}
    if not latest and review.methodology:
        initial["methodology"] = review.get_methodology_display()
    form = ToRForm(posted_data(request), initial=initial)

    def apply(data):
        version = services.tor_save_version(review=review, actor=request.user, **data)
        return (
            f"Version {version.number} of the terms of reference has been saved, "
            f"dated {version.dated:%-d %B %Y}."
        )

    return form_page(
        request,
        review=review,
        form=form,
        apply=apply,
        heading="New version of the terms of reference",
        button="Save as a new version",
        intro=[
            "Saving makes a new dated version. An approved version stays current until a new one is approved."
        ],
        back=(reverse("review_tor", args=[review.pk]), "Back to the terms of reference"),
    )


def tor_page(action: str, methods=("GET", "POST")):
    """A decorator for a page that acts on one version of the terms of reference: the view gets the review
    and the version instead of their pk and number."""

    def decorate(view):
        @review_view(action, methods=methods)
        @functools.wraps(view)
        def page(request, review, access, number: int, **kwargs):
            version = get_object_or_404(
                ToRVersion.objects.select_related("review__board"), review=review, number=number
            )
            return view(request, review, version, **kwargs)

        return page

    return decorate


def _back_to_version(version: ToRVersion) -> tuple[str, str]:
    return reverse(
        "review_tor_version", args=[version.review_id, version.number]
    ), "Back to the terms of reference"


def _version_form(request, review, version: ToRVersion, form, apply, heading: str, button: str, **context):
    """The form page of an action on one version, which goes back to that version."""
    back = _back_to_version(version)
    return form_page(request, review, form, apply, heading=heading, button=button, back=back, **context)


@tor_page("run")
def review_tor_consult(request: HttpRequest, review, version) -> HttpResponse:
    form = ConsultForm(posted_data(request), agencies=consultable_agencies(review))

    def apply(data):
        services.tor_send_for_consultation(version=version, actor=request.user, agencies=data["agencies"])
        return f"Version {version.number} has been sent to {len(data['agencies'])} agencies for their views."

    heading = f"Consult agencies on version {version.number}"
    return _version_form(request, review, version, form, apply, heading, "Send for consultation")


@tor_page("run")
def review_tor_response(request: HttpRequest, review, version, consultation_pk: int) -> HttpResponse:
    consultation = get_object_or_404(
        ToRConsultation.objects.select_related("agency"), pk=consultation_pk, version=version
    )
    form = ResponseForm(posted_data(request))

    def apply(data):
        services.tor_record_response(consultation=consultation, actor=request.user, **data)
        return f"The response of {consultation.agency.name} has been recorded."

    heading = f"Response of {consultation.agency.name}"
    return _version_form(request, review, version, form, apply, heading, "Save the response")


@tor_page("comment", methods=("POST",))
def review_tor_comment(request: HttpRequest, review, version) -> HttpResponse:
    form = CommentForm(request.POST)
    target, _ = _back_to_version(version)
    if form.is_valid():
        try:
            services.tor_comment(version=version, actor=request.user, text=form.cleaned_data["text"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Your comment has been added.")
    else:
        messages.error(request, "Enter your comment")
    return redirect(f"{target}#comments")


@tor_page("agree_tor")
def review_tor_agree(request: HttpRequest, review, version) -> HttpResponse:
    def apply(data):
        services.tor_panel_agree(version=version, actor=request.user)
        return (
            f"The panel's agreement to version {version.number} has been recorded. "
            "It now goes to the LSCB Chair."
        )

    heading = f"Record the panel's agreement to version {version.number}"
    return _version_form(
        request, review, version, NoteForm(posted_data(request)), apply, heading, "Record the agreement"
    )


@tor_page("approve_tor")
def review_tor_approve(request: HttpRequest, review, version) -> HttpResponse:
    """The LSCB Chair approves: the version is frozen and becomes the one IMR authors see."""
    if not signed_in_within(request):
        return sign_in_again(request)

    def apply(data):
        services.tor_approve(version=version, actor=request.user)
        return f"Version {version.number} of the terms of reference is approved. IMR authors now see it."

    return _version_form(
        request,
        review,
        version,
        NoteForm(posted_data(request)),
        apply,
        f"Approve version {version.number} of the terms of reference",
        "Approve",
        intro=["Approval freezes this version: any later change is a new version that needs approval again."],
        problems=tor_approval_problems(review) if request.method == "GET" else [],
    )
