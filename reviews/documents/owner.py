"""The review as the owner of documents: who may see and produce them, and what its anonymisation key is
filled from. IMRs sit above reviews, so this reads them only through the `review.imrs` relation; the
practitioners the IMRs name come in through the "review-key-practitioners" extension."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType

from referrals.documents import referral_key_rows
from reviews.models import (
    INDEPENDENT_ROLES,
    Action,
)
from reviews.permissions import get_review_for_user, review_access
from scr_portal.documents.owners import KeyRow, OwnerType, add_practitioners, register_owner_type, senior_may
from scr_portal.documents.registry import (
    extensions,
)
from scr_portal.models import KeyRole, Membership, Role, TransitionLog
from scr_portal.permissions import WORK_CASES, user_has_board_perm

# --- The review as the owner of documents -------------------------------------------------------------


def _review_named_users(review) -> set[int]:
    """Who the documents of a review name even when anonymised: the LSCB Chair, the panel chair and the
    overview author (domain brief §8.1; Solihull §1.9.1). They stay out of the key."""
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
    rows = referral_key_rows(review.referral) if review.referral_id else []
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
    for imr in review.imrs.filter(author__isnull=False).select_related("author").order_by("pk"):
        add(imr.author, "imr-author")
    for action in (
        Action.objects.filter(recommendation__plan__review=review).select_related("owner").order_by("pk")
    ):
        add(action.owner, "action-owner")
    # The practitioners each agency's IMR names (its staff key and interviews), as in that IMR's own key:
    # the IMR app reads them (imr/documents/), as it alone knows how a staff key is written.
    named_in_imrs = []
    for named in extensions("review-key-practitioners"):
        named_in_imrs += named(review)
    return add_practitioners(rows, named_in_imrs)


def _review_may(user, review, action: str) -> bool:
    """View: those who see the whole review (business unit, LSCB Chair, auditors, its panel); an IMR
    author sees only the approved terms of reference and the final draft, not these documents."""
    access = review_access(user, review)
    if not access.sees_all:
        return False
    if action == "view":
        return True
    board = review.board
    if action in {"request", "edit_key"}:
        return user_has_board_perm(user, board, WORK_CASES)
    return senior_may(user, board, action)


def _review_get(user, pk):
    review, _ = get_review_for_user(user, pk)
    return review


def review_reference_date(review):
    """Ages in anonymised text are given at the incident, or else at the Chair's decision."""
    referral = review.referral
    if referral is not None and referral.incident_date:
        return referral.incident_date
    return review.decision_date


def _review_data_as_of(review):
    """The last recorded change to the review (its transition log), else when it was set up."""
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
        reference_date=review_reference_date,
        data_as_of=_review_data_as_of,
        key_rows=_review_key_rows,
        detail_url_name="review_detail",
        documents_url_name="review_documents",
        key_url_name="review_case_key",
    )
)
