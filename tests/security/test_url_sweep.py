"""Need-to-know, proven across the whole site: every URL pattern of the project, taken from the URL resolver
(so a new page is covered without editing this file), is requested with the objects of board A's case by
people who must not see that case. Each answer must be a redirect to sign in, 403, 404 (or 405 for a
POST-only page), never the data. A pattern this test cannot fill with a board-A object fails the test by
name, so nothing is left out silently.

Personas (domain brief §2.3): board B's business manager, the contact of a board-A agency not involved in
the case, the IMR author of another agency on another review, a panel member of another review, and a
signed-out visitor."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from imr.models import (
    IMR,
    ChronologyEntry,
)
from referrals.models import FamilyMember, Referral
from scr_portal.models import (
    CalendarFeed,
)

from .sweep_helpers import (
    AGENCY_PERSONA,
    BOARD_AGENCY_PAGES,
    CONFIDENTIAL,
    MONITOR_PAGES,
    MONITOR_PREFIXES,
    NOT_CASE_PAGES,
    REVIEW_CONFIDENTIAL,
    about_the_review,
    all_patterns,
    case_counts,
    leaks,
    shows_any,
    sign_in_as,
    sweep_targets,
    to_login,
)


@pytest.mark.django_db
def test_every_url_pattern_is_need_to_know(client, client_as, case_a, personas):
    targets = sweep_targets(case_a)
    failures = []
    for persona, user in personas.items():
        sign_in_as(client, client_as, user)
        for pattern, url in targets:
            response = client.get(url)
            status = response.status_code
            ok = to_login(response) or status in (403, 404, 405)
            board_agency_page = pattern.name in BOARD_AGENCY_PAGES and persona == AGENCY_PERSONA
            if not ok and (pattern.name in NOT_CASE_PAGES or board_agency_page) and status in (200, 302):
                ok = not leaks(response)
            elif ok and status != 302 and leaks(response):
                ok = False
            if not ok:
                failures.append(f"GET {url} [{pattern.name}] as {persona}: {status}")
    assert not failures, "Pages that answered someone without a need to know:\n" + "\n".join(failures)


@pytest.mark.django_db
def test_the_monitoring_group_reads_the_review_but_not_its_confidential_parts(client_as, case_a, board_a):
    """Issue 19: the sub-committee member monitoring board A's review opens its page and its action plan,
    and nothing confidential (docs/security.md, "The monitoring group's view of a review"): every other
    page of the case is refused, and no answer holds the people in the case, an IMR's chronology, a
    parallel process or the family's involvement."""
    from scr_portal.models import Role

    from ..factories import member

    monitor = member(board=board_a, role=Role.SUBCOMMITTEE_MEMBER, full_name="Sue Subcommittee")
    client = client_as(monitor)
    review_page = client.get(reverse("review_detail", args=[case_a.pk]))
    assert review_page.status_code == 200
    assert 'data-testid="monitoring-view"' in review_page.text
    assert not shows_any(review_page, CONFIDENTIAL)  # not even the people the screening role knows
    failures = []
    for pattern, url in sweep_targets(case_a):
        if not about_the_review(pattern):
            continue
        response = client.get(url)
        status = response.status_code
        if status in (403, 404, 405) or to_login(response):
            continue
        mine = pattern.name in MONITOR_PAGES or pattern.name.startswith(MONITOR_PREFIXES)
        if not (mine or pattern.name in NOT_CASE_PAGES):
            failures.append(f"GET {url} [{pattern.name}]: {status}, not a page of the monitoring group")
        elif status != 302 and shows_any(response, REVIEW_CONFIDENTIAL):
            failures.append(f"GET {url} [{pattern.name}]: shows a confidential part")
    assert not failures, "The monitoring group reached beyond its view:\n" + "\n".join(failures)


