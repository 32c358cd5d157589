"""Business days, ``prev_open`` and ``prev_close``: worked examples checked by hand.

The default desk is Mon-Fri 09:00-18:00 in São Paulo, closed on Brazil's national public
holidays (``docs/holidays.md``). The weeks used: Thu 2026-11-19, Fri 11-20 (Consciência
Negra, a holiday), the weekend of 21-22, Mon 11-23 .. Fri 11-27, the weekend of 28-29 and
Mon 11-30; Thu 12-24 (an optional day, so open), Fri 12-25 (Christmas); Thu 12-31 (optional,
open) and Fri 2027-01-01 (a holiday). Every expectation below was counted on a calendar.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import numpy as np
import pytest

from sla_clock import BusinessCalendar, NaiveDatetimeError, OutOfRangeError, bulk
from support import SP, nov, sp

D = date


@pytest.fixture(scope="module")
def cal() -> BusinessCalendar:
    return BusinessCalendar.default()


@pytest.fixture(scope="module")
def weekdays() -> BusinessCalendar:
    """Mon-Fri 09:00-18:00 in São Paulo with no holidays at all (years 2 to 9997)."""
    return BusinessCalendar.create(country=None)


# -- is, next and previous ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2026, 11, 19), True),  # Thursday
        (D(2026, 11, 20), False),  # Consciência Negra
        (D(2026, 11, 21), False),  # Saturday
        (D(2026, 11, 22), False),  # Sunday
        (D(2026, 11, 23), True),  # Monday
        (D(2026, 11, 2), False),  # Finados, a Monday
        (D(2026, 12, 24), True),  # Christmas Eve is optional: the default desk opens
        (D(2026, 12, 25), False),  # Christmas
        (D(2027, 1, 1), False),  # New Year's Day
    ],
)
def test_is_business_day(
    cal: BusinessCalendar,
    day: date,
    expected: bool,  # noqa: FBT001 (a pytest parameter)
) -> None:
    """A weekday that is no holiday is a business day; weekends and holidays are not."""
    assert cal.is_business_day(day) is expected


@pytest.mark.parametrize(
    ("day", "after", "before"),
    [
        (D(2026, 11, 19), D(2026, 11, 23), D(2026, 11, 18)),  # over the holiday and weekend
        (D(2026, 11, 20), D(2026, 11, 23), D(2026, 11, 19)),  # from the holiday itself
        (D(2026, 11, 21), D(2026, 11, 23), D(2026, 11, 19)),  # from a Saturday
        (D(2026, 11, 23), D(2026, 11, 24), D(2026, 11, 19)),
        (D(2026, 11, 27), D(2026, 11, 30), D(2026, 11, 26)),
        (D(2026, 12, 24), D(2026, 12, 28), D(2026, 12, 23)),  # over Christmas
        (D(2026, 12, 28), D(2026, 12, 29), D(2026, 12, 24)),
        (D(2026, 12, 31), D(2027, 1, 4), D(2026, 12, 30)),  # over New Year's Day
    ],
)
def test_next_and_previous_business_day(
    cal: BusinessCalendar, day: date, after: date, before: date
) -> None:
    """next/previous_business_day is the first business day strictly after/before the date."""
    assert cal.next_business_day(day) == after
    assert cal.previous_business_day(day) == before


# -- add_business_days ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "n", "expected"),
    [
        (D(2026, 11, 19), 5, D(2026, 11, 27)),  # 23, 24, 25, 26, 27: Nov 20 is skipped
        (D(2026, 11, 19), 1, D(2026, 11, 23)),
        (D(2026, 11, 19), 0, D(2026, 11, 19)),  # a business day stays put
        (D(2026, 11, 19), -1, D(2026, 11, 18)),
        (D(2026, 11, 23), -1, D(2026, 11, 19)),
        (D(2026, 11, 27), 1, D(2026, 11, 30)),
        (D(2026, 11, 21), 0, D(2026, 11, 23)),  # Saturday rolls forward to Monday
        (D(2026, 11, 21), 1, D(2026, 11, 24)),  # rolled to Monday, then one more
        (D(2026, 11, 21), -1, D(2026, 11, 19)),  # rolled to Monday, then one back
        (D(2026, 11, 21), 5, D(2026, 11, 30)),
        (D(2026, 11, 20), 0, D(2026, 11, 23)),  # the holiday rolls forward too
        (D(2026, 11, 20), -1, D(2026, 11, 19)),
        (D(2026, 12, 24), 1, D(2026, 12, 28)),
        (D(2026, 12, 31), 1, D(2027, 1, 4)),
        (D(2027, 1, 4), -1, D(2026, 12, 31)),
        (D(2026, 11, 30), -6, D(2026, 11, 19)),  # 27, 26, 25, 24, 23, then 19
    ],
)
def test_add_business_days(cal: BusinessCalendar, day: date, n: int, expected: date) -> None:
    """add_business_days is numpy.busday_offset(day, n, roll="forward") on the desk."""
    assert cal.add_business_days(day, n) == expected


def test_add_business_days_far_but_within_a_century(weekdays: BusinessCalendar) -> None:
    """5000 weeks of five business days from a Monday land on the Monday 5000 weeks later."""
    monday = D(2026, 1, 5)
    assert weekdays.add_business_days(monday, 5 * 5000) == monday + timedelta(weeks=5000)
    later = monday + timedelta(weeks=5000)
    assert weekdays.add_business_days(later, -5 * 5000) == monday


def test_one_question_spans_at_most_a_hundred_local_years(weekdays: BusinessCalendar) -> None:
    """From Mon 2026-01-05, 5217 weeks end in 2125 (years 2026-2125: 100); 5218 weeks end in
    2126, a 101st year."""
    monday = D(2026, 1, 5)
    last = monday + timedelta(weeks=5217)
    assert last.year == 2125
    assert (monday + timedelta(weeks=5218)).year == 2126
    assert weekdays.add_business_days(monday, 5 * 5217) == last
    assert weekdays.business_days_between(monday, last) == 5 * 5217
    with pytest.raises(OutOfRangeError):
        weekdays.add_business_days(monday, 5 * 5218)
    with pytest.raises(OutOfRangeError):
        weekdays.business_days_between(D(2025, 12, 31), D(2125, 12, 31))


# -- business_days_between --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (D(2026, 11, 21), D(2026, 11, 30), 5),  # Mon 23 .. Fri 27
        (D(2026, 11, 19), D(2026, 11, 23), 1),  # Thu 19 only
        (D(2026, 11, 23), D(2026, 11, 30), 5),
        (D(2026, 11, 20), D(2026, 11, 20), 0),
        (D(2026, 11, 23), D(2026, 11, 23), 0),  # [d, d) is empty, even on a business day
        (D(2026, 11, 23), D(2026, 11, 24), 1),
        (D(2026, 11, 1), D(2026, 12, 1), 19),  # 21 weekdays minus Nov 2 and Nov 20
        (D(2026, 12, 21), D(2026, 12, 28), 4),  # 21, 22, 23, 24
        (D(2026, 1, 1), D(2027, 1, 1), 252),  # 261 weekdays minus 9 weekday holidays
    ],
)
def test_business_days_between(
    cal: BusinessCalendar, start: date, end: date, expected: int
) -> None:
    """between(a, b) counts the business days of [a, b); reversed, it is the negative."""
    assert cal.business_days_between(start, end) == expected
    # NumPy's busday_count would say -6 for (Nov 30, Nov 21): it counts (a, b] backwards.
    assert cal.business_days_between(end, start) == -expected


# -- prev_open and prev_close -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("t", "opening", "closing"),
    [
        (nov(24, 10), nov(24, 9), nov(23, 18)),  # inside hours
        (nov(24, 9), nov(24, 9), nov(23, 18)),  # exactly at an opening
        (nov(24, 18), nov(24, 9), nov(24, 18)),  # exactly at a close
        (nov(24, 17, 59, 59, 999_999), nov(24, 9), nov(23, 18)),
        (nov(24, 8, 59, 59, 999_999), nov(23, 9), nov(23, 18)),
        (nov(24, 18, 0, 0, 1), nov(24, 9), nov(24, 18)),
        (nov(21, 12), nov(19, 9), nov(19, 18)),  # Saturday, after the Friday holiday
        (nov(23, 8), nov(19, 9), nov(19, 18)),  # Monday before opening
        (nov(23, 9), nov(23, 9), nov(19, 18)),
        (sp(2026, 12, 26, 10), sp(2026, 12, 24, 9), sp(2026, 12, 24, 18)),  # after Christmas
        (sp(2027, 1, 1, 12), sp(2026, 12, 31, 9), sp(2026, 12, 31, 18)),
        # 12:00 UTC is 09:00 in São Paulo: an opening, given in another zone.
        (datetime(2026, 11, 24, 12, tzinfo=UTC), nov(24, 9), nov(23, 18)),
    ],
)
def test_prev_open_and_prev_close(
    cal: BusinessCalendar, t: datetime, opening: datetime, closing: datetime
) -> None:
    """prev_open(t) / prev_close(t) are the latest opening / closing at or before t, returned
    in the calendar's zone."""
    got_open, got_close = cal.prev_open(t), cal.prev_close(t)
    # isoformat pins the offset too: == on one ZoneInfo compares wall times only.
    assert (got_open.isoformat(), got_close.isoformat()) == (
        opening.isoformat(),
        closing.isoformat(),
    )
    assert got_open.tzinfo == SP
    assert got_close.tzinfo == SP


