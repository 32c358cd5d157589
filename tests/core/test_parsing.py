"""Tests of sla_clock.parsing: reading times and writing durations as text."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sla_clock import BusinessCalendar, NaiveDatetimeError, TimeParseError
from sla_clock._zone import seconds
from sla_clock.parsing import ACCEPTED_FORMS, DATE_FORMS, parse_date, parse_instant
from sla_clock.views._formats import format_duration

SP = ZoneInfo("America/Sao_Paulo")
CAL = BusinessCalendar.default()
NY_CAL = CAL.with_timezone("America/New_York")
# hypothesis takes naive bounds for datetimes, aware or not.
LOW = datetime(1900, 1, 1)  # noqa: DTZ001
HIGH = datetime(2100, 1, 1)  # noqa: DTZ001  # naive: the bounds of a wall-clock range


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-24T17:30", "2026-11-24T17:30:00-03:00"),
        ("2026-11-24 17:30", "2026-11-24T17:30:00-03:00"),
        ("2026-11-24t17:30", "2026-11-24T17:30:00-03:00"),
        ("2026-11-24 17:30:15", "2026-11-24T17:30:15-03:00"),
        ("2026-11-24T17:30:15.5", "2026-11-24T17:30:15.500000-03:00"),
        ("2026-11-24T17:30:15,000001", "2026-11-24T17:30:15.000001-03:00"),
        ("2026-11-24", "2026-11-24T00:00:00-03:00"),
        ("2026-11-24T17", "2026-11-24T17:00:00-03:00"),
        ("20261124T1730", "2026-11-24T17:30:00-03:00"),
        ("  2026-11-24 17:30\n", "2026-11-24T17:30:00-03:00"),
        ("24/11/2026 17:30", "2026-11-24T17:30:00-03:00"),
        ("24/11/2026 17:30:15", "2026-11-24T17:30:15-03:00"),
        ("24/11/2026", "2026-11-24T00:00:00-03:00"),
        ("4/1/2027 9:05", "2027-01-04T09:05:00-03:00"),
    ],
)
def test_accepted_forms_without_offset_are_calendar_wall_time(text: str, expected: str) -> None:
    """Each accepted form without an offset is read as wall time in the calendar's zone."""
    assert parse_instant(text, CAL).isoformat() == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-24T17:30-03:00", "2026-11-24T17:30:00-03:00"),
        ("2026-11-24 17:30:00-0300", "2026-11-24T17:30:00-03:00"),
        ("2026-11-24T20:30Z", "2026-11-24T17:30:00-03:00"),
        ("2026-11-24T20:30z", "2026-11-24T17:30:00-03:00"),
        ("2026-11-24T20:30:00.25Z", "2026-11-24T17:30:00.250000-03:00"),
        ("2026-11-24T20:30:00+00:00", "2026-11-24T17:30:00-03:00"),
        ("2026-11-24T15:30-05:00", "2026-11-24T17:30:00-03:00"),
        ("2026-11-25T05:30+09:00", "2026-11-24T17:30:00-03:00"),
    ],
)
def test_offsets_and_z_name_the_instant(text: str, expected: str) -> None:
    """A time with an offset or Z names its instant and comes back in the calendar's zone."""
    assert parse_instant(text, CAL).isoformat() == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("24/11/2026 17:30-03:00", "2026-11-24T17:30:00-03:00"),
        ("24/11/2026 17:30:00-03:00", "2026-11-24T17:30:00-03:00"),
        ("24/11/2026 20:30Z", "2026-11-24T17:30:00-03:00"),
        ("24/11/2026 20:30:00z", "2026-11-24T17:30:00-03:00"),
        ("24/11/2026 20:30:00.25Z", "2026-11-24T17:30:00.250000-03:00"),
        ("24/11/2026 20:30:00,25+00:00", "2026-11-24T17:30:00.250000-03:00"),
        ("24/11/2026 15:30-05:00", "2026-11-24T17:30:00-03:00"),
        ("25/11/2026 05:30+09:00", "2026-11-24T17:30:00-03:00"),
        ("24/11/2026 17:30-0300", "2026-11-24T17:30:00-03:00"),
        ("24/11/2026 17:30 -03:00", "2026-11-24T17:30:00-03:00"),
        ("4/1/2027 9:05-03:00", "2027-01-04T09:05:00-03:00"),
    ],
)
def test_brazilian_times_with_an_offset_name_the_instant(text: str, expected: str) -> None:
    """``dd/mm/yyyy HH:MM[:SS]`` followed by an offset or Z names its instant, as in ISO 8601."""
    assert parse_instant(text, CAL).isoformat() == expected


