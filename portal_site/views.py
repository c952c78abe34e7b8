"""The home page: each person's work on the current board, gathered from every app."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from imr.selectors import imr_rows, imrs_for_home, imrs_to_sign_off
from referrals.permissions import can_create_referral
from referrals.selectors import check_rows, checks_to_answer, decisions_awaiting, work_queue
from scr_portal.clock.selectors import deadline_rows, my_open_deadlines
from scr_portal.models import Role
from scr_portal.selectors import home_sections, roles_on_board


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    board = request.board
    roles = roles_on_board(user=request.user, board=board)
    sections = home_sections(roles=roles)
    today = timezone.localdate()
    return render(
        request,
        "scr_portal/home.html",
        {
            "board": board,
            "my_deadlines": deadline_rows(
                my_open_deadlines(request.user, board=board)[:10], today=timezone.localdate()
            ),
            "role_labels": [Role(role).label for role in sorted(roles)],
            "sections": sections,
            "work_queue": work_queue(board) if "work_queue" in sections else None,
            "awaiting": decisions_awaiting(board, today=today)[:5]
            if "decisions_awaiting" in sections
            else [],
            "requests": check_rows(checks_to_answer(request.user, board)[:10], today=today)
            if "agency_requests" in sections
            else [],
            "to_sign_off": imr_rows(imrs_to_sign_off(request.user, board), today=today)
            if "sign_off" in sections
            else [],
            "can_refer": can_create_referral(request.user, board),
            "my_imrs": imr_rows(imrs_for_home(request.user), today=today),
        },
    )
