"""Reminder emails: what they say (a case reference, what is due, the date and a link, never a name), the
daily digest, retries with back-off, "send again", the Celery tasks and the beat schedule."""

import datetime as dt
import smtplib
import time
from zoneinfo import ZoneInfo

import kombu.exceptions
import pytest
import time_machine
from celery import Celery
from celery.schedules import crontab
from django.core.exceptions import ValidationError
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.utils import timezone

from scr_portal.clock import reminders, tasks
from scr_portal.clock.reminders import (
    INACTIVE_RECIPIENT,
    MAX_ATTEMPTS,
    DeliveryResult,
    deliver_pending,
    reminder_sweep_all,
    send_digests,
)
from scr_portal.clock.resend import RESEND_NOT_FAILED, sent_reminder_resend
from scr_portal.models import Role, SentReminder, TransitionLog
from scr_portal.schedule import BEAT_SCHEDULE

from ...factories import AgencyFactory, persona
from .test_reminders import FIRST_OVERDUE, HALF_TIME, open_deadline

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
REFERENCE = "ALSCB-2026-0003"
WHAT = "LSCB Chair's decision on holding a review"


class CountingBackend(LocmemBackend):
    """The test outbox, counting how often a connection is opened."""

    opened = 0

    def open(self):
        type(self).opened += 1
        return True


class UnreachableBackend(LocmemBackend):
    """A mail server that refuses every connection."""

    opened = 0

    def open(self):
        type(self).opened += 1
        raise ConnectionRefusedError(111, "Connection refused")


class RefusesRecipientBackend(LocmemBackend):
    """A mail server that refuses the recipient, quoting the address in its reply."""

    def send_messages(self, messages):
        address = messages[0].to[0]
        raise smtplib.SMTPRecipientsRefused({address: (550, f"5.1.1 <{address}> unknown".encode())})


class ClosesAfterTwoBackend(LocmemBackend):
    """A relay that closes each connection after two messages, as some hosted relays do."""

    opened = 0

    def open(self):
        type(self).opened += 1
        self.on_this_connection = 0
        return True

    def send_messages(self, messages):
        if self.on_this_connection >= 2:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        self.on_this_connection += 1
        return super().send_messages(messages)


responsible = persona(Role.SUBCOMMITTEE_MEMBER, "Rachel Responsible")


@pytest.fixture
def agency_subject(board_a):
    """A subject with names on it, standing for a referral with a child's and family's names."""
    return AgencyFactory(board=board_a, name="Zeta Police", chief_officer_name="Dorothy Chiefofficer")


@pytest.fixture
def decision(board_a, manager_a, chair_a, responsible, agency_subject):
    return open_deadline(board_a, reference=REFERENCE, responsible=[responsible], subject=agency_subject)


def sweep_and_deliver(moment) -> DeliveryResult:
    with time_machine.travel(moment, tick=False):
        reminder_sweep_all(now=timezone.now())
        return deliver_pending(now=timezone.now())


def deliver_through(backend, settings, board, responsible, deadlines: int) -> DeliveryResult:
    """Open that many deadlines and deliver their half-time reminders through a counting backend."""
    settings.EMAIL_BACKEND = f"tests.scr_portal.clock.test_delivery.{backend.__name__}"
    backend.opened = 0
    for number in range(deadlines):
        open_deadline(board, reference=f"ALSCB-2026-000{number}", responsible=[responsible])
    return sweep_and_deliver(HALF_TIME)


def deliver_at(moment) -> DeliveryResult:
    with time_machine.travel(moment, tick=False):
        return deliver_pending(now=timezone.now())


def test_a_reminder_gives_the_case_reference_what_is_due_the_due_date_and_a_link_once(
    decision, responsible, mailoutbox
):
    assert sweep_and_deliver(HALF_TIME) == DeliveryResult(sent=1)
    assert deliver_at(HALF_TIME + dt.timedelta(minutes=15)) == DeliveryResult()

    [email] = mailoutbox
    row = SentReminder.objects.get(deadline=decision)
    assert email.to == [responsible.email]
    assert email.subject == f"[{REFERENCE}] Due Wednesday 30 December 2026: {WHAT}"
    assert f"Case reference: {REFERENCE}" in email.body
    assert f"What is due: {WHAT}" in email.body
    assert "Due date: Wednesday 30 December 2026 (9 working days)" in email.body
    assert "Reminder: Half the time allowed has gone (sent to the people responsible)" in email.body
    assert f"http://127.0.0.1:8000/deadlines/{decision.pk}/" in email.body
    assert email.extra_headers["Message-ID"] == f"<reminder-{row.pk}@scr-portal.invalid>"
    assert email.message()["Message-ID"] == f"<reminder-{row.pk}@scr-portal.invalid>"
    assert "&#x27;" not in email.body + email.subject  # plain text, not HTML-escaped
    assert (row.status, row.sent_at, row.attempts) == ("sent", HALF_TIME, 1)


