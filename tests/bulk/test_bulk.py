"""Vectorised add and elapsed (``sla_clock.bulk``): inputs, outputs, edge cases.

The worked examples are DESIGN.md's, given as UTC ``datetime64`` (São Paulo is UTC-3 in
2026, so Thu 2026-11-19 17:00 there is 20:00 UTC). Random agreement with the scalar engine
lives in ``property/test_bulk_vs_scalar.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import pytest

from sla_clock import BusinessCalendar, NaiveDatetimeError, OutOfRangeError
from sla_clock.bulk import (
    NAT,
    add_many,
    add_many_us,
    elapsed_many,
    elapsed_many_us,
    localize_many_us,
    to_epoch_us,
    utc_offsets_us,
)
from support import SP, sp

CAL = BusinessCalendar.default()
HOUR_US = 3_600_000_000


def utc64(*values: str, unit: str = "us") -> np.ndarray:
    return np.array(values, dtype=f"datetime64[{unit}]")


def us(value: datetime) -> int:
    return CAL.to_us(value)


# -- DESIGN.md worked examples ---------------------------------------------------------------

#: (start in UTC, duration in hours, expected result in UTC): the "Worked examples" table.
WORKED = [
    ("2026-11-19T20:00", 4, "2026-11-23T15:00"),  # Thu 17:00 + 4 h -> Mon 12:00 (Nov 20 off)
    ("2026-12-31T19:00", 12, "2027-01-05T13:00"),  # Thu 16:00 + 12 h -> Tue 10:00
    ("2026-11-28T13:00", 1, "2026-11-30T13:00"),  # Sat 10:00 + 1 h -> Mon 10:00
    ("2026-11-24T12:00", 9, "2026-11-24T21:00"),  # Tue 09:00 + 9 h -> Tue 18:00
    ("2026-11-27T21:00", 0, "2026-11-27T21:00"),  # Fri 18:00 + 0 h -> Fri 18:00
    ("2026-11-24T12:00", -1, "2026-11-23T20:00"),  # Tue 09:00 - 1 h -> Mon 17:00
]


def test_worked_examples_through_add_many() -> None:
    """DESIGN.md's add examples come out of one add_many call, one duration per start."""
    starts = utc64(*(start for start, _, _ in WORKED))
    hours = np.array([h for _, h, _ in WORKED], dtype="timedelta64[h]")
    result = add_many(CAL, starts, hours)
    assert result.dtype == np.dtype("datetime64[us]")
    assert result.tolist() == utc64(*(end for _, _, end in WORKED)).tolist()


def test_worked_examples_match_the_scalar_add() -> None:
    """Each worked example gives the same instant through add_many_us and add."""
    starts = to_epoch_us(utc64(*(start for start, _, _ in WORKED)))
    durations = np.array([h * HOUR_US for _, h, _ in WORKED], dtype=np.int64)
    expected = [
        us(CAL.add(CAL.from_us(int(s)), timedelta(microseconds=int(d))))
        for s, d in zip(starts, durations, strict=True)
    ]
    assert add_many_us(CAL, starts, durations).tolist() == expected


def test_worked_elapsed_example() -> None:
    """elapsed(Fri 2026-11-20 10:00, Mon 2026-11-23 10:00) is 1 h (Nov 20 is a holiday)."""
    result = elapsed_many(CAL, utc64("2026-11-20T13:00"), utc64("2026-11-23T13:00"))
    assert result.dtype == np.dtype("timedelta64[us]")
    assert result.tolist() == [timedelta(hours=1)]


def test_elapsed_is_negative_when_the_end_comes_first() -> None:
    """elapsed_many(b, a) is minus elapsed_many(a, b)."""
    a = to_epoch_us(utc64("2026-11-19T20:00", "2026-11-24T12:00"))
    b = to_epoch_us(utc64("2026-11-23T15:00", "2026-11-24T21:00"))
    forward = elapsed_many_us(CAL, a, b)
    assert forward.tolist() == [4 * HOUR_US, 9 * HOUR_US]
    assert elapsed_many_us(CAL, b, a).tolist() == [-4 * HOUR_US, -9 * HOUR_US]


