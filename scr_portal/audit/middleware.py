"""Logs every successful GET of a page about one case record: views, downloads, exports and prints. It
runs after the view, so only answers the user was allowed to get (2xx) are logged, and a page needs no
code of its own to be covered."""

from ..pagecache import unrecorded
from .cases import case_for
from .services import access_action, access_log_record


class AccessLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method == "GET" and 200 <= response.status_code < 300:
            user = getattr(request, "user", None)
            match = getattr(request, "resolver_match", None)
            if user is not None and user.is_authenticated and match is not None:
                ref = case_for(match.url_name or "", match.kwargs, match.route or "")
                if ref is not None:
                    with unrecorded():
                        access_log_record(
                            user=user, ref=ref, action=access_action(request, response), request=request
                        )
        return response
