"""The reminder sweep (domain brief, "Decisions already taken": half-time, 2 working days before, the due
date, then overdue escalation business unit → panel chair → LSCB Chair every 5 working days; each step
sent once)."""

import datetime as dt
import threading
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from scr_portal.clock import recipients
from scr_portal.clock.reminders import OVERDUE_REASON, SweepResult, reminder_sweep, reminder_sweep_all
from scr_portal.clock.services import deadline_cancel, deadline_meet
from scr_portal.models import Deadline, DeadlineRule, ReminderStep, Role, SentReminder, TransitionLog

from ... import factories
from ...factories import BoardFactory, member, persona

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
# The Chair's decision (#8): one calendar month from Monday 30 November 2026, due Wednesday 30 December.
REFERRAL_RECEIVED = dt.datetime(2026, 11, 30, 10, 30, tzinfo=LONDON)
HALF_TIME = dt.datetime(2026, 12, 15, 7, tzinfo=LONDON)
# Two working days before 30 December: 29 December, then 24 December (25, 28 December are bank holidays).
TWO_WORKING_DAYS_BEFORE = dt.datetime(2026, 12, 24, 7, tzinfo=LONDON)
DUE_DAY = dt.datetime(2026, 12, 30, 7, tzinfo=LONDON)
FIRST_OVERDUE = dt.datetime(2026, 12, 31, 7, tzinfo=LONDON)  # the first working day after the due date
SECOND_OVERDUE = dt.datetime(2027, 1, 8, 7, tzinfo=LONDON)  # 5 working days on; New Year's Day skipped
THIRD_OVERDUE = dt.datetime(2027, 1, 15, 7, tzinfo=LONDON)
FOURTH_OVERDUE = dt.datetime(2027, 1, 22, 7, tzinfo=LONDON)

STEP_MOMENTS = [
    (HALF_TIME, "half-time"),
    (TWO_WORKING_DAYS_BEFORE, "before-2"),
    (DUE_DAY, "due-day"),
    (FIRST_OVERDUE, "overdue-1"),
]


support_a = persona(Role.BUSINESS_SUPPORT, "Sam Support")
responsible = persona(Role.SUBCOMMITTEE_MEMBER, "Rachel Responsible")
panel_chair = persona(Role.SUBCOMMITTEE_MEMBER, "Pat Panelchair")


@pytest.fixture(autouse=True)
def no_panel_chair_resolver():
    """These tests start with no resolver and give back the one the reviews app registered."""
    registered = recipients._panel_chair_resolver
    recipients.register_panel_chair_resolver(None)
    yield
    recipients.register_panel_chair_resolver(registered)


def open_deadline(board, *, reference="ALSCB-2026-0003", responsible=(), **fields):
    return factories.open_deadline(
        board, REFERRAL_RECEIVED, reference=reference, responsible_users=responsible, travel=True, **fields
    )


@pytest.fixture
def decision(board_a, manager_a, support_a, chair_a, responsible):
    return open_deadline(board_a, responsible=[responsible])


def sweep_at(moment) -> SweepResult:
    with time_machine.travel(moment, tick=False):
        return reminder_sweep_all(now=timezone.now())


def sent(deadline, key=None) -> set[tuple[str, str, str]]:
    rows = SentReminder.objects.filter(deadline=deadline)
    if key:
        rows = rows.filter(step__key=key)
    return set(rows.values_list("step__key", "recipient__full_name", "status"))


def step(deadline, key) -> ReminderStep:
    return ReminderStep.objects.get(deadline=deadline, key=key)


def test_nothing_is_sent_before_the_first_reminder_is_due(decision):
    assert sweep_at(HALF_TIME - dt.timedelta(minutes=1)) == SweepResult()
    assert not SentReminder.objects.exists()


def test_half_time_reminder_goes_once_to_the_people_responsible_however_often_the_sweep_runs(decision):
    first = sweep_at(HALF_TIME)
    again = sweep_at(HALF_TIME + dt.timedelta(minutes=15))

    assert first == SweepResult(steps_claimed=1, reminders_created=1, deadlines_marked_overdue=0)
    assert again == SweepResult()
    assert sent(decision) == {("half-time", "Rachel Responsible", "pending")}
    half_time = step(decision, "half-time")
    assert (half_time.status, half_time.processed_at) == ("done", HALF_TIME)