# -- calendars other than the default ------------------------------------------------------------


def test_partial_closed_and_extra_open_dates(cal: BusinessCalendar) -> None:
    """A partial day is one business day, a closed date none, an extra open Saturday one."""
    partial = cal.with_day_hours({D(2026, 11, 23): "09:00-10:00"})
    assert partial.is_business_day(D(2026, 11, 23))
    assert partial.next_business_day(D(2026, 11, 19)) == D(2026, 11, 23)
    closed = cal.with_closed(D(2026, 11, 23))
    assert not closed.is_business_day(D(2026, 11, 23))
    assert closed.next_business_day(D(2026, 11, 19)) == D(2026, 11, 24)
    assert closed.business_days_between(D(2026, 11, 21), D(2026, 11, 30)) == 4
    saturday = cal.with_day_hours({D(2026, 11, 21): "09:00-13:00"})
    assert saturday.is_business_day(D(2026, 11, 21))
    assert saturday.add_business_days(D(2026, 11, 19), 1) == D(2026, 11, 21)
    assert saturday.business_days_between(D(2026, 11, 21), D(2026, 11, 30)) == 6
    assert saturday.prev_open(nov(22, 12)) == nov(21, 9)
    assert saturday.prev_close(nov(22, 12)) == nov(21, 13)
    # A holiday given hours by an override opens: Nov 20 from 14:00.
    holiday = cal.with_day_hours({D(2026, 11, 20): "14:00-18:00"})
    assert holiday.is_business_day(D(2026, 11, 20))
    assert holiday.add_business_days(D(2026, 11, 19), 1) == D(2026, 11, 20)


