"""IMR personas on top of the shared ones: board A's review with approved terms of reference and agencies X
and Y involved; a panel member of that review; a panel member of another review; the authors of X's and
Y's IMRs (accounts made by the nomination service, outside the board); board B's own review."""

import pytest

from imr.models import IMRState
from reviews.models import PanelRole
from scr_portal.reference_data import ensure_reference_data

from ..factories import frozen_at
from .factories import (
    NOW,
    advance,
    commission,
    confirm_involved,
    head_of,
    nominate,
    panel_member,
    review_ready,
)

frozen_time = frozen_at(NOW)


@pytest.fixture(autouse=True)
def imr_rules(request):
    if "db" in request.fixturenames or request.node.get_closest_marker("django_db"):
        request.getfixturevalue("db")
        ensure_reference_data()


@pytest.fixture
def review_a(board_a, manager_a, agency_x, agency_y):
    review = review_ready(board=board_a, created_by=manager_a)
    confirm_involved(review, agency_x, sent_by=manager_a)
    confirm_involved(review, agency_y, sent_by=manager_a)
    return review


@pytest.fixture
def panel_a(review_a, manager_a):
    return panel_member(review_a, appointed_by=manager_a, full_name="Penny Panel")


@pytest.fixture
def panel_chair_a(review_a, manager_a):
    return panel_member(
        review_a, appointed_by=manager_a, role=PanelRole.INDEPENDENT_CHAIR, full_name="Ian Independent"
    )


@pytest.fixture
def other_review_a(board_a, manager_a):
    return review_ready(board=board_a, created_by=manager_a)


@pytest.fixture
def panel_other(other_review_a, manager_a):
    """On the panel of another review of the same board."""
    return panel_member(other_review_a, appointed_by=manager_a, full_name="Oscar Otherpanel")


@pytest.fixture
def imrs(review_a, agency_x, agency_y, manager_a):
    by_agency = {imr.agency_id: imr for imr in commission(review_a, [agency_x, agency_y], actor=manager_a)}
    return {"x": by_agency[agency_x.pk], "y": by_agency[agency_y.pk]}


@pytest.fixture
def imr_x(imrs, contact_x):
    return nominate(imrs["x"], actor=contact_x, email="nina.x@example.org", full_name="Nina Xauthor")


@pytest.fixture
def imr_y(imrs, contact_y):
    return nominate(imrs["y"], actor=contact_y, email="yuri.y@example.org", full_name="Yuri Yauthor")


@pytest.fixture
def head_x(agency_x):
    """Agency X's head of agency, who signs its IMRs off."""
    return head_of(agency_x)


@pytest.fixture
def author_x(imr_x):
    return imr_x.author


@pytest.fixture
def author_y(imr_y):
    return imr_y.author


@pytest.fixture
def review_b(board_b, manager_b):
    return review_ready(board=board_b, created_by=manager_b)


@pytest.fixture
def eager_tasks(monkeypatch):
    """Run queued tasks at once, so emails land in mail.outbox when the transaction commits."""
    monkeypatch.setattr(
        "scr_portal.queue._safe_send", lambda task, args, kwargs: task.apply(args=args, kwargs=kwargs)
    )


@pytest.fixture
def preparing(imr_x, contact_x, panel_a):
    """X's IMR in preparation by its author."""
    return advance(imr_x, IMRState.IN_PREPARATION, contact=contact_x, panel=panel_a)
