"""Issue 19, clauses 2 and 4: each person finds their work on their home page, computed by the guards the
services use, and one real-world event is one action. Each dead end the issue lists has its own test,
through the pages with the Django test client."""

import datetime as dt

import pytest
from django.urls import reverse

from imr.models import IMR, IMRState
from reviews import services
from reviews.models import Action, ActionState, Review, ReviewState
from scr_portal.models import Role, TransitionLog
from scr_portal.services import membership_grant

from ..factories import AgencyFactory, member
from ..imr import factories as imr_factories
from . import plan_factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def rules(db):
    from scr_portal.reference_data import ensure_reference_data

    ensure_reference_data()


def home(client) -> str:
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.text


# --- Clause 2: the dead ends ------------------------------------------------------------------------------


@pytest.fixture
def panel_chair(board_b):
    """The panel chair comes from another board, where they sit on the sub-committee."""
    return member(board=board_b, role=Role.SUBCOMMITTEE_MEMBER, full_name="Pat Chair-Elsewhere")


def test_panel_chair_from_another_board_sees_their_review_and_the_imr_waiting_for_qa(
    client_as, journey, panel_chair, board_a, board_b
):
    journey.panel_chair = panel_chair
    review = journey.to(ReviewState.IMRS_IN_PROGRESS)
    imr = review.imrs.order_by("pk").first()
    IMR.objects.filter(pk=imr.pk).update(state=IMRState.SUBMITTED)
    page = home(client_as(panel_chair))
    assert "Nothing is waiting for you to act on." not in page
    assert reverse("imr_quality_assurance", args=[imr.pk]) in page
    assert "Quality-assure the IMR" in page
    assert f"{board_a.name} · {imr.case_reference}" in page  # labelled with the board of the case
    assert reverse("review_detail", args=[review.pk]) in page  # the review, waiting for the business unit
    assert "waiting for the business unit" in page


def test_overview_author_home_mentions_the_overview_report(client_as, journey, overview_author):
    review = journey.to(ReviewState.PRESENTATION_HELD)
    page = home(client_as(overview_author))
    assert "Write the overview report" in page
    assert reverse("review_reports", args=[review.pk, "overview"]) in page


def test_imr_author_home_shows_the_fair_representation_request_and_their_board(
    client_as, journey, imr_author_x, board_a, agency_x
):
    review = journey.to(ReviewState.FAIR_REPRESENTATION_CHECK)
    response = client_as(imr_author_x).get(reverse("home"))
    page = response.text
    assert f"Confirm that the final draft represents {agency_x.name} fully and fairly" in page
    assert reverse("review_detail", args=[review.pk]) in page
    assert "No board" not in page
    header = page.split('data-testid="current-board">', 1)[1].split("<", 1)[0]
    assert header == board_a.name


def test_agency_contact_home_shows_an_imr_waiting_for_its_author_to_be_named(
    client_as, board_a, manager_a, agency_x, contact_x
):
    review = imr_factories.review_ready(board=board_a, created_by=manager_a)
    imr_factories.confirm_involved(review, agency_x, sent_by=manager_a)
    (imr,) = imr_factories.commission(review, [agency_x], actor=manager_a)
    page = home(client_as(contact_x))
    assert "Name the IMR&#x27;s author, or record a nil return" in page
    assert reverse("imr_detail", args=[imr.pk]) in page
    assert "due" in page.split("Name the IMR", 1)[1].split("</li>", 1)[0]  # the naming deadline


def test_business_unit_next_step_says_waiting_for_the_lscb_chair(client_as, journey, manager_a):
    review = journey.to(ReviewState.SCOPING)
    services.review_record_methodology(review=review, actor=manager_a, methodology="systems")
    client = client_as(manager_a)
    page = client.get(reverse("review_detail", args=[review.pk])).text
    assert 'data-testid="next-step-waiting"' in page
    assert "Waiting for the LSCB Chair. Their step: Approve the terms of reference." in page
    assert "waiting for the LSCB Chair" in home(client)


