"""Wall clock <-> UTC: the PEP 495 rule (gap forward, first occurrence), 24:00, naive times."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reference import from_us, to_us
from sla_clock import BusinessCalendar, CalendarConfigError, NaiveDatetimeError
from sla_clock._zone import load_zone, localize, naive_error, offset_transitions, wall_to_us
from strategies import FIRST_US, LAST_US, ZONES, transitions_us

NY = ZoneInfo("America/New_York")
SP = ZoneInfo("America/Sao_Paulo")


def utc_us(
    year: int,
    month: int,
    day: int,
    hour: int = 0,
    minute: int = 0,
    second: int = 0,
    microsecond: int = 0,
) -> int:
    return to_us(datetime(year, month, day, hour, minute, second, microsecond, tzinfo=UTC))


@pytest.mark.parametrize(
    ("day", "second", "zone", "expected"),
    [
        # Plain: 09:00 in São Paulo (-03:00) is 12:00 UTC.
        (date(2026, 11, 24), 9 * 3600, SP, utc_us(2026, 11, 24, 12)),
        # 24:00 is the next day's 00:00.
        (date(2026, 11, 24), 86400, SP, utc_us(2026, 11, 25, 3)),
        # New York gap (02:00 -> 03:00 on 2026-03-08): 02:30 moves forward to 03:30 EDT.
        (date(2026, 3, 8), 2 * 3600 + 1800, NY, utc_us(2026, 3, 8, 7, 30)),
        # New York fold (01:00-02:00 twice on 2026-11-01): 01:30 is the first, EDT.
        (date(2026, 11, 1), 3600 + 1800, NY, utc_us(2026, 11, 1, 5, 30)),
        # São Paulo gap at midnight (2018-11-04): 00:00 moves forward to 01:00 -02:00.
        (date(2018, 11, 4), 0, SP, utc_us(2018, 11, 4, 3)),
        # 24:00 of the day before the gap is the same instant as the gap day's 00:00.
        (date(2018, 11, 3), 86400, SP, utc_us(2018, 11, 4, 3)),
        # São Paulo fold (2018-02-17 23:00-24:00 twice): 23:30 is the first, -02:00.
        (date(2018, 2, 17), 23 * 3600 + 1800, SP, utc_us(2018, 2, 18, 1, 30)),
    ],
)
def test_wall_to_us(day: date, second: int, zone: ZoneInfo, expected: int) -> None:
    """A wall time becomes an instant with fold=0: a gap moves forward, a fold takes the first."""
    assert wall_to_us(day, second, zone) == expected


@pytest.mark.parametrize(
    ("wall", "expected_utc"),
    [
        # Naive wall times are the input here.
        (datetime(2026, 3, 8, 2, 30), datetime(2026, 3, 8, 7, 30, tzinfo=UTC)),  # noqa: DTZ001
        # Naive wall times are the input here.
        (datetime(2026, 11, 1, 1, 30), datetime(2026, 11, 1, 5, 30, tzinfo=UTC)),  # noqa: DTZ001
        # Naive wall times are the input here.
        (datetime(2026, 11, 1, 1, 30, fold=1), datetime(2026, 11, 1, 5, 30, tzinfo=UTC)),  # noqa: DTZ001
        # Naive wall times are the input here.
        (datetime(2026, 11, 24, 9), datetime(2026, 11, 24, 14, tzinfo=UTC)),  # noqa: DTZ001
    ],
)
def test_localize_follows_the_fold_rule(wall: datetime, expected_utc: datetime) -> None:
    """localize() reads a naive wall time in the zone: gap forward, always the first occurrence."""
    for result in (
        localize(wall, NY),
        BusinessCalendar.create(timezone="America/New_York").localize(wall),
    ):
        assert to_us(result) == to_us(expected_utc)
        assert result.tzinfo == NY
        # The result is normalised: its wall time really exists at that instant.
        assert to_us(result.astimezone(UTC).astimezone(NY)) == to_us(result)
        assert result.replace(tzinfo=None) == result.astimezone(UTC).astimezone(NY).replace(
            tzinfo=None
        )


def test_localize_converts_aware_values() -> None:
    """An aware datetime given to localize() is the same instant, shown in the zone."""
    aware = datetime(2026, 11, 24, 12, tzinfo=UTC)
    result = BusinessCalendar.default().localize(aware)
    assert result == aware
    assert result.tzinfo == SP
    assert result.hour == 9


def test_load_zone() -> None:
    """Known IANA names load; unknown ones raise CalendarConfigError naming them."""
    # A naive probe of the offset.
    assert load_zone("Asia/Kolkata").utcoffset(datetime(2026, 1, 1)) == timedelta(  # noqa: DTZ001
        hours=5, minutes=30
    )
    for bad in ("Mars/Olympus_Mons", "", "../etc/passwd"):
        with pytest.raises(CalendarConfigError) as info:
            load_zone(bad)
        assert repr(bad) in str(info.value)


def test_naive_error_shows_the_fix() -> None:
    """The naive-datetime error shows the value, the zone to pass and localize()."""
    error = naive_error(datetime(2026, 11, 24, 10), NY)  # noqa: DTZ001  # naive on purpose
    assert isinstance(error, NaiveDatetimeError)
    assert "2026-11-24 10:00:00" in str(error)
    assert "ZoneInfo('America/New_York')" in str(error)
    assert "localize()" in str(error)


@given(st.sampled_from(ZONES), st.integers(FIRST_US, LAST_US))
def test_calendar_to_us_and_from_us_round_trip(zone: str, us: int) -> None:
    """from_us(to_us(x)) is the same instant, in the zone, with the right fold in repeated hours."""
    cal = BusinessCalendar.create(timezone=zone, country=None)
    value = cal.from_us(us)
    assert value.tzinfo == ZoneInfo(zone)
    assert cal.to_us(value) == us
    assert to_us(value) == us
    assert value.utcoffset() == from_us(us, ZoneInfo(zone)).utcoffset()
    assert value.fold == from_us(us, ZoneInfo(zone)).fold


@pytest.mark.slow
@pytest.mark.parametrize("zone", ZONES)
def test_offset_transitions_match_an_independent_scan(zone: str) -> None:
    """offset_transitions() finds exactly the UTC-offset changes a plain day-by-day scan finds."""
    instants, offsets = offset_transitions(ZoneInfo(zone), 2015, 2035)
    lo, hi = FIRST_US + 86_400_000_000, LAST_US - 86_400_000_000
    assert [t for t in instants if lo <= t <= hi] == [
        t for t in transitions_us(zone) if lo <= t <= hi
    ]
    assert len(offsets) == len(instants) + 1
    for t, after in zip(instants, offsets[1:], strict=True):
        assert from_us(t, ZoneInfo(zone)).utcoffset() == timedelta(microseconds=after)
        assert from_us(t - 1, ZoneInfo(zone)).utcoffset() != timedelta(microseconds=after)