# -- pandas ------------------------------------------------------------------------------------


def test_aware_series_in_gives_a_series_in_the_calendar_zone() -> None:
    """A tz-aware Series (here in UTC) comes back in São Paulo time with its index and name."""
    starts = pd.Series(
        pd.to_datetime(["2026-11-19 20:00", "2026-11-28 13:00"]).tz_localize("UTC"),
        index=pd.Index([17, 4], name="ticket"),
        name="opened",
    )
    result = add_many(CAL, starts, timedelta(hours=4))
    assert isinstance(result, pd.Series)
    assert result.index.equals(starts.index)
    assert result.name == "opened"
    assert str(result.dt.tz) == "America/Sao_Paulo"
    assert [t.isoformat() for t in result] == [
        "2026-11-23T12:00:00-03:00",
        "2026-11-30T13:00:00-03:00",
    ]


def test_series_in_another_zone_is_read_as_its_instants() -> None:
    """A Series in New York time names the same instants as its UTC equivalent."""
    utc = pd.Series(pd.to_datetime(["2026-11-19 20:00"]).tz_localize("UTC"))
    ny = utc.dt.tz_convert("America/New_York")
    assert add_many(CAL, ny, timedelta(hours=4)).equals(add_many(CAL, utc, timedelta(hours=4)))


def test_datetime_index_in_gives_a_datetime_index() -> None:
    """A tz-aware DatetimeIndex comes back as a DatetimeIndex in the calendar's zone."""
    starts = pd.DatetimeIndex(["2026-11-24 09:00"]).tz_localize(SP)
    result = add_many(CAL, starts, timedelta(hours=-1))
    assert isinstance(result, pd.DatetimeIndex)
    assert result[0].isoformat() == "2026-11-23T17:00:00-03:00"


def test_elapsed_many_on_series_keeps_the_index() -> None:
    """elapsed_many on Series gives timedeltas indexed like the starts."""
    index = pd.Index(["a", "b"])
    starts = pd.Series(pd.DatetimeIndex(["2026-11-20 10:00", "2026-11-24 09:00"]).tz_localize(SP))
    ends = pd.Series(pd.DatetimeIndex(["2026-11-23 10:00", "2026-11-24 18:00"]).tz_localize(SP))
    starts.index = ends.index = index
    result = elapsed_many(CAL, starts, ends)
    assert isinstance(result, pd.Series)
    assert result.index.equals(index)
    assert result.tolist() == [pd.Timedelta(hours=1), pd.Timedelta(hours=9)]


def test_a_duration_series_is_read_elementwise() -> None:
    """A pandas Series of timedeltas gives one duration per start."""
    starts = pd.Series(pd.DatetimeIndex(["2026-11-24 09:00"] * 2).tz_localize(SP))
    durations = pd.Series(pd.to_timedelta(["1h", "-1h"]))
    result = add_many(CAL, starts, durations)
    assert [t.isoformat() for t in result] == [
        "2026-11-24T10:00:00-03:00",
        "2026-11-23T17:00:00-03:00",
    ]


def test_naive_series_is_refused() -> None:
    """A pandas Series of naive times names no instants: NaiveDatetimeError (a ValueError)."""
    naive = pd.Series(pd.to_datetime(["2026-11-24 09:00"]))
    with pytest.raises(NaiveDatetimeError, match=r"no timezone.*tz_localize"):
        add_many(CAL, naive, timedelta(hours=1))
    with pytest.raises(ValueError, match="no timezone"):
        elapsed_many(CAL, naive, naive)
    with pytest.raises(NaiveDatetimeError):
        add_many(CAL, pd.DatetimeIndex(naive), timedelta(hours=1))


def test_naive_datetime_in_a_list_is_refused() -> None:
    """A list of datetimes is read one by one; a naive one is refused."""
    with pytest.raises(NaiveDatetimeError):
        # Naive on purpose.
        add_many(CAL, [sp(2026, 11, 24, 9), datetime(2026, 11, 24, 9)], timedelta(hours=1))  # noqa: DTZ001


