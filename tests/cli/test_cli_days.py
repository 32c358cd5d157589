"""Tests of ``sla-clock days DATE N|DATE2``: business days from a shell.

Worked examples on the default calendar (São Paulo, Mon-Fri 09:00-18:00, Brazil's public
holidays): in the desk's week of November 2026, Fri 20 is a holiday (Black Awareness Day),
so Thu 19 is followed by Mon 23.
"""

from __future__ import annotations

import contextlib
import io
import re
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sla_clock import BusinessCalendar, cli
from sla_clock.cli._days import read_days_or_date
from support import ERROR_PREFIX, as_json, call, fails, run_module

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE_CALENDAR = str(ROOT / "examples" / "calendar.toml")
CAL = BusinessCalendar.default()


def ok(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    """Run ``sla-clock days ARGS`` expecting success; return the one line it prints."""
    status, out, err = call(capsys, "days", *args)
    assert (status, err) == (0, ""), err
    assert out.count("\n") == 1
    return out.strip()


# -- worked examples ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        ("2026-11-19", "5", "2026-11-27"),  # Fri 20 is a holiday: 23, 24, 25, 26, 27
        ("19/11/2026", "5", "2026-11-27"),
        ("2026-11-21", "0", "2026-11-23"),  # a Saturday rolls forward to Monday
        ("2026-11-20", "0", "2026-11-23"),  # so does the holiday
        ("2026-11-23", "-1", "2026-11-19"),
        ("2026-11-20", "-1", "2026-11-19"),  # rolls forward to Mon 23 first, then back one
        ("2026-11-19", "-3", "2026-11-16"),
        ("2026-11-19", "0", "2026-11-19"),
        ("2026-11-19", "+2", "2026-11-24"),
        ("2026-11-19", "-0", "2026-11-19"),
        ("2026-11-19", "007", "2026-12-01"),
        (" 2026-11-19 ", " 5 ", "2026-11-27"),
        ("20261119", "5", "2026-11-27"),
        ("2026-W47-4", "5", "2026-11-27"),  # the ISO week date of Thu 19
        ("4/1/2027", "1", "2027-01-05"),
        ("2026-12-31", "1", "2027-01-04"),  # New Year's Day, then a weekend
    ],
)
def test_days_adds_business_days(
    capsys: pytest.CaptureFixture[str], start: str, n: str, expected: str
) -> None:
    """``days DATE N`` prints ``add_business_days`` as one ISO date."""
    assert ok(capsys, start, n) == expected


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("2026-11-21", "2026-11-30", "5"),  # Mon 23 .. Fri 27
        ("2026-11-30", "2026-11-21", "-5"),
        ("2026-11-19", "2026-11-23", "1"),  # Thu 19 only: Fri 20 is a holiday
        ("19/11/2026", "23/11/2026", "1"),
        ("2026-11-19", "2026-11-19", "0"),
        ("2026-11-23", "2026-11-24", "1"),
        ("2026-01-01", "2027-01-01", "252"),  # what `sla-clock calendar 2026` counts
    ],
)
def test_days_counts_business_days_between(
    capsys: pytest.CaptureFixture[str], start: str, end: str, expected: str
) -> None:
    """``days DATE DATE2`` prints ``business_days_between``: DATE counted, DATE2 not."""
    assert ok(capsys, start, end) == expected


def _days(*args: str) -> str:
    """Run ``sla-clock days`` in process (no pytest fixture: hypothesis calls it many times)."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert cli.main(["days", *args]) == 0
    return out.getvalue().strip()


@pytest.mark.slow
@settings(max_examples=40, deadline=None)
@given(st.dates(date(2020, 1, 1), date(2030, 12, 31)), st.integers(-60, 60))
def test_counting_back_gives_n(day: date, n: int) -> None:
    """The count from DATE to ``DATE + N`` is N, whatever DATE is; both are the library's."""
    moved = _days(day.isoformat(), str(n))
    assert moved == CAL.add_business_days(day, n).isoformat()
    assert _days(day.isoformat(), moved) == str(n)


# -- JSON -----------------------------------------------------------------------------------


