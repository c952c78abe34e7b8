"""Board A's full case and the people who must not see it, for the URL sweep (test_url_sweep.py)."""

import pytest

from scr_portal.models import Role

from ..factories import AgencyFactory, member
from ..imr.factories import panel_member as make_panel_member
from ..reviews.factories import add_imr, decided_review, independent_person
from .sweep_helpers import build_case


@pytest.fixture
def case_a(settings, tmp_path, board_a, chair_a, manager_a, agency_x, agency_y):
    """A full board-A case (sweep_helpers.build_case), its files in a temporary folder."""
    settings.MEDIA_ROOT = tmp_path
    return build_case(
        board_a=board_a, chair_a=chair_a, manager_a=manager_a, agency_x=agency_x, agency_y=agency_y
    )


@pytest.fixture
def personas(case_a, board_a, board_b, manager_a, chair_a):
    agency_z = AgencyFactory(board=board_a, name="Zeta Housing (not involved)")
    agency_w = AgencyFactory(board=board_a, name="Westshire Probation")
    other_review = decided_review(board=board_a, chair=chair_a, manager=manager_a, agencies=[agency_w])
    imr_w = add_imr(
        other_review, agency_w, author=independent_person(full_name="Zak Otherauthor"), actor=manager_a
    )
    return {
        "manager of board B": member(board=board_b, role=Role.BUSINESS_MANAGER, full_name="Bob Manager"),
        "contact of an uninvolved agency": member(
            board=board_a, role=Role.AGENCY_CONTACT, agency=agency_z, full_name="Zoe Uninvolved"
        ),
        "IMR author of another agency": imr_w.author,
        "panel member of another review": make_panel_member(
            other_review, appointed_by=manager_a, full_name="Oscar Otherpanel"
        ),
        "signed-out visitor": None,
    }
