"""BusinessCalendar: the worked examples of DESIGN.md and the edge cases around them.

Every expected value here comes from DESIGN.md or from reasoning by hand (stated next to it),
never from the engine itself.
"""

from __future__ import annotations

import pickle
import subprocess
import sys
import threading
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from dateutil.relativedelta import relativedelta

from reference import reference_for, to_us
from sla_clock import (
    BusinessCalendar,
    CalendarConfigError,
    InvalidHoursError,
    NaiveDatetimeError,
    OutOfRangeError,
    SlaClockError,
)
from support import SP, sp

NY = ZoneInfo("America/New_York")
H = timedelta(hours=1)
US = timedelta(microseconds=1)
LUNCH = {"mon-fri": ["09:00-12:00", "13:00-18:00"]}


@pytest.fixture
def cal() -> BusinessCalendar:
    return BusinessCalendar.default()


@pytest.fixture
def lunch() -> BusinessCalendar:
    return BusinessCalendar.create(hours=LUNCH)


# -- the worked examples of DESIGN.md --------------------------------------------------------

ADD_EXAMPLES = [
    pytest.param(sp(2026, 11, 19, 17), 4 * H, sp(2026, 11, 23, 12), id="thu-4h-over-holiday"),
    pytest.param(sp(2026, 12, 31, 16), 12 * H, sp(2027, 1, 5, 10), id="new-year-12h"),
    pytest.param(sp(2026, 11, 28, 10), 1 * H, sp(2026, 11, 30, 10), id="saturday-start"),
    pytest.param(sp(2026, 11, 24, 9), 9 * H, sp(2026, 11, 24, 18), id="lands-on-close"),
    pytest.param(sp(2026, 11, 27, 18), 0 * H, sp(2026, 11, 27, 18), id="zero-at-close"),
    pytest.param(sp(2026, 11, 24, 9), -1 * H, sp(2026, 11, 23, 17), id="negative-from-open"),
    # SLA section: a P0 (4 h) opened Mon 14:00 is due Mon 18:00.
    pytest.param(sp(2026, 11, 23, 14), 4 * H, sp(2026, 11, 23, 18), id="p0-due"),
    # "P2 is 4 business days and 4 hours" on the default 9-hour days.
    pytest.param(sp(2026, 11, 23, 9), 40 * H, sp(2026, 11, 27, 13), id="p2-40h"),
]


@pytest.mark.parametrize(("start", "duration", "expected"), ADD_EXAMPLES)
def test_design_add_examples(
    cal: BusinessCalendar, start: datetime, duration: timedelta, expected: datetime
) -> None:
    """Each add() example of DESIGN.md gives the documented result, in São Paulo time."""
    result = cal.add(start, duration)
    assert result == expected
    assert result.tzinfo == SP
    assert result.utcoffset() == timedelta(hours=-3)


def test_design_elapsed_example(cal: BusinessCalendar) -> None:
    """elapsed(Fri 2026-11-20 10:00, Mon 2026-11-23 10:00) is 1 h: Nov 20 is a holiday."""
    assert cal.elapsed(sp(2026, 11, 20, 10), sp(2026, 11, 23, 10)) == H


def test_design_breach_instant(cal: BusinessCalendar) -> None:
    """A P0 opened Mon 14:00 has used exactly 4 h until Tue 09:00 and more only after it."""
    opened = sp(2026, 11, 23, 14)
    assert cal.elapsed(opened, sp(2026, 11, 23, 18, 0, 0, 1)) == 4 * H
    assert cal.elapsed(opened, sp(2026, 11, 24, 9)) == 4 * H
    assert cal.elapsed(opened, sp(2026, 11, 24, 9, 0, 0, 1)) == 4 * H + US
    assert cal.next_open(sp(2026, 11, 23, 18)) == sp(2026, 11, 24, 9)


def test_lunch_break_makes_p2_exactly_five_days(lunch: BusinessCalendar) -> None:
    """With a 12:00-13:00 break, 40 h from Mon 09:00 ends Fri 18:00: exactly 5 business days."""
    assert lunch.add(sp(2026, 11, 23, 9), 40 * H) == sp(2026, 11, 27, 18)
    assert lunch.elapsed(sp(2026, 11, 23, 9), sp(2026, 11, 30, 9)) == 40 * H


def test_lunch_break_is_one_line_of_configuration() -> None:
    """with_hours() with the lunch break equals create(hours=...) with it."""
    assert BusinessCalendar.default().with_hours(LUNCH) == BusinessCalendar.create(hours=LUNCH)


# -- add: boundaries, signs and precision ---------------------------------------------------


