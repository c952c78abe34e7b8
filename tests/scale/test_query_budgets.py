"""Query budgets per page (issue 10): every page the load test visits sends a number of SQL queries that
does not grow with the data. Each test measures a page on small data, adds more of what the page lists
or shows, measures again, and asserts the two counts are equal and within the page's absolute budget.

The IMR pages' own budgets at 5,000 chronology rows are in tests/imr/test_queries.py; here they are
measured with the rest so every page of the load test has a budget in one place."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from imr.models import ChronologyEntry, IMRState
from reviews.models import Review
from scr_portal.models import Role

from ..factories import AgencyFactory, frozen_at, member
from ..imr import factories as imr_factories
from ..referrals.factories import submitted, with_checks
from ..reviews.factories import decided_review

pytestmark = pytest.mark.django_db

# A moment after every factory's own dates (referrals received November 2026, decided December 2026, IMRs
# commissioned January 2027).
NOW = dt.datetime(2027, 3, 15, 10, tzinfo=imr_factories.LONDON)

# The absolute budgets (queries per request, session and permission reads included): what each page sends
# today (November 2026, with the board permissions read once per request) plus a margin of about three.
BUDGET = {
    # The work queue (issue 19) reads the user's panels, reviews, IMRs, agencies, fair-representation
    # requests and their deadlines: a fixed number of queries more.
    "home": 18,  # 24 before the request read its user's permissions, roles and panel seats once (issue 21)
    # With reviews to work on: their guards (the facts of all of them read at once) and deadlines.
    "home_work": 26,
    "deadline_dashboard": 16,
    "referral_list": 14,
    "referral_detail": 25,
    "decisions_awaiting": 12,
    "check_list": 14,
    "review_list": 16,
    "review_detail": 31,
    "imr_list": 18,
    "review_imrs": 17,
    "imr_detail": 29,
    "integrated_chronology": 22,
    # Sign-in, session, second factor, board and permission reads of the middleware, plus the one query.
    "bench_floor": 10,
}


frozen_time = frozen_at(NOW)


@pytest.fixture(autouse=True)
def imr_rules(db):
    from scr_portal.reference_data import ensure_reference_data

    ensure_reference_data()


def count(client, path, data=None) -> int:
    client.get(path, data or {})  # warm the per-process caches (content types, board settings) first
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, data or {})
    assert response.status_code == 200, (path, response.status_code)
    return len(captured)


def assert_budget(name: str, client, path, grow, data=None) -> None:
    before = count(client, path, data)
    grow()
    after = count(client, path, data)
    assert before == after, f"{name}: {before} queries on small data, {after} on larger data"
    assert after <= BUDGET[name], f"{name}: {after} queries, budget {BUDGET[name]}"


def more_referrals(board, author, manager, agencies, n=4):
    def grow():
        for _ in range(n):
            submitted(board=board, author=author)
            with_checks(board=board, author=author, manager=manager, agencies=agencies)

    return grow


@pytest.fixture
def some_referrals(board_a, manager_a, chair_a, contact_x, contact_y, agency_x, agency_y):
    """Everyone exists before the first referral, so each persona has rows on the small data too (a list
    that is empty skips its prefetches, which is not growth)."""
    submitted(board=board_a, author=manager_a)
    return with_checks(board=board_a, author=manager_a, manager=manager_a, agencies=[agency_x])


@pytest.mark.parametrize("persona", ["manager_a", "chair_a", "contact_x"])
def test_home(request, client_as, persona, board_a, manager_a, agency_x, agency_y, some_referrals):
    client = client_as(request.getfixturevalue(persona))
    grow = more_referrals(board_a, manager_a, manager_a, [agency_x, agency_y])
    assert_budget("home", client, reverse("home"), grow)


def test_deadline_dashboard(client_as, board_a, manager_a, agency_x, agency_y, some_referrals):
    grow = more_referrals(board_a, manager_a, manager_a, [agency_x, agency_y])
    assert_budget("deadline_dashboard", client_as(manager_a), reverse("deadline_dashboard"), grow)


@pytest.mark.parametrize("filters", [{}, {"state": "submitted"}, {"q": "2026"}])
def test_referral_list(client_as, board_a, manager_a, agency_x, agency_y, some_referrals, filters):
    grow = more_referrals(board_a, manager_a, manager_a, [agency_x, agency_y])
    assert_budget("referral_list", client_as(manager_a), reverse("referral_list"), grow, filters)


def test_referral_page(client_as, board_a, manager_a, agency_x):
    """One agency asked, then five: the page of the second costs what the page of the first did."""
    client = client_as(manager_a)
    one = with_checks(board=board_a, author=manager_a, manager=manager_a, agencies=[agency_x])
    small = count(client, reverse("referral_detail", args=[one.pk]))
    agencies = [agency_x] + [AgencyFactory(board=board_a) for _ in range(4)]
    five = with_checks(board=board_a, author=manager_a, manager=manager_a, agencies=agencies)
    large = count(client, reverse("referral_detail", args=[five.pk]))
    assert small == large <= BUDGET["referral_detail"]


def test_decisions_awaiting(client_as, board_a, manager_a, chair_a, agency_x, agency_y, some_referrals):
    grow = more_referrals(board_a, manager_a, manager_a, [agency_x, agency_y])
    assert_budget("decisions_awaiting", client_as(chair_a), reverse("decisions_awaiting"), grow)


@pytest.mark.parametrize("persona", ["manager_a", "contact_x"])
def test_check_list(request, client_as, board_a, manager_a, agency_x, agency_y, some_referrals, persona):
    grow = more_referrals(board_a, manager_a, manager_a, [agency_x, agency_y])
    client = client_as(request.getfixturevalue(persona))
    assert_budget("check_list", client, reverse("check_list"), grow)


def test_review_list_and_page(client_as, board_a, chair_a, manager_a, agency_x, agency_y):
    client = client_as(manager_a)
    first = decided_review(board=board_a, chair=chair_a, manager=manager_a, agencies=[agency_x])

    def grow():
        for _ in range(3):
            decided_review(board=board_a, chair=chair_a, manager=manager_a, agencies=[agency_x, agency_y])

    assert_budget("review_list", client, reverse("review_list"), grow)
    assert Review.objects.filter(board=board_a).count() == 4
    small = count(client, reverse("review_detail", args=[first.pk]))
    agencies = [agency_x, agency_y] + [AgencyFactory(board=board_a) for _ in range(3)]
    bigger = decided_review(board=board_a, chair=chair_a, manager=manager_a, agencies=agencies)
    large = count(client, reverse("review_detail", args=[bigger.pk]))
    assert small == large <= BUDGET["review_detail"]


def fill(imr, rows: int, *, start: int = 1000) -> None:
    ChronologyEntry.objects.bulk_create(
        ChronologyEntry(
            imr=imr,
            event_no=number,
            date=dt.date(2020, 6, 1) + dt.timedelta(days=number % 1500),
            family_member=("M", "F", "SC")[number % 3],
            child_seen=bool(number % 2),
            event=f"Event {number}.",
            agency_source="Records",
        )
        for number in range(start, start + rows)
    )


@pytest.fixture
def imr_setup(board_a, manager_a, agency_x, agency_y, contact_x, contact_y):
    """A review with two accepted IMRs and one still requested (so each state's rows are there already)."""
    review = imr_factories.review_ready(board=board_a, created_by=manager_a)
    third = AgencyFactory(board=board_a)
    imr_factories.confirm_involved(review, third, sent_by=manager_a)
    imr_factories.commission(review, [third], actor=manager_a)
    imr_factories.confirm_involved(review, agency_x, sent_by=manager_a)
    imr_factories.confirm_involved(review, agency_y, sent_by=manager_a)
    panel = imr_factories.panel_member(review, appointed_by=manager_a, full_name="Penny Panel")
    by_agency = {
        imr.agency_id: imr for imr in imr_factories.commission(review, [agency_x, agency_y], actor=manager_a)
    }
    x = imr_factories.nominate(by_agency[agency_x.pk], actor=contact_x, email="nina.x@example.org")
    y = imr_factories.nominate(by_agency[agency_y.pk], actor=contact_y, email="yuri.y@example.org")
    x = imr_factories.advance(x, IMRState.ACCEPTED, contact=contact_x, panel=panel)
    y = imr_factories.advance(y, IMRState.ACCEPTED, contact=contact_y, panel=panel)
    return review, panel, x, y


def test_imr_list_and_review_imrs(client_as, board_a, manager_a, imr_setup):
    review, panel, x, y = imr_setup

    def grow():
        more = [AgencyFactory(board=board_a) for _ in range(4)]
        for agency in more:
            imr_factories.confirm_involved(review, agency, sent_by=manager_a)
        imr_factories.commission(review, more, actor=manager_a)

    before_list = count(client_as(manager_a), reverse("imr_list"))
    before_review = count(client_as(panel), reverse("review_imrs", args=[review.pk]))
    grow()
    after_list = count(client_as(manager_a), reverse("imr_list"))
    after_review = count(client_as(panel), reverse("review_imrs", args=[review.pk]))
    assert before_list == after_list <= BUDGET["imr_list"]
    assert before_review == after_review <= BUDGET["review_imrs"]


def test_imr_page_and_integrated_chronology(client_as, manager_a, imr_setup):
    review, panel, x, y = imr_setup
    client = client_as(manager_a)
    assert_budget("imr_detail", client, reverse("imr_detail", args=[x.pk]), lambda: fill(x, 2000))
    client = client_as(panel)
    path = reverse("integrated_chronology", args=[review.pk])
    assert_budget("integrated_chronology", client, path, lambda: fill(y, 2000))


def test_bench_floor(client_as, settings, board_a, manager_a):
    settings.BENCH_FLOOR_ENABLED = True
    client = client_as(manager_a)
    assert_budget(
        "bench_floor", client, reverse("bench_floor"), lambda: member(board=board_a, role=Role.AUDITOR)
    )


def test_bench_floor_is_off_unless_enabled(client, client_as, settings, manager_a):
    settings.BENCH_FLOOR_ENABLED = False
    assert client_as(manager_a).get(reverse("bench_floor")).status_code == 404
    settings.BENCH_FLOOR_ENABLED = True
    client.logout()
    assert client.get(reverse("bench_floor")).status_code == 302


def test_review_list_is_paged(client_as, board_a, manager_a):
    for _ in range(55):
        imr_factories.review_ready(board=board_a, created_by=manager_a, approved=False)
    client = client_as(manager_a)
    first = client.get(reverse("review_list"))
    second = client.get(reverse("review_list"), {"page": 2})
    assert len(first.context["rows"]) == 50 and len(second.context["rows"]) == 5
    assert "Page 1 of 2" in first.text


@pytest.fixture
def work_on_board_a(board_a, manager_a, agency_x, contact_x):
    """Board A's work for each persona: a review in set-up with an independent panel chair, and an IMR
    waiting for agency X to name its author."""
    from reviews.models import PanelRole

    review = imr_factories.review_ready(board=board_a, created_by=manager_a)
    chair = imr_factories.panel_member(
        review, appointed_by=manager_a, role=PanelRole.INDEPENDENT_CHAIR, full_name="Pat Panel-Chair"
    )
    imr_factories.confirm_involved(review, agency_x, sent_by=manager_a)
    imr_factories.commission(review, [agency_x], actor=manager_a)
    return chair


# The states whose guards read the review's own records (versions, meetings, evaluation, plan, panel).
GUARDED_STATES = [
    "setup",
    "presentation_scheduled",
    "overview_drafting",
    "exec_summary_drafting",
    "adopted",
    "submitted_to_ofsted",
    "evaluated",
    "monitoring",
]


def own_reviews_at_every_stage(board, manager):
    def grow():
        for state in GUARDED_STATES:
            review = imr_factories.review_ready(board=board, created_by=manager)
            Review.objects.filter(pk=review.pk).update(state=state)

    return grow


def test_home_work_queue_does_not_grow_with_the_users_own_reviews(client_as, board_a, manager_a):
    """Issue 21: every open review's guard reads facts loaded once for all the reviews."""
    grow = own_reviews_at_every_stage(board_a, manager_a)
    grow()
    assert_budget("home_work", client_as(manager_a), reverse("home"), grow)


def other_boards_cases(board_b):
    """Board B's cases: reviews with their panels and IMRs, nothing of which is board A's personas'."""

    def grow():
        manager_b = member(board=board_b, role=Role.BUSINESS_MANAGER)
        for _ in range(3):
            review = imr_factories.review_ready(board=board_b, created_by=manager_b)
            imr_factories.panel_member(review, appointed_by=manager_b, full_name="Someone Else")
            agency = AgencyFactory(board=board_b)
            imr_factories.confirm_involved(review, agency, sent_by=manager_b)
            imr_factories.commission(review, [agency], actor=manager_b)

    return grow


@pytest.mark.parametrize("persona", ["manager_a", "contact_x", "chair_a", "panel_chair"])
def test_home_work_queue_does_not_grow_with_other_boards(
    request, client_as, persona, board_b, work_on_board_a
):
    """Issue 19 clause 7: the work queue costs the same however much other boards hold."""
    user = work_on_board_a if persona == "panel_chair" else request.getfixturevalue(persona)
    client = client_as(user)
    page = client.get(reverse("home")).text
    assert persona == "chair_a" or 'data-testid="waiting-for"' in page or "Nothing is waiting" not in page
    assert_budget("home_work", client, reverse("home"), other_boards_cases(board_b))
