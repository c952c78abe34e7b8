"""The business manager's administration of people (issue 19): inviting a person to the portal and giving
and taking their roles on the board. Every change of who may see the board's records is also written to
the access log (`role_change_record`, used as well by panel appointments and IMR authors' nominations);
the memberships themselves are in the change history (`track_changes`)."""

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse

from .models import AccessAction, AccessLog, Agency, Board, Membership, User
from .notify import notify_on_commit
from .permissions import MANAGE_BOARD, user_has_board_perm
from .services import blank, membership_grant, membership_revoke, refuse_problems

MANAGER_ONLY = "Only the board's business manager can change who has a role on the board."
NAME_REQUIRED = "Enter the person's full name."
EMAIL_REQUIRED = "Enter the person's email address."
ACCOUNT_CLOSED = "That person's account has been closed. Ask the portal's administrator to reopen it."
ALREADY_HELD = "{name} is already {role} on this board."


def invitation_path(user: User) -> str:
    """An allauth set-password link (the password reset key): the invited person chooses a password, then
    sets up their authenticator app at first sign-in (required by SecondFactorRequiredMiddleware)."""
    return reverse(
        "account_reset_password_from_key",
        kwargs={"uidb36": user_pk_to_url_str(user), "key": default_token_generator.make_token(user)},
    )


def role_change_record(*, actor, board: Board, person: User, action: str, label: str) -> AccessLog:
    """One access-log row for a change of who may see the board's records, logged against the person."""
    return AccessLog.objects.create(
        user=actor,
        user_name=actor.full_name or actor.get_username(),
        board=board,
        content_type=ContentType.objects.get_for_model(User),
        object_id=person.pk,
        object_label=label[:200],
        action=action,
        url_name=f"people:{action}",
        path="",
    )


def require_manager(actor, board: Board) -> None:
    if not user_has_board_perm(actor, board, MANAGE_BOARD):
        raise PermissionDenied(MANAGER_ONLY)


@transaction.atomic
def person_invite(
    *, board: Board, actor, email: str, full_name: str, organisation: str = "", job_title: str = ""
) -> tuple[User, bool]:
    """Invite a person to work with the board: a new account without a usable password, or the existing
    account of that email (someone from another board, an independent reviewer invited before). The
    email carries a set-password link while the person has no password, else a sign-in link. True: a new
    account. Roles are given separately."""
    require_manager(actor, board)
    refuse_problems({"full_name": blank(full_name, NAME_REQUIRED), "email": blank(email, EMAIL_REQUIRED)})
    email = User.objects.normalize_email(email.strip())
    person = User.objects.filter(email__iexact=email).first()
    created = person is None
    if created:
        person = User.objects.create_user(
            email=email,
            password=None,  # unusable until they set one through the invitation
            full_name=full_name.strip(),
            organisation=organisation.strip(),
            job_title=job_title.strip(),
        )
    elif not person.is_active:
        raise ValidationError({"email": ACCOUNT_CLOSED})
    invited = f"You have been invited to work with {board.name} on the Serious Case Review portal."
    if person.has_usable_password():
        body, path = f"{invited} Sign in with your usual password.", reverse("home")
    else:
        body = (
            f"{invited} Use the link below to choose a password; you will then set up an authenticator app "
            "for a second sign-in step. The link works once and expires after a few days: ask the "
            "business manager for a new one if it has."
        )
        path = invitation_path(person)
    notify_on_commit([person], subject="Invitation to the Serious Case Review portal", body=body, path=path)
    role_change_record(
        actor=actor,
        board=board,
        person=person,
        action=AccessAction.INVITE,
        label=f"{person} ({person.email})",
    )
    return person, created


@transaction.atomic
def board_role_give(
    *, board: Board, actor, person: User, role: str, agency: Agency | None = None
) -> Membership:
    """Give a board role (an agency role with its agency); the person's board permissions follow."""
    require_manager(actor, board)
    held = Membership.objects.filter(user=person, board=board, role=role).first()
    if held is not None:
        raise ValidationError(ALREADY_HELD.format(name=person, role=held.get_role_display().lower()))
    membership = membership_grant(user=person, board=board, role=role, agency=agency, granted_by=actor)
    role_change_record(
        actor=actor, board=board, person=person, action=AccessAction.GRANT, label=role_label(membership)
    )
    return membership


@transaction.atomic
def board_role_take(*, membership: Membership, actor) -> None:
    """Take a board role away; the person loses the access it gave at once."""
    require_manager(actor, membership.board)
    label = role_label(membership)
    membership_revoke(membership=membership)
    role_change_record(
        actor=actor, board=membership.board, person=membership.user, action=AccessAction.REVOKE, label=label
    )


def role_text(membership: Membership) -> str:
    """ "Head of agency (signs off the agency's IMRs), Northshire Police": the role and its agency."""
    where = f", {membership.agency.name}" if membership.agency_id else ""
    return f"{membership.get_role_display()}{where}"


def role_label(membership: Membership) -> str:
    return f"{membership.user}: {role_text(membership)}"
