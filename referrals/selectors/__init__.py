"""Reads for the referral pages, by what they serve: the workflow pages (work.py), the intake lists and
a referral's timeline (lists.py), and the referral page (page.py)."""

from .lists import (
    ADVICE_TAGS,
    CHECK_STATE_TAGS,
    STATE_TAGS,
    TRANSITION_LABELS,
    TimelineEntry,
    referral_deadlines,
    referral_timeline,
    referrals_for_list,
)
from .page import (
    ANSWERABLE_STATES,
    PAGE_RELATED,
    CheckView,
    ReferralPage,
    referral_page,
)
from .work import (
    AWAITING_DECISION,
    Action,
    AwaitingRow,
    CheckRow,
    WorkQueue,
    available_actions,
    check_rows,
    checks_to_answer,
    decisions_awaiting,
    duplicate_candidates,
    outstanding_checks,
    subcommittee_members,
    work_queue,
)

__all__ = [
    "ADVICE_TAGS",
    "ANSWERABLE_STATES",
    "AWAITING_DECISION",
    "Action",
    "AwaitingRow",
    "CHECK_STATE_TAGS",
    "CheckRow",
    "CheckView",
    "PAGE_RELATED",
    "ReferralPage",
    "STATE_TAGS",
    "TRANSITION_LABELS",
    "TimelineEntry",
    "WorkQueue",
    "available_actions",
    "check_rows",
    "checks_to_answer",
    "decisions_awaiting",
    "duplicate_candidates",
    "outstanding_checks",
    "referral_deadlines",
    "referral_page",
    "referral_timeline",
    "referrals_for_list",
    "subcommittee_members",
    "work_queue",
]
