"""The board's people page and the business manager's changes to it. Only the board's business manager
(manage_board) opens these pages: 404 for someone who is not on the board, 403 for other members."""

from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from scr_portal import roles
from scr_portal.forms import GovukForm, posted_data
from scr_portal.models import Membership
from scr_portal.permissions import MANAGE_BOARD, get_board_for_user
from scr_portal.viewhelpers import form_page

from .forms import IMR_AUTHOR, PANEL_ROLES, InviteForm, RoleForm
from .selectors import board_people, board_person


def _managed_board(request: HttpRequest, pk: int):
    return get_board_for_user(request.user, pk, MANAGE_BOARD)


def _back(board) -> str:
    return reverse("board_people", args=[board.pk])


def _people_form(request, board, form, apply, done, **context) -> HttpResponse:
    """One of the business manager's form pages: back to the board's people page."""
    context = {"board": board, "back": _back(board), **context}
    return form_page(request, form=form, apply=apply, done=done, template="people/form.html", context=context)


@require_GET
def people_list(request: HttpRequest, pk: int) -> HttpResponse:
    board = _managed_board(request, pk)
    return render(request, "people/list.html", {"board": board, "people": board_people(board)})


@require_http_methods(["GET", "POST"])
def person_invite(request: HttpRequest, pk: int) -> HttpResponse:
    """Invite a person; the manager then gives them their role."""
    board = _managed_board(request, pk)

    def apply(data):
        return roles.person_invite(board=board, actor=request.user, **data)

    def done(result):
        person, created = result
        sent = "a link to choose a password" if not person.has_usable_password() else "an email to sign in"
        messages.success(request, f"{person.full_name} has been sent {sent}. Now give them a role.")
        return redirect("board_role_give", pk=board.pk, user_pk=person.pk)

    return _people_form(
        request,
        board,
        InviteForm(posted_data(request)),
        apply,
        done,
        heading="Invite a person",
        button="Send the invitation",
    )


@require_http_methods(["GET", "POST"])
def role_give(request: HttpRequest, pk: int, user_pk: int) -> HttpResponse:
    """Give a board role at once; a panel place or an IMR's authorship goes on to the page that records
    the independence declaration that role needs, with the person filled in."""
    board = _managed_board(request, pk)
    person = board_person(board, user_pk)
    if person is None:
        raise Http404("No such person on this board.")
    user = person.user

    def apply(data):
        role = data["role"]
        if role in PANEL_ROLES:
            query = {"role": role, "email": user.email, "organisation": user.organisation}
            return f"{reverse('review_appoint', args=[data['review'].pk])}?{urlencode(query)}"
        if role == IMR_AUTHOR:
            imr = data["imr"]
            page = "imr_nominate" if imr.author_id is None else "imr_replace_author"
            query = {"email": user.email, "full_name": user.full_name}
            return f"{reverse(page, args=[imr.pk])}?{urlencode(query)}"
        membership = roles.board_role_give(
            board=board, actor=request.user, person=user, role=role, agency=data["agency"]
        )
        messages.success(request, f"{user.full_name} has been given the role: {roles.role_text(membership)}.")
        return _back(board)

    return _people_form(
        request,
        board,
        RoleForm(posted_data(request), board=board),
        apply,
        redirect,
        person=person,
        heading=f"Give {user.full_name} a role",
        button="Continue",
    )


@require_http_methods(["GET", "POST"])
def role_take(request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    board = _managed_board(request, pk)
    membership = get_object_or_404(
        Membership.objects.select_related("user", "agency"), pk=membership_pk, board=board
    )
    label = roles.role_label(membership)

    def apply(data):
        roles.board_role_take(membership=membership, actor=request.user)

    def done(result):
        messages.success(request, f"Role taken away: {label}. Their access has changed at once.")
        return redirect(_back(board))

    return _people_form(
        request,
        board,
        GovukForm(posted_data(request)),
        apply,
        done,
        heading=f"Take a role away from {membership.user.full_name}",
        intro=f"{label}. They lose the access this role gives as soon as you confirm.",
        button="Take the role away",
        warning=True,
    )