def test_a_date_whose_hours_fall_in_a_dst_gap_is_no_business_day() -> None:
    """New York springs from 02:00 to 03:00 on Sun 2026-03-08: hours 02:00-03:00 that Sunday
    are no real time, so the date is closed; the Sundays around it are open."""
    ny = BusinessCalendar.create(
        hours={"sun": "02:00-03:00"}, timezone="America/New_York", country=None
    )
    assert ny.is_business_day(D(2026, 3, 1))
    assert not ny.is_business_day(D(2026, 3, 8))
    assert ny.is_business_day(D(2026, 3, 15))
    assert ny.next_business_day(D(2026, 3, 1)) == D(2026, 3, 15)
    assert ny.add_business_days(D(2026, 3, 8), 0) == D(2026, 3, 15)
    assert ny.business_days_between(D(2026, 3, 1), D(2026, 3, 22)) == 2


def test_sao_paulo_midnight_gap() -> None:
    """São Paulo jumped from 00:00 to 01:00 on Sun 2018-11-04: a desk open 00:00-01:00 every
    day had no open time that date."""
    night = BusinessCalendar.create(hours={"mon-sun": "00:00-01:00"}, country=None)
    assert night.is_business_day(D(2018, 11, 3))
    assert not night.is_business_day(D(2018, 11, 4))
    assert night.next_business_day(D(2018, 11, 3)) == D(2018, 11, 5)
    assert night.business_days_between(D(2018, 11, 1), D(2018, 11, 8)) == 6


