"""Costs are bounded: no input makes a call hang or compile years it does not need.

The structure of the compiled timeline is checked, never the time a call takes: which years
are compiled (islands), how many are kept, and how much was rebuilt on the way to an answer.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from reference import reference_for, to_us
from sla_clock import BusinessCalendar, CalendarConfigError, OutOfRangeError
from sla_clock._islands import KEPT_YEARS, MAX_PERIODS, MAX_SPAN_YEARS, TimelineCache
from sla_clock._timeline import Timeline
from sla_clock.bulk import add_many_us, elapsed_many_us
from support import sp

H = timedelta(hours=1)
US = timedelta(microseconds=1)


def no_holidays() -> BusinessCalendar:
    """The default hours without country holidays: every year 2-9997 is answerable."""
    return BusinessCalendar.create(country=None)


def cache_of(cal: BusinessCalendar) -> TimelineCache:
    return cal._cache


def kept(cal: BusinessCalendar) -> list[tuple[int, int]]:
    """The (first, last) years of every island the calendar keeps compiled, sorted."""
    return sorted((island.first_year, island.last_year) for island in cache_of(cal).islands)


@pytest.fixture
def built(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Record the years covered by every timeline table built while the test runs."""
    sizes: list[int] = []
    original = Timeline.__init__

    def counting(self: Timeline, *args: object, **kwargs: object) -> None:
        original(self, *args, **kwargs)  # type: ignore[arg-type]  # forwarded as given
        if self.last_year >= self.first_year:
            sizes.append(self.last_year - self.first_year + 1)

    monkeypatch.setattr(Timeline, "__init__", counting)
    return sizes


# -- far dates -----------------------------------------------------------------------------------


def test_a_far_date_compiles_only_the_years_around_it() -> None:
    """After a query in 2026, one in 9026 compiles the chunk around 9026, not 7,000 years."""
    cal = no_holidays()
    assert cal.add(sp(2026, 11, 24, 10), H) == sp(2026, 11, 24, 11)
    assert cal.add(sp(9026, 1, 5, 10), H) == sp(9026, 1, 5, 11)
    current = cache_of(cal).current
    assert current.first_year <= 9026 <= current.last_year
    assert current.years <= 16
    assert cache_of(cal).kept_years() <= 32
    assert all(first <= 2026 <= last or first <= 9026 <= last for first, last in kept(cal))
    # Back to 2026: the island kept for it answers, nothing new is compiled.
    islands = set(map(id, cache_of(cal).islands))
    assert cal.add(sp(2026, 11, 24, 10), H) == sp(2026, 11, 24, 11)
    assert set(map(id, cache_of(cal).islands)) == islands


