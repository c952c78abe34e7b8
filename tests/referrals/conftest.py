"""Fixtures of the referral tests: the referrer at a school, a sub-committee member, a second chair, and a
referral at each step of the workflow (submitted, in agency checks, screening, awaiting the decision), and
a referral just started through the question flow."""

import datetime as dt
import types

import pytest
from django.http import HttpResponse
from django.urls import NoReverseMatch, include, path, reverse

from referrals import services
from scr_portal.models import Role

from ..factories import AgencyFactory, persona
from .factories import RECEIVED, answer_involved, recommended, submitted, with_checks
from .intake_helpers import start
from .workflow_helpers import CHILD


def _referral_page_stand_in(request, pk):
    return HttpResponse(f"Referral {pk}")


@pytest.fixture
def referral_page(settings):
    """The referral page (`referral_detail`) belongs to the intake pages. Until they provide it, a
    stand-in keeps back links and redirects resolvable; once they do, the real page is used."""
    try:
        reverse("referral_detail", args=[1])
    except NoReverseMatch:
        urlconf = types.ModuleType("workflow_test_urls")
        urlconf.urlpatterns = [
            path("referrals/<int:pk>/", _referral_page_stand_in, name="referral_detail"),
            path("", include("portal_site.urls")),
        ]
        settings.ROOT_URLCONF = urlconf


@pytest.fixture
def school(board_a):
    """An agency that refers cases but is not one of the agencies X and Y asked in the checks."""
    return AgencyFactory(board=board_a, name="Alpha Schools")


referrer = persona(Role.AGENCY_CONTACT, "Rita Referrer", agency="school")
subcommittee_member = persona(Role.SUBCOMMITTEE_MEMBER, "Sam Subcommittee")
chair_a2 = persona(Role.LSCB_CHAIR, "Dana Vice-Chair")


@pytest.fixture
def submitted_referral(board_a, referrer):
    return submitted(board=board_a, author=referrer, child_name=CHILD)


@pytest.fixture
def in_checks(board_a, referrer, manager_a, agency_x):
    """Agency X has been written to; agency Y has not."""
    return with_checks(
        board=board_a, author=referrer, manager=manager_a, agencies=[agency_x], child_name=CHILD
    )


@pytest.fixture
def check_x(in_checks, agency_x):
    return in_checks.agency_checks.get(agency=agency_x)


@pytest.fixture
def screening(in_checks, manager_a):
    services.referral_schedule_screening(
        referral=in_checks, actor=manager_a, meeting_date=dt.date(2026, 12, 7), now=RECEIVED
    )
    in_checks.refresh_from_db()
    return in_checks


@pytest.fixture
def to_decide(board_a, referrer, manager_a, agency_x):
    return recommended(
        board=board_a, author=referrer, manager=manager_a, agencies=[agency_x], child_name=CHILD
    )


@pytest.fixture
def check_answered_by_x(to_decide, agency_x, contact_x):
    return answer_involved(
        to_decide.agency_checks.get(agency=agency_x),
        actor=contact_x,
        records_secured_on=dt.date(2026, 11, 24),
    )


@pytest.fixture
def drafting(client_as, contact_x):
    """The referrer signed in, with a referral just started through the start page."""
    client = client_as(contact_x)
    return client, start(client)
