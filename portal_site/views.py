"""The home page: each person's work on the current board, gathered from every app."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from imr.selectors import imr_rows, imrs_for_home, imrs_to_sign_off
from imr.work import imr_work
from referrals.permissions import can_create_referral
from referrals.selectors import check_rows, checks_to_answer, decisions_awaiting, work_queue
from referrals.selectors.partners import decisions_to_confirm
from reviews.selectors.work import fair_representation_work, monitoring_work, review_work
from scr_portal.clock.selectors import deadline_rows, my_soonest_deadlines
from scr_portal.models import Role
from scr_portal.pagecache import cached_page
from scr_portal.selectors import case_boards, home_sections, roles_on_board
from scr_portal.work import ordered


def my_work(user, *, today):
    """Every item of work the user has on any of their boards, and what they wait for (issue 19)."""
    return ordered(
        [
            *review_work(user, today=today),
            *fair_representation_work(user),
            *monitoring_work(user),
            *imr_work(user, today=today),
        ]
    )


@cached_page
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    board = request.board
    roles = roles_on_board(user=request.user, board=board)
    sections = home_sections(roles=roles)
    today = timezone.localdate()
    to_do, waiting = my_work(request.user, today=today)
    return render(
        request,
        "scr_portal/home.html",
        {
            "board": board,
            "to_do": to_do,
            "waiting": waiting,
            # A person without a membership still sees the boards of their cases (a panel member from
            # elsewhere, an IMR author).
            "case_boards": case_boards(request.user) if board is None else [],
            "my_deadlines": deadline_rows(
                my_soonest_deadlines(request.user, board=board, limit=10), today=today
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
            "to_confirm": decisions_to_confirm(request.user, board)
            if "decisions_to_confirm" in sections
            else [],
            "can_refer": can_create_referral(request.user, board),
            "my_imrs": imr_rows(imrs_for_home(request.user), today=today),
        },
    )
