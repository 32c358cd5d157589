"""WeeklyHours and day-hours parsing: wall-clock [start, end) intervals per weekday."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sla_clock import InvalidHoursError, WeeklyHours
from sla_clock.hours import format_day_hours, parse_day_hours
from strategies import DAY_NAMES, as_spec, day_hours

NINE, NOON, ONE, SIX = 9 * 3600, 12 * 3600, 13 * 3600, 18 * 3600


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("09:00-18:00", ((NINE, SIX),)),
        (["09:00-12:00", "13:00-18:00"], ((NINE, NOON), (ONE, SIX))),
        ("13:00-18:00, 09:00-12:00", ((NINE, NOON), (ONE, SIX))),  # sorted
        (" 9:00 - 18:00 ", ((NINE, SIX),)),
        ("00:00-24:00", ((0, 86400),)),
        ("09:00:30-09:00:45", ((NINE + 30, NINE + 45),)),
        (["09:00-12:00", "12:00-13:00"], ((NINE, NOON), (NOON, ONE))),  # touching is fine
        ("", ()),
        ([], ()),
        ([(NINE, SIX)], ((NINE, SIX),)),
    ],
)
def test_parse_day_hours(spec: object, expected: tuple[tuple[int, int], ...]) -> None:
    """One day's hours parse from strings, lists or second pairs into sorted second pairs."""
    # Every accepted form, typed object.
    assert parse_day_hours(spec) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("spec", "shown"),
    [
        ("18:00-09:00", "18:00-09:00"),
        ("09:00-09:00", "09:00-09:00"),
        (["09:00-12:00", "11:00-13:00"], "11:00"),
        ("25:00-26:00", "25:00"),
        ("09:00-24:01", "24:01"),
        ("09:60-10:00", "09:60"),
        ("09:00:60-10:00", "09:00:60"),
        ("9-18", "'9'"),
        ("09:00", "09:00"),
        ("09:00-12:00-13:00", "09:00-12:00-13:00"),
        ([(NINE, 90_000)], "90000"),
        ([(-1, NINE)], "-1"),
    ],
)
def test_bad_day_hours_are_refused_with_the_value_shown(spec: object, shown: str) -> None:
    """Inverted, empty, overlapping, out-of-range or unparsable intervals raise and show it."""
    with pytest.raises(InvalidHoursError) as info:
        parse_day_hours(spec)  # type: ignore[arg-type]  # a bad value on purpose
    assert shown in str(info.value)


def test_weekly_hours_parse_ranges_and_single_days() -> None:
    """'mon-fri' expands to five days, 'sat' to one; days not named are closed."""
    hours = WeeklyHours.parse({"mon-fri": "09:00-18:00", "sat": "09:00-13:00"})
    assert hours.days[:5] == (((NINE, SIX),),) * 5
    assert hours.days[5] == ((NINE, ONE),)
    assert hours.days[6] == ()


def test_weekday_names_are_case_insensitive() -> None:
    """'Mon-Fri' reads like 'mon-fri'."""
    assert WeeklyHours.parse({"Mon-Fri": "09:00-18:00"}) == WeeklyHours.parse(
        {"mon-fri": "09:00-18:00"}
    )


@pytest.mark.parametrize(
    "spec",
    [
        {"monday": "09:00-18:00"},
        {"fri-mon": "09:00-18:00"},
        {"mon-xyz": "09:00-18:00"},
        {"mon-fri": "09:00-18:00", "fri": "09:00-12:00"},
    ],
)
def test_bad_weekdays_are_refused(spec: dict[str, str]) -> None:
    """An unknown weekday, a reversed range or a day given twice raises InvalidHoursError."""
    with pytest.raises(InvalidHoursError):
        WeeklyHours.parse(spec)


def test_open_seconds_per_week() -> None:
    """A lunch break week has 40 open hours, the default week 45."""
    lunch = WeeklyHours.parse({"mon-fri": ["09:00-12:00", "13:00-18:00"]})
    assert lunch.open_seconds_per_week() == 40 * 3600
    assert WeeklyHours.parse({"mon-fri": "09:00-18:00"}).open_seconds_per_week() == 45 * 3600


def test_is_never_open() -> None:
    """Only a week with no interval on any day is never open."""
    assert WeeklyHours.parse({}).is_never_open()
    assert WeeklyHours.parse({"mon": ""}).is_never_open()
    assert not WeeklyHours.parse({"sun": "23:59-24:00"}).is_never_open()


def test_format_day_hours() -> None:
    """Seconds format back to HH:MM, with :SS only when needed, and 24:00 for midnight."""
    assert format_day_hours(((NINE, NOON), (ONE + 5, 86400))) == ["09:00-12:00", "13:00:05-24:00"]


@pytest.mark.slow
@given(st.lists(day_hours(1), min_size=7, max_size=7))
def test_to_spec_round_trips(days: list[tuple[tuple[int, int], ...]]) -> None:
    """parse(to_spec()) gives back the same weekly hours, to the second."""
    spec = {name: as_spec(day) for name, day in zip(DAY_NAMES, days, strict=True)}
    hours = WeeklyHours.parse(spec)
    assert hours.days == tuple(days)
    assert WeeklyHours.parse(hours.to_spec()) == hours


def test_weekly_hours_are_hashable_values() -> None:
    """Equal hours are equal and hash alike."""
    a = WeeklyHours.parse({"mon-fri": "09:00-18:00"})
    b = WeeklyHours.parse({"fri": "9:00-18:00", "mon-thu": ["09:00-18:00"]})
    assert a == b
    assert hash(a) == hash(b)
