"""The audit pages: who accessed a case, its change history, and the auditor's export of the board's
access log for a period (CSV)."""

import csv
import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from .. import records
from . import selectors
from .permissions import get_board_for_auditor, get_case_for_auditor
from .services import client_ip, export_record


@require_GET
def case_access_log(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    obj = get_case_for_auditor(request.user, kind, pk)
    rows = selectors.case_access_log(obj=obj)[:500]
    return render(request, "audit/access_log.html", _case_context(obj, kind) | {"rows": rows})


@require_GET
def case_history(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    from ..history import history_for

    obj = get_case_for_auditor(request.user, kind, pk)
    return render(
        request, "audit/history.html", _case_context(obj, kind) | {"events": history_for(kind=kind, obj=obj)}
    )


def _case_context(obj, kind: str) -> dict:
    record = records.get(kind)
    return {"obj": obj, "kind": kind, "title": record.title, "reference": record.reference_of(obj)}


def _date(value: str | None, default: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(value) if value else default
    except ValueError:
        return default


@require_GET
def board_access_log(request: HttpRequest, pk: int) -> HttpResponse:
    board = get_board_for_auditor(request.user, pk)
    today = timezone.localdate()
    start = _date(request.GET.get("from"), today.replace(day=1))
    end = _date(request.GET.get("to"), today)
    rows = selectors.board_access_log(board=board, start=start, end=end)
    if request.GET.get("format") != "csv":
        context = {"board": board, "start": start, "end": end, "rows": rows[:200], "count": rows.count()}
        return render(request, "audit/board_access_log.html", context)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="access-log-{board.short_name}-{start}-{end}.csv"'
    )
    writer = csv.writer(response)
    writer.writerow(["When", "User", "Action", "Record type", "Record id", "Reference", "Page", "IP address"])
    for row in rows.iterator():
        writer.writerow(
            [
                timezone.localtime(row.at).isoformat(),
                row.user_name,
                row.action,
                row.content_type.model,
                row.object_id,
                _safe(row.object_label),
                row.url_name,
                row.ip_address or "",
            ]
        )
    # The export is itself logged, against the board.
    export_record(
        user=request.user,
        board=board,
        subject=board,
        label=f"Access log {start} to {end}",
        url_name="board_access_log",
        path=request.get_full_path()[:500],
        ip_address=client_ip(request),
    )
    return response


def _safe(value: str) -> str:
    """No spreadsheet formulas from data (CSV injection)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


def board_retention(request: HttpRequest, pk: int) -> HttpResponse:
    """Cases due for destruction, legal holds, and tombstones. POST: approve destruction of one case,
    place a hold or lift one. Business manager only (the auditor may look)."""
    from django.contrib import messages
    from django.core.exceptions import PermissionDenied, ValidationError
    from django.shortcuts import get_object_or_404, redirect

    from ..permissions import MANAGE_BOARD, user_has_board_perm
    from . import retention
    from .models import LegalHold, Tombstone

    board = get_board_for_auditor(request.user, pk)
    now = timezone.now()
    if request.method == "POST":
        if not user_has_board_perm(request.user, board, MANAGE_BOARD):
            raise PermissionDenied(retention.NOT_MANAGER)
        action = request.POST.get("action")
        try:
            if action == "lift":
                hold = get_object_or_404(
                    LegalHold, pk=request.POST.get("hold"), board=board, lifted_at__isnull=True
                )
                retention.legal_hold_lift(
                    hold=hold, actor=request.user, reason=request.POST.get("reason", ""), now=now
                )
                messages.success(request, f"Legal hold on {hold.case_reference} lifted.")
            elif action in ("destroy", "hold"):
                case_root = records.case_root().model
                referral = get_object_or_404(case_root, pk=request.POST.get("referral"), board=board)
                if action == "destroy":
                    tombstone = retention.case_destroy(
                        referral=referral, actor=request.user, today=timezone.localdate(), now=now
                    )
                    messages.success(request, f"{tombstone.reference} destroyed; its tombstone is kept.")
                else:
                    retention.legal_hold_place(
                        board=board,
                        referral=referral,
                        actor=request.user,
                        reason=request.POST.get("reason", ""),
                        now=now,
                    )
                    messages.success(request, f"Legal hold placed on {referral.reference}.")
            else:
                return HttpResponse(status=400)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("board_retention", pk=board.pk)
    context = {
        "board": board,
        "due": retention.retention_due(board=board, today=timezone.localdate()),
        "holds": LegalHold.objects.filter(board=board, lifted_at__isnull=True),
        "tombstones": Tombstone.objects.filter(board=board)[:100],
        "may_act": user_has_board_perm(request.user, board, MANAGE_BOARD),
    }
    return render(request, "audit/retention.html", context)


def _manager_board(request: HttpRequest, pk: int):
    from django.core.exceptions import PermissionDenied

    from ..permissions import MANAGE_BOARD, user_has_board_perm
    from .requests import NOT_MANAGER

    board = get_board_for_auditor(request.user, pk)
    if not user_has_board_perm(request.user, board, MANAGE_BOARD):
        raise PermissionDenied(NOT_MANAGER)
    return board


def board_information_requests(request: HttpRequest, pk: int) -> HttpResponse:
    """The subject access and FOI request log; POST records a new request."""
    from django.contrib import messages
    from django.shortcuts import redirect

    from .models import InformationRequest, RequestKind
    from .requests import information_request_record

    board = _manager_board(request, pk)
    errors = []
    if request.method == "POST":
        data = request.POST
        kind = data.get("kind", "")
        received_on = _date(data.get("received_on"), None)
        if kind not in RequestKind.values:
            errors.append("Choose the kind of request")
        if not data.get("requester", "").strip():
            errors.append("Enter who made the request")
        if received_on is None:
            errors.append("Enter the date it was received as YYYY-MM-DD")
        if kind == RequestKind.SUBJECT_ACCESS and not data.get("subject_name", "").strip():
            errors.append("Enter the name of the person the request is about")
        if not errors:
            information_request_record(
                board=board,
                actor=request.user,
                kind=kind,
                requester=data["requester"].strip(),
                received_on=received_on,
                now=timezone.now(),
                subject_name=data.get("subject_name", "").strip(),
                summary=data.get("summary", "").strip(),
            )
            messages.success(request, "Request recorded.")
            return redirect("board_information_requests", pk=board.pk)
    context = {
        "board": board,
        "requests": InformationRequest.objects.filter(board=board)[:200],
        "kinds": RequestKind.choices,
        "errors": errors,
        "posted": request.POST,
    }
    return render(request, "audit/information_requests.html", context)


@require_GET
def board_information_request_export(request: HttpRequest, pk: int, request_pk: int) -> HttpResponse:
    """Everything held about the request's named person, as CSV (logged as an export)."""
    from django.shortcuts import get_object_or_404

    from .models import InformationRequest, RequestKind
    from .requests import subject_access_export

    board = _manager_board(request, pk)
    info = get_object_or_404(InformationRequest, pk=request_pk, board=board, kind=RequestKind.SUBJECT_ACCESS)
    holdings = subject_access_export(request=info, actor=request.user, ip_address=client_ip(request))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="subject-access-{info.pk}.csv"'
    writer = csv.writer(response)
    writer.writerow(["Record", "Case", "Field", "Value"])
    for holding in holdings:
        writer.writerow([holding.record, holding.reference, holding.field, _safe(holding.value)])
    return response