def test_an_overdue_escalation_says_overdue_in_subject_and_body(decision, mailoutbox):
    sweep_and_deliver(FIRST_OVERDUE)
    escalation = [email for email in mailoutbox if "Overdue escalation 1" in email.body]
    assert len(escalation) == 2  # the business unit (Alice) and the person responsible
    assert {email.subject for email in escalation} == {
        f"[{REFERENCE}] Overdue since Wednesday 30 December 2026: {WHAT}"
    }
    assert "Due date: Wednesday 30 December 2026 (1 working day overdue)" in escalation[0].body


def test_no_email_names_anyone(
    decision, board_a, manager_a, chair_a, responsible, agency_subject, mailoutbox
):
    """Domain brief §8: reminders carry the case reference, never a child's, family member's or worker's
    name; not even the recipient's own."""
    responsible.reminder_delivery = "daily_digest"
    responsible.save(update_fields=["reminder_delivery"])
    sweep_and_deliver(FIRST_OVERDUE)
    with time_machine.travel(FIRST_OVERDUE, tick=False):
        send_digests(now=timezone.now())

    assert len(mailoutbox) == 2  # the business manager's escalation, and Rachel's digest of four
    names = [user.full_name for user in (manager_a, chair_a, responsible)]
    names += [name.split()[0] for name in names]
    names += [agency_subject.name, agency_subject.chief_officer_name, "Dorothy", "Chiefofficer", "Zeta"]
    for email in mailoutbox:
        text = email.subject + email.body
        for name in names:
            assert name not in text, (name, email.subject)


def test_digest_users_get_one_email_listing_all_their_reminders(board_a, manager_a, responsible, mailoutbox):
    responsible.reminder_delivery = "daily_digest"
    responsible.save(update_fields=["reminder_delivery"])
    first = open_deadline(board_a, reference="ALSCB-2026-0001", responsible=[responsible])
    second = open_deadline(board_a, reference="ALSCB-2026-0002", responsible=[responsible])

    assert sweep_and_deliver(HALF_TIME) == DeliveryResult()  # nothing single: it waits for the digest
    with time_machine.travel(HALF_TIME, tick=False):
        assert send_digests(now=timezone.now()) == DeliveryResult(sent=2)
        assert send_digests(now=timezone.now()) == DeliveryResult()

    [digest] = mailoutbox
    assert digest.to == [responsible.email]
    assert digest.subject == "SCR portal: 2 reminders for Tuesday 15 December 2026"
    for deadline in (first, second):
        assert f"Case reference: {deadline.case_reference}" in digest.body
        assert f"/deadlines/{deadline.pk}/" in digest.body
    assert digest.extra_headers["Message-ID"].startswith(f"<digest-{responsible.pk}-")
    assert set(SentReminder.objects.values_list("status", flat=True)) == {"sent"}


def test_one_connection_serves_a_whole_delivery_run(board_a, manager_a, responsible, settings):
    assert deliver_through(CountingBackend, settings, board_a, responsible, 3) == DeliveryResult(sent=3)
    assert CountingBackend.opened == 1


def test_a_relay_that_closes_a_kept_connection_is_reconnected_without_losing_an_attempt(
    board_a, manager_a, responsible, settings
):
    assert deliver_through(ClosesAfterTwoBackend, settings, board_a, responsible, 5) == DeliveryResult(sent=5)
    assert ClosesAfterTwoBackend.opened == 3
    assert set(SentReminder.objects.values_list("status", "attempts")) == {("sent", 1)}


def test_an_email_that_cannot_be_built_backs_off_without_holding_up_the_others(
    board_a, manager_a, responsible, monkeypatch, mailoutbox
):
    first = open_deadline(board_a, reference="ALSCB-2026-0001", responsible=[responsible])
    open_deadline(board_a, reference="ALSCB-2026-0002", responsible=[responsible])
    build = reminders.emails.reminder_message

    def broken_for_the_first(row, **kwargs):
        if row.deadline_id == first.pk:
            raise KeyError("item")
        return build(row, **kwargs)

    monkeypatch.setattr(reminders.emails, "reminder_message", broken_for_the_first)
    assert sweep_and_deliver(HALF_TIME) == DeliveryResult(sent=1, retrying=1)
    assert len(mailoutbox) == 1
    row = SentReminder.objects.get(deadline=first)
    assert (row.status, row.attempts, row.last_error) == ("pending", 1, "KeyError")