def test_a_list_of_aware_datetimes_is_accepted() -> None:
    """A list of aware datetimes (any zones) gives datetime64 UTC results."""
    starts = [sp(2026, 11, 19, 17), datetime(2026, 11, 28, 13, tzinfo=ZoneInfo("UTC"))]
    result = add_many(CAL, starts, timedelta(hours=4))
    assert result.tolist() == utc64("2026-11-23T15:00", "2026-11-30T16:00").tolist()


# -- broadcasting, NaT, empty, units -----------------------------------------------------------


@pytest.mark.parametrize(
    "duration",
    [timedelta(hours=4), np.timedelta64(4, "h"), np.timedelta64(14_400, "s"), pd.Timedelta("4h")],
    ids=["timedelta", "timedelta64[h]", "timedelta64[s]", "pd.Timedelta"],
)
def test_a_scalar_duration_broadcasts(duration: object) -> None:
    """One duration applies to every start, whatever its type."""
    starts = utc64("2026-11-19T20:00", "2026-11-24T12:00", "2026-11-28T13:00")
    result = add_many(CAL, starts, duration)
    assert (
        result.tolist()
        == utc64("2026-11-23T15:00", "2026-11-24T16:00", "2026-11-30T16:00").tolist()
    )


def test_nat_in_gives_nat_out() -> None:
    """NaT in a start or a duration gives NaT in that row only."""
    starts = utc64("2026-11-19T20:00", "NaT", "2026-11-24T12:00")
    durations = np.array([4, 4, "NaT"], dtype="timedelta64[h]")
    result = add_many(CAL, starts, durations)
    assert result[0] == np.datetime64("2026-11-23T15:00")
    assert np.isnat(result[1:]).all()
    ends = utc64("NaT", "2026-11-24T13:00", "2026-11-24T13:00")
    elapsed = elapsed_many(CAL, starts, ends)
    assert np.isnat(elapsed[:2]).all()
    assert elapsed[2] == np.timedelta64(1, "h")


def test_nat_in_a_series_gives_nat_out() -> None:
    """A missing start in a tz-aware Series stays missing in the result."""
    starts = pd.Series(pd.DatetimeIndex(["2026-11-24 09:00", None]).tz_localize(SP))
    result = add_many(CAL, starts, timedelta(hours=1))
    assert result.iloc[0].isoformat() == "2026-11-24T10:00:00-03:00"
    assert pd.isna(result.iloc[1])


def test_all_nat_gives_all_nat() -> None:
    """A start array of NaT only gives NaT without compiling anything."""
    starts = np.array([NAT, NAT], dtype=np.int64)
    assert add_many_us(CAL, starts, HOUR_US).tolist() == [NAT, NAT]
    assert elapsed_many_us(CAL, starts, starts).tolist() == [NAT, NAT]
    assert localize_many_us(CAL, starts).tolist() == [NAT, NAT]


def test_empty_arrays_give_empty_arrays() -> None:
    """Empty in, empty out, with the usual dtypes."""
    empty = np.array([], dtype="datetime64[us]")
    assert add_many(CAL, empty, timedelta(hours=1)).shape == (0,)
    assert add_many(CAL, empty, timedelta(hours=1)).dtype == np.dtype("datetime64[us]")
    assert elapsed_many(CAL, empty, empty).dtype == np.dtype("timedelta64[us]")
    none = np.array([], dtype=np.int64)
    assert add_many_us(CAL, none, none).shape == (0,)
    assert elapsed_many_us(CAL, none, none).shape == (0,)
    assert localize_many_us(CAL, none).shape == (0,)
    assert utc_offsets_us(CAL, none).shape == (0,)
    series = pd.Series(pd.DatetimeIndex([], dtype="datetime64[ns, UTC]"))
    result = add_many(CAL, series, timedelta(hours=1))
    assert isinstance(result, pd.Series)
    assert result.empty


@pytest.mark.parametrize("unit", ["ns", "ms", "s", "m"])
def test_datetime64_units_other_than_us(unit: str) -> None:
    """datetime64 starts in any unit name the same UTC instants as in microseconds."""
    starts = utc64("2026-11-19T20:00", "2026-11-24T12:00", unit=unit)
    result = add_many(CAL, starts, np.timedelta64(4, "h"))
    assert result.dtype == np.dtype("datetime64[us]")
    assert result.tolist() == utc64("2026-11-23T15:00", "2026-11-24T16:00").tolist()


