"""The compiled table alone: ``sla_clock._timeline`` and the islands of ``sla_clock._islands``.

The engine is layered (``docs/design.md``): under the calendar and its public API sit plain
integer modules, and the lowest room of them is the table. A :class:`Timeline` is sorted,
disjoint, half-open open intervals ``starts[i] <= t < ends[i]`` in UTC microseconds, with
prefix sums; :func:`compile_years` turns a calendar's dates into raw intervals, :func:`merge`
and :func:`join` make them disjoint, and a :class:`TimelineCache` decides which years are
compiled, grown and kept. Every answer of the library is one or two binary searches on these
lists, so this file tests them directly, with integers, without a ``BusinessCalendar``: a
bug here shows up here, not as a wrong deadline three floors up.

Two kinds of tests:

- worked examples on a Mon-Fri 09:00-18:00 desk (UTC and São Paulo), every expected value
  computed by hand in the comments (days since 1970-01-01, hours of 3.6e9 microseconds);
- Hypothesis properties against tiny references written here: a table on small integers is
  the *set* of its covered microseconds, so ``E(t)`` is a count of points below ``t``, a
  merge is the runs of a set, and ``at_open_time`` a scan of ``E`` over every instant.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sla_clock._islands import TimelineCache, YearRange
from sla_clock._timeline import (
    CHUNK_YEARS,
    Intervals,
    Timeline,
    YearsCompiler,
    compile_years,
    join,
    merge,
    year_of,
)
from sla_clock.errors import OutOfRangeError
from sla_clock.hours import DayHours

SECOND_US = 1_000_000
HOUR_US = 3600 * SECOND_US
DAY_US = 24 * HOUR_US
EPOCH_ORDINAL = date(1970, 1, 1).toordinal()

UTC_ZONE = ZoneInfo("UTC")
SAO_PAULO = ZoneInfo("America/Sao_Paulo")

#: 2026-01-01 (a Thursday) is 56 years after 1970 with 14 leap days (1972..2024):
#: 56 * 365 + 14 = 20,454 days.
JAN_1_2026 = 20_454 * DAY_US
#: 2026 is not a leap year.
JAN_1_2027 = JAN_1_2026 + 365 * DAY_US
#: 2026 has 52 weeks and one day (a Thursday): 52 * 5 + 1 = 261 weekdays.
WEEKDAYS_2026 = 261

NINE_TO_SIX: DayHours = ((9 * 3600, 18 * 3600),)

#: Hypothesis budget: each property is small integers, so a few dozen examples are enough
#: and the whole file stays within a couple of seconds.
FAST = settings(max_examples=60, deadline=None)


def day_us(day: date) -> int:
    """Midnight UTC of ``day``, from the proleptic Gregorian ordinal (the reference clock)."""
    return (day.toordinal() - EPOCH_ORDINAL) * DAY_US


def weekdays_9_to_18(day: date) -> DayHours:
    return NINE_TO_SIX if day.weekday() < 5 else ()


def at_2026(days: int, hours: float = 0) -> int:
    """The instant ``days`` days and ``hours`` hours after 2026-01-01 00:00 UTC."""
    return JAN_1_2026 + days * DAY_US + round(hours * HOUR_US)


def unzip(pairs: Iterable[tuple[int, int]]) -> Intervals:
    listed = list(pairs)
    return [s for s, _ in listed], [e for _, e in listed]


def pairs_of(intervals: Intervals) -> list[tuple[int, int]]:
    starts, ends = intervals
    return list(zip(starts, ends, strict=True))


def table(lo: int, hi: int, pairs: list[tuple[int, int]], first_year: int = 2026) -> Timeline:
    return Timeline(first_year, first_year, lo, hi, *unzip(pairs))


@functools.cache
def utc_desk_2026() -> Timeline:
    """The 2026 table of a Mon-Fri 09:00-18:00 UTC desk, built as the islands build one."""
    starts, ends = merge(compile_years(2026, 2026, weekdays_9_to_18, UTC_ZONE))
    return Timeline(2026, 2026, JAN_1_2026, JAN_1_2027, starts, ends)


# -- the references: a table on small integers is a set of covered microseconds -------------


def points(pairs: Iterable[tuple[int, int]]) -> set[int]:
    """Every covered microsecond ``x`` (``s <= x < e`` for some interval)."""
    return {x for s, e in pairs for x in range(s, e)}


def runs(covered: set[int]) -> list[tuple[int, int]]:
    """The maximal runs of consecutive points, as half-open ``(start, end)`` intervals."""
    found: list[tuple[int, int]] = []
    for x in sorted(covered):
        if found and found[-1][1] == x:
            found[-1] = (found[-1][0], x + 1)
        else:
            found.append((x, x + 1))
    return found


def open_time_before(covered: set[int], lo: int, hi: int) -> dict[int, int]:
    """``E(t)`` for every ``t`` in ``[lo, hi]``: how many covered points lie below ``t``."""
    e = {lo: sum(1 for x in covered if x < lo)}
    for t in range(lo, hi):
        e[t + 1] = e[t] + (t in covered)
    return e


@st.composite
def tables(draw: st.DrawFn) -> tuple[int, int, list[tuple[int, int]]]:
    """A coverage ``[lo, hi)`` and sorted, disjoint, non-touching intervals inside it."""
    lo = draw(st.integers(-40, 40))
    cur = lo
    pairs: list[tuple[int, int]] = []
    for k in range(draw(st.integers(0, 7))):
        start = cur + draw(st.integers(0 if k == 0 else 1, 6))
        cur = start + draw(st.integers(1, 6))
        pairs.append((start, cur))
    hi = cur + draw(st.integers(0 if pairs else 1, 6))
    return lo, hi, pairs


# -- compile_years -------------------------------------------------------------------------


def test_compile_years_utc_weekdays_2026() -> None:
    raw = compile_years(2026, 2026, weekdays_9_to_18, UTC_ZONE)
    assert len(raw) == WEEKDAYS_2026
    # Thu Jan 1, Fri Jan 2, then Mon Jan 5 (4 days later); Thu Dec 31 is day 364.
    assert raw[0] == (at_2026(0, 9), at_2026(0, 18))
    assert raw[1] == (at_2026(1, 9), at_2026(1, 18))
    assert raw[2] == (at_2026(4, 9), at_2026(4, 18))
    assert raw[-1] == (at_2026(364, 9), at_2026(364, 18))


def test_compile_years_sao_paulo_is_three_hours_behind_utc_in_2026() -> None:
    # Brazil has had no DST since 2019: 09:00-18:00 at -03:00 is 12:00-21:00 UTC.
    raw = compile_years(2026, 2026, weekdays_9_to_18, SAO_PAULO)
    assert len(raw) == WEEKDAYS_2026
    assert raw[0] == (at_2026(0, 12), at_2026(0, 21))
    assert raw[-1] == (at_2026(364, 12), at_2026(364, 21))


def test_compile_years_keeps_touching_intervals_of_a_day_apart_until_merged() -> None:
    def split_day(day: date) -> DayHours:
        return ((9 * 3600, 12 * 3600), (12 * 3600, 18 * 3600)) if day == date(2026, 1, 1) else ()

    raw = compile_years(2026, 2026, split_day, UTC_ZONE)
    assert raw == [(at_2026(0, 9), at_2026(0, 12)), (at_2026(0, 12), at_2026(0, 18))]
    assert merge(raw) == ([at_2026(0, 9)], [at_2026(0, 18)])


def test_compile_years_drops_an_interval_swallowed_by_a_dst_gap() -> None:
    # São Paulo jumped from 2018-11-04 00:00 (-03:00) to 01:00 (-02:00). Gaps move forward:
    # 00:00 becomes 01:00 -02:00 = 03:00 UTC, and 01:00 is 03:00 UTC too, so 00:00-01:00 is
    # empty. 2018-11-04 is 17,532 (to 2018-01-01: 48 * 365 + 12) + 304 + 3 = 17,839 days
    # after 1970-01-01; 09:00-18:00 at -02:00 is 11:00-20:00 UTC.
    gap_day = date(2018, 11, 4)

    def hours_on(day: date) -> DayHours:
        return ((0, 3600), (9 * 3600, 18 * 3600)) if day == gap_day else ()

    day = 17_839 * DAY_US
    assert compile_years(2018, 2018, hours_on, SAO_PAULO) == [
        (day + 11 * HOUR_US, day + 20 * HOUR_US)
    ]


def test_compile_years_takes_the_first_occurrence_of_a_repeated_hour() -> None:
    # On 2018-02-18 00:00 (-02:00) São Paulo went back to 2018-02-17 23:00 (-03:00), so
    # 23:00 of Feb 17 happened twice. The first is 23:00 -02:00 = Feb 18 01:00 UTC; 24:00 is
    # Feb 18 00:00 -03:00 = 03:00 UTC: the wall hour lasts two real hours. Feb 18 is
    # 17,532 + 31 + 17 = 17,580 days after 1970-01-01.
    def hours_on(day: date) -> DayHours:
        return ((23 * 3600, 24 * 3600),) if day == date(2018, 2, 17) else ()

    feb_18 = 17_580 * DAY_US
    assert compile_years(2018, 2018, hours_on, SAO_PAULO) == [
        (feb_18 + 1 * HOUR_US, feb_18 + 3 * HOUR_US)
    ]


@st.composite
def weekly_hours(draw: st.DrawFn) -> tuple[DayHours, ...]:
    """Seven days of sorted wall-clock intervals (seconds), maybe touching, maybe empty."""
    days: list[DayHours] = []
    for _ in range(7):
        cuts = sorted(draw(st.lists(st.integers(0, 86_400), max_size=6)))
        days.append(tuple(zip(cuts[0::2], cuts[1::2], strict=False)))
    return tuple(days)


@pytest.mark.slow
@FAST
@given(week=weekly_hours(), year=st.integers(1995, 2035))
def test_compile_years_in_utc_is_each_dates_hours_at_its_midnight(
    week: tuple[DayHours, ...], year: int
) -> None:
    def hours_on(day: date) -> DayHours:
        return week[day.weekday()]

    expected = [
        (day_us(day) + s * SECOND_US, day_us(day) + e * SECOND_US)
        for n in range((date(year + 1, 1, 1) - date(year, 1, 1)).days)
        for day in [date(year, 1, 1) + timedelta(days=n)]
        for s, e in week[day.weekday()]
        if e > s
    ]
    assert compile_years(year, year, hours_on, UTC_ZONE) == expected


# -- merge and join ------------------------------------------------------------------------


def test_merge_sorts_and_merges_overlapping_and_touching_intervals() -> None:
    raw = [(5, 8), (1, 3), (3, 4), (7, 10), (12, 13), (2, 3)]
    # (1,3)+(2,3)+(3,4) touch or overlap: 1-4; (5,8)+(7,10): 5-10; 12-13 alone.
    assert merge(raw) == ([1, 5, 12], [4, 10, 13])
    assert merge([(1, 10), (2, 3)]) == ([1], [10])
    assert merge([]) == ([], [])


@FAST
@given(
    raw=st.lists(
        st.tuples(st.integers(-30, 30), st.integers(1, 8)).map(lambda p: (p[0], p[0] + p[1])),
        max_size=12,
    )
)
def test_merge_is_the_runs_of_the_covered_set(raw: list[tuple[int, int]]) -> None:
    merged = merge(raw)
    assert pairs_of(merged) == runs(points(raw))
    assert merge(pairs_of(merged)) == merged


def test_join_concatenates_parts_and_merges_where_they_touch() -> None:
    parts: list[Intervals] = [([1, 5], [3, 8]), ([8, 12], [10, 13]), ([], []), ([20], [21])]
    # 5-8 and 8-10 touch at the first seam; the empty part is skipped.
    assert join(parts) == ([1, 5, 12, 20], [3, 10, 13, 21])
    # A part whose first interval starts inside the last one extends it.
    assert join([([1], [5]), ([4, 9], [6, 10])]) == ([1, 9], [6, 10])
    # ... and never shortens it: the seam keeps the later of the two ends.
    assert join([([1], [10]), ([4, 12], [6, 14])]) == ([1, 12], [10, 14])
    assert join([]) == ([], [])


@FAST
@given(
    drawn=tables(),
    cuts=st.lists(st.integers(-45, 95), max_size=4),
    empties=st.lists(st.integers(0, 5), max_size=2),
)
def test_join_of_a_table_cut_into_pieces_gives_the_table_back(
    drawn: tuple[int, int, list[tuple[int, int]]], cuts: list[int], empties: list[int]
) -> None:
    # As the islands do: a table cut at year boundaries, each piece clipped to [c_k, c_k+1),
    # then joined back, must be the table again (pieces that touch at a cut are re-merged).
    _, _, pairs = drawn
    edges = [-(10**9), *sorted(cuts), 10**9]
    parts: list[Intervals] = [
        unzip((max(s, a), min(e, b)) for s, e in pairs if max(s, a) < min(e, b))
        for a, b in itertools.pairwise(edges)
    ]
    for where in empties:
        parts.insert(min(where, len(parts)), ([], []))
    assert join(parts) == unzip(pairs)


# -- year_of -------------------------------------------------------------------------------


def test_year_of_examples() -> None:
    assert year_of(0) == 1970
    assert year_of(-1) == 1969
    assert year_of(at_2026(180)) == 2026
    assert year_of(day_us(date(9000, 7, 1))) == 9000
    assert year_of(day_us(date(100, 7, 1))) == 100
    # Near far New Years too (the estimate's drift from the real calendar stays small):
    assert year_of(day_us(date(9000, 1, 3))) == 9000
    assert year_of(day_us(date(8999, 12, 29))) == 8999


@FAST
@given(
    us=st.one_of(
        st.integers(day_us(date(3, 1, 1)), day_us(date(9996, 12, 31))),
        st.builds(
            lambda year, shift: day_us(date(year, 1, 1)) + shift,
            st.integers(3, 9996),
            st.integers(-3 * DAY_US, 3 * DAY_US),
        ),
    )
)
def test_year_of_is_the_utc_year_give_or_take_a_day_or_so(us: int) -> None:
    # The docstring says "within a day"; the estimate 1970 + us // (365.2425 days) is in
    # fact up to 1.2025 days early (years 97, 497, 897...: their Jan 1 comes 1.2 days after
    # the estimate's boundary) and 0.995 days late, hence the 1.25-day tolerance here.
    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    slack = timedelta(days=1.25)
    when = epoch + timedelta(microseconds=us)
    assert (when - slack).year <= year_of(us) <= (when + slack).year


# -- Timeline: worked examples on the 2026 UTC desk -----------------------------------------


def test_timeline_years_and_covers() -> None:
    tl = utc_desk_2026()
    assert tl.years == 1
    assert Timeline(2024, 2031, 0, 10, [], []).years == 8
    # Coverage is half-open [lo, hi).
    assert tl.covers(JAN_1_2026, JAN_1_2027 - 1)
    assert tl.covers(at_2026(100), at_2026(100))
    assert not tl.covers(JAN_1_2026, JAN_1_2027)
    assert not tl.covers(JAN_1_2026 - 1, at_2026(100))


def test_timeline_before_counts_open_time_up_to_an_instant() -> None:
    tl = utc_desk_2026()
    assert tl.total == WEEKDAYS_2026 * 9 * HOUR_US
    assert tl.before(JAN_1_2026 - 1) == 0
    assert tl.before(JAN_1_2026) == 0
    assert tl.before(at_2026(0, 9)) == 0  # the opening itself: nothing before it yet
    assert tl.before(at_2026(0, 12)) == 3 * HOUR_US
    assert tl.before(at_2026(0, 18)) == 9 * HOUR_US
    assert tl.before(at_2026(1, 8)) == 9 * HOUR_US  # Fri Jan 2 before opening
    assert tl.before(at_2026(4, 10)) == 19 * HOUR_US  # Mon Jan 5: Thu 9 + Fri 9 + 1
    assert tl.before(at_2026(4, 10) + 1) == 19 * HOUR_US + 1
    assert tl.before(JAN_1_2027) == tl.total
    assert tl.before(JAN_1_2027 + 10 * DAY_US) == tl.total


def test_timeline_at_open_time_earliest_is_a_close_latest_is_the_next_opening() -> None:
    tl = utc_desk_2026()
    # 9 hours are done at Thu 18:00 (earliest) and still at Fri 09:00 (latest).
    assert tl.at_open_time(9 * HOUR_US) == at_2026(0, 18)
    assert tl.at_open_time_latest(9 * HOUR_US) == at_2026(1, 9)
    assert tl.at_open_time(1) == at_2026(0, 9) + 1
    assert tl.at_open_time_latest(0) == at_2026(0, 9)
    assert tl.at_open_time(19 * HOUR_US) == at_2026(4, 10)
    assert tl.at_open_time_latest(19 * HOUR_US) == at_2026(4, 10)
    # 18 hours end Fri 18:00; the latest instant with 18 hours is Mon 09:00.
    assert tl.at_open_time(18 * HOUR_US) == at_2026(1, 18)
    assert tl.at_open_time_latest(18 * HOUR_US) == at_2026(4, 9)
    assert tl.at_open_time(tl.total) == at_2026(364, 18)
    assert tl.at_open_time_latest(tl.total - 1) == at_2026(364, 18) - 1


def test_timeline_interval_at_or_after() -> None:
    tl = utc_desk_2026()

    def interval(t: int) -> tuple[int, int]:
        i = tl.interval_at_or_after(t)
        return tl.starts[i], tl.ends[i]

    thursday = (at_2026(0, 9), at_2026(0, 18))
    friday = (at_2026(1, 9), at_2026(1, 18))
    monday = (at_2026(4, 9), at_2026(4, 18))
    assert interval(JAN_1_2026) == thursday
    assert interval(at_2026(0, 9)) == thursday
    assert interval(at_2026(0, 18) - 1) == thursday
    assert interval(at_2026(0, 18)) == friday  # half-open: the close belongs to the gap
    assert interval(at_2026(2, 12)) == monday  # Saturday
    assert tl.interval_at_or_after(at_2026(364, 18)) == len(tl.starts)


def test_timeline_intervals_between_and_clipped() -> None:
    tl = utc_desk_2026()
    fri_noon, mon_ten = at_2026(1, 12), at_2026(4, 10)
    assert list(tl.intervals_between(fri_noon, mon_ten)) == [
        (fri_noon, at_2026(1, 18)),
        (at_2026(4, 9), mon_ten),
    ]
    # Ending on an opening yields nothing of that day; a weekend yields nothing.
    assert list(tl.intervals_between(fri_noon, at_2026(4, 9))) == [(fri_noon, at_2026(1, 18))]
    assert list(tl.intervals_between(at_2026(2), at_2026(4))) == []
    assert tl.clipped(fri_noon, at_2026(5)) == (
        [fri_noon, at_2026(4, 9)],
        [at_2026(1, 18), at_2026(4, 18)],
    )
    assert tl.clipped(at_2026(2), at_2026(4)) == ([], [])


def test_timeline_in_sao_paulo_opens_at_noon_utc() -> None:
    starts, ends = merge(compile_years(2026, 2026, weekdays_9_to_18, SAO_PAULO))
    # Local midnight of 2026-01-01 is 03:00 UTC.
    tl = Timeline(2026, 2026, at_2026(0, 3), JAN_1_2027 + 3 * HOUR_US, starts, ends)
    assert tl.before(at_2026(0, 12)) == 0
    assert tl.before(at_2026(0, 15)) == 3 * HOUR_US
    assert tl.at_open_time(9 * HOUR_US) == at_2026(0, 21)
    assert tl.at_open_time_latest(9 * HOUR_US) == at_2026(1, 12)


def test_timeline_module_doctest_example() -> None:
    tl = Timeline(2026, 2026, 0, 100, [10, 50], [20, 60])
    # 10-20 and 50-60 are open: 5 before 15, 10 + 5 before 55, and 15 is reached at 55.
    assert (tl.before(15), tl.before(55), tl.at_open_time(15)) == (5, 15, 55)
    assert tl.total == 20


def test_empty_timeline() -> None:
    tl = Timeline(0, -1, 0, 0, [], [])
    assert tl.years == 0
    assert tl.total == 0
    assert tl.before(12345) == 0
    assert list(tl.intervals_between(-5, 5)) == []
    assert tl.clipped(0, 0) == ([], [])


# -- Timeline: properties against the point-set reference ----------------------------------


@FAST
@given(drawn=tables())
def test_before_counts_covered_points_below(drawn: tuple[int, int, list[tuple[int, int]]]) -> None:
    lo, hi, pairs = drawn
    tl = table(lo, hi, pairs)
    covered = points(pairs)
    e = open_time_before(covered, lo - 3, hi + 3)
    assert tl.total == len(covered)
    for t, expected in e.items():
        assert tl.before(t) == expected, t


@FAST
@given(drawn=tables())
def test_at_open_time_is_the_earliest_instant_with_that_open_time(
    drawn: tuple[int, int, list[tuple[int, int]]],
) -> None:
    lo, hi, pairs = drawn
    tl = table(lo, hi, pairs)
    e = open_time_before(points(pairs), lo, hi)
    for target in range(1, tl.total + 1):
        earliest = min(t for t, v in e.items() if v == target)
        assert tl.at_open_time(target) == earliest, target


@FAST
@given(drawn=tables())
def test_at_open_time_latest_is_the_latest_instant_with_that_open_time(
    drawn: tuple[int, int, list[tuple[int, int]]],
) -> None:
    lo, hi, pairs = drawn
    tl = table(lo, hi, pairs)
    e = open_time_before(points(pairs), lo, hi)
    for target in range(tl.total):
        latest = max(t for t, v in e.items() if v == target)
        assert tl.at_open_time_latest(target) == latest, target


@pytest.mark.slow
@FAST
@given(drawn=tables(), data=st.data())
def test_interval_at_or_after_is_the_containing_or_next_interval(
    drawn: tuple[int, int, list[tuple[int, int]]], data: st.DataObject
) -> None:
    lo, hi, pairs = drawn
    tl = table(lo, hi, pairs)
    # Instants from the start of the coverage on (before it, index 0 is the table's own
    # zero-length sentinel at ``lo``, which no caller asks about).
    for t in data.draw(st.lists(st.integers(lo, hi + 3), min_size=1, max_size=10)):
        i = tl.interval_at_or_after(t)
        containing = [p for p in pairs if p[0] <= t < p[1]]
        later = [p for p in pairs if p[0] > t]
        if containing or later:
            assert (tl.starts[i], tl.ends[i]) == (containing or later)[0], t
        else:
            assert i == len(tl.starts), t


@FAST
@given(drawn=tables(), a=st.integers(-50, 100), b=st.integers(-50, 100))
def test_intervals_between_is_the_runs_of_the_covered_points_in_range(
    drawn: tuple[int, int, list[tuple[int, int]]], a: int, b: int
) -> None:
    lo, hi, pairs = drawn
    tl = table(lo, hi, pairs)
    inside = {x for x in points(pairs) if a <= x < b}
    assert list(tl.intervals_between(a, b)) == runs(inside)


@FAST
@given(drawn=tables(), data=st.data())
def test_clipped_is_the_runs_of_the_covered_points_in_range(
    drawn: tuple[int, int, list[tuple[int, int]]], data: st.DataObject
) -> None:
    lo, hi, pairs = drawn
    tl = table(lo, hi, pairs)
    # The islands clip inside the coverage: lo <= a < b <= hi.
    a = data.draw(st.integers(lo, hi - 1))
    b = data.draw(st.integers(a + 1, hi))
    inside = {x for x in points(pairs) if a <= x < b}
    assert tl.clipped(a, b) == unzip(runs(inside))


@FAST
@given(drawn=tables())
def test_covers_is_the_half_open_coverage(drawn: tuple[int, int, list[tuple[int, int]]]) -> None:
    lo, hi, pairs = drawn
    tl = table(lo, hi, pairs)
    for a, b in itertools.product(range(lo - 2, hi + 2), repeat=2):
        if a <= b:
            assert tl.covers(a, b) == (lo <= a and b < hi), (a, b)


# -- the islands: which years are compiled, grown and kept ----------------------------------

#: The answerable years of the test caches.
YEARS = YearRange(2000, 2100, "of the test calendar", "ask about 2000-2100")
#: 2000-01-01 is 30 * 365 + 7 leap days = 10,957 days after 1970; 2101-01-01 is 101 * 365
#: + 25 leap days (2000..2096; 2100 is not one) = 36,890 days later.
JAN_1_2000 = 10_957 * DAY_US
JAN_1_2101 = JAN_1_2000 + 36_890 * DAY_US


def year_end_desk(day: date) -> DayHours:
    """Mon-Fri 09:00-18:00, and a year-end shift: Dec 31 and Jan 1 open all day.

    The shift makes an open interval cross every New Year, where islands are cut and joined.
    """
    if (day.month, day.day) in ((12, 31), (1, 1)):
        return ((0, 86_400),)
    return weekdays_9_to_18(day)


def hours_for(first_year: int, last_year: int) -> Callable[[date], DayHours]:
    del first_year, last_year  # the same hours every year, no holidays
    return year_end_desk


def compiler(zone: ZoneInfo) -> YearsCompiler:
    """The year compiler of a desk in ``zone`` with :func:`hours_for`'s hours."""

    def compile_for(first: int, last: int, days: list[int] | None) -> list[tuple[int, int]]:
        return compile_years(first, last, hours_for(first, last), zone, days)

    return compile_for


