"""The communications plan (issue 16 clause 6; Solihull §16.1, App 9): a record with an owner, dates,
messages and audiences, kept by the business unit with its change history, its dates checked against
publication, and its pages open to the board and the panel only."""

import datetime as dt

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from reviews import services
from reviews.models import CommunicationItem, CommunicationsPlan, PanelRole, ReviewState
from reviews.services import communications as comms
from scr_portal.models import TransitionLog

from .factories import (
    OFSTED_BRIEFING,
    PLANNED_PUBLICATION,
    appoint,
    communications_plan,
    independent_person,
)

pytestmark = pytest.mark.django_db

PUBLICATION = PLANNED_PUBLICATION
OFSTED = OFSTED_BRIEFING


def plan_for(review, actor, **fields):
    return communications_plan(review, actor=actor, briefing=None, **fields)


def refusal(call, **kwargs) -> dict:
    with pytest.raises(ValidationError) as refused:
        call(**kwargs)
    return refused.value.message_dict


# --- The record -----------------------------------------------------------------------------------------


def test_plan_names_its_owner_and_keeps_its_history_and_a_log_row(review, manager_a):
    assert refusal(services.communications_plan_save, review=review, actor=manager_a, owner_name=" ") == {
        "owner_name": [comms.OWNER_REQUIRED]
    }
    plan = plan_for(review, manager_a, key_messages="Agencies have learned.", media_lead="Alpha Council")
    plan_for(review, manager_a, key_messages="Agencies have learned and acted.")
    plan.refresh_from_db()
    assert (plan.owner_name, plan.key_messages, plan.media_lead) == (
        "Casey Comms",
        "Agencies have learned and acted.",
        "",
    )
    assert CommunicationsPlan.objects.filter(review=review).count() == 1
    events = apps.get_model("reviews", "CommunicationsPlanEvent").objects.filter(pgh_obj_id=plan.pk)
    assert sorted(events.values_list("pgh_label", flat=True)) == ["insert", "update"]
    reasons = TransitionLog.objects.filter(transition="communications_plan").values_list("reason", flat=True)
    assert list(reasons.order_by("pk")) == ["Communications plan set up", "Communications plan changed"]


def test_audiences_need_a_plan_a_message_a_messenger_and_a_method(review, manager_a):
    with pytest.raises(ValidationError, match="Set up the communications plan first"):
        services.communication_item_save(review=review, actor=manager_a, **OFSTED)
    plan_for(review, manager_a)
    problems = refusal(
        services.communication_item_save,
        review=review,
        actor=manager_a,
        audience="other",
        message="",
        delivered_by="",
        method="",
        timing="",
    )
    assert problems == {
        "audience_detail": [comms.AUDIENCE_DETAIL_REQUIRED],
        "message": [comms.MESSAGE_REQUIRED],
        "delivered_by": [comms.DELIVERED_BY_REQUIRED],
        "method": [comms.METHOD_REQUIRED],
        "timing": [comms.TIMING_REQUIRED],
    }
    item = services.communication_item_save(review=review, actor=manager_a, **OFSTED)
    assert (item.audience_label, item.due_on) == ("Ofsted", dt.date(2027, 9, 1))
    events = apps.get_model("reviews", "CommunicationItemEvent").objects.filter(pgh_obj_id=item.pk)
    assert events.count() == 1


@pytest.mark.parametrize(
    ("timing", "day", "message"),
    [
        ("before", PUBLICATION, "must be before the review is published on Tuesday 14 September 2027"),
        ("before", dt.date(2027, 9, 20), "must be before the review is published on Tuesday 14 September"),
        ("on", dt.date(2027, 9, 13), "so the date must be Tuesday 14 September 2027: Monday 13 September"),
        ("after", PUBLICATION, "must be after the review is published on Tuesday 14 September 2027"),
        (
            "before",
            dt.date(2026, 12, 1),
            "before the decision to hold the review on Thursday 10 December 2026",
        ),
    ],
)
def test_a_communication_dated_against_its_timing_is_refused_naming_both_dates(
    review, manager_a, timing, day, message
):
    plan_for(review, manager_a)
    problems = refusal(
        services.communication_item_save,
        review=review,
        actor=manager_a,
        **{**OFSTED, "timing": timing, "due_on": day},
    )
    assert message in problems["due_on"][0]
    assert not CommunicationItem.objects.exists()


def test_publication_cannot_move_past_what_must_precede_it_and_the_embargo_lasts_until_it(review, manager_a):
    plan_for(review, manager_a)
    services.communication_item_save(review=review, actor=manager_a, **OFSTED)
    problems = refusal(
        services.communications_plan_save,
        review=review,
        actor=manager_a,
        owner_name="Casey Comms",
        planned_publication_on=dt.date(2027, 8, 31),
        embargo_until=dt.date(2027, 8, 30),
    )
    assert problems["planned_publication_on"] == [
        comms.ITEMS_OUT_OF_ORDER.format(published="Tuesday 31 August 2027", items="Ofsted")
    ]
    assert "The embargo cannot end on Monday 30 August 2027" in problems["embargo_until"][0]
    assert CommunicationsPlan.objects.get(review=review).planned_publication_on == PUBLICATION


def test_once_published_the_recorded_date_is_the_one_communications_are_checked_against(journey, manager_a):
    review = journey.to(ReviewState.PUBLISHED)
    plan_for(review, manager_a)  # planned for September; the journey published earlier
    published = review.publication.published_on
    problems = refusal(
        services.communication_item_save,
        review=review,
        actor=manager_a,
        **{**OFSTED, "due_on": published + dt.timedelta(days=1)},
    )
    assert f"{published:%-d %B %Y}" in problems["due_on"][0]


