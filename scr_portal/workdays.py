"""The single working-day calendar for the Serious Case Review portal.

Every statutory and procedural deadline in the portal is computed through this module, so that
the deadline engine, the UI and the reports cannot disagree about what a "working day" is.

The rules come from the "Decisions already taken" section of the domain brief:

* the trigger day is day 0 - counting starts on the day *after* the event;
* working days skip Saturdays, Sundays, the bank holidays of the board's nation and the
  board's own closure days (passed in by the caller as ``closures``).

Bank holidays differ between the UK nations (Scotland has 2 January and St Andrew's Day but no
Easter Monday; Northern Ireland has St Patrick's Day and the Battle of the Boyne), so every
calculation is made for a named nation. The dates come from the ``holidays`` package using the
GB *subdivision* calendar - never the bare UK calendar, which only holds the holidays common to
all nations. Substitute days ("observed" in the package's wording, e.g. Boxing Day falling on a
Saturday moves to the Monday) are included, because the official gov.uk lists include them.

All functions take and return ``datetime.date``. Passing a ``datetime`` is refused: a datetime
never compares equal to a date, so it would silently miss every bank holiday and closure, and a
timezone-aware value must first be converted to the board's local date by the caller.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Final

import holidays

__all__ = [
    "DURATION_UNITS",
    "NATIONS",
    "NATION_SUBDIVISIONS",
    "add_calendar_months",
    "add_duration",
    "add_working_days",
    "bank_holidays",
    "is_working_day",
    "working_days_between",
]

#: The nations a board can belong to. England and Wales share one set of bank holidays.
NATIONS: Final[tuple[str, ...]] = ("england-and-wales", "scotland", "northern-ireland")

#: Nation -> ``holidays`` GB subdivision code. Wales ("WLS") has exactly the English dates, so
#: "ENG" stands for both; the mapping is read-only so no caller can change the calendar.
NATION_SUBDIVISIONS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "england-and-wales": "ENG",
        "scotland": "SCT",
        "northern-ireland": "NIR",
    }
)

#: Units ``add_duration`` understands. Hours are deliberately absent: they need a clock time and
#: a time zone, which the deadline engine handles itself.
DURATION_UNITS: Final[tuple[str, ...]] = ("calendar_days", "weeks", "calendar_months", "working_days")

_SATURDAY: Final = 5  # date.weekday(): Monday is 0, so Saturday is 5 and Sunday 6.


def _subdivision(nation: str) -> str:
    """Return the ``holidays`` subdivision for ``nation``, refusing anything unknown.

    Failing loudly matters: falling back to a default nation would give a board the wrong bank
    holidays and therefore wrong statutory deadlines without anyone noticing.
    """
    try:
        return NATION_SUBDIVISIONS[nation]
    except (KeyError, TypeError):
        allowed = ", ".join(repr(n) for n in NATIONS)
        raise ValueError(f"Unknown nation {nation!r}; expected one of {allowed}.") from None


def _check_date(value: object, name: str) -> dt.date:
    """Refuse datetimes and non-dates (see the module docstring for why)."""
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise TypeError(f"{name} must be a datetime.date (not a datetime), got {type(value).__name__}.")
    return value


def _closure_set(closures: Iterable[dt.date]) -> frozenset[dt.date]:
    """Materialise ``closures`` once so that it can be an iterator and lookups are O(1)."""
    return frozenset(_check_date(day, "each closure day") for day in closures)


@functools.lru_cache(maxsize=512)
def _bank_holidays_for_year(subdivision: str, year: int) -> frozenset[dt.date]:
    """Bank holidays of one GB subdivision in one year, substitute days included.

    The ``holidays`` package also lists the nominal date when it falls on a weekend (e.g. Boxing
    Day, Saturday 26 December 2026, next to its Monday substitute). Those weekend dates are not
    bank holidays - the substitute is - so they are dropped; the result then matches the
    official gov.uk lists, and weekends are excluded from working days anyway.

    Cached because the deadline engine asks about the same few (nation, year) pairs constantly
    and building a ``holidays`` calendar is comparatively slow. A frozenset keeps the cached
    value immutable.
    """
    calendar_for_year = holidays.country_holidays("GB", subdiv=subdivision, years=year, observed=True)
    return frozenset(day for day in calendar_for_year if day.weekday() < _SATURDAY)


def bank_holidays(nation: str, years: Iterable[int]) -> frozenset[dt.date]:
    """Return every bank holiday of ``nation`` in ``years``, including substitute days.

    Only weekdays are returned: when a holiday falls on a weekend its substitute day is the bank
    holiday. Results are cached per (nation, year), so calling this repeatedly is cheap.
    """
    subdivision = _subdivision(nation)
    result: frozenset[dt.date] = frozenset()
    for year in years:
        result |= _bank_holidays_for_year(subdivision, int(year))
    return result


def _is_working_day(day: dt.date, subdivision: str, closures: frozenset[dt.date]) -> bool:
    """Core test shared by the public functions, after their arguments have been validated."""
    return (
        day.weekday() < _SATURDAY
        and day not in closures
        and day not in _bank_holidays_for_year(subdivision, day.year)
    )


def is_working_day(
    day: dt.date,
    nation: str = "england-and-wales",
    closures: Iterable[dt.date] = (),
) -> bool:
    """Return True if ``day`` is a Monday to Friday that is not a bank holiday of ``nation``.

    A day in the board's ``closures`` (e.g. an office shutdown between Christmas and New Year)
    is not a working day either.
    """
    day = _check_date(day, "day")
    return _is_working_day(day, _subdivision(nation), _closure_set(closures))


def add_working_days(
    start: dt.date,
    days: int,
    nation: str = "england-and-wales",
    closures: Iterable[dt.date] = (),
) -> dt.date:
    """Return the date ``days`` working days after ``start`` (before it if ``days`` is negative).

    ``start`` is day 0 and is never counted itself, so it does not matter whether the trigger
    falls on a working day: "5 working days from a Saturday" ends on the following Friday.
    ``days == 0`` returns ``start`` unchanged, even if ``start`` is not a working day - moving it
    would silently change the trigger date the deadline is anchored to.
    """
    start = _check_date(start, "start")
    subdivision = _subdivision(nation)
    closed = _closure_set(closures)
    step = dt.timedelta(days=1 if days > 0 else -1)
    remaining = abs(days)
    current = start
    while remaining:
        current += step
        if _is_working_day(current, subdivision, closed):
            remaining -= 1
    return current


def working_days_between(
    start: dt.date,
    end: dt.date,
    nation: str = "england-and-wales",
    closures: Iterable[dt.date] = (),
) -> int:
    """Count the working days after ``start`` up to and including ``end``.

    This is the inverse of ``add_working_days`` (for a working-day ``end``,
    ``add_working_days(start, working_days_between(start, end)) == end``), so "how many working
    days have elapsed" and "when is the deadline" always agree. If ``end`` is before ``start`` the
    result is the count of working days after ``end`` up to and including ``start``, negated;
    equal dates give 0.
    """
    start = _check_date(start, "start")
    end = _check_date(end, "end")
    subdivision = _subdivision(nation)
    closed = _closure_set(closures)
    if end == start:
        return 0
    sign = 1 if end > start else -1
    low, high = (start, end) if sign > 0 else (end, start)
    # Counted by arithmetic, not day by day: a deadline years overdue is common on the dashboards.
    full_weeks, rest = divmod((high - low).days, 7)
    count = full_weeks * 5 + sum(1 for i in range(1, rest + 1) if (low.weekday() + i) % 7 < _SATURDAY)
    holidays_in_range = {
        day
        for year in range(low.year, high.year + 1)
        for day in _bank_holidays_for_year(subdivision, year)
        if low < day <= high
    }
    closures_in_range = {
        day
        for day in closed
        if low < day <= high and day.weekday() < _SATURDAY and day not in holidays_in_range
    }
    return sign * (count - len(holidays_in_range) - len(closures_in_range))


def add_calendar_months(start: dt.date, months: int) -> dt.date:
    """Return the same day ``months`` calendar months later (earlier if negative).

    When the target month is shorter, the result is clamped to its last day (31 January + 1
    month is 28 or 29 February) rather than overflowing into the next month, which would make
    a "one month" deadline longer than a month.
    """
    start = _check_date(start, "start")
    month_index = start.year * 12 + (start.month - 1) + months
    year, month_zero_based = divmod(month_index, 12)
    month = month_zero_based + 1
    last_day = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(start.day, last_day))


def add_duration(
    start: dt.date,
    amount: int,
    unit: str,
    nation: str = "england-and-wales",
    closures: Iterable[dt.date] = (),
) -> dt.date:
    """Add ``amount`` of ``unit`` to ``start``; the entry point used by the deadline engine.

    ``unit`` is one of ``DURATION_UNITS``. Only "working_days" looks at ``nation`` and
    ``closures`` (the nation is still validated for every unit, so a misconfigured board is
    caught early). Hours are not supported here: they depend on clock time and time zone and are
    handled by the caller.
    """
    start = _check_date(start, "start")
    _subdivision(nation)
    if unit == "calendar_days":
        return start + dt.timedelta(days=amount)
    if unit == "weeks":
        return start + dt.timedelta(weeks=amount)
    if unit == "calendar_months":
        return add_calendar_months(start, amount)
    if unit == "working_days":
        return add_working_days(start, amount, nation=nation, closures=closures)
    allowed = ", ".join(repr(u) for u in DURATION_UNITS)
    raise ValueError(
        f"Unknown duration unit {unit!r}; expected one of {allowed} (hours are handled by the caller)."
    )