def _open_only_on(*days: date) -> BusinessCalendar:
    """A desk with no weekly hours, open 09:00-10:00 on ``days`` only, without holidays."""
    return BusinessCalendar.create(
        hours={}, country=None, extra_open_days=dict.fromkeys(days, "09:00-10:00")
    )


def test_business_days_decades_apart() -> None:
    """Two open dates 70 years apart are consecutive business days (within one century);
    after the last there is none, and a desk never open has no business day at all."""
    sparse = _open_only_on(D(2020, 5, 5), D(2090, 1, 2))
    assert sparse.next_business_day(D(2020, 5, 5)) == D(2090, 1, 2)
    assert sparse.previous_business_day(D(2090, 1, 2)) == D(2020, 5, 5)
    assert sparse.add_business_days(D(2000, 1, 1), 0) == D(2020, 5, 5)
    assert sparse.add_business_days(D(2000, 1, 1), 1) == D(2090, 1, 2)
    assert sparse.add_business_days(D(2095, 1, 1), -2) == D(2020, 5, 5)
    assert sparse.business_days_between(D(2000, 1, 1), D(2095, 1, 1)) == 2
    assert sparse.business_days_between(D(2095, 1, 1), D(2000, 1, 1)) == -2
    with pytest.raises(OutOfRangeError):
        sparse.next_business_day(D(2090, 1, 2))
    with pytest.raises(OutOfRangeError):
        sparse.add_business_days(D(2000, 1, 1), 2)
    never = BusinessCalendar.create(hours={}, country=None)
    assert not never.is_business_day(D(2026, 11, 23))
    assert never.business_days_between(D(2026, 1, 1), D(2027, 1, 1)) == 0
    with pytest.raises(OutOfRangeError):
        never.next_business_day(D(2026, 11, 23))
    with pytest.raises(OutOfRangeError):
        never.add_business_days(D(2026, 11, 23), 0)


def test_prev_open_and_prev_close_decades_back() -> None:
    """The previous opening and close 70 years back are answered (one question may span 100
    years, as previous_business_day does), whatever the calendar compiled before."""
    t = sp(2090, 1, 1)
    warm = _open_only_on(D(2020, 5, 5))
    warm.elapsed(sp(2019, 1, 1), t)  # compiles 2019-2090 first
    fresh = _open_only_on(D(2020, 5, 5))
    assert fresh.previous_business_day(t.date()) == D(2020, 5, 5)
    for cal in (warm, fresh):
        assert cal.prev_open(t).isoformat() == "2020-05-05T09:00:00-03:00"
        assert cal.prev_close(t).isoformat() == "2020-05-05T10:00:00-03:00"


# -- the vectorised functions -------------------------------------------------------------------


def _days(*values: str) -> np.ndarray:
    return np.array(values, dtype="datetime64[D]")


def test_add_business_days_many(cal: BusinessCalendar) -> None:
    """add_business_days_many takes one n for all dates or one per date."""
    days = _days("2026-11-19", "2026-11-21", "2026-11-20")
    got = bulk.add_business_days_many(cal, days, 5)
    assert got.dtype == np.dtype("datetime64[D]")
    # Nov 20 (the holiday) rolls forward to Mon 23 first, then 24, 25, 26, 27, 30.
    assert got.tolist() == [D(2026, 11, 27), D(2026, 11, 30), D(2026, 11, 30)]
    got = bulk.add_business_days_many(cal, days, np.array([5, 0, -1]))
    assert got.tolist() == [D(2026, 11, 27), D(2026, 11, 23), D(2026, 11, 19)]


def test_business_days_between_many(cal: BusinessCalendar) -> None:
    """business_days_between_many counts each pair, antisymmetric like the scalar one."""
    got = bulk.business_days_between_many(
        cal,
        _days("2026-11-21", "2026-11-30", "2026-11-19"),
        _days("2026-11-30", "2026-11-21", "2026-11-23"),
    )
    assert got.dtype == np.dtype(np.int64)
    assert got.tolist() == [5, -5, 1]


def test_bulk_functions_on_empty_arrays(cal: BusinessCalendar) -> None:
    """Empty arrays in, empty arrays of the documented dtypes out."""
    empty = _days()
    added = bulk.add_business_days_many(cal, empty, 3)
    assert added.shape == (0,)
    assert added.dtype == np.dtype("datetime64[D]")
    added = bulk.add_business_days_many(cal, empty, np.array([], dtype=np.int64))
    assert added.shape == (0,)
    assert added.dtype == np.dtype("datetime64[D]")
    counted = bulk.business_days_between_many(cal, empty, empty)
    assert counted.shape == (0,)
    assert counted.dtype == np.dtype(np.int64)


