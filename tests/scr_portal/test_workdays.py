"""Tests for scr_portal.workdays, the portal's single working-day calendar.

Expected dates were worked out by hand from the official gov.uk bank holiday lists and their
substitute-day pattern (e.g. 2026 repeats 2020's Christmas pattern, 2027 repeats 2021's and
2028's New Year repeats 2022's), then checked against the ``holidays`` package.
Deliberately imports nothing from Django.
"""

from datetime import date, datetime, timedelta

import pytest

from scr_portal.workdays import (
    NATIONS,
    add_calendar_months,
    add_duration,
    add_working_days,
    bank_holidays,
    is_working_day,
    working_days_between,
)

EW = "england-and-wales"
SCT = "scotland"
NI = "northern-ireland"


# --- The bank holiday lists themselves, against gov.uk -------------------------------------------


@pytest.mark.parametrize(
    ("nation", "year", "expected"),
    [
        pytest.param(
            EW,
            2026,
            {
                date(2026, 1, 1),  # New Year's Day
                date(2026, 4, 3),  # Good Friday
                date(2026, 4, 6),  # Easter Monday
                date(2026, 5, 4),  # Early May
                date(2026, 5, 25),  # Spring
                date(2026, 8, 31),  # Summer
                date(2026, 12, 25),  # Christmas Day (Friday)
                date(2026, 12, 28),  # Boxing Day (substitute day for Saturday 26th)
            },
            id="england-and-wales-2026",
        ),
        pytest.param(
            EW,
            2027,
            {
                date(2027, 1, 1),
                date(2027, 3, 26),
                date(2027, 3, 29),
                date(2027, 5, 3),
                date(2027, 5, 31),
                date(2027, 8, 30),
                date(2027, 12, 27),  # Christmas Day (substitute day for Saturday 25th)
                date(2027, 12, 28),  # Boxing Day (substitute day for Sunday 26th)
            },
            id="england-and-wales-2027",
        ),
        pytest.param(
            SCT,
            2026,
            {
                date(2026, 1, 1),
                date(2026, 1, 2),  # 2nd January
                date(2026, 4, 3),  # Good Friday (no Easter Monday in Scotland)
                date(2026, 5, 4),
                date(2026, 5, 25),
                # One-off, appointed by Royal Proclamation of 3 Feb 2026 (World Cup). Only in
                # holidays >= the release containing vacanza/holidays PR #3272.
                date(2026, 6, 15),
                date(2026, 8, 3),  # Summer: first Monday of August in Scotland
                date(2026, 11, 30),  # St Andrew's Day (Monday)
                date(2026, 12, 25),
                date(2026, 12, 28),
            },
            id="scotland-2026",
        ),
        pytest.param(
            NI,
            2026,
            {
                date(2026, 1, 1),
                date(2026, 3, 17),  # St Patrick's Day
                date(2026, 4, 3),
                date(2026, 4, 6),
                date(2026, 5, 4),
                date(2026, 5, 25),
                date(2026, 7, 13),  # Battle of the Boyne (substitute day for Sunday 12th)
                date(2026, 8, 31),
                date(2026, 12, 25),
                date(2026, 12, 28),
            },
            id="northern-ireland-2026",
        ),
    ],
)
def test_bank_holidays_match_gov_uk_list_with_substitutes_and_without_weekend_dates(nation, year, expected):
    assert bank_holidays(nation, [year]) == expected


def test_bank_holidays_unions_several_years():
    both = bank_holidays(EW, [2026, 2027])
    assert both == bank_holidays(EW, [2026]) | bank_holidays(EW, [2027])
    assert len(both) == 16


