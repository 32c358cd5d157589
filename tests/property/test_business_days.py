"""Business days, ``prev_open`` and ``prev_close`` against the day-walking reference.

Random calendars from ``strategies.py`` (pool calendars and fresh ones: DST zones, holidays,
closed, partial and extra open dates near the dates tested), dates taken from instants near
those overrides (local dates of the calendar's zone), and microsecond instants that often sit
exactly on an opening or a closing. Besides the reference: the laws that follow from the
definitions, the vectorised functions of ``sla_clock.bulk`` element by element against the
scalar methods, and NumPy's own ``busday_offset`` / ``busday_count`` on the calendars NumPy
can express (a weekmask and a holidays list).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from day_reference import DayReference, day_reference_for
from reference import from_us, to_us
from sla_clock import BusinessCalendar, OutOfRangeError, bulk
from strategies import DAY_NAMES, ZONES, Case, cases

#: Business-day offsets: about six weeks either way, and 0 often.
OFFSETS = st.one_of(st.integers(-30, 30), st.just(0))
#: Half the profile's examples (25 in ``dev``, 150 in ``ci``): each example draws several dates
#: and instants, and walks the reference over them.
FEW = settings(max_examples=max(1, settings().max_examples // 2), deadline=None)


def _dates(case: Case) -> list[date]:
    """The local dates, in the calendar's zone, of the case's instants."""
    zone = ZoneInfo(case.calendar.timezone)
    return [from_us(t, zone).date() for t in case.instants]


def _utc(us: int) -> datetime:
    return from_us(us, UTC)


def _check_zone(result: datetime, case: Case) -> None:
    assert result.tzinfo == case.calendar.zone, result


def _interesting_instants(case: Case, ref: DayReference) -> list[int]:
    """The case's instants, and the openings and closings around them, give or take 1 µs."""
    found = set(case.instants)
    for t in case.instants:
        for edge in (ref.prev_open(t), ref.prev_close(t), ref.ref.next_open(t)):
            if edge is not None:
                found.update((edge - 1, edge, edge + 1))
        close = ref.ref.next_close(t)
        if close is not None:
            found.update((close - 1, close, close + 1))
    return sorted(found)


# -- the reference ------------------------------------------------------------------------------


@pytest.mark.slow
@FEW
@given(cases(size=4))
def test_is_next_and_previous_business_day_match_reference(case: Case) -> None:
    """is_business_day, next_business_day and previous_business_day agree with the date walk."""
    cal, ref = case.calendar, day_reference_for(case.calendar)
    for day in _dates(case):
        assert cal.is_business_day(day) == ref.is_business_day(day), day
        assert cal.next_business_day(day) == ref.next_business_day(day), day
        assert cal.previous_business_day(day) == ref.previous_business_day(day), day


@pytest.mark.slow
@FEW
@given(cases(size=3), st.lists(OFFSETS, min_size=3, max_size=3))
def test_add_business_days_matches_reference(case: Case, offsets: list[int]) -> None:
    """add_business_days(d, n) is busday_offset(d, n, roll="forward") of the date walk."""
    cal, ref = case.calendar, day_reference_for(case.calendar)
    for day, n in zip(_dates(case), offsets, strict=True):
        for k in (n, 0, -n):
            assert cal.add_business_days(day, k) == ref.add_business_days(day, k), (day, k)


@pytest.mark.slow
@FEW
@given(cases(size=3))
def test_business_days_between_matches_reference(case: Case) -> None:
    """business_days_between(a, b) counts the business days of [a, b), minus when b < a."""
    cal, ref = case.calendar, day_reference_for(case.calendar)
    days = _dates(case)
    for a in days:
        for b in days:
            assert cal.business_days_between(a, b) == ref.business_days_between(a, b), (a, b)


@pytest.mark.slow
@FEW
@given(cases(size=3))
def test_prev_open_and_prev_close_match_reference(case: Case) -> None:
    """prev_open(t) and prev_close(t) are the latest period start and end <= t, to the
    microsecond, also exactly at (and 1 µs around) an opening or a closing."""
    cal, ref = case.calendar, day_reference_for(case.calendar)
    zone = ZoneInfo(cal.timezone)
    for t in _interesting_instants(case, ref):
        when = from_us(t, zone)
        for name, expected in (("prev_open", ref.prev_open(t)), ("prev_close", ref.prev_close(t))):
            method = getattr(cal, name)
            if expected is None:  # a desk open around the clock since before the window
                with pytest.raises(OutOfRangeError):
                    method(when)
                continue
            result = method(when)
            _check_zone(result, case)
            assert to_us(result) == expected, (name, when.isoformat(), result.isoformat())


