"""The referral's pages after submission: agency checks and their answers, screening, the sub-committee's
recommendation, the LSCB Chair's decision (Part 2), closing without a decision, external notifications,
and the two work lists (requests to answer, decisions awaiting).

Every page fetches and authorises through `referrals.permissions` (404 when the user may not know the
referral exists, 403 when they see it but may not act). GET shows; POST calls exactly one service, puts a
domain error back on the form, and on success redirects with a message (post/redirect/get)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods
from django_fsm import can_proceed

from scr_portal.forms import posted_data
from scr_portal.pagecache import cached_page
from scr_portal.permissions import ANSWER_AGENCY_REQUESTS, DECIDE_REFERRALS, WORK_CASES, user_has_board_perm
from scr_portal.reauth import RECENT_SIGN_IN_SECONDS, sign_in_again, signed_in_within
from scr_portal.viewhelpers import form_page, long_date, refusal_page

from .. import selectors, services
from ..forms.workflow import (
    CheckAnswerForm,
    DecisionForm,
    DuplicateForm,
    NotificationForm,
    RecommendationForm,
    RescindForm,
    ScheduleScreeningForm,
    SendChecksForm,
    TransferForm,
    WithdrawForm,
)
from ..frameworks import side
from ..models import Decision, Referral, ReferralState
from ..permissions import get_check_for_user, get_referral_for_user, user_agency_ids, user_may

ALREADY_DECIDED_NOW = "This referral has already been decided."


explains_refusal = refusal_page("referrals/workflow/forbidden.html")


def _require_board(request):
    if request.board is None:
        raise Http404("You are not a member of any board.")
    return request.board


def _to_referral(referral: Referral) -> HttpResponse:
    return redirect("referral_detail", referral.pk)  # positional: whatever the intake URL names it


def _not_now(request, referral: Referral, message: str = services.CANNOT_NOW) -> HttpResponse:
    """A page opened when its action no longer applies (a stale link, another person was quicker)."""
    messages.error(request, message)
    return _to_referral(referral)


def _action_page(request, *, referral: Referral, form, template: str, apply, context=None) -> HttpResponse:
    """The referral's form page: `apply` (one service call) adds its own success message, and success
    returns to the referral."""
    return form_page(
        request,
        form=form,
        apply=apply,
        done=lambda _: _to_referral(referral),
        template=template,
        context={"referral": referral, **(context or {})},
    )


def _transition_page(
    request, *, referral: Referral, transition: str, form, template: str, apply, context=None
) -> HttpResponse:
    """`_action_page` for a page that runs one transition of the referral: opened when the transition no
    longer applies, it says so and goes back to the referral."""
    if request.method == "GET" and not can_proceed(getattr(referral, transition)):
        return _not_now(request, referral)
    return _action_page(
        request, referral=referral, form=form, template=template, apply=apply, context=context
    )


def _recording(request, referral: Referral, service, message):
    """An `apply` that calls `service` with the form's data and then says `message(data, result)`."""

    def apply(data):
        result = service(referral=referral, actor=request.user, **data)
        messages.success(request, message(data, result))

    return apply


def _form_from_meeting(request, referral: Referral, form_class, field: str):
    """The screening meeting (or None) and the form, its `field` started from the meeting's."""
    meeting = getattr(referral, "screening", None)
    initial = {field: getattr(meeting, field)} if meeting else None
    return meeting, form_class(posted_data(request), referral=referral, initial=initial)


# --- Agency checks ------------------------------------------------------------------------------------


@explains_refusal
@require_http_methods(["GET", "POST"])
def referral_send_checks(request: HttpRequest, pk: int) -> HttpResponse:
    referral = get_referral_for_user(request.user, pk, "send_checks")
    form = SendChecksForm(posted_data(request), referral=referral)

    def apply(data):
        agencies = list(data["agencies"])
        services.referral_send_agency_checks(referral=referral, actor=request.user, agencies=agencies)
        count = len(agencies)
        messages.success(
            request,
            f"{count} agenc{'ies have' if count != 1 else 'y has'} been asked whether they were involved. "
            "Replies are due within 3 working days.",
        )

    return _transition_page(
        request,
        referral=referral,
        transition="send_agency_checks",
        form=form,
        template="referrals/workflow/send_checks.html",
        apply=apply,
    )