# --- add_working_days -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "days", "nation", "expected"),
    [
        # Day-0 rule: the trigger day is never counted, and 0 days leaves it alone.
        pytest.param(date(2026, 3, 4), 0, EW, date(2026, 3, 4), id="zero-days-on-a-weekday"),
        pytest.param(date(2026, 12, 26), 0, EW, date(2026, 12, 26), id="zero-days-on-a-saturday-stays-put"),
        pytest.param(date(2026, 12, 25), 0, EW, date(2026, 12, 25), id="zero-days-on-christmas-stays-put"),
        pytest.param(date(2026, 3, 2), 1, EW, date(2026, 3, 3), id="monday-plus-1-is-tuesday"),
        pytest.param(date(2026, 3, 2), 5, EW, date(2026, 3, 9), id="monday-plus-5-is-next-monday"),
        pytest.param(date(2026, 3, 6), 1, EW, date(2026, 3, 9), id="friday-plus-1-skips-weekend"),
        pytest.param(date(2026, 3, 7), 1, EW, date(2026, 3, 9), id="saturday-trigger-plus-1-is-monday"),
        pytest.param(date(2026, 3, 7), 5, EW, date(2026, 3, 13), id="saturday-trigger-plus-5-is-friday"),
        # Christmas 2026: Fri 25 Dec, Boxing Day Sat 26 -> substitute Mon 28 Dec.
        pytest.param(date(2026, 12, 24), 1, EW, date(2026, 12, 29), id="christmas-2026-ew"),
        pytest.param(date(2026, 12, 24), 1, SCT, date(2026, 12, 29), id="christmas-2026-scotland"),
        pytest.param(date(2026, 12, 24), 1, NI, date(2026, 12, 29), id="christmas-2026-ni"),
        # ... then on through New Year 2027 (Fri 1 Jan; Scotland's 2 Jan is a Saturday -> Mon 4 Jan).
        pytest.param(date(2026, 12, 24), 4, EW, date(2027, 1, 4), id="new-year-2027-ew"),
        pytest.param(
            date(2026, 12, 24), 4, SCT, date(2027, 1, 5), id="new-year-2027-scotland-2-jan-substitute"
        ),
        # Christmas 2027: Sat 25 and Sun 26 Dec -> substitutes Mon 27 and Tue 28 Dec.
        pytest.param(date(2027, 12, 24), 1, EW, date(2027, 12, 29), id="christmas-2027-two-substitutes-ew"),
        pytest.param(date(2027, 12, 24), 1, NI, date(2027, 12, 29), id="christmas-2027-two-substitutes-ni"),
        # New Year 2028: Sat 1 Jan -> Mon 3 Jan; Scotland's Sun 2 Jan -> Tue 4 Jan.
        pytest.param(date(2027, 12, 24), 4, EW, date(2028, 1, 4), id="new-year-2028-substitute-ew"),
        pytest.param(
            date(2027, 12, 24), 4, SCT, date(2028, 1, 5), id="new-year-2028-two-substitutes-scotland"
        ),
        # Easter 2026: Good Friday 3 Apr everywhere, Easter Monday 6 Apr not in Scotland.
        pytest.param(date(2026, 4, 2), 1, EW, date(2026, 4, 7), id="easter-2026-ew-skips-friday-and-monday"),
        pytest.param(date(2026, 4, 2), 1, NI, date(2026, 4, 7), id="easter-2026-ni-skips-friday-and-monday"),
        pytest.param(
            date(2026, 4, 2), 1, SCT, date(2026, 4, 6), id="easter-2026-scotland-works-easter-monday"
        ),
        pytest.param(date(2027, 3, 25), 1, EW, date(2027, 3, 30), id="easter-2027-ew"),
        pytest.param(date(2027, 3, 25), 1, SCT, date(2027, 3, 29), id="easter-2027-scotland"),
        # Scotland's 2 January (Friday in 2026).
        pytest.param(date(2025, 12, 31), 1, SCT, date(2026, 1, 5), id="scotland-1-and-2-jan-2026"),
        pytest.param(date(2025, 12, 31), 1, EW, date(2026, 1, 2), id="ew-works-2-jan-2026"),
        # St Andrew's Day: Sun 30 Nov 2025 -> substitute Mon 1 Dec; Mon 30 Nov 2026 itself.
        pytest.param(date(2025, 11, 28), 1, SCT, date(2025, 12, 2), id="st-andrews-2025-substitute-scotland"),
        pytest.param(date(2025, 11, 28), 1, EW, date(2025, 12, 1), id="st-andrews-2025-not-in-ew"),
        pytest.param(date(2026, 11, 27), 1, SCT, date(2026, 12, 1), id="st-andrews-2026-monday-scotland"),
        # Summer bank holiday: first Monday of August in Scotland, last Monday elsewhere.
        pytest.param(date(2026, 7, 31), 1, SCT, date(2026, 8, 4), id="scotland-summer-3-aug-2026"),
        pytest.param(date(2026, 8, 28), 1, EW, date(2026, 9, 1), id="ew-summer-31-aug-2026"),
        pytest.param(date(2026, 8, 28), 1, SCT, date(2026, 8, 31), id="scotland-works-31-aug-2026"),
        # Northern Ireland: 12 July 2026 is a Sunday -> Mon 13 July; St Patrick's Day Tue 17 Mar 2026.
        pytest.param(date(2026, 7, 10), 1, NI, date(2026, 7, 14), id="ni-twelfth-2026-substitute"),
        pytest.param(date(2026, 7, 10), 1, EW, date(2026, 7, 13), id="ew-works-13-july-2026"),
        pytest.param(date(2026, 3, 16), 1, NI, date(2026, 3, 18), id="ni-st-patricks-2026"),
        pytest.param(date(2026, 3, 16), 1, EW, date(2026, 3, 17), id="ew-works-st-patricks-2026"),
        # Leap years.
        pytest.param(
            date(2028, 2, 28), 1, EW, date(2028, 2, 29), id="leap-year-29-feb-2028-is-a-working-day"
        ),
        pytest.param(date(2027, 2, 26), 1, EW, date(2027, 3, 1), id="non-leap-feb-2027-rolls-to-march"),
        # Negative counts go backwards over the same non-working days.
        pytest.param(date(2026, 12, 29), -1, EW, date(2026, 12, 24), id="backwards-over-christmas-2026"),
        pytest.param(date(2027, 1, 4), -4, EW, date(2026, 12, 24), id="backwards-over-new-year-2027"),
        pytest.param(date(2026, 4, 7), -1, EW, date(2026, 4, 2), id="backwards-over-easter-2026-ew"),
        pytest.param(date(2026, 4, 7), -1, SCT, date(2026, 4, 6), id="backwards-over-easter-2026-scotland"),
        pytest.param(date(2026, 3, 9), -1, EW, date(2026, 3, 6), id="backwards-over-weekend"),
        pytest.param(date(2026, 3, 8), -1, EW, date(2026, 3, 6), id="backwards-from-sunday-trigger"),
    ],
)
def test_add_working_days_counts_from_day_0_and_skips_weekends_and_the_nations_bank_holidays(
    start, days, nation, expected
):
    assert add_working_days(start, days, nation) == expected


