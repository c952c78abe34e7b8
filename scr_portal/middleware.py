import time

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from .models import Board
from .permissions import VIEW_BOARD, cache_board_perms

SESSION_BOARD_KEY = "current_board_id"
SESSION_REFRESHED_KEY = "_idle_refreshed_at"
IDLE_REFRESH_SECONDS = 60


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


def idle_clock_started(sender, request, user, **kwargs) -> None:
    """Signing in saves the session anyway: start its idle clock then, so the first page does not save it
    again."""
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_REFRESHED_KEY] = int(time.time())


class IdleSessionMiddleware:
    """The idle timeout (SESSION_COOKIE_AGE seconds without a request) without an UPDATE and a COMMIT on every
    request, which SESSION_SAVE_EVERY_REQUEST costs: a request marks the session changed only when its idle
    clock was last moved a minute or more ago, and Django's session middleware then saves it with a fresh
    expiry. A session therefore ends between SESSION_COOKIE_AGE - 60 and SESSION_COOKIE_AGE seconds after
    the last request, never later. Anonymous visitors get no session row."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        if session.session_key is not None:
            refreshed = session.get(SESSION_REFRESHED_KEY)
            now = int(time.time())
            # Loading the session forgets the key of an expired or unknown one: nothing to keep alive.
            stale = refreshed is None or not 0 <= now - refreshed < IDLE_REFRESH_SECONDS
            if session.session_key is not None and stale:
                session[SESSION_REFRESHED_KEY] = now
        return self.get_response(request)
