"""An agency's chronology (Solihull App 7): the rows, editing them in the browser, the downloadable
template, and importing a CSV or XLSX file through a report of every problem or a preview."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from reviews.selectors import approved_tor
from scr_portal.forms import posted_data

from .. import services
from ..chronology_io import MAX_IMPORT_ROWS, MAX_PROBLEMS_LISTED, child_age, template_csv, template_xlsx
from ..forms import ChronologyEntryForm, ChronologyImportForm, ConfirmForm
from ..models import IMR, ChronologyEntry, ChronologyImport, ImportStatus
from ..parts import CHRONOLOGY
from ..permissions import IMRAccess, get_imr_for_user
from ..selectors import chronology_page
from ._common import (
    author_page,
    editable,
    explains_refusal,
    item_page,
    posted_files,
    removal_page,
    shown_page,
)

PREVIEW_ROWS = 100


chronology_writer_page = author_page(CHRONOLOGY)


def _chronology_url(imr) -> str:
    return reverse("imr_chronology", args=[imr.pk])


@shown_page()
def imr_chronology(request: HttpRequest, imr: IMR, access: IMRAccess) -> HttpResponse:
    page, rows = chronology_page(imr, page=request.GET.get("page", 1))
    return render(
        request,
        "imr/chronology.html",
        {
            "imr": imr,
            "page": page,
            "rows": rows,
            "editable": editable(imr, access, CHRONOLOGY),
            "date_of_birth": imr.review.referral.child_date_of_birth if imr.review.referral_id else None,
        },
    )


@chronology_writer_page
def imr_chronology_entry(request: HttpRequest, imr: IMR, entry_pk: int | None = None) -> HttpResponse:
    entry = get_object_or_404(ChronologyEntry, pk=entry_pk, imr=imr) if entry_pk else None
    initial = None
    if entry is None:
        last = imr.chronology.order_by("-event_no").values_list("event_no", flat=True).first()
        initial = {"event_no": (last or 0) + 1}
    return item_page(
        request,
        imr,
        ChronologyEntryForm(posted_data(request), item=entry, initial=initial),
        lambda data: services.chronology_entry_save(imr=imr, actor=request.user, entry=entry, **data),
        item=entry and f"event {entry.event_no}",
        add="Add an event to the chronology",
        remove_url=entry and reverse("imr_chronology_entry_delete", args=[imr.pk, entry.pk]),
        saved=lambda saved: f"Event {saved.event_no} has been saved.",
        then=lambda saved: _chronology_url(imr),
        intro="Say who knew what and when, whether the child was seen, their condition and what they said. "
        "Record missed opportunities to see and speak to the child (Solihull App 14 §2.4).",
        back_url=_chronology_url(imr),
    )


@removal_page(
    lambda imr, actor, entry: services.chronology_entry_delete(imr=imr, actor=actor, entry=entry),
    lambda entry: f"event {entry.event_no}",
    _chronology_url,
    intro=lambda entry: entry.event[:300],
    part=CHRONOLOGY,
)
def imr_chronology_entry_delete(imr: IMR, entry_pk: int) -> ChronologyEntry:
    return get_object_or_404(ChronologyEntry, pk=entry_pk, imr=imr)


@explains_refusal
@require_GET
def imr_chronology_template(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    imr, _ = get_imr_for_user(request.user, pk)
    if fmt == "xlsx":
        response = HttpResponse(
            template_xlsx(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    else:
        response = HttpResponse(template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="chronology-template.{fmt}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@chronology_writer_page
def imr_chronology_import(request: HttpRequest, imr: IMR) -> HttpResponse:
    """Upload a file. Any problem: the report of every problem, nothing imported. Else: the preview."""
    form = ChronologyImportForm(posted_data(request), posted_files(request))
    report = None
    if request.method == "POST" and form.is_valid():
        try:
            pending = services.chronology_import_upload(
                imr=imr, actor=request.user, upload=form.cleaned_data["file"]
            )
        except ValidationError as error:
            form.add_service_error(error)
        except services.ChronologyRejected as rejected:
            report = rejected.result
        else:
            return redirect("imr_chronology_import_preview", imr.pk, pending.pk)
    return render(
        request,
        "imr/chronology_import.html",
        {
            "imr": imr,
            "form": form,
            "report": report,
            "max_rows": MAX_IMPORT_ROWS,
            "max_listed": MAX_PROBLEMS_LISTED,
            "existing": imr.chronology.count(),
        },
    )


@chronology_writer_page
def imr_chronology_import_preview(request: HttpRequest, imr: IMR, import_pk: int) -> HttpResponse:
    pending = get_object_or_404(ChronologyImport.objects.select_related("file"), pk=import_pk, imr=imr)
    if pending.status != ImportStatus.PENDING:
        messages.error(request, services.chronology.IMPORT_CLOSED)
        return redirect("imr_chronology_import", imr.pk)
    form = ConfirmForm(posted_data(request))
    if request.method == "POST":
        try:
            if request.POST.get("discard"):
                services.chronology_import_discard(chronology_import=pending, actor=request.user)
                messages.success(request, "The import has been discarded. Nothing was changed.")
                return redirect(_chronology_url(imr))
            saved = services.chronology_import_save(chronology_import=pending, actor=request.user)
        except ValidationError as error:
            form.add_service_error(error)
        except services.ChronologyRejected:
            messages.error(request, "The file no longer passes the checks. Upload it again to see why.")
            return redirect("imr_chronology_import", imr.pk)
        else:
            messages.success(
                request, f"The chronology has been imported: {saved:,} event{'s' if saved != 1 else ''}."
            )
            return redirect(_chronology_url(imr))
    result = services.chronology_import_preview(pending, today=timezone.localdate())
    dob = imr.review.referral.child_date_of_birth if imr.review.referral_id else None
    tor = approved_tor(imr.review)
    outside = 0
    if tor and (tor.period_from or tor.period_to):
        outside = sum(
            1
            for row in result.rows
            if (tor.period_from and row["date"] < tor.period_from)
            or (tor.period_to and row["date"] > tor.period_to)
        )
    return render(
        request,
        "imr/chronology_preview.html",
        {
            "imr": imr,
            "form": form,
            "pending": pending,
            "rows": [(row, child_age(dob, row["date"])) for row in result.rows[:PREVIEW_ROWS]],
            "total": len(result.rows),
            "shown": min(PREVIEW_ROWS, len(result.rows)),
            "existing": imr.chronology.count(),
            "tor": tor,
            "outside_period": outside,
        },
    )