def test_the_lscb_chair_finds_the_terms_of_reference_to_approve(client_as, journey, manager_a, chair_a):
    review = journey.to(ReviewState.SCOPING)
    services.review_record_methodology(review=review, actor=manager_a, methodology="systems")
    page = home(client_as(chair_a))
    assert "Approve the terms of reference" in page
    assert reverse("review_tor", args=[review.pk]) in page


def test_a_person_on_two_boards_sees_each_boards_items_labelled(
    client_as, board_a, board_b, manager_a, agency_x
):
    agency_b = AgencyFactory(board=board_b, name="Beta Police")
    both = member(board=board_a, role=Role.AGENCY_CONTACT, agency=agency_x, full_name="Dual Contact")
    membership_grant(user=both, board=board_b, role=Role.AGENCY_CONTACT, agency=agency_b)
    manager_b = member(board=board_b, role=Role.BUSINESS_MANAGER)
    for board, agency, manager in ((board_a, agency_x, manager_a), (board_b, agency_b, manager_b)):
        review = imr_factories.review_ready(board=board, created_by=manager)
        imr_factories.confirm_involved(review, agency, sent_by=manager)
        imr_factories.commission(review, [agency], actor=manager)
    page = home(client_as(both))
    assert f"{board_a.name} · " in page and f"{board_b.name} · " in page


# --- Clause 4: one action per real-world event ---------------------------------------------------------


@pytest.fixture
def approved(board_a, manager_a, agency_x, agency_y):
    review = imr_factories.review_ready(board=board_a, created_by=manager_a)
    Review.objects.filter(pk=review.pk).update(state=ReviewState.TOR_APPROVED)
    for agency in (agency_x, agency_y):
        imr_factories.confirm_involved(review, agency, sent_by=manager_a)
    return Review.objects.get(pk=review.pk)


def test_commissioning_imrs_moves_the_review_without_a_second_step(client_as, approved, manager_a, agency_x):
    page = client_as(manager_a).get(reverse("review_detail", args=[approved.pk])).text
    assert "Record the IMRs as commissioned" not in page
    assert reverse("imr_commission", args=[approved.pk]) in page
    imr_factories.commission(approved, [agency_x], actor=manager_a)
    approved.refresh_from_db()
    assert approved.state == ReviewState.IMRS_COMMISSIONED
    log = TransitionLog.objects.filter(transition="commission_imrs", object_id=approved.pk).get()
    assert log.actor == manager_a and log.to_state == ReviewState.IMRS_COMMISSIONED


def test_an_accepted_imr_moves_the_review_to_imrs_in_progress(approved, manager_a, agency_x, contact_x):
    panel = imr_factories.panel_member(approved, appointed_by=manager_a)
    (imr,) = imr_factories.commission(approved, [agency_x], actor=manager_a)
    imr_factories.advance(imr, IMRState.ACCEPTED, contact=contact_x, panel=panel)
    approved.refresh_from_db()
    assert approved.state == ReviewState.IMRS_IN_PROGRESS
    assert TransitionLog.objects.filter(transition="start_imrs", object_id=approved.pk, actor=panel).exists()


def test_records_secured_date_is_asked_once_and_prefilled_after(
    client_as, approved, manager_a, agency_x, contact_x
):
    (imr,) = imr_factories.commission(approved, [agency_x], actor=manager_a)
    assert imr.records_secured_on == dt.date(2026, 11, 24)  # the agency's answer to the referral's check
    imr = imr_factories.nominate(imr, actor=contact_x, email="nina@example.org")
    client = client_as(imr.author)
    form = client.get(reverse("imr_start", args=[imr.pk])).text
    assert 'value="24"' in form and 'value="2026"' in form
    response = client.post(reverse("imr_start", args=[imr.pk]), {})
    assert response.status_code == 302
    imr.refresh_from_db()
    assert imr.state == IMRState.IN_PREPARATION and imr.records_secured_on == dt.date(2026, 11, 24)


# --- Clause 3: the monitoring group reads the review it monitors ----------------------------------------