def new_cache(
    periods_per_year: int = 0, limits: tuple[int, int] | None = None, zone: ZoneInfo = UTC_ZONE
) -> TimelineCache:
    return TimelineCache(compiler(zone), zone, limits, YEARS, periods_per_year)


def mid_year(year: int) -> int:
    return day_us(date(year, 7, 1)) + 12 * HOUR_US


@functools.cache
def desk_year(year: int) -> tuple[tuple[int, int], ...]:
    """The reference open intervals of one UTC year of the desk, day by day, not merged."""
    first = date(year, 1, 1)
    days = (first + timedelta(days=n) for n in range((date(year + 1, 1, 1) - first).days))
    return tuple(
        (day_us(d) + s * SECOND_US, day_us(d) + e * SECOND_US)
        for d in days
        for s, e in year_end_desk(d)
    )


def desk_years(first: int, last: int) -> list[tuple[int, int]]:
    """The desk's intervals of the years ``first..last``, joined where days touch."""
    found: list[tuple[int, int]] = []
    for s, e in (p for y in range(first, last + 1) for p in desk_year(y)):
        if found and found[-1][1] == s:  # Dec 31 24:00 is Jan 1 00:00
            found[-1] = (found[-1][0], e)
        else:
            found.append((s, e))
    return found


def test_desk_years_cross_the_new_year() -> None:
    # The reference itself: Dec 31 2025 (a Wednesday) and Jan 1 2026 make one 48-hour
    # interval; Jan 2 2026 is a Friday, open 09:00-18:00.
    both = desk_years(2025, 2026)
    assert (at_2026(-1), at_2026(1)) in both
    assert both[-1] == (at_2026(364), at_2026(365))  # Dec 31 2026, to the end of the year
    assert desk_years(2026, 2026)[:2] == [(at_2026(0), at_2026(1)), (at_2026(1, 9), at_2026(1, 18))]


