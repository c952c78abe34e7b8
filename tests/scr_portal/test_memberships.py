import pytest
from django.core.exceptions import ValidationError

from scr_portal.models import Board, Role, User
from scr_portal.permissions import MANAGE_BOARD, VIEW_BOARD, WORK_CASES, boards_for_user
from scr_portal.services import AGENCY_REQUIRED, membership_grant, membership_revoke

from ..factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_granting_a_role_gives_object_permissions_on_that_board_only(board_a, board_b):
    user = UserFactory()
    membership_grant(user=user, board=board_a, role=Role.BUSINESS_MANAGER)
    assert list(boards_for_user(user, MANAGE_BOARD)) == [board_a]
    assert user.has_perm(WORK_CASES, board_a) and not user.has_perm(WORK_CASES, board_b)


def test_revoking_the_last_role_removes_access(board_a):
    user = UserFactory()
    membership = membership_grant(user=user, board=board_a, role=Role.BUSINESS_SUPPORT)
    membership_revoke(membership=membership)
    assert not boards_for_user(user, VIEW_BOARD).exists()


def test_revoking_one_of_two_roles_keeps_the_other(board_a):
    user = UserFactory()
    manager = membership_grant(user=user, board=board_a, role=Role.BUSINESS_MANAGER)
    membership_grant(user=user, board=board_a, role=Role.AUDITOR)
    membership_revoke(membership=manager)
    assert boards_for_user(user, VIEW_BOARD).exists()
    assert not boards_for_user(user, MANAGE_BOARD).exists()


def test_agency_contact_needs_an_agency_of_the_same_board(board_a, board_b):
    user = UserFactory()
    with pytest.raises(ValidationError) as error:
        membership_grant(user=user, board=board_a, role=Role.AGENCY_CONTACT)
    assert AGENCY_REQUIRED in str(error.value)
    with pytest.raises(ValidationError):
        membership_grant(
            user=user, board=board_a, role=Role.AGENCY_CONTACT, agency=AgencyFactory(board=board_b)
        )


def test_superuser_gets_no_case_access_without_membership(board_a):
    admin = UserFactory(is_superuser=True, is_staff=True)
    assert not boards_for_user(admin).exists()


def test_demo_data_has_one_user_per_role_and_loads_twice():
    from portal_site.demo import demo_data_load

    first = demo_data_load()
    second = demo_data_load()
    assert {spec.role for spec in first} == {*Role.values, None}
    assert len(first) == len(second)


def test_demo_data_has_an_independent_reviewer_employed_by_no_agency():
    from portal_site.demo import DEMO_PASSWORD, INDEPENDENT_REVIEWER, demo_data_load

    demo_data_load()
    reviewer = User.objects.get(email=INDEPENDENT_REVIEWER.email)
    assert reviewer.check_password(DEMO_PASSWORD)
    assert not reviewer.organisation and not reviewer.memberships.exists()


def test_demo_data_has_a_partnership_running_england_2023_with_one_notified_case():
    """Issue 20: beside the SCR boards, a partnership on England 2023 with its business manager, the three
    safeguarding partners' leads and one notified case, opened under the partnership's framework."""
    from portal_site.demo import PARTNERSHIP, PARTNERSHIP_USERS, demo_data_load
    from referrals.models import Referral
    from scr_portal.models import Deadline

    demo_data_load()
    partnership = Board.objects.get(name=PARTNERSHIP)
    assert (partnership.short_name, partnership.review_framework) == ("SSCP", "england-2023")
    leads = partnership.memberships.filter(role=Role.PARTNER_LEAD).select_related("agency")
    assert sorted(lead.agency.kind for lead in leads) == ["childrens_social_care", "health_trust", "police"]
    assert partnership.memberships.filter(role=Role.BUSINESS_MANAGER).count() == 1
    assert {spec.email for spec in PARTNERSHIP_USERS} <= set(User.objects.values_list("email", flat=True))
    case = Referral.objects.get(board=partnership)
    assert case.state == "submitted" and case.review_framework == "england-2023"
    deadlines = Deadline.objects.filter(board=partnership)
    assert deadlines.exists() and {d.review_short for d in deadlines} == {"LCSPR"}
    assert not Referral.objects.exclude(board=partnership).filter(review_framework="england-2023").exists()
