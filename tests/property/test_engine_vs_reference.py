"""The engine against the day-walking reference, on random calendars and instants."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from reference import US_PER_HOUR, from_us, reference_for, to_us
from sla_clock import BusinessCalendar
from strategies import Case, bounded_durations, cases


def _check_zone(result: datetime, case: Case) -> None:
    """``result`` is on the calendar's clock, with the offset of the zone in force then."""
    assert result.tzinfo == case.calendar.zone, result
    us = to_us(result)
    in_force = reference_for(case.calendar).zone_at(us)
    assert result.utcoffset() == from_us(us, in_force).utcoffset(), result


@pytest.mark.slow
@given(cases(size=3))
def test_elapsed_and_open_intervals_match_reference(case: Case) -> None:
    """elapsed(a, b) is the open time in [a, b] (negative when b < a) and open_intervals(a, b)
    the merged open periods clipped to [a, b], to the microsecond."""
    ref = reference_for(case.calendar)
    for i, j in ((0, 1), (1, 0), (1, 2), (0, 2), (2, 2)):
        a, b = case.instants[i], case.instants[j]
        expected = ref.elapsed(a, b)
        assert case.calendar.elapsed(case.dt(i), case.dt(j)) == timedelta(microseconds=expected)
        assert case.calendar.elapsed_us(a, b) == expected
        got = list(case.calendar.open_intervals(case.dt(i), case.dt(j)))
        for opening, closing in got:
            _check_zone(opening, case)
            _check_zone(closing, case)
        assert [(to_us(o), to_us(c)) for o, c in got] == ref.open_intervals(a, b), (a, b)


@pytest.mark.slow
@given(st.data())
def test_add_matches_reference(data: st.DataObject) -> None:
    """add(t, d) matches the reference for positive, zero and negative d, also via add_us."""
    case = data.draw(cases(size=2))
    ref = reference_for(case.calendar)
    for index, t in enumerate(case.instants):
        for _ in range(2):
            d = data.draw(bounded_durations(case), label="duration_us")
            expected = ref.add(t, d)
            assert expected is not None, "the strategy must give calendars with enough open time"
            result = case.calendar.add(case.dt(index), timedelta(microseconds=d))
            _check_zone(result, case)
            assert to_us(result) == expected, (t, d, result)
            assert case.calendar.add_us(t, d) == expected
    # Durations measured between the instants themselves hit interval ends exactly.
    a, b = case.instants
    d = ref.elapsed(a, b)
    assert case.calendar.add_us(a, d) == ref.add(a, d)
    assert case.calendar.add_us(b, -d) == ref.add(b, -d)


@pytest.mark.slow
@given(cases(size=3))
def test_is_open_and_next_open_match_reference(case: Case) -> None:
    """is_open(t) and next_open(t) match the reference at every instant."""
    ref = reference_for(case.calendar)
    for index, t in enumerate(case.instants):
        assert case.calendar.is_open(case.dt(index)) == ref.is_open(t), t
        expected = ref.next_open(t)
        assert expected is not None
        result = case.calendar.next_open(case.dt(index))
        _check_zone(result, case)
        assert to_us(result) == expected, (t, result)


@pytest.mark.slow
@given(cases(size=3))
def test_next_close_matches_reference(case: Case) -> None:
    """next_close(t) is the end of the (merged) open period containing t, or of the next one."""
    ref = reference_for(case.calendar)
    for index, t in enumerate(case.instants):
        expected = ref.next_close(t)
        # A desk open around the clock with nothing closing it has no next close at all.
        assume(expected is not None)
        result = case.calendar.next_close(case.dt(index))
        _check_zone(result, case)
        assert to_us(result) == expected, (t, result)


# -- the default calendar on thousands of instants ------------------------------------------

SAMPLE_SIZE = 5000
FIRST = to_us(datetime(2015, 1, 1, tzinfo=UTC))
LAST = to_us(datetime(2036, 1, 1, tzinfo=UTC))


def _sp(us: int) -> datetime:
    return (datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=us)).astimezone(
        ZoneInfo("America/Sao_Paulo")
    )


