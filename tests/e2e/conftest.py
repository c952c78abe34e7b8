"""End-to-end tests: Debian's Chromium driven by Playwright (no browser download), against the live test
server on PostgreSQL. Every journey checks each page it visits with axe-core, all of its rules."""

import os

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make are still
# synchronous, so Django's async-safety guard would refuse them.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import pytest  # noqa: E402
from axe_playwright_python.sync_playwright import Axe  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


class AxeChecker:
    def __init__(self, page):
        self.page = page
        self.axe = Axe()
        self.checked: list[str] = []

    def __call__(self, label: str) -> None:
        # Every rule axe has, best practices included (no tag filter), and a violation of any impact fails.
        results = self.axe.run(self.page)
        self.checked.append(label)
        assert results.violations_count == 0, (
            f"axe-core on {label} ({self.page.url}):\n{results.generate_report()}"
        )


@pytest.fixture
def axe(page):
    return AxeChecker(page)


def current_code(secret: str) -> str:
    """The authenticator app's code now. Near the end of a 30-second period, wait for the next one: a code
    typed at 29.9 s arrives after the period has turned and is refused (no tolerance is configured)."""
    import time

    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time

    left = app_settings.TOTP_PERIOD - time.time() % app_settings.TOTP_PERIOD
    if left < 5:
        time.sleep(left + 0.2)
    return format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))


@pytest.fixture
def sign_in_as(page):
    """Sign in through the real pages: password, then a code from the account's authenticator app."""
    import re

    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from portal_site.demo import DEMO_PASSWORD
    from scr_portal.models import User

    def sign_in(email: str, target=page):
        # A fresh authenticator each time: allauth refuses a code already used, and a second sign-in within
        # the same 30 seconds would otherwise reuse it.
        from allauth.mfa.models import Authenticator

        user = User.objects.get(email=email)
        Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).delete()
        secret = generate_totp_secret()
        TOTP.activate(user, secret)
        target.goto("/accounts/login/")
        target.get_by_label("Email address").fill(email)
        target.get_by_label("Password").fill(DEMO_PASSWORD)
        target.get_by_role("button", name="Sign in").click()
        target.get_by_label("Code from your authenticator app").fill(current_code(secret))
        target.get_by_role("button", name="Sign in").click()
        target.wait_for_url(re.compile(r"^https?://[^/]+/$"))
        return target

    return sign_in


@pytest.fixture
def new_page(browser, live_server):
    """Another person's browser: a page in a context of its own (its own cookies), closed at the end."""
    contexts = []

    def open_page():
        context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def render_on_commit(monkeypatch, private_media):
    """No worker in the document journeys: render in the web process once the request's transaction
    commits."""
    from django.db import transaction

    from scr_portal.documents import rendering, services

    monkeypatch.setattr(
        services,
        "_queue",
        lambda document: transaction.on_commit(lambda: rendering.document_render(document_id=document.pk)),
    )


@pytest.fixture
def northshire_review(db):
    """The demo boards loaded, and a review decided on Northshire's first core agency: (the review, its
    business manager, that agency). The business manager signs in as manager@northshire.example."""
    from portal_site.demo import demo_data_load
    from scr_portal.models import Agency, Board, User
    from tests.reviews.factories import decided_review

    demo_data_load()
    board = Board.objects.get(short_name="NLSCB")
    manager = User.objects.get(email="manager@northshire.example")
    chair = User.objects.get(email="chair@northshire.example")
    agency = Agency.objects.filter(board=board, core_member=True).order_by("pk").first()
    return decided_review(board=board, chair=chair, manager=manager, agencies=[agency]), manager, agency


@pytest.fixture
def northshire_referral(db):
    """The demo boards loaded, and a referral by Northshire's business manager on two of its core agencies:
    (the referral, the business manager, those agencies)."""
    from portal_site.demo import demo_data_load
    from scr_portal.models import Agency, Board, User
    from tests.documents.conftest import make_referral

    demo_data_load()
    board = Board.objects.get(short_name="NLSCB")
    manager = User.objects.get(email="manager@northshire.example")
    agencies = list(Agency.objects.filter(board=board, core_member=True)[:2])
    return make_referral(board=board, author=manager, agencies=agencies, manager=manager), manager, agencies
