"""Who sees and acts on a review (domain brief §2.3). The matrix: board-wide staff see every review of
their board; a panel member of review X sees X and not Y; an IMR author sees only the approved terms of
reference and the final draft of their own review; users of another board see nothing (404); someone
who sees a review but may not do an action gets a 403 that says who can."""

import pytest
from django.urls import reverse

from reviews import services
from reviews.models import ReviewState
from reviews.selectors.tor import approved_tor
from scr_portal.models import Role

from ..factories import member, signed_in
from .factories import Journey, add_imr, appoint, decided_review, independent_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def review_x(journey):
    """Review X, at the fair-representation check: IMR authors X and Y have the final draft."""
    return journey.to(ReviewState.FAIR_REPRESENTATION_CHECK)


@pytest.fixture
def review_y(board_a, chair_a, manager_a, agency_x, ofsted_elements):
    review = decided_review(board=board_a, chair=chair_a, manager=manager_a, agencies=[agency_x])
    return Journey(review, manager=manager_a, chair=chair_a, agencies=[agency_x]).to(ReviewState.TOR_APPROVED)


@pytest.fixture
def member_of_x(review_x, manager_a):
    user = independent_person(full_name="Erin Expert")
    appoint(
        review_x, actor=manager_a, user=user, role="expert", post="Paediatrician", organisation="Alpha Trust"
    )
    return user


@pytest.fixture
def member_of_y_only(review_y, manager_a):
    user = independent_person(full_name="Yolanda Y-Panel")
    appoint(review_y, actor=manager_a, user=user, role="legal_adviser")
    return user


@pytest.fixture
def imr_author_of_y(review_y, manager_a, board_a):
    from ..factories import AgencyFactory

    user = independent_person(full_name="Yves Y-Author")
    add_imr(review_y, AgencyFactory(board=board_a, name="Alpha Schools"), author=user, actor=manager_a)
    return user


@pytest.fixture
def superuser(db):
    return independent_person(full_name="Root", is_superuser=True, is_staff=True)


PERSONAS = {
    "manager_a": 200,
    "chair_a": 200,
    "auditor_a": 200,
    "member_of_x": 200,
    "panel_chair": 200,
    "imr_author_x": 200,
    "member_of_y_only": 404,
    "imr_author_of_y": 404,
    "contact_x": 404,
    "manager_b": 404,
    "superuser": 404,
}


@pytest.mark.parametrize(("persona", "status"), PERSONAS.items())
def test_who_sees_review_x(request, client_as, review_x, persona, status):
    user = request.getfixturevalue(persona)
    response = client_as(user).get(reverse("review_detail", args=[review_x.pk]))
    assert response.status_code == status


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("manager_a", 200),
        ("member_of_y_only", 200),
        ("member_of_x", 404),
        ("imr_author_x", 404),
        ("manager_b", 404),
    ],
)
def test_a_panel_member_of_x_cannot_see_y(
    request, client_as, review_x, review_y, member_of_y_only, persona, status
):
    user = request.getfixturevalue(persona)
    assert client_as(user).get(reverse("review_detail", args=[review_y.pk])).status_code == status


def test_the_imr_author_page_shows_only_the_approved_terms_and_the_final_draft(
    client_as, review_x, imr_author_x
):
    page = client_as(imr_author_x).get(reverse("review_detail", args=[review_x.pk])).content.decode()
    assert "As an IMR author" in page
    assert "Terms of reference, version 1" in page and "Download version 1, the final draft" in page
    for hidden in ("Deadlines", "Timeline", "Olu Author-Independent", "Panel"):
        assert hidden not in page


def test_an_imr_author_sees_the_approved_terms_of_their_review_only(
    client_as, review_x, review_y, imr_author_x, imr_author_of_y, manager_a
):
    tor = approved_tor(review_x)
    client = client_as(imr_author_x)
    assert client.get(reverse("review_tor_version", args=[review_x.pk, tor.number])).status_code == 200
    draft = services.tor_save_version(review=review_x, actor=manager_a, scope="A later draft")
    assert client.get(reverse("review_tor_version", args=[review_x.pk, draft.number])).status_code == 404
    assert client.get(reverse("review_tor_version", args=[review_y.pk, 1])).status_code == 404
    assert (
        client_as(imr_author_of_y).get(reverse("review_tor_version", args=[review_y.pk, 1])).status_code
        == 200
    )


