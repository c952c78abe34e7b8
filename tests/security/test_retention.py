"""Retention on PostgreSQL (domain brief, "Decisions already taken"): a closed review, or a referral that
led to no review, is due 7 years (a board setting) after its closure or decision; the monthly job lists
it; the business manager approves destruction, which leaves only the tombstone; a legal hold blocks it."""

import datetime as dt

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from pghistory.models import Events

from imr.models import IMR, ChronologyEntry
from referrals.models import AgencyCheck, FamilyMember, Referral
from reviews.models import Review
from scr_portal.audit import retention
from scr_portal.audit.tasks import retention_due_task
from scr_portal.models import AccessLog, Board, Deadline, LegalHold, StoredFile, Tombstone, TransitionLog

from ..referrals.factories import decide, recommended
from ..reviews.factories import DECIDED_AT, NOW, Journey, decided_review

CLOSED_ON = NOW.date()  # the Journey closes the review on its TODAY
NO_REVIEW_DECIDED = DECIDED_AT


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def closed_review(board_a, chair_a, manager_a, agency_x, agency_y):
    with time_machine.travel(NOW, tick=False):
        review = decided_review(
            board=board_a, chair=chair_a, manager=manager_a, agencies=[agency_x, agency_y]
        )
        review = Journey(review, manager=manager_a, chair=chair_a, agencies=[agency_x, agency_y]).to("closed")
        imr = IMR.objects.filter(review=review).first()
        ChronologyEntry.objects.create(
            imr=imr, event_no=1, date=dt.date(2021, 1, 1), child_seen=True, event="E"
        )
    return review


@pytest.fixture
def no_review_referral(board_a, chair_a, manager_a, agency_x):
    referral = recommended(board=board_a, author=manager_a, manager=manager_a, agencies=[agency_x])
    decide(
        referral,
        actor=chair_a,
        outcome="nfa",
        reasons="The criteria are not met.",
        members_consulted="All core members",
        now=NO_REVIEW_DECIDED,
    )
    return Referral.objects.get(pk=referral.pk)


def years_after(day: dt.date, years: int) -> dt.date:
    return day.replace(year=day.year + years)


def test_closed_review_is_due_seven_years_after_closure(board_a, closed_review):
    closed = closed_review.closed_at.date()
    assert retention.retention_due(board=board_a, today=years_after(closed, 7) - dt.timedelta(days=1)) == []
    [case] = retention.retention_due(board=board_a, today=years_after(closed, 7))
    assert (case.reference, case.record_type, case.due_on) == (
        closed_review.referral.reference,
        "review",
        years_after(closed, 7),
    )


def test_retention_period_is_a_board_setting(board_a, closed_review):
    Board.objects.filter(pk=board_a.pk).update(retention_years=10)
    board_a.refresh_from_db()
    closed = closed_review.closed_at.date()
    assert retention.retention_due(board=board_a, today=years_after(closed, 9)) == []
    assert len(retention.retention_due(board=board_a, today=years_after(closed, 10))) == 1


def test_referral_that_led_to_no_review_runs_from_the_decision(board_a, no_review_referral):
    assert not Review.objects.filter(referral=no_review_referral).exists()
    [case] = retention.retention_due(board=board_a, today=years_after(NO_REVIEW_DECIDED.date(), 7))
    assert case.record_type == "referral" and case.retention_from == NO_REVIEW_DECIDED.date()


def test_open_review_is_never_due(board_a, chair_a, manager_a, agency_x):
    decided_review(board=board_a, chair=chair_a, manager=manager_a, agencies=[agency_x])
    assert retention.retention_due(board=board_a, today=dt.date(2099, 1, 1)) == []


def test_monthly_job_lists_what_is_due_to_the_business_manager(board_a, manager_a, closed_review):
    with time_machine.travel(dt.datetime(2040, 1, 1, 7, tzinfo=dt.UTC), tick=False):
        counts = retention_due_task()
    assert counts[board_a.short_name] == 1
    [message] = mail.outbox
    assert message.to == [manager_a.email]
    assert "1 case(s)" in message.subject
    assert closed_review.referral.child_name not in message.body