@pytest.mark.parametrize(
    ("start", "duration", "expected"),
    [
        pytest.param(sp(2026, 11, 23, 11), 1 * H, sp(2026, 11, 23, 12), id="ends-on-close"),
        pytest.param(sp(2026, 11, 23, 11), 2 * H, sp(2026, 11, 23, 14), id="across-lunch"),
        pytest.param(sp(2026, 11, 23, 12, 30), 0 * H, sp(2026, 11, 23, 12, 30), id="zero-closed"),
        pytest.param(sp(2026, 11, 23, 12, 30), US, sp(2026, 11, 23, 13, 0, 0, 1), id="1us"),
        pytest.param(sp(2026, 11, 23, 14), -1 * H, sp(2026, 11, 23, 13), id="back-to-opening"),
        pytest.param(sp(2026, 11, 23, 13), -1 * H, sp(2026, 11, 23, 11), id="back-over-lunch"),
        pytest.param(sp(2026, 11, 23, 13), -US, sp(2026, 11, 23, 11, 59, 59, 999999), id="-1us"),
        pytest.param(sp(2026, 11, 23, 12, 30), -1 * H, sp(2026, 11, 23, 11), id="back-from-lunch"),
    ],
)
def test_add_around_a_lunch_break(
    lunch: BusinessCalendar, start: datetime, duration: timedelta, expected: datetime
) -> None:
    """add() lands on a close going forward and on an opening going back, across the break."""
    assert lunch.add(start, duration) == expected


def test_negative_add_lands_on_opening_not_previous_close(cal: BusinessCalendar) -> None:
    """add(Tue 10:00, -1 h) is Tue 09:00, not Mon 18:00 (same open time, later instant)."""
    assert cal.add(sp(2026, 11, 24, 10), -H) == sp(2026, 11, 24, 9)


def test_add_keeps_microseconds(cal: BusinessCalendar) -> None:
    """Microseconds in give microseconds out: nothing is rounded."""
    assert cal.add(sp(2026, 11, 24, 9, 0, 0, 1), 9 * H) == sp(2026, 11, 25, 9, 0, 0, 1)
    assert cal.add(sp(2026, 11, 24, 17, 59, 59, 999999), 2 * US) == sp(2026, 11, 25, 9, 0, 0, 1)
    assert cal.elapsed(sp(2026, 11, 24, 9), sp(2026, 11, 24, 9, 0, 0, 1)) == US


def test_add_accepts_any_aware_input_and_answers_in_the_calendar_zone(
    cal: BusinessCalendar,
) -> None:
    """An instant given in UTC or a fixed offset is the same instant; the result is in SP."""
    start = datetime(2026, 11, 19, 20, tzinfo=UTC)  # Thu 17:00 in São Paulo
    for value in (start, start.astimezone(timezone(timedelta(hours=9))), start.astimezone(NY)):
        result = cal.add(value, 4 * H)
        assert result == sp(2026, 11, 23, 12)
        assert result.tzinfo == SP


def test_add_over_many_years_matches_the_reference(cal: BusinessCalendar) -> None:
    """A 20000 h add (about nine years) crosses many compiled chunks both ways correctly."""
    ref = reference_for(cal)
    start = sp(2015, 1, 1)
    long = 20_000 * H
    forward = cal.add(start, long)
    assert to_us(forward) == ref.add(to_us(start), long // US)
    assert cal.elapsed(start, forward) == long
    end = sp(2035, 12, 1)
    backward = cal.add(end, -long)
    assert to_us(backward) == ref.add(to_us(end), -long // US)


# -- elapsed ----------------------------------------------------------------------------------


def test_elapsed_is_signed(cal: BusinessCalendar) -> None:
    """elapsed(b, a) is minus elapsed(a, b), and elapsed(a, a) is zero."""
    a, b = sp(2026, 11, 20, 10), sp(2026, 11, 23, 10)
    assert cal.elapsed(b, a) == -H
    assert cal.elapsed(a, a) == timedelta(0)


def test_elapsed_of_a_week(cal: BusinessCalendar) -> None:
    """A plain week (no holidays) of the default desk holds 5 x 9 = 45 h."""
    assert cal.elapsed(sp(2026, 11, 23), sp(2026, 11, 30)) == 45 * H


def test_elapsed_counts_closed_endpoints_as_nothing(cal: BusinessCalendar) -> None:
    """From a close to the next opening no time is used, even over a weekend."""
    assert cal.elapsed(sp(2026, 11, 27, 18), sp(2026, 11, 30, 9)) == timedelta(0)


# -- is_open, next_open, next_close -------------------------------------------------------------


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        (sp(2026, 11, 24, 9), True),
        (sp(2026, 11, 24, 8, 59, 59, 999999), False),
        (sp(2026, 11, 24, 17, 59, 59, 999999), True),
        (sp(2026, 11, 24, 18), False),
        (sp(2026, 11, 28, 10), False),  # Saturday
        (sp(2026, 11, 20, 10), False),  # Black Awareness Day, national from 2024
        (sp(2023, 11, 20, 10), True),  # not national before 2024
    ],
)
def test_is_open(cal: BusinessCalendar, at: datetime, *, expected: bool) -> None:
    """Intervals are [open, close): open at 09:00, closed at 18:00, closed on holidays."""
    assert cal.is_open(at) is expected


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        (sp(2026, 11, 24, 10, 30), sp(2026, 11, 24, 10, 30)),  # open: itself
        (sp(2026, 11, 24, 9), sp(2026, 11, 24, 9)),
        (sp(2026, 11, 24, 18), sp(2026, 11, 25, 9)),
        (sp(2026, 11, 28, 10), sp(2026, 11, 30, 9)),
        (sp(2026, 11, 19, 18), sp(2026, 11, 23, 9)),  # Friday Nov 20 is a holiday
    ],
)
def test_next_open(cal: BusinessCalendar, at: datetime, expected: datetime) -> None:
    """next_open(t) is t when open, else the next opening."""
    result = cal.next_open(at)
    assert result == expected
    assert result.tzinfo == SP


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        (sp(2026, 11, 24, 10), sp(2026, 11, 24, 18)),
        (sp(2026, 11, 24, 18), sp(2026, 11, 25, 18)),
        (sp(2026, 11, 24, 17, 59, 59, 999999), sp(2026, 11, 24, 18)),
        (sp(2026, 11, 28, 10), sp(2026, 11, 30, 18)),
    ],
)
def test_next_close(cal: BusinessCalendar, at: datetime, expected: datetime) -> None:
    """next_close(t) is the end of the open period containing t, else of the next one."""
    result = cal.next_close(at)
    assert result == expected
    assert result.tzinfo == SP