def test_smtp_outage_backs_off_then_fails_after_five_attempts_and_resend_brings_it_back(
    decision, manager_a, settings, django_capture_on_commit_callbacks, monkeypatch, mailoutbox
):
    settings.EMAIL_BACKEND = "tests.scr_portal.clock.test_delivery.UnreachableBackend"
    queued = []
    monkeypatch.setattr(tasks.deliver_reminders, "apply_async", lambda **kwargs: queued.append(kwargs))

    assert sweep_and_deliver(HALF_TIME) == DeliveryResult(retrying=1)
    row = SentReminder.objects.get(deadline=decision)
    assert (row.status, row.attempts, row.last_error) == ("pending", 1, "ConnectionRefusedError 111")
    assert row.next_attempt_at == HALF_TIME + dt.timedelta(minutes=5)
    assert deliver_at(HALF_TIME + dt.timedelta(minutes=4)) == DeliveryResult()  # not yet due again

    moment = HALF_TIME
    for wait, attempts in [(5, 2), (15, 3), (60, 4)]:
        moment += dt.timedelta(minutes=wait)
        assert deliver_at(moment) == DeliveryResult(retrying=1)
        row.refresh_from_db()
        assert (row.status, row.attempts) == ("pending", attempts)
    moment += dt.timedelta(hours=4)
    assert deliver_at(moment) == DeliveryResult(failed=1)
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("failed", MAX_ATTEMPTS)
    assert deliver_at(moment + dt.timedelta(days=1)) == DeliveryResult()
    assert not mailoutbox

    resend_at = moment + dt.timedelta(hours=1)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        with time_machine.travel(resend_at, tick=False):
            sent_reminder_resend(sent_reminder=row, actor=manager_a)
    assert not queued  # queued only once the transaction commits
    row.refresh_from_db()
    assert (row.status, row.attempts, row.next_attempt_at, row.last_error) == ("pending", 0, resend_at, "")
    log = TransitionLog.objects.get(transition="resend-reminder")
    assert (log.object_id, log.from_state, log.to_state, log.actor) == (
        decision.pk,
        "failed",
        "pending",
        manager_a,
    )
    for callback in callbacks:
        callback()
    assert queued == [{"args": (), "kwargs": {}, "retry": False}]

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert deliver_at(resend_at) == DeliveryResult(sent=1)
    assert len(mailoutbox) == 1


def test_an_unreachable_server_is_tried_once_per_run_and_every_row_counts_an_attempt(
    board_a, manager_a, responsible, settings
):
    assert deliver_through(UnreachableBackend, settings, board_a, responsible, 3) == DeliveryResult(
        retrying=3
    )
    assert UnreachableBackend.opened == 1
    assert set(SentReminder.objects.values_list("status", "attempts")) == {("pending", 1)}


def test_a_refused_recipient_is_recorded_without_the_address(decision, responsible, settings):
    settings.EMAIL_BACKEND = "tests.scr_portal.clock.test_delivery.RefusesRecipientBackend"
    sweep_and_deliver(HALF_TIME)
    row = SentReminder.objects.get(deadline=decision)
    assert row.last_error == "SMTPRecipientsRefused 550"
    assert responsible.email not in row.last_error


def test_a_failed_digest_backs_off_and_is_retried_by_the_sweep(decision, responsible, settings, mailoutbox):
    responsible.reminder_delivery = "daily_digest"
    responsible.save(update_fields=["reminder_delivery"])
    settings.EMAIL_BACKEND = "tests.scr_portal.clock.test_delivery.UnreachableBackend"
    sweep_and_deliver(HALF_TIME)
    with time_machine.travel(HALF_TIME, tick=False):
        assert send_digests(now=timezone.now()) == DeliveryResult(retrying=1)
    row = SentReminder.objects.get(deadline=decision)
    assert (row.status, row.attempts, row.next_attempt_at) == (
        "digest",
        1,
        HALF_TIME + dt.timedelta(minutes=5),
    )

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    tasks.reminder_sweep_task(now_iso=(HALF_TIME + dt.timedelta(minutes=15)).isoformat())
    assert len(mailoutbox) == 1
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("sent", 2)


