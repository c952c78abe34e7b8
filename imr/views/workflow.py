"""The IMR's state changes: commissioning, the author's nomination or a nil return, starting work, the
confirmations (factual check, agency quality assurance, submission, presentation, final), sign-off, the
panel's quality assurance and further information."""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods
from django_fsm import can_proceed

from referrals.models import AgencyCheck, AgencyCheckState
from reviews.selectors import approved_tor
from scr_portal.forms import initial_from_query, posted_data
from scr_portal.viewhelpers import long_date

from .. import services
from ..forms import (
    AuthorSignForm,
    CommissionForm,
    ConfirmForm,
    FurtherInformationRequestForm,
    FurtherInformationResponseForm,
    NilReturnForm,
    NominationForm,
    QualityAssuranceForm,
    SignatureForm,
    StartForm,
    reason_form,
)
from ..models import IMR, IMRState
from ..permissions import get_imr_for_user, get_review_imrs_for_user
from ..selectors import current_sign_off, recommendations_without_actions
from ._common import explains_refusal, form_page, not_now, to_imr, transition_page

# What the people page passes on when the business manager gives someone an IMR's authorship.
NAMED_FIELDS = ("email", "full_name")

PRE_SIGN_OFF = (
    IMRState.IN_PREPARATION,
    IMRState.FACTUAL_CHECK,
    IMRState.AGENCY_QA,
    IMRState.AUTHOR_SIGNED,
)


# --- Commissioning ------------------------------------------------------------------------------------