def test_add_working_days_defaults_to_england_and_wales():
    assert add_working_days(date(2026, 4, 2), 1) == date(2026, 4, 7)


@pytest.mark.parametrize(
    ("start", "days", "closures", "expected"),
    [
        pytest.param(
            date(2026, 3, 2), 1, [date(2026, 3, 3)], date(2026, 3, 4), id="closure-on-a-weekday-is-skipped"
        ),
        pytest.param(
            date(2026, 3, 6),
            1,
            [date(2026, 3, 7)],
            date(2026, 3, 9),
            id="closure-on-a-weekend-changes-nothing",
        ),
        pytest.param(
            date(2026, 12, 24),
            1,
            [date(2026, 12, 29), date(2026, 12, 30), date(2026, 12, 31)],
            date(2027, 1, 4),
            id="christmas-shutdown-pushes-past-new-year",
        ),
        pytest.param(
            date(2026, 3, 4), -1, [date(2026, 3, 3)], date(2026, 3, 2), id="closure-skipped-backwards"
        ),
        pytest.param(
            date(2026, 3, 3), 0, [date(2026, 3, 3)], date(2026, 3, 3), id="zero-days-on-a-closure-stays-put"
        ),
        pytest.param(
            date(2026, 3, 2),
            1,
            (d for d in [date(2026, 3, 3)]),
            date(2026, 3, 4),
            id="closures-may-be-a-generator",
        ),
    ],
)
def test_add_working_days_skips_board_closure_days(start, days, closures, expected):
    assert add_working_days(start, days, EW, closures) == expected


def test_add_working_days_round_trips_with_working_days_between():
    start = date(2026, 12, 18)
    for days in range(-30, 31):
        end = add_working_days(start, days, SCT)
        assert working_days_between(start, end, SCT) == days


