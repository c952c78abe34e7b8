"""Withdrawn, transferred and duplicate referrals start their retention period when they close (issue 16,
clause 7), as a closed review does: a retention deadline, and the case is listed for destruction the
board's retention years later."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from referrals import services
from scr_portal.audit import retention
from scr_portal.clock.services import deadlines_of

from ..factories import signed_in
from .workflow_helpers import NOW, WORKFLOW

pytestmark = WORKFLOW

REASON = "The reason."


def close(how, referral, actor, original):
    if how == "withdraw":
        return services.referral_withdraw(referral=referral, actor=actor, reason=REASON)
    if how == "transfer":
        return services.referral_transfer(referral=referral, actor=actor, lead_board="Gamma", reason=REASON)
    return services.referral_mark_duplicate(referral=referral, actor=actor, original=original, reason=REASON)


@pytest.mark.parametrize("how", ["withdraw", "transfer", "duplicate"])
def test_closing_without_a_decision_starts_the_retention_period(
    how, board_a, manager_a, in_checks, submitted_referral
):
    referral = close(how, in_checks, manager_a, submitted_referral)
    referral.refresh_from_db()
    assert referral.closed_at == NOW
    deadline = deadlines_of(referral).get(rule__code="retention")
    assert deadline.status == "open" and deadline.due_date == dt.date(2033, 12, 10)
    closed = timezone.localdate(referral.closed_at)
    assert retention.retention_due(board=board_a, today=dt.date(2033, 12, 9)) == []
    [case] = retention.retention_due(board=board_a, today=dt.date(2033, 12, 10))
    assert (case.reference, case.record_type, case.retention_from) == (referral.reference, "referral", closed)


def test_a_closed_referral_can_be_destroyed_when_due(board_a, manager_a, in_checks):
    close("withdraw", in_checks, manager_a, None)
    tombstone = retention.case_destroy(
        referral=in_checks, actor=manager_a, today=dt.date(2034, 1, 1), now=NOW + dt.timedelta(days=2600)
    )
    assert tombstone.closed_on == NOW.date() and tombstone.decided_on is None


def test_withdrawing_through_the_page_starts_it_too(client, manager_a, in_checks):
    signed_in(client, manager_a).post(reverse("referral_withdraw", args=[in_checks.pk]), {"reason": REASON})
    assert deadlines_of(in_checks).filter(rule__code="retention", status="open").exists()
