"""Issue 15, clause 8: what staff who took part see at the factual check follows the board's
STAFF_REVIEW_SCOPE (domain brief §9): extracts by default (Solihull §9.1.9), the whole IMR where the board
says so (Bolton's leaflet). The IMR's history records which."""

import pytest

from imr.models import IMRState
from scr_portal.models import TransitionLog

from .factories import advance

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("scope", "text"),
    [("extracts", "extracts that concern them"), ("full", "the whole imr and the final report")],
)
def test_the_factual_check_records_what_staff_see(imr_x, contact_x, panel_a, board_a, scope, text):
    board_a.staff_review_scope = scope
    board_a.save()
    imr = advance(imr_x, IMRState.FACTUAL_CHECK, contact=contact_x, panel=panel_a)
    log = TransitionLog.objects.filter(object_id=imr.pk, transition="send_for_factual_check").get()
    assert log.reason == f"Staff see: {text}"