@pytest.mark.django_db
def test_searching_for_the_case_finds_nothing_without_a_need_to_know(client, client_as, case_a, personas):
    """Issue 19: the header's search, by the child's and the mother's names and the case's reference."""
    from .sweep_helpers import SECRET_CHILD, SECRET_MOTHER

    failures = []
    for persona, user in personas.items():
        sign_in_as(client, client_as, user)
        for query in (SECRET_CHILD.lower(), SECRET_MOTHER.upper(), case_a.reference):
            response = client.get(reverse("search"), {"q": query})
            if not (to_login(response) or response.status_code == 200 and not leaks(response)):
                failures.append(f"search {query!r} as {persona}: {response.status_code}")
            elif response.status_code == 200 and response.context["results"].total:
                failures.append(f"search {query!r} as {persona} found {response.context['results'].found}")
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
def test_posting_to_any_case_url_changes_nothing(client_as, case_a, personas):
    """A POST with a valid CSRF token to every case URL, as each persona, is refused and changes nothing."""
    from django.middleware.csrf import _get_new_csrf_string

    client = Client(enforce_csrf_checks=True)
    targets = [(p, url) for p, url in sweep_targets(case_a) if p.name not in NOT_CASE_PAGES]
    before = case_counts(case_a)
    failures = []
    for persona, user in personas.items():
        client.logout()
        if user is not None:
            client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
        token = _get_new_csrf_string()
        client.cookies[settings.CSRF_COOKIE_NAME] = token
        for pattern, url in targets:
            data = {"csrfmiddlewaretoken": token, "confirm": "yes", "action": "save", "text": "x"}
            response = client.post(url, data, HTTP_X_CSRFTOKEN=token)
            status = response.status_code
            refused = to_login(response) or status in (403, 404, 405)
            # A board-wide agency page may answer a POST with its form again; the counts below prove
            # nothing was written.
            if not refused and not (pattern.name in BOARD_AGENCY_PAGES and persona == AGENCY_PERSONA):
                failures.append(f"POST {url} [{pattern.name}] as {persona}: {status}")
            # The token is valid, so a refusal is the view's, never the CSRF check's.
            assert b"CSRF verification failed" not in response.content, url
    assert not failures, "POSTs that were not refused:\n" + "\n".join(failures)
    assert case_counts(case_a) == before


PAYLOAD = "<script>alert(1)</script>"


@pytest.mark.django_db
def test_script_in_case_fields_renders_escaped(client_as, case_a, manager_a):
    referral = case_a.referral
    Referral.objects.filter(pk=referral.pk).update(
        child_name=f"Zeb {PAYLOAD}", brief_account=f"Outline {PAYLOAD}", child_address=f"1 Road {PAYLOAD}"
    )
    FamilyMember.objects.filter(referral=referral).update(name=f"Mum {PAYLOAD}", relationship=PAYLOAD)
    ChronologyEntry.objects.update(event=f"Event {PAYLOAD}")
    client = client_as(manager_a)
    imr = IMR.objects.filter(review=case_a).order_by("pk").first()
    pages = [
        reverse("referral_detail", args=[referral.pk]),
        reverse("referral_list"),
        reverse("review_detail", args=[case_a.pk]),
        reverse("review_list"),
        reverse("imr_detail", args=[imr.pk]),
        reverse("imr_chronology", args=[imr.pk]),
        reverse("integrated_chronology", args=[case_a.pk]),
    ]
    escaped_somewhere = 0
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        assert PAYLOAD not in text, f"unescaped script on {url}"
        escaped_somewhere += "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    referral_page = client.get(pages[0]).content.decode()
    assert referral_page.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 3
    assert escaped_somewhere >= 4


def test_calendar_feed_needs_a_real_token(client, db):
    assert client.get("/calendar/not-a-real-token.ics").status_code == 404
    assert CalendarFeed.objects.count() == 0


def test_sweep_sees_every_app():
    names = {pattern.name for pattern in all_patterns()}
    for expected in (
        "referral_detail",
        "review_detail",
        "imr_detail",
        "deadline_detail",
        "document_download",
    ):
        assert expected in names
