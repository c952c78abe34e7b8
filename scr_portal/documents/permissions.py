"""Access to documents is decided by the record they belong to: the owner type fetches the record with
its own app's check (404 when the user may not know it exists), then says whether the user may see its
documents and act on them (403 when they see the record but may not)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from scr_portal.models import CaseKeyPerson, GeneratedDocument
from scr_portal.permissions import MANAGE_BOARD, get_board_for_user

from .owners import get_owner_type, owner_type_for_content_type

REFUSALS = {
    "view": "Only the business unit, the LSCB Chair, the sub-committee and auditors can see this record's "
    "documents.",
    "request": "Only the business unit can produce documents and record them as sent.",
    "edit_key": "Only the business unit can change the anonymisation key.",
    "approve": "Only the business manager or the LSCB Chair can approve a document.",
    "override": "Only the business manager can release a version the anonymisation check blocked.",
}


def get_owner_for_user(user, owner_type_key: str, pk: int, action: str = "view"):
    try:
        owner_type = get_owner_type(owner_type_key)
    except KeyError:
        raise Http404("No such record.") from None
    owner = owner_type.get_for_user(user, pk)
    for needed in dict.fromkeys(("view", action)):
        if not owner_type.may(user, owner, needed):
            raise PermissionDenied(REFUSALS[needed])
    return owner_type, owner


def _with_owner_for_user(user, row, action: str, missing: str):
    """`row` (a document or a key person, or None) with its case record as `row.owner`, once `user` may
    do `action` on that record; a row that is missing or whose record is of no known kind is a 404."""
    if row is None:
        raise Http404(missing)
    try:
        owner_type = owner_type_for_content_type(row.content_type)
    except LookupError:
        raise Http404(missing) from None
    _, row.owner = get_owner_for_user(user, owner_type.key, row.object_id, action)
    return row


def get_document_for_user(user, pk: int, action: str = "view") -> GeneratedDocument:
    document = (
        GeneratedDocument.objects.select_related(
            "board", "content_type", "file", "requested_by", "approved_by"
        )
        .filter(pk=pk)
        .first()
    )
    return _with_owner_for_user(user, document, action, "No such document.")


def get_key_person_for_user(user, pk: int, action: str = "edit_key") -> CaseKeyPerson:
    person = CaseKeyPerson.objects.select_related("content_type").filter(pk=pk).first()
    return _with_owner_for_user(user, person, action, "No such person.")


def get_board_for_wording(user, request_board):
    """The board whose wording a business manager edits: the one they are working in."""
    if request_board is None:
        raise Http404("You are not a member of any board.")
    board = get_board_for_user(user, request_board.pk, MANAGE_BOARD)
    return board