def test_destruction_leaves_only_the_tombstone(board_a, manager_a, closed_review, client_as):
    referral = closed_review.referral
    client_as(manager_a).get(reverse("referral_detail", args=[referral.pk]), REMOTE_ADDR="198.51.100.7")
    assert StoredFile.objects.exists() and Deadline.objects.exists()
    referral_type = ContentType.objects.get_for_model(Referral)
    today = years_after(closed_review.closed_at.date(), 7)
    tombstone = retention.case_destroy(
        referral=referral, actor=manager_a, today=today, now=dt.datetime(2034, 4, 1, 9, tzinfo=dt.UTC)
    )
    assert not Referral.objects.filter(pk=referral.pk).exists()
    assert not Review.objects.exists() and not IMR.objects.exists()
    assert not FamilyMember.objects.exists() and not AgencyCheck.objects.exists()
    assert not ChronologyEntry.objects.exists()
    assert not StoredFile.objects.exists()
    assert not Deadline.objects.filter(content_type=referral_type, object_id=referral.pk).exists()
    assert not TransitionLog.objects.filter(content_type=referral_type, object_id=referral.pk).exists()
    assert not Events.objects.tracks(referral).exists()
    assert not any(Events.objects.references(referral))
    log = AccessLog.objects.get(content_type=referral_type, object_id=referral.pk)
    assert (log.user_name, log.ip_address, log.path, log.object_label) == ("", None, "", referral.reference)
    assert (tombstone.reference, tombstone.record_type, tombstone.approved_by) == (
        referral.reference,
        "review",
        manager_a,
    )
    assert tombstone.closed_on == closed_review.closed_at.date() and tombstone.decided_on
    assert tombstone.rows_destroyed["referrals.Referral"] == 1


def test_destruction_before_the_due_date_is_refused(manager_a, closed_review):
    with pytest.raises(ValidationError, match=retention.NOT_DUE):
        retention.case_destroy(referral=closed_review.referral, actor=manager_a, today=CLOSED_ON, now=NOW)


def test_only_the_business_manager_approves_destruction(chair_a, closed_review):
    with pytest.raises(PermissionDenied):
        retention.case_destroy(
            referral=closed_review.referral, actor=chair_a, today=dt.date(2099, 1, 1), now=NOW
        )


def test_legal_hold_blocks_destruction_until_lifted(board_a, manager_a, closed_review):
    referral = closed_review.referral
    today = dt.date(2099, 1, 1)
    with pytest.raises(ValidationError, match=retention.NO_REASON):
        retention.legal_hold_place(board=board_a, referral=referral, actor=manager_a, reason=" ", now=NOW)
    hold = retention.legal_hold_place(
        board=board_a, referral=referral, actor=manager_a, reason="Civil claim by the family.", now=NOW
    )
    [case] = retention.retention_due(board=board_a, today=today)
    assert case.on_hold
    with pytest.raises(ValidationError, match=retention.ON_HOLD):
        retention.case_destroy(referral=referral, actor=manager_a, today=today, now=NOW)
    assert Referral.objects.filter(pk=referral.pk).exists()
    retention.legal_hold_lift(hold=hold, actor=manager_a, reason="Claim settled.", now=NOW)
    retention.case_destroy(referral=referral, actor=manager_a, today=today, now=NOW)
    assert Tombstone.objects.filter(reference=referral.reference).exists()
    assert LegalHold.objects.get(pk=hold.pk).lift_reason == "Claim settled."


def test_retention_page_approves_destruction(client_as, manager_a, chair_a, closed_review):
    Review.objects.filter(pk=closed_review.pk).update(closed_at=dt.datetime(2010, 1, 4, 12, tzinfo=dt.UTC))
    url = reverse("board_retention", args=[closed_review.board_id])
    assert client_as(chair_a).get(url).status_code == 403
    client = client_as(manager_a)
    assert closed_review.referral.reference in client.get(url).content.decode()
    response = client.post(url, {"action": "destroy", "referral": closed_review.referral_id})
    assert response.status_code == 302
    assert Tombstone.objects.filter(reference=closed_review.referral.reference).exists()