@pytest.mark.parametrize(
    "text", ["24/11/2026-03:00", "24/11/2026Z", "24/11/2026 17:30-3:00", "24/11/2026 17:30 UTC"]
)
def test_an_offset_needs_a_time_and_two_digit_hours(text: str) -> None:
    """An offset after a date alone, or a malformed one, is a TimeParseError."""
    with pytest.raises(TimeParseError, match="cannot read the time"):
        parse_instant(text, CAL)


def test_a_brazilian_offset_out_of_range_says_why() -> None:
    """An offset of 24 hours or more is refused with the reason, as in ISO 8601."""
    with pytest.raises(TimeParseError, match="strictly between"):
        parse_instant("24/11/2026 17:30+24:00", CAL)


_OFFSETS = st.integers(-23 * 60 - 59, 23 * 60 + 59).map(lambda m: timedelta(minutes=m))


@given(st.datetimes(min_value=LOW, max_value=HIGH), _OFFSETS, st.booleans())
def test_brazilian_form_with_offset_equals_iso_form(
    value: datetime,
    offset: timedelta,
    seconds_shown: bool,  # noqa: FBT001 (a hypothesis argument)
) -> None:
    """``dd/mm/yyyy HH:MM[:SS.ffffff]±HH:MM`` reads as the instant of its ISO spelling."""
    aware = value.replace(tzinfo=timezone(offset))
    if not seconds_shown:
        aware = aware.replace(second=0, microsecond=0)
    iso = aware.isoformat(sep=" ", timespec="microseconds" if seconds_shown else "minutes")
    date_part, rest = iso.split(" ", 1)
    year, month, day = date_part.split("-")
    text = f"{day}/{month}/{year} {rest}"
    assert parse_instant(text, CAL) == parse_instant(iso, CAL) == aware


def test_result_is_in_the_calendar_zone() -> None:
    """The result carries the calendar's own ZoneInfo, not a fixed offset."""
    assert parse_instant("2026-11-24T20:30Z", NY_CAL).tzinfo == ZoneInfo("America/New_York")


def test_fraction_finer_than_a_microsecond_is_truncated() -> None:
    """Digits past the microsecond are dropped, never rounded up."""
    value = parse_instant("2026-11-24T17:30:00.123456789", CAL)
    assert value.microsecond == 123456


def test_now_uses_the_injected_instant() -> None:
    """``now`` (any case) is the injected instant, converted to the calendar's zone."""
    now = datetime(2026, 11, 24, 20, 30, tzinfo=UTC)
    assert parse_instant("now", CAL, now=now).isoformat() == "2026-11-24T17:30:00-03:00"
    assert parse_instant(" NOW ", CAL, now=now) == now


def test_now_without_injection_is_the_current_instant() -> None:
    """``now`` without an injected instant is the current time, aware, in the calendar's zone."""
    before = datetime.now(UTC)
    value = parse_instant("now", CAL)
    assert before <= value <= datetime.now(UTC)
    assert value.tzinfo == SP


def test_naive_injected_now_is_refused() -> None:
    """A naive ``now`` is refused rather than guessed."""
    with pytest.raises(NaiveDatetimeError, match="has no timezone"):
        # Naive on purpose.
        parse_instant("now", CAL, now=datetime(2026, 11, 24, 17, 30))  # noqa: DTZ001


def test_dst_gap_wall_time_moves_forward() -> None:
    """A wall time inside a DST gap moves forward by the gap (New York, 2026-03-08 02:30)."""
    assert parse_instant("2026-03-08 02:30", NY_CAL).isoformat() == "2026-03-08T03:30:00-04:00"
    assert parse_instant("08/03/2026 02:30", NY_CAL).isoformat() == "2026-03-08T03:30:00-04:00"


def test_ambiguous_wall_time_takes_first_occurrence() -> None:
    """An ambiguous wall time takes its first occurrence (New York, 2026-11-01 01:30 EDT)."""
    assert parse_instant("2026-11-01 01:30", NY_CAL).isoformat() == "2026-11-01T01:30:00-04:00"


