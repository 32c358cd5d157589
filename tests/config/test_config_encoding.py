"""Calendar and policy files as Windows and Brazilian desks write them (issue 9).

UTF-8 with or without a byte order mark is read; any other encoding is a clear error that
names the file and says to save it as UTF-8. Dates may be ``dd/mm/yyyy`` as well as ISO.
Nothing here may end in a traceback: through the CLI each case is one line and exit 2.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from sla_clock import (
    BusinessCalendar,
    CalendarConfigError,
    OutOfRangeError,
    PolicyConfigError,
    SlaPolicy,
    cli,
)

CALENDAR = 'closed = ["2026-12-28"]\n# São Paulo, feriado da empresa\n'
POLICY = '[[priorities]]\ncode = "P0"\ntarget_hours = 4\nname_pt = "Altíssima"\n'


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    """Write ``data`` to ``tmp_path / name`` and return the path."""
    path = tmp_path / name
    path.write_bytes(data)
    return path


def cli_error(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    """Run the CLI, assert exit 2 with one stderr line and no traceback; return the line."""
    status = cli.main(list(args))
    out, err = capsys.readouterr()
    assert (status, out) == (2, "")
    assert err.count("\n") == 1
    assert err.startswith("sla-clock: error: ")
    assert "Traceback" not in err
    return err


# -- encodings ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["desk.toml", "desk.json"])
def test_a_utf8_bom_is_accepted(tmp_path: Path, name: str) -> None:
    """A calendar saved by Windows Notepad (UTF-8 with a byte order mark) is read."""
    text = CALENDAR if name.endswith(".toml") else json.dumps({"closed": ["2026-12-28"]})
    path = write(tmp_path, name, b"\xef\xbb\xbf" + text.encode())
    assert BusinessCalendar.from_file(path).day_hours(date(2026, 12, 28)) == []


def test_a_utf8_bom_policy_is_accepted(tmp_path: Path) -> None:
    """A policy with a byte order mark and accents is read, accents intact."""
    policy = SlaPolicy.from_file(write(tmp_path, "p.toml", b"\xef\xbb\xbf" + POLICY.encode()))
    assert policy.priorities[0].name_pt == "Altíssima"


@pytest.mark.parametrize(
    ("data", "needle"),
    [
        (CALENDAR.encode("cp1252"), "is not UTF-8 text (byte b'\\xe3' on line 2"),
        (b"\xef\xbb\xbf" + CALENDAR.encode("cp1252"), "(byte b'\\xe3' on line 2"),
        (CALENDAR.encode("utf-16"), "is UTF-16 text, not UTF-8"),
        (CALENDAR.encode("utf-32"), "is UTF-32 text, not UTF-8"),
        (CALENDAR.encode("utf-16-le"), "has NUL bytes (line 1)"),
    ],
)
def test_other_encodings_are_refused_clearly(tmp_path: Path, data: bytes, needle: str) -> None:
    """cp1252, UTF-16 and UTF-32 calendars raise CalendarConfigError saying: save as UTF-8."""
    path = write(tmp_path, "desk.toml", data)
    with pytest.raises(CalendarConfigError) as caught:
        BusinessCalendar.from_file(path)
    message = str(caught.value)
    assert message.startswith(f"{path} ")
    assert needle in message
    assert "save it as UTF-8" in message


def test_a_cp1252_policy_is_a_policy_error(tmp_path: Path) -> None:
    """A policy file in cp1252 raises PolicyConfigError (not a UnicodeDecodeError)."""
    path = write(tmp_path, "p.toml", POLICY.encode("cp1252"))
    with pytest.raises(PolicyConfigError, match=r"is not UTF-8 text .*save it as UTF-8"):
        SlaPolicy.from_file(str(path))


def test_a_huge_file_is_refused_without_reading_it_all(tmp_path: Path) -> None:
    """A file bigger than any calendar (or /dev/zero) is refused after 4 MiB."""
    path = write(tmp_path, "big.toml", b"# " + b"x" * (5 * 1024 * 1024))
    with pytest.raises(CalendarConfigError, match="larger than 4 MiB"):
        BusinessCalendar.from_file(path)


def test_dev_zero_is_refused() -> None:
    """An endless file is refused, not read forever."""
    with pytest.raises(CalendarConfigError, match="larger than 4 MiB"):
        BusinessCalendar.from_file("/dev/zero")


@pytest.mark.parametrize(
    ("make", "needle"),
    [
        ("directory", "Is a directory"),
        ("dangling", "No such file or directory"),
        ("loop", "Too many levels of symbolic links"),
        ("empty_json", "is not valid JSON"),
        ("binary", "is not UTF-8 text"),
        ("wrong_type", "bad field closed"),
    ],
)
def test_hostile_calendar_files_are_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, make: str, needle: str
) -> None:
    """A directory, bad links, an empty JSON file, random bytes, a wrong type: one line, exit 2."""
    path = tmp_path / "desk.toml"
    if make == "directory":
        path.mkdir()
    elif make == "dangling":
        path.symlink_to(tmp_path / "nowhere.toml")
    elif make == "loop":
        path.symlink_to(tmp_path / "other.toml")
        (tmp_path / "other.toml").symlink_to(path)
    elif make == "empty_json":
        path = write(tmp_path, "desk.json", b"")
    elif make == "binary":
        path.write_bytes(bytes(range(1, 256)) * 4)
    else:
        path.write_text('closed = "2026-12-24"', encoding="utf-8")
    err = cli_error(capsys, "due", "P0", "--opened", "2026-11-23 14:00", "--calendar", str(path))
    assert needle in err


@pytest.mark.slow
def test_encoding_errors_through_a_subprocess(tmp_path: Path) -> None:
    """python -m sla_clock with a cp1252 policy: exit 2, one line, no traceback."""
    path = write(tmp_path, "p.toml", POLICY.encode("cp1252"))
    result = subprocess.run(
        [sys.executable, "-m", "sla_clock", "policy", "--policy", str(path)],
        capture_output=True, text=True, check=False, timeout=120,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )  # fmt: skip
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert "save it as UTF-8" in result.stderr


# -- Brazilian dates ------------------------------------------------------------------------

BRAZILIAN = """
closed = ["26/12/2026", "2026-12-28", 2026-12-29]

