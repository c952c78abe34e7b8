"""Screening by the SCR sub-committee: the meeting and its recommendation to the LSCB Chair (Cambridgeshire
§2, §7)."""

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction

from scr_portal.clock.schedule import at_local
from scr_portal.clock.services import (
    deadline_meet_for,
    deadlines_of,
)
from scr_portal.models import Role, User
from scr_portal.models.people import GovernanceModel
from scr_portal.notify import notify_on_commit
from scr_portal.people import board_people
from scr_portal.services import now_or
from scr_portal.transitions import state_change

from ..frameworks import side
from ..models import (
    Recommendation,
    Referral,
    ScreeningMeeting,
)
from .common import ALTERNATIVE_TYPE_REQUIRED, NOT_SUBCOMMITTEE, _locked_for

NOT_BOARD_MEMBERS = "Members present must be members of the board."

# --- Screening and recommendation ---------------------------------------------------------------------


@transaction.atomic
def referral_schedule_screening(*, referral: Referral, actor, meeting_date: dt.date, now=None) -> list[str]:
    """Set (or move) the sub-committee meeting. Returns warnings: the meeting should be within 3 weeks."""
    now = now_or(now)
    locked = _locked_for(referral, actor, "schedule_screening", "schedule_screening")
    with state_change(
        locked, "schedule_screening", actor=actor, reason=f"Meeting on {meeting_date:%d/%m/%Y}"
    ) as change:
        locked.schedule_screening()
        change.save()
        ScreeningMeeting.objects.update_or_create(
            referral=locked, defaults={"meeting_date": meeting_date, "scheduled_by": actor}
        )
    warnings = []
    screening = deadlines_of(locked).filter(rule__code="screening").first()
    if screening and meeting_date > screening.due_date:
        warnings.append(
            f"The meeting is after {screening.due_date:%A %-d %B %Y}, three weeks from the referral "
            "(Cambridgeshire §2)."
        )
    return warnings


@transaction.atomic
def referral_record_recommendation(
    *,
    referral: Referral,
    actor,
    members_present: Iterable[User],
    deputies: str = "",
    written_reports: str = "",
    recommendation: str,
    alternative_type: str = "",
    reasons: str,
    draft_tor_notes: str = "",
    suggested_author: str = "",
    immediate_actions: str = "",
    learning: str = "",
    now=None,
) -> Referral:
    """The meeting's recommendation; for England 2023 the rapid review sent to the Panel, with the
    immediate safety actions and learning (domain brief §10)."""
    now = now_or(now)
    locked = _locked_for(referral, actor, "recommend", "recommend")
    if recommendation == Recommendation.ALTERNATIVE and not alternative_type:
        raise ValidationError({"alternative_type": ALTERNATIVE_TYPE_REQUIRED})
    if not reasons.strip():
        raise ValidationError({"reasons": "Give the reasons for the recommendation"})
    members_present = list(members_present)
    # Two tiers (Cambridgeshire §2, §7): the SCR sub-committee screens. One tier (Solihull §1.3.1): the
    # review panel advises, so its members need only belong to the board (domain brief §9, GOVERNANCE_MODEL).
    two_tier = locked.board.governance_model == GovernanceModel.TWO_TIER
    eligible = {
        user.pk
        for user in board_people(locked.board, [Role.SUBCOMMITTEE_MEMBER] if two_tier else Role.values)
    }
    if any(user.pk not in eligible for user in members_present):
        raise ValidationError({"members_present": NOT_SUBCOMMITTEE if two_tier else NOT_BOARD_MEMBERS})
    meeting = locked.screening
    meeting.recommendation, meeting.alternative_type = recommendation, alternative_type
    meeting.reasons, meeting.deputies, meeting.written_reports = reasons, deputies, written_reports
    meeting.draft_tor_notes, meeting.suggested_author = draft_tor_notes, suggested_author
    meeting.immediate_actions, meeting.learning = immediate_actions, learning
    meeting.recommended_at, meeting.recommended_by = now, actor
    meeting.save()
    meeting.members_present.set(members_present)
    with state_change(locked, "recommend", actor=actor, reason=meeting.get_recommendation_display()):
        locked.recommend()
    framework_side = side(locked)
    # SCR: the screening meeting held; England 2023: the rapid review sent to the Panel, now.
    met_at = now if framework_side.rapid_review else min(now, at_local(meeting.meeting_date, 17))
    deadline_meet_for(subject=locked, rule_code=framework_side.recommendation_meets, actor=actor, at=met_at)
    notify_on_commit(
        framework_side.decision_recorders(locked.board),
        subject=f"[{locked.reference}] Decision awaiting",
        body=framework_side.recommendation_notice.format(reference=locked.reference),
        path=f"/referrals/{locked.pk}/",
    )
    return locked
