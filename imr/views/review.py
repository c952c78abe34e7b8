"""Pages across IMRs: everyone's list of the IMRs they may open (the business unit's across reviews), the
panel's view of one review's IMRs, and the review's integrated chronology with its exports."""

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from reviews.selectors import approved_tor
from scr_portal.viewhelpers import query_without_page

from .. import chronology_io, selectors
from ..forms import IMRFilterForm, IntegratedFilterForm
from ..models import COMPLETE_STATES, IMR
from ..permissions import business_unit_board_ids, get_review_imrs_for_user, imrs_visible_to
from ..selectors import (
    ChronologyFilters,
    chronology_filter_options,
    filter_imrs,
    imr_rows,
    integrated_export_rows,
    review_imrs,
    with_list_relations,
)
from ._common import explains_refusal


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
    agencies, members = chronology_filter_options(review)
    bound = any(
        key in request.GET for key in ("agency", "family_member", "date_from_0", "date_to_0", "child_seen")
    )
    form = IntegratedFilterForm(request.GET if bound else None, agencies=agencies, family_members=members)
    return form, (form.filters() if bound else ChronologyFilters())


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
@require_GET
def integrated_chronology_export(request: HttpRequest, review_pk: int, fmt: str) -> HttpResponse:
    """The integrated chronology (with the page's filters) as an attachment: XLSX or CSV."""
    review, _ = get_review_imrs_for_user(request.user, review_pk, "view_integrated")
    if fmt not in ("xlsx", "csv"):
        raise Http404("No such format.")
    _, filters = _filters(request, review)
    rows = integrated_export_rows(review, filters)
    stamp = timezone.localtime().strftime("%Y%m%d")
    if fmt == "xlsx":
        body = chronology_io.export_xlsx(rows, title=f"Integrated chronology of {review.reference}")
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        body = chronology_io.export_csv(rows)
        content_type = "text/csv; charset=utf-8"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="{review.reference}-integrated-chronology-{stamp}.{fmt}"'
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
