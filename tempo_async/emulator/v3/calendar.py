"""Working days, holidays and timesheet periods of the emulated Tempo instance.

One workload scheme for everyone: Monday to Friday, 8 hours a day. One holiday scheme:
a few fixed-date holidays every year plus any added to the state. Timesheet periods
are calendar months.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date, timedelta
from typing import Any

WORKDAY_SECONDS = 28_800


#: A holiday: `{"name", "durationSeconds", "description"?}` (how much of the day it takes).
Holiday = dict[str, Any]


def holiday(
    name: str, duration_seconds: int = WORKDAY_SECONDS, description: str | None = None
) -> Holiday:
    """A holiday record."""
    record: Holiday = {"name": name, "durationSeconds": duration_seconds}
    if description:
        record["description"] = description
    return record


#: (month, day) -> holiday, every year.
YEARLY_HOLIDAYS: dict[tuple[int, int], Holiday] = {
    (1, 1): holiday("New Year's Day"),
    (12, 24): holiday("Christmas Eve", 14_400, "Twas the night before Christmas"),
    (12, 25): holiday("Christmas Day"),
    (12, 26): holiday("Boxing Day"),
}


def holiday_on(day: date, extra: Mapping[str, Holiday]) -> Holiday | None:
    """The holiday on `day`, if any (`extra` is keyed by ISO date)."""
    return extra.get(day.isoformat()) or YEARLY_HOLIDAYS.get((day.month, day.day))


def required_seconds(day: date, extra: Mapping[str, Holiday]) -> int:
    """Seconds a user is expected to work on `day`."""
    if day.weekday() >= 5:
        return 0
    found = holiday_on(day, extra)
    if found is None:
        return WORKDAY_SECONDS
    return max(0, WORKDAY_SECONDS - int(found["durationSeconds"]))


def required_total(start: date, end: date, extra: Mapping[str, Holiday]) -> int:
    """Seconds a user is expected to work from `start` to `end` inclusive."""
    return sum(required_seconds(day, extra) for day in days(start, end))


def day_schedule(day: date, extra: Mapping[str, Holiday]) -> dict[str, Any]:
    """The spec's DaySchedule of one day."""
    weekend = day.weekday() >= 5
    found = holiday_on(day, extra)
    if found is None:
        kind = "NON_WORKING_DAY" if weekend else "WORKING_DAY"
    else:
        kind = "HOLIDAY_AND_NON_WORKING_DAY" if weekend else "HOLIDAY"
    schedule: dict[str, Any] = {
        "date": day.isoformat(),
        "requiredSeconds": required_seconds(day, extra),
        "type": kind,
    }
    if found is not None:
        schedule["holiday"] = dict(found)
    return schedule


def days(start: date, end: date) -> Iterator[date]:
    """Every day from `start` to `end` inclusive."""
    for offset in range((end - start).days + 1):
        yield start + timedelta(days=offset)


def month_start(day: date) -> date:
    """First day of the month of `day`."""
    return day.replace(day=1)


def month_end(day: date) -> date:
    """Last day of the month of `day`."""
    following = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return following - timedelta(days=1)


def period_of(day: date) -> tuple[date, date]:
    """The timesheet period (month) containing `day`."""
    return month_start(day), month_end(day)


def periods(start: date, end: date) -> list[tuple[date, date]]:
    """The periods overlapping `[start, end]`."""
    result = []
    current = month_start(start)
    while current <= end:
        result.append(period_of(current))
        current = month_end(current) + timedelta(days=1)
    return result


def add_months(day: date, months: int) -> date:
    """`day` moved by whole months, clamped to the end of a shorter month."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    first = date(year, month + 1, 1)
    return first.replace(day=min(day.day, month_end(first).day))
