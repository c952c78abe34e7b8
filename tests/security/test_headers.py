"""Security headers on every response, scripts only by CSP nonce, and no inline event handlers anywhere."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def test_pages_carry_the_security_headers(client):
    response = client.get(reverse("account_login"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert "'unsafe-inline'" not in csp


def test_every_script_carries_the_csp_nonce(client_as, manager_a):
    response = client_as(manager_a).get(reverse("home"))
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
    scripts = re.findall(r"<script[^>]*>", response.text)
    assert scripts
    assert all(f'nonce="{nonce}"' in tag for tag in scripts), scripts


def test_the_nonce_changes_with_every_response(client):
    first = client.get(reverse("account_login"))["Content-Security-Policy"]
    second = client.get(reverse("account_login"))["Content-Security-Policy"]
    assert first != second


def test_no_template_has_an_inline_event_handler_or_javascript_url():
    offenders = []
    for path in (ROOT / "templates").rglob("*.html"):
        text = path.read_text()
        if re.search(r"\son[a-z]+\s*=", text) or "javascript:" in text.lower():
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_posts_without_a_csrf_token_are_refused(manager_a, board_a):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(manager_a, backend="allauth.account.auth_backends.AuthenticationBackend")
    response = client.post(reverse("board_edit", args=[board_a.pk]), {"phone": "1"})
    assert response.status_code == 403
