"""Tenancy: a board's pages and admin objects are reachable by its own people only."""

import pytest
from django.urls import reverse

from scr_portal.models import Board, Role

from ..factories import member

pytestmark = pytest.mark.django_db


def test_signed_out_visitor_is_sent_to_sign_in(client, board_a):
    response = client.get(reverse("board_detail", args=[board_a.pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize("url_name", ["board_detail", "board_edit"])
def test_user_of_another_board_gets_404_on_board_pages(client_as, board_a, manager_b, url_name):
    response = client_as(manager_b).get(reverse(url_name, args=[board_a.pk]))
    assert response.status_code == 404


def test_board_member_sees_board_page(client_as, board_a, agency_x, contact_x):
    response = client_as(contact_x).get(reverse("board_detail", args=[board_a.pk]))
    assert response.status_code == 200
    assert "Alpha Police" in response.text
    assert "Change contact details" not in response.text


def test_agency_contact_cannot_change_board_details(client_as, board_a, contact_x):
    response = client_as(contact_x).post(reverse("board_edit", args=[board_a.pk]), {"phone": "1"})
    assert response.status_code == 403


def test_business_manager_changes_contact_details(client_as, board_a, manager_a):
    response = client_as(manager_a).post(
        reverse("board_edit", args=[board_a.pk]),
        {
            "address": "1 High Street",
            "secure_mailbox": "bu@alpha.example",
            "contact_email": "",
            "phone": "0100",
            "nation": "scotland",
        },
    )
    assert response.status_code == 302
    board_a.refresh_from_db()
    assert (board_a.phone, board_a.nation) == ("0100", "scotland")


def test_bad_input_gets_error_summary_and_keeps_what_was_typed(client_as, board_a, manager_a):
    response = client_as(manager_a).post(
        reverse("board_edit", args=[board_a.pk]),
        {"address": "1 High Street", "secure_mailbox": "not-an-email", "phone": "0100", "nation": "scotland"},
    )
    assert response.status_code == 200
    html = response.text
    assert "There is a problem" in html
    assert 'href="#id_secure_mailbox"' in html
    assert 'id="id_secure_mailbox-error"' in html
    assert "1 High Street" in html and 'value="not-an-email"' in html
    assert Board.objects.get(pk=board_a.pk).phone == ""


def test_switching_to_a_board_you_do_not_belong_to_is_404(client_as, board_a, board_b, manager_a):
    response = client_as(manager_a).post(reverse("board_switch"), {"board": board_b.pk})
    assert response.status_code == 404


def test_user_of_two_boards_switches_current_board(client_as, board_a, board_b, manager_a):
    from scr_portal.services import membership_grant

    membership_grant(user=manager_a, board=board_b, role=Role.LSCB_CHAIR)
    client = client_as(manager_a)
    assert board_a.name in client.get(reverse("home")).text
    client.post(reverse("board_switch"), {"board": board_b.pk})
    home = client.get(reverse("home")).text
    assert "Decisions awaiting" in home and "Work queue" not in home


class TestAdminTenancy:
    @pytest.fixture
    def staff_manager_b(self, board_b):
        user = member(board=board_b, role=Role.BUSINESS_MANAGER, is_staff=True)
        return user

    def test_staff_of_board_b_gets_404_on_board_a_admin_objects(
        self, client_as, board_a, agency_x, manager_a, staff_manager_b
    ):
        client = client_as(staff_manager_b)
        for url in [
            reverse("admin:scr_portal_board_change", args=[board_a.pk]),
            reverse("admin:scr_portal_agency_change", args=[agency_x.pk]),
            reverse("admin:scr_portal_user_change", args=[manager_a.pk]),
            reverse("admin:scr_portal_membership_change", args=[manager_a.memberships.get().pk]),
        ]:
            assert client.get(url).status_code == 404, url

    def test_staff_of_board_b_lists_only_board_b_agencies(
        self, client_as, agency_x, staff_manager_b, board_b
    ):
        from ..factories import AgencyFactory

        AgencyFactory(board=board_b, name="Beta Police")
        html = client_as(staff_manager_b).get(reverse("admin:scr_portal_agency_changelist")).text
        assert "Beta Police" in html and "Alpha Police" not in html

    def test_admin_needs_a_second_factor_even_when_not_enforced(self, client_as, settings, board_b):
        from ..factories import UserFactory

        settings.MFA_REQUIRED = False
        user = UserFactory(is_staff=True, totp=False)
        response = client_as(user).get(reverse("admin:index"))
        assert response.status_code == 302
        assert response.url.startswith(reverse("mfa_activate_totp"))