@cached_page
@explains_refusal
@require_GET
def check_list(request: HttpRequest) -> HttpResponse:
    """An agency contact's requests to answer; for the business unit, every reply the board is waiting for
    (Solihull §5.1: replies due within 3 working days), late ones first in red."""
    board = _require_board(request)
    if user_has_board_perm(request.user, board, WORK_CASES):
        checks, business_unit = selectors.outstanding_checks(board), True
    elif user_has_board_perm(request.user, board, ANSWER_AGENCY_REQUESTS):
        checks, business_unit = selectors.checks_to_answer(request.user, board), False
    else:
        raise PermissionDenied("Only agency contacts and the business unit have requests to answer.")
    rows = selectors.check_rows(checks, today=timezone.localdate())
    return render(
        request,
        "referrals/workflow/check_list.html",
        {"board": board, "rows": rows, "business_unit": business_unit},
    )


@explains_refusal
@require_http_methods(["GET", "POST"])
def check_answer(request: HttpRequest, pk: int) -> HttpResponse:
    check = get_check_for_user(request.user, pk)
    referral = check.referral
    by_business_unit = check.agency_id not in user_agency_ids(request.user, referral.board)
    form = CheckAnswerForm(
        posted_data(request), by_business_unit=by_business_unit, today=timezone.localdate()
    )
    if request.method == "POST" and form.is_valid():
        try:
            answered = services.agency_check_answer(check=check, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            outcome = "involved" if answered.involved else "a nil return"
            messages.success(
                request,
                f"{'The reply has been recorded' if by_business_unit else 'Your reply has been sent'} for "
                f"{referral.reference}: {answered.agency.name}, {outcome}.",
            )
            return redirect("check_list")
    row = selectors.check_rows([check], today=timezone.localdate())[0]
    return render(
        request,
        "referrals/workflow/check_answer.html",
        {
            "check": check,
            "referral": referral,
            "row": row,
            "form": form,
            "by_business_unit": by_business_unit,
            # After a refused POST the form stays, so nothing typed is lost even if the request closed.
            "show_form": check.awaiting_reply or form.is_bound,
        },
    )


# --- Screening and recommendation ---------------------------------------------------------------------


@explains_refusal
@require_http_methods(["GET", "POST"])
def referral_schedule_screening(request: HttpRequest, pk: int) -> HttpResponse:
    referral = get_referral_for_user(request.user, pk, "schedule_screening")
    meeting, form = _form_from_meeting(request, referral, ScheduleScreeningForm, "meeting_date")

    def apply(data):
        warnings = services.referral_schedule_screening(
            referral=referral, actor=request.user, meeting_date=data["meeting_date"]
        )
        messages.success(request, f"The screening meeting is set for {long_date(data['meeting_date'])}.")
        for warning in warnings:  # the meeting is saved all the same
            messages.warning(request, warning)

    return _transition_page(
        request,
        referral=referral,
        transition="schedule_screening",
        form=form,
        template="referrals/workflow/schedule_screening.html",
        apply=apply,
        context={"meeting": meeting},
    )


@explains_refusal
@require_http_methods(["GET", "POST"])
def referral_recommend(request: HttpRequest, pk: int) -> HttpResponse:
    referral = get_referral_for_user(request.user, pk, "recommend")
    form = RecommendationForm(posted_data(request), referral=referral)

    def apply(data):
        services.referral_record_recommendation(referral=referral, actor=request.user, **data)
        label = dict(form.fields["recommendation"].choices)[data["recommendation"]]
        messages.success(
            request, f"The recommendation has been recorded: {label.lower()}. The LSCB Chair has been told."
        )

    return _transition_page(
        request,
        referral=referral,
        transition="recommend",
        form=form,
        template="referrals/workflow/recommend.html",
        apply=apply,
        context={"meeting": getattr(referral, "screening", None)},
    )


# --- The Chair's decision -----------------------------------------------------------------------------


@explains_refusal
@require_http_methods(["GET", "POST"])
def referral_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """Part 2, by the LSCB Chair of the referral's board only, who must have signed in within the last
    15 minutes. Two chairs deciding at once: the service locks the row, so the second sees
    ALREADY_DECIDED on a form that still holds what they typed, and the first decision stands."""
    referral = get_referral_for_user(request.user, pk)
    if not user_may(request.user, referral, "decide"):
        raise PermissionDenied(side(referral).decision_refusal)
    if not signed_in_within(request):
        return sign_in_again(request)
    # A decision recorded and waiting for the partners' leads to confirm it counts as made here.
    recorded = Decision.objects.filter(referral=referral).exists()
    if request.method == "GET" and (recorded or not can_proceed(referral.decide, check_conditions=False)):
        return _not_now(request, referral, ALREADY_DECIDED_NOW if recorded else services.NOT_READY_TO_DECIDE)
    meeting, form = _form_from_meeting(request, referral, DecisionForm, "suggested_author")

    def apply(data):
        decision = services.referral_decide(referral=referral, actor=request.user, **data)
        review = getattr(decision.referral, "review", None)
        message = f"Your decision has been recorded: {decision.get_outcome_display().lower()}."
        if decision.referral.state != ReferralState.DECIDED:
            message = (
                f"The decision has been recorded: {decision.get_outcome_display().lower()}. It stands once "
                "each safeguarding partner's lead has confirmed it."
            )
        elif review is not None:
            message += f" Review {review.reference} has been set up."
        messages.success(request, message)

    checks = referral.agency_checks.select_related("agency").order_by("agency__name")
    return _action_page(
        request,
        referral=referral,
        form=form,
        template="referrals/workflow/decide.html",
        apply=apply,
        context={
            "meeting": meeting,
            "checks": checks,
            "existing_decision": Decision.objects.filter(referral=referral)
            .select_related("decided_by")
            .first()
            if request.method == "POST"
            else None,
            "sign_in_minutes": RECENT_SIGN_IN_SECONDS // 60,
            "decision_intro": side(referral).decision_intro,
        },
    )


@cached_page
@explains_refusal
@require_GET
def decisions_awaiting(request: HttpRequest) -> HttpResponse:
    """The Chair's list: every submitted referral not yet decided, with the days left of the one-month
    decision period (Solihull §1.5.2)."""
    board = _require_board(request)
    can_decide = user_has_board_perm(request.user, board, DECIDE_REFERRALS)
    if not (can_decide or user_has_board_perm(request.user, board, WORK_CASES)):
        raise PermissionDenied("Only the LSCB Chair and the business unit see the decisions awaiting.")
    awaiting = selectors.decisions_awaiting(board, today=timezone.localdate())
    return render(
        request,
        "referrals/workflow/decisions_awaiting.html",
        {
            "board": board,
            "rows": selectors.decision_list_rows(awaiting),
            "can_decide": can_decide,
        },
    )


# --- Closing without a decision -----------------------------------------------------------------------


def _closing_view(transition: str, template: str, form_class, service, done: str, permitted=None):
    """The page that closes a referral without a decision by `transition`: by those `user_may` lets, or
    by those `permitted(user, referral)` lets where that is given. `done` is the message after "Referral
    <reference>", filled from the form's data."""

    @explains_refusal
    @require_http_methods(["GET", "POST"])
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        if permitted is None:
            referral = get_referral_for_user(request.user, pk, transition)
        else:
            referral = get_referral_for_user(request.user, pk)
            if not permitted(request.user, referral):
                raise PermissionDenied(f"You cannot {transition.replace('_', ' ')} this referral.")
        return _transition_page(
            request,
            referral=referral,
            transition=transition,
            form=form_class(posted_data(request), referral=referral),
            template=f"referrals/workflow/{template}.html",
            apply=_recording(
                request,
                referral,
                service,
                lambda data, _: f"Referral {referral.reference} {done.format(**data)}",
            ),
        )

    view.__name__ = view.__qualname__ = f"referral_{template}"
    return view


referral_withdraw = _closing_view(
    "withdraw",
    "withdraw",
    WithdrawForm,
    services.referral_withdraw,
    "has been withdrawn.",
    # The referrer may withdraw their own draft.
    permitted=lambda user, referral: (
        (referral.is_draft and referral.created_by_id == user.pk) or user_may(user, referral, "withdraw")
    ),
)
referral_transfer = _closing_view(
    "transfer", "transfer", TransferForm, services.referral_transfer, "has been transferred to {lead_board}."
)
referral_duplicate = _closing_view(
    "mark_duplicate",
    "duplicate",
    DuplicateForm,
    services.referral_mark_duplicate,
    "has been closed as a duplicate of {original.reference}.",
)

# The Chair takes the decision back while no IMR has been commissioned (issue 16).
referral_rescind = _closing_view(
    "rescind",
    "rescind",
    RescindForm,
    services.referral_rescind_decision,
    "awaits a fresh decision: the decision has been rescinded.",
)


# --- External notifications ---------------------------------------------------------------------------


@explains_refusal
@require_http_methods(["GET", "POST"])
def referral_notify(request: HttpRequest, pk: int) -> HttpResponse:
    referral = get_referral_for_user(request.user, pk, "record_notification")
    if request.method == "GET" and referral.is_draft:
        return _not_now(request, referral)
    form = NotificationForm(posted_data(request), referral=referral, today=timezone.localdate())
    return _action_page(
        request,
        referral=referral,
        form=form,
        template="referrals/workflow/notify.html",
        apply=_recording(
            request,
            referral,
            services.external_notification_record,
            lambda _, notification: (
                f"Recorded: {notification.get_body_display()} told of the "
                f"{notification.get_event_display().lower()} on {long_date(notification.sent_on)}."
            ),
        ),
    )
