"""Terms of reference (domain brief §4.4): versioned drafts, each dated; comments from panel members;
consultation with agencies; approval by the LSCB Chair freezes a version; a later change is a new
version that needs approval again; the approved version is what IMR authors see."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from reviews import services
from reviews.models import ReviewState, ToRState, ToRVersion
from reviews.selectors.tor import approved_tor
from reviews.services import tor as tor_services

from .factories import NOW, appoint

pytestmark = pytest.mark.django_db


@pytest.fixture
def scoping(journey):
    return journey.to(ReviewState.SCOPING)


def test_each_save_is_a_new_dated_version_superseding_the_working_draft(scoping, manager_a):
    first = services.tor_save_version(review=scoping, actor=manager_a, scope="First scope")
    with time_machine.travel(NOW + dt.timedelta(days=3), tick=False):
        second = services.tor_save_version(review=scoping, actor=manager_a, scope="Second scope")
    first.refresh_from_db()
    assert (first.number, first.dated, first.state) == (1, dt.date(2027, 3, 15), ToRState.SUPERSEDED)
    assert (second.number, second.dated, second.state) == (2, dt.date(2027, 3, 18), ToRState.DRAFT)
    assert first.scope == "First scope"  # the text of a saved version never changes


def test_a_review_period_that_ends_before_it_starts_is_refused(scoping, manager_a):
    with pytest.raises(ValidationError) as error:
        services.tor_save_version(
            review=scoping,
            actor=manager_a,
            scope="S",
            period_from=dt.date(2026, 1, 1),
            period_to=dt.date(2025, 1, 1),
        )
    assert error.value.message_dict == {"period_to": [tor_services.PERIOD_BACKWARDS]}
    assert not ToRVersion.objects.exists()


def test_agencies_are_consulted_and_their_responses_recorded(scoping, manager_a, agency_x, agency_y):
    version = services.tor_save_version(review=scoping, actor=manager_a, scope="S")
    services.tor_send_for_consultation(version=version, actor=manager_a, agencies=[agency_x, agency_y])
    version.refresh_from_db()
    assert version.state == ToRState.IN_CONSULTATION
    consultation = version.consultations.get(agency=agency_x)
    services.tor_record_response(
        consultation=consultation,
        actor=manager_a,
        response="Add the GP records.",
        responded_on=dt.date(2027, 3, 14),
    )
    consultation.refresh_from_db()
    assert consultation.response == "Add the GP records."
    with pytest.raises(ValidationError):  # only a draft goes out for consultation
        services.tor_send_for_consultation(version=version, actor=manager_a, agencies=[agency_x])


def test_panel_members_comment_and_outsiders_cannot(scoping, manager_a, panel_chair, manager_b):
    version = services.tor_save_version(review=scoping, actor=manager_a, scope="S")
    comment = services.tor_comment(version=version, actor=panel_chair, text="Widen the period to 2023.")
    assert comment.author == panel_chair
    with pytest.raises(PermissionDenied):
        services.tor_comment(version=version, actor=manager_b, text="Hello")
    with pytest.raises(ValidationError):
        services.tor_comment(version=version, actor=panel_chair, text="   ")


def test_the_panel_agrees_and_only_the_lscb_chair_approves(scoping, manager_a, chair_a, panel_chair):
    services.review_record_methodology(review=scoping, actor=manager_a, methodology="silp")
    version = services.tor_save_version(review=scoping, actor=manager_a, scope="S")
    with pytest.raises(ValidationError) as error:
        services.tor_approve(version=version, actor=chair_a)
    assert error.value.messages == [tor_services.NOT_AGREED]
    services.tor_panel_agree(version=version, actor=panel_chair)  # the panel chair records the agreement
    for not_the_chair in (manager_a, panel_chair):
        with pytest.raises(PermissionDenied):
            services.tor_approve(version=version, actor=not_the_chair)
    approved = services.tor_approve(version=version, actor=chair_a)
    assert (approved.state, approved.approved_by, approved.approved_at) == (ToRState.APPROVED, chair_a, NOW)
    assert approved_tor(scoping) == approved


def test_a_change_after_approval_is_a_new_version_needing_approval_again(journey, manager_a, chair_a):
    review = journey.to(ReviewState.TOR_APPROVED)
    first = approved_tor(review)
    second = services.tor_save_version(review=review, actor=manager_a, scope="Wider scope")
    assert approved_tor(review) == first  # the approved version stays current until the new one is approved
    first.refresh_from_db()
    assert first.state == ToRState.APPROVED
    services.tor_panel_agree(version=second, actor=manager_a)
    services.tor_approve(version=second, actor=chair_a)
    first.refresh_from_db()
    assert first.state == ToRState.SUPERSEDED and first.approved_at is not None
    assert approved_tor(review) == second
    assert ToRVersion.objects.filter(review=review, state=ToRState.APPROVED).count() == 1
    assert journey.refresh().state == ReviewState.TOR_APPROVED  # re-approval does not move the review


def test_a_superseded_version_can_no_longer_be_approved(scoping, manager_a, chair_a):
    first = services.tor_save_version(review=scoping, actor=manager_a, scope="S")
    services.tor_panel_agree(version=first, actor=manager_a)
    services.tor_save_version(review=scoping, actor=manager_a, scope="T")
    with pytest.raises(ValidationError) as error:
        services.tor_approve(version=first, actor=chair_a)
    assert error.value.messages == [tor_services.SUPERSEDED]


def test_the_database_allows_one_approved_version_only(journey):
    review = journey.to(ReviewState.TOR_APPROVED)
    approved = approved_tor(review)
    with pytest.raises(IntegrityError), transaction.atomic():
        ToRVersion.objects.create(
            review=review,
            number=99,
            state=ToRState.APPROVED,
            dated=approved.dated,
            created_by=approved.created_by,
            created_at=NOW,
        )


def test_a_removed_panel_member_can_no_longer_comment(scoping, manager_a):
    from .factories import independent_person

    expert = independent_person()
    membership = appoint(scoping, actor=manager_a, user=expert, role="expert")
    version = services.tor_save_version(review=scoping, actor=manager_a, scope="S")
    services.tor_comment(version=version, actor=expert, text="Fine")
    services.panel_remove(membership=membership, actor=manager_a, reason="No longer needed")
    with pytest.raises(PermissionDenied):
        services.tor_comment(version=version, actor=expert, text="Still here?")


def test_the_first_draft_says_draft_once(scoping, manager_a, client_as):
    """Issue 19: "Draft Draft" on the terms of reference, version 1."""
    from django.urls import reverse

    services.tor_save_version(review=scoping, actor=manager_a, scope="First scope")
    page = client_as(manager_a).get(reverse("review_tor", args=[scoping.pk])).text
    assert page.count(">Draft</strong>") == 1