def test_only_the_business_unit_changes_the_plan_and_not_once_the_review_is_closed(
    journey, manager_a, chair_a
):
    review = journey.review
    with pytest.raises(PermissionDenied):
        plan_for(review, chair_a)
    plan_for(review, manager_a)
    item = services.communication_item_save(review=review, actor=manager_a, **{**OFSTED, "due_on": None})
    with pytest.raises(PermissionDenied):
        services.communication_item_remove(item=item, actor=chair_a)
    services.communication_item_remove(item=item, actor=manager_a)
    assert not CommunicationItem.objects.exists()
    assert TransitionLog.objects.filter(reason="Ofsted: removed from the plan").exists()
    review = journey.to(ReviewState.CLOSED)
    with pytest.raises(ValidationError, match="The review is closed"):
        plan_for(review, manager_a)


# --- The pages ------------------------------------------------------------------------------------------


def _pages(review, item) -> dict[str, str]:
    return {
        "plan": reverse("review_communications", args=[review.pk]),
        "change plan": reverse("review_communications_plan", args=[review.pk]),
        "add": reverse("review_communication_item_new", args=[review.pk]),
        "change item": reverse("review_communication_item", args=[review.pk, item.pk]),
        "remove item": reverse("review_communication_item_remove", args=[review.pk, item.pk]),
    }


@pytest.fixture
def planned(review, manager_a):
    communications_plan(review, actor=manager_a, key_messages="Agencies have learned and acted.")
    return review, CommunicationItem.objects.get()


@pytest.mark.parametrize(
    ("persona", "see", "change"),
    [
        ("manager_a", 200, 200),
        ("chair_a", 200, 403),
        ("panel_member", 200, 403),
        ("manager_b", 404, 404),
    ],
)
def test_the_board_and_the_panel_see_the_plan_the_business_unit_changes_it_another_board_gets_404(
    request, client_as, planned, manager_a, persona, see, change
):
    review, item = planned
    if persona == "panel_member":
        user = independent_person(full_name="Rhiannon O'Hara")
        appoint(review, actor=manager_a, user=user, role=PanelRole.AGENCY_REPRESENTATIVE, post="Inspector")
    else:
        user = request.getfixturevalue(persona)
    client = client_as(user)
    pages = _pages(review, item)
    page = client.get(pages.pop("plan"))
    assert page.status_code == see
    if see == 200:
        text = page.content.decode()
        assert "Casey Comms" in text and "The findings and the action plan, in advance." in text
    for name, url in pages.items():
        assert client.get(url).status_code == change, name
        if change != 200:
            assert client.post(url, {"owner_name": "Someone else"}).status_code == change, name
    assert CommunicationsPlan.objects.get(review=review).owner_name == "Casey Comms"
    assert CommunicationItem.objects.filter(pk=item.pk).exists()


def test_business_manager_sets_up_the_plan_and_adds_an_audience_through_the_pages(
    client_as, review, manager_a
):
    client = client_as(manager_a)
    detail = client.get(reverse("review_detail", args=[review.pk])).content.decode()
    plan_url = reverse("review_communications", args=[review.pk])
    assert plan_url in detail and "There is no communications plan yet" in detail
    assert reverse("review_communications_plan", args=[review.pk]) in client.get(plan_url).content.decode()

    response = client.post(reverse("review_communications_plan", args=[review.pk]), {"owner_name": ""})
    assert "govuk-error-summary" in response.content.decode()
    assert "Enter the name of the person responsible for the plan" in response.content.decode()
    response = client.post(
        reverse("review_communications_plan", args=[review.pk]),
        {
            "owner_name": "Casey Comms",
            "media_lead": "Alpha Council",
            "planned_publication_on_0": "14",
            "planned_publication_on_1": "9",
            "planned_publication_on_2": "2027",
            "holding_statement": "The board is reviewing how agencies worked together.",
        },
    )
    assert response.status_code == 302 and response["Location"] == plan_url

    add = reverse("review_communication_item_new", args=[review.pk])
    late = {
        "audience": "family",
        "message": "What the review found, in person.",
        "delivered_by": "Panel chair",
        "method": "A meeting at home",
        "timing": "before",
        "due_on_0": "20",
        "due_on_1": "9",
        "due_on_2": "2027",
    }
    page = client.post(add, late).content.decode()
    assert "govuk-error-summary" in page
    assert "must be before the review is published on Tuesday 14 September 2027" in page
    assert not CommunicationItem.objects.exists()
    assert client.post(add, {**late, "due_on_0": "7"}).status_code == 302
    item = CommunicationItem.objects.get()
    assert item.due_on == dt.date(2027, 9, 7)

    page = client.get(plan_url).content.decode()
    assert "What the review found, in person." in page and "Holding statement" in page
    assert "Ofsted" in page  # still expected: not in the plan yet
    assert reverse("review_document_new", args=[review.pk, "communications-plan"]) in page
    detail = client.get(reverse("review_detail", args=[review.pk])).content.decode()
    assert "Responsible: Casey Comms" in detail

    remove = reverse("review_communication_item_remove", args=[review.pk, item.pk])
    assert (
        "Remove from the communications plan: The child&#x27;s family" in client.get(remove).content.decode()
    )
    assert client.post(remove, {"confirm": "yes"}).status_code == 302
    assert not CommunicationItem.objects.exists()
