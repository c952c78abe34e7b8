"""The records documents belong to. Each owner type says how to fetch one for a user (with the access check
of its own app: 404 when the user may not know it exists), who may see its documents and act on them,
and what its anonymisation key is filled from. Each app registers its own owner type from its `documents`
module (referrals, reviews, imr), found by the registry's discovery: the look-ups here load those modules
first, so an owner type is always registered before it is asked for.

Actions: "view" (see the documents and download internal versions), "request" (produce and record as
sent), "edit_key" (the anonymisation key), "approve" (take the DRAFT mark off), "override" (release an
anonymised version the check blocked — business manager only)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.contrib.contenttypes.models import ContentType

from scr_portal.models import Board, KeyRole
from scr_portal.permissions import DECIDE_REFERRALS, MANAGE_BOARD, user_has_board_perm

from .registry import _load


@dataclass(frozen=True)
class KeyRow:
    """One person the case record names, as the key is filled from it."""

    source_ref: str
    real_name: str
    role: str
    pseudonym_hint: str  # "Child A", "Mother", "Sibling", "Practitioner"…; numbered when needed
    date_of_birth: dt.date | None = None
    address: str = ""
    school: str = ""


@dataclass(frozen=True)
class OwnerType:
    key: str
    model: str  # app_label.ModelName
    label: str
    get_for_user: Callable  # (user, pk) -> owner, raising Http404
    may: Callable  # (user, owner, action) -> bool
    board: Callable  # (owner) -> Board
    reference: Callable  # (owner) -> str
    reference_date: Callable  # (owner) -> date | None: ages in anonymised text are given at this date
    data_as_of: Callable  # (owner) -> datetime | None
    key_rows: Callable  # (owner) -> list[KeyRow]
    detail_url_name: str
    documents_url_name: str
    key_url_name: str
    # (owner, Merge) -> genogram.Family: the family the record holds, drawn on its page; None if it holds none
    family: Callable | None = None

    def model_class(self):
        return apps.get_model(self.model)

    def content_type(self) -> ContentType:
        return ContentType.objects.get_for_model(self.model_class())


_OWNER_TYPES: dict[str, OwnerType] = {}


def register_owner_type(owner_type: OwnerType) -> OwnerType:
    _OWNER_TYPES[owner_type.key] = owner_type
    return owner_type


def get_owner_type(key: str) -> OwnerType:
    _load()
    return _OWNER_TYPES[key]


def owner_type_of(owner) -> OwnerType:
    _load()
    label = owner._meta.label
    for owner_type in _OWNER_TYPES.values():
        if owner_type.model == label:
            return owner_type
    raise LookupError(f"No documents for {label}")


def owner_type_for_content_type(content_type: ContentType) -> OwnerType:
    _load()
    label = f"{content_type.app_label}.{content_type.model_class().__name__}"
    for owner_type in _OWNER_TYPES.values():
        if owner_type.model == label:
            return owner_type
    raise LookupError(f"No documents for {label}")


def senior_may(user, board: Board, action: str) -> bool:
    """The actions kept for the board's seniors on every record: taking the DRAFT mark off (business
    manager or LSCB Chair) and releasing an anonymised version the check blocked (business manager)."""
    if action == "approve":
        return user_has_board_perm(user, board, MANAGE_BOARD) or user_has_board_perm(
            user, board, DECIDE_REFERRALS
        )
    if action == "override":
        return user_has_board_perm(user, board, MANAGE_BOARD)
    return False


def add_practitioners(rows: list[KeyRow], found: list[tuple[str, str]]) -> list[KeyRow]:
    """Append each named practitioner not already in the key, once whatever the case or spacing."""
    seen = {" ".join(row.real_name.split()).casefold() for row in rows}
    for source_ref, name in found:
        folded = " ".join(name.split()).casefold()
        if not folded or folded in seen:
            continue
        seen.add(folded)
        rows.append(
            KeyRow(
                source_ref=source_ref,
                real_name=" ".join(name.split()),
                role=KeyRole.PRACTITIONER,
                pseudonym_hint="Practitioner",
            )
        )
    return rows