def test_bulk_takes_sequences_of_dates(cal: BusinessCalendar) -> None:
    """Lists of datetime.date work like datetime64[D] arrays (docs/business-days.md)."""
    got = bulk.add_business_days_many(cal, [D(2026, 11, 19), D(2026, 11, 21)], 5)
    assert got.tolist() == [D(2026, 11, 27), D(2026, 11, 30)]
    counted = bulk.business_days_between_many(cal, [D(2026, 11, 19)], [D(2026, 11, 30)])
    assert counted.tolist() == [6]  # 19, 23, 24, 25, 26, 27


def test_bulk_nat_in_nat_out(cal: BusinessCalendar) -> None:
    """NaT in gives NaT out; a count with a NaT end is NAT, the smallest int64 (docs)."""
    days = _days("2026-11-21", "NaT")
    added = bulk.add_business_days_many(cal, days, np.array([0, 1]))
    assert str(added[0]) == "2026-11-23"
    assert np.isnat(added[1])
    counted = bulk.business_days_between_many(cal, days, _days("2026-11-30", "2026-11-30"))
    assert counted.tolist() == [5, bulk.NAT]
    counted = bulk.business_days_between_many(cal, _days("2026-11-30", "2026-11-30"), days)
    assert counted.tolist() == [-5, bulk.NAT]


def test_bulk_elements_are_separate_questions(cal: BusinessCalendar) -> None:
    """Dates two centuries apart in one array are each their own question, as in a loop."""
    days = _days("1890-01-02", "2100-12-30", "2026-11-21")
    got = bulk.add_business_days_many(cal, days, 1)
    # Thu 1890-01-02 -> Fri 01-03; Thu 2100-12-30 -> Fri 12-31; Sat 2026-11-21 -> Mon 23 -> 24.
    assert got.tolist() == [D(1890, 1, 3), D(2100, 12, 31), D(2026, 11, 24)]
    # Each week holds five weekdays: Jan 1 1890 and Sat Dec 25 2100 lie outside them.
    starts = _days("1890-01-02", "2100-12-20", "2026-11-21")
    counted = bulk.business_days_between_many(cal, starts, starts + np.timedelta64(7, "D"))
    assert counted.tolist() == [5, 5, 5]
    with pytest.raises(OutOfRangeError):
        bulk.business_days_between_many(cal, days, days[::-1])  # 1890 to 2026: 137 years


# -- hostile inputs ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "call",
    [
        lambda cal, t: cal.is_business_day(t),
        lambda cal, t: cal.next_business_day(t),
        lambda cal, t: cal.previous_business_day(t),
        lambda cal, t: cal.add_business_days(t, 1),
        lambda cal, t: cal.business_days_between(t, D(2026, 11, 30)),
        lambda cal, t: cal.business_days_between(D(2026, 11, 30), t),
        lambda cal, t: cal.is_business_day(t.replace(tzinfo=None)),
    ],
)
def test_a_datetime_is_refused_where_a_date_is_expected(
    cal: BusinessCalendar, call: Callable[[BusinessCalendar, datetime], object]
) -> None:
    """A datetime is a date subclass, but its date depends on a zone: a TypeError that says
    how to take the local date, never a silent guess."""
    with pytest.raises(TypeError, match=r"must be a datetime\.date.*astimezone"):
        call(cal, nov(23, 10))


def test_arrays_of_instants_are_refused(cal: BusinessCalendar) -> None:
    """datetime64[us] arrays are UTC instants, not local dates: a TypeError."""
    instants = np.array(["2026-11-23T10:00"], dtype="datetime64[us]")
    with pytest.raises(TypeError, match="datetime64"):
        bulk.add_business_days_many(cal, instants, 1)
    with pytest.raises(TypeError, match="datetime64"):
        bulk.business_days_between_many(cal, instants, _days("2026-11-30"))