def test_next_close_with_a_lunch_break(lunch: BusinessCalendar) -> None:
    """A lunch break ends the morning period at 12:00; from 12:00 the next close is 18:00."""
    assert lunch.next_close(sp(2026, 11, 23, 10)) == sp(2026, 11, 23, 12)
    assert lunch.next_close(sp(2026, 11, 23, 12)) == sp(2026, 11, 23, 18)


def test_next_close_merges_periods_across_midnight() -> None:
    """Mon 18:00-24:00 and Tue 00:00-02:00 are one period: it closes Tue 02:00."""
    cal = BusinessCalendar.create(hours={"mon": "18:00-24:00", "tue": "00:00-02:00"}, country=None)
    assert cal.next_close(sp(2026, 11, 23, 20)) == sp(2026, 11, 24, 2)
    assert cal.is_open(sp(2026, 11, 24, 0))
    assert list(cal.open_intervals(sp(2026, 11, 23), sp(2026, 11, 25))) == [
        (sp(2026, 11, 23, 18), sp(2026, 11, 24, 2))
    ]


def test_next_close_of_a_round_the_clock_week() -> None:
    """Mon-Fri 00:00-24:00 is one long period from Monday 00:00 to Saturday 00:00."""
    cal = BusinessCalendar.create(hours={"mon-fri": "00:00-24:00"}, country=None)
    assert cal.next_close(sp(2026, 11, 25, 10)) == sp(2026, 11, 28)
    assert cal.next_open(sp(2026, 11, 28, 10)) == sp(2026, 11, 30)


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        (sp(2026, 12, 29, 10), sp(2027, 1, 1)),  # closed on New Year's Day
        (sp(2026, 6, 1), sp(2026, 9, 7)),  # Independence Day, the next public holiday
        (sp(2023, 12, 26, 10), sp(2024, 1, 1)),  # across a boundary of compiled years
        (sp(2031, 12, 26), sp(2032, 1, 1)),
    ],
)
def test_next_close_of_a_round_the_clock_desk_is_the_next_holiday(
    at: datetime, expected: datetime
) -> None:
    """A desk open 24/7 except on BR public holidays closes at the next holiday's midnight."""
    cal = BusinessCalendar.create(hours={"mon-sun": "00:00-24:00"})
    assert cal.next_close(at) == expected


@pytest.mark.slow
def test_next_close_of_a_desk_that_never_closes_fails_fast() -> None:
    """A desk open 24/7 with no holidays has no next close: OutOfRangeError within seconds."""
    # DESIGN.md is silent here; a support lead expects a prompt, clear error, not minutes of
    # computation. The call runs in a subprocess (killed after 6 s) so it cannot stall the suite.
    code = (
        "from datetime import datetime, UTC\n"
        "from sla_clock import BusinessCalendar, OutOfRangeError\n"
        "cal = BusinessCalendar.create(hours={'mon-sun': '00:00-24:00'}, country=None)\n"
        "try:\n"
        "    print('returned', cal.next_close(datetime(2026, 1, 1, tzinfo=UTC)))\n"
        "except OutOfRangeError:\n"
        "    print('OutOfRangeError')\n"
    )
    try:
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, timeout=6, check=False
        )
    except subprocess.TimeoutExpired:
        pytest.fail("next_close() on a never-closing calendar ran for more than 6 s")
    assert done.stdout.strip() == "OutOfRangeError", done.stdout + done.stderr


# -- open_intervals ------------------------------------------------------------------------