def test_nanoseconds_are_floored_to_the_microsecond() -> None:
    """A start 999 ns after 12:00 UTC is read as 12:00 UTC, like the scalar path reads it."""
    starts = np.array(["2026-11-24T12:00:00.000000999"], dtype="datetime64[ns]")
    assert to_epoch_us(starts).tolist() == [us(sp(2026, 11, 24, 9))]
    durations = np.array([1_000_000_999], dtype="timedelta64[ns]")  # 1 s and 999 ns
    result = add_many(CAL, starts, durations)
    assert result.tolist() == utc64("2026-11-24T12:00:01").tolist()


def test_integer_arrays_are_epoch_microseconds_only_for_the_us_functions() -> None:
    """Integer starts are epoch microseconds for add_many_us; add_many refuses them."""
    start = us(sp(2026, 11, 19, 17))
    expected = us(sp(2026, 11, 23, 12))
    assert add_many_us(CAL, [start], [4 * HOUR_US]).tolist() == [expected]
    assert elapsed_many_us(CAL, [start], [expected]).tolist() == [4 * HOUR_US]
    as_utc = np.array([start]).view("datetime64[us]")
    assert add_many(CAL, as_utc, timedelta(hours=4)).view(np.int64).tolist() == [expected]


@pytest.mark.parametrize(
    "numbers",
    [
        pytest.param(np.array([1, 2]), id="int64-array"),
        pytest.param([1, 2], id="list-of-ints"),
        pytest.param(np.array([1.5]), id="float-array"),
        pytest.param(np.array([True]), id="bool-array"),
        pytest.param(np.uint32(7), id="scalar"),
    ],
)
def test_plain_numbers_are_refused_as_instants(numbers: object) -> None:
    """add_many/elapsed_many refuse plain numbers as instants and point to the *_us calls."""
    when = utc64("2026-11-19T20:00")
    calls: list[Callable[[], object]] = [
        lambda: add_many(CAL, numbers, timedelta(hours=4)),
        lambda: elapsed_many(CAL, numbers, when),
        lambda: elapsed_many(CAL, when, numbers),
    ]
    for call in calls:
        with pytest.raises(TypeError, match="add_many_us") as info:
            call()
        assert "plain numbers" in str(info.value)


def test_plain_numbers_in_a_pandas_series_are_refused() -> None:
    """A pandas Series of integers is not read as nanoseconds or microseconds either."""
    with pytest.raises(TypeError, match="elapsed_many_us"):
        add_many(CAL, pd.Series([1, 2]), timedelta(hours=1))


def test_integer_durations_are_refused_by_add_many() -> None:
    """add_many needs timedeltas (a bare integer has no unit); add_many_us takes integers."""
    with pytest.raises(TypeError, match="timedelta"):
        add_many(CAL, utc64("2026-11-19T20:00"), np.array([4]))


def test_two_dimensional_arrays_keep_their_shape() -> None:
    """The shape of the starts is the shape of the result (durations broadcast against it)."""
    starts = to_epoch_us(utc64("2026-11-19T20:00", "2026-11-24T12:00").reshape(2, 1))
    durations = np.array([HOUR_US, -HOUR_US], dtype=np.int64)
    starts2 = np.broadcast_to(starts, (2, 2)).copy()
    result = add_many_us(CAL, starts2, durations)
    assert result.shape == (2, 2)
    expected = [
        [CAL.add_us(int(s), int(d)) for s, d in zip(row, durations, strict=True)] for row in starts2
    ]
    assert result.tolist() == expected
    starts2[0, 1] = NAT
    with_nat = add_many_us(CAL, starts2, durations)
    assert with_nat.shape == (2, 2)
    assert with_nat[0, 1] == NAT
    assert elapsed_many_us(CAL, starts2, starts2).shape == (2, 2)


# -- growth and limits -------------------------------------------------------------------------


