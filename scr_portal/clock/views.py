from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from scr_portal.forms import posted_data
from scr_portal.models import CalendarFeed, SentReminder, TransitionLog, User
from scr_portal.permissions import WORK_CASES, user_has_board_perm
from scr_portal.viewhelpers import TemplateRow, pk_url

from ..pagecache import cached_page
from . import resend, services
from .calendar import deadlines_ics
from .forms import (
    DeadlineCancelForm,
    DeadlineExtendForm,
    DeadlineFilterForm,
    DeadlineMeetForm,
    NotificationPreferenceForm,
)
from .permissions import deadlines_visible_to, get_deadline_for_user, sees_all_board_deadlines
from .schedule import at_local
from .selectors import deadline_rows, filter_deadlines, my_open_deadlines, undelivered_reminders, with_people

PAGE_SIZE = 50


@dataclass(frozen=True)
class DashboardRow(TemplateRow):
    """A row of the deadline dashboard with its cells worked out here rather than cell by cell in the
    template (the rendering is most of the page's time)."""

    url: str
    case_reference: str
    review_short: str
    title: str
    statutory: bool
    due_text: str
    responsible: str
    rag_tag: str
    rag_label: str


def _dashboard_rows(rows) -> list[DashboardRow]:
    detail_url = pk_url("deadline_detail")
    return [
        DashboardRow(
            url=detail_url(row.deadline.pk),
            case_reference=row.deadline.case_reference,
            review_short=row.deadline.review_short,
            title=row.deadline.title,
            statutory=row.deadline.statutory,
            due_text=row.due_text,
            responsible=", ".join(person.full_name for person in row.deadline.responsible_users.all())
            or row.deadline.responsible_role,
            rag_tag=row.rag_tag,
            rag_label=row.rag_label,
        )
        for row in rows
    ]


def _require_board(request):
    if request.board is None:
        raise Http404("You are not a member of any board.")
    return request.board


@cached_page
@require_GET
def deadline_dashboard(request: HttpRequest) -> HttpResponse:
    board = _require_board(request)
    if not sees_all_board_deadlines(request.user, board):
        raise PermissionDenied("Only the board's staff and chairs see all its deadlines.")
    people = User.objects.filter(memberships__board=board).distinct().order_by("full_name")
    form = DeadlineFilterForm(request.GET or None, people=people)
    filters = form.cleaned_data if form.is_valid() else {}
    deadlines = filter_deadlines(
        deadlines_visible_to(request.user, board),
        kind=filters.get("kind", ""),
        case=filters.get("case", ""),
        responsible=filters.get("responsible"),
        statutory_only=filters.get("statutory", False),
        include_closed=filters.get("closed", False),
    )
    page = Paginator(with_people(deadlines), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = _dashboard_rows(deadline_rows(page.object_list, today=timezone.localdate()))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "clock/dashboard.html",
        {
            "board": board,
            "form": form,
            "rows": rows,
            "page": page,
            "query": query.urlencode(),
        },
    )


@require_GET
def deadline_detail(request: HttpRequest, pk: int) -> HttpResponse:
    deadline = get_deadline_for_user(request.user, pk)
    row = deadline_rows(
        with_people(deadlines_visible_to(request.user, deadline.board).filter(pk=pk)),
        today=timezone.localdate(),
    )[0]
    history = TransitionLog.objects.filter(
        content_type__model="deadline", object_id=deadline.pk
    ).select_related("actor")
    return render(
        request,
        "clock/deadline_detail.html",
        {
            "deadline": row.deadline,
            "row": row,
            "steps": deadline.reminder_steps.order_by("send_at"),
            "extensions": deadline.extensions.select_related("recorded_by"),
            "history": history,
            "can_act": deadline.is_active and user_has_board_perm(request.user, deadline.board, WORK_CASES),
            "can_cancel": deadline.is_active and services.may_cancel(request.user, deadline),
            "closing_message": services.event_closing_message(deadline),
        },
    )