def test_open_intervals_are_clipped_and_skip_closed_days(cal: BusinessCalendar) -> None:
    """Thu 17:00 to Mon 10:00 over a holiday Friday gives Thu 17-18 and Mon 09-10."""
    got = list(cal.open_intervals(sp(2026, 11, 19, 17), sp(2026, 11, 23, 10)))
    assert got == [
        (sp(2026, 11, 19, 17), sp(2026, 11, 19, 18)),
        (sp(2026, 11, 23, 9), sp(2026, 11, 23, 10)),
    ]
    assert all(o.tzinfo == SP and c.tzinfo == SP for o, c in got)


def test_open_intervals_split_at_lunch(lunch: BusinessCalendar) -> None:
    """Mon 10:00-15:00 with a lunch break is two pieces: 10-12 and 13-15."""
    got = list(lunch.open_intervals(sp(2026, 11, 23, 10), sp(2026, 11, 23, 15)))
    assert got == [
        (sp(2026, 11, 23, 10), sp(2026, 11, 23, 12)),
        (sp(2026, 11, 23, 13), sp(2026, 11, 23, 15)),
    ]


def test_open_intervals_of_an_empty_or_reversed_range_is_empty(cal: BusinessCalendar) -> None:
    """open_intervals(a, b) yields nothing when b <= a."""
    a = sp(2026, 11, 24, 10)
    assert list(cal.open_intervals(a, a)) == []
    assert list(cal.open_intervals(a + H, a)) == []


# -- holidays, subdivisions and overrides ---------------------------------------------------


def test_subdivision_sp_closes_july_9() -> None:
    """subdiv="SP" closes the state holiday of July 9; the national default does not."""
    at = sp(2026, 7, 9, 10)
    assert BusinessCalendar.default().is_open(at)
    assert not BusinessCalendar.create(subdiv="SP").is_open(at)


def test_sao_paulo_capital_closes_the_city_anniversary() -> None:
    """subdiv="São Paulo Capital" closes Jan 25 (Mon 2027) and Corpus Christi (Thu 2027-05-27)."""
    city = BusinessCalendar.create(subdiv="São Paulo Capital")
    assert not city.is_open(sp(2027, 1, 25, 10))
    assert not city.is_open(sp(2027, 5, 27, 10))
    assert BusinessCalendar.default().is_open(sp(2027, 1, 25, 10))


def test_optional_category_closes_carnival() -> None:
    """categories ("public", "optional") closes Carnival Monday and Tuesday (Feb 16-17 2026)."""
    optional = BusinessCalendar.create(categories=("public", "optional"))
    for day in (16, 17):
        assert not optional.is_open(sp(2026, 2, day, 10))
        assert BusinessCalendar.default().is_open(sp(2026, 2, day, 10))


def test_ash_wednesday_afternoon_is_a_partial_day_over_a_holiday() -> None:
    """With optional days, a partial day Feb 18 2026 14:00-18:00 opens Ash Wednesday at 14:00."""
    cal = BusinessCalendar.create(
        categories=("public", "optional"), partial_days={date(2026, 2, 18): "14:00-18:00"}
    )
    assert not cal.is_open(sp(2026, 2, 18, 13, 59))
    assert cal.is_open(sp(2026, 2, 18, 14))
    # Fri Feb 13 18:00 to Wed 18:00: Carnival Mon/Tue closed, Wednesday 14-18 open.
    assert cal.elapsed(sp(2026, 2, 13, 18), sp(2026, 2, 18, 18)) == 4 * H


def test_partial_day_christmas_eve() -> None:
    """Dec 24 2026 open 09:00-12:00 only; 2 h from 11:00 end Mon Dec 28 10:00 (Dec 25 closed)."""
    cal = BusinessCalendar.create(partial_days={date(2026, 12, 24): "09:00-12:00"})
    assert cal.is_open(sp(2026, 12, 24, 11, 59))
    assert not cal.is_open(sp(2026, 12, 24, 12))
    assert cal.add(sp(2026, 12, 24, 11), 2 * H) == sp(2026, 12, 28, 10)
    assert cal.day_hours(date(2026, 12, 24)) == ["09:00-12:00"]


def test_extra_open_saturday() -> None:
    """An extra open Saturday 09:00-13:00 takes work: 2 h from Fri 17:00 end Sat 10:00."""
    cal = BusinessCalendar.create(extra_open_days={date(2026, 11, 28): "09:00-13:00"})
    assert cal.add(sp(2026, 11, 27, 17), 2 * H) == sp(2026, 11, 28, 10)
    assert cal.next_open(sp(2026, 11, 28, 8)) == sp(2026, 11, 28, 9)
    assert cal.next_close(sp(2026, 11, 28, 8)) == sp(2026, 11, 28, 13)


def test_closed_date() -> None:
    """A company closed date (Tue 2026-11-24) is skipped: 2 h from Mon 17:00 end Wed 10:00."""
    cal = BusinessCalendar.create(closed_dates=[date(2026, 11, 24)])
    assert cal.add(sp(2026, 11, 23, 17), 2 * H) == sp(2026, 11, 25, 10)
    assert cal.day_hours(date(2026, 11, 24)) == []