def test_each_step_is_claimed_at_its_own_moment_and_only_once(decision):
    for moment, key in STEP_MOMENTS:
        result = sweep_at(moment)
        assert result.steps_claimed == 1, key
        assert sweep_at(moment) == SweepResult(), key
        assert sent(decision, key), key
    assert SentReminder.objects.filter(deadline=decision).count() == 3 + 3  # 3 × responsible, then BU + them


def test_the_unique_constraint_refuses_a_second_row_for_the_same_step_and_person(decision, responsible):
    sweep_at(HALF_TIME)
    duplicate = SentReminder.objects.get(deadline=decision)
    duplicate.pk = None
    with pytest.raises(Exception, match="sent_reminder_once"), transaction.atomic():
        duplicate.save()


def test_reminders_for_the_people_responsible_go_to_the_business_unit_when_nobody_is_named(
    board_a, manager_a, support_a, chair_a
):
    deadline = open_deadline(board_a)
    sweep_at(HALF_TIME)
    assert sent(deadline) == {
        ("half-time", "Alice Manager", "pending"),
        ("half-time", "Sam Support", "pending"),
    }


def test_a_switched_off_account_gets_no_reminder(decision, responsible):
    responsible.is_active = False
    responsible.save(update_fields=["is_active"])
    sweep_at(HALF_TIME)
    assert {name for _, name, _ in sent(decision)} == {"Alice Manager", "Sam Support"}


def test_a_daily_digest_user_gets_rows_waiting_for_the_digest(decision, responsible):
    responsible.reminder_delivery = "daily_digest"
    responsible.save(update_fields=["reminder_delivery"])
    sweep_at(HALF_TIME)
    assert sent(decision) == {("half-time", "Rachel Responsible", "digest")}


def test_first_overdue_escalation_marks_the_deadline_overdue_logs_it_and_tells_the_business_unit(decision):
    result = sweep_at(FIRST_OVERDUE)

    assert result.deadlines_marked_overdue == 1
    decision.refresh_from_db()
    assert decision.status == "overdue"
    log = TransitionLog.objects.get(
        object_id=decision.pk, content_type__model="deadline", transition="mark-overdue"
    )
    assert (log.from_state, log.to_state, log.actor, log.reason, log.at) == (
        "open",
        "overdue",
        None,
        OVERDUE_REASON,
        FIRST_OVERDUE,
    )
    assert sent(decision, "overdue-1") == {
        ("overdue-1", "Alice Manager", "pending"),
        ("overdue-1", "Sam Support", "pending"),
        ("overdue-1", "Rachel Responsible", "pending"),
    }
    following = step(decision, "overdue-2")
    assert (following.send_at, following.audience, following.status) == (
        SECOND_OVERDUE,
        "panel_chair",
        "pending",
    )


def test_second_escalation_goes_to_the_panel_chair_the_reviews_app_registers(decision, panel_chair):
    calls = []

    def resolver(deadlines):
        calls.append(sorted(d.pk for d in deadlines))
        return {d.pk: [panel_chair] for d in deadlines}

    recipients.register_panel_chair_resolver(resolver)
    sweep_at(FIRST_OVERDUE)
    sweep_at(SECOND_OVERDUE)

    assert calls == [[decision.pk]]  # once per batch, with every deadline at once
    assert sent(decision, "overdue-2") == {("overdue-2", "Pat Panelchair", "pending")}
    following = step(decision, "overdue-3")
    assert (following.send_at, following.audience) == (THIRD_OVERDUE, "lscb_chair")


def test_without_a_panel_chair_the_second_escalation_goes_to_the_business_managers(decision):
    sweep_at(FIRST_OVERDUE)
    sweep_at(SECOND_OVERDUE)
    assert sent(decision, "overdue-2") == {("overdue-2", "Alice Manager", "pending")}


