"""The IMR as the owner of documents: who may see and produce them, what its anonymisation key is filled from,
and the practitioners each IMR names, which the review's key adds ("review-key-practitioners")."""

from __future__ import annotations

import hashlib
import re

from imr.models import IMR
from imr.permissions import get_imr_for_user, imr_access
from referrals.documents import referral_key_rows
from reviews.documents import review_reference_date
from scr_portal.documents.owners import KeyRow, OwnerType, add_practitioners, register_owner_type, senior_may
from scr_portal.documents.registry import (
    extend,
)

# --- The IMR as the owner of documents ----------------------------------------------------------------

# A line of the IMR's staff key (Solihull App 6, Methodology f: staff involved by name and job title) is
# "name, job title", "name – job title", "name: job title" or "name (job title)"; the name comes first.
STAFF_KEY_SPLIT = re.compile(r"\s*(?:,|;|:|\(|\t|\s[-–—]\s)")


def staff_key_names(staff_key: str) -> list[str]:
    """The names in an IMR's staff key, one a line, in order. A hyphen inside a name (Smith-Jones) is not a
    separator; one with spaces round it is."""
    names = []
    for line in staff_key.splitlines():
        line = re.sub(r"^\s*(?:[-*•]|\d+[.)])\s+", "", line)  # a list bullet or number
        name = STAFF_KEY_SPLIT.split(line.strip(), maxsplit=1)[0].strip()
        if name and len(name) <= 100 and re.search(r"[^\W\d_]", name):
            names.append(name)
    return names


def _name_ref(name: str) -> str:
    return hashlib.sha256(" ".join(name.split()).casefold().encode()).hexdigest()[:16]


def _imr_key_rows(imr) -> list[KeyRow]:
    """The referral's people, then the practitioners the IMR names: its staff key (App 6 f, for the panel
    only) and the practitioners interviewed (App 8). The chronology rows (App 7) name no practitioner in a
    column of their own, so its staff are taken from those two places. Each person once, whatever the
    case or spacing of the name."""
    referral = imr.review.referral
    rows = referral_key_rows(referral) if referral is not None else []
    return add_practitioners(rows, _imr_practitioners(imr))


def _imr_practitioners(imr) -> list[tuple[str, str]]:
    """(source ref, name) of the practitioners an IMR names. Staff rows are known by their name (a line
    moved or removed in the key must not hand one person's pseudonym to another); interviews by their
    record."""
    found = [(f"imr-staff:{_name_ref(name)}", name) for name in staff_key_names(imr.staff_key)]
    found += [(f"imr-interview:{person.pk}", person.interviewee_name) for person in imr.interviews.all()]
    return found


def _imr_may(user, imr, action: str) -> bool:
    """View: whoever may open the IMR (its author, the agency, the review's panel, the board's staff).
    The IMR pack is produced for the author and by the business unit; the key is kept by either; approval
    and overriding the check stay with the business manager (and the LSCB Chair for approval)."""
    access = imr_access(user, imr)
    if not access.sees:
        return False
    board = imr.review.board
    if action == "view":
        return True
    if action in {"request", "edit_key"}:
        return access.is_author or access.is_business_unit
    return senior_may(user, board, action)


def _imr_get(user, pk):
    """404 for anyone the IMR app would not show the IMR to (another agency's author, another board)."""
    imr, _ = get_imr_for_user(user, pk)
    return imr


def _imr_reference_date(imr):
    return review_reference_date(imr.review)


register_owner_type(
    OwnerType(
        key="imr",
        model="imr.IMR",
        label="IMR",
        get_for_user=_imr_get,
        may=_imr_may,
        board=lambda imr: imr.review.board,
        reference=lambda imr: imr.case_reference,
        reference_date=_imr_reference_date,
        data_as_of=lambda imr: imr.updated_at or imr.commissioned_at,
        key_rows=_imr_key_rows,
        detail_url_name="imr_detail",
        documents_url_name="imr_documents",
        key_url_name="imr_case_key",
    )
)


def _review_practitioners(review) -> list[tuple[str, str]]:
    """The practitioners every IMR of a review names, for the review's own key (reviews/documents/)."""
    named = []
    for imr in IMR.objects.filter(review=review).prefetch_related("interviews").order_by("pk"):
        named += _imr_practitioners(imr)
    return named


extend("review-key-practitioners", _review_practitioners)