def test_override_wins_over_a_holiday() -> None:
    """A partial day on a national holiday (Nov 20 2026) opens it for those hours."""
    cal = BusinessCalendar.create(partial_days={date(2026, 11, 20): "09:00-12:00"})
    assert cal.is_open(sp(2026, 11, 20, 10))
    assert cal.elapsed(sp(2026, 11, 20), sp(2026, 11, 21)) == 3 * H


def test_with_closed_and_with_day_hours_derive_variants(cal: BusinessCalendar) -> None:
    """with_closed and with_day_hours give the same calendar as create() with the same dates."""
    derived = cal.with_closed(date(2026, 11, 24)).with_day_hours(
        {date(2026, 11, 28): "09:00-13:00"}
    )
    built = BusinessCalendar.create(
        closed_dates=[date(2026, 11, 24)], extra_open_days={date(2026, 11, 28): "09:00-13:00"}
    )
    assert derived == built
    assert derived.add(sp(2026, 11, 23, 17), 2 * H) == sp(2026, 11, 25, 10)
    assert cal.is_open(sp(2026, 11, 24, 10))  # the original is unchanged


def test_no_holidays() -> None:
    """country=None keeps national holidays open."""
    assert BusinessCalendar.create(country=None).is_open(sp(2026, 11, 20, 10))


# -- calendars with little or no open time ------------------------------------------------------


def test_calendar_with_only_extra_open_days() -> None:
    """Without weekly hours, only the extra open day counts, and past it there is no open time."""
    cal = BusinessCalendar.create(hours={}, extra_open_days={date(2026, 11, 28): "09:00-13:00"})
    assert cal.add(sp(2026, 11, 1), 2 * H) == sp(2026, 11, 28, 11)
    assert cal.add(sp(2030, 1, 1), -H) == sp(2026, 11, 28, 12)
    assert cal.add(sp(2010, 1, 1), H) == sp(2026, 11, 28, 10)
    assert cal.next_open(sp(2010, 1, 1)) == sp(2026, 11, 28, 9)
    with pytest.raises(OutOfRangeError):
        cal.add(sp(2026, 11, 28, 12), 2 * H)
    with pytest.raises(OutOfRangeError):
        cal.add(sp(2026, 11, 28, 10), -2 * H)


def test_calendar_never_open_raises_out_of_range() -> None:
    """A calendar with no open time at all raises OutOfRangeError (a ValueError) at once."""
    cal = BusinessCalendar.create(hours={}, country=None)
    assert cal.add(sp(2026, 11, 24), timedelta(0)) == sp(2026, 11, 24)
    assert cal.elapsed(sp(2026, 1, 1), sp(2027, 1, 1)) == timedelta(0)
    assert not cal.is_open(sp(2026, 11, 24, 10))
    calls: list[Callable[[], object]] = [
        lambda: cal.add(sp(2026, 11, 24), H),
        lambda: cal.add(sp(2026, 11, 24), -H),
        lambda: cal.next_open(sp(2026, 11, 24)),
        lambda: cal.next_close(sp(2026, 11, 24)),
    ]
    for call in calls:
        with pytest.raises(OutOfRangeError) as info:
            call()
        assert isinstance(info.value, ValueError)


# -- time zones and DST ----------------------------------------------------------------------


def test_sao_paulo_dst_in_november_2018() -> None:
    """In Nov 2018 São Paulo was on DST (-02:00): Tue 09:00 local is 11:00 UTC."""
    cal = BusinessCalendar.default()
    assert cal.is_open(datetime(2018, 11, 6, 11, tzinfo=UTC))
    assert not cal.is_open(datetime(2018, 11, 6, 10, 59, 59, 999999, tzinfo=UTC))
    assert not cal.is_open(datetime(2018, 11, 6, 20, tzinfo=UTC))  # 18:00 local
    result = cal.add(sp(2018, 11, 5, 17), 2 * H)
    assert result == datetime(2018, 11, 6, 12, tzinfo=UTC)
    assert result.utcoffset() == timedelta(hours=-2)


def test_sao_paulo_dst_switch_over_a_weekend_changes_no_business_time() -> None:
    """Thu 2018-11-01 17:00 (-03) to Mon 11-05 10:00 (-02) is 2 h (Fri Nov 2 is a holiday)."""
    cal = BusinessCalendar.default()
    assert cal.elapsed(sp(2018, 11, 1, 17), sp(2018, 11, 5, 10)) == 2 * H