def test_results_years_away_grow_the_timeline() -> None:
    """A desk open one minute a week reaches 200 minutes four years later, both ways."""

    def sparse() -> BusinessCalendar:
        return BusinessCalendar.create(hours={"mon": "09:00-09:01"}, country=None)

    start = us(sp(2026, 11, 24, 12))
    d = 200 * 60_000_000
    fresh = sparse()
    forward = add_many_us(fresh, [start, start + 1], d)
    backward = add_many_us(fresh, [start, start + 1], -d)
    twin = sparse()
    assert forward.tolist() == [twin.add_us(start, d), twin.add_us(start + 1, d)]
    assert backward.tolist() == [twin.add_us(start, -d), twin.add_us(start + 1, -d)]
    assert CAL.from_us(int(forward[0])).year == 2030
    assert CAL.from_us(int(backward[0])).year == 2023


def test_a_calendar_without_weekly_hours_runs_out_of_open_time() -> None:
    """With only one open date, a duration past its open time is an OutOfRangeError."""
    one_day = BusinessCalendar.create(
        hours={}, country=None, extra_open_days={date(2026, 11, 24): "09:00-10:00"}
    )
    before = us(sp(2026, 11, 20, 12))
    assert add_many_us(one_day, [before], [HOUR_US]).tolist() == [us(sp(2026, 11, 24, 10))]
    assert add_many_us(one_day, [before], [0]).tolist() == [before]
    with pytest.raises(OutOfRangeError, match="not enough open time after"):
        add_many_us(one_day, [before, before], [HOUR_US, HOUR_US + 1])
    with pytest.raises(OutOfRangeError, match="not enough open time before"):
        add_many_us(one_day, [us(sp(2026, 12, 1, 12))], [-HOUR_US - 1])
    with pytest.raises(ValueError, match="weekly hours"):
        add_many(one_day, utc64("2026-11-30T12:00"), timedelta(hours=2))


def test_a_calendar_never_open_runs_out_at_once() -> None:
    """A calendar with no open time at all refuses any positive or negative duration."""
    never = BusinessCalendar.create(hours={}, country=None)
    start = us(sp(2026, 11, 24, 12))
    assert add_many_us(never, [start], [0]).tolist() == [start]
    with pytest.raises(OutOfRangeError):
        add_many_us(never, [start], [1])
    with pytest.raises(OutOfRangeError):
        add_many_us(never, [start], [-1])
    assert elapsed_many_us(never, [start], [start + HOUR_US]).tolist() == [0]


# -- wall time --------------------------------------------------------------------------------


def wall(*args: int) -> int:
    naive = datetime(*args)  # noqa: DTZ001 - a wall-clock reading, the input of localize
    # Naive: wall-clock arithmetic.
    return (naive - datetime(1970, 1, 1)) // timedelta(microseconds=1)  # noqa: DTZ001


def test_localize_many_us_moves_gaps_forward_and_takes_the_first_occurrence() -> None:
    """São Paulo 2018: Nov 4 00:30 is in the gap (-> 01:30 -02:00); Feb 17 23:30 is repeated
    (-> its first occurrence, -02:00). New York 2026-03-08 02:30 -> 03:30 EDT."""
    walls = [wall(2018, 11, 4, 0, 30), wall(2018, 2, 17, 23, 30), wall(2026, 11, 24, 9)]
    expected = [
        to_epoch_us(utc64("2018-11-04T03:30"))[0],
        to_epoch_us(utc64("2018-02-18T01:30"))[0],
        to_epoch_us(utc64("2026-11-24T12:00"))[0],
    ]
    assert localize_many_us(CAL, walls).tolist() == expected
    ny = CAL.with_timezone("America/New_York")
    assert localize_many_us(ny, [wall(2026, 3, 8, 2, 30)]).tolist() == [
        us(datetime(2026, 3, 8, 7, 30, tzinfo=ZoneInfo("UTC")))
    ]


def test_utc_offsets_us_around_a_switch() -> None:
    """The offset changes at the switch instant itself: -03:00 before, -02:00 from it on."""
    switch = to_epoch_us(utc64("2018-11-04T03:00"))[0]
    offsets = utc_offsets_us(CAL, [switch - 1, switch, switch + 1])
    assert (offsets // HOUR_US).tolist() == [-3, -2, -2]