def test_a_reminder_to_a_switched_off_account_is_not_sent_but_shown_as_undelivered(
    decision, responsible, mailoutbox
):
    with time_machine.travel(HALF_TIME, tick=False):
        reminder_sweep_all(now=timezone.now())
    responsible.is_active = False
    responsible.save(update_fields=["is_active"])
    assert deliver_at(HALF_TIME) == DeliveryResult(failed=1)
    row = SentReminder.objects.get(deadline=decision)
    assert (row.status, row.last_error) == ("failed", INACTIVE_RECIPIENT)
    assert not mailoutbox


def test_only_an_undelivered_reminder_can_be_sent_again(decision, manager_a):
    with time_machine.travel(HALF_TIME, tick=False):
        reminder_sweep_all(now=timezone.now())
    row = SentReminder.objects.get(deadline=decision)
    with pytest.raises(ValidationError) as error:
        sent_reminder_resend(sent_reminder=row, actor=manager_a)
    assert error.value.messages == [RESEND_NOT_FAILED]


def test_the_sweep_task_sweeps_then_sends(decision, mailoutbox):
    summary = tasks.reminder_sweep_task(now_iso=FIRST_OVERDUE.isoformat())
    assert summary == {
        "steps_claimed": 4,
        "reminders_created": 5,  # 3 to the person responsible, then the business unit and them
        "deadlines_marked_overdue": 1,
        "sent": 5,
        "retrying": 0,
        "failed": 0,
    }
    assert len(mailoutbox) == 5


def test_the_digest_task_sweeps_first_so_todays_7am_reminders_are_in_todays_digest(
    decision, responsible, mailoutbox
):
    responsible.reminder_delivery = "daily_digest"
    responsible.save(update_fields=["reminder_delivery"])
    assert tasks.send_digests_task(now_iso=HALF_TIME.isoformat()) == {"sent": 1, "retrying": 0, "failed": 0}
    assert len(mailoutbox) == 1


def test_a_task_refuses_a_moment_without_a_time_zone():
    with pytest.raises(ValueError):
        tasks.reminder_sweep_task(now_iso="2026-12-15T07:00:00")


def test_queueing_waits_for_the_commit(django_capture_on_commit_callbacks, monkeypatch):
    queued = []
    monkeypatch.setattr(tasks.deliver_reminders, "apply_async", lambda **kwargs: queued.append(kwargs))
    with django_capture_on_commit_callbacks(execute=True):
        tasks.enqueue_on_commit(tasks.deliver_reminders, now_iso="2026-12-15T07:00:00+00:00")
        assert not queued
    assert queued == [{"args": (), "kwargs": {"now_iso": "2026-12-15T07:00:00+00:00"}, "retry": False}]


def test_a_broker_that_is_down_neither_fails_nor_holds_up_the_request(
    django_capture_on_commit_callbacks, caplog, settings
):
    """Publishing with the portal's broker settings against a closed port: fails fast, logs, and the
    caller carries on (the next sweep does the work)."""
    app = Celery("broker-down-check")
    app.config_from_object("django.conf:settings", namespace="CELERY")
    app.conf.broker_url = "redis://127.0.0.1:1/0"

    @app.task(name="broker-down-check.noop")
    def noop():
        return None

    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        tasks.enqueue_on_commit(noop)
    assert time.monotonic() - started < 1
    assert "next sweep will catch up" in caplog.text
    app.close()


def test_enqueue_swallows_broker_errors(django_capture_on_commit_callbacks, monkeypatch, caplog):
    def broker_down(**kwargs):
        raise kombu.exceptions.OperationalError("Error 111 connecting to redis")

    monkeypatch.setattr(tasks.deliver_reminders, "apply_async", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        tasks.enqueue_on_commit(tasks.deliver_reminders)
    assert "Could not queue scr_portal.clock.tasks.deliver_reminders (OperationalError)" in caplog.text


def test_beat_runs_the_sweep_every_15_minutes_and_the_digest_at_7(settings):
    from scr_portal.celery import app

    app.loader.import_default_modules()
    assert {"reminder-sweep", "reminder-digests"} <= set(BEAT_SCHEDULE)
    assert BEAT_SCHEDULE["reminder-sweep"]["schedule"] == crontab(minute="*/15")
    assert BEAT_SCHEDULE["reminder-digests"]["schedule"] == crontab(hour=7, minute=0)
    for entry in BEAT_SCHEDULE.values():
        assert entry["task"] in app.tasks
    assert settings.CELERY_TIMEZONE == "Europe/London"
    assert settings.CELERY_TASK_ACKS_LATE and settings.CELERY_TASK_REJECT_ON_WORKER_LOST
    assert settings.CELERY_WORKER_PREFETCH_MULTIPLIER == 1
    assert settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] == 3600