def test_json_of_adding(capsys: pytest.CaptureFixture[str]) -> None:
    """``--json`` with N: the start as given, N, the result and the calendar's zone."""
    assert as_json(capsys, "days", "19/11/2026", "5") == {
        "start": "2026-11-19",
        "days": 5,
        "result": "2026-11-27",
        "timezone": "America/Sao_Paulo",
    }
    backwards = as_json(capsys, "days", "2026-11-23", "-1")
    assert (backwards["days"], backwards["result"]) == (-1, "2026-11-19")


def test_json_of_counting(capsys: pytest.CaptureFixture[str]) -> None:
    """``--json`` with DATE2: both dates, the count (an integer) and the calendar's zone."""
    assert as_json(capsys, "days", "2026-11-21", "2026-11-30") == {
        "start": "2026-11-21",
        "end": "2026-11-30",
        "business_days": 5,
        "timezone": "America/Sao_Paulo",
    }
    assert as_json(capsys, "days", "2026-11-30", "2026-11-21")["business_days"] == -5


def test_json_shows_the_zone_of_tz(capsys: pytest.CaptureFixture[str]) -> None:
    """``--tz`` is the calendar's zone, and the JSON says so."""
    data = as_json(capsys, "days", "2026-11-19", "1", "--tz", "America/Manaus")
    assert data == {
        "start": "2026-11-19",
        "days": 1,
        "result": "2026-11-23",
        "timezone": "America/Manaus",
    }


# -- calendar options -----------------------------------------------------------------------


def test_calendar_file(capsys: pytest.CaptureFixture[str]) -> None:
    """The example calendar: a working Saturday, a partial Christmas Eve, Carnival closed."""
    assert ok(capsys, "2026-11-27", "1") == "2026-11-30"
    assert ok(capsys, "2026-11-27", "1", "--calendar", EXAMPLE_CALENDAR) == "2026-11-28"
    # Dec 24 is open 09:00-12:00 (a partial day counts); Dec 25 and 26 are closed.
    assert ok(capsys, "2026-12-23", "2", "--calendar", EXAMPLE_CALENDAR) == "2026-12-28"
    # Carnival (Feb 16-17, optional holidays the example observes); Ash Wednesday opens at 14:00.
    assert ok(capsys, "2026-02-13", "1") == "2026-02-16"
    assert ok(capsys, "2026-02-13", "1", "--calendar", EXAMPLE_CALENDAR) == "2026-02-18"
    count = ("2026-11-23", "2026-11-30", "--calendar", EXAMPLE_CALENDAR)
    assert ok(capsys, *count) == "6"


