"""The alternative-review pages and the key-themes page: who may open and act (404 for those who may not
know the review exists, 403 for board members who may not act), the output download, bad input refused
with a GOV.UK error summary and nothing saved, and query counts that do not grow with the data."""

import pytest
from django.urls import reverse

from referrals.models import Referral
from reviews.models import AlternativeReview, AlternativeState, KeyThemesReferral, Review, ReviewType
from reviews.services import alternative as alt
from reviews.services import themes

from ..factories import date_fields as day_fields
from ..referrals.factories import submitted
from .alternative_factories import appointed, decided_alternative, output_received
from .factories import TODAY, pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def partnership(board_a, chair_a, manager_a, agency_x):
    return decided_alternative(board=board_a, chair=chair_a, manager=manager_a, agencies=[agency_x])


PAGE_MATRIX = [
    # (url name, persona, expected status)
    ("review_alternative", "manager_a", 200),
    ("review_alternative", "chair_a", 200),
    ("review_alternative", "auditor_a", 200),
    ("review_alternative", "manager_b", 404),
    ("review_alternative", "contact_x", 404),
    ("review_alternative_appoint", "manager_a", 200),
    ("review_alternative_appoint", "chair_a", 200),
    ("review_alternative_appoint", "auditor_a", 403),
    ("review_alternative_appoint", "manager_b", 404),
    ("review_alternative_appoint", "contact_x", 404),
    ("review_alternative_output", "manager_a", 200),
    ("review_alternative_output", "chair_a", 403),
    ("review_alternative_output", "manager_b", 404),
    ("review_alternative_accept", "manager_a", 200),
    ("review_alternative_accept", "chair_a", 403),
    ("review_alternative_accept", "contact_x", 404),
]


@pytest.mark.parametrize("name,persona,status", PAGE_MATRIX)
def test_page_permission_matrix(request, client_as, partnership, name, persona, status):
    client = client_as(request.getfixturevalue(persona))
    assert client.get(reverse(name, args=[partnership.pk])).status_code == status


@pytest.mark.parametrize("persona,status", [("manager_a", 200), ("chair_a", 403), ("manager_b", 404)])
def test_step_page_permission(request, client_as, partnership, manager_a, persona, status):
    appointed(partnership, manager=manager_a)
    client = client_as(request.getfixturevalue(persona))
    url = reverse("review_alternative_step", args=[partnership.pk, "scope_agreed"])
    assert client.get(url).status_code == status


@pytest.mark.parametrize(
    "persona,status",
    [("manager_a", 200), ("chair_a", 200), ("auditor_a", 200), ("manager_b", 404), ("contact_x", 404)],
)
def test_output_download_permission(request, client_as, partnership, manager_a, persona, status):
    output_received(partnership, manager=manager_a)
    client = client_as(request.getfixturevalue(persona))
    response = client.get(reverse("review_alternative_output_download", args=[partnership.pk]))
    assert response.status_code == status
    if status == 200:
        assert response["Content-Disposition"].startswith("attachment")


def test_an_scr_has_no_alternative_page(client_as, manager_a, review):
    assert client_as(manager_a).get(reverse("review_alternative", args=[review.pk])).status_code == 404


def test_review_page_shows_the_alternative_section_instead_of_the_scr_stages(
    client_as, manager_a, partnership
):
    page = client_as(manager_a).get(reverse("review_detail", args=[partnership.pk])).content.decode()
    assert 'data-testid="alternative-section"' in page
    assert 'data-testid="task-list"' not in page
    assert "Start scoping" not in page


def test_alternative_page_lists_the_steps_as_a_task_list(client_as, manager_a, partnership):
    appointed(partnership, manager=manager_a)
    page = client_as(manager_a).get(reverse("review_alternative", args=[partnership.pk])).content.decode()
    assert "govuk-task-list" in page
    assert reverse("review_alternative_step", args=[partnership.pk, "scope_agreed"]) in page
    assert "Fran Facilitator, Independent Learning Ltd" in page


