"""The board reports' figures against a fixture computed by hand (issue 7), and the pages: chart, table,
CSV, and who may see them."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from portal_site.reports import figures
from referrals.models import Referral
from reviews.models import Action, LearningTheme, Review, ReviewState
from tests.reviews.factories import LONDON, TODAY, decided_review
from tests.reviews.plan_factories import add_action, draft_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def fixture(journey, board_a, chair_a, manager_a, agency_x, contact_x):
    """Two referrals decided on 10 Dec 2026: one received 1 Nov (late: due by 1 Dec), one received 20 Nov (on
    time). The first's SCR is submitted to Ofsted on 11 Mar 2027 (on time: due by 10 Jun 2027). Two actions
    of Alpha Police: one due 30 Jun 2027 done 15 Mar 2027 (on time) and verified; one due 30 Jun 2027, moved
    to 1 Mar 2027 and still open (overdue on 15 Mar 2027)."""
    review = journey.to(ReviewState.SUBMITTED_TO_OFSTED)
    other = decided_review(board=board_a, chair=chair_a, manager=manager_a, agencies=[agency_x])
    Referral.objects.filter(pk=review.referral_id).update(received_on=dt.date(2026, 11, 1))
    Referral.objects.filter(pk=other.referral_id).update(received_on=dt.date(2026, 11, 20))
    plan, recommendation, done = draft_plan(review, manager=manager_a, agency=agency_x, owner=contact_x)
    late = add_action(
        recommendation, actor=manager_a, agency=agency_x, owner=contact_x, due_date=dt.date(2027, 6, 30)
    )
    Action.objects.filter(pk=late.pk).update(due_date=dt.date(2027, 3, 1))
    Action.objects.filter(pk=done.pk).update(
        state="verified", done_at=dt.datetime(2027, 3, 15, 9, tzinfo=LONDON), verified_at=timezone.now()
    )
    neglect = LearningTheme.objects.create(board=board_a, name="Neglect")
    abuse = LearningTheme.objects.create(board=board_a, name="Domestic abuse")
    neglect.referrals.set([review.referral, other.referral])
    neglect.reviews.set([review])
    recommendation.themes.set([neglect])
    abuse.referrals.set([other.referral])
    return review


def test_timeliness_figures(fixture, board_a):
    rows = {
        (r["year"], r["measure"], r["review_type"]): (r["total"], r["on_time"])
        for r in figures.timeliness(board_a)
    }
    assert rows[(2026, "Referral to decision (1 month)", "All")] == (2, 1)
    assert rows[(2027, "Decision to completion (6 months)", "Serious case review")] == (1, 1)
    assert rows[(2027, "Decision to completion (6 months)", "All")] == (1, 1)
    assert rows[(2027, "Actions on time", "Serious case review")] == (1, 1)


def test_review_timeliness_rows(fixture, board_a):
    rows = {r["reference"]: r for r in figures.review_timeliness(board_a)}
    row = rows[fixture.reference]
    assert (row["decided"], row["submitted"], row["days"], row["on_time"]) == (
        dt.date(2026, 12, 10),
        dt.date(2027, 3, 11),
        91,
        True,
    )
    assert [r["submitted"] for r in rows.values() if r["reference"] != fixture.reference] == [None]


def test_decisions_figures(fixture, board_a):
    outcomes = [
        (r["year"], r["category"], r["count"]) for r in figures.decisions(board_a) if r["by"] == "Outcome"
    ]
    assert outcomes == [(2026, "Hold a serious case review", 2)]
    assert sum(r["count"] for r in figures.decisions(board_a) if r["by"] == "Advice") == 2


def test_themes_figures(fixture, board_a):
    rows = {(r["year"], r["theme"], r["tagged_on"]): r["count"] for r in figures.themes(board_a)}
    assert rows == {
        (2026, "Domestic abuse", "Referrals"): 1,
        (2026, "Neglect", "Referrals"): 2,
        (2026, "Neglect", "Reviews"): 1,
        (2027, "Neglect", "Recommendations"): 1,
    }


def test_agencies_figures(fixture, board_a):
    assert figures.agencies(board_a, today=TODAY) == [
        {"agency": "Alpha Police", "owned": 2, "overdue": 1, "verified": 1}
    ]


def test_agencies_figures_in_one_query(fixture, board_a, django_assert_num_queries):
    """However many agencies the board has (the annual report shows this table)."""
    with django_assert_num_queries(1):
        figures.agencies(board_a, today=TODAY)


def test_add_months_keeps_to_the_month_end():
    assert figures.add_months(dt.date(2027, 1, 31), 1) == dt.date(2027, 2, 28)
    assert figures.add_months(dt.date(2026, 12, 10), 6) == dt.date(2027, 6, 10)


@pytest.mark.parametrize("slug", ["timeliness", "decisions", "themes", "agencies"])
def test_report_pages_chart_table_and_csv(fixture, manager_a, client_as, slug):
    client = client_as(manager_a)
    page = client.get(reverse("report", args=[slug])).content.decode()
    assert '<svg xmlns="http://www.w3.org/2000/svg" role="img"' in page
    assert 'data-testid="report-table"' in page
    csv = client.get(reverse("report", args=[slug]), {"format": "csv"})
    assert csv["Content-Type"].startswith("text/csv")
    assert len(csv.content.decode().strip().splitlines()) >= 2


def test_timeliness_csv_shows_the_review_type(fixture, chair_a, client_as):
    csv = client_as(chair_a).get(reverse("report", args=["timeliness"]), {"format": "csv"}).content.decode()
    assert "2027,Decision to completion (6 months),Serious case review,1,1,100" in csv
    page = client_as(chair_a).get(reverse("report", args=["timeliness"])).content.decode()
    assert fixture.reference in page


def test_annual_summary(fixture, manager_a, client_as):
    page = client_as(manager_a).get(reverse("report_annual"), {"year": "2026"}).content.decode()
    assert "Annual-report summary 2026" in page and "Referral to decision" in page


def test_reports_only_for_the_business_unit_and_chair(fixture, contact_x, auditor_a, manager_b, client_as):
    for user in (contact_x, auditor_a):
        assert client_as(user).get(reverse("report", args=["timeliness"])).status_code == 403
    assert (
        client_as(manager_b)
        .get(reverse("report", args=["timeliness"]))
        .content.decode()
        .count("Decision to completion")
        == 0
    )


def test_chart_escapes_labels():
    from portal_site.reports.charts import bar_chart

    svg = bar_chart(chart_id="c", title="<b>", bars=[("<script>", 3)])
    assert "<script>" not in svg and "&lt;script&gt;" in svg


def test_each_case_is_counted_and_shown_under_its_own_framework(fixture, board_a, client_as, manager_a):
    """Issue 20: a board holding an SCR and an England 2023 case reports each in its framework's words."""
    other = Referral.objects.filter(board=board_a).exclude(pk=fixture.referral_id).get()
    Referral.objects.filter(pk=other.pk).update(review_framework="england-2023")
    Review.objects.filter(referral=other).update(review_framework="england-2023")
    outcomes = {
        (r["framework"], r["category"]): r["count"]
        for r in figures.decisions(board_a)
        if r["by"] == "Outcome"
    }
    assert outcomes == {("LCSPR", "Hold a serious case review"): 1, ("SCR", "Hold a serious case review"): 1}
    frameworks = {r["reference"]: r["framework"] for r in figures.review_timeliness(board_a)}
    assert frameworks[fixture.reference] == "SCR" and set(frameworks.values()) == {"SCR", "LCSPR"}
    client = client_as(manager_a)
    assert (
        "Year,Framework,By,Category,Count"
        in client.get(reverse("report", args=["decisions"]) + "?format=csv").text
    )
    assert ">LCSPR</td>" in client.get(reverse("report", args=["timeliness"])).text