def _deadline_action(request, pk, form_class, template, apply, refusal=None):
    deadline = get_deadline_for_user(request.user, pk, act=True)
    if not deadline.is_active:
        messages.error(request, services.DEADLINE_CLOSED)
        return redirect("deadline_detail", pk=deadline.pk)
    if refusal and (message := refusal(deadline)):
        # The page says why it cannot be used here, and where the deadline is met instead.
        return render(request, template, {"deadline": deadline, "refusal": message})
    today = timezone.localdate()
    kwargs = {"deadline": deadline, "today": today} if form_class is not DeadlineCancelForm else {}
    form = form_class(posted_data(request), **kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            message = apply(deadline, form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, message)
            return redirect("deadline_detail", pk=deadline.pk)
    return render(request, template, {"deadline": deadline, "form": form})


@require_http_methods(["GET", "POST"])
def deadline_meet(request: HttpRequest, pk: int) -> HttpResponse:
    def apply(deadline, data):
        met_on = data["met_on"]
        at = timezone.now() if met_on == timezone.localdate() else at_local(met_on, 12)
        met = services.deadline_record_done(
            deadline=deadline,
            actor=request.user,
            at=at,
            done_by_name=data["done_by_name"],
            evidence=data["evidence"],
        )
        return f"Recorded as {met.get_status_display().lower()}."

    return _deadline_action(
        request,
        pk,
        DeadlineMeetForm,
        "clock/deadline_meet.html",
        apply,
        refusal=services.event_closing_message,
    )


@require_http_methods(["GET", "POST"])
def deadline_extend(request: HttpRequest, pk: int) -> HttpResponse:
    def apply(deadline, data):
        services.deadline_extend(deadline=deadline, actor=request.user, **data)
        return f"The deadline now falls due on {data['new_due_date']:%A %-d %B %Y}."

    return _deadline_action(request, pk, DeadlineExtendForm, "clock/deadline_extend.html", apply)


@require_http_methods(["GET", "POST"])
def deadline_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    def apply(deadline, data):
        services.deadline_cancel_by_hand(deadline=deadline, actor=request.user, reason=data["reason"])
        return "The deadline has been cancelled."

    deadline = get_deadline_for_user(request.user, pk, act=True)
    if deadline.is_active and not services.may_cancel(request.user, deadline):
        raise PermissionDenied(services.STATUTORY_CANCEL_MANAGER_ONLY)
    return _deadline_action(request, pk, DeadlineCancelForm, "clock/deadline_cancel.html", apply)


@require_GET
def undelivered_notifications(request: HttpRequest) -> HttpResponse:
    board = _require_board(request)
    if not user_has_board_perm(request.user, board, WORK_CASES):
        raise PermissionDenied("Only the business unit sees undelivered notifications.")
    return render(
        request, "clock/undelivered.html", {"board": board, "reminders": undelivered_reminders(board)}
    )


@require_POST
def undelivered_resend(request: HttpRequest, pk: int) -> HttpResponse:
    reminder = SentReminder.objects.select_related("board").filter(pk=pk).first()
    if reminder is None or request.board is None or reminder.board_id != request.board.pk:
        raise Http404("No such notification.")
    if not user_has_board_perm(request.user, reminder.board, WORK_CASES):
        raise PermissionDenied("Only the business unit can resend notifications.")
    try:
        resend.sent_reminder_resend(sent_reminder=reminder, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "The reminder will be sent again.")
    return redirect("undelivered_notifications")


@require_http_methods(["GET", "POST"])
def notification_settings(request: HttpRequest) -> HttpResponse:
    form = NotificationPreferenceForm(
        posted_data(request), initial={"reminder_delivery": request.user.reminder_delivery}
    )
    if request.method == "POST" and form.is_valid():
        services.notification_preference_set(user=request.user, **form.cleaned_data)
        messages.success(request, "Your reminder preference has been saved.")
        return redirect("notification_settings")
    feed = CalendarFeed.objects.filter(user=request.user, revoked_at__isnull=True).first()
    feed_url = request.build_absolute_uri(f"/calendar/{feed.token}.ics") if feed else ""
    return render(request, "clock/notification_settings.html", {"form": form, "feed_url": feed_url})


@require_POST
def calendar_feed_create(request: HttpRequest) -> HttpResponse:
    services.calendar_feed_create(user=request.user)
    messages.success(request, "Your calendar address has been created. Any earlier address no longer works.")
    return redirect("notification_settings")


@require_POST
def calendar_feed_revoke(request: HttpRequest) -> HttpResponse:
    services.calendar_feed_revoke(user=request.user)
    messages.success(request, "Your calendar address has been switched off.")
    return redirect("notification_settings")


@login_not_required
@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The secret-address feed: no sign-in (calendar programs cannot), so the token is the key. A revoked
    or unknown token is a plain 404."""
    feed = get_object_or_404(
        CalendarFeed.objects.select_related("user"), token=token, revoked_at__isnull=True
    )
    if not feed.user.is_active:
        raise Http404("No such calendar.")
    deadlines = [
        deadline for board in _boards_of(feed.user) for deadline in my_open_deadlines(feed.user, board=board)
    ]
    response = HttpResponse(
        deadlines_ics(deadlines, now=timezone.now()), content_type="text/calendar; charset=utf-8"
    )
    response["Cache-Control"] = "private, no-store"
    return response


def _boards_of(user):
    from scr_portal.permissions import boards_for_user

    return list(boards_for_user(user))
