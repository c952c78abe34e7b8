"""The records documents belong to. Each owner type says how to fetch one for a user (with the access check
of its own app: 404 when the user may not know it exists), who may see its documents and act on them,
and what its anonymisation key is filled from. Reviews and IMRs add an OwnerType each.

Actions: "view" (see the documents and download internal versions), "request" (produce and record as
sent), "edit_key" (the anonymisation key), "approve" (take the DRAFT mark off), "override" (release an
anonymised version the check blocked — business manager only)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.contrib.contenttypes.models import ContentType

from scr_portal.models import Board, KeyRole
from scr_portal.permissions import DECIDE_REFERRALS, MANAGE_BOARD, WORK_CASES, user_has_board_perm


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

    def model_class(self):
        return apps.get_model(self.model)

    def content_type(self) -> ContentType:
        return ContentType.objects.get_for_model(self.model_class())


_OWNER_TYPES: dict[str, OwnerType] = {}


def register_owner_type(owner_type: OwnerType) -> OwnerType:
    _OWNER_TYPES[owner_type.key] = owner_type
    return owner_type


def get_owner_type(key: str) -> OwnerType:
    return _OWNER_TYPES[key]


def owner_type_of(owner) -> OwnerType:
    label = owner._meta.label
    for owner_type in _OWNER_TYPES.values():
        if owner_type.model == label:
            return owner_type
    raise LookupError(f"No documents for {label}")


def owner_type_for_content_type(content_type: ContentType) -> OwnerType:
    label = f"{content_type.app_label}.{content_type.model_class().__name__}"
    for owner_type in _OWNER_TYPES.values():
        if owner_type.model == label:
            return owner_type
    raise LookupError(f"No documents for {label}")


# --- Referrals ----------------------------------------------------------------------------------------

RELATIONSHIP_PSEUDONYMS = [
    (r"step[\s-]?mother|step[\s-]?mum", "Stepmother", KeyRole.PARENT),
    (r"step[\s-]?father|step[\s-]?dad", "Stepfather", KeyRole.PARENT),
    (r"grand[\s-]?mother|grandma|\bnan\b|nanna|granny", "Grandmother", KeyRole.RELATIVE),
    (r"grand[\s-]?father|grandad|grandpa", "Grandfather", KeyRole.RELATIVE),
    (r"foster", "Foster carer", KeyRole.PARENT),
    (r"mother|\bmum\b|\bmom\b", "Mother", KeyRole.PARENT),
    (r"father|\bdad\b", "Father", KeyRole.PARENT),
    (r"brother|sister|sibling|half", "Sibling", KeyRole.SIBLING),
    (r"\baunt", "Aunt", KeyRole.RELATIVE),
    (r"\buncle", "Uncle", KeyRole.RELATIVE),
    (r"cousin", "Cousin", KeyRole.RELATIVE),
    (r"partner|boyfriend|girlfriend|husband|wife", "Partner", KeyRole.SIGNIFICANT_OTHER),
]


def pseudonym_for_relationship(relationship: str) -> tuple[str, str]:
    """(pseudonym hint, role) for a relationship as the referrer typed it."""
    text = relationship.lower()
    for pattern, hint, role in RELATIONSHIP_PSEUDONYMS:
        if re.search(pattern, text):
            if hint == "Partner" and "mother" in text:
                return "Mother's partner", role
            if hint == "Partner" and "father" in text:
                return "Father's partner", role
            return hint, role
    return "Adult", KeyRole.SIGNIFICANT_OTHER


def _referral_key_rows(referral) -> list[KeyRow]:
    rows = []
    if referral.child_name.strip():
        rows.append(
            KeyRow(
                source_ref="child",
                real_name=referral.child_name.strip(),
                role=KeyRole.CHILD,
                pseudonym_hint="Child A",
                date_of_birth=referral.child_date_of_birth,
                address=referral.child_address,
            )
        )
    for member in referral.family.all():
        if not member.name.strip():
            continue
        hint, role = pseudonym_for_relationship(member.relationship)
        rows.append(
            KeyRow(
                source_ref=f"family:{member.pk}",
                real_name=member.name.strip(),
                role=role,
                pseudonym_hint=hint,
                date_of_birth=member.date_of_birth,
                address=member.address,
            )
        )
    for involved in referral.involved_agencies.all():
        if involved.worker_name.strip():
            rows.append(
                KeyRow(
                    source_ref=f"agency-worker:{involved.pk}",
                    real_name=involved.worker_name.strip(),
                    role=KeyRole.PRACTITIONER,
                    pseudonym_hint="Practitioner",
                )
            )
    for source_ref, name in (
        ("referrer", referral.referrer_name),
        ("referrer-manager", referral.referrer_line_manager),
    ):
        if name.strip():
            rows.append(
                KeyRow(
                    source_ref=source_ref,
                    real_name=name.strip(),
                    role=KeyRole.PRACTITIONER,
                    pseudonym_hint="Practitioner",
                )
            )
    return rows


def _referral_may(user, referral, action: str) -> bool:
    from referrals.permissions import sees_all_referrals

    board = referral.board
    if not sees_all_referrals(user, board):
        return False
    if action == "view":
        return True
    if action in {"request", "edit_key"}:
        return user_has_board_perm(user, board, WORK_CASES)
    if action == "approve":
        return user_has_board_perm(user, board, MANAGE_BOARD) or user_has_board_perm(
            user, board, DECIDE_REFERRALS
        )
    if action == "override":
        return user_has_board_perm(user, board, MANAGE_BOARD)
    return False


def _referral_get(user, pk):
    from referrals.permissions import get_referral_for_user

    return get_referral_for_user(user, pk)


def _referral_board(referral) -> Board:
    return referral.board


register_owner_type(
    OwnerType(
        key="referral",
        model="referrals.Referral",
        label="referral",
        get_for_user=_referral_get,
        may=_referral_may,
        board=_referral_board,
        reference=lambda referral: referral.reference,
        reference_date=lambda referral: (
            referral.incident_date or (referral.received_at.date() if referral.received_at else None)
        ),
        data_as_of=lambda referral: referral.updated_at,
        key_rows=_referral_key_rows,
        detail_url_name="referral_detail",
        documents_url_name="referral_documents",
        key_url_name="referral_case_key",
    )
)
