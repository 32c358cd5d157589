"""explain_due: the deadline and the business time each local date contributes to it."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from sla_clock import BusinessCalendar, DayConsumption, explain_due
from support import SP, sp

DEFAULT = BusinessCalendar.default()
LUNCH = DEFAULT.with_hours({"mon-fri": ["09:00-12:00", "13:00-18:00"]})


def summary(days: list[DayConsumption]) -> list[tuple[date, timedelta, timedelta]]:
    """Each day as (date, consumed, running total)."""
    return [(d.day, d.consumed, d.total) for d in days]


def test_design_example_thursday_evening() -> None:
    """Thu 2026-11-19 17:00 + 4 h: Thu gives 1 h, Mon 23 gives 3 h (Fri 20 is a holiday)."""
    due, days = explain_due(DEFAULT, sp(2026, 11, 19, 17), timedelta(hours=4))
    assert due == sp(2026, 11, 23, 12)
    assert summary(days) == [
        (date(2026, 11, 19), timedelta(hours=1), timedelta(hours=1)),
        (date(2026, 11, 23), timedelta(hours=3), timedelta(hours=4)),
    ]
    assert days[0].periods == ((sp(2026, 11, 19, 17), sp(2026, 11, 19, 18)),)
    assert days[1].periods == ((sp(2026, 11, 23, 9), sp(2026, 11, 23, 12)),)


def test_design_example_new_year() -> None:
    """Thu 2026-12-31 16:00 + 12 h: Dec 31 2 h, Mon Jan 4 9 h, Tue Jan 5 1 h, due 10:00."""
    due, days = explain_due(DEFAULT, sp(2026, 12, 31, 16), timedelta(hours=12))
    assert due == sp(2027, 1, 5, 10)
    assert summary(days) == [
        (date(2026, 12, 31), timedelta(hours=2), timedelta(hours=2)),
        (date(2027, 1, 4), timedelta(hours=9), timedelta(hours=11)),
        (date(2027, 1, 5), timedelta(hours=1), timedelta(hours=12)),
    ]


def test_lunch_break_gives_two_periods_a_day() -> None:
    """With a 12:00-13:00 break, Mon 11:00 + 4 h is 11-12 and 13-16 on the same day."""
    due, days = explain_due(LUNCH, sp(2026, 11, 23, 11), timedelta(hours=4))
    assert due == sp(2026, 11, 23, 16)
    assert len(days) == 1
    assert days[0].periods == (
        (sp(2026, 11, 23, 11), sp(2026, 11, 23, 12)),
        (sp(2026, 11, 23, 13), sp(2026, 11, 23, 16)),
    )
    assert days[0].consumed == timedelta(hours=4)


def test_start_on_a_weekend_begins_on_monday() -> None:
    """Sat 2026-11-28 10:00 + 1 h is Mon 30 09:00-10:00, the only day listed."""
    due, days = explain_due(DEFAULT, sp(2026, 11, 28, 10), timedelta(hours=1))
    assert due == sp(2026, 11, 30, 10)
    assert [d.day for d in days] == [date(2026, 11, 30)]
    assert days[0].periods == ((sp(2026, 11, 30, 9), sp(2026, 11, 30, 10)),)


def test_zero_duration_has_no_days() -> None:
    """Adding nothing gives the start back and no consuming day."""
    due, days = explain_due(DEFAULT, sp(2026, 11, 23, 20), timedelta(0))
    assert due == sp(2026, 11, 23, 20)
    assert days == []


def test_a_period_across_midnight_is_split_by_date() -> None:
    """A desk open 22:00-02:00 shows the night's 4 h as 2 h on each local date."""
    night = BusinessCalendar.create(
        hours={"mon-sun": ["00:00-02:00", "22:00-24:00"]}, timezone="UTC", country=None
    )
    start = datetime(2026, 11, 23, 22, tzinfo=UTC)
    due, days = explain_due(night, start, timedelta(hours=4))
    assert due == datetime(2026, 11, 24, 2, tzinfo=UTC)
    assert summary(days) == [
        (date(2026, 11, 23), timedelta(hours=2), timedelta(hours=2)),
        (date(2026, 11, 24), timedelta(hours=2), timedelta(hours=4)),
    ]
    assert days[0].periods == ((start, datetime(2026, 11, 24, tzinfo=UTC)),)


def test_days_follow_the_local_date_across_dst() -> None:
    """Around the clock in New York, the spring-forward Sunday contributes 23 hours."""
    ny = ZoneInfo("America/New_York")
    always = BusinessCalendar.create(
        hours={"mon-sun": "00:00-24:00"}, timezone="America/New_York", country=None
    )
    due, days = explain_due(always, datetime(2026, 3, 7, 12, tzinfo=ny), timedelta(hours=48))
    assert due == datetime(2026, 3, 9, 13, tzinfo=ny)
    assert [(d.day, d.consumed) for d in days] == [
        (date(2026, 3, 7), timedelta(hours=12)),
        (date(2026, 3, 8), timedelta(hours=23)),
        (date(2026, 3, 9), timedelta(hours=13)),
    ]


def test_periods_are_in_the_calendar_zone() -> None:
    """A start given in UTC is explained in the calendar's local dates and times."""
    start = sp(2026, 11, 23, 17).astimezone(UTC)
    _, days = explain_due(DEFAULT, start, timedelta(hours=2))
    assert [d.day for d in days] == [date(2026, 11, 23), date(2026, 11, 24)]
    for day in days:
        for opened, closed in day.periods:
            assert opened.tzinfo == SP
            assert closed.tzinfo == SP


@given(
    st.integers(0, 365 * 24 * 60).map(lambda m: sp(2026, 1, 1) + timedelta(minutes=m)),
    st.integers(0, 80 * 3600 * 1_000_000).map(lambda us: timedelta(microseconds=us)),
    st.sampled_from((DEFAULT, LUNCH)),
)
def test_days_add_up_to_the_duration(
    start: datetime, duration: timedelta, calendar: BusinessCalendar
) -> None:
    """Due is add(start, d); the days are ordered, distinct, open, and sum to d."""
    due, days = explain_due(calendar, start, duration)
    assert due == calendar.add(start, duration)
    assert sum((d.consumed for d in days), timedelta(0)) == duration
    running = timedelta(0)
    for previous, current in pairwise(days):
        assert previous.day < current.day
    for day in days:
        assert day.consumed > timedelta(0)
        running += day.consumed
        assert day.total == running
        length = timedelta(0)
        for opened, closed in day.periods:
            assert opened.date() == day.day
            assert start <= opened < closed <= due
            assert calendar.elapsed(opened, closed) == closed - opened
            length += closed - opened
        assert length == day.consumed
