"""England 2023's rapid review as a document for the Panel (issue 20; domain brief §10): produced from
the referral's agency summaries and rapid review meeting, anonymised before it may be sent."""

import pytest
from django.core.exceptions import ValidationError

from scr_portal import frameworks
from scr_portal.documents import services

from ..referrals.factories import INCIDENT, recommended
from .conftest import CHILD, pdf_text

pytestmark = pytest.mark.django_db


def test_the_rapid_review_document_holds_summaries_actions_learning_and_the_view(
    board_a, manager_a, agency_x, produce
):
    board_a.review_framework = frameworks.ENGLAND_2023
    board_a.save()
    referral = recommended(
        board=board_a, author=manager_a, manager=manager_a, agencies=[agency_x], aware_on=INCIDENT,
        child_name=CHILD,
    )  # fmt: skip
    meeting = referral.screening
    meeting.immediate_actions, meeting.learning = (
        "The sibling's plan was reviewed.",
        "Weekend information sharing.",
    )
    meeting.save()
    internal, twin = produce(referral, "rapid-review", manager_a)
    flat = " ".join(pdf_text(internal).split())
    assert "Rapid review" in flat and "Alpha Police" in flat
    assert "The sibling's plan was reviewed." in flat or "The sibling’s plan was reviewed." in flat
    assert "Weekend information sharing." in flat and "Hold a serious case review" in flat
    assert CHILD in flat
    assert CHILD not in " ".join(pdf_text(twin).split())


def test_an_scr_case_has_no_rapid_review(board_a, manager_a, agency_x):
    referral = recommended(board=board_a, author=manager_a, manager=manager_a, agencies=[agency_x])
    with pytest.raises(ValidationError) as error:
        services.document_request(owner=referral, code="rapid-review", actor=manager_a, options={})
    assert error.value.messages == ["This case's framework holds no rapid review."]