def test_naive_datetimes_are_refused(cal: BusinessCalendar) -> None:
    """prev_open and prev_close name instants: a naive datetime is a NaiveDatetimeError."""
    naive = datetime(2026, 11, 24, 10)  # noqa: DTZ001 - the naive datetime under test
    with pytest.raises(NaiveDatetimeError):
        cal.prev_open(naive)
    with pytest.raises(NaiveDatetimeError):
        cal.prev_close(naive)


def test_years_outside_the_holiday_source(cal: BusinessCalendar) -> None:
    """The default desk answers 1890-2100: a date, or a result, outside is an OutOfRangeError."""
    far = D(2200, 1, 1)
    for call in (
        lambda: cal.is_business_day(far),
        lambda: cal.next_business_day(far),
        lambda: cal.previous_business_day(far),
        lambda: cal.add_business_days(far, 1),
        lambda: cal.business_days_between(D(2026, 1, 1), far),
        lambda: cal.business_days_between(far, D(2026, 1, 1)),
        lambda: cal.prev_open(sp(2200, 1, 1)),
        lambda: cal.prev_close(sp(2200, 1, 1)),
        lambda: cal.is_business_day(D(1889, 12, 31)),
    ):
        with pytest.raises(OutOfRangeError):
            call()
    # Fri 2100-12-31 is the last business day: the next one would be in 2101.
    assert cal.next_business_day(D(2100, 12, 30)) == D(2100, 12, 31)
    assert cal.add_business_days(D(2100, 12, 31), 0) == D(2100, 12, 31)
    with pytest.raises(OutOfRangeError):
        cal.next_business_day(D(2100, 12, 31))
    with pytest.raises(OutOfRangeError):
        cal.add_business_days(D(2100, 12, 31), 1)
    # Wed 1890-01-01 is a holiday: before Thu 1890-01-02 there is no business day to find.
    assert cal.previous_business_day(D(1890, 1, 3)) == D(1890, 1, 2)
    with pytest.raises(OutOfRangeError):
        cal.previous_business_day(D(1890, 1, 2))


def test_more_than_a_century_away(weekdays: BusinessCalendar) -> None:
    """Without holidays the years are 2-9997, but one question spans at most 100 years."""
    with pytest.raises(OutOfRangeError):
        weekdays.add_business_days(D(2026, 1, 5), 30_000)  # about 115 years
    with pytest.raises(OutOfRangeError):
        weekdays.add_business_days(D(2026, 1, 5), -30_000)
    with pytest.raises(OutOfRangeError):
        weekdays.business_days_between(D(2000, 1, 1), D(2150, 1, 1))
    with pytest.raises(OutOfRangeError):
        weekdays.business_days_between(D(2150, 1, 1), D(2000, 1, 1))


@pytest.mark.slow
@pytest.mark.parametrize("n", [10**9, -(10**9)])
def test_huge_n_fails_fast(cal: BusinessCalendar, weekdays: BusinessCalendar, n: int) -> None:
    """n = ±10**9 business days is millions of years: an OutOfRangeError at once, not after
    walking (a walk of 10**9 days would take hours; the bound leaves room for compiling)."""
    for calendar in (cal, weekdays):
        started = time.perf_counter()
        with pytest.raises(OutOfRangeError):
            calendar.add_business_days(D(2026, 11, 19), n)
        with pytest.raises(OutOfRangeError):
            bulk.add_business_days_many(calendar, _days("2026-11-19"), n)
        assert time.perf_counter() - started < 1.0


def test_questions_that_jump_between_far_years_keep_their_tables() -> None:
    """Alternating 2000 and 2040 builds each table once (a bench found it rebuilt per call),
    and a stream of far years keeps at most four tables."""
    from sla_clock._day_ops import day_cache

    cal = BusinessCalendar.create(country=None)
    cal.add_business_days(D(2040, 6, 1), 3)
    far = day_cache(cal).current
    cal.add_business_days(D(2000, 6, 1), 3)
    near = day_cache(cal).current
    cal.add_business_days(D(2040, 6, 1), 3)
    assert day_cache(cal).current is far
    cal.add_business_days(D(2000, 6, 1), 3)
    assert day_cache(cal).current is near
    for year in range(2100, 3000, 100):
        cal.add_business_days(D(year, 6, 1), 1)
    assert len(day_cache(cal)._tables) <= 4  # the bound on kept tables