# -- laws -----------------------------------------------------------------------------------------


@pytest.mark.slow
@FEW
@given(cases(size=3), st.lists(OFFSETS, min_size=3, max_size=3))
def test_between_undoes_add_business_days(case: Case, offsets: list[int]) -> None:
    """business_days_between(d, add_business_days(d, n)) == n for every business day d, and
    from the rolled-forward date (add_business_days(d, 0)) for any d."""
    cal = case.calendar
    for day, n in zip(_dates(case), offsets, strict=True):
        rolled = cal.add_business_days(day, 0)
        assert cal.is_business_day(rolled)
        assert rolled >= day
        assert cal.business_days_between(rolled, cal.add_business_days(day, n)) == n, (day, n)
        if cal.is_business_day(day):
            assert rolled == day
            assert cal.business_days_between(day, cal.add_business_days(day, n)) == n, (day, n)


@pytest.mark.slow
@FEW
@given(cases(size=3))
def test_between_is_antisymmetric_and_additive(case: Case) -> None:
    """between(b, a) == -between(a, b), between(a, a) == 0, and between(a, c) ==
    between(a, b) + between(b, c) whatever the order of a, b, c."""
    cal = case.calendar
    a, b, c = _dates(case)
    assert cal.business_days_between(a, a) == 0
    assert cal.business_days_between(b, a) == -cal.business_days_between(a, b)
    assert cal.business_days_between(a, c) == (
        cal.business_days_between(a, b) + cal.business_days_between(b, c)
    )


@pytest.mark.slow
@FEW
@given(cases(size=3))
def test_next_and_previous_business_day_laws(case: Case) -> None:
    """previous_business_day(next_business_day(d)) <= d (== d on a business day), the dates
    strictly between are closed, and next/previous are add_business_days(+-1) on business days."""
    cal = case.calendar
    for day in _dates(case):
        after, before = cal.next_business_day(day), cal.previous_business_day(day)
        assert before < day < after
        assert cal.is_business_day(after)
        assert cal.is_business_day(before)
        assert cal.previous_business_day(after) <= day
        assert cal.next_business_day(before) >= day
        assert cal.business_days_between(day + timedelta(days=1), after) == 0
        assert cal.business_days_between(before + timedelta(days=1), day) == 0
        if cal.is_business_day(day):
            assert cal.previous_business_day(after) == day
            assert cal.next_business_day(before) == day
            assert cal.add_business_days(day, 1) == after
            assert cal.add_business_days(day, -1) == before


@pytest.mark.slow
@FEW
@given(cases(size=3))
def test_prev_open_and_prev_close_laws(case: Case) -> None:
    """prev_open(t) <= t is an opening (open there, closed 1 µs before) and prev_close(t) <= t
    a closing (closed there, open 1 µs before); no edge of either kind lies between them and t:
    the desk is open throughout [prev_open(t), t] when prev_close(t) < prev_open(t), and
    closed throughout [prev_close(t), t] otherwise."""
    cal = case.calendar
    for index in range(len(case.instants)):
        t = case.dt(index)
        try:
            opening = cal.prev_open(t)
            closing = cal.prev_close(t)
        except OutOfRangeError:
            # Only a desk without holidays can be open around the clock for decades.
            assert cal.holidays.country is None
            continue
        # Compared and shifted as epoch microseconds: two datetimes of one ZoneInfo compare,
        # subtract and add as wall times (fold ignored), not as instants.
        t_us, open_us, close_us = to_us(t), to_us(opening), to_us(closing)
        assert open_us <= t_us
        assert close_us <= t_us
        assert cal.is_open(opening)
        assert not cal.is_open(_utc(open_us - 1))
        assert not cal.is_open(closing)
        assert cal.is_open(_utc(close_us - 1))
        assert close_us != open_us
        if close_us < open_us:
            assert cal.elapsed_us(open_us, t_us) == t_us - open_us
        else:
            assert cal.elapsed_us(close_us, t_us) == 0
        assert to_us(cal.prev_open(opening)) == open_us
        assert to_us(cal.prev_close(closing)) == close_us


# -- vectorised == scalar ----------------------------------------------------------------------


def _day_array(days: Sequence[date | None]) -> np.ndarray:
    """A datetime64[D] array of local dates, None as NaT."""
    return np.array(["NaT" if d is None else d.isoformat() for d in days], dtype="datetime64[D]")


def _as_date(value: np.datetime64) -> date | None:
    return None if np.isnat(value) else date.fromisoformat(str(value.astype("datetime64[D]")))