def test_calendar_without_country_holidays(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """``country = "none"``: Fri 20 is a working day, and far years can be answered."""
    path = tmp_path / "none.toml"
    path.write_text('[holidays]\ncountry = "none"\n', encoding="utf-8")
    assert ok(capsys, "2026-11-19", "1", "--calendar", str(path)) == "2026-11-20"
    assert ok(capsys, "2026-11-19", "2026-11-23", "--calendar", str(path)) == "2"
    assert ok(capsys, "9000-01-01", "1", "--calendar", str(path)) == "9000-01-02"
    assert "outside the years" in fails(capsys, "days", "9000-01-01", "1")


def test_subdiv(capsys: pytest.CaptureFixture[str]) -> None:
    """``--subdiv SP`` adds Jul 9, a holiday in the state of São Paulo."""
    assert ok(capsys, "2026-07-08", "1") == "2026-07-09"
    assert ok(capsys, "2026-07-08", "1", "--subdiv", "SP") == "2026-07-10"
    assert ok(capsys, "2026-07-01", "2026-08-01", "--subdiv", "SP") == "22"


def test_output_is_the_same_in_every_language(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A date or a number: a Portuguese locale changes nothing (``days`` has no --lang)."""
    monkeypatch.setenv("LC_ALL", "pt_BR.UTF-8")
    assert ok(capsys, "19/11/2026", "5") == "2026-11-27"
    assert ok(capsys, "2026-11-21", "2026-11-30") == "5"
    status, _, err = call(capsys, "days", "2026-11-19", "5", "--lang", "pt")
    assert status == 2
    assert "unrecognized arguments: --lang pt" in err


# -- arguments --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("--", "2026-11-19", "-3"),
        ("2026-11-19", "--", "-3"),
        ("2026-11-19", "-3"),
        ("--json", "2026-11-19", "-3"),
    ],
)
def test_a_negative_n_is_a_positional_argument(
    capsys: pytest.CaptureFixture[str], args: tuple[str, ...]
) -> None:
    """``-3`` is N, not an option, with or without ``--``."""
    status, out, err = call(capsys, "days", *args)
    assert (status, err) == (0, "")
    assert "2026-11-16" in out


def test_after_double_dash_an_option_is_an_argument(capsys: pytest.CaptureFixture[str]) -> None:
    """After ``--``, ``--json`` is the second argument (a bad one), not the option."""
    message = fails(capsys, "days", "2026-11-19", "--", "--json")
    assert "'--json'" in message


@pytest.mark.parametrize(
    "args",
    [
        (),
        ("2026-11-19",),
        ("2026-11-19", "5", "6"),
        ("2026-11-19", "-1e9"),  # not a negative number to argparse: an unknown option
        ("2026-11-19", "5", "--nope"),
    ],
)
def test_usage_mistakes_exit_2_with_the_usage(
    capsys: pytest.CaptureFixture[str], args: tuple[str, ...]
) -> None:
    """A mistake in the command itself: argparse's usage, then one error line."""
    status, out, err = call(capsys, "days", *args)
    assert (status, out) == (2, "")
    assert err.startswith("usage: sla-clock")
    assert re.match(r"sla-clock(?: days)?: error: \S", err.splitlines()[-1])


def test_read_days_or_date() -> None:
    """A whole number is N, whatever it looks like; anything else is read as a date."""
    assert read_days_or_date(" -3 ") == -3
    assert read_days_or_date("20261130") == 20261130  # a whole number is always N
    assert read_days_or_date("2026-11-30") == date(2026, 11, 30)
    assert read_days_or_date("30/11/2026") == date(2026, 11, 30)


# -- bad input: one line, status 2 ------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("", "5"), "cannot read the date '' (it is empty)"),
        ((" ", "5"), "(it is empty)"),
        (("2026-11-19", ""), "N|DATE2 must be a whole number of business days (5, -3, 0)"),
        (("2026-11-19", "5.5"), "N|DATE2 '5.5' is not a whole number"),
        (("2026-11-19", "-5.5"), "N|DATE2 '-5.5' is not a whole number"),
        (("2026-11-19", "1e9"), "N|DATE2 '1e9' is not a whole number"),
        (("2026-11-19", "5,5"), "'5,5' is not a whole number"),
        (("2026-11-19", "1_000"), "'1_000' is not a whole number"),
        (("2026-11-19", "x"), "cannot read the date 'x'"),
        (("2026-11-19", "٣"), "cannot read the date '٣'"),  # ASCII digits only
        (("2026-11-19", "99999999999999999999"), "business days is more than 100 years hold"),
        (("2026-11-19", "-99999999999999999999"), "business days is more than 100 years hold"),
        (("2026-11-19", "9" * 100), "N has 100 digits"),
        (("2026-11-19", "9" * 5000), "N has 5,000 digits"),  # past int()'s own digit limit
        (("2026-11-19", "36500"), "the result would land after 2100, the last of the years"),
        (("1990-01-01", "26000"), "would land more than 100 calendar years after 1990-01-01"),
        (("2026-11-19", "20261130"), "20,261,130 business days"),
        (("2026-02-30", "1"), "cannot read the date '2026-02-30' (day is out of range for month)"),
        (("30/02/2026", "1"), "(day is out of range for month)"),
        (("2026-11-19", "2026-02-30"), "N|DATE2 must be"),
        (("2026-13-01", "1"), "(month must be in 1..12)"),
        (("01/01/0000", "1"), "(year 0 is out of range)"),
        (("9999-12-31", "1"), "9999-12-31 is outside the years 1890-2100"),
        (("2026-11-19", "9999-12-31"), "9999-12-31 is outside the years 1890-2100"),
        (("1889-12-31", "2026-11-19"), "1889-12-31 is outside the years 1890-2100"),
        (("1900-01-01", "2026-11-19"), "lie in 127 calendar years"),
        (("2026-11-19 10:00", "1"), "it has a time after the date"),
        (("19/11/2026 10:00", "1"), "write the date alone, e.g. 19/11/2026"),
        (("2026-11-19T10:00Z", "1"), "it has a time after the date"),
        (("today", "1"), "'today' depends on the clock"),
        (("now", "1"), "'now' is an instant, not a date"),
        (("-3", "1"), "cannot read the date '-3'"),
        (("x" * 10_000, "1"), "(it is 10,000 characters long)"),
        (("\udcff", "1"), "cannot read the date '\\udcff'"),
        (("2026-11-19", "1", "--tz", "Mars/Olympus"), "unknown timezone 'Mars/Olympus'"),
        (("2026-11-19", "1", "--calendar", "/nonexistent/c.toml"), "/nonexistent/c.toml"),
        (("2026-11-19", "1", "--subdiv", "XX"), "no subdivision 'XX'"),
    ],
)
def test_bad_input_is_one_line_and_status_2(
    capsys: pytest.CaptureFixture[str], args: tuple[str, ...], needle: str
) -> None:
    """Every bad value gets one ``sla-clock: error:`` line that says what is wrong."""
    message = fails(capsys, "days", *args)
    assert needle in message
    assert len(message) < 600


