"""People and roles administration (issue 19, clause 1): the business manager invites a person by email
with a set-password link, gives and takes their roles on the board, and every change is in the access log
and the change history. Only the board's business manager opens these pages."""

import re

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from reviews.models import PanelRole
from scr_portal import roles
from scr_portal.models import AccessAction, AccessLog, Membership, Role, User
from scr_portal.models.tracking import event_models
from scr_portal.permissions import VIEW_BOARD, boards_for_user

from ..factories import frozen_at
from ..reviews.factories import NOW, appoint, decided_review

pytestmark = pytest.mark.django_db
frozen_time = frozen_at(NOW)
PASSWORD = "a-long-and-unusual-passphrase-42"
INVITE = {"full_name": "Kit Lindqvist", "email": "kit@independent.example", "organisation": ""}


@pytest.fixture
def eager_tasks(monkeypatch):
    """Run queued tasks at once, so the invitation lands in mail.outbox when the transaction commits."""
    monkeypatch.setattr(
        "scr_portal.queue._safe_send", lambda task, args, kwargs: task.apply(args=args, kwargs=kwargs)
    )


@pytest.fixture
def reviews(board_a, chair_a, manager_a, agency_x):
    """Two reviews of board A: the invited author's and another."""
    return [
        decided_review(board=board_a, chair=chair_a, manager=manager_a, agencies=[agency_x]) for _ in range(2)
    ]


def people_url(board, name="board_people", *args):
    return reverse(name, args=[board.pk, *args])


def logged(board, action):
    return list(AccessLog.objects.filter(board=board, action=action).values_list("object_label", flat=True))