def _with_nat(data: st.DataObject, days: list[date], label: str) -> list[date | None]:
    """Replace a random few of ``days`` (often none) by None, written as NaT."""
    holes = data.draw(st.sets(st.integers(0, len(days) - 1), max_size=2), label=label)
    return [None if i in holes else d for i, d in enumerate(days)]


@pytest.mark.slow
@FEW
@given(st.integers(1, 30).flatmap(lambda n: cases(size=n)), st.data())
def test_add_business_days_many_matches_scalar(case: Case, data: st.DataObject) -> None:
    """add_business_days_many(cal, days, n)[i] == add_business_days(days[i], n[i]), with n an
    int array or one int for every date; NaT in gives NaT out."""
    cal = case.calendar
    days = _with_nat(data, _dates(case), "NaT at")
    offsets = data.draw(st.lists(OFFSETS, min_size=len(days), max_size=len(days)), label="n")

    def scalar(day: date | None, n: int) -> date | None:
        return None if day is None else cal.add_business_days(day, n)

    got = bulk.add_business_days_many(cal, _day_array(days), np.array(offsets, dtype=np.int64))
    assert got.dtype == np.dtype("datetime64[D]")
    assert got.shape == (len(days),)
    expected = [scalar(d, n) for d, n in zip(days, offsets, strict=True)]
    assert [_as_date(v) for v in got] == expected
    one = offsets[0]
    got_one = bulk.add_business_days_many(cal, _day_array(days), one)
    assert [_as_date(v) for v in got_one] == [scalar(d, one) for d in days]


@pytest.mark.slow
@FEW
@given(st.integers(1, 30).flatmap(lambda n: cases(size=n)), st.data())
def test_business_days_between_many_matches_scalar(case: Case, data: st.DataObject) -> None:
    """business_days_between_many(cal, starts, ends)[i] == business_days_between(starts[i],
    ends[i]), for pairs in either order; a NaT at either end counts NAT."""
    cal = case.calendar
    dates = _dates(case)
    starts = _with_nat(data, dates, "NaT among starts")
    ends = _with_nat(data, data.draw(st.permutations(dates), label="ends"), "NaT among ends")
    got = bulk.business_days_between_many(cal, _day_array(starts), _day_array(ends))
    assert got.dtype == np.dtype(np.int64)
    assert got.shape == (len(starts),)
    expected = [
        bulk.NAT if a is None or b is None else cal.business_days_between(a, b)
        for a, b in zip(starts, ends, strict=True)
    ]
    assert got.tolist() == expected


# -- NumPy's own busday functions ------------------------------------------------------------

#: Weekday hours NumPy can express: all of them keep open time on every date (no DST gap).
PLAIN_HOURS = (["09:00-18:00"], ["08:00-12:00", "13:00-17:00"], ["10:00-10:01"])


@st.composite
def numpy_calendars(draw: st.DrawFn) -> tuple[BusinessCalendar, str, list[date], date]:
    """A calendar NumPy can express: hours on some weekdays, no country, closed dates.

    Returns the calendar, its NumPy weekmask, its closed dates and a date near them.
    """
    open_days = draw(st.lists(st.booleans(), min_size=7, max_size=7).filter(any))
    hours = {
        name: draw(st.sampled_from(PLAIN_HOURS))
        for name, is_open in zip(DAY_NAMES, open_days, strict=True)
        if is_open
    }
    around = draw(st.dates(date(2015, 1, 1), date(2035, 12, 31)))
    offsets = draw(st.lists(st.integers(-40, 40), unique=True, max_size=10))
    closed = [around + timedelta(days=o) for o in offsets]
    cal = BusinessCalendar.create(
        hours=hours, timezone=draw(st.sampled_from(ZONES)), country=None
    ).with_closed(*closed)
    weekmask = "".join("1" if is_open else "0" for is_open in open_days)
    return cal, weekmask, closed, around