@pytest.mark.parametrize("second", ["", "x", "5.5"])
def test_messages_show_both_kinds_of_second_argument(
    capsys: pytest.CaptureFixture[str], second: str
) -> None:
    """A bad second argument is told both what N and what a date look like."""
    message = fails(capsys, "days", "2026-11-19", second)
    assert "whole number of business days (5, -3, 0)" in message
    assert "ISO 8601 (2026-11-19) or dd/mm/yyyy (19/11/2026)" in message


def test_a_nul_character_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    """A NUL (which only a caller of ``main()`` can pass) is refused before parsing."""
    assert "NUL character" in fails(capsys, "days", "2026-11-19\x00", "5")


# -- help and real processes ---------------------------------------------------------------


def test_help(capsys: pytest.CaptureFixture[str]) -> None:
    """``days --help`` explains both forms and takes the shared calendar options."""
    status, out, _ = call(capsys, "days", "--help")
    assert status == 0
    assert "usage: sla-clock days" in out
    assert "DATE N|DATE2" in out
    assert "busday_offset" in out
    for option in ("--calendar", "--tz", "--subdiv", "--json", "--debug"):
        assert option in out
    status, out, _ = call(capsys, "--help")
    assert status == 0
    assert "days      move a date by business days, or count the business days" in out


@pytest.mark.slow
def test_through_a_real_process() -> None:
    """``python -m sla_clock days`` with a system zone far from São Paulo's."""
    result = run_module("days", "2026-11-19", "5")
    assert (result.returncode, result.stdout, result.stderr) == (0, "2026-11-27\n", "")
    result = run_module("days", "2026-11-21", "2026-11-30", "--json", tz="Pacific/Kiritimati")
    assert result.returncode == 0
    assert '"business_days": 5' in result.stdout


@pytest.mark.slow
@pytest.mark.parametrize(
    "args",
    [("2026-11-19", "\udcff"), ("19/11/2026\udcff", "5"), ("2026-11-19", "5\udcff")],
    ids=["second", "date", "number"],
)
def test_undecodable_bytes_in_arguments(args: tuple[str, ...]) -> None:
    """Arguments that are not UTF-8 are one error line, the bad byte shown as ``\\udcff``.

    ``subprocess`` writes each lone surrogate of an argument as the byte it stands for
    (``os.fsencode``), so the child gets the raw byte 0xFF, which Python decodes back to
    ``\\udcff``.
    """
    result = run_module("days", *args)
    assert (result.returncode, result.stdout) == (2, "")
    (line,) = result.stderr.splitlines()
    assert line.startswith(ERROR_PREFIX)
    assert "\\udcff" in line
    assert "Traceback" not in result.stderr
