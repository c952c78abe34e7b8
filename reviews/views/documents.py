"""The overview report and the executive summary: versions (DRAFT until adoption), uploads, downloads,
panel comments; and fair representation: the IMR authors' answers on the final draft."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from scr_portal.documents.forms import OverrideForm
from scr_portal.documents.owners import get_owner_type
from scr_portal.documents.services import NOTHING_TO_OVERRIDE
from scr_portal.forms import GovukForm, posted_data
from scr_portal.pagecache import cached_page
from scr_portal.uploads import download_response

from .. import guards, services
from ..forms.reports import ResolveForm, RespondForm, UploadForm
from ..forms.review import CommentForm
from ..models import (
    REPORT_SLUGS,
    AuthorConfirmation,
    ConfirmationStatus,
    ReportKind,
    ReportVersion,
    ReviewState,
)
from ..selectors.reports import fair_representation_rows
from ..services import report_checks
from ..services.drafts import drafts_left, review_destroy_drafts
from ..services.reports import UPLOAD_STATES
from .common import form_page, review_view


def _kind(slug: str) -> str:
    if slug not in REPORT_SLUGS:
        raise Http404("No such report.")
    return REPORT_SLUGS[slug]


@cached_page
@review_view(in_full=True, methods=("GET",))
def review_reports(request: HttpRequest, review, access, slug: str) -> HttpResponse:
    kind = _kind(slug)
    versions = list(
        ReportVersion.objects.filter(review=review, kind=kind)
        .select_related("file", "uploaded_by")
        .prefetch_related("comments__author")
        .order_by("-number")
    )
    checks = report_checks.latest_checks(versions)
    for version in versions:
        version.check = checks.get(version.pk)
    return render(
        request,
        "reviews/reports.html",
        {
            "review": review,
            "slug": slug,
            "kind_label": ReportKind(kind).label,
            "versions": versions,
            "may_override": get_owner_type("review").may(request.user, review, "override"),
            "may_upload": access.may("upload_reports") and review.state in UPLOAD_STATES[kind],
            "may_comment": access.may("comment") and review.is_open,
            "may_destroy_drafts": access.may("run")
            and hasattr(review, "adoption")
            and drafts_left(review).exists(),
            "comment_form": CommentForm(),
        },
    )


@review_view("upload_reports")
def review_report_upload(request: HttpRequest, review, access, slug: str) -> HttpResponse:
    """Upload a version: refused with nothing saved when the file is not a PDF, DOCX or ODT by its
    content, or is over the size limit."""
    kind = _kind(slug)
    form = UploadForm(posted_data(request), request.FILES or None, final_draft=kind == ReportKind.OVERVIEW)
    target = reverse("review_reports", args=[review.pk, slug])

    def apply(data):
        version = services.report_upload(
            review=review,
            actor=request.user,
            kind=kind,
            upload=data["file"],
            final_draft=data.get("final_draft", False),
            note=data["note"],
        )
        extra = " It is the final draft." if version.final_draft else ""
        label = ReportKind(kind).label.lower()
        message = f"Version {version.number} of the {label} has been uploaded, marked DRAFT.{extra}"
        return message, report_checks.upload_warnings(version)

    return form_page(
        request,
        review=review,
        form=form,
        apply=apply,
        heading=f"Upload a version of the {ReportKind(kind).label.lower()}",
        button="Upload",
        multipart=True,
        back=(target, f"Back to the {ReportKind(kind).label.lower()}"),
    )


@review_view(in_full=True)
def review_report_check_override(
    request: HttpRequest, review, access, slug: str, version_pk: int
) -> HttpResponse:
    """The business manager releases a version the anonymisation check blocked, giving a reason."""
    kind = _kind(slug)
    version = get_object_or_404(
        ReportVersion.objects.select_related("review__board"), pk=version_pk, review=review, kind=kind
    )
    if not get_owner_type("review").may(request.user, review, "override"):
        raise PermissionDenied(report_checks.ONLY_MANAGER_OVERRIDES)
    check = report_checks.version_check(version)
    target = reverse("review_reports", args=[review.pk, slug]) + f"#version-{version.number}"
    if check is None or check.releases:
        messages.error(request, NOTHING_TO_OVERRIDE)
        return redirect(target)
    form = OverrideForm(posted_data(request))

    def apply(data):
        report_checks.report_check_override(version=version, actor=request.user, reason=data["reason"])
        return f"The check of version {version.number} has been overridden. Your reason is recorded with it."

    return form_page(
        request,
        review=review,
        form=form,
        apply=apply,
        heading=f"Release version {version.number} of the {ReportKind(kind).label.lower()} despite the check",
        button="Override the check",
        intro=[
            f"The anonymisation check found {len(check.findings)} "
            f"item{'s' if len(check.findings) != 1 else ''} that could identify someone. "
            "Override it only when each is one that may be named."
        ],
        back=(target, f"Back to the {ReportKind(kind).label.lower()}"),
    )


def _downloadable(review, access, version: ReportVersion, user) -> bool:
    if access.sees_all:
        return True
    if access.is_imr_author and version.kind == ReportKind.OVERVIEW:
        # The final draft they were asked to confirm, and the adopted report (domain brief §2.3).
        if version.adopted_at is not None:
            return True
        final = guards.latest_version(review, ReportKind.OVERVIEW, final_draft=True)
        return (
            final is not None
            and final.pk == version.pk
            and review.reached(ReviewState.FAIR_REPRESENTATION_CHECK)
        )
    return False


@review_view(methods=("GET",))
def review_report_download(request: HttpRequest, review, access, version_pk: int) -> HttpResponse:
    version = ReportVersion.objects.select_related("file").filter(pk=version_pk, review=review).first()
    if version is None or version.destroyed or not _downloadable(review, access, version, request.user):
        raise Http404("No such document.")
    stored = version.file
    if version.is_draft:
        # Drafts stay marked DRAFT (Solihull §13.3.5): the name says so wherever it is saved.
        stored.original_name = f"DRAFT - {stored.original_name}"
    return download_response(stored)


@review_view("comment", methods=("POST",))
def review_report_comment(request: HttpRequest, review, access, version_pk: int) -> HttpResponse:
    version = get_object_or_404(ReportVersion, pk=version_pk, review=review)
    slug = next(s for s, kind in REPORT_SLUGS.items() if kind == version.kind)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.report_comment(version=version, actor=request.user, text=form.cleaned_data["text"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"Your comment on version {version.number} has been added.")
    else:
        messages.error(request, "Enter your comment")
    return redirect(reverse("review_reports", args=[review.pk, slug]) + f"#version-{version.number}")


# --- Fair representation ------------------------------------------------------------------------------


@review_view(in_full=True, methods=("GET",))
def review_fair_representation(request: HttpRequest, review, access) -> HttpResponse:
    final, rows = fair_representation_rows(review)
    return render(
        request,
        "reviews/fair_representation.html",
        {
            "review": review,
            "final": final,
            "rows": rows,
            "problems": guards.fair_representation_problems(review),
            "may_resolve": access.may("resolve_dispute") and not review.reached(ReviewState.ADOPTED),
        },
    )


def _confirmation(review, pk: int, related: str, **filters) -> AuthorConfirmation:
    """An agency's fair-representation confirmation on one of the review's report versions."""
    return get_object_or_404(
        AuthorConfirmation.objects.select_related("agency", related), pk=pk, version__review=review, **filters
    )


@review_view("respond")
def review_fair_representation_respond(
    request: HttpRequest, review, access, confirmation_pk: int
) -> HttpResponse:
    """The IMR author's answer on the final draft: fully and fairly represented, or disputed."""
    confirmation = _confirmation(review, confirmation_pk, "version", author=request.user)
    if request.method == "GET" and confirmation.status != ConfirmationStatus.PENDING:
        messages.error(request, services.reports.ALREADY_ANSWERED)
        return redirect("review_detail", review.pk)
    form = RespondForm(posted_data(request))

    def apply(data):
        answered = services.fair_representation_respond(
            confirmation=confirmation,
            actor=request.user,
            confirmed=data["confirmed"],
            comment=data["comment"],
        )
        if answered.status == ConfirmationStatus.CONFIRMED:
            return (
                "Thank you. You have confirmed that the final draft represents your agency fully and fairly."
            )
        return "Thank you. Your dispute has been recorded and the panel will respond."

    return form_page(
        request,
        review=review,
        form=form,
        apply=apply,
        heading="Is your agency fully and fairly represented?",
        button="Send your answer",
        intro=[
            f"Read version {confirmation.version.number} of the overview report, the final draft, and say "
            f"whether it represents {confirmation.agency.name} fully and fairly."
        ],
        download_url=reverse("review_report_download", args=[review.pk, confirmation.version_id]),
        success_url=reverse("review_detail", args=[review.pk]),
    )


