"""What a request reads about its user, read once (issue 21): the object permissions, the memberships and
the panel seats come from one query each however many checks a page makes; a user object outside a request
(services, tasks) always reads afresh, so nothing it changes is hidden from it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reviews.permissions import panel_roles_of
from scr_portal.models import Role
from scr_portal.permissions import memberships_of, object_ids_for_user, roles_on
from scr_portal.services import membership_grant

from ..factories import AgencyFactory, member

pytestmark = pytest.mark.django_db


def reads_of(captured, table: str) -> int:
    return sum(1 for query in captured if query["sql"].split(" FROM ", 1)[-1].startswith(f'"{table}"'))


@pytest.mark.parametrize("role", [Role.BUSINESS_MANAGER, Role.LSCB_CHAIR, Role.AGENCY_CONTACT])
def test_the_home_page_reads_the_users_own_records_once(client_as, board_a, role):
    agency = AgencyFactory(board=board_a) if role == Role.AGENCY_CONTACT else None
    client = client_as(member(board=board_a, role=role, agency=agency))
    client.get(reverse("home"))
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("home")).status_code == 200
    assert reads_of(captured, "scr_portal_membership") == 1
    assert reads_of(captured, "guardian_userobjectpermission") == 1
    assert reads_of(captured, "reviews_panelmembership") <= 1


def test_outside_a_request_every_question_reads_afresh(board_a, board_b):
    user = member(board=board_a, role=Role.BUSINESS_SUPPORT)
    assert roles_on(user, board_b) == set()
    membership_grant(user=user, board=board_b, role=Role.LSCB_CHAIR)
    assert roles_on(user, board_b) == {Role.LSCB_CHAIR}
    assert {(board, role) for board, role, _ in memberships_of(user)} == {
        (board_a.pk, Role.BUSINESS_SUPPORT),
        (board_b.pk, Role.LSCB_CHAIR),
    }
    assert panel_roles_of(user) == {}


def test_a_requests_user_answers_from_what_it_read(client_as, board_a, board_b):
    from scr_portal.models import Board
    from scr_portal.permissions import cache_board_perms

    user = member(board=board_a, role=Role.BUSINESS_MANAGER)
    cache_board_perms(user)  # as the middleware does for the request's user
    with CaptureQueriesContext(connection) as captured:
        assert roles_on(user, board_a) == {Role.BUSINESS_MANAGER}
        assert roles_on(user, board_b) == set()
        assert object_ids_for_user(user, Board, ["scr_portal.work_cases"]) == [board_a.pk]
        assert object_ids_for_user(user, Board, ["scr_portal.work_cases"]) == [board_a.pk]
    assert reads_of(captured, "scr_portal_membership") == 1
    assert reads_of(captured, "guardian_userobjectpermission") == 0