def assert_island_is_its_years(island: Timeline) -> None:
    """An island holds exactly the desk's intervals of its years, over their whole span."""
    assert island.lo == day_us(date(island.first_year, 1, 1))
    assert island.hi == day_us(date(island.last_year + 1, 1, 1))
    expected = desk_years(island.first_year, island.last_year)
    assert pairs_of((island.starts[1:], island.ends[1:])) == expected
    assert island.starts[0] == island.ends[0] == island.lo  # the zero-length sentinel


def test_cache_starts_empty_with_its_bounds_and_span() -> None:
    cache = new_cache()
    assert cache.islands == ()
    assert cache.current.years == 0
    assert cache.kept_years() == 0
    assert cache.bounds_us == (JAN_1_2000, JAN_1_2101)
    assert (cache.span_years, cache.kept_limit) == (100, 200)
    # One island holds at most 100,000 open periods: 10,000 a year allow 10 years.
    assert new_cache(periods_per_year=10_000).span_years == 10
    assert new_cache(periods_per_year=200_000).span_years == 1


def test_cover_compiles_the_chunk_of_years_around_an_instant() -> None:
    cache = new_cache()
    island = cache.cover(mid_year(2026), mid_year(2026))
    # Chunks of 8 years: 2026 lies in 2024..2031 (2024 = 8 * 253).
    assert (island.first_year, island.last_year) == (2024, 2031)
    assert island.lo == 19_723 * DAY_US  # 2024-01-01: 54 * 365 + 13 leap days
    assert island.hi == (19_723 + 8 * 365 + 2) * DAY_US  # 2032-01-01 (2024, 2028 leap)
    assert_island_is_its_years(island)
    assert cache.current is island
    assert cache.islands == (island,)
    # Asking again inside it compiles nothing.
    assert cache.cover(mid_year(2024), mid_year(2031)) is island


