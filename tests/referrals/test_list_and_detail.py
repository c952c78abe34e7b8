"""The business unit's referral list, the referral page and the user's own referrals: who sees what (domain
brief §2.1 build note, §2.3), filters, the timeline, and query budgets that do not grow with the data."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from referrals import services
from referrals.models import Referral, ReferralState

from ..factories import AgencyFactory, frozen_at
from .factories import (
    LONDON,
    RECEIVED,
    complete_answers,
    decide,
    draft,
    notify,
    recommended,
    submitted,
    with_checks,
)

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 23, 15, tzinfo=LONDON)


frozen_clock = frozen_at(NOW)


@pytest.fixture
def asked(board_a, referrer, manager_a, agency_x, agency_y):
    """A referral whose agency checks went to agency X and agency Y."""
    return with_checks(
        board=board_a,
        author=referrer,
        manager=manager_a,
        agencies=[agency_x, agency_y],
        child_name="Asked Child",
    )


@pytest.fixture
def not_asked(board_a, referrer):
    return submitted(board=board_a, author=referrer, child_name="Unasked Child")


def detail(referral) -> str:
    return reverse("referral_detail", args=[referral.pk])


def pages(asked, not_asked) -> dict:
    return {
        "list": reverse("referral_list"),
        "detail_asked": detail(asked),
        "detail_not_asked": detail(not_asked),
        "mine": reverse("my_referrals"),
        "start": reverse("referral_start"),
    }


EXPECTED = {
    # persona: list, detail of a referral agency X was asked about, detail of another, mine, start
    "manager_a": (200, 200, 200, 200, 200),
    "chair_a": (200, 200, 200, 200, 403),
    "contact_x": (403, 200, 404, 200, 200),
    "manager_b": (200, 404, 404, 200, 200),
}


@pytest.mark.parametrize("persona", list(EXPECTED))
def test_permission_matrix_for_referral_pages(request, client_as, asked, not_asked, persona):
    client = client_as(request.getfixturevalue(persona))
    got = tuple(client.get(url).status_code for url in pages(asked, not_asked).values())
    assert got == EXPECTED[persona]


def test_signed_out_visitor_is_sent_to_sign_in(client, asked, not_asked):
    for url in pages(asked, not_asked).values():
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith("/accounts/login/"), url


def test_another_boards_manager_sees_nothing_of_board_a(client_as, manager_b, asked, not_asked):
    html = client_as(manager_b).get(reverse("referral_list")).text
    assert asked.reference not in html and not_asked.reference not in html
    assert "No referrals match." in html


def test_board_staff_see_the_whole_referral(client_as, chair_a, asked):
    html = client_as(chair_a).get(detail(asked)).text
    assert "Asked Child" in html and "Must review" in html
    assert "Advice, not a decision: only the LSCB Chair decides." in html
    assert "Alpha Police" in html and "Alpha Hospitals NHS Trust" in html
    assert "LSCB Chair&#x27;s decision on holding a review" in html  # the deadlines table
    assert 'data-testid="timeline"' in html and "Part 1: the referral" in html


def test_agency_contact_sees_part_one_and_only_their_own_agencys_request(client_as, contact_x, asked):
    html = client_as(contact_x).get(detail(asked)).text
    assert "Part 1: the referral" in html and "Asked Child" in html
    assert "Your agency's request" in html
    checks = html.split('data-testid="checks"')[1].split("</table>")[0]
    assert "Alpha Police" in checks and "Alpha Hospitals NHS Trust" not in checks
    assert 'data-testid="timeline"' not in html and "Must review" not in html
    assert "Screening checklist" not in html and 'data-testid="deadlines"' not in html
    assert (
        f'href="{reverse("check_answer", args=[asked.agency_checks.get(agency__name="Alpha Police").pk])}"'
        in html
    )


def test_referrer_sees_the_status_and_the_decision_only(
    client_as, board_a, contact_y, manager_a, chair_a, agency_x
):
    referral = recommended(
        board=board_a, author=contact_y, manager=manager_a, agencies=[agency_x], child_name="Private Child"
    )
    decide(
        referral,
        actor=chair_a,
        reasons="Confidential reasoning.",
        now=dt.datetime(2026, 12, 10, 11, tzinfo=LONDON),
    )
    html = client_as(contact_y).get(detail(referral)).text
    assert referral.reference in html and "Decided" in html
    assert "Hold a serious case review" in html
    for hidden in [
        "Private Child",
        "Confidential reasoning.",
        "Part 1: the referral",
        "Must review",
        "Timeline",
    ]:
        assert hidden not in html


def test_timeline_shows_what_happened_who_did_it_and_why(client_as, manager_a, contact_x, asked):
    check = asked.agency_checks.get(agency__name="Alpha Police")
    services.agency_check_answer(check=check, actor=contact_x, involved=False, now=NOW)
    html = client_as(manager_a).get(detail(asked)).text
    timeline = html.split('data-testid="timeline"')[1]
    assert "Referral started" in timeline and "Referral submitted" in timeline
    assert "Advice: Must review" in timeline and "Agency checks sent" in timeline
    assert "Alpha Police replied: nil return" in timeline and "Xavier Contact" in timeline
    assert "Alice Manager" in timeline
    # newest first
    assert (
        timeline.index("replied") < timeline.index("Referral submitted") < timeline.index("Referral started")
    )


def test_detail_shows_the_decision_deadline_with_its_rag(client_as, manager_a, not_asked):
    html = client_as(manager_a).get(detail(not_asked)).text
    summary = html.split('data-testid="summary"')[1].split("</dl>")[0]
    assert "Wednesday 23 December 2026" in summary and "On track" in summary


def test_my_referrals_lists_drafts_and_submitted_ones_with_their_state(
    client_as, board_a, contact_x, not_asked
):
    mine_draft = draft(board=board_a, author=contact_x)
    mine_sent = submitted(board=board_a, author=contact_x)
    html = client_as(contact_x).get(reverse("my_referrals")).text
    assert mine_draft.reference in html and mine_sent.reference in html and not_asked.reference not in html
    assert reverse("referral_check_answers", args=[mine_draft.pk]) in html
    assert detail(mine_sent) in html and "Draft" in html and "Submitted" in html
    assert reverse("referral_start") in html


def test_the_list_leaves_out_drafts(client_as, board_a, manager_a, not_asked):
    own_draft = draft(board=board_a, author=manager_a)
    html = client_as(manager_a).get(reverse("referral_list")).text
    assert not_asked.reference in html and own_draft.reference not in html


# --- Filters ------------------------------------------------------------------------------------------


def make_referrals(board, author, specs) -> list[Referral]:
    """Referral rows straight into the table (no clocks), for list tests: (reference, state, advice, day)."""
    return Referral.objects.bulk_create(
        [
            Referral(
                board=board,
                reference=reference,
                created_by=author,
                state=state,
                advice=advice,
                child_name=f"Child {reference}",
                received_at=dt.datetime.combine(day, dt.time(11), tzinfo=LONDON) if day else None,
                submitted_at=dt.datetime.combine(day, dt.time(11), tzinfo=LONDON) if day else None,
            )
            for reference, state, advice, day in specs
        ]
    )


def listed(client, **params) -> list[str]:
    html = client.get(reverse("referral_list"), params).text
    table = html.split('data-testid="referral-table"')[1].split("</table>")[0]
    return [ref for ref in ["F-0001", "F-0002", "F-0003", "F-0004"] if ref in table]


def test_filters_by_state_advice_dates_and_reference(client_as, board_a, manager_a):
    make_referrals(
        board_a,
        manager_a,
        [
            ("F-0001", ReferralState.SUBMITTED, "must_review", dt.date(2026, 10, 1)),
            ("F-0002", ReferralState.AGENCY_CHECKS, "consider", dt.date(2026, 10, 15)),
            ("F-0003", ReferralState.DECIDED, "below_threshold", dt.date(2026, 11, 2)),
            ("F-0004", ReferralState.WITHDRAWN, "must_review_custody", dt.date(2026, 11, 20)),
        ],
    )
    client = client_as(manager_a)
    assert listed(client) == ["F-0001", "F-0002", "F-0003", "F-0004"]
    assert listed(client, state="agency_checks") == ["F-0002"]
    assert listed(client, advice="must_review") == ["F-0001"]
    assert listed(client, reference="f-0003") == ["F-0003"]
    october = {"received_from_0": "1", "received_from_1": "10", "received_from_2": "2026"}
    october |= {"received_to_0": "15", "received_to_1": "10", "received_to_2": "2026"}
    assert listed(client, **october) == ["F-0001", "F-0002"]
    html = client.get(reverse("referral_list")).text
    assert html.index("F-0004") < html.index("F-0003") < html.index("F-0001")  # newest first


def test_received_from_after_received_to_is_an_error(client_as, board_a, manager_a):
    make_referrals(
        board_a, manager_a, [("F-0001", ReferralState.SUBMITTED, "consider", dt.date(2026, 10, 1))]
    )
    params = {"received_from_0": "5", "received_from_1": "11", "received_from_2": "2026"}
    params |= {"received_to_0": "1", "received_to_1": "11", "received_to_2": "2026"}
    html = client_as(manager_a).get(reverse("referral_list"), params).text
    assert '<a href="#id_received_to_0">Received to must be the same as or after received from</a>' in html
    assert 'id="id_received_to_0"' in html and 'value="5"' in html
    assert "F-0001" in html  # a reversed date range is not applied


def test_overdue_only_lists_referrals_with_a_deadline_past_its_time(client_as, board_a, manager_a, contact_x):
    late = submitted(board=board_a, author=contact_x)  # agency letters due Tuesday 24 November
    make_referrals(
        board_a, manager_a, [("F-0001", ReferralState.SUBMITTED, "consider", dt.date(2026, 11, 20))]
    )
    with time_machine.travel(dt.datetime(2026, 11, 26, 9, tzinfo=LONDON), tick=False):
        html = client_as(manager_a).get(reverse("referral_list"), {"overdue": "on"}).text
    assert late.reference in html and "F-0001" not in html and "Overdue" in html
    # Back on Monday 23rd, nothing is late yet.
    html = client_as(manager_a).get(reverse("referral_list"), {"overdue": "on"}).text
    assert late.reference not in html


def test_list_shows_the_decision_deadline_in_working_days(client_as, board_a, manager_a, not_asked):
    html = client_as(manager_a).get(reverse("referral_list")).text
    assert "Wednesday 23 December 2026 (22 working days)" in html
    assert "Unasked Child" in html and "Must review" in html


# --- Query budgets ------------------------------------------------------------------------------------


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_referral_list_runs_the_same_number_of_queries_for_10_and_1000_referrals(
    client_as, board_a, manager_a, contact_x
):
    submitted(board=board_a, author=contact_x)  # one with real deadlines
    client = client_as(manager_a)

    def add(start: int, stop: int) -> None:
        make_referrals(
            board_a,
            manager_a,
            [
                (
                    f"Q-{n:05d}",
                    ReferralState.SUBMITTED,
                    "consider",
                    dt.date(2026, 1, 1) + dt.timedelta(days=n % 300),
                )
                for n in range(start, stop)
            ],
        )

    url = reverse("referral_list")
    filtered = f"{url}?overdue=on&state=submitted&received_from_0=1&received_from_1=1&received_from_2=2026"
    add(0, 9)
    count_queries(client, url)  # warm caches (content types, sessions)
    ten = (count_queries(client, url), count_queries(client, filtered))
    add(9, 999)
    assert Referral.objects.filter(board=board_a).count() == 1000
    assert (count_queries(client, url), count_queries(client, filtered)) == ten
    assert count_queries(client, f"{url}?page=20") == ten[0]


def build(board, manager, author, size: int) -> Referral:
    """A referral with `size` family rows, involved agencies, key dates and answered agency checks."""
    agencies = [AgencyFactory(board=board) for _ in range(size)]
    referral = draft(board=board, author=author, criteria_answers=complete_answers(A1=True))
    for relation, rows in [
        ("family", [{"name": f"Person {n}", "relationship": "Cousin"} for n in range(size)]),
        (
            "involved_agencies",
            [{"agency": agency, "worker_name": f"W{n}"} for n, agency in enumerate(agencies)],
        ),
        ("key_dates", [{"date": dt.date(2026, 11, 1 + n % 19), "event": f"Event {n}"} for n in range(size)]),
    ]:
        services.referral_replace_rows(referral=referral, actor=author, relation=relation, rows=rows)
    referral = services.referral_submit(referral=referral, actor=author, now=RECEIVED)
    referral = services.referral_send_agency_checks(
        referral=referral, actor=manager, agencies=agencies, now=RECEIVED + dt.timedelta(hours=1)
    )
    for check in referral.agency_checks.all():
        services.agency_check_answer(
            check=check, actor=manager, involved=False, now=RECEIVED + dt.timedelta(hours=2)
        )
    notify(referral, manager, "ofsted", "incident", RECEIVED.date())
    return referral


def test_referral_page_query_count_does_not_grow_with_rows_checks_or_history(
    client_as, board_a, manager_a, referrer
):
    small = build(board_a, manager_a, referrer, 2)
    large = build(board_a, manager_a, referrer, 20)
    client = client_as(manager_a)
    count_queries(client, detail(small))
    html = client.get(detail(large)).text
    assert "Person 19" in html and "Event 19" in html and html.count("replied: nil return") == 20
    assert count_queries(client, detail(small)) == count_queries(client, detail(large))
