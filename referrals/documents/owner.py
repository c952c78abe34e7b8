"""The referral as the owner of documents: who may see and produce them, and what its anonymisation key is
filled from."""

from __future__ import annotations

import re

from referrals.permissions import get_referral_for_user, sees_all_referrals
from scr_portal.documents.owners import KeyRow, OwnerType, register_owner_type, senior_may
from scr_portal.models import Board, KeyRole
from scr_portal.permissions import WORK_CASES, user_has_board_perm

from .family import referral_family

# --- The referral as the owner of documents ----------------------------------------------------------

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


def referral_key_rows(referral) -> list[KeyRow]:
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
    board = referral.board
    if not sees_all_referrals(user, board):
        return False
    if action == "view":
        return True
    if action in {"request", "edit_key"}:
        return user_has_board_perm(user, board, WORK_CASES)
    return senior_may(user, board, action)


def _referral_get(user, pk):
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
        key_rows=referral_key_rows,
        detail_url_name="referral_detail",
        documents_url_name="referral_documents",
        key_url_name="referral_case_key",
        family=referral_family,
    )
)