def test_cover_grows_a_nearby_island_by_at_least_a_chunk() -> None:
    cache = new_cache()
    cache.cover(mid_year(2026), mid_year(2026))
    # 2033 is 2 years past 2031: the island grows to max(2033, 2031 + 8) = 2039.
    grown = cache.cover(mid_year(2033), mid_year(2033))
    assert (grown.first_year, grown.last_year) == (2024, 2039)
    assert cache.islands == (grown,)
    assert_island_is_its_years(grown)
    # Backward: 2022 is 2 years before 2024: down to min(2022, 2024 - 8) = 2016.
    back = cache.cover(mid_year(2022), mid_year(2022))
    assert (back.first_year, back.last_year) == (2016, 2039)
    assert_island_is_its_years(back)
    # 24 years now: growing by half of them, 12, reaches past a chunk: 2039 + 12 = 2051.
    half = cache.cover(mid_year(2041), mid_year(2041))
    assert (half.first_year, half.last_year) == (2016, 2051)
    assert_island_is_its_years(half)
    assert cache.islands == (half,)


def test_cover_of_a_far_year_starts_a_new_island() -> None:
    cache = new_cache()
    near = cache.cover(mid_year(2026), mid_year(2026))
    far = cache.cover(mid_year(2090), mid_year(2090))
    assert (far.first_year, far.last_year) == (2088, 2095)
    assert cache.islands == (far, near)
    assert cache.current is far
    assert cache.kept_years() == 16
    # Going back to a kept island switches to it without compiling.
    assert cache.cover(mid_year(2027), mid_year(2027)) is near
    assert cache.current is near


