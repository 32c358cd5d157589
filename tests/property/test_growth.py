"""Timeline growth changes costs, never answers.

A calendar compiles its open time in islands of years, grows them geometrically, starts new
ones for far dates and evicts old ones. None of that may show in an answer: a fresh calendar
and one that first answered far-away questions (forward, backward, long deadlines, refused
questions) give the same results and the same errors. Every island kept is exactly the table
its years compile to at once, within the size and memory bounds.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reference import US_PER_HOUR, to_us
from sla_clock import BusinessCalendar, SlaClockError
from sla_clock._islands import KEPT_YEARS, MAX_SPAN_YEARS, TimelineCache
from sla_clock.bulk import add_many_us, elapsed_many_us
from strategies import COUNTRIES, ZONES, calendars, instants_us

Outcome = tuple[str, object]

#: Instants far from the strategies' 2015-2035: before and after, near the holiday range's
#: ends (1890, 2100) and, for calendars without holidays, far beyond.
FAR_US = st.one_of(
    st.integers(to_us(datetime(1880, 1, 1, tzinfo=UTC)), to_us(datetime(2110, 1, 1, tzinfo=UTC))),
    st.integers(to_us(datetime(2200, 1, 1, tzinfo=UTC)), to_us(datetime(9990, 1, 1, tzinfo=UTC))),
)
#: Warm-up durations: up to ten years of a 9-hour weekday desk, either way.
LONG_US = st.integers(-20_000 * US_PER_HOUR, 20_000 * US_PER_HOUR)
SHORT_US = st.integers(-300 * US_PER_HOUR, 300 * US_PER_HOUR)


def outcome(call: Callable[..., object], *args: object) -> Outcome:
    """The answer of ``call(*args)``, or its error class and message."""
    try:
        return ("ok", call(*args))
    except SlaClockError as exc:
        return (type(exc).__name__, str(exc))


def twin(calendar: BusinessCalendar) -> BusinessCalendar:
    """An equal calendar with a fresh, empty timeline cache."""
    return BusinessCalendar(
        calendar.hours, calendar.timezone, calendar.holidays, calendar.overrides
    )


def check_islands(cache: TimelineCache) -> None:
    """Each island is its years compiled at once, and the bounds hold."""
    assert cache.kept_years() <= KEPT_YEARS
    for island in cache.islands:
        assert 1 <= island.years <= MAX_SPAN_YEARS
        direct = cache._assemble(island.first_year, island.last_year, None)
        assert (island.lo, island.hi) == (direct.lo, direct.hi)
        assert island.starts == direct.starts
        assert island.ends == direct.ends
        assert island.cumend == direct.cumend


@st.composite
def warm_ups(draw: st.DrawFn) -> list[tuple[str, int, int]]:
    """A few questions that grow a calendar's timeline in various ways."""
    kinds = st.sampled_from(("add", "add", "elapsed", "bulk", "next_close"))
    return draw(
        st.lists(
            st.tuples(kinds, FAR_US, st.one_of(LONG_US, SHORT_US)),
            min_size=1,
            max_size=4,
        )
    )


def _bulk_add(calendar: BusinessCalendar, starts: list[int], d: int) -> list[int]:
    return list(add_many_us(calendar, starts, d).tolist())


def _bulk_elapsed(calendar: BusinessCalendar, starts: list[int], ends: list[int]) -> list[int]:
    return list(elapsed_many_us(calendar, starts, ends).tolist())


def _next_close(calendar: BusinessCalendar, t: int) -> object:
    return calendar.next_close(calendar.from_us(t))


