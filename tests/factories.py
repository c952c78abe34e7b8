import io
import time
import zipfile

import factory
import pytest
import time_machine
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from scr_portal.clock.services import deadline_extend, deadline_open
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


def open_deadline(
    board, at, *, rule_code="decision", reference="ALSCB-2026-001", subject=None, travel=False, **fields
):
    """A deadline of the board triggered and opened at `at` (fields: responsible_users, actor, now, due_date);
    with travel, opened with the clock frozen there."""
    arguments = {
        "board": board,
        "subject": subject or board,
        "rule_code": rule_code,
        "trigger_at": at,
        "case_reference": reference,
        "now": at,
        **fields,
    }
    if not travel:
        return deadline_open(**arguments)
    with time_machine.travel(at, tick=False):
        return deadline_open(**arguments)


def extend_deadline(deadline, actor, new_due_date, *, approved_on, **fields):
    """Extend a deadline for complexity, approved by the LSCB (fields: reason, ofsted_told_on, now...)."""
    fields = {
        "reason_category": "complexity",
        "reason": "More agencies involved",
        "approved_by": "LSCB",
        **fields,
    }
    return deadline_extend(
        deadline=deadline, actor=actor, new_due_date=new_due_date, approved_on=approved_on, **fields
    )


def date_fields(name: str, day) -> dict:
    """A date as the three boxes (day, month, year) of a GOV.UK date input named `name`."""
    return {f"{name}_0": day.day, f"{name}_1": day.month, f"{name}_2": day.year}


def extension_form(new_due_date, approved_on, *, ofsted_told_on=None, **fields) -> dict:
    """The data of a deadline's extension form: for complexity, approved by the LSCB, unless fields say
    otherwise."""
    data = {**date_fields("new_due_date", new_due_date), **date_fields("approved_on", approved_on)}
    if ofsted_told_on:
        data |= date_fields("ofsted_told_on", ofsted_told_on)
    return {
        "reason_category": "complexity",
        "reason": "Awaiting the post-mortem",
        "approved_by": "LSCB",
        **data,
        **fields,
    }


def frozen_at(moment):
    """An autouse fixture that freezes the clock at the moment for each test where it is in scope."""

    @pytest.fixture(autouse=True)
    def frozen_clock():
        with time_machine.travel(moment, tick=False):
            yield

    return frozen_clock