def test_appoint_outside_person_without_organisation_keeps_what_was_typed(client_as, manager_a, partnership):
    url = reverse("review_alternative_appoint", args=[partnership.pk])
    response = client_as(manager_a).post(url, {"lead_name": "Fran Facilitator"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page and alt.LEAD_ORGANISATION_REQUIRED in page
    assert 'value="Fran Facilitator"' in page
    assert AlternativeReview.objects.get(review=partnership).state == AlternativeState.PLANNING


def test_complete_a_step_through_the_page(client_as, manager_a, partnership):
    appointed(partnership, manager=manager_a)
    url = reverse("review_alternative_step", args=[partnership.pk, "scope_agreed"])
    response = client_as(manager_a).post(url, {**day_fields("done_on", TODAY), "note": "Agreed."})
    assert response.status_code == 302
    step = partnership.alternative.steps.get(code="scope_agreed")
    assert step.done_on == TODAY and step.note == "Agreed."


def test_upload_refuses_a_file_that_is_not_a_document(client_as, manager_a, partnership):
    alternative = appointed(partnership, manager=manager_a)
    for step in alt.current_steps(alternative)[:-1]:
        alt.alternative_step_complete(alternative=alternative, actor=manager_a, code=step.code, done_on=TODAY)
    url = reverse("review_alternative_output", args=[partnership.pk])
    response = client_as(manager_a).post(url, {"file": pdf("notes.pdf", b"plain words")})
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    assert AlternativeReview.objects.get(pk=alternative.pk).output_file is None


def acceptance(accepted_by, **extra):
    """The acceptance form: accepted today by whom, with one recommendation to the Director."""
    return {
        "accepted_by": accepted_by,
        **day_fields("accepted_on", TODAY),
        "text": "Share concerns earlier.",
        "addressed_to": "Director",
        **extra,
    }


def test_accepting_without_an_output_is_refused_and_keeps_the_text(client_as, manager_a, partnership):
    appointed(partnership, manager=manager_a)
    url = reverse("review_alternative_accept", args=[partnership.pk])
    data = acceptance("lscb_chair")
    response = client_as(manager_a).post(url, data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page and "Upload the summary report" in page
    assert "Share concerns earlier." in page
    assert not Review.objects.filter(pk=partnership.pk, action_plan__isnull=False).exists()


def test_accepting_through_the_page_puts_the_recommendation_in_the_plan(
    client_as, manager_a, partnership, agency_x
):
    output_received(partnership, manager=manager_a)
    url = reverse("review_alternative_accept", args=[partnership.pk])
    data = acceptance("monitoring_group", agency=agency_x.pk)
    response = client_as(manager_a).post(url, data)
    assert response.status_code == 302
    partnership.refresh_from_db()
    assert partnership.state == "monitoring"
    assert partnership.action_plan.recommendations.get().agency == agency_x


def test_alternative_page_query_count_does_not_grow(
    client_as, manager_a, partnership, agency_x, django_assert_max_num_queries
):
    output_received(partnership, manager=manager_a)
    client = client_as(manager_a)
    url = reverse("review_alternative", args=[partnership.pk])
    client.get(url)
    with django_assert_max_num_queries(20):
        assert client.get(url).status_code == 200


# --- Key-themes page ---


@pytest.fixture
def referrals_a(board_a, manager_a):
    return [submitted(board=board_a, author=manager_a) for _ in range(3)]


@pytest.mark.parametrize("persona,status", [("chair_a", 200), ("manager_a", 403), ("manager_b", 403)])
def test_key_themes_page_is_the_chairs(request, client_as, persona, status):
    client = client_as(request.getfixturevalue(persona))
    assert client.get(reverse("key_themes_new")).status_code == status


def test_key_themes_page_lists_only_this_boards_referrals_and_filters(
    client_as, chair_a, referrals_a, board_b, manager_b
):
    other = submitted(board=board_b, author=manager_b)
    page = client_as(chair_a).get(reverse("key_themes_new")).content.decode()
    assert all(referral.reference in page for referral in referrals_a)
    assert other.reference not in page
    page = client_as(chair_a).get(reverse("key_themes_new"), {"q": referrals_a[0].reference}).content.decode()
    assert referrals_a[0].reference in page and referrals_a[1].reference not in page


@pytest.mark.parametrize(
    "picked,reason,message",
    [
        (1, "Neglect across cases.", themes.KEY_THEMES_TOO_FEW),
        (2, "", themes.KEY_THEMES_REASON_REQUIRED),
        ("other", "Neglect across cases.", themes.KEY_THEMES_OTHER_BOARD),
    ],
)
def test_key_themes_bad_input_is_refused_with_nothing_saved(
    client_as, chair_a, referrals_a, board_b, manager_b, picked, reason, message
):
    if picked == "other":
        ids = [referrals_a[0].pk, submitted(board=board_b, author=manager_b).pk]
    else:
        ids = [r.pk for r in referrals_a[:picked]]
    response = client_as(chair_a).post(reverse("key_themes_new"), {"referrals": ids, "reason": reason})
    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page and message in page
    if reason:
        assert reason in page
    assert not Review.objects.filter(review_type=ReviewType.KEY_THEMES).exists()
    assert not KeyThemesReferral.objects.exists()


def test_key_themes_report_is_set_up_from_the_page(client_as, chair_a, referrals_a):
    ids = [r.pk for r in referrals_a[:2]]
    response = client_as(chair_a).post(
        reverse("key_themes_new"), {"referrals": ids, "reason": "Neglect across cases."}
    )
    review = Review.objects.get(review_type=ReviewType.KEY_THEMES)
    assert response.status_code == 302
    assert response["Location"] == reverse("review_alternative", args=[review.pk])
    assert set(review.key_theme_referrals.values_list("referral_id", flat=True)) == set(ids)
    assert review.alternative.state == AlternativeState.PLANNING


def test_key_themes_page_query_count_does_not_grow(client_as, chair_a, board_a, manager_a, referrals_a):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_as(chair_a)
    client.get(reverse("key_themes_new"))
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("key_themes_new"))
    for _ in range(5):
        submitted(board=board_a, author=manager_a)
    assert Referral.objects.filter(board=board_a).count() == 8
    with CaptureQueriesContext(connection) as large:
        client.get(reverse("key_themes_new"))
    assert len(small) == len(large)


def test_review_page_of_an_alternative_review_stays_within_the_page_budget(client_as, manager_a, partnership):
    """The review page's budget (tests/scale/test_query_budgets.py) holds for a non-SCR review too, and does
    not grow as its steps are recorded."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_as(manager_a)
    url = reverse("review_detail", args=[partnership.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    output_received(partnership, manager=manager_a)
    with CaptureQueriesContext(connection) as after:
        assert client.get(url).status_code == 200
    assert len(after) <= 40
    assert len(after) - len(before) <= 2  # the lead, once appointed


@pytest.mark.parametrize("review_type", [ReviewType.SINGLE_AGENCY, ReviewType.MANAGEMENT, ReviewType.AUDIT])
def test_appoint_page_asks_for_the_people_of_the_type(
    client_as, board_a, chair_a, manager_a, agency_x, review_type
):
    review = decided_alternative(
        board=board_a, chair=chair_a, manager=manager_a, agencies=[agency_x], review_type=review_type
    )
    client = client_as(manager_a)
    url = reverse("review_alternative_appoint", args=[review.pk])
    page = client.get(url).content.decode()
    if review_type == ReviewType.SINGLE_AGENCY:
        assert "Agency that writes the IMR" in page and "outside the board" not in page
        response = client.post(url, {"lead_agency": agency_x.pk})
    else:
        assert "outside the board" in page and "Agency that writes the IMR" not in page
        response = client.post(url, {"lead_user": manager_a.pk, **day_fields("planned_completion", TODAY)})
    assert response.status_code == 302
    alternative = AlternativeReview.objects.get(review=review)
    assert alternative.state == AlternativeState.UNDER_WAY
    assert alternative.lead_display in (agency_x.name, manager_a.full_name)