@pytest.mark.parametrize(
    ("hours", "start", "end", "expected"),
    [
        # Sun 2018-11-04: São Paulo skips 00:00-01:00, so the day has 23 real hours.
        ({"sun": "00:00-24:00"}, date(2018, 11, 3), date(2018, 11, 6), 23 * H),
        # Sat 2018-02-17: 23:00-24:00 happens twice, so the day has 25 real hours.
        ({"sat": "00:00-24:00"}, date(2018, 2, 16), date(2018, 2, 19), 25 * H),
        # 00:00-00:30 is inside the gap: it moves forward to 01:00-01:30 (-02), 30 minutes.
        ({"sun": "00:00-00:30"}, date(2018, 11, 3), date(2018, 11, 6), timedelta(minutes=30)),
        # 00:30-01:00 becomes 03:30Z-03:00Z, inverted in real time: dropped.
        ({"sun": "00:30-01:00"}, date(2018, 11, 3), date(2018, 11, 6), timedelta(0)),
        # 00:30-02:00 starts at 00:30 moved forward (01:30 -02) and ends at 02:00: 30 minutes.
        ({"sun": "00:30-02:00"}, date(2018, 11, 3), date(2018, 11, 6), timedelta(minutes=30)),
    ],
)
def test_sao_paulo_midnight_dst_uses_the_fold_rule(
    hours: dict[str, str], start: date, end: date, expected: timedelta
) -> None:
    """Hours on a São Paulo DST day follow PEP 495 fold=0 (gap forward, first occurrence)."""
    cal = BusinessCalendar.create(hours=hours, country=None)
    assert (
        cal.elapsed(sp(start.year, start.month, start.day), sp(end.year, end.month, end.day))
        == expected
    )


def test_new_york_dst_days() -> None:
    """New York: 02:30-03:30 on 2026-03-08 vanishes; 01:30-02:00 on 2026-11-01 lasts 1.5 h."""
    spring = BusinessCalendar.create(
        hours={"sun": "02:30-03:30"}, timezone="America/New_York", country=None
    )
    assert spring.elapsed(
        datetime(2026, 3, 7, tzinfo=NY), datetime(2026, 3, 9, tzinfo=NY)
    ) == timedelta(0)
    spring2 = BusinessCalendar.create(
        hours={"sun": "01:00-03:00"}, timezone="America/New_York", country=None
    )
    assert spring2.elapsed(datetime(2026, 3, 7, tzinfo=NY), datetime(2026, 3, 9, tzinfo=NY)) == H
    fall = BusinessCalendar.create(
        hours={"sun": "01:30-02:00"}, timezone="America/New_York", country=None
    )
    # 01:30 takes its first occurrence (EDT, 05:30Z); 02:00 is EST (07:00Z). Compared as
    # instants: PEP 495 makes a time in the fold unequal to any time in another zone.
    got = fall.open_intervals(datetime(2026, 10, 31, tzinfo=UTC), datetime(2026, 11, 3, tzinfo=UTC))
    assert [(to_us(o), to_us(c)) for o, c in got] == [
        (
            to_us(datetime(2026, 11, 1, 5, 30, tzinfo=UTC)),
            to_us(datetime(2026, 11, 1, 7, tzinfo=UTC)),
        )
    ]


def test_lord_howe_half_hour_dst_day() -> None:
    """Lord Howe skips 02:00-02:30 on Sun 2026-10-04, so that day holds 23.5 real hours."""
    lh = ZoneInfo("Australia/Lord_Howe")
    cal = BusinessCalendar.create(
        hours={"sun": "00:00-24:00"}, timezone="Australia/Lord_Howe", country=None
    )
    elapsed = cal.elapsed(datetime(2026, 10, 3, tzinfo=lh), datetime(2026, 10, 6, tzinfo=lh))
    assert elapsed == timedelta(hours=23, minutes=30)


def test_results_are_in_the_calendar_zone() -> None:
    """Every returned datetime is aware and in the calendar's zone, whatever the input zone."""
    cal = BusinessCalendar.create(timezone="America/New_York", country="US")
    start = datetime(2026, 11, 24, 12, tzinfo=UTC)
    results = [
        cal.add(start, H),
        cal.add(start, -H),
        cal.next_open(start),
        cal.next_close(start),
        *(t for pair in cal.open_intervals(start, start + 48 * H) for t in pair),
    ]
    assert all(r.tzinfo == NY for r in results)
    assert cal.localize(datetime(2026, 11, 24, 9)).tzinfo == NY  # noqa: DTZ001 (naive on purpose)