# --- add_calendar_months -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        pytest.param(date(2027, 1, 31), 1, date(2027, 2, 28), id="31-jan-plus-1-clamps-to-28-feb-2027"),
        pytest.param(date(2028, 1, 31), 1, date(2028, 2, 29), id="31-jan-plus-1-clamps-to-29-feb-leap-2028"),
        pytest.param(date(2026, 8, 31), 6, date(2027, 2, 28), id="31-aug-plus-6-clamps-to-28-feb-2027"),
        pytest.param(date(2027, 8, 31), 6, date(2028, 2, 29), id="31-aug-plus-6-clamps-to-29-feb-2028"),
        pytest.param(date(2026, 3, 31), 1, date(2026, 4, 30), id="31-mar-plus-1-clamps-to-30-apr"),
        pytest.param(date(2026, 1, 15), 0, date(2026, 1, 15), id="zero-months-unchanged"),
        pytest.param(date(2026, 11, 15), 2, date(2027, 1, 15), id="crosses-year-end"),
        pytest.param(date(2026, 1, 31), 12, date(2027, 1, 31), id="twelve-months-is-a-year"),
        pytest.param(date(2028, 2, 29), 12, date(2029, 2, 28), id="29-feb-plus-a-year-clamps-to-28-feb"),
        pytest.param(date(2027, 3, 31), -1, date(2027, 2, 28), id="negative-31-mar-minus-1-clamps-to-28-feb"),
        pytest.param(
            date(2028, 3, 31), -1, date(2028, 2, 29), id="negative-31-mar-minus-1-clamps-to-29-feb-leap"
        ),
        pytest.param(date(2027, 1, 15), -1, date(2026, 12, 15), id="negative-crosses-year-start"),
        pytest.param(date(2026, 1, 31), -14, date(2024, 11, 30), id="negative-more-than-a-year-clamps"),
        pytest.param(date(2028, 2, 29), -48, date(2024, 2, 29), id="negative-four-years-keeps-29-feb"),
    ],
)
def test_add_calendar_months_clamps_to_the_end_of_shorter_months(start, months, expected):
    assert add_calendar_months(start, months) == expected


# --- is_working_day ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "nation", "expected"),
    [
        pytest.param(date(2026, 3, 9), EW, True, id="ordinary-monday"),
        pytest.param(date(2026, 3, 7), EW, False, id="saturday"),
        pytest.param(date(2026, 3, 8), EW, False, id="sunday"),
        pytest.param(date(2026, 12, 25), EW, False, id="christmas-day"),
        pytest.param(date(2026, 12, 28), EW, False, id="boxing-day-substitute-2026"),
        pytest.param(date(2026, 4, 6), EW, False, id="easter-monday-ew"),
        pytest.param(date(2026, 4, 6), SCT, True, id="easter-monday-is-worked-in-scotland"),
        pytest.param(date(2026, 1, 2), SCT, False, id="2-january-scotland"),
        pytest.param(date(2026, 1, 2), EW, True, id="2-january-ew"),
        pytest.param(date(2025, 12, 1), SCT, False, id="st-andrews-substitute-2025-scotland"),
        pytest.param(date(2026, 3, 17), NI, False, id="st-patricks-ni"),
        pytest.param(date(2026, 3, 17), EW, True, id="st-patricks-ew"),
        pytest.param(date(2026, 7, 13), NI, False, id="twelfth-substitute-2026-ni"),
        pytest.param(date(2027, 1, 4), SCT, False, id="2-january-substitute-2027-scotland"),
        pytest.param(date(2028, 1, 3), EW, False, id="new-year-substitute-2028"),
    ],
)
def test_is_working_day_excludes_weekends_and_the_nations_bank_holidays(day, nation, expected):
    assert is_working_day(day, nation) is expected


def test_is_working_day_excludes_closures():
    assert is_working_day(date(2026, 3, 3), EW, [date(2026, 3, 3)]) is False
    assert is_working_day(date(2026, 3, 4), EW, [date(2026, 3, 3)]) is True


# --- working_days_between ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "nation", "closures", "expected"),
    [
        pytest.param(date(2026, 3, 4), date(2026, 3, 4), EW, (), 0, id="same-day-is-zero"),
        pytest.param(date(2026, 3, 6), date(2026, 3, 9), EW, (), 1, id="friday-to-monday-is-one"),
        pytest.param(date(2026, 3, 7), date(2026, 3, 8), EW, (), 0, id="saturday-to-sunday-is-zero"),
        pytest.param(date(2026, 12, 24), date(2027, 1, 4), EW, (), 4, id="over-christmas-and-new-year-ew"),
        pytest.param(
            date(2026, 12, 24), date(2027, 1, 4), SCT, (), 3, id="over-christmas-and-new-year-scotland"
        ),
        pytest.param(date(2027, 1, 4), date(2026, 12, 24), EW, (), -4, id="reversed-is-negative"),
        pytest.param(date(2026, 4, 2), date(2026, 4, 7), EW, (), 1, id="over-easter-ew"),
        pytest.param(date(2026, 4, 2), date(2026, 4, 7), SCT, (), 2, id="over-easter-scotland"),
        pytest.param(date(2026, 3, 2), date(2026, 3, 6), EW, [date(2026, 3, 4)], 3, id="closure-not-counted"),
        pytest.param(date(2026, 3, 6), date(2026, 3, 2), EW, (), -4, id="reversed-counts-start-not-end"),
    ],
)
def test_working_days_between_counts_days_after_start_up_to_and_including_end(
    start, end, nation, closures, expected
):
    assert working_days_between(start, end, nation, closures) == expected


