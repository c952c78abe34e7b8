"""The review list, the review page (task list, deadlines with RAG, panel, documents, timeline), the IMR
author's narrower view of it, the stage changes, the methodology, the completion extension, the progress
reports and the executive summary's membership section.

Every page fetches and authorises through `reviews.permissions` (404 when the user may not know the
review exists, 403 when they see it but may not act). GET shows; POST calls exactly one service."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.views.decorators.http import require_GET
from django_fsm import can_proceed

from scr_portal.audit.cases import shows_case
from scr_portal.clock.services import deadlines_of
from scr_portal.forms import posted_data
from scr_portal.models.clock import ACTIVE_STATUSES, ExtensionReason
from scr_portal.pagecache import cached_page
from scr_portal.reauth import sign_in_again, signed_in_within

from .. import guards, services
from ..forms.outcome import (
    AdoptForm,
    CloseForm,
    EvaluationForm,
    PublishForm,
    ReturnToDraftingForm,
    StandDownForm,
    SubmitForm,
    SummarySentForm,
)
from ..forms.review import ExtendForm, MethodologyForm, NoteForm
from ..frameworks import review_rules
from ..models import Grade, OfstedElement, ProgressReport, ReportKind, ReviewState
from ..permissions import (
    BOARD,
    IMR_AUTHOR,
    MONITOR,
    get_review_to_read,
    monitored_reviews,
    monitoring_group_name,
    reviews_visible_to,
)
from ..selectors.panel import executive_summary_membership
from ..selectors.reports import pending_confirmation_for
from ..selectors.review import PAGE_RELATED, STATE_TAGS, review_page, review_rows
from ..selectors.tor import approved_tor
from ..services._common import CANNOT_NOW
from .common import explains_refusal, form_page, long_date, review_view, to_review

REVIEWS_PER_PAGE = 50


@cached_page
@require_GET
def review_list(request: HttpRequest) -> HttpResponse:
    # The monitoring group lists the reviews it follows too (their page is its own: `get_review_to_read`).
    visible = reviews_visible_to(request.user, request.board)
    if request.board is not None:
        visible = visible | monitored_reviews(request.user, request.board)
    reviews = visible.order_by("-decision_date", "-pk")
    page = Paginator(reviews, REVIEWS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "reviews/list.html",
        {
            "rows": review_rows(page.object_list, today=timezone.localdate()),
            "page": page,
            "query": "",
            "board": request.board,
        },
    )


@cached_page
@explains_refusal
@require_GET
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    review, access = get_review_to_read(request.user, pk, related=PAGE_RELATED)
    shows_case(request, review)
    if access.level == IMR_AUTHOR:
        return _imr_author_page(request, review)
    if access.level == MONITOR:
        return _monitoring_page(request, review, access)
    page = review_page(review, access, today=timezone.localdate())
    return render(
        request,
        "reviews/detail.html",
        {
            "review": page.review,
            "page": page,
            "can": {action: access.may(action) for action in ACTIONS_SHOWN}
            | {"board": access.level == BOARD},
            "state_tag": STATE_TAGS[review.state],
            "grades": page.review.ofsted_evaluation.grades.select_related("element")
            if hasattr(page.review, "ofsted_evaluation")
            else [],
            "confirmed_count": sum(1 for answer in page.confirmations if answer.settled),
            "exits": exit_links(review, access),
        },
    )


ACTIONS_SHOWN = ("run", "appoint", "extend", "family", "comment", "upload_reports", "approve_tor")


def _imr_author_page(request, review) -> HttpResponse:
    """An IMR author sees the approved terms of reference and, once it goes out, the final draft overview
    report with their answer on it (domain brief §2.3) — nothing else of the review."""
    final = None
    if review.reached(ReviewState.FAIR_REPRESENTATION_CHECK):
        final = guards.latest_version(review, ReportKind.OVERVIEW, final_draft=True)
    answers = (
        final.confirmations.filter(author=request.user).select_related("agency", "resolved_by")
        if final
        else []
    )
    return render(
        request,
        "reviews/imr_author.html",
        {
            "review": review,
            "tor": approved_tor(review),
            "final": final,
            "answers": answers,
            "pending": pending_confirmation_for(request.user, review) if final else None,
        },
    )


def _monitoring_page(request, review, access) -> HttpResponse:
    """The monitoring group reads the review without its confidential parts (docs/security.md, "The
    monitoring group's view of a review"): its stage, the stages done, the adopted reports' dates, the
    adoption, Ofsted and publication, and the action plan it follows."""
    page = review_page(review, access, today=timezone.localdate())
    adopted = [v for versions in page.reports.values() for v in versions if not v.is_draft]
    return render(
        request,
        "reviews/monitor.html",
        {
            "review": page.review,
            "page": page,
            "adopted": adopted,
            "state_tag": STATE_TAGS[review.state],
            "group": monitoring_group_name(review),
        },
    )


# --- Stage changes ----------------------------------------------------------------------------------


# The LSCB Chair's sign-offs ask for the password again, like the decision itself (scr_portal.reauth).
SIGN_IN_AGAIN = {"adopt", "close", "stand-down"}

DATA_STEPS = {
    # Headings in braces take the framework's words (Review.words).
    "adopt": ("adopt", "adopt", AdoptForm, "Record {adoption}", "Record the adoption"),
    "submit-to-ofsted": (
        "submit_to_ofsted",
        "run",
        SubmitForm,
        "Record the submission to {national_body}",
        "Record the submission",
    ),
    "record-evaluation": (
        "record_evaluation",
        "run",
        EvaluationForm,
        "Record Ofsted's evaluation",
        "Record the evaluation",
    ),
    "publish": ("publish", "publish", PublishForm, "Record the publication", "Record the publication"),
    "close": ("close", "close", CloseForm, "Close the review", "Close the review"),
    "return-to-drafting": (
        "return_to_drafting",
        "run",
        ReturnToDraftingForm,
        "Send the overview report back to drafting",
        "Send it back to drafting",
    ),
    "stand-down": (
        "stand_down",
        "stand_down",
        StandDownForm,
        "Stand the review down",
        "Stand the review down",
    ),
}
# The ways back and out offered beside the next step (issue 16), each shown only where its guard allows.
EXITS = ("return-to-drafting", "stand-down")


def exit_links(review, access) -> list[tuple[str, str]]:
    return [
        (DATA_STEPS[slug][3].format(**review.words), reverse("review_step", args=[review.pk, slug]))
        for slug in EXITS
        if access.may(DATA_STEPS[slug][1]) and can_proceed(getattr(review, DATA_STEPS[slug][0]))
    ]


@review_view()
def review_step(request: HttpRequest, review, access, slug: str) -> HttpResponse:
    """A stage change: a confirmation page listing what must be done first, or the step's form."""
    simple = services.STEPS_BY_SLUG.get(slug)
    if simple is not None:
        transition, action = simple.transition, simple.action
        heading, explanation = simple.label.format(**review.words), simple.explanation.format(**review.words)
        form_class, button = NoteForm, heading
    elif slug in DATA_STEPS:
        transition, action, form_class, heading, button = DATA_STEPS[slug]
        heading, explanation = heading.format(**review.words), ""
    else:
        raise Http404("No such step.")
    access.require(action)
    if slug in SIGN_IN_AGAIN and not signed_in_within(request):
        return sign_in_again(request)
    if not can_proceed(getattr(review, transition)):
        messages.error(request, CANNOT_NOW)
        return to_review(review)
    problems = guards.problems_for(review, transition) if request.method == "GET" else []
    warnings = [services.open_processes_warning(review)] if slug == "adopt" else []
    if slug == "publish":
        warnings = list(services.publication_holds(review, timezone.localdate()).values())
    kwargs = {"elements": OfstedElement.objects.filter(active=True)} if slug == "record-evaluation" else {}
    form = form_class(posted_data(request), **kwargs)
    if slug in ("adopt", "submit-to-ofsted"):
        form.in_words(review.words)
    user = request.user

    if simple is not None:

        def apply(data):
            services.review_advance(review=review, actor=user, transition=transition, reason=data["reason"])
            return simple.done.format(**review.words)
    elif slug == "adopt":

        def apply(data):
            _, found = services.review_adopt(review=review, actor=user, **data)
            done = (
                f"{capfirst(review.words['adoption'])} has been recorded. The reports are no longer drafts."
            )
            return done, found
    elif slug == "submit-to-ofsted":

        def apply(data):
            services.review_submit_to_ofsted(review=review, actor=user, **data)
            body, sent_on = review.words["national_body"], long_date(data["submitted_on"])
            return f"The submission to {body} on {sent_on} has been recorded."
    elif slug == "record-evaluation":

        def apply(data):
            services.review_record_evaluation(
                review=review,
                actor=user,
                letter_date=data["letter_date"],
                inspector=data["inspector"],
                regional_manager=data["regional_manager"],
                overall_grade=data["overall_grade"],
                element_grades=form.element_grades(),
            )
            return (
                f"Ofsted's evaluation has been recorded: {Grade(data['overall_grade']).label.lower()}. The "
                "published summary is due with Ofsted within a month of the letter."
            )
    elif slug == "publish":

        def apply(data):
            services.review_publish(review=review, actor=user, **data)
            return f"The publication on {long_date(data['published_on'])} has been recorded."
    elif slug == "return-to-drafting":

        def apply(data):
            services.review_return_to_drafting(review=review, actor=user, reason=data["reason"])
            return "The overview report is back with its author for drafting."
    elif slug == "stand-down":

        def apply(data):
            services.review_stand_down(review=review, actor=user, reason=data["reason"])
            return (
                "The review is stood down. Its deadlines are cancelled and the retention period has started."
            )
    else:

        def apply(data):
            services.review_close(review=review, actor=user, **data)
            return "The review is closed. The seven-year retention period has started."

    return form_page(
        request,
        review=review,
        form=form,
        apply=apply,
        heading=heading,
        button=button,
        intro=[explanation] if explanation else [],
        problems=[p for p in problems if p],
        warnings=[w for w in warnings if w],
    )


# --- Methodology and extension ------------------------------------------------------------------------


@review_view("run")
def review_methodology(request: HttpRequest, review, access) -> HttpResponse:
    form = MethodologyForm(
        posted_data(request), initial={"methodology": review.methodology, "detail": review.methodology_detail}
    )

    def apply(data):
        services.review_record_methodology(review=review, actor=request.user, **data)
        label = dict(form.fields["methodology"].choices)[data["methodology"]]
        return f"The methodology has been recorded: {label}."

    return form_page(
        request, review=review, form=form, apply=apply, heading="Record the methodology", button="Save"
    )


@review_view("extend")
def review_extend(request: HttpRequest, review, access) -> HttpResponse:
    """The six-month completion date moved, as agreed by the LSCB with Ofsted told (Solihull §7.2.1)."""
    completion = (
        deadlines_of(review)
        .filter(rule__code=review_rules(review).completion_rule, status__in=ACTIVE_STATUSES)
        .first()
    )
    if completion is None:
        messages.error(request, services.outcome.NO_COMPLETION_DEADLINE)
        return to_review(review)
    form = ExtendForm(posted_data(request))

    def apply(data):
        services.review_extend(review=review, actor=request.user, **data)
        return (
            f"The completion date is now {long_date(data['new_due_date'])} "
            f"({ExtensionReason(data['reason_category']).label.lower()}). The family's contact has been "
            "asked to explain the delay to the family."
        )

    return form_page(
        request,
        review=review,
        form=form,
        apply=apply,
        heading="Extend the completion date",
        button="Extend the completion date",
        intro=[
            f"The review is due to be completed by {long_date(completion.due_date)}"
            + (
                f" (originally {long_date(completion.original_due_date)})."
                if completion.original_due_date != completion.due_date
                else "."
            )
        ],
    )


@review_view("run")
def review_summary_sent(request: HttpRequest, review, access) -> HttpResponse:
    if not hasattr(review, "publication"):
        messages.error(request, services.outcome.NOT_PUBLISHED_YET)
        return to_review(review)
    form = SummarySentForm(posted_data(request))

    def apply(data):
        services.review_record_summary_sent(review=review, actor=request.user, sent_on=data["sent_on"])
        return "The published summary is recorded as sent to Ofsted."

    return form_page(
        request,
        review=review,
        form=form,
        apply=apply,
        heading="Record the published summary as sent to Ofsted",
        button="Save",
    )


# --- Reports for the Chair and for the executive summary --------------------------------------------


@review_view(in_full=True, missing="No such report.", methods=("GET",))
def review_progress_report(request: HttpRequest, review, access, report_pk: int) -> HttpResponse:
    report = get_object_or_404(ProgressReport, pk=report_pk, review=review)
    return render(request, "reviews/progress_report.html", {"review": review, "report": report})


@review_view(methods=("GET",))
def review_membership_section(request: HttpRequest, review, access) -> HttpResponse:
    if not access.sees_all:
        raise PermissionDenied("Only the panel and the board's staff see the membership section.")
    return render(
        request,
        "reviews/membership_section.html",
        {"review": review, "section": executive_summary_membership(review)},
    )