def test_historical_sao_paulo_gap_at_midnight() -> None:
    """São Paulo's 2018 DST began at midnight, so 00:30 that day moves forward to 01:30."""
    assert parse_instant("2018-11-04 00:30", CAL).isoformat() == "2018-11-04T01:30:00-02:00"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "tomorrow",
        "17:30",
        "2026-13-01",
        "2026-11-24 25:00",
        "2026-11-24x17:30",
        "2026-11-24 17:30 America/Sao_Paulo",
        "24/11/26 17:30",
        "24/11/2026 17h30",
        "24-11-2026",
        "11/24/2026",
        "31/02/2026",
    ],
)
def test_rejection_shows_the_text_and_the_accepted_forms(text: str) -> None:
    """A bad time raises TimeParseError naming the text and every accepted form."""
    with pytest.raises(TimeParseError) as info:
        parse_instant(text, CAL)
    message = str(info.value)
    assert repr(text) in message
    assert ACCEPTED_FORMS in message
    for form in ("ISO 8601", "dd/mm/yyyy HH:MM", "'now'"):
        assert form in message
    assert isinstance(info.value, ValueError)


def test_rejection_says_why_an_impossible_date_fails() -> None:
    """A well-formed but impossible date says what is wrong with it."""
    with pytest.raises(TimeParseError, match="day is out of range"):
        parse_instant("31/02/2026 10:00", CAL)


def test_time_outside_representable_years_is_a_parse_error() -> None:
    """A wall time that cannot become an instant is a TimeParseError, not an OverflowError."""
    with pytest.raises(TimeParseError, match="outside the years"):
        parse_instant("0001-01-01", CAL.with_timezone("Asia/Tokyo"))


def test_non_string_is_a_type_error() -> None:
    """Passing something other than a str raises TypeError naming its type."""
    with pytest.raises(TypeError, match="datetime"):
        # A datetime where text belongs, on purpose.
        parse_instant(datetime(2026, 1, 1, tzinfo=UTC), CAL)  # type: ignore[arg-type]


@pytest.mark.slow
@given(st.datetimes(min_value=LOW, max_value=HIGH, timezones=st.timezones()))
def test_isoformat_round_trips(value: datetime) -> None:
    """Any aware datetime's isoformat() reads back as the same instant."""
    assert parse_instant(value.isoformat(), CAL).astimezone(UTC) == value.astimezone(UTC)


@given(st.datetimes(min_value=LOW, max_value=HIGH))
def test_brazilian_form_equals_iso_form(value: datetime) -> None:
    """``dd/mm/yyyy HH:MM:SS.ffffff`` reads as the same wall time as its ISO spelling."""
    text = (
        f"{value.day:02d}/{value.month:02d}/{value.year:04d} "
        f"{value.hour:02d}:{value.minute:02d}:{value.second:02d}.{value.microsecond:06d}"
    )
    expected = parse_instant(value.isoformat(sep=" "), CAL)
    assert parse_instant(text, CAL) == expected == CAL.localize(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (timedelta(0), "0:00:00"),
        (timedelta(hours=1), "1:00:00"),
        (timedelta(hours=49), "49:00:00"),
        (timedelta(hours=-1), "-1:00:00"),
        (timedelta(seconds=59, microseconds=1), "0:00:59.000001"),
        (timedelta(microseconds=-500_000), "-0:00:00.500000"),
        (timedelta(days=400, minutes=5), "9600:05:00"),
    ],
)
def test_format_duration(value: timedelta, expected: str) -> None:
    """Durations print as total hours H:MM:SS, microseconds only when present, sign in front."""
    assert format_duration(value) == expected


_DURATION = re.compile(r"(-?)(\d+):([0-5]\d):([0-5]\d)(?:\.(\d{6}))?")


@given(st.timedeltas(min_value=timedelta(days=-9999), max_value=timedelta(days=9999)))
def test_format_duration_reads_back(value: timedelta) -> None:
    """The printed duration denotes exactly the duration given."""
    match = _DURATION.fullmatch(format_duration(value))
    assert match is not None
    sign, hours, minutes, seconds, micro = match.groups()
    assert micro != "000000"
    magnitude = timedelta(
        hours=int(hours), minutes=int(minutes), seconds=int(seconds), microseconds=int(micro or 0)
    )
    assert (-magnitude if sign else magnitude) == value
    assert (sign == "-") == (value < timedelta(0))


def test_seconds_is_int_when_whole_and_float_otherwise() -> None:
    """Whole seconds give an int; anything finer gives a float to the microsecond."""
    assert seconds(timedelta(hours=49)) == 176400
    assert isinstance(seconds(timedelta(hours=49)), int)
    assert seconds(timedelta(seconds=1, microseconds=1)) == 1.000001
    assert seconds(-timedelta(microseconds=1)) == -0.000001


def test_fixed_offset_input_is_converted() -> None:
    """An instant written with a fixed offset equals the same instant built in Python."""
    expected = datetime(2026, 11, 24, 17, 30, tzinfo=timezone(timedelta(hours=-3)))
    assert parse_instant("2026-11-24T17:30-03:00", CAL) == expected