# --- add_duration --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "amount", "unit", "nation", "expected"),
    [
        pytest.param(date(2026, 12, 24), 10, "calendar_days", EW, date(2027, 1, 3), id="calendar-days"),
        pytest.param(
            date(2026, 12, 24), -10, "calendar_days", EW, date(2026, 12, 14), id="negative-calendar-days"
        ),
        pytest.param(
            date(2026, 12, 24), 2, "weeks", EW, date(2027, 1, 7), id="weeks-are-seven-calendar-days"
        ),
        pytest.param(
            date(2027, 1, 31), 1, "calendar_months", EW, date(2027, 2, 28), id="calendar-months-clamp"
        ),
        pytest.param(date(2026, 12, 24), 4, "working_days", EW, date(2027, 1, 4), id="working-days-ew"),
        pytest.param(
            date(2026, 12, 24), 4, "working_days", SCT, date(2027, 1, 5), id="working-days-scotland"
        ),
    ],
)
def test_add_duration_dispatches_on_unit(start, amount, unit, nation, expected):
    assert add_duration(start, amount, unit, nation) == expected


def test_add_duration_passes_closures_to_working_days():
    closures = [date(2026, 3, 3)]
    assert add_duration(date(2026, 3, 2), 1, "working_days", EW, closures) == date(2026, 3, 4)


@pytest.mark.parametrize("unit", ["hours", "days", "months", "", "Working_Days"])
def test_add_duration_rejects_unknown_units_including_hours(unit):
    with pytest.raises(ValueError, match="working_days"):
        add_duration(date(2026, 3, 2), 1, unit)


# --- Invalid input -------------------------------------------------------------------------------


@pytest.mark.parametrize("nation", ["wales", "england", "England-and-Wales", "uk", "GB", "ENG", ""])
@pytest.mark.parametrize(
    "call",
    [
        pytest.param(lambda n: bank_holidays(n, [2026]), id="bank_holidays"),
        pytest.param(lambda n: add_working_days(date(2026, 3, 2), 1, n), id="add_working_days"),
        pytest.param(lambda n: add_working_days(date(2026, 3, 2), 0, n), id="add_working_days-zero"),
        pytest.param(lambda n: is_working_day(date(2026, 3, 2), n), id="is_working_day"),
        pytest.param(lambda n: working_days_between(date(2026, 3, 2), date(2026, 3, 2), n), id="between"),
        pytest.param(lambda n: add_duration(date(2026, 3, 2), 1, "weeks", n), id="add_duration"),
    ],
)
def test_unknown_nation_raises_value_error_naming_the_allowed_nations(call, nation):
    with pytest.raises(ValueError, match="england-and-wales") as excinfo:
        call(nation)
    for allowed in NATIONS:
        assert allowed in str(excinfo.value)


@pytest.mark.parametrize(
    "call",
    [
        pytest.param(lambda: add_working_days(datetime(2026, 12, 24, 9, 0), 1), id="add_working_days-start"),
        pytest.param(lambda: is_working_day(datetime(2026, 12, 25)), id="is_working_day"),
        pytest.param(lambda: add_calendar_months(datetime(2026, 1, 31), 1), id="add_calendar_months"),
        pytest.param(lambda: working_days_between(date(2026, 1, 1), datetime(2026, 1, 2)), id="between-end"),
        pytest.param(lambda: add_working_days(date(2026, 3, 2), 1, EW, [datetime(2026, 3, 3)]), id="closure"),
    ],
)
def test_datetimes_are_refused_because_they_never_equal_a_holiday_date(call):
    with pytest.raises(TypeError, match="datetime"):
        call()


def test_working_days_between_agrees_with_counting_day_by_day():
    """The count is arithmetic (fast for deadlines years overdue); it must equal walking the calendar."""
    import random

    rng = random.Random(7)
    closures = {date(2026, 12, 29), date(2026, 12, 30), date(2027, 1, 2), date(2025, 12, 25)}
    for _ in range(300):
        start = date(2016, 1, 1) + timedelta(days=rng.randrange(0, 4000))
        end = start + timedelta(days=rng.randrange(-1500, 1500))
        nation = rng.choice(["england-and-wales", "scotland", "northern-ireland"])
        low, high = sorted((start, end))
        walked = sum(
            1
            for offset in range(1, (high - low).days + 1)
            if is_working_day(low + timedelta(days=offset), nation, closures)
        )
        expected = walked if end >= start else -walked
        assert working_days_between(start, end, nation, closures) == expected
