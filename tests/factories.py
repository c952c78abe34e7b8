import io
import time
import zipfile

import factory
import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from scr_portal.models import Agency, AgencyKind, Board, User
from scr_portal.services import membership_grant

TEST_PASSWORD = "correct-horse-battery-staple"


class BoardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Board

    name = factory.Sequence(lambda n: f"Board {n} Local Safeguarding Children Board")
    short_name = factory.Sequence(lambda n: f"B{n}")


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    board = factory.SubFactory(BoardFactory)
    name = factory.Sequence(lambda n: f"Agency {n}")
    kind = AgencyKind.POLICE


class UserFactory(factory.django.DjangoModelFactory):
    """A user with an authenticator app set up (the second factor is required in test settings)."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Sequence(lambda n: f"Person {n}")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def totp(self, create, extracted, **kwargs):
        if not create:
            return
        self.save()
        if extracted is not False:
            self.totp_secret = generate_totp_secret()
            TOTP.activate(self, self.totp_secret)


def member(*, board: Board, role: str, agency: Agency | None = None, **user_fields) -> User:
    user = UserFactory(**user_fields)
    membership_grant(user=user, board=board, role=role, agency=agency)
    return user


def persona(role: str, full_name: str, *, board: str = "board_a", agency: str | None = None):
    """A fixture for a member of a board in a role; the board and the agency are named by their fixtures."""

    @pytest.fixture
    def person(request):
        return member(
            board=request.getfixturevalue(board),
            role=role,
            agency=request.getfixturevalue(agency) if agency else None,
            full_name=full_name,
        )

    return person


def zipped(parts: dict[str, bytes | str]) -> bytes:
    """A zip archive of the named parts (the container of Word and OpenDocument files and workbooks)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def signed_in(client, user, *, seconds_ago: float = 0):
    """Sign in as allauth does, with the record of when the password was last given."""
    client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
    session = client.session
    session["account_authentication_methods"] = [{"method": "password", "at": time.time() - seconds_ago}]
    session["account_authentication_methods_user"] = str(user.pk)
    session.save()
    return client