def test_islands_used_longest_ago_are_evicted_beyond_the_kept_limit() -> None:
    cache = new_cache(periods_per_year=10_000)  # span 10 years, 20 kept
    first = cache.cover(mid_year(2026), mid_year(2026))  # 2024..2031
    second = cache.cover(mid_year(2050), mid_year(2050))  # 2048..2055
    third = cache.cover(mid_year(2070), mid_year(2070))  # 2064..2071: 24 > 20 years
    assert [(i.first_year, i.last_year) for i in (first, second, third)] == [
        (2024, 2031),
        (2048, 2055),
        (2064, 2071),
    ]
    assert cache.islands == (third, second)
    assert cache.kept_years() == 16


def test_a_question_over_more_than_the_span_is_refused() -> None:
    cache = new_cache(periods_per_year=10_000)  # span 10 years
    with pytest.raises(OutOfRangeError, match="lie in 11 calendar years"):
        cache.cover(mid_year(2026), mid_year(2036))
    # 2026..2035 is ten years: the chunk rounding (2024..2039) is trimmed to them.
    island = cache.cover(day_us(date(2026, 1, 1)), day_us(date(2036, 1, 1)) - 1)
    assert (island.first_year, island.last_year) == (2026, 2035)


def test_instants_outside_the_years_are_refused() -> None:
    cache = new_cache()
    with pytest.raises(OutOfRangeError, match="outside the years 2000-2100"):
        cache.cover(JAN_1_2000 - 1, mid_year(2000))
    with pytest.raises(OutOfRangeError, match="outside the years 2000-2100"):
        cache.cover(mid_year(2100), JAN_1_2101)
    # An elapsed may end on the end of the years: only the open time before it is needed.
    island = cache.cover(mid_year(2099), JAN_1_2101, upto=True)
    assert (island.first_year, island.last_year) == (2096, 2100)
    assert island.before(JAN_1_2101) == island.total