def test_subcommittee_member_opens_the_review_it_monitors_not_before(
    client_as, journey, monitor_a, monitor_b
):
    review = journey.to(ReviewState.SCOPING)
    url = reverse("review_detail", args=[review.pk])
    assert client_as(monitor_a).get(url).status_code == 404  # nothing to monitor yet
    review = journey.to(ReviewState.MONITORING)
    page = client_as(monitor_a).get(url)
    assert page.status_code == 200 and 'data-testid="monitoring-view"' in page.text
    assert reverse("review_plan", args=[review.pk]) in page.text
    assert "Parallel processes" not in page.text and "Family and victims" not in page.text
    assert client_as(monitor_b).get(url).status_code == 404  # another board's sub-committee


# --- Clause 2: every role's work on its home page --------------------------------------------------------


@pytest.fixture
def commissioned(board_a, manager_a, agency_x):
    review = imr_factories.review_ready(board=board_a, created_by=manager_a)
    imr_factories.confirm_involved(review, agency_x, sent_by=manager_a)
    (imr,) = imr_factories.commission(review, [agency_x], actor=manager_a)
    return imr


def test_head_of_agency_finds_the_imr_to_sign_off_in_the_work_queue(
    client_as, commissioned, manager_a, contact_x
):
    panel = imr_factories.panel_member(commissioned.review, appointed_by=manager_a)
    imr = imr_factories.advance(commissioned, IMRState.AUTHOR_SIGNED, contact=contact_x, panel=panel)
    page = home(client_as(imr_factories.head_of(imr.agency)))
    work = page.split('data-testid="work-queue"', 1)[1].split("</ul>", 1)[0]
    assert "Sign off the IMR as head of agency" in work
    assert reverse("imr_sign_off", args=[imr.pk]) in work


def test_business_unit_sees_each_imr_of_its_boards_and_whom_it_waits_for(
    client_as, commissioned, manager_a, board_b
):
    other = member(board=board_b, role=Role.BUSINESS_MANAGER)
    page = home(client_as(manager_a))
    waiting = page.split('data-testid="waiting-for"', 1)[1].split("</ul>", 1)[0]
    assert reverse("imr_detail", args=[commissioned.pk]) in waiting
    assert "waiting for the agency to name the author" in waiting
    assert "Name the IMR" not in page  # the agency's to do, not the business unit's
    assert reverse("imr_detail", args=[commissioned.pk]) not in home(client_as(other))


def test_lscb_chair_sees_what_waits_for_the_business_unit(client_as, journey, chair_a):
    review = journey.to(ReviewState.IMRS_COMMISSIONED)
    page = home(client_as(chair_a))
    waiting = page.split('data-testid="waiting-for"', 1)[1].split("</ul>", 1)[0]
    assert reverse("review_detail", args=[review.pk]) in waiting
    assert "waiting for the business unit" in waiting


def test_subcommittee_member_finds_the_review_it_monitors_on_its_home_page_and_list(
    client_as, journey, monitor_a, monitor_b, manager_a, agency_x, contact_x
):
    review = journey.to(ReviewState.SCOPING)
    url = reverse("review_detail", args=[review.pk])
    listed = lambda: client_as(monitor_a).get(reverse("review_list")).text  # noqa: E731
    assert url not in home(client_as(monitor_a)) and url not in listed()  # nothing to monitor yet
    review = journey.to(ReviewState.MONITORING)
    page = home(client_as(monitor_a))
    assert "Follow the action plan" in page and url in page
    assert url in listed()  # and in its review list
    assert reverse("review_detail", args=[review.pk]) not in home(client_as(monitor_b))
    _, _, action = plan_factories.draft_plan(review, manager=manager_a, agency=agency_x, owner=contact_x)
    Action.objects.filter(pk=action.pk).update(state=ActionState.DONE)
    page = home(client_as(monitor_a))
    work = page.split('data-testid="work-queue"', 1)[1].split("</ul>", 1)[0]
    assert "Record the verdict on 1 action done" in work
    assert reverse("review_plan", args=[review.pk]) in work
