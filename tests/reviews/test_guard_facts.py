"""The guards asked with their facts loaded for many reviews at once (guards.load_guard_facts, the home
page's work queue, issue 21) say exactly what they say when each asks the database itself."""

import pytest

from reviews import guards
from reviews.models import Review, ReviewState

pytestmark = pytest.mark.django_db

# Each state the journey passes through, with what happens there (versions, meetings, panel, plan).
STATES = [
    ReviewState.SETUP,
    ReviewState.SCOPING,
    ReviewState.IMRS_IN_PROGRESS,
    ReviewState.PRESENTATION_SCHEDULED,
    ReviewState.OVERVIEW_DRAFTING,
    ReviewState.FAIR_REPRESENTATION_CHECK,
    ReviewState.PANEL_QA,
    ReviewState.SUBMITTED_TO_OFSTED,
    ReviewState.EVALUATED,
    ReviewState.MONITORING,
]


def test_loaded_facts_give_the_same_problems_at_every_stage(journey):
    for state in STATES:
        review = journey.to(state) if state != ReviewState.SETUP else journey.review
        asked = {name: guards.problems_for(Review.objects.get(pk=review.pk), name) for name in guards.GUARDS}
        loaded = Review.objects.get(pk=review.pk)
        guards.load_guard_facts([loaded])
        assert {name: guards.problems_for(loaded, name) for name in guards.GUARDS} == asked, state


def test_the_facts_of_many_reviews_load_in_a_fixed_number_of_queries(journey, django_assert_num_queries):
    journey.to(ReviewState.EVALUATED)
    reviews = list(Review.objects.all())
    with django_assert_num_queries(8):
        guards.load_guard_facts(reviews)
    # The IMRs' states come with the facts (the imr app reads them for every review in one query).
    from_facts = ["start_scoping", "hold_presentation", "send_final_draft", "start_panel_qa"]
    from_facts += ["start_imrs", "schedule_presentation"]
    from_facts += ["submit_to_ofsted", "record_evaluation", "publish", "close"]
    with django_assert_num_queries(0):
        for review in reviews:
            for name in from_facts:
                guards.problems_for(review, name)


ENGLAND_STATES = [
    ReviewState.SCOPING,
    ReviewState.IMRS_IN_PROGRESS,
    ReviewState.PRESENTATION_SCHEDULED,
    ReviewState.OVERVIEW_DRAFTING,
    ReviewState.SUBMITTED_TO_OFSTED,
]


@pytest.fixture
def england(board_a, manager_a, agency_x, panel_chair, overview_author):
    """An England 2023 LCSPR walked with no agencies' reports (issue 20): its guards ask whether any were
    commissioned and when the copy went to the Panel, for every review on the home page."""
    from scr_portal import frameworks

    from .factories import Journey, decided_lcspr

    board_a.review_framework = frameworks.ENGLAND_2023
    board_a.save(update_fields=["review_framework"])
    review = decided_lcspr(board=board_a, manager=manager_a, agencies=[agency_x])
    people = {"manager": manager_a, "chair": manager_a, "panel_chair": panel_chair, "author": overview_author}
    return Journey(review, agencies=[], **people)


def test_an_england_reviews_guards_ask_nothing_more_once_loaded(england, django_assert_num_queries):
    for state in ENGLAND_STATES:
        review = england.to(state)
        asked = {name: guards.problems_for(Review.objects.get(pk=review.pk), name) for name in guards.GUARDS}
        loaded = Review.objects.select_related("board").get(pk=review.pk)  # as the home page reads them
        guards.load_guard_facts([loaded])
        with django_assert_num_queries(0):
            for name in ["start_imrs", "schedule_presentation", "publish", "hold_presentation"]:
                assert guards.problems_for(loaded, name) == asked[name], (state, name)
        assert {name: guards.problems_for(loaded, name) for name in guards.GUARDS} == asked, state