def test_third_and_later_escalations_go_to_the_lscb_chair_and_business_managers_every_5_working_days(
    decision,
):
    for moment in (FIRST_OVERDUE, SECOND_OVERDUE, THIRD_OVERDUE, FOURTH_OVERDUE):
        sweep_at(moment)
    expected = {"Carol Chair", "Alice Manager"}
    assert {name for _, name, _ in sent(decision, "overdue-3")} == expected
    assert {name for _, name, _ in sent(decision, "overdue-4")} == expected
    assert TransitionLog.objects.filter(object_id=decision.pk, transition="mark-overdue").count() == 1
    assert step(decision, "overdue-5").send_at == dt.datetime(2027, 1, 29, 7, tzinfo=LONDON)


def test_a_sweep_that_was_stopped_for_weeks_escalates_one_level_a_day_not_all_at_once(decision):
    late = dt.datetime(2027, 1, 20, 9, tzinfo=LONDON)  # a Wednesday, after the third escalation's date
    sweep_at(late)
    assert set(
        ReminderStep.objects.filter(deadline=decision, status="done").values_list("key", flat=True)
    ) == {
        "half-time",
        "before-2",
        "due-day",
        "overdue-1",
    }
    assert step(decision, "overdue-2").send_at == dt.datetime(2027, 1, 21, 7, tzinfo=LONDON)
    sweep_at(dt.datetime(2027, 1, 21, 7, tzinfo=LONDON))
    assert step(decision, "overdue-3").send_at == dt.datetime(2027, 1, 22, 7, tzinfo=LONDON)
    sweep_at(dt.datetime(2027, 1, 22, 7, tzinfo=LONDON))
    # The LSCB Chair has now been told: the next reminder waits a full 5 working days.
    assert step(decision, "overdue-4").send_at == dt.datetime(2027, 1, 29, 7, tzinfo=LONDON)


def test_steps_of_met_and_cancelled_deadlines_are_never_sent(board_a, manager_a, responsible):
    met = open_deadline(board_a, reference="ALSCB-2026-0001", responsible=[responsible])
    cancelled = open_deadline(board_a, reference="ALSCB-2026-0002", responsible=[responsible])
    with time_machine.travel(dt.datetime(2026, 12, 1, 12, tzinfo=LONDON), tick=False):
        deadline_meet(deadline=met, actor=manager_a)
        deadline_cancel(deadline=cancelled, actor=manager_a, reason="Referral withdrawn")
    # Even a step somehow still pending on a closed deadline is skipped, not sent.
    ReminderStep.objects.filter(deadline=met, key="half-time").update(status="pending")

    result = sweep_at(FOURTH_OVERDUE)

    assert result == SweepResult(steps_claimed=1)
    assert not SentReminder.objects.exists()
    assert step(met, "half-time").status == "skipped"
    assert set(ReminderStep.objects.values_list("status", flat=True)) == {"skipped"}


def test_reminders_made_but_not_yet_emailed_are_withdrawn_when_the_deadline_is_met(
    decision, board_a, manager_a, responsible, mailoutbox
):
    from scr_portal.clock.reminders import deliver_pending, send_digests

    digest_user = member(board=board_a, role=Role.BUSINESS_SUPPORT, full_name="Dee Digest")
    digest_user.reminder_delivery = "daily_digest"
    digest_user.save(update_fields=["reminder_delivery"])
    decision.responsible_users.add(digest_user)
    sweep_at(HALF_TIME)
    assert sent(decision) == {
        ("half-time", "Rachel Responsible", "pending"),
        ("half-time", "Dee Digest", "digest"),
    }
    with time_machine.travel(HALF_TIME + dt.timedelta(minutes=5), tick=False):
        deadline_meet(deadline=decision, actor=manager_a)
    later = HALF_TIME + dt.timedelta(days=2)
    with time_machine.travel(later, tick=False):
        assert deliver_pending(now=timezone.now()).sent == 0
        assert send_digests(now=timezone.now()).sent == 0

    assert mailoutbox == []
    assert {status for _, _, status in sent(decision)} == {"withdrawn"}