[partial]
"24/12/2026" = "09:00-12:00"

[extra_open]
"28/11/2026" = "09:00-13:00"
"5/12/2026" = "09:00-12:00"
"""


def test_dd_mm_yyyy_dates_in_a_calendar_file(tmp_path: Path) -> None:
    """closed, partial and extra_open take dd/mm/yyyy as well as ISO dates."""
    calendar = BusinessCalendar.from_file(write(tmp_path, "desk.toml", BRAZILIAN.encode()))
    assert calendar.day_hours(date(2026, 12, 26)) == []
    assert calendar.day_hours(date(2026, 12, 28)) == []
    assert calendar.day_hours(date(2026, 12, 29)) == []
    assert calendar.day_hours(date(2026, 12, 24)) == ["09:00-12:00"]
    assert calendar.day_hours(date(2026, 11, 28)) == ["09:00-13:00"]
    assert calendar.day_hours(date(2026, 12, 5)) == ["09:00-12:00"]
    iso = BRAZILIAN.replace('"26/12/2026"', '"2026-12-26"').replace('"24/12/2026"', '"2026-12-24"')
    iso = iso.replace('"28/11/2026"', '"2026-11-28"').replace('"5/12/2026"', '"2026-12-05"')
    assert BusinessCalendar.from_file(write(tmp_path, "iso.toml", iso.encode())) == calendar


def test_dd_mm_yyyy_in_a_json_policy_calendar(tmp_path: Path) -> None:
    """A policy's calendar table takes the same dates."""
    data = {
        "priorities": [{"code": "P0", "target_hours": 4}],
        "calendar": {"closed": ["24/11/2026"]},
    }
    policy = SlaPolicy.from_file(write(tmp_path, "p.json", json.dumps(data).encode()))
    assert policy.calendar.day_hours(date(2026, 11, 24)) == []