def test_extended_grows_geometrically() -> None:
    cache = new_cache()
    tl = cache.cover(mid_year(2026), mid_year(2026))  # 2024..2031
    sizes = []
    for _ in range(4):
        tl = cache.extended(tl, mid_year(2026), mid_year(2026), 1, forward=True)
        assert_island_is_its_years(tl)
        sizes.append((tl.first_year, tl.last_year))
    # Each step adds max(8, years // 2): 8, 8, 12 (24 // 2), 18 (36 // 2).
    assert sizes == [(2024, 2039), (2024, 2047), (2024, 2059), (2024, 2077)]
    assert cache.islands == (tl,)
    back = cache.extended(tl, mid_year(2026), mid_year(2026), 1, forward=False)
    # 54 years: back by 27, but not before 2000.
    assert (back.first_year, back.last_year) == (2000, 2077)


def test_extended_stops_at_the_span_and_at_the_end_of_the_years() -> None:
    cache = new_cache(periods_per_year=10_000)  # span 10 years
    tl = cache.cover(mid_year(2026), mid_year(2026))  # 2024..2031
    tl = cache.extended(tl, mid_year(2026), mid_year(2026), 1, forward=True)
    # At most 10 years from 2026: 2026..2035 (the years before 2026 are given up).
    assert (tl.first_year, tl.last_year) == (2026, 2035)
    with pytest.raises(OutOfRangeError, match="more than 10 calendar years"):
        cache.extended(tl, mid_year(2026), mid_year(2026), 1, forward=True)
    end = new_cache()
    last = end.cover(mid_year(2099), mid_year(2099))  # 2096..2100
    with pytest.raises(OutOfRangeError, match="after 2100, the last"):
        end.extended(last, mid_year(2099), mid_year(2099), 1, forward=True)