@explains_refusal
@require_http_methods(["GET", "POST"])
def imr_commission(request: HttpRequest, review_pk: int) -> HttpResponse:
    review, _ = get_review_imrs_for_user(request.user, review_pk, "commission")
    tor = approved_tor(review)
    taken = IMR.objects.filter(review=review).values("agency_id")
    agencies = review.board.agencies.exclude(pk__in=taken).order_by("name")
    involved = set()
    if review.referral_id:
        involved = set(
            AgencyCheck.objects.filter(
                referral_id=review.referral_id, state=AgencyCheckState.INVOLVED
            ).values_list("agency_id", flat=True)
        )
    form = CommissionForm(posted_data(request), agencies=agencies, involved=involved)
    if request.method == "POST" and tor is not None and form.is_valid():
        try:
            created = services.imr_commission(review=review, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            count = len(created)
            messages.success(
                request,
                f"{count} IMR{'s have' if count != 1 else ' has'} been commissioned. Each agency names its "
                f"author by {long_date(form.cleaned_data['nominate_by'])}.",
            )
            return redirect("review_imrs", review.pk)
    return render(
        request,
        "imr/commission.html",
        {"review": review, "form": form, "tor": tor, "nothing_left": not agencies.exists()},
    )


# --- The agency's answer ------------------------------------------------------------------------------


NOMINATED = "{name} is the author of this IMR. They have been sent an email to sign in."
REPLACED = "{name} is now the author. The previous author no longer has access."


@transition_page("nominate", "nominate")
def imr_nominate(request: HttpRequest, imr: IMR) -> HttpResponse:
    return _author_page(request, imr, services.imr_nominate_author, "Name the author", NOMINATED)


@transition_page("replace_author", "replace_author")
def imr_replace_author(request: HttpRequest, imr: IMR) -> HttpResponse:
    return _author_page(request, imr, services.imr_replace_author, "Replace the author", REPLACED)


def _author_page(request: HttpRequest, imr: IMR, service, title: str, done: str) -> HttpResponse:
    """Naming the author or replacing them: the people page may pass on who (NAMED_FIELDS); success says
    `done` with the author's {name}."""
    form = NominationForm(posted_data(request), initial=initial_from_query(request, NAMED_FIELDS))

    def apply(data):
        data = {name: value for name, value in data.items() if name != "confirm"}
        named = service(imr=imr, actor=request.user, **data)
        messages.success(request, done.format(name=named.author.full_name))

    return form_page(
        request, imr, form, apply, heading=title, button=title, template="imr/nominate.html", page_title=title
    )


def _service_page(request: HttpRequest, imr: IMR, form, service, done, **page) -> HttpResponse:
    """A transition page whose form's answers go straight to `service`; success says `done`, or
    done(answers) where the message depends on them."""

    def apply(data):
        service(imr=imr, actor=request.user, **data)
        messages.success(request, done(data) if callable(done) else done)

    return form_page(request, imr, form, apply, **page)


def service_view(
    name: str, action: str, transition: str, form_class, service, done, heading, button, intro="", warning=""
):
    """The view (`name`, as its URL is named) of a transition_page made by `_service_page` with a form of
    `form_class`. A `warning` says the step cannot be undone: its button is red."""
    page = {"intro": intro, "warning": warning, "button_class": "govuk-button--warning" if warning else ""}

    def view(request: HttpRequest, imr: IMR) -> HttpResponse:
        form = form_class(posted_data(request))
        return _service_page(request, imr, form, service, done, heading=heading, button=button, **page)

    view.__name__ = view.__qualname__ = name
    return transition_page(action, transition)(view)


imr_nil_return = service_view(
    "imr_nil_return",
    "nil_return",
    "record_nil_return",
    NilReturnForm,
    services.imr_record_nil_return,
    "The nil return has been recorded. The IMR counts as complete.",
    "Record a nil return",
    "Record the nil return",
    warning="A nil return closes this IMR. It cannot be undone.",
)


# --- The author's steps -------------------------------------------------------------------------------


@transition_page("write", "start_preparation")
def imr_start(request: HttpRequest, imr: IMR) -> HttpResponse:
    form = StartForm(posted_data(request), imr=imr)
    rework = imr.state == IMRState.RETURNED_FOR_REWORK

    def apply(data):
        services.imr_start_preparation(
            imr=imr, actor=request.user, records_secured_on=data.get("records_secured_on")
        )
        messages.success(request, "The IMR is in preparation." if not rework else "The rework has started.")

    return form_page(
        request,
        imr,
        form,
        apply,
        heading="Start the rework" if rework else "Start preparing the IMR",
        button="Start the rework" if rework else "Start preparing the IMR",
        intro="Spend the first week on the chronology (Cambridgeshire §8). Give most weight to "
        "contemporaneous records and label retrospective ones (Solihull §10.1.6).",
    )


@dataclass(frozen=True)
class Confirmation:
    action: str
    transition: str
    service: object
    heading: str
    intro: str
    button: str
    done: str


CONFIRMATIONS = {
    "factual-check": Confirmation(
        "write",
        "send_for_factual_check",
        services.imr_send_for_factual_check,
        "Send for factual check",
        "The workers concerned check the facts in the extracts of the IMR that concern them "
        "(Solihull §9.1.9). You can still change the IMR while they do.",
        "Send for factual check",
        "The IMR is at factual check.",
    ),
    "agency-qa": Confirmation(
        "agency_qa",
        "send_for_agency_qa",
        services.imr_send_for_agency_qa,
        "Send for the agency's quality assurance",
        "The facts have been checked. The agency's senior officer quality-assures the IMR and accepts its "
        "findings, then the author and the head of agency sign it off.",
        "Send for quality assurance",
        "The IMR is with the agency for quality assurance.",
    ),
    "submit": Confirmation(
        "submit",
        "submit",
        services.imr_submit,
        "Submit the IMR to the panel",
        "The panel quality-assures the IMR and accepts it or returns it for rework with guidance.",
        "Submit the IMR",
        "The IMR has been submitted to the panel.",
    ),
    "present": Confirmation(
        "present",
        "present",
        services.imr_present,
        "Record the presentation",
        "The author presented the IMR to the panel (Solihull §12).",
        "Record the presentation",
        "The presentation has been recorded.",
    ),
    "final": Confirmation(
        "finalise",
        "finalise",
        services.imr_finalise,
        "Mark the IMR as final",
        "The IMR is final and goes into the full serious case review (Solihull §13.2.2).",
        "Mark as final",
        "The IMR is final.",
    ),
}


@explains_refusal
@require_http_methods(["GET", "POST"])
def imr_confirm(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """The transitions that need only a confirmation. Submitting an IMR that is not signed off is
    refused with the reason (the sources return it automatically)."""
    confirmation = CONFIRMATIONS.get(step)
    if confirmation is None:
        return not_now(request, get_imr_for_user(request.user, pk)[0])
    imr, _ = get_imr_for_user(request.user, pk, confirmation.action)
    transition = getattr(imr, confirmation.transition)
    before_sign_off = step == "submit" and imr.state in PRE_SIGN_OFF
    if request.method == "GET" and not can_proceed(transition) and not before_sign_off:
        return not_now(request, imr)
    form = ConfirmForm(posted_data(request))

    def apply(data):
        confirmation.service(imr=imr, actor=request.user)
        messages.success(request, confirmation.done)

    return form_page(
        request,
        imr,
        form,
        apply,
        heading=confirmation.heading,
        button=confirmation.button,
        intro=confirmation.intro,
        template="imr/confirm.html",
        sign_off=current_sign_off(imr) if step == "submit" else None,
        not_signed_off=before_sign_off,
    )


@transition_page("author_sign", "author_sign")
def imr_author_sign(request: HttpRequest, imr: IMR) -> HttpResponse:
    form = AuthorSignForm(posted_data(request))

    def apply(data):
        services.imr_author_sign(imr=imr, actor=request.user, **data)
        messages.success(
            request, "You have signed the IMR. The head of agency has been asked to sign it off."
        )

    missing = recommendations_without_actions(imr)
    return form_page(
        request,
        imr,
        form,
        apply,
        heading="Sign the IMR as its author",
        button="Sign the IMR",
        intro="Your signature declares that this is your review of the agency's involvement. The head of "
        "agency then signs it off from their own account (Solihull App 14 §4.4, §8.3).",
        warning=f"Recommendation {', '.join(str(n) for n in missing)} of the action plan has no action yet: "
        "add one before sign-off."
        if missing
        else "",
    )


@transition_page("sign_off", "sign_off")
def imr_sign_off(request: HttpRequest, imr: IMR) -> HttpResponse:
    return _service_page(
        request,
        imr,
        SignatureForm(posted_data(request)),
        services.imr_sign_off,
        lambda data: SIGNED_OFF_NEXT[IMR.objects.get(pk=imr.pk).state],
        heading="Sign off the IMR as head of agency",
        button="Sign off the IMR",
        intro=f"Your name and job title are printed under your signature: {request.user.full_name}, "
        f"{request.user.job_title or 'no job title recorded'}. If the IMR needs more work, return it to the "
        "author instead.",
    )


SIGNED_OFF_NEXT = {
    IMRState.SIGNED_OFF: "The IMR has been signed off. It can now be submitted to the panel.",
    IMRState.PRESENTED: "The IMR has been signed off with the further information. The panel has it again.",
}
RETURN_FORM = reason_form("What does the author need to change?", "Say what the author needs to change")
CANCEL_FORM = reason_form(
    "Why is the IMR cancelled?",
    "Give the reason for cancelling the IMR",
    "For example, the agency was asked in error or the review has been stood down.",
)


imr_return_to_author = service_view(
    "imr_return_to_author",
    "return_to_author",
    "return_to_author",
    RETURN_FORM,
    services.imr_return_to_author,
    "The IMR has been returned to its author.",
    "Return the IMR to the author",
    "Return to the author",
    intro="The agency's quality assurance sends the IMR back before the head of agency signs it off. Any "
    "signature already given is set aside: the changed IMR is signed again.",
)


imr_cancel = service_view(
    "imr_cancel",
    "cancel",
    "cancel",
    CANCEL_FORM,
    services.imr_cancel,
    "The IMR has been cancelled.",
    "Cancel the IMR",
    "Cancel the IMR",
    warning="Cancelling ends the IMR and its deadlines. It cannot be undone.",
)


# --- The panel ----------------------------------------------------------------------------------------


@transition_page("quality_assure", "accept")
def imr_quality_assurance(request: HttpRequest, imr: IMR) -> HttpResponse:
    """Panel QA against the checklist (Solihull App 14; Ofsted IMR descriptors, App 12): accept, or
    return with guidance per point and a new date."""
    form = QualityAssuranceForm(posted_data(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["decision"] == "accept":
                services.imr_accept(
                    imr=imr, actor=request.user, points=form.points(), comments=data.get("comments", "")
                )
                messages.success(request, "The IMR has been accepted.")
            else:
                services.imr_return_for_rework(
                    imr=imr,
                    actor=request.user,
                    points=form.points(),
                    comments=data.get("comments", ""),
                    new_due_date=data.get("new_due_date"),
                )
                messages.success(
                    request,
                    "The IMR has been returned for rework with your guidance. It is due by "
                    f"{long_date(data['new_due_date'])} and needs fresh sign-off.",
                )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            return to_imr(imr)
    return render(request, "imr/quality_assurance.html", {"imr": imr, "form": form})


imr_request_information = service_view(
    "imr_request_information",
    "request_information",
    "request_further_information",
    FurtherInformationRequestForm,
    services.imr_request_further_information,
    lambda data: f"The author has been asked for further information by {long_date(data['due_date'])}.",
    "Ask for further information",
    "Send the request",
    intro="Say clearly what is needed and by when (Solihull App 14 §9.5).",
)


@transition_page("provide_information", "provide_further_information")
def imr_provide_information(request: HttpRequest, imr: IMR) -> HttpResponse:
    asked = imr.open_information_request()
    # An addendum the agency's quality assurance returned is the author's starting point.
    initial = {"response": asked.response} if asked else None
    form = FurtherInformationResponseForm(posted_data(request), initial=initial)

    def apply(data):
        services.imr_provide_further_information(imr=imr, actor=request.user, response=data["response"])
        messages.success(
            request,
            "Your addendum has been saved. Sign the IMR again: the head of agency then signs it off and it "
            "goes back to the panel.",
        )
        return redirect("imr_author_sign", imr.pk)

    return form_page(
        request,
        imr,
        form,
        apply,
        heading="Send the further information",
        button="Send and sign the IMR",
        template="imr/provide_information.html",
        asked=asked,
        back_url=reverse("imr_detail", args=[imr.pk]),
    )
