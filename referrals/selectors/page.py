"""The referral page: what one person may see of a referral, with its agency checks and deadlines."""

import datetime as dt
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from scr_portal.clock.selectors import (
    DeadlineRow,
    case_deadline_rows,
)
from scr_portal.permissions import WORK_CASES, user_has_board_perm

from ..models import AgencyCheck, AgencyCheckState, Referral, ReferralState
from ..permissions import sees_all_referrals, user_agency_ids
from .lists import CHECK_STATE_TAGS, referral_deadlines

# While the referral is in one of these, an agency's request can still be answered.
ANSWERABLE_STATES = {
    ReferralState.AGENCY_CHECKS,
    ReferralState.SCREENING_SCHEDULED,
    ReferralState.RECOMMENDED,
}


@dataclass(frozen=True)
class CheckView:
    check: AgencyCheck
    state_tag: str
    due: object
    answer_url: str
    answer_label: str


@dataclass(frozen=True)
class ReferralPage:
    """What one person may see of a referral. Board-wide staff see everything ("full"); an agency contact
    whose agency was asked sees Part 1 and their own agency's request ("agency"); the referrer sees the
    status and the decision only ("status") (domain brief §2.1 build note, §2.3)."""

    referral: Referral
    level: str
    full_view: bool
    raw_checks: list
    checks: list[CheckView]
    decision_due: DeadlineRow | None
    deadlines: list
    screening: object
    notifications: list


# What the referral page shows of the referral's own rows: `get_referral_for_user(..., related=PAGE_RELATED)`
# loads them with the referral, in the query that finds it. Each join costs the ORM about half a
# millisecond to compile, so the rare `duplicate_of` (a closed duplicate's link) is read only when set.
PAGE_RELATED = (
    "referrer_agency",
    "framework",
    "decision__decided_by",
    "screening__scheduled_by",
    "screening__recommended_by",
    "review",
)


def referral_page(user, referral: Referral, *, today: dt.date) -> ReferralPage:
    """The referral page's content for `user`, who may see `referral` (permissions.get_referral_for_user,
    with PAGE_RELATED)."""
    board = referral.board
    full_view = sees_all_referrals(user, board)
    own_agencies = set() if full_view else set(user_agency_ids(user, board))
    checks = [
        check
        for check in referral.agency_checks.select_related("agency", "sent_by", "respondent").order_by(
            "agency__name"
        )
        if full_view or check.agency_id in own_agencies
    ]
    level = "full" if full_view else ("agency" if checks else "status")

    deadline_table, decision_due, reply_due = [], None, {}
    if level != "status":
        deadlines = referral_deadlines(
            referral=referral, check_ids=[c.pk for c in checks], include_referral=full_view
        )
        # Only the full view's table names who is responsible.
        rows = case_deadline_rows(
            deadlines if full_view else deadlines.prefetch_related(None), board=board, today=today
        )
        check_type = ContentType.objects.get_for_model(AgencyCheck)
        for row in rows:
            if row.deadline.content_type_id == check_type.pk:
                reply_due.setdefault(row.deadline.object_id, row)
            elif row.deadline.rule.code == "decision":
                decision_due = row
        deadline_table = rows if full_view else []

    may_record = full_view and user_has_board_perm(user, board, WORK_CASES)
    check_views = []
    for check in checks:
        answerable = check.state == AgencyCheckState.PENDING and referral.state in ANSWERABLE_STATES
        own = check.agency_id in own_agencies
        check_views.append(
            CheckView(
                check=check,
                state_tag=CHECK_STATE_TAGS.get(check.state, ""),
                due=reply_due.get(check.pk),
                answer_url=reverse("check_answer", args=[check.pk])
                if answerable and (own or may_record)
                else "",
                answer_label="Answer" if own else "Record the reply",
            )
        )
    return ReferralPage(
        referral=referral,
        level=level,
        full_view=full_view,
        raw_checks=checks,
        checks=check_views,
        decision_due=decision_due,
        deadlines=deadline_table,
        screening=getattr(referral, "screening", None) if full_view else None,
        notifications=list(referral.notifications.select_related("recorded_by")) if full_view else [],
    )