@review_view("resolve_dispute")
def review_fair_representation_resolve(
    request: HttpRequest, review, access, confirmation_pk: int
) -> HttpResponse:
    confirmation = _confirmation(review, confirmation_pk, "author", status=ConfirmationStatus.DISPUTED)
    form = ResolveForm(posted_data(request))
    target = reverse("review_fair_representation", args=[review.pk])

    def apply(data):
        services.fair_representation_resolve(
            confirmation=confirmation, actor=request.user, resolution=data["resolution"]
        )
        return f"The dispute by {confirmation.agency.name} is recorded as resolved."

    return form_page(
        request,
        review=review,
        form=form,
        apply=apply,
        heading=f"Resolve the dispute by {confirmation.agency.name}",
        button="Record as resolved",
        intro=[f"{confirmation.author.full_name} said: {confirmation.comment}"],
        back=(target, "Back to fair representation"),
    )


@review_view("run", in_full=True)
def review_drafts_destroy(request: HttpRequest, review, access) -> HttpResponse:
    """The business unit destroys the drafts of the overview report and executive summary once the board's
    time after adoption has run (Solihull §15.1): the files go, each version stays listed as destroyed."""
    left = drafts_left(review).count()

    def apply(data):
        count = review_destroy_drafts(review=review, actor=request.user)
        return f"{count} draft{'s' if count != 1 else ''} of the reports destroyed."

    return form_page(
        request,
        review,
        GovukForm(posted_data(request)),
        apply,
        heading="Destroy the drafts of the reports",
        button="Destroy the drafts",
        intro=[
            f"{left} draft version{'s' if left != 1 else ''} of the overview report and executive summary "
            "will be deleted. The adopted versions are kept. This cannot be undone."
        ],
        back=(reverse("review_reports", args=[review.pk, "overview"]), "Back to the reports"),
    )
