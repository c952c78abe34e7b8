"""Pages across IMRs: everyone's list of the IMRs they may open (the business unit's across reviews), the
panel's view of one review's IMRs, and the review's integrated chronology with its exports."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from reviews.selectors import approved_tor
from scr_portal.pagecache import cached_page
from scr_portal.queue import enqueue_on_commit
from scr_portal.viewhelpers import query_without_page

from .. import chronology_io, exports, selectors
from ..forms import IMRFilterForm
from ..models import COMPLETE_STATES, IMR
from ..permissions import business_unit_board_ids, get_review_imrs_for_user, imrs_visible_to
from ..selectors import (
    filter_imrs,
    imr_rows,
    integrated_export_rows,
    review_imrs,
    with_list_relations,
)
from ..tasks import export_chronology_xlsx_task
from ._common import explains_refusal


@cached_page
@explains_refusal
@require_GET
def imr_list(request: HttpRequest) -> HttpResponse:
    """The IMRs this user may open, on every board: the business unit's list across reviews, an agency's
    commissions, an author's own."""
    form = IMRFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    imrs = filter_imrs(imrs_visible_to(request.user), state=data.get("state", ""), case=data.get("case", ""))
    # The ids in list order first, then the page's rows: with a LIMIT, PostgreSQL walks every review in
    # reference order looking for the user's few IMRs (issue 21).
    page = Paginator(list(imrs.values_list("pk", flat=True)), 50).get_page(request.GET.get("page", 1))
    by_pk = with_list_relations(IMR.objects.filter(pk__in=page.object_list)).in_bulk()
    page.object_list = [by_pk[pk] for pk in page.object_list]
    return render(
        request,
        "imr/list.html",
        {
            "form": form,
            "page": page,
            "rows": imr_rows(page.object_list, today=timezone.localdate()),
            "query": query_without_page(request),
            "business_unit": bool(business_unit_board_ids(request.user)),
        },
    )


@explains_refusal
@require_GET
def review_imr_list(request: HttpRequest, review_pk: int) -> HttpResponse:
    """The panel's view of a review's IMRs: status, due dates and RAG."""
    review, access = get_review_imrs_for_user(request.user, review_pk)
    rows = imr_rows(review_imrs(review), today=timezone.localdate())
    return render(
        request,
        "imr/review_imrs.html",
        {
            "review": review,
            "rows": rows,
            "can_commission": access.may("commission"),
            "tor": approved_tor(review),
            "complete": sum(1 for row in rows if row.imr.state in COMPLETE_STATES),
        },
    )


def _filters(request, review):
    return exports.filter_form(request.GET, review)


@cached_page
@explains_refusal
@require_GET
def integrated_chronology(request: HttpRequest, review_pk: int) -> HttpResponse:
    """All accepted IMRs' rows merged by date and time, each keeping its agency; days on which several
    agencies saw the family are highlighted (Solihull §1.6.6, §14.1.1; domain brief §6.5)."""
    review, _ = get_review_imrs_for_user(request.user, review_pk, "view_integrated")
    form, filters = _filters(request, review)
    chronology = selectors.integrated_chronology(review, filters, page=request.GET.get("page", 1))
    return render(
        request,
        "imr/integrated_chronology.html",
        {
            "review": review,
            "form": form,
            "chronology": chronology,
            "query": query_without_page(request),
        },
    )


@explains_refusal
@require_http_methods(["GET", "POST"])
def integrated_chronology_export(request: HttpRequest, review_pk: int, fmt: str) -> HttpResponse:
    """The integrated chronology (with the page's filters) as an attachment. CSV: streamed from the
    database as it is read (GET). XLSX: asked for with a POST, built by the documents worker; the job's
    page shows its progress and then the download."""
    review, _ = get_review_imrs_for_user(request.user, review_pk, "view_integrated")
    if fmt == "xlsx" and request.method == "POST":
        job = exports.start(review, request.user, query_without_page(request))
        enqueue_on_commit(export_chronology_xlsx_task, review.pk, job.token)
        return redirect("integrated_chronology_export_job", review_pk=review.pk, token=job.token)
    if fmt != "csv" or request.method != "GET":
        raise Http404("No such format.")
    _, filters = _filters(request, review)
    stamp = timezone.localtime().strftime("%Y%m%d")
    response = StreamingHttpResponse(
        chronology_io.export_csv_chunks(integrated_export_rows(review, filters)),
        content_type="text/csv; charset=utf-8",
    )
    return _attachment(response, f"{review.reference}-integrated-chronology-{stamp}.csv")


def _attachment(response, filename: str):
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@explains_refusal
@require_GET
def integrated_chronology_export_job(request: HttpRequest, review_pk: int, token: str) -> HttpResponse:
    review, _ = get_review_imrs_for_user(request.user, review_pk, "view_integrated")
    job = exports.job_for(request.user, review, token)
    return render(
        request,
        "imr/export_job.html",
        {"review": review, "job": job, "progress": job.progress, "refresh_url": request.path},
    )


@require_GET
def integrated_chronology_export_status(request: HttpRequest, review_pk: int, token: str) -> JsonResponse:
    try:
        review, _ = get_review_imrs_for_user(request.user, review_pk, "view_integrated")
    except PermissionDenied:
        raise Http404("No such export.") from None
    job = exports.job_for(request.user, review, token)
    return JsonResponse(
        {"status": job.status, "label": exports.LABELS[job.status]}, headers={"Cache-Control": "no-store"}
    )


@explains_refusal
@require_GET
def integrated_chronology_export_download(request: HttpRequest, review_pk: int, token: str) -> HttpResponse:
    review, _ = get_review_imrs_for_user(request.user, review_pk, "view_integrated")
    job = exports.job_for(request.user, review, token)
    if job.status != exports.READY:
        raise Http404("The spreadsheet is not ready.")
    return _attachment(FileResponse(job.file.open("rb"), content_type=exports.XLSX), job.filename)