@pytest.mark.parametrize(
    ("start", "duration", "expected"),
    [
        # Wed 1950-03-01, São Paulo on DST (-02:00); no holiday on Mar 1-2 1950.
        (sp(1950, 3, 1, 17), 2 * H, sp(1950, 3, 2, 10)),
        # Wed 2090-03-01, no DST (-03:00); Carnival is not a public holiday.
        (sp(2090, 3, 1, 10), 9 * H, sp(2090, 3, 2, 10)),
        (sp(2090, 3, 2, 10), -9 * H, sp(2090, 3, 1, 10)),
    ],
)
def test_far_years(start: datetime, duration: timedelta, expected: datetime) -> None:
    """Years far from today (1950, 2090) are computed with their own offsets and holidays."""
    cal = BusinessCalendar.default()
    result = cal.add(start, duration)
    assert result == expected
    assert result.utcoffset() == expected.utcoffset()
    assert to_us(result) == reference_for(cal).add(to_us(start), duration // US)


# -- input validation -------------------------------------------------------------------------


NAIVE = datetime(2026, 11, 24, 10)  # noqa: DTZ001 (naive on purpose)


@pytest.mark.parametrize(
    "call",
    [
        pytest.param(lambda c: c.add(NAIVE, H), id="add"),
        pytest.param(lambda c: c.elapsed(NAIVE, sp(2026, 11, 25)), id="elapsed-start"),
        pytest.param(lambda c: c.elapsed(sp(2026, 11, 25), NAIVE), id="elapsed-end"),
        pytest.param(lambda c: c.is_open(NAIVE), id="is_open"),
        pytest.param(lambda c: c.next_open(NAIVE), id="next_open"),
        pytest.param(lambda c: c.next_close(NAIVE), id="next_close"),
        pytest.param(
            lambda c: list(c.open_intervals(NAIVE, sp(2026, 11, 25))), id="open_intervals"
        ),
    ],
)
def test_naive_datetimes_are_refused(cal: BusinessCalendar, call: object) -> None:
    """A naive datetime raises NaiveDatetimeError naming the value and showing the ZoneInfo fix."""
    with pytest.raises(NaiveDatetimeError) as info:
        call(cal)  # type: ignore[operator]  # call is a lambda typed object
    message = str(info.value)
    assert "2026-11-24 10:00" in message
    assert "ZoneInfo('America/Sao_Paulo')" in message
    assert "localize" in message
    assert isinstance(info.value, ValueError)
    assert isinstance(info.value, SlaClockError)


@pytest.mark.parametrize(
    "call",
    [
        pytest.param(lambda c: c.add("2026-11-24T10:00-03:00", H), id="add-str"),
        pytest.param(lambda c: c.add(date(2026, 11, 24), H), id="add-date"),
        pytest.param(lambda c: c.elapsed(sp(2026, 11, 24), 1_700_000_000), id="elapsed-int"),
        pytest.param(lambda c: c.is_open(None), id="is_open-none"),
        pytest.param(lambda c: c.next_open(1.5), id="next_open-float"),
        pytest.param(lambda c: c.next_close("now"), id="next_close-str"),
        pytest.param(lambda c: c.add(sp(2026, 11, 24), 4), id="duration-int"),
        pytest.param(lambda c: c.add(sp(2026, 11, 24), 4.0), id="duration-float"),
        pytest.param(lambda c: c.add(sp(2026, 11, 24), sp(2026, 11, 25)), id="duration-datetime"),
    ],
)
def test_non_datetime_input_raises_type_error(cal: BusinessCalendar, call: object) -> None:
    """A value that is not an aware datetime (or a duration not a timedelta) raises TypeError."""
    with pytest.raises(TypeError):
        call(cal)  # type: ignore[operator]  # call is a lambda typed object


def test_relativedelta_duration_is_not_silently_misread(cal: BusinessCalendar) -> None:
    """A dateutil relativedelta is not a timedelta: add() raises TypeError, not a wrong answer."""
    # add() documents TypeError for a duration that is not a timedelta; reading only
    # .days/.seconds/.microseconds turns relativedelta(hours=4) into zero business time.
    start = sp(2026, 11, 24, 10)
    with pytest.raises(TypeError):
        cal.add(start, relativedelta(hours=4))


@pytest.mark.parametrize(
    "hours",
    [
        {"mon-fri": "18:00-09:00"},
        {"mon-fri": ["09:00-12:00", "11:00-13:00"]},
        {"mon-fri": "25:00-26:00"},
        {"mon-fri": "09:00-24:01"},
        {"mon-fri": "09:60-10:00"},
        {"mon-fri": "09:00-09:00"},
        {"mon-fri": "9-18"},
        {"mon-fri": "09:00"},
        {"monday": "09:00-18:00"},
        {"fri-mon": "09:00-18:00"},
        {"mon-fri": "09:00-18:00", "fri": "09:00-12:00"},
    ],
)
def test_bad_hours_raise_invalid_hours_error(hours: dict[str, object]) -> None:
    """Inverted, overlapping, out-of-range or unparsable hours and bad weekdays are refused."""
    with pytest.raises(InvalidHoursError) as info:
        BusinessCalendar.create(hours=hours)  # type: ignore[arg-type]  # a bad value on purpose
    assert isinstance(info.value, ValueError)


def test_bad_override_hours_raise_invalid_hours_error() -> None:
    """A partial day or extra open day with bad hours is refused like weekly hours."""
    with pytest.raises(InvalidHoursError):
        BusinessCalendar.create(partial_days={date(2026, 12, 24): "12:00-09:00"})
    with pytest.raises(InvalidHoursError):
        BusinessCalendar.create(extra_open_days={date(2026, 11, 28): "09:00-13:00-14:00"})


@pytest.mark.parametrize(
    "kwargs",
    [
        {"timezone": "Mars/Olympus_Mons"},
        {"timezone": ""},
        {"country": "XX"},
        {"subdiv": "ZZ"},
        {"categories": ("nonsense",)},
        {"categories": ()},
        {"country": None, "subdiv": "SP"},
        {"closed_dates": [datetime(2026, 11, 24, tzinfo=SP)]},
        {"closed_dates": [date(2026, 11, 24)], "partial_days": {date(2026, 11, 24): "09:00-12:00"}},
    ],
)
def test_bad_configuration_raises_calendar_config_error(kwargs: dict[str, object]) -> None:
    """An unknown zone, country, subdivision or category, or a conflicting date, is refused."""
    with pytest.raises(CalendarConfigError) as info:
        BusinessCalendar.create(**kwargs)  # type: ignore[arg-type]  # bad values on purpose
    assert isinstance(info.value, ValueError)


def test_unknown_timezone_message_names_it() -> None:
    """The unknown-zone error shows the bad name and an example of a good one."""
    with pytest.raises(CalendarConfigError, match="Mars/Olympus_Mons"):
        BusinessCalendar.create(timezone="Mars/Olympus_Mons")


# -- values: equality, hashing, pickling, threads ---------------------------------------------


def test_calendars_built_the_same_way_are_equal_and_hash_alike() -> None:
    """Calendars are values: equal definitions compare equal and hash alike, whatever spelling."""
    a = BusinessCalendar.create(
        hours={"mon-fri": "09:00-18:00"}, closed_dates=[date(2026, 12, 24), date(2026, 12, 31)]
    )
    b = BusinessCalendar.create(
        hours={day: ["09:00-18:00"] for day in ("fri", "thu", "wed", "tue", "mon")},
        closed_dates=[date(2026, 12, 31), date(2026, 12, 24)],
    )
    assert a == b
    assert hash(a) == hash(b)
    assert len({a, b}) == 1
    assert BusinessCalendar.default() == BusinessCalendar.create()
    assert a != BusinessCalendar.create(hours=LUNCH)
    assert a != BusinessCalendar.create(closed_dates=[date(2026, 12, 24)])


def test_use_does_not_change_equality(cal: BusinessCalendar) -> None:
    """A calendar that has compiled years equals and hashes like a fresh one."""
    fresh = BusinessCalendar.create()
    cal.add(sp(2040, 1, 1), 1000 * H)
    assert cal == fresh
    assert hash(cal) == hash(fresh)


def test_calendar_pickles_small_and_answers_the_same() -> None:
    """A calendar pickles to under 1 KB, even after use, and the copy gives the same answers."""
    cal = BusinessCalendar.create(
        hours=LUNCH, subdiv="SP", partial_days={date(2026, 12, 24): "09:00-12:00"}
    )
    assert len(pickle.dumps(cal)) < 1024
    before = cal.add(sp(2026, 12, 23, 17), 2 * H)
    data = pickle.dumps(cal)
    assert len(data) < 1024
    copy = pickle.loads(data)
    assert copy == cal
    assert hash(copy) == hash(cal)
    # Dec 23 17-18 (1 h), Dec 24 09:00-10:00: partial day.
    assert before == sp(2026, 12, 24, 10)
    assert copy.add(sp(2026, 12, 23, 17), 2 * H) == before
    assert copy.elapsed(sp(2026, 7, 1), sp(2026, 7, 31)) == cal.elapsed(
        sp(2026, 7, 1), sp(2026, 7, 31)
    )


@pytest.mark.slow
def test_threads_sharing_a_fresh_calendar_agree_with_one_thread() -> None:
    """Threads computing on one fresh calendar in different years get single-threaded answers."""
    years = list(range(2010, 2050, 3))

    def work(cal: BusinessCalendar, year: int) -> list[object]:
        start = sp(year, 3, 10, 10)
        return [
            cal.add(start, 100 * H),
            cal.add(start, -100 * H),
            cal.elapsed(start, sp(year + 1, 3, 10)),
            cal.next_close(start),
            cal.is_open(start),
        ]

    single = BusinessCalendar.create(subdiv="SP")
    expected = {year: work(single, year) for year in years}
    for _ in range(3):
        got, errors = _run_in_threads(BusinessCalendar.create(subdiv="SP"), years, work)
        assert not errors
        assert got == expected


def _run_in_threads(
    cal: BusinessCalendar, years: list[int], work: Callable[[BusinessCalendar, int], list[object]]
) -> tuple[dict[int, list[object]], list[BaseException]]:
    """Run work(cal, year) for every year in its own thread, all released at once."""
    barrier = threading.Barrier(len(years))
    got: dict[int, list[object]] = {}
    errors: list[BaseException] = []

    def run(year: int) -> None:
        try:
            barrier.wait()
            got[year] = work(cal, year)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(year,)) for year in years]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return got, errors
