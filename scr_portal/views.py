import email
import email.policy
import email.utils
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .forms import GovukModelForm, posted_data
from .middleware import SESSION_BOARD_KEY
from .models import Board
from .permissions import MANAGE_BOARD, boards_for_user, get_board_for_user, user_has_board_perm
from .services import board_update


@require_POST
def board_switch(request: HttpRequest) -> HttpResponse:
    board_id = request.POST.get("board", "")
    board = boards_for_user(request.user).filter(pk=board_id).first() if board_id.isdigit() else None
    if board is None:
        raise Http404("No such board.")
    request.session[SESSION_BOARD_KEY] = board.pk
    messages.success(request, f"You are now working in {board.name}.")
    return redirect("home")


@require_GET
def board_detail(request: HttpRequest, pk: int) -> HttpResponse:
    board = get_board_for_user(request.user, pk)
    return render(
        request,
        "scr_portal/board_detail.html",
        {
            "board": board,
            "agencies": board.agencies.order_by("name"),
            "can_manage": user_has_board_perm(request.user, board, MANAGE_BOARD),
        },
    )


class BoardContactForm(GovukModelForm):
    class Meta:
        model = Board
        fields = ["address", "secure_mailbox", "contact_email", "phone", "nation"]
        labels = {
            "address": "Postal address",
            "secure_mailbox": "Secure mailbox",
            "contact_email": "Business unit email address",
            "phone": "Business unit telephone number",
            "nation": "Whose bank holidays apply",
        }


@require_http_methods(["GET", "POST"])
def board_edit(request: HttpRequest, pk: int) -> HttpResponse:
    board = get_board_for_user(request.user, pk, MANAGE_BOARD)
    form = BoardContactForm(posted_data(request), instance=Board.objects.get(pk=board.pk))
    if request.method == "POST" and form.is_valid():
        board_update(board=board, actor=request.user, **form.cleaned_data)
        messages.success(request, "The board's contact details have been saved.")
        return redirect("board_detail", pk=board.pk)
    return render(request, "scr_portal/board_edit.html", {"board": board, "form": form})


@login_not_required
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Database and broker status for load balancers and monitoring. No personal data."""
    checks = {"database": "ok", "broker": "ok"}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # noqa: BLE001 — any failure means unhealthy
        checks["database"] = "unavailable"
    try:
        from .celery import app

        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception:  # noqa: BLE001
        checks["broker"] = "unavailable"
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", **checks, **_backup_health()},
        status=200 if healthy else 503,
    )


def _backup_health() -> dict:
    """A stale backup is a warning, never a failed health check: load balancers read the status code, and
    taking the portal out of service would not make the backup any younger."""
    from .backup import NOT_CONFIGURED, backup_status

    try:
        status = backup_status()
    except Exception:  # noqa: BLE001 — the backup's state is information, not the portal's health
        return {"backup": "unknown", "backup_warnings": ["the backup status could not be read"]}
    if not status.configured:
        return {"backup": NOT_CONFIGURED}
    return {"backup": "ok"} if status.ok else {"backup": "stale", "backup_warnings": status.problems}


@login_not_required
@require_GET
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "scr_portal/accessibility.html")


@login_not_required
@require_GET
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "scr_portal/privacy.html")


def _mailbox_messages(recipient: str) -> list[dict]:
    """The messages of the demo's mail folder addressed (To or Cc) to ``recipient``, newest first."""
    recipient = recipient.strip().lower()
    folder = Path(settings.DEV_MAILBOX_DIR)
    found = []
    for path in sorted(folder.glob("*.log"), key=lambda p: p.stat().st_mtime, reverse=True):
        raw = path.read_bytes()
        # The file backend separates messages in one file with a line of 79 dashes.
        for index, chunk in enumerate(raw.split(b"\n" + b"-" * 79 + b"\n")):
            if not chunk.strip():
                continue
            message = email.message_from_bytes(chunk.lstrip(), policy=email.policy.default)
            addressed = email.utils.getaddresses(message.get_all("To", []) + message.get_all("Cc", []))
            if recipient not in {address.lower() for _, address in addressed}:
                continue
            body = message.get_body(preferencelist=("plain",))
            found.append(
                {
                    "id": f"{path.stem}-{index}",
                    "to": message.get("To", ""),
                    "subject": message.get("Subject", ""),
                    "date": message.get("Date", ""),
                    "body": body.get_content() if body else "",
                }
            )
    return found


@require_GET
def dev_mailbox(request: HttpRequest) -> HttpResponse:
    """The demo run's outgoing email to the signed-in person, for trying the portal without a mail server.
    Each person sees only their own messages (a set-password link is as good as a password). Absent in
    production."""
    if not settings.DEV_MAILBOX_ENABLED:
        raise Http404("No mailbox.")
    return render(request, "scr_portal/dev_mailbox.html", {"mail": _mailbox_messages(request.user.email)})


def forbidden(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "403.html", status=403)


# --- Benchmark floor (issue 10) -------------------------------------------------------------------------
# BENCHMARK ONLY. The load test's floor: the cheapest signed-in page, one query of its own on top of the
# session, user and board reads every page makes. Every page's latency is reported as a ratio to this
# one. Off (404) unless settings.BENCH_FLOOR_ENABLED, which only `make bench` turns on.


@require_GET
def bench_floor(request: HttpRequest) -> HttpResponse:
    if not getattr(settings, "BENCH_FLOOR_ENABLED", False):
        raise Http404
    boards = Board.objects.filter(pk=request.board.pk).count() if request.board else 0
    return HttpResponse(f"<!doctype html><title>floor</title><p>{boards}</p>", content_type="text/html")
