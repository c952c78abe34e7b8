"""Refusals are refusals (issue 17): the board's auditor may read every case of the board but write none,
so a POST (with a valid CSRF token) to every case URL of the project, taken from the resolver as in the
need-to-know sweep, answers 403, or 405 where the page takes no POST, or 404 where the page does not
apply to this case (an alternative-methodology step of a standard review, a check of another agency). Never
a redirect that looks like success, and nothing is written. The admin is staff-only and sends everyone
else to sign in."""

import pytest
from django.conf import settings
from django.test import Client

from scr_portal.models import Role

from ..factories import member
from .sweep_helpers import NOT_CASE_PAGES, case_counts, sweep_targets


@pytest.mark.django_db
def test_every_write_by_the_read_only_auditor_answers_403(case_a, board_a):  # noqa: F811
    from django.middleware.csrf import _get_new_csrf_string

    auditor = member(board=board_a, role=Role.AUDITOR, full_name="Audrey Auditor")
    client = Client(enforce_csrf_checks=True)
    client.force_login(auditor, backend="allauth.account.auth_backends.AuthenticationBackend")
    token = _get_new_csrf_string()
    client.cookies[settings.CSRF_COOKIE_NAME] = token
    before = case_counts(case_a)
    failures = []
    for pattern, url in sweep_targets(case_a):
        if pattern.name in NOT_CASE_PAGES or pattern.route.startswith("admin/"):
            continue
        data = {"csrfmiddlewaretoken": token, "confirm": "yes", "action": "save", "text": "x"}
        response = client.post(url, data, HTTP_X_CSRFTOKEN=token)
        if response.status_code not in (403, 404, 405):
            failures.append(f"POST {url} [{pattern.name}]: {response.status_code}")
    assert not failures, "POSTs by the read-only auditor that were not refused:\n" + "\n".join(failures)
    assert case_counts(case_a) == before