def test_an_invited_independent_author_sets_a_password_and_sees_exactly_their_review(
    client, client_as, board_a, manager_a, reviews, eager_tasks, django_capture_on_commit_callbacks
):
    mine, other = reviews
    manager = client_as(manager_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = manager.post(people_url(board_a, "board_person_invite"), INVITE)
    person = User.objects.get(email=INVITE["email"])
    assert response.url == people_url(board_a, "board_role_give", person.pk)
    assert not person.has_usable_password() and not person.memberships.exists()
    assert logged(board_a, AccessAction.INVITE) == ["Kit Lindqvist (kit@independent.example)"]
    assert person.full_name in manager.get(people_url(board_a)).content.decode()

    # Overview author of a review: on to the review's appointment page, the person filled in.
    response = manager.post(
        people_url(board_a, "board_role_give", person.pk),
        {"role": PanelRole.OVERVIEW_AUTHOR, "review": mine.pk},
    )
    assert response.url.startswith(reverse("review_appoint", args=[mine.pk]))
    form = manager.get(response.url).content.decode()
    assert 'value="kit@independent.example"' in form
    appoint(mine, actor=manager_a, user=person, role=PanelRole.OVERVIEW_AUTHOR)
    assert any("Independent overview author" in label for label in logged(board_a, AccessAction.GRANT))
    assert (
        f"Independent overview author, {mine.reference}" in manager.get(people_url(board_a)).content.decode()
    )

    # The emailed link sets a password.
    invitation = next(email for email in mail.outbox if email.to == [INVITE["email"]])
    path = re.search(r"https?://[^/]+(/accounts/password/reset/key/\S+/)", invitation.body).group(1)
    client.logout()
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    client.post(form_page.redirect_chain[-1][0], {"password1": PASSWORD, "password2": PASSWORD})
    person.refresh_from_db()
    assert person.check_password(PASSWORD)
    # Following the link proved the address, so allauth lets them set up their authenticator app.
    assert person.emailaddress_set.get().verified

    # Signed in (with the authenticator app they then set up): their review, and no other.
    TOTP.activate(person, generate_totp_secret())
    author = client_as(person)
    assert author.get(reverse("review_detail", args=[mine.pk])).status_code == 200
    assert author.get(reverse("review_detail", args=[other.pk])).status_code == 404


def test_an_existing_account_is_invited_without_a_new_one(board_a, manager_a, manager_b, eager_tasks):
    person, created = roles.person_invite(
        board=board_a, actor=manager_a, email=manager_b.email.upper(), full_name="Bob"
    )
    assert person == manager_b and not created
    assert User.objects.filter(email__iexact=manager_b.email).count() == 1


def test_giving_and_taking_a_board_role_changes_access_and_is_logged(client_as, board_a, manager_a, agency_x):
    person = User.objects.create_user(email="new@example.org", full_name="Nia New")
    roles.person_invite(board=board_a, actor=manager_a, email=person.email, full_name=person.full_name)
    manager = client_as(manager_a)
    give = people_url(board_a, "board_role_give", person.pk)

    refused = manager.post(give, {"role": Role.HEAD_OF_AGENCY})
    assert "Choose the agency this person answers for" in refused.content.decode()
    manager.post(give, {"role": Role.HEAD_OF_AGENCY, "agency": agency_x.pk})
    membership = Membership.objects.get(user=person, board=board_a)
    assert membership.agency == agency_x and membership.granted_by == manager_a
    assert list(boards_for_user(person, VIEW_BOARD)) == [board_a]
    assert logged(board_a, AccessAction.GRANT) == [f"Nia New: {roles.role_text(membership)}"]
    events = event_models()[Membership].objects.filter(pgh_obj_id=membership.pk)
    assert events.filter(pgh_label="insert").exists()

    take = people_url(board_a, "board_role_take", membership.pk)
    assert manager.get(take).status_code == 200
    assert manager.post(take).url == people_url(board_a)
    assert not boards_for_user(person, VIEW_BOARD).exists()
    assert len(logged(board_a, AccessAction.REVOKE)) == 1
    assert event_models()[Membership].objects.filter(pgh_label="delete").exists()


def test_a_role_already_held_is_refused(board_a, manager_a, chair_a):
    with pytest.raises(Exception, match="already lscb chair"):
        roles.board_role_give(board=board_a, actor=manager_a, person=chair_a, role=Role.LSCB_CHAIR)


def test_taking_a_panel_place_away_ends_access_and_is_logged(board_a, manager_a, reviews):
    from reviews import services

    person = User.objects.create_user(email="pat@independent.example", full_name="Pat Panel")
    place = appoint(reviews[0], actor=manager_a, user=person, role=PanelRole.INDEPENDENT_CHAIR)
    services.panel_remove(membership=place, actor=manager_a, reason="Withdrew.")
    assert not person.has_perm("reviews.view_review", reviews[0])
    assert len(logged(board_a, AccessAction.REVOKE)) == 1


@pytest.mark.parametrize(
    "name", ["board_people", "board_person_invite", "board_role_give", "board_role_take"]
)
def test_only_the_business_manager_of_the_board_opens_the_people_pages(
    client_as, board_a, manager_a, manager_b, chair_a, name
):
    membership = Membership.objects.get(user=manager_a, board=board_a)
    arg = {"board_role_give": [manager_a.pk], "board_role_take": [membership.pk]}.get(name, [])
    url = people_url(board_a, name, *arg)
    assert client_as(manager_b).get(url).status_code == 404
    assert client_as(chair_a).get(url).status_code == 403
    assert client_as(manager_a).get(url).status_code == 200


def test_services_refuse_anyone_but_the_boards_business_manager(board_a, manager_b, chair_a):
    for actor in (manager_b, chair_a):
        with pytest.raises(PermissionDenied):
            roles.person_invite(board=board_a, actor=actor, email="x@example.org", full_name="X")
        with pytest.raises(PermissionDenied):
            roles.board_role_give(board=board_a, actor=actor, person=actor, role=Role.BUSINESS_MANAGER)
    assert not User.objects.filter(email="x@example.org").exists()


def test_a_person_unknown_to_the_board_is_not_shown(client_as, board_a, manager_a, manager_b):
    assert client_as(manager_a).get(people_url(board_a, "board_role_give", manager_b.pk)).status_code == 404