@pytest.mark.slow
def test_default_calendar_matches_reference_on_thousands_of_instants() -> None:
    """The default desk agrees with the reference on 5000 seeded random instants, 2015-2035."""
    cal = BusinessCalendar.default()
    ref = reference_for(cal)
    rng = random.Random(20261124)
    wrong: list[str] = []
    for _ in range(SAMPLE_SIZE):
        t = rng.randrange(FIRST, LAST)
        if rng.random() < 0.4:  # a wall-clock boundary of the desk, give or take 1 µs
            wall = _sp(t).replace(
                hour=rng.choice((0, 9, 12, 18)), minute=0, second=0, microsecond=0
            )
            t = to_us(wall) + rng.choice((-1, 0, 1))
        u = t + rng.randrange(-200 * US_PER_HOUR, 200 * US_PER_HOUR)
        d = rng.choice(
            (
                rng.randrange(-100 * US_PER_HOUR, 100 * US_PER_HOUR),
                rng.randrange(-100, 100) * US_PER_HOUR,
                rng.choice((4, 12, 40, 48)) * US_PER_HOUR,
            )
        )
        checks = {
            "is_open": (cal.is_open(_sp(t)), ref.is_open(t)),
            "next_open": (to_us(cal.next_open(_sp(t))), ref.next_open(t)),
            "next_close": (to_us(cal.next_close(_sp(t))), ref.next_close(t)),
            "elapsed": (cal.elapsed_us(t, u), ref.elapsed(t, u)),
            "add": (to_us(cal.add(_sp(t), timedelta(microseconds=d))), ref.add(t, d)),
            "open_intervals": (
                [(to_us(o), to_us(c)) for o, c in cal.open_intervals(_sp(t), _sp(u))],
                ref.open_intervals(t, u),
            ),
        }
        wrong.extend(
            f"{name}({_sp(t).isoformat()}, u={u}, d={d}): got {got}, expected {want}"
            for name, (got, want) in checks.items()
            if got != want
        )
    assert not wrong, f"{len(wrong)} mismatches, first: {wrong[:5]}"


@pytest.mark.slow
def test_default_calendar_matches_reference_at_every_hour_of_2018() -> None:
    """The default desk agrees with the reference around every whole hour of 2018 (DST year)."""
    cal = BusinessCalendar.default()
    ref = reference_for(cal)
    t = to_us(datetime(2018, 1, 1, tzinfo=ZoneInfo("America/Sao_Paulo")))
    stop = to_us(datetime(2019, 1, 1, tzinfo=ZoneInfo("America/Sao_Paulo")))
    wrong = []
    while t < stop:
        if (
            cal.is_open(_sp(t)) != ref.is_open(t)
            or cal.is_open(_sp(t - 1)) != ref.is_open(t - 1)
            or cal.elapsed_us(t, t + US_PER_HOUR) != ref.elapsed(t, t + US_PER_HOUR)
        ):
            wrong.append(_sp(t).isoformat())
        t += US_PER_HOUR
    assert not wrong, wrong[:5]


def _wall(
    year: int,
    month: int,
    day: int,
    hour: int = 0,
    minute: int = 0,
    second: int = 0,
    microsecond: int = 0,
) -> int:
    sp = ZoneInfo("America/Sao_Paulo")
    return to_us(datetime(year, month, day, hour, minute, second, microsecond, tzinfo=sp))


@pytest.mark.parametrize(
    ("start", "hours", "expected"),
    [
        # The worked examples of DESIGN.md, for the reference itself.
        ((2026, 11, 19, 17), 4, (2026, 11, 23, 12)),
        ((2026, 12, 31, 16), 12, (2027, 1, 5, 10)),
        ((2026, 11, 28, 10), 1, (2026, 11, 30, 10)),
        ((2026, 11, 24, 9), 9, (2026, 11, 24, 18)),
        ((2026, 11, 27, 18), 0, (2026, 11, 27, 18)),
        ((2026, 11, 24, 9), -1, (2026, 11, 23, 17)),
    ],
)
def test_reference_follows_the_design_examples(
    start: tuple[int, ...], hours: int, expected: tuple[int, ...]
) -> None:
    """The reference reproduces every add() example of DESIGN.md on the default desk."""
    ref = reference_for(BusinessCalendar.default())
    assert ref.add(_wall(*start), hours * US_PER_HOUR) == _wall(*expected)


def test_reference_sanity_by_hand() -> None:
    """The reference gives hand-computed answers: a 9 h Tuesday, DESIGN's 1 h over a holiday,
    a 23 h São Paulo DST Sunday, and [open, close) membership."""
    ref = reference_for(BusinessCalendar.default())
    assert ref.elapsed(_wall(2026, 11, 24), _wall(2026, 11, 25)) == 9 * US_PER_HOUR
    assert ref.elapsed(_wall(2026, 11, 20, 10), _wall(2026, 11, 23, 10)) == US_PER_HOUR
    assert ref.elapsed(_wall(2026, 11, 23, 10), _wall(2026, 11, 20, 10)) == -US_PER_HOUR
    assert ref.is_open(_wall(2026, 11, 24, 9))
    assert not ref.is_open(_wall(2026, 11, 24, 18))
    assert ref.next_open(_wall(2026, 11, 24, 18)) == _wall(2026, 11, 25, 9)
    assert ref.next_close(_wall(2026, 11, 24, 18)) == _wall(2026, 11, 25, 18)
    sunday = reference_for(BusinessCalendar.create(hours={"sun": "00:00-24:00"}, country=None))
    assert sunday.elapsed(_wall(2018, 11, 3), _wall(2018, 11, 6)) == 23 * US_PER_HOUR