@pytest.mark.slow
@FEW
@given(numpy_calendars(), st.lists(st.integers(-45, 45), min_size=6, max_size=6), st.data())
def test_matches_numpy_busday_functions(
    drawn: tuple[BusinessCalendar, str, list[date], date], shifts: list[int], data: st.DataObject
) -> None:
    """On a weekmask-and-holidays calendar, add_business_days is numpy.busday_offset(...,
    roll="forward") and business_days_between is numpy.busday_count for start <= end."""
    cal, weekmask, closed, around = drawn
    holidays = _day_array(closed) if closed else np.array([], dtype="datetime64[D]")
    busdays = np.busdaycalendar(weekmask=weekmask, holidays=holidays)
    days = [around + timedelta(days=s) for s in shifts]
    for day in days:
        n = data.draw(OFFSETS, label="n")
        expected = np.busday_offset(np.datetime64(day), n, roll="forward", busdaycal=busdays)
        assert cal.add_business_days(day, n) == _as_date(expected), (day, n)
        assert cal.is_business_day(day) == bool(np.is_busday(np.datetime64(day), busdaycal=busdays))
    for a in days:
        for b in days:
            if a <= b:
                expected_count = int(
                    np.busday_count(np.datetime64(a), np.datetime64(b), busdaycal=busdays)
                )
                assert cal.business_days_between(a, b) == expected_count, (a, b)


# -- the reference itself -----------------------------------------------------------------------


@FEW
@given(numpy_calendars(), st.lists(st.integers(-45, 45), min_size=4, max_size=4), st.data())
def test_day_reference_matches_numpy(
    drawn: tuple[BusinessCalendar, str, list[date], date], shifts: list[int], data: st.DataObject
) -> None:
    """The day reference agrees with numpy.busday_offset / busday_count / is_busday wherever
    NumPy can express the calendar, so its rules are NumPy's."""
    cal, weekmask, closed, around = drawn
    holidays = _day_array(closed) if closed else np.array([], dtype="datetime64[D]")
    busdays = np.busdaycalendar(weekmask=weekmask, holidays=holidays)
    ref = day_reference_for(cal)
    days = [around + timedelta(days=s) for s in shifts]
    for day in days:
        n = data.draw(OFFSETS, label="n")
        expected = np.busday_offset(np.datetime64(day), n, roll="forward", busdaycal=busdays)
        assert ref.add_business_days(day, n) == _as_date(expected), (day, n)
        assert ref.is_business_day(day) == bool(np.is_busday(np.datetime64(day), busdaycal=busdays))
    for a in days:
        for b in days:
            if a <= b:
                count = np.busday_count(np.datetime64(a), np.datetime64(b), busdaycal=busdays)
                assert ref.business_days_between(a, b) == int(count), (a, b)


def test_day_reference_by_hand() -> None:
    """The day reference gives the hand-counted answers of the default desk (Nov 20 2026 is a
    holiday, 21-22 a weekend) and of a New York Sunday lost in the DST gap."""
    ref = day_reference_for(BusinessCalendar.default())
    zone = ZoneInfo("America/Sao_Paulo")

    def at(day: int, hour: int) -> int:
        return to_us(datetime(2026, 11, day, hour, tzinfo=zone))

    assert not ref.is_business_day(date(2026, 11, 20))
    assert ref.next_business_day(date(2026, 11, 19)) == date(2026, 11, 23)
    assert ref.previous_business_day(date(2026, 11, 23)) == date(2026, 11, 19)
    assert ref.add_business_days(date(2026, 11, 19), 5) == date(2026, 11, 27)
    assert ref.add_business_days(date(2026, 11, 21), 0) == date(2026, 11, 23)
    assert ref.add_business_days(date(2026, 11, 21), -1) == date(2026, 11, 19)
    assert ref.business_days_between(date(2026, 11, 21), date(2026, 11, 30)) == 5
    assert ref.business_days_between(date(2026, 11, 30), date(2026, 11, 21)) == -5
    assert ref.business_days_between(date(2026, 1, 1), date(2027, 1, 1)) == 252
    assert ref.prev_open(at(24, 10)) == at(24, 9)
    assert ref.prev_open(at(24, 9)) == at(24, 9)
    assert ref.prev_open(at(24, 9) - 1) == at(23, 9)
    assert ref.prev_open(at(24, 18)) == at(24, 9)
    assert ref.prev_close(at(24, 18)) == at(24, 18)
    assert ref.prev_close(at(24, 18) - 1) == at(23, 18)
    assert ref.prev_close(at(24, 10)) == at(23, 18)
    assert ref.prev_open(at(21, 12)) == at(19, 9)
    assert ref.prev_close(at(21, 12)) == at(19, 18)
    ny = BusinessCalendar.create(
        hours={"sun": "02:00-03:00"}, timezone="America/New_York", country=None
    )
    ny_ref = day_reference_for(ny)
    assert not ny_ref.is_business_day(date(2026, 3, 8))
    assert ny_ref.next_business_day(date(2026, 3, 1)) == date(2026, 3, 15)
    always = day_reference_for(
        BusinessCalendar.create(hours={"mon-sun": "00:00-24:00"}, country=None)
    )
    assert always.prev_open(at(24, 10)) is None
