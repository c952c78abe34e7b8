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


def _senior_may(user, board: Board, action: str) -> bool:
    """The actions kept for the board's seniors on every record: taking the DRAFT mark off (business
    manager or LSCB Chair) and releasing an anonymised version the check blocked (business manager)."""
    if action == "approve":
        return user_has_board_perm(user, board, MANAGE_BOARD) or user_has_board_perm(
            user, board, DECIDE_REFERRALS
        )
    if action == "override":
        return user_has_board_perm(user, board, MANAGE_BOARD)
    return False


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
    return _senior_may(user, board, action)


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


# --- Reviews ------------------------------------------------------------------------------------------


def _review_named_users(review) -> set[int]:
    """Who the documents of a review name even when anonymised: the LSCB Chair, the panel chair and the
    overview author (domain brief §8.1; Solihull §1.9.1). They stay out of the key."""
    from reviews.models import INDEPENDENT_ROLES
    from scr_portal.models import Membership, Role

    chairs = set(
        Membership.objects.filter(board=review.board, role=Role.LSCB_CHAIR).values_list("user_id", flat=True)
    )
    independents = set(
        review.panel.filter(role__in=INDEPENDENT_ROLES, removed_at__isnull=True).values_list(
            "user_id", flat=True
        )
    )
    return chairs | independents


def _review_key_rows(review) -> list[KeyRow]:
    """The referral's people (child, family, workers, referrer), then the professionals the review adds:
    the panel members who are not named in anything that leaves the board (agency representatives,
    advisers, experts: listed by post and organisation only, domain brief §8.2), the IMR authors and the
    owners of actions in the action plan, and the practitioners the IMRs name. Professionals are anonymised
    too (§8.1)."""
    from imr.models import IMR
    from reviews.models import Action

    rows = _referral_key_rows(review.referral) if review.referral_id else []
    named = _review_named_users(review)
    seen: set[int] = set()

    def add(user, source: str) -> None:
        if user.pk in named or user.pk in seen or not user.full_name.strip():
            return
        seen.add(user.pk)
        rows.append(
            KeyRow(
                source_ref=f"{source}:{user.pk}",
                real_name=user.full_name.strip(),
                role=KeyRole.PRACTITIONER,
                pseudonym_hint="Practitioner",
            )
        )

    for membership in review.panel.select_related("user").order_by("pk"):
        add(membership.user, "panel")
    for imr in (
        IMR.objects.filter(review=review, author__isnull=False).select_related("author").order_by("pk")
    ):
        add(imr.author, "imr-author")
    for action in (
        Action.objects.filter(recommendation__plan__review=review).select_related("owner").order_by("pk")
    ):
        add(action.owner, "action-owner")
    # The practitioners each agency's IMR names (its staff key and interviews), as in that IMR's own key.
    named_in_imrs = []
    for imr in IMR.objects.filter(review=review).prefetch_related("interviews").order_by("pk"):
        named_in_imrs += _imr_practitioners(imr)
    return _add_practitioners(rows, named_in_imrs)


def _review_may(user, review, action: str) -> bool:
    """View: those who see the whole review (business unit, LSCB Chair, auditors, its panel); an IMR
    author sees only the approved terms of reference and the final draft, not these documents."""
    from reviews.permissions import review_access

    access = review_access(user, review)
    if not access.sees_all:
        return False
    if action == "view":
        return True
    board = review.board
    if action in {"request", "edit_key"}:
        return user_has_board_perm(user, board, WORK_CASES)
    return _senior_may(user, board, action)


def _review_get(user, pk):
    from reviews.permissions import get_review_for_user

    review, _ = get_review_for_user(user, pk)
    return review


def _review_reference_date(review):
    """Ages in anonymised text are given at the incident, or else at the Chair's decision."""
    referral = review.referral
    if referral is not None and referral.incident_date:
        return referral.incident_date
    return review.decision_date


def _review_data_as_of(review):
    """The last recorded change to the review (its transition log), else when it was set up."""
    from scr_portal.models import TransitionLog

    last = (
        TransitionLog.objects.filter(
            content_type=ContentType.objects.get_for_model(review), object_id=review.pk
        )
        .order_by("-at")
        .values_list("at", flat=True)
        .first()
    )
    return last or review.created_at


register_owner_type(
    OwnerType(
        key="review",
        model="reviews.Review",
        label="review",
        get_for_user=_review_get,
        may=_review_may,
        board=lambda review: review.board,
        reference=lambda review: review.reference,
        reference_date=_review_reference_date,
        data_as_of=_review_data_as_of,
        key_rows=_review_key_rows,
        detail_url_name="review_detail",
        documents_url_name="review_documents",
        key_url_name="review_case_key",
    )
)


# --- IMRs ---------------------------------------------------------------------------------------------

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
    import hashlib

    return hashlib.sha256(" ".join(name.split()).casefold().encode()).hexdigest()[:16]


def _imr_key_rows(imr) -> list[KeyRow]:
    """The referral's people, then the practitioners the IMR names: its staff key (App 6 f, for the panel
    only) and the practitioners interviewed (App 8). The chronology rows (App 7) name no practitioner in a
    column of their own, so its staff are taken from those two places. Each person once, whatever the
    case or spacing of the name."""
    referral = imr.review.referral
    rows = _referral_key_rows(referral) if referral is not None else []
    return _add_practitioners(rows, _imr_practitioners(imr))


def _imr_practitioners(imr) -> list[tuple[str, str]]:
    """(source ref, name) of the practitioners an IMR names. Staff rows are known by their name (a line
    moved or removed in the key must not hand one person's pseudonym to another); interviews by their
    record."""
    found = [(f"imr-staff:{_name_ref(name)}", name) for name in staff_key_names(imr.staff_key)]
    found += [(f"imr-interview:{person.pk}", person.interviewee_name) for person in imr.interviews.all()]
    return found


def _add_practitioners(rows: list[KeyRow], found: list[tuple[str, str]]) -> list[KeyRow]:
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


def _imr_may(user, imr, action: str) -> bool:
    """View: whoever may open the IMR (its author, the agency, the review's panel, the board's staff).
    The IMR pack is produced for the author and by the business unit; the key is kept by either; approval
    and overriding the check stay with the business manager (and the LSCB Chair for approval)."""
    from imr.permissions import imr_access

    access = imr_access(user, imr)
    if not access.sees:
        return False
    board = imr.review.board
    if action == "view":
        return True
    if action in {"request", "edit_key"}:
        return access.is_author or access.is_business_unit
    return _senior_may(user, board, action)


def _imr_get(user, pk):
    """404 for anyone the IMR app would not show the IMR to (another agency's author, another board)."""
    from imr.permissions import get_imr_for_user

    imr, _ = get_imr_for_user(user, pk)
    return imr


def _imr_reference_date(imr):
    return _review_reference_date(imr.review)


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