def test_year_limits_keep_open_time_inside_them() -> None:
    cache = new_cache(limits=(2026, 2026))
    tl = cache.cover(mid_year(2026), mid_year(2026))
    assert (tl.first_year, tl.last_year) == (2024, 2031)
    assert pairs_of((tl.starts[1:], tl.ends[1:])) == desk_years(2026, 2026)
    assert cache.has_limit_after(tl)
    assert cache.has_limit_before(tl)
    assert not new_cache().has_limit_after(tl)


@FAST
@given(zone=st.sampled_from([UTC_ZONE, SAO_PAULO]), data=st.data())
def test_year_at_is_the_local_year(zone: ZoneInfo, data: st.DataObject) -> None:
    cache = TimelineCache(compiler(zone), zone, None, YEARS)
    lo, hi = cache.bounds_us  # year_at answers the answerable instants only
    us = data.draw(st.one_of(st.integers(lo, hi - 1), st.sampled_from([lo, hi - 1])))
    local = datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=us)
    # São Paulo never changed offset at a New Year, so the local calendar year is exact.
    assert cache.year_at(us) == local.astimezone(zone).year


@pytest.mark.slow
@settings(max_examples=15, deadline=None)
@given(
    questions=st.lists(
        st.tuples(st.integers(2000, 2100), st.integers(0, 9), st.booleans()),
        min_size=1,
        max_size=5,
    )
)
def test_growth_changes_costs_never_answers(questions: list[tuple[int, int, bool]]) -> None:
    # Any sequence of questions (near, far, spanning years, deadlines growing an island)
    # leaves islands that are exactly their years' intervals, within the bounds.
    cache = new_cache(periods_per_year=10_000)  # span 10 years, 20 kept: quick to compile
    for year, extra, grow in questions:
        lo, hi = mid_year(year), mid_year(min(year + extra, 2100))
        tl = cache.cover(lo, hi)
        assert tl.covers(lo, hi)
        if grow and tl.last_year < min(year + cache.span_years - 1, YEARS.last):
            before = tl
            tl = cache.extended(before, lo, hi, 1, forward=True)
            grown = max(CHUNK_YEARS, before.years // 2)
            assert tl.last_year >= min(before.last_year + grown, year + 9, YEARS.last)
            assert tl.covers(lo, hi)
        assert cache.current is tl
        assert cache.kept_years() <= cache.kept_limit
        for island in cache.islands:
            assert 1 <= island.years <= cache.span_years
            assert_island_is_its_years(island)
