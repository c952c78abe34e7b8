"""Pieces every review document uses: the board, the panel, the child, the meetings."""

from __future__ import annotations

from reviews.models import (
    Meeting,
    PanelRole,
    Review,
)
from scr_portal.documents.registry import (
    BuildRequest,
    board_fields,
    long_date,
    short_date,
)
from scr_portal.models import Membership, Role

# App 4: authors confirm they will come within this many working days of the letter, and at the latest
# the working day before the briefing. App 10: replies come back this many working days before the
# debriefing, so the business unit can send the papers.
BRIEFING_REPLY_WORKING_DAYS = 5
DEBRIEF_REPLY_WORKING_DAYS_BEFORE = 5


# --- Shared pieces ------------------------------------------------------------------------------------


def _board(review: Review) -> dict:
    return board_fields(review.board)


def _board_people(board, role) -> list[str]:
    return list(
        Membership.objects.filter(board=board, role=role, user__is_active=True)
        .order_by("granted_at", "pk")
        .values_list("user__full_name", flat=True)
    )


def _panel_person(review: Review, role: str) -> dict:
    membership = review.panel.filter(role=role, removed_at__isnull=True).select_related("user").first()
    if membership is None:
        return {"name": "", "post": "", "organisation": ""}
    return {
        "name": membership.user.full_name,
        "post": membership.post,
        "organisation": membership.organisation,
    }


def _child(review: Review, request: BuildRequest) -> dict:
    referral = review.referral
    merge = request.merge
    if referral is None:
        return {"name": "", "date_of_birth": "", "date_of_death": "", "age": ""}
    return {
        "name": merge.name(referral.child_name),
        "date_of_birth": merge.dob(referral.child_date_of_birth),
        "date_of_death": short_date(referral.child_date_of_death),
        "age": merge.age(referral.child_date_of_birth),
    }


def _common(review: Review, request: BuildRequest) -> dict:
    """The LSCB Chair, the panel chair and the overview author are named in everything (domain brief
    §8.1); the business manager only in what stays inside the board."""
    chairs = _board_people(review.board, Role.LSCB_CHAIR)
    managers = _board_people(review.board, Role.BUSINESS_MANAGER)
    referral = review.referral
    return {
        "board": _board(review),
        "case": {
            "reference": review.reference,
            "referral_reference": referral.reference if referral else "",
            "review_type": review.get_review_type_display(),
            "decided_on": long_date(review.decision_date),
        },
        "child": _child(review, request),
        "today": long_date(request.today),
        "chair": {"name": chairs[0] if chairs else "", "title": f"Chair, {review.board.name}"},
        "business_manager": {
            "name": managers[0] if managers and not request.merge.anonymised else "",
            "title": f"Business Manager, {review.board.name}",
        },
        "panel_chair": {
            **_panel_person(review, PanelRole.INDEPENDENT_CHAIR),
            "title": "Chair, Serious Case Review Panel",
        },
        "overview_author": _panel_person(review, PanelRole.OVERVIEW_AUTHOR),
    }


def _meeting(review: Review, kind: str) -> Meeting | None:
    """The meeting of `kind` to write about: the next one not yet held, else the latest."""
    meetings = Meeting.objects.filter(review=review, kind=kind)
    return (
        meetings.filter(held_on__isnull=True).order_by("meeting_date", "pk").first()
        or meetings.order_by("-meeting_date", "-pk").first()
    )


def _meeting_fields(meeting: Meeting | None) -> dict:
    if meeting is None:
        return {"present": False, "date": "", "venue": ""}
    return {"present": True, "date": long_date(meeting.meeting_date), "venue": meeting.venue}


def _no_referral(review: Review) -> list[str]:
    return [] if review.referral_id else ["This review has no referral, so there is no child to name."]