def test_before_approval_an_imr_author_sees_no_terms(client_as, review_y, imr_author_of_y, manager_a):
    review_y.tor_versions.all().delete()
    assert client_as(imr_author_of_y).get(reverse("review_tor", args=[review_y.pk])).status_code == 404


@pytest.mark.parametrize(
    "url_name", ["review_panel", "review_meetings", "review_fair_representation", "review_membership_section"]
)
def test_an_imr_author_sees_nothing_else_of_the_review(client_as, review_x, imr_author_x, url_name):
    assert client_as(imr_author_x).get(reverse(url_name, args=[review_x.pk])).status_code in (403, 404)


def test_an_imr_author_downloads_the_final_draft_but_not_other_drafts(
    client_as, review_x, imr_author_x, overview_author
):
    from .factories import pdf

    final = review_x.report_versions.get(final_draft=True)
    later = services.report_upload(
        review=review_x, actor=overview_author, kind="executive_summary", upload=pdf("summary.pdf")
    )
    client = client_as(imr_author_x)
    response = client.get(reverse("review_report_download", args=[review_x.pk, final.pk]))
    assert (
        response.status_code == 200 and 'filename="DRAFT - overview.pdf"' in response["Content-Disposition"]
    )
    assert client.get(reverse("review_report_download", args=[review_x.pk, later.pk])).status_code == 404


def test_removal_withdraws_the_object_permissions(client_as, review_x, member_of_x, manager_a):
    client = client_as(member_of_x)
    assert client.get(reverse("review_detail", args=[review_x.pk])).status_code == 200
    assert member_of_x.has_perm("reviews.view_review", review_x)
    services.panel_remove(membership=review_x.panel.get(user=member_of_x), actor=manager_a, reason="Left")
    assert client.get(reverse("review_detail", args=[review_x.pk])).status_code == 404
    assert not member_of_x.has_perm("reviews.view_review", review_x)


def test_appointment_grants_permissions_on_that_review_alone(review_x, review_y, member_of_x):
    assert member_of_x.has_perm("reviews.view_review", review_x)
    assert not member_of_x.has_perm("reviews.view_review", review_y)
    assert not member_of_x.has_perm("reviews.view_review")  # no global permission


def test_the_review_list_shows_each_person_what_they_may_see(
    client_as, review_x, review_y, member_of_x, manager_b, manager_a
):
    def references(user):
        page = client_as(user).get(reverse("review_list")).content.decode()
        return {review.reference for review in (review_x, review_y) if review.reference in page}

    assert references(manager_a) == {review_x.reference, review_y.reference}
    assert references(member_of_x) == {review_x.reference}
    assert references(manager_b) == set()


@pytest.mark.parametrize(
    ("persona", "status"),
    [("manager_a", 200), ("chair_a", 403), ("auditor_a", 403), ("panel_chair", 403), ("member_of_x", 403)],
)
def test_only_the_business_unit_runs_a_stage(request, client, review_x, persona, status):
    user = request.getfixturevalue(persona)
    response = signed_in(client, user).get(reverse("review_step", args=[review_x.pk, "start-exec-summary"]))
    assert response.status_code == status
    if status == 403:
        assert "Only the board&#x27;s business unit can do that on a review." in response.content.decode()


@pytest.mark.parametrize(("persona", "status"), [("chair_a", 200), ("manager_a", 403), ("panel_chair", 403)])
def test_only_the_lscb_chair_approves_the_terms_of_reference(
    request, client, journey, manager_a, persona, status
):
    review = journey.to(ReviewState.SCOPING)
    version = services.tor_save_version(review=review, actor=manager_a, scope="S")
    services.tor_panel_agree(version=version, actor=manager_a)
    user = request.getfixturevalue(persona)
    response = signed_in(client, user).get(reverse("review_tor_approve", args=[review.pk, version.number]))
    assert response.status_code == status


def test_another_boards_chair_cannot_act_even_by_guessing_the_address(client, review_x, board_b):
    other_chair = member(board=board_b, role=Role.LSCB_CHAIR)
    for url in (
        reverse("review_step", args=[review_x.pk, "adopt"]),
        reverse("review_extend", args=[review_x.pk]),
        reverse("review_appoint", args=[review_x.pk]),
    ):
        assert signed_in(client, other_chair).post(url, {}).status_code == 404