@pytest.mark.slow
def test_far_dates_one_after_another_keep_memory_bounded() -> None:
    """However many far years are asked, at most KEPT_YEARS compiled years stay."""
    cal = no_holidays()
    ref = reference_for(cal)
    for year in range(100, 9900, 175):
        start = sp(year, 3, 10, 10)
        expected = ref.add(to_us(start), 20 * H // US)
        assert to_us(cal.add(start, 20 * H)) == expected
        assert cache_of(cal).kept_years() <= KEPT_YEARS
        assert all(island.years <= MAX_SPAN_YEARS for island in cache_of(cal).islands)
    assert cache_of(cal).current.first_year <= year <= cache_of(cal).current.last_year


def test_the_island_in_use_survives_a_stream_of_far_dates() -> None:
    """The island used most recently is evicted last: a busy year is not recompiled."""
    cal = no_holidays()
    here = sp(2026, 11, 24, 10)
    cal.add(here, H)
    home = cache_of(cal).current
    for year in range(3000, 9000, 500):
        cal.add(sp(year, 3, 10, 10), H)
        cal.add(here, H)  # the desk's own year, asked between the far ones
        assert cache_of(cal).current is home


# -- one question spans at most MAX_SPAN_YEARS years -----------------------------------------


def test_a_question_over_more_than_a_hundred_years_is_refused() -> None:
    """elapsed from 2026 to 9026 is a clear OutOfRangeError naming the bound, at once."""
    cal = no_holidays()
    calls: list[Callable[[], object]] = [
        lambda: cal.elapsed(sp(2026, 11, 24), sp(9026, 11, 24)),
        lambda: cal.elapsed(sp(9026, 11, 24), sp(2026, 11, 24)),
        lambda: list(cal.open_intervals(sp(2026, 11, 24), sp(9026, 11, 24))),
        lambda: elapsed_many_us(cal, [to_us(sp(2026, 11, 24))], [to_us(sp(9026, 11, 24))]),
        lambda: add_many_us(cal, [to_us(sp(2026, 11, 24)), to_us(sp(9026, 11, 24))], 1),
    ]
    for call in calls:
        with pytest.raises(OutOfRangeError, match=f"within {MAX_SPAN_YEARS} consecutive years"):
            call()
    assert cache_of(cal).kept_years() == 0  # refused before compiling anything


def test_a_hundred_local_years_are_answered_and_one_more_is_refused() -> None:
    """2000-01-01 to 2099-12-31 is one question; to a date in 2100 it is 101 years."""
    cal = no_holidays()
    start, end = sp(2000, 1, 1), sp(2099, 12, 31, 23)
    total = cal.elapsed(start, end)
    decades = sum(
        (cal.elapsed(sp(year, 1, 1), sp(year + 10, 1, 1)) for year in range(2000, 2090, 10)),
        timedelta(0),
    )
    assert total == decades + cal.elapsed(sp(2090, 1, 1), end)
    with pytest.raises(OutOfRangeError, match="101 calendar years"):
        cal.elapsed(start, sp(2100, 6, 1))


@pytest.mark.parametrize(
    "duration",
    [
        pytest.param(timedelta.max, id="timedelta.max"),
        pytest.param(timedelta.min, id="timedelta.min"),
        pytest.param(timedelta(hours=1e8), id="1e8-hours"),
        pytest.param(timedelta(hours=-1e8), id="minus-1e8-hours"),
    ],
)
def test_huge_durations_are_refused_without_compiling(duration: timedelta) -> None:
    """add with up to timedelta.max refuses at once: more real time than 100 years hold."""
    cal = no_holidays()
    with pytest.raises(OutOfRangeError, match=f"more than {MAX_SPAN_YEARS} calendar years"):
        cal.add(sp(2026, 11, 24, 10), duration)
    assert cache_of(cal).kept_years() <= 16  # only the years around the start


@pytest.mark.parametrize("duration", [10**30, -(10**30), 2**63 - 1, -(2**63)])
def test_huge_integer_durations_are_refused(duration: int) -> None:
    """add_us and add_many_us with huge integers refuse without growing the timeline."""
    cal = no_holidays()
    start = to_us(sp(2026, 11, 24, 10))
    with pytest.raises(OutOfRangeError):
        cal.add_us(start, duration)
    if -(2**63) < duration < 2**63:
        with pytest.raises(OutOfRangeError):
            add_many_us(cal, np.array([start]), np.array([duration], dtype=np.int64))
    assert cache_of(cal).kept_years() <= 16


@pytest.mark.slow
def test_a_deadline_needing_more_than_a_hundred_years_is_refused_after_at_most_that() -> None:
    """90 years of open time on a 9-hour weekday desk need ~350 years: refused, bounded."""
    cal = no_holidays()
    with pytest.raises(OutOfRangeError, match=f"after {2026 + MAX_SPAN_YEARS - 1}"):
        cal.add(sp(2026, 11, 24, 10), timedelta(days=90 * 365))
    assert cache_of(cal).kept_years() <= KEPT_YEARS
    with pytest.raises(OutOfRangeError, match=f"before {2026 - MAX_SPAN_YEARS + 1}"):
        cal.add(sp(2026, 11, 24, 10), -timedelta(days=90 * 365))


def test_the_engine_limits_are_still_refused() -> None:
    """Instants or results outside years 2-9997 are refused without compiling toward them."""
    cal = no_holidays()
    with pytest.raises(OutOfRangeError, match="2-9997"):
        cal.add(datetime(9999, 6, 1, tzinfo=ZoneInfo("UTC")), H)
    with pytest.raises(OutOfRangeError, match="after 9997"):
        cal.add(sp(9997, 12, 31, 17), 4 * H)
    with pytest.raises(OutOfRangeError, match="before 2,"):
        cal.add(datetime(2, 1, 2, 10, tzinfo=ZoneInfo("UTC")), -48 * H)
    assert cache_of(cal).kept_years() <= 32


# -- growth is amortised linear ------------------------------------------------------------


def test_a_long_deadline_rebuilds_little_more_than_it_needs(built: list[int]) -> None:
    """200,000 business hours (~85 years) build the tables a few times, not once per chunk."""
    cal = no_holidays()
    start = sp(2026, 1, 5, 10)
    due = cal.add(start, timedelta(hours=200_000))
    assert cal.elapsed(start, due) == timedelta(hours=200_000)
    # One rebuild per 8 more years (the old growth) sums to ~6x the final table.
    assert sum(built) <= 3 * cache_of(cal).current.years


@pytest.mark.slow
def test_a_sweep_through_the_years_rebuilds_linearly(built: list[int]) -> None:
    """Asking year after year for 170 years builds tables of a bounded multiple of it."""
    cal = no_holidays()
    for year in range(1930, 2100):
        cal.add(sp(year, 6, 3, 10), 4 * H)
    # One rebuild per 8 more years (the old growth) sums to ~11x the years asked.
    assert sum(built) <= 4 * 170


def test_growth_from_the_vectorised_path_is_bounded(built: list[int]) -> None:
    """add_many_us grows the same way: a long deadline rebuilds a few tables."""
    cal = no_holidays()
    start = to_us(sp(2026, 1, 5, 10))
    d = 200_000 * 3_600_000_000
    got = add_many_us(cal, np.array([start, start + 1]), d)
    assert got.tolist() == [cal.add_us(start, d), cal.add_us(start + 1, d)]
    assert sum(built) <= 3 * cache_of(cal).current.years


def test_next_close_grows_geometrically(built: list[int]) -> None:
    """A desk open 24/7 until a closed date 45 years on: found with a few growing builds."""
    cal = BusinessCalendar.create(
        hours={"mon-sun": "00:00-24:00"}, country=None, closed_dates=[date(2071, 3, 1)]
    )
    assert cal.next_close(sp(2026, 1, 1)) == sp(2071, 3, 1)
    # One rebuild per 8 more years (the old growth) sums to 4x the final table.
    assert sum(built) <= 3 * cache_of(cal).current.years


# -- threads -------------------------------------------------------------------------------------


def test_threads_asking_far_apart_years_agree_with_one_thread() -> None:
    """Threads building islands for far-apart years at once get the single-thread answers."""
    years = [1950, 2026, 2500, 4000, 9026, 9990]

    def work(cal: BusinessCalendar, year: int) -> list[object]:
        start = sp(year, 3, 10, 10)
        return [
            cal.add(start, 300 * H),
            cal.add(start, -300 * H),
            cal.elapsed(start, sp(year + 3, 1, 1)),
        ]

    expected = {year: work(no_holidays(), year) for year in years}
    shared = no_holidays()
    got: dict[int, list[object]] = {}
    barrier = threading.Barrier(len(years))

    def run(year: int) -> None:
        barrier.wait()
        for _ in range(3):
            got[year] = work(shared, year)

    threads = [threading.Thread(target=run, args=(year,)) for year in years]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert got == expected
    assert cache_of(shared).kept_years() <= KEPT_YEARS


# -- the bounds count open periods, not only years ---------------------------------------------


def slots(minutes: int, gap: int = 1) -> dict[str, list[str]]:
    """Hours open every day in slots of ``minutes``, with ``gap`` minutes closed between."""
    day = []
    for start in range(0, 24 * 60, minutes):
        end = min(start + minutes - gap, 24 * 60)
        day.append(f"{start // 60:02d}:{start % 60:02d}-{end // 60:02d}:{end % 60:02d}")
    return {"mon-sun": day}


@pytest.mark.slow
def test_a_dense_calendar_spans_fewer_years_per_question() -> None:
    """A desk open in 15-minute slots every day (96 periods a day) answers, but one question
    spans fewer years, so that no island holds more than MAX_PERIODS open periods (0.1.0's
    review found 9 s and 800 MB for one elapsed over a century of such a calendar)."""
    cal = BusinessCalendar.create(hours=slots(15), country=None, timezone="UTC")
    span = cache_of(cal).span_years
    assert 1 <= span < MAX_SPAN_YEARS
    start = datetime(2026, 11, 23, 14, tzinfo=UTC)
    assert cal.add(start, timedelta(hours=4)) > start
    assert all(len(island.starts) <= MAX_PERIODS + 1 for island in cache_of(cal).islands)
    with pytest.raises(OutOfRangeError, match=f"within {span} consecutive years on this calendar"):
        cal.elapsed(datetime(2000, 1, 1, tzinfo=UTC), datetime(2099, 6, 1, tzinfo=UTC))
    assert cache_of(cal).kept_years() <= 2 * span


def test_a_calendar_with_too_many_periods_a_year_is_refused() -> None:
    """One-minute slots (over 250,000 periods a year) are refused when the calendar is made."""
    with pytest.raises(CalendarConfigError, match="open periods a year; sla-clock counts at most"):
        BusinessCalendar.create(hours=slots(2), country=None)
