"""Algebraic laws of elapsed and add, checked on random calendars without the reference.

For ``d >= 0`` the contract defines ``add(t, d)`` as the earliest ``x >= t`` with
``elapsed(t, x) == d``, and ``add(t, -d)`` as the latest ``x <= t`` with
``elapsed(x, t) == d``; the laws below follow from those definitions alone.
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reference import from_us, to_us
from sla_clock import BusinessCalendar
from strategies import Case, bounded_durations, cases

ONE_US = 1


def _dt(us: int) -> datetime:
    return from_us(us, UTC)


def _us(value: datetime) -> int:
    return to_us(value)


def _covers_whole_day(day: tuple[tuple[int, int], ...]) -> bool:
    reached = 0
    for start, end in day:
        if start > reached:
            return False
        reached = max(reached, end)
    return reached == 86400


def _never_closes(cal: BusinessCalendar) -> bool:
    """True when the calendar is open around the clock with no holiday or override closing it."""
    return (
        cal.holidays.country is None
        and all(_covers_whole_day(day) for day in cal.hours.days)
        and all(_covers_whole_day(hours) for _, hours in cal.overrides)
    )


def _durations(data: st.DataObject, case: Case, count: int, *, negative: bool) -> list[int]:
    return [
        data.draw(bounded_durations(case, negative=negative), label="duration_us")
        for _ in range(count)
    ]


@pytest.mark.slow
@given(cases(size=3))
def test_elapsed_is_additive_and_antisymmetric(case: Case) -> None:
    """elapsed(a, c) == elapsed(a, b) + elapsed(b, c), elapsed(a, b) == -elapsed(b, a), and
    elapsed(a, a) == 0, for instants in any order."""
    cal = case.calendar
    a, b, c = case.instants
    assert cal.elapsed_us(a, c) == cal.elapsed_us(a, b) + cal.elapsed_us(b, c)
    assert cal.elapsed_us(a, b) == -cal.elapsed_us(b, a)
    assert cal.elapsed_us(a, a) == 0
    assert cal.elapsed(case.dt(0), case.dt(1)) == timedelta(microseconds=cal.elapsed_us(a, b))
    lo, hi = sorted((a, b))
    assert 0 <= cal.elapsed_us(lo, hi) <= hi - lo


@pytest.mark.slow
@given(st.data())
def test_add_then_elapsed_gives_the_duration_back(data: st.DataObject) -> None:
    """elapsed(t, add(t, d)) == d for every d (negative too), and add(t, 0) == t."""
    case = data.draw(cases(size=2))
    cal = case.calendar
    for t in case.instants:
        assert cal.add_us(t, 0) == t
        for d in _durations(data, case, 3, negative=True):
            x = cal.add_us(t, d)
            assert cal.elapsed_us(t, x) == d, (t, d, x)
            assert (x >= t) if d >= 0 else (x <= t)


@pytest.mark.slow
@given(st.data())
def test_add_is_the_earliest_or_latest_such_instant(data: st.DataObject) -> None:
    """A positive add is open just before its result (so never inside a closed period), and a
    negative add lands on an open instant (an opening, not the previous close)."""
    case = data.draw(cases(size=2))
    cal = case.calendar
    for t in case.instants:
        for d in _durations(data, case, 3, negative=False):
            if d == 0:
                continue
            x = cal.add_us(t, d)
            # Earliest: one microsecond less of open time than d at x - 1 µs.
            assert cal.elapsed_us(t, x - ONE_US) == d - 1
            assert cal.is_open(_dt(x - ONE_US))
            y = cal.add_us(t, -d)
            # Latest: y is open, so moving one microsecond later loses open time.
            assert cal.is_open(_dt(y)), (t, d, y)
            assert cal.elapsed_us(y + ONE_US, t) == d - 1


@pytest.mark.slow
@given(st.data())
def test_add_composes(data: st.DataObject) -> None:
    """add(add(t, d1), d2) == add(t, d1 + d2) when d1 and d2 have the same sign."""
    case = data.draw(cases(size=1))
    cal = case.calendar
    t = case.instants[0]
    d1, d2 = _durations(data, case, 2, negative=False)
    assert cal.add_us(cal.add_us(t, d1), d2) == cal.add_us(t, d1 + d2)
    assert cal.add_us(cal.add_us(t, -d1), -d2) == cal.add_us(t, -(d1 + d2))


@pytest.mark.slow
@given(st.data())
def test_add_is_monotonic_in_start_and_duration(data: st.DataObject) -> None:
    """add(t, d) never decreases when t or d grows, whatever the sign of d."""
    case = data.draw(cases(size=2))
    cal = case.calendar
    t1, t2 = sorted(case.instants)
    d1, d2 = sorted(_durations(data, case, 2, negative=True))
    assert cal.add_us(t1, d1) <= cal.add_us(t2, d1)
    assert cal.add_us(t1, d2) <= cal.add_us(t2, d2)
    assert cal.add_us(t1, d1) <= cal.add_us(t1, d2)
    assert cal.add_us(t2, d1) <= cal.add_us(t2, d2)


@pytest.mark.slow
@given(st.data())
def test_add_there_and_back(data: st.DataObject) -> None:
    """Going d forward then d back lands on next_open(t); going back then forward lands at or
    before t with no open time in between."""
    case = data.draw(cases(size=1))
    cal = case.calendar
    t = case.instants[0]
    (d,) = _durations(data, case, 1, negative=False)
    if d == 0:
        return
    there_and_back = cal.add_us(cal.add_us(t, d), -d)
    assert there_and_back == _us(cal.next_open(_dt(t)))
    back_and_there = cal.add_us(cal.add_us(t, -d), d)
    assert back_and_there <= t
    assert cal.elapsed_us(back_and_there, t) == 0


@pytest.mark.slow
@given(cases(size=2))
def test_next_open_and_next_close_bracket_an_open_period(case: Case) -> None:
    """next_open(t) is open and no open time lies between t and it; [next_open, next_close) is
    entirely open and next_close itself is closed."""
    cal = case.calendar
    for t in case.instants:
        opening = _us(cal.next_open(_dt(t)))
        assert opening >= t
        assert cal.elapsed_us(t, opening) == 0
        assert cal.is_open(_dt(opening))
        assert (opening == t) == cal.is_open(_dt(t))
        if _never_closes(cal):
            continue  # open around the clock with nothing to close it: there is no next close
        closing = _us(cal.next_close(_dt(t)))
        assert closing > opening
        assert cal.elapsed_us(opening, closing) == closing - opening
        assert not cal.is_open(_dt(closing))
        assert cal.is_open(_dt(closing - ONE_US))


@pytest.mark.slow
@given(cases(size=2))
def test_open_intervals_partition_the_open_time(case: Case) -> None:
    """open_intervals(a, b) are sorted, disjoint, non-touching, open inside and sum to
    elapsed(a, b)."""
    cal = case.calendar
    a, b = sorted(case.instants)
    pieces = [(_us(o), _us(c)) for o, c in cal.open_intervals(_dt(a), _dt(b))]
    assert sum(c - o for o, c in pieces) == cal.elapsed_us(a, b)
    for o, c in pieces:
        assert a <= o < c <= b
        assert cal.is_open(_dt(o))
        assert cal.is_open(_dt(c - ONE_US))
    for (_, c1), (o2, _) in itertools.pairwise(pieces):
        assert c1 < o2
        assert not cal.is_open(_dt(c1))
    assert list(cal.open_intervals(_dt(b), _dt(a))) == []
