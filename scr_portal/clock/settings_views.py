"""The board's deadline settings page (business manager): reminder schedule, closure days and timescale
overrides. Views are thin: GET shows, POST calls one service from settings_services, puts a domain error
back on the form, or redirects with a message (post/redirect/get). Every view asks
get_board_for_user(..., MANAGE_BOARD) first: 404 for a non-member, 403 for a member who may not manage."""

from collections.abc import Callable
from functools import partial
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from scr_portal.forms import posted_data
from scr_portal.models import BoardClosureDay, BoardTimescale, DeadlineRule
from scr_portal.permissions import MANAGE_BOARD, get_board_for_user

from . import settings_services as svc
from . import switches
from .settings_forms import BoardSwitchesForm, ClosureDayForm, ReminderScheduleForm, TimescaleForm

RECENT_CHANGES = 20
APPLIES_FROM_NOW = "It applies to deadlines opened from now on."


def _settings_url(board_pk: int, section: str) -> str:
    return f"{reverse('board_settings', args=[board_pk])}#{section}"


@require_GET
def board_settings(request: HttpRequest, pk: int) -> HttpResponse:
    board = get_board_for_user(request.user, pk, MANAGE_BOARD)
    return render(
        request,
        "clock/board_settings.html",
        {
            "board": board,
            "reminder_rows": svc.board_reminder_rows(board),
            "closures": list(BoardClosureDay.objects.filter(board=board)),
            "timescales": svc.board_timescale_rows(board),
            "switch_rows": switches.board_switch_rows(board),
            "changes": list(board.setting_changes.select_related("actor")[:RECENT_CHANGES]),
        },
    )


def _board_form_page(
    request: HttpRequest,
    board,
    form,
    *,
    save: Callable,
    saved: str | Callable[[Any], str],
    section: str,
    template: str,
    unchanged: str = "",
    **context,
) -> HttpResponse:
    """One settings form page: GET shows the form; a valid POST calls `save(**form.service_arguments())`,
    puts a domain error back on the form, or redirects to the section with a message. `save` returns the
    changes made (or the new row); with `unchanged`, an empty result says nothing was changed."""
    if request.method == "POST" and form.is_valid():
        try:
            result = save(**form.service_arguments())
        except ValidationError as error:
            form.add_service_error(error)
        else:
            if result or not unchanged:
                messages.success(request, saved(result) if callable(saved) else saved)
            else:
                messages.info(request, unchanged)
            return redirect(_settings_url(board.pk, section))
    return render(request, template, {"board": board, "form": form, **context})


@require_http_methods(["GET", "POST"])
def board_settings_reminders(request: HttpRequest, pk: int) -> HttpResponse:
    board = get_board_for_user(request.user, pk, MANAGE_BOARD)
    return _board_form_page(
        request,
        board,
        ReminderScheduleForm(posted_data(request), instance=board),
        save=partial(svc.board_reminders_update, board=board, actor=request.user),
        saved=f"The reminder schedule has been saved. {APPLIES_FROM_NOW}",
        unchanged="You did not change the reminder schedule.",
        section="reminder-schedule",
        template="clock/board_settings_reminders.html",
    )


def _closure_added(closure: BoardClosureDay) -> str:
    return f"Closure day added: {svc.day_text(closure.day)}. {APPLIES_FROM_NOW}"


@require_http_methods(["GET", "POST"])
def board_closure_add(request: HttpRequest, pk: int) -> HttpResponse:
    board = get_board_for_user(request.user, pk, MANAGE_BOARD)
    return _board_form_page(
        request,
        board,
        ClosureDayForm(posted_data(request), board=board),
        save=partial(svc.board_closure_add, board=board, actor=request.user),
        saved=_closure_added,
        section="closure-days",
        template="clock/board_settings_closure_add.html",
    )


@require_POST
def board_closure_remove(request: HttpRequest, pk: int, closure_pk: int) -> HttpResponse:
    board = get_board_for_user(request.user, pk, MANAGE_BOARD)
    closure = get_object_or_404(BoardClosureDay, pk=closure_pk, board=board)
    if svc.board_closure_remove(closure=closure, actor=request.user):
        messages.success(request, f"Closure day removed: {svc.day_text(closure.day)}. {APPLIES_FROM_NOW}")
    return redirect(_settings_url(board.pk, "closure-days"))


@require_http_methods(["GET", "POST"])
def board_timescale_edit(request: HttpRequest, pk: int, rule_code: str) -> HttpResponse:
    board = get_board_for_user(request.user, pk, MANAGE_BOARD)
    rule = get_object_or_404(DeadlineRule, code=rule_code)
    default_text = svc.duration_text(rule.amount, rule.unit)
    if request.method == "POST" and request.POST.get("action") == "reset":
        if svc.board_timescale_reset(board=board, actor=request.user, rule=rule):
            messages.success(
                request, f"“{rule.name}” now uses the default, {default_text}. {APPLIES_FROM_NOW}"
            )
        return redirect(_settings_url(board.pk, "timescales"))

    override = BoardTimescale.objects.filter(board=board, rule=rule).first()
    current = override or rule
    form = TimescaleForm(
        posted_data(request),
        rule=rule,
        initial={
            "amount": current.amount,
            "unit": current.unit,
            "reminders": current.reminders and rule.reminders,
        },
    )
    return _board_form_page(
        request,
        board,
        form,
        save=partial(svc.board_timescale_set, board=board, actor=request.user, rule=rule),
        saved=f"The timescale for “{rule.name}” has been saved. {APPLIES_FROM_NOW}",
        unchanged=f"You did not change the timescale for “{rule.name}”.",
        section="timescales",
        template="clock/board_settings_timescale.html",
        rule=rule,
        override=override,
        default_text=default_text,
        current_text=svc.duration_text(current.amount, current.unit),
    )


@require_http_methods(["GET", "POST"])
def board_settings_switches(request: HttpRequest, pk: int) -> HttpResponse:
    board = get_board_for_user(request.user, pk, MANAGE_BOARD)
    return _board_form_page(
        request,
        board,
        BoardSwitchesForm(
            posted_data(request), initial={field: getattr(board, field) for field in switches.SWITCHES}
        ),
        save=partial(switches.board_switches_update, board=board, actor=request.user),
        saved="The process settings have been saved.",
        unchanged="You did not change the process settings.",
        section="process-settings",
        template="clock/board_settings_switches.html",
    )