def test_warn_only_deadlines_never_escalate(board_a, manager_a, responsible):
    DeadlineRule.objects.create(
        code="warn-test",
        number=99,
        name="Further information after the presentation",
        trigger_event="Panel request",
        amount=14,
        unit="calendar_days",
        responsible="Agency",
        warn_only=True,
        subject_kind="imr",
        source="test",
    )
    deadline = open_deadline(board_a, rule_code="warn-test", responsible=[responsible])
    assert not deadline.reminder_steps.filter(key__startswith="overdue").exists()
    # An escalation step that should not exist is skipped rather than sent.
    ReminderStep.objects.create(
        deadline=deadline, key="overdue-1", send_at=FIRST_OVERDUE, audience="business_unit"
    )

    sweep_at(FOURTH_OVERDUE)

    deadline.refresh_from_db()
    assert deadline.status == "open"
    assert step(deadline, "overdue-1").status == "skipped"
    assert not ReminderStep.objects.filter(deadline=deadline, key="overdue-2").exists()
    assert not SentReminder.objects.filter(step__key__startswith="overdue").exists()


def test_escalations_after_an_extension_are_planned_from_the_new_date(decision, manager_a):
    sweep_at(FIRST_OVERDUE)
    with time_machine.travel(dt.datetime(2027, 1, 4, 9, tzinfo=LONDON), tick=False):
        extended = factories.extend_deadline(
            decision, manager_a, dt.date(2027, 1, 29), approved_on=dt.date(2027, 1, 4), now=timezone.now()
        )
    assert not ReminderStep.objects.filter(deadline=decision, key="overdue-2", status="pending").exists()

    sweep_at(dt.datetime(2027, 2, 1, 7, tzinfo=LONDON))  # first working day after 29 January

    extended.refresh_from_db()
    assert extended.status == "overdue"
    assert sent(decision, "overdue-1@20270129")
    following = step(decision, "overdue-2@20270129")
    assert (following.send_at, following.audience) == (
        dt.datetime(2027, 2, 8, 7, tzinfo=LONDON),
        "panel_chair",
    )


def open_many(count: int, *, boards, people, start: int) -> None:
    for number in range(start, start + count):
        board = boards[number % len(boards)]
        open_deadline(board, reference=f"BENCH-{number:04d}", responsible=[people[number % len(people)]])


def test_sweep_queries_do_not_grow_with_the_number_of_due_steps(
    board_a, manager_a, support_a, chair_a, responsible
):
    """5 deadlines (20 due steps, 5 escalations) and then 50 (200 steps) cost the same queries."""
    board_c = BoardFactory(name="Gamma Local Safeguarding Children Board", short_name="GLSCB")
    member(board=board_c, role=Role.BUSINESS_MANAGER, full_name="Gina Manager")
    boards, people = [board_a, board_c], [responsible, chair_a, manager_a]

    open_many(5, boards=boards, people=people, start=0)
    with time_machine.travel(FIRST_OVERDUE, tick=False), CaptureQueriesContext(connection) as few:
        small = reminder_sweep(now=timezone.now())
    open_many(50, boards=boards, people=people, start=100)
    with time_machine.travel(FIRST_OVERDUE, tick=False), CaptureQueriesContext(connection) as many:
        large = reminder_sweep(now=timezone.now())

    assert (small.steps_claimed, large.steps_claimed) == (20, 200)
    assert (small.deadlines_marked_overdue, large.deadlines_marked_overdue) == (5, 50)
    assert len(many) == len(few), [query["sql"][:80] for query in many.captured_queries]
    assert len(few) <= 14


@pytest.mark.django_db(transaction=True)
def test_a_deadline_locked_by_another_transaction_is_left_for_the_next_sweep_not_waited_for(
    board_a, manager_a, responsible
):
    deadline = open_deadline(board_a, responsible=[responsible])
    locked, release = threading.Event(), threading.Event()

    def meet_in_progress():
        try:
            with transaction.atomic():
                Deadline.objects.select_for_update().get(pk=deadline.pk)
                locked.set()
                release.wait(10)
        finally:
            connection.close()

    holder = threading.Thread(target=meet_in_progress)
    holder.start()
    try:
        assert locked.wait(10)
        assert sweep_at(HALF_TIME) == SweepResult()
        assert step(deadline, "half-time").status == "pending"
    finally:
        release.set()
        holder.join(10)
    assert sweep_at(HALF_TIME).steps_claimed == 1