@pytest.mark.parametrize(
    ("text", "field", "needle"),
    [
        ('closed = ["12/25/2026"]', "closed.0", "has month 25: dates with slashes are dd/mm/yyyy"),
        ('closed = ["31/02/2026"]', "closed.0", "'31/02/2026' is not a date (day is out of range"),
        ('closed = ["24/12/26"]', "closed.0", "has a two-digit year, which is ambiguous"),
        ('closed = ["12-24-2026"]', "closed.0", "'12-24-2026' is not a date; write yyyy-mm-dd"),
        ('closed = ["2026/12/24"]', "closed.0", "is not a date; write yyyy-mm-dd"),
        ("closed = [20261224]", "closed.0", "expected a date as text, got int 20261224"),
        ("closed = [2026-12-24T10:00:00]", "closed.0", "is a date and time; give the date alone"),
        ('[partial]\n"32/12/2026" = "09:00-12:00"', "partial.32/12/2026", "is not a date"),
        (
            '[partial]\n"24/12/2026" = "09:00-12:00"\n"2026-12-24" = "09:00-13:00"',
            "partial",
            "2026-12-24 is given twice ('24/12/2026' and '2026-12-24'); keep one",
        ),
    ],
)
def test_bad_dates_name_the_field(tmp_path: Path, text: str, field: str, needle: str) -> None:
    """An invalid or ambiguous date is a CalendarConfigError naming the file and the field."""
    path = write(tmp_path, "desk.toml", text.encode())
    with pytest.raises(CalendarConfigError) as caught:
        BusinessCalendar.from_file(str(path))
    message = str(caught.value)
    assert message.startswith(f"{path}: bad field {field}")
    assert needle in message


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("deep.json", "[" * 100_000),
        ("deep.json", '{"a": ' * 5_000 + "1" + "}" * 5_000),
        ("deep.toml", "a = " + "[" * 5_000 + "]" * 5_000),
        ("deep.toml", "[holidays]\nx = " + "[" * 20 + "]" * 20),
    ],
)
def test_deeply_nested_files_are_bad_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, text: str
) -> None:
    """A file nested thousands of levels deep made a RecursionError, exit 3 (an internal
    error) in the review of issue 9; it is bad input, one line, exit 2, for both loaders."""
    path = write(tmp_path, name, text.encode())
    for option in ("--calendar", "--policy"):
        assert "levels deep" in cli_error(capsys, "due", "P0", option, str(path))
    with pytest.raises(CalendarConfigError, match="more than 16 levels deep"):
        BusinessCalendar.from_file(path)
    with pytest.raises(PolicyConfigError, match="more than 16 levels deep"):
        SlaPolicy.from_file(path)


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("long.toml", '[[priorities]]\ncode = "X"\ntarget_hours = ' + "9" * 5_000 + "\n"),
        ("long.json", '{"priorities": [{"code": "X", "target_hours": ' + "9" * 5_000 + "}]}"),
        ("long.toml", 'timezone = "UTC"\nx = ' + "9" * 4_301 + "\n"),
    ],
)
def test_a_number_too_long_to_read_is_bad_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, text: str
) -> None:
    """A number of over 4,300 digits made int's ValueError, exit 3 (an internal error), in
    the review of issue 9's promises; it is bad input, one line, exit 2, for both loaders."""
    path = write(tmp_path, name, text.encode())
    for option in ("--calendar", "--policy"):
        assert "4,300 digits" in cli_error(capsys, "due", "P0", option, str(path))
    with pytest.raises(CalendarConfigError, match="too long to read"):
        BusinessCalendar.from_file(path)
    with pytest.raises(PolicyConfigError, match="too long to read"):
        SlaPolicy.from_file(path)


@pytest.mark.parametrize("spelling", ['"none"', '"None"', '" NONE "'])
def test_a_toml_calendar_can_say_no_country_holidays(tmp_path: Path, spelling: str) -> None:
    """TOML has no null, and the out-of-range error advises a calendar without country
    holidays: ``country = "none"`` says it (the review of issue 9 found no way to)."""
    path = write(tmp_path, "desk.toml", f"[holidays]\ncountry = {spelling}\n".encode())
    calendar = BusinessCalendar.from_file(path)
    assert calendar.holidays.country is None
    assert calendar.year_range == (2, 9997)


def test_the_range_error_advises_what_a_calendar_file_can_say() -> None:
    """The advice of the out-of-range error is a spelling a TOML calendar file accepts."""
    with pytest.raises(OutOfRangeError, match='country = "none" in a calendar file'):
        BusinessCalendar.default().add(
            datetime(2102, 12, 22, 17, tzinfo=ZoneInfo("America/Sao_Paulo")), timedelta(hours=4)
        )
