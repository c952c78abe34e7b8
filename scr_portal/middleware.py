from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from .models import Board
from .permissions import VIEW_BOARD, cache_board_perms

SESSION_BOARD_KEY = "current_board_id"


def _has_authenticator(user) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class SecondFactorRequiredMiddleware:
    """Sends a signed-in user without an authenticator app to set one up before anything else.

    With MFA_REQUIRED on (production) this applies to every page; the Django admin always needs it.
    allauth then asks for the code at every sign-in of an account that has one.
    """

    ALWAYS_ALLOWED_PREFIXES = ("/accounts/", "/static/", "/healthz", "/accessibility/", "/privacy/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        path = request.path
        if user.is_authenticated and not path.startswith(self.ALWAYS_ALLOWED_PREFIXES):
            needs_factor = settings.MFA_REQUIRED or path.startswith("/admin/")
            if needs_factor and not _has_authenticator(user):
                return redirect(f"{reverse('mfa_activate_totp')}?next={path}")
        return self.get_response(request)


class CurrentBoardMiddleware:
    """Sets `request.board` (the board chosen in the header) and `request.boards` (all the user's boards).

    The choice is re-checked on every request, so a membership removed mid-session takes effect at once.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.boards = []
        request.board = None
        request.board_perms = frozenset()
        if request.user.is_authenticated:
            perms = cache_board_perms(request.user)
            boards = [
                board
                for board in Board.objects.filter(pk__in=perms).order_by("name")
                if VIEW_BOARD in perms[board.pk]
            ]
            request.boards = boards
            chosen = request.session.get(SESSION_BOARD_KEY)
            request.board = next((b for b in boards if b.pk == chosen), boards[0] if boards else None)
            request.board_perms = (
                frozenset(perm.split(".", 1)[1] for perm in perms[request.board.pk])
                if request.board
                else frozenset()
            )
        return self.get_response(request)
