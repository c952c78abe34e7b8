"""Fixtures of the clock tests: a closure day of board A and the deadline rules the settings change."""

import pytest

from scr_portal.models import BoardClosureDay, DeadlineRule

from .board_settings_helpers import MONDAY


@pytest.fixture
def closure(board_a):
    return BoardClosureDay.objects.create(board=board_a, day=MONDAY, reason="Office closed")


@pytest.fixture
def decision_rule(db):
    return DeadlineRule.objects.get(code="decision")


@pytest.fixture
def screening_rule(db):
    return DeadlineRule.objects.get(code="screening")