def ask(calendar: BusinessCalendar, kind: str, t: int, d: int) -> Outcome:
    """Ask one warm-up question of ``calendar``."""
    if kind == "add":
        return outcome(calendar.add_us, t, d)
    if kind == "elapsed":
        return outcome(calendar.elapsed_us, t, t + d)
    if kind == "bulk":
        return outcome(_bulk_add, calendar, [t, t + abs(d) // 3], d)
    return outcome(_next_close, calendar, t)


# Each example compiles tens of years several times over, so fewer examples than elsewhere.
@pytest.mark.slow
@settings(deadline=None, max_examples=15)
@given(st.data())
def test_answers_do_not_depend_on_earlier_questions(data: st.DataObject) -> None:
    """After far-away and long questions, a calendar answers exactly as a fresh twin."""
    calendar = data.draw(calendars(), label="calendar")
    warm = twin(calendar)
    asked = data.draw(warm_ups(), label="warm-ups")
    for kind, t, d in asked:
        assert ask(warm, kind, t, d) == ask(twin(calendar), kind, t, d)
        check_islands(warm._cache)
    starts = data.draw(st.lists(instants_us(calendar.timezone), min_size=1, max_size=4))
    for t in starts:
        d = data.draw(st.one_of(SHORT_US, LONG_US), label="d")
        assert outcome(warm.add_us, t, d) == outcome(twin(calendar).add_us, t, d)
        year_start = st.integers(1880, 2130).map(warm._cache._year_start)  # coverage edges
        end_choices = st.one_of(instants_us(calendar.timezone), FAR_US, year_start)
        end = data.draw(end_choices, label="end")
        assert outcome(warm.elapsed_us, t, end) == outcome(twin(calendar).elapsed_us, t, end)
    ends = starts[::-1]
    assert outcome(_bulk_elapsed, warm, starts, ends) == outcome(
        _bulk_elapsed, twin(calendar), starts, ends
    )
    check_islands(warm._cache)


#: Light weekly hours for the span test, which compiles a century per example.
LIGHT_HOURS = (
    {"mon-fri": "09:00-18:00"},
    {"mon-fri": ["09:00-12:00", "13:00-18:00"]},
    {"mon": "09:00-09:01"},
    {"mon-sun": "00:00-24:00"},
    {"sat": "22:00-24:00", "sun": "00:00-02:00"},
)


@pytest.mark.slow
@settings(deadline=None, max_examples=10)
@given(st.data())
def test_the_span_bound_does_not_depend_on_earlier_questions(data: st.DataObject) -> None:
    """Deadlines at the edge of 100 local years get the fresh calendar's answer or error."""
    calendar = BusinessCalendar.create(
        hours=data.draw(st.sampled_from(LIGHT_HOURS), label="hours"),
        timezone=data.draw(st.sampled_from(ZONES), label="zone"),
        country=data.draw(st.sampled_from(COUNTRIES), label="country"),
    )
    t = data.draw(instants_us(calendar.timezone), label="start")
    forward = data.draw(st.booleans(), label="forward")
    fresh = twin(calendar)
    cache = fresh._cache
    year = cache.year_at(t)
    first, last = calendar.year_range
    # The open time from t to the end (or start) of the 100 local years that hold t.
    if forward:
        edge = cache._year_start(year + MAX_SPAN_YEARS) - 1
        inside = year + MAX_SPAN_YEARS - 1 <= last
        boundary = outcome(fresh.elapsed_us, t, edge)
    else:
        edge = cache._year_start(year - MAX_SPAN_YEARS + 1)
        inside = year - MAX_SPAN_YEARS + 1 >= first
        boundary = outcome(fresh.elapsed_us, edge, t)
    assert boundary[0] == ("ok" if inside else "OutOfRangeError")
    if not inside:
        return
    assert isinstance(boundary[1], int)
    week = 7 * 24 * US_PER_HOUR
    d = data.draw(
        st.one_of(
            st.sampled_from((-1, 0, 1, 2)),
            st.integers(-week, week),
        ).map(lambda off: boundary[1] + off),  # type: ignore[operator]  # an int, checked
        label="d",
    )
    if d <= 0:
        return
    d = d if forward else -d
    warm = twin(calendar)
    # Warm up with questions far away and one whose island starts 40 years before t.
    for kind, w, wd in data.draw(warm_ups(), label="warm-ups"):
        ask(warm, kind, w, wd)
    ask(warm, "add", t - 40 * 365 * 24 * US_PER_HOUR, 50 * 365 * 24 * US_PER_HOUR)
    got = outcome(warm.add_us, t, d)
    assert got == outcome(twin(calendar).add_us, t, d)
    if abs(d) <= boundary[1]:
        assert got[0] == "ok"  # 100 consecutive local years are always answered
    check_islands(warm._cache)
