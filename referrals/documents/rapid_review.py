"""England 2023's rapid review as sent to the Child Safeguarding Practice Review Panel (domain brief §10):
the agencies' summaries, the meeting, the immediate safety actions, the learning and the partners' view on
a local child safeguarding practice review, with their decision once recorded. Anonymised, as everything
that leaves the board."""

from __future__ import annotations

from scr_portal.documents.registry import BuildRequest, long_date

from ..frameworks import side
from ..models import AgencyCheckState, Referral
from .contexts import _common, _decision, _not_submitted
from .kinds import _register
from .samples import COMMON_DESCRIPTIONS, DECISION_DESCRIPTIONS, SAMPLE_COMMON, SAMPLE_DECISION

ANSWERED = (AgencyCheckState.INVOLVED, AgencyCheckState.NIL_RETURN)


def rapid_review_context(referral: Referral, request: BuildRequest) -> dict:
    merge = request.merge
    meeting = getattr(referral, "screening", None)
    checks = referral.agency_checks.select_related("agency").order_by("agency__name")
    return {
        **_common(referral, request),
        "aware_on": long_date(referral.aware_on) if referral.aware_on else "",
        "summaries": [
            {
                "agency": check.agency.name,
                "answer": check.get_state_display(),
                "summary": merge.text(check.outline) if check.state in ANSWERED else "",
            }
            for check in checks
        ],
        "meeting": {
            "date": long_date(meeting.meeting_date) if meeting else "",
            "view": meeting.get_recommendation_display() if meeting and meeting.recommendation else "",
            "reasons": merge.text(meeting.reasons) if meeting else "",
            "immediate_actions": merge.text(meeting.immediate_actions) if meeting else "",
            "learning": merge.text(meeting.learning) if meeting else "",
        },
        "decision": _decision(referral, merge),
    }


def _rapid_review_missing(referral: Referral) -> list[str]:
    if not side(referral).rapid_review:
        return ["This case's framework holds no rapid review."]
    meeting = getattr(referral, "screening", None)
    if meeting is None or not meeting.recommendation:
        return _not_submitted(referral) or ["Record the rapid review meeting and the partners' view first."]
    return []


def sample_rapid_review() -> dict:
    return {
        **SAMPLE_COMMON,
        "aware_on": "Friday 20 November 2026",
        "summaries": [
            {"agency": "Agency 1", "answer": "Involved", "summary": "Known to the team since 2024."},
            {"agency": "Agency 2", "answer": "Nil return", "summary": ""},
        ],
        "meeting": {
            "date": "Monday 7 December 2026",
            "view": "Hold a serious case review",
            "reasons": "The criteria for a local review are met.",
            "immediate_actions": "The sibling's plan was reviewed the same day.",
            "learning": "How information is shared at weekends.",
        },
        "decision": SAMPLE_DECISION,
    }


_register(
    code="rapid-review",
    title="Rapid review for the Child Safeguarding Practice Review Panel",
    source="Working Together 2023, chapter 5; domain brief §10",
    description="The safeguarding partners' rapid review as sent to the national Panel: the agencies' "
    "summaries, the meeting, immediate safety actions, learning and the partners' view on a local child "
    "safeguarding practice review.",
    layout="documents/rapid_review.html",
    build=rapid_review_context,
    sample=sample_rapid_review,
    descriptions={
        **COMMON_DESCRIPTIONS,
        **DECISION_DESCRIPTIONS,
        "aware_on": "The date the local authority became aware of the incident",
        "summaries": "The agencies asked and their summaries (a list)",
        "summaries[each].agency": "The agency",
        "summaries[each].answer": "Its answer: involved, a nil return, or not answered",
        "summaries[each].summary": "What the agency knew (anonymised)",
        "meeting.date": "The date of the rapid review meeting",
        "meeting.view": "The partners' view on a local review",
        "meeting.reasons": "Their reasons",
        "meeting.immediate_actions": "Immediate safety actions",
        "meeting.learning": "Learning identified so far",
    },
    wordings={"intro": ("rapid-review-intro", "Rapid review: the opening")},
    external=True,
    missing=_rapid_review_missing,
)
