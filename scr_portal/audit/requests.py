"""Subject access and FOI requests: the log, and for a subject access request the export of everything
held about a named person across the board's cases. Business manager only; every export is written to
the access log."""

import datetime as dt

from django.core.exceptions import PermissionDenied

from .. import records
from ..clock.services import board_working_day
from ..models import Board, CaseKeyPerson
from ..permissions import MANAGE_BOARD, user_has_board_perm
from ..records import Holding
from ..workdays import add_calendar_months
from .models import InformationRequest, RequestKind
from .services import export_record

NOT_MANAGER = "Only the board's business manager can handle subject access and FOI requests."


def _require_manager(user, board: Board) -> None:
    if not user_has_board_perm(user, board, MANAGE_BOARD):
        raise PermissionDenied(NOT_MANAGER)


def information_request_record(
    *, board: Board, actor, kind: str, requester: str, received_on: dt.date, now: dt.datetime, **fields
) -> InformationRequest:
    """Due one calendar month after receipt for a subject access request (UK GDPR Art. 12(3)); 20
    working days for FOI (FOIA s.10)."""
    _require_manager(actor, board)
    if kind == RequestKind.SUBJECT_ACCESS:
        due_on = add_calendar_months(received_on, 1)
    else:
        due_on = board_working_day(board, received_on, 20)
    return InformationRequest.objects.create(
        board=board,
        kind=kind,
        requester=requester,
        received_on=received_on,
        due_on=due_on,
        recorded_by=actor,
        recorded_at=now,
        **fields,
    )


def key_people_named(board, name: str) -> list[Holding]:
    """The anonymisation key's real names (registered from ScrPortalConfig.ready())."""
    fields = ("real_name", "pseudonym", "role", "date_of_birth", "address", "school")
    return [
        Holding.of("Anonymisation key", str(person.object_id), field, getattr(person, field))
        for person in CaseKeyPerson.objects.filter(board=board, real_name__icontains=name)
        for field in fields
    ]


def subject_access_export(
    *, request: InformationRequest, actor, ip_address: str | None = None
) -> list[Holding]:
    """Every row of the board's cases naming the person (case-insensitive match on the name fields), as
    the finders registered in scr_portal/records.py find them."""
    board = request.board
    _require_manager(actor, board)
    name = request.subject_name.strip()
    holdings: list[Holding] = records.personal_data(board, name) if name else []
    export_record(
        user=actor,
        board=board,
        subject=request,
        label=f"Subject access export #{request.pk}",
        url_name="information_request_export",
        ip_address=ip_address,
    )
    return holdings
