"""Writes to the access log. Rows are only ever inserted (the table refuses UPDATE and DELETE)."""

from functools import reduce

from django.contrib.contenttypes.models import ContentType
from django.http import HttpRequest, HttpResponse

from .. import records
from .cases import CaseRef, board_and_label
from .models import AccessAction, AccessLog

EXPORT_TYPES = ("text/csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def access_action(request: HttpRequest, response: HttpResponse) -> str:
    """What the response did: an attachment is a download, a spreadsheet an export, `?print` a print."""
    content_type = response.get("Content-Type", "").split(";")[0].strip()
    if content_type in EXPORT_TYPES:
        return AccessAction.EXPORT
    if response.get("Content-Disposition", "").startswith("attachment"):
        return AccessAction.DOWNLOAD
    if "print" in request.GET:
        return AccessAction.PRINT
    return AccessAction.VIEW


def client_ip(request: HttpRequest) -> str | None:
    """REMOTE_ADDR as set by the proxy in front of the app (the proxy overwrites it; X-Forwarded-For is
    client-controlled, so it is not trusted here)."""
    return request.META.get("REMOTE_ADDR") or None


def access_log_record(*, user, ref: CaseRef, action: str, request: HttpRequest) -> AccessLog | None:
    located = board_and_label(ref, getattr(request, "case_shown", None))
    if located is None:
        return None
    board_id, label = located
    match = request.resolver_match
    return AccessLog.objects.create(
        user=user,
        user_name=getattr(user, "full_name", "") or user.get_username(),
        board_id=board_id,
        content_type=ContentType.objects.get_for_model(ref.model),
        object_id=ref.pk,
        object_label=label[:200],
        action=action,
        url_name=(match.view_name if match else "")[:100],
        path=request.get_full_path()[:500],
        ip_address=client_ip(request),
    )


def export_record(
    *, user, board, subject, label: str, url_name: str, path: str = "", ip_address=None
) -> AccessLog:
    """An export that is not a case page (a subject access export, the access log itself), logged
    against `subject`."""
    return AccessLog.objects.create(
        user=user,
        user_name=user.full_name or user.get_username(),
        board=board,
        content_type=ContentType.objects.get_for_model(subject),
        object_id=subject.pk,
        object_label=label,
        action=AccessAction.EXPORT,
        url_name=url_name,
        path=path,
        ip_address=ip_address,
    )


def search_access_record(*, user, request: HttpRequest, found) -> None:
    """One row per case record a search showed the user: the results name children and families. The
    path is logged without the query, which may itself be a child's name."""
    rows = []
    for obj in found:
        record = records.for_model(type(obj))
        rows.append(
            AccessLog(
                user=user,
                user_name=getattr(user, "full_name", "") or user.get_username(),
                board_id=reduce(getattr, f"{record.board}_id".split("__"), obj),
                content_type=ContentType.objects.get_for_model(record.model),
                object_id=obj.pk,
                object_label=(record.reference_of(obj) or "")[:200],
                action=AccessAction.SEARCH,
                url_name="search",
                path=request.path[:500],
                ip_address=client_ip(request),
            )
        )
    AccessLog.objects.bulk_create(rows)