# -- parse_date ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-19", date(2026, 11, 19)),
        ("19/11/2026", date(2026, 11, 19)),
        ("4/1/2027", date(2027, 1, 4)),
        ("04/01/2027", date(2027, 1, 4)),
        ("20261119", date(2026, 11, 19)),  # ISO 8601 basic
        ("2026-W47-4", date(2026, 11, 19)),  # ISO 8601 week date
        ("2026W474", date(2026, 11, 19)),
        ("  2026-11-19\n", date(2026, 11, 19)),
        ("29/02/2024", date(2024, 2, 29)),
        ("0001-01-01", date(1, 1, 1)),  # any date: which years a calendar answers is its own
        ("31/12/9999", date(9999, 12, 31)),
    ],
)
def test_parse_date_accepted_forms(text: str, expected: date) -> None:
    """ISO 8601 and dd/mm/yyyy dates, spaces around them ignored."""
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "(it is empty)"),
        ("   ", "(it is empty)"),
        ("2026-02-30", "(day is out of range for month)"),
        ("29/02/2026", "(day is out of range for month)"),
        ("00/01/2026", "(day is out of range for month)"),
        ("2026-13-01", "(month must be in 1..12)"),
        ("01/01/0000", "(year 0 is out of range)"),
        (
            "2026-11-19 10:00",
            "(it has a time after the date; write the date alone, e.g. 2026-11-19)",
        ),
        ("2026-11-19T10:00", "(it has a time after the date"),
        ("2026-11-19T10:00-03:00", "(it has a time after the date"),
        ("19/11/2026 10:00", "e.g. 19/11/2026)"),
        ("today", "'today' depends on the clock and a zone"),
        ("Today", "'today' depends on the clock and a zone"),
        ("now", "'now' is an instant, not a date"),
        ("x" * 100_000, "(it is 100,000 characters long)"),
    ],
)
def test_parse_date_refusals_say_why(text: str, reason: str) -> None:
    """Each refusal names the text (cut when long), says why, and shows both forms."""
    with pytest.raises(TimeParseError) as info:
        parse_date(text)
    message = str(info.value)
    assert message.startswith("cannot read the date ")
    assert reason in message
    assert message.endswith(f"; write {DATE_FORMS}")
    assert "ISO 8601 (2026-11-19)" in message
    assert "dd/mm/yyyy (19/11/2026)" in message
    assert len(message) < 300


@pytest.mark.parametrize(
    "text",
    [
        "5",
        "5.5",
        "1e9",
        "99999999999999999999",
        "2026-11-1",
        "2026-11",
        "2026",
        "2026/11/19",
        "11/19/2026 x",
        "19/11/26",
        "19-11-2026",
        "2026-W54-1",
        "2026-323",  # an ISO ordinal date: date.fromisoformat does not read it
        "+2026-11-19",
        "2026-11-19Z",
        "\u0661\u0669/\u0661\u0661/\u0662\u0660\u0662\u0666",  # Arabic-Indic digits: ASCII only
        "\udcff",
        "\x00",
        "2026-11-19\x00",
    ],
)
def test_parse_date_refuses_what_is_not_a_date(text: str) -> None:
    """Numbers, partial dates and other orders are not dates."""
    with pytest.raises(TimeParseError, match=re.escape(f"cannot read the date {text!r}; write")):
        parse_date(text)


@pytest.mark.parametrize("value", [None, 5, 20261119, 5.5, b"2026-11-19", date(2026, 11, 19)])
def test_parse_date_refuses_what_is_not_a_str(value: object) -> None:
    """Unlike parse_instant's TypeError, a non-str is a TimeParseError naming its type."""
    with pytest.raises(TimeParseError, match=f"expected a str, got {type(value).__name__}"):
        parse_date(value)  # type: ignore[arg-type]  # what an untyped caller can pass


@given(st.dates())
def test_parse_date_reads_every_date_both_ways(day: date) -> None:
    """Every date, written either way, reads back as itself."""
    assert parse_date(day.isoformat()) == day
    assert parse_date(f"{day.day:02d}/{day.month:02d}/{day.year:04d}") == day
    assert parse_date(f"{day.day}/{day.month}/{day.year:04d}") == day


@given(st.dates(date(1900, 1, 1), date(2099, 12, 31)), st.sampled_from(["iso", "brazilian"]))
def test_parse_date_is_the_date_of_parse_instant(day: date, form: str) -> None:
    """A date alone means the same day to parse_date and to parse_instant (its midnight)."""
    text = f"{day.day}/{day.month}/{day.year}" if form == "brazilian" else day.isoformat()
    assert parse_date(text) == parse_instant(text, CAL).date() == day
