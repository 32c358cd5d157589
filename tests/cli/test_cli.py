"""Tests of the sla-clock command line (sla_clock.cli and python -m sla_clock)."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from sla_clock import TimeParseError, __version__
from sla_clock.cli import _elapsed
from support import call, fails, run_module

# -- helpers ---------------------------------------------------------------------------------


def run(*args: str, tz: str = "Asia/Tokyo") -> subprocess.CompletedProcess[str]:
    """Run ``python -m sla_clock`` with a system zone far from São Paulo's."""
    return run_module(*args, tz=tz, encoding=None)


def ok(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    """Call ``cli.main`` expecting success and return the single line it prints."""
    status, out, err = call(capsys, *args)
    assert (status, err) == (0, "")
    assert out.endswith("\n")
    assert out.count("\n") == 1
    return out.strip()


EXAMPLES_POLICY = """
[[priorities]]
code = "A4"
target_hours = 4

[[priorities]]
code = "A12"
target_hours = 12

[[priorities]]
code = "A1"
target = "PT1H"

[[priorities]]
code = "A9"
target_hours = 9
"""

LUNCH_CALENDAR = """
timezone = "America/Sao_Paulo"

[hours]
mon-fri = ["09:00-12:00", "13:00-18:00"]
"""


@pytest.fixture
def examples_policy(tmp_path: Path) -> str:
    """A policy file whose priorities are the worked examples' durations (4 h, 12 h, 1 h, 9 h)."""
    path = tmp_path / "examples.toml"
    path.write_text(EXAMPLES_POLICY, encoding="utf-8")
    return str(path)


@pytest.fixture
def lunch_calendar(tmp_path: Path) -> str:
    """A calendar file with a 12:00-13:00 lunch break (8-hour days)."""
    path = tmp_path / "lunch.toml"
    path.write_text(LUNCH_CALENDAR, encoding="utf-8")
    return str(path)


# -- through a subprocess: the headline commands ----------------------------------------------


@pytest.mark.slow
def test_due_headline() -> None:
    """``due P1 --opened "2026-11-24 17:30"`` prints exactly the São Paulo deadline."""
    result = run("due", "P1", "--opened", "2026-11-24 17:30")
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == "2026-11-26T11:30:00-03:00\n"


@pytest.mark.slow
def test_elapsed_headline() -> None:
    """``elapsed`` over the Nov 20 holiday and a weekend prints ``1:00:00``."""
    result = run("elapsed", "2026-11-20 10:00", "2026-11-23 10:00")
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == "1:00:00\n"


@pytest.mark.slow
def test_due_json_keys() -> None:
    """``due --json`` prints an object with priority, opened_at, due_at and target_seconds."""
    result = run("due", "p1", "--opened", "2026-11-24 17:30", "--json")
    assert result.returncode == 0
    data = json.loads(result.stdout)
    assert data == {
        "priority": "P1",
        "opened_at": "2026-11-24T17:30:00-03:00",
        "due_at": "2026-11-26T11:30:00-03:00",
        "target_seconds": 43200,
        "timezone": "America/Sao_Paulo",
    }


@pytest.mark.slow
def test_elapsed_json_keys() -> None:
    """``elapsed --json`` prints seconds, start, end and the elapsed text."""
    result = run("elapsed", "2026-11-20 10:00", "2026-11-23 10:00", "--json")
    assert result.returncode == 0
    data = json.loads(result.stdout)
    assert data == {
        "start": "2026-11-20T10:00:00-03:00",
        "end": "2026-11-23T10:00:00-03:00",
        "seconds": 3600,
        "elapsed": "1:00:00",
        "timezone": "America/Sao_Paulo",
    }


@pytest.mark.slow
def test_version_through_subprocess() -> None:
    """``--version`` prints the program name and the package version."""
    result = run("--version")
    assert (result.returncode, result.stdout) == (0, f"sla-clock {__version__}\n")


@pytest.mark.slow
@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("due", "P9", "--opened", "2026-11-24 17:30"), "unknown priority 'P9'"),
        (("due", "P1", "--opened", "yesterday"), "cannot read the time 'yesterday'"),
        (("elapsed", "2026-11-20 10:00", "23/11/2026 25:00"), "cannot read the time"),
        (("due", "P1", "--calendar", "/nonexistent/calendar.toml"), "cannot read"),
        (("due", "P1", "--policy", "/nonexistent/policy.toml"), "cannot read"),
        (("due", "P1", "--tz", "Mars/Olympus_Mons"), "unknown timezone 'Mars/Olympus_Mons'"),
        (("elapsed", "now", "now", "--subdiv", "XX"), "no subdivision 'XX'"),
    ],
)
def test_bad_input_is_one_stderr_line_and_status_2(args: tuple[str, ...], needle: str) -> None:
    """Bad input exits 2 with one ``sla-clock: error:`` line on stderr and no traceback."""
    result = run(*args)
    assert result.returncode == 2
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("sla-clock: error: ")
    assert needle in lines[0]


@pytest.mark.slow
def test_bad_toml_file_through_subprocess(tmp_path: Path) -> None:
    """A calendar file that is not valid TOML exits 2 with one line naming the file."""
    path = tmp_path / "broken.toml"
    path.write_text("hours = [\n", encoding="utf-8")
    result = run("elapsed", "2026-11-20 10:00", "2026-11-23 10:00", "--calendar", str(path))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("sla-clock: error: ")
    assert "broken.toml is not valid TOML" in lines[0]


# -- the DESIGN.md worked examples --------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "opened", "due"),
    [
        ("A4", "2026-11-19 17:00", "2026-11-23T12:00:00-03:00"),  # Nov 20 is a holiday
        ("A12", "2026-12-31 16:00", "2027-01-05T10:00:00-03:00"),
        ("A1", "2026-11-28 10:00", "2026-11-30T10:00:00-03:00"),  # a Saturday
        ("A9", "2026-11-24 09:00", "2026-11-24T18:00:00-03:00"),  # lands on the close
    ],
)
def test_worked_add_examples(
    capsys: pytest.CaptureFixture[str], examples_policy: str, code: str, opened: str, due: str
) -> None:
    """Each worked ``add`` example of DESIGN.md holds as a ``due`` with a matching target."""
    assert ok(capsys, "due", code, "--opened", opened, "--policy", examples_policy) == due


@pytest.mark.parametrize(
    ("code", "opened", "due"),
    [
        ("P0", "2026-11-19 17:00", "2026-11-23T12:00:00-03:00"),
        ("P1", "2026-12-31 16:00", "2027-01-05T10:00:00-03:00"),
    ],
)
def test_worked_examples_with_default_policy(
    capsys: pytest.CaptureFixture[str], code: str, opened: str, due: str
) -> None:
    """The 4 h and 12 h worked examples are P0 and P1 of the default policy."""
    assert ok(capsys, "due", code, "--opened", opened) == due


def test_worked_elapsed_example(capsys: pytest.CaptureFixture[str]) -> None:
    """elapsed(Fri 2026-11-20 10:00, Mon 2026-11-23 10:00) is 1 h (Friday is a holiday)."""
    assert ok(capsys, "elapsed", "2026-11-20 10:00", "2026-11-23 10:00") == "1:00:00"


def test_worked_zero_add_example(capsys: pytest.CaptureFixture[str]) -> None:
    """add(Fri 18:00, 0 h) is Fri 18:00: no business time passes from a close to itself."""
    assert ok(capsys, "elapsed", "2026-11-27 18:00", "2026-11-27 18:00") == "0:00:00"
    assert ok(capsys, "elapsed", "2026-11-27 18:00", "2026-11-30 09:00") == "0:00:00"


def test_worked_negative_add_example(capsys: pytest.CaptureFixture[str]) -> None:
    """add(Tue 09:00, -1 h) is Mon 17:00: the latest instant with 1 h of business time to Tue."""
    assert ok(capsys, "elapsed", "2026-11-23 17:00", "2026-11-24 09:00") == "1:00:00"
    assert ok(capsys, "elapsed", "2026-11-24 09:00", "2026-11-23 17:00") == "-1:00:00"
    later = ok(capsys, "elapsed", "2026-11-23 17:00:00.000001", "2026-11-24 09:00")
    assert later == "0:59:59.999999"


# -- in-process: options and forms ------------------------------------------------------------


def test_priority_is_case_insensitive(capsys: pytest.CaptureFixture[str]) -> None:
    """A lower-case priority code names the same priority."""
    assert ok(capsys, "due", "p1", "--opened", "2026-11-24 17:30") == "2026-11-26T11:30:00-03:00"


@pytest.mark.parametrize(
    ("code", "due"),
    [
        ("P0", "2026-11-25T12:30:00-03:00"),
        ("P1", "2026-11-26T11:30:00-03:00"),
        ("P2", "2026-12-01T12:30:00-03:00"),  # 4 days and 4 hours without a lunch break
        ("P3", "2026-12-02T11:30:00-03:00"),
    ],
)
def test_default_policy_targets(capsys: pytest.CaptureFixture[str], code: str, due: str) -> None:
    """The default policy is P0 4 h, P1 12 h, P2 40 h, P3 48 h on the default calendar."""
    assert ok(capsys, "due", code, "--opened", "2026-11-24 17:30") == due


def test_brazilian_date_form(capsys: pytest.CaptureFixture[str]) -> None:
    """``dd/mm/yyyy HH:MM`` and ``dd/mm/yyyy`` are read as São Paulo wall time."""
    assert ok(capsys, "due", "P1", "--opened", "24/11/2026 17:30") == "2026-11-26T11:30:00-03:00"
    assert ok(capsys, "elapsed", "20/11/2026", "23/11/2026 10:00:00") == "1:00:00"


def test_offset_and_z_inputs(capsys: pytest.CaptureFixture[str]) -> None:
    """A time with Z or an offset names its instant; the result is in the calendar's zone."""
    assert ok(capsys, "due", "P1", "--opened", "2026-11-24T20:30Z") == "2026-11-26T11:30:00-03:00"
    out = ok(capsys, "elapsed", "2026-11-20T13:00Z", "2026-11-23T08:00-05:00")
    assert out == "1:00:00"


def test_tz_option(capsys: pytest.CaptureFixture[str]) -> None:
    """``--tz`` keeps the wall-clock hours and reads and prints times in the new zone."""
    args = ("due", "P1", "--opened", "2026-11-24 17:30", "--tz", "America/New_York")
    assert ok(capsys, *args) == "2026-11-26T11:30:00-05:00"
    elapsed = ("elapsed", "2026-11-24 17:00", "2026-11-24T21:00Z", "--tz", "America/New_York")
    assert ok(capsys, *elapsed) == "-1:00:00"  # 21:00Z is 16:00 in New York, before the start
    assert (
        ok(capsys, "elapsed", "2026-11-24 17:00", "2026-11-24T23:00Z", "--tz", "America/New_York")
        == "1:00:00"
    )


def test_tz_option_reads_dst_gap_forward(capsys: pytest.CaptureFixture[str]) -> None:
    """Under ``--tz America/New_York`` a wall time in the DST gap moves forward by the gap."""
    status, out, _ = call(
        capsys, "due", "P0", "--opened", "2026-03-08 02:30", "--tz", "America/New_York", "--json"
    )
    assert status == 0
    assert json.loads(out)["opened_at"] == "2026-03-08T03:30:00-04:00"


def test_subdiv_option(capsys: pytest.CaptureFixture[str]) -> None:
    """``--subdiv SP`` closes Jul 9, São Paulo's state holiday, on both commands."""
    args = ("elapsed", "2026-07-08 10:00", "2026-07-10 10:00")
    assert ok(capsys, *args) == "18:00:00"
    assert ok(capsys, *args, "--subdiv", "SP") == "9:00:00"
    assert ok(capsys, "due", "P0", "--opened", "2026-07-08 16:00") == "2026-07-09T11:00:00-03:00"
    due_sp = ok(capsys, "due", "P0", "--opened", "2026-07-08 16:00", "--subdiv", "SP")
    assert due_sp == "2026-07-10T11:00:00-03:00"


def test_subdiv_keeps_the_calendar_country_and_categories(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """``--subdiv`` on a calendar with optional holidays keeps them (Carnival stays closed)."""
    path = tmp_path / "optional.toml"
    path.write_text('[holidays]\ncountry = "BR"\ncategories = ["public", "optional"]\n')
    carnival = ("elapsed", "2026-02-13 18:00", "2026-02-18 09:00")  # Fri close to Wed open
    assert ok(capsys, *carnival) == "18:00:00"
    assert ok(capsys, *carnival, "--calendar", str(path)) == "0:00:00"
    assert ok(capsys, *carnival, "--calendar", str(path), "--subdiv", "SP") == "0:00:00"


def test_subdiv_without_country_is_an_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """``--subdiv`` on a calendar without a holiday country says to set one."""
    path = tmp_path / "no-holidays.json"
    path.write_text('{"holidays": {"country": null}}', encoding="utf-8")
    message = fails(capsys, "elapsed", "now", "now", "--calendar", str(path), "--subdiv", "SP")
    assert "without a country" in message


def test_calendar_file_with_lunch_break(
    capsys: pytest.CaptureFixture[str], lunch_calendar: str
) -> None:
    """With a 12:00-13:00 break a day is 8 hours, so P2's 40 h is exactly five days."""
    assert ok(capsys, "elapsed", "2026-11-23 09:00", "2026-11-23 18:00") == "9:00:00"
    lunch = ("--calendar", lunch_calendar)
    assert ok(capsys, "elapsed", "2026-11-23 09:00", "2026-11-23 18:00", *lunch) == "8:00:00"
    due = ok(capsys, "due", "P2", "--opened", "2026-11-23 09:00", *lunch)
    assert due == "2026-11-27T18:00:00-03:00"
    assert ok(capsys, "due", "P0", "--opened", "2026-11-23 11:00", *lunch) == (
        "2026-11-23T16:00:00-03:00"
    )


def test_policy_calendar_is_used_unless_calendar_given(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, lunch_calendar: str
) -> None:
    """``due`` runs on the policy's calendar; ``--calendar`` replaces it; --tz applies on top."""
    path = tmp_path / "policy.toml"
    path.write_text(
        '[[priorities]]\ncode = "X"\ntarget_hours = 2\n\n'
        '[calendar]\ntimezone = "America/New_York"\n[calendar.hours]\nmon-fri = "08:00-10:00"\n',
        encoding="utf-8",
    )
    opened = ("due", "x", "--opened", "2026-11-24 09:00", "--policy", str(path))
    assert ok(capsys, *opened) == "2026-11-25T09:00:00-05:00"
    assert ok(capsys, *opened, "--calendar", lunch_calendar) == "2026-11-24T11:00:00-03:00"
    assert ok(capsys, *opened, "--tz", "America/Sao_Paulo") == "2026-11-25T09:00:00-03:00"


def test_unknown_priority_lists_the_policy_codes(
    capsys: pytest.CaptureFixture[str], examples_policy: str
) -> None:
    """An unknown priority names the codes the policy in use defines."""
    message = fails(capsys, "due", "P1", "--opened", "now", "--policy", examples_policy)
    assert message == "unknown priority 'P1'; this policy defines A4, A12, A1, A9"


def test_bad_policy_field_is_named(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A policy file with a bad field exits 2 with the field's name in the message."""
    path = tmp_path / "policy.toml"
    path.write_text('[[priorities]]\ncode = "X"\ntarget_hours = -1\n', encoding="utf-8")
    assert "priorities.0.target_hours" in fails(capsys, "due", "X", "--policy", str(path))


def test_bad_calendar_hours_are_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Bad opening hours in a calendar file exit 2 with one line."""
    path = tmp_path / "calendar.toml"
    path.write_text('[hours]\nmon-fri = "18:00-09:00"\n', encoding="utf-8")
    assert str(path) in fails(capsys, "elapsed", "now", "now", "--calendar", str(path))


def test_out_of_range_is_bad_input(capsys: pytest.CaptureFixture[str]) -> None:
    """A time the calendar cannot reach exits 2 rather than raising."""
    assert "years" in fails(capsys, "due", "P0", "--opened", "9999-12-31")


def test_elapsed_prints_total_hours(capsys: pytest.CaptureFixture[str]) -> None:
    """49 business hours print as ``49:00:00``, never as days."""
    assert ok(capsys, "elapsed", "2026-11-23 09:00", "2026-11-30 13:00") == "49:00:00"


def test_elapsed_negative_and_microseconds(capsys: pytest.CaptureFixture[str]) -> None:
    """A reversed interval prints with ``-`` and microseconds print only when present."""
    assert ok(capsys, "elapsed", "2026-11-26 09:00", "2026-11-24 09:00") == "-18:00:00"
    status, out, _ = call(capsys, "elapsed", "2026-11-24 09:00", "2026-11-24 09:00:00.5", "--json")
    assert status == 0
    data = json.loads(out)
    assert (data["seconds"], data["elapsed"]) == (0.5, "0:00:00.500000")


def test_due_json_with_fractional_target(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """``target_seconds`` keeps microseconds when the target has them."""
    path = tmp_path / "policy.json"
    path.write_text('{"priorities": [{"code": "F", "target": "PT0.5S"}]}', encoding="utf-8")
    status, out, _ = call(
        capsys, "due", "F", "--opened", "2026-11-24 10:00", "--policy", str(path), "--json"
    )
    assert status == 0
    data = json.loads(out)
    assert data["target_seconds"] == 0.5
    assert data["due_at"] == "2026-11-24T10:00:00.500000-03:00"


def test_opened_defaults_to_now(capsys: pytest.CaptureFixture[str]) -> None:
    """Without ``--opened`` the ticket opened now, so the deadline lies after the call."""
    before = datetime.now(UTC)
    status, out, _ = call(capsys, "due", "P0", "--json")
    assert status == 0
    data = json.loads(out)
    opened = datetime.fromisoformat(data["opened_at"])
    assert before <= opened <= datetime.now(UTC)
    assert datetime.fromisoformat(data["due_at"]) > opened


# -- in-process: program behaviour ------------------------------------------------------------


def test_version_in_process(capsys: pytest.CaptureFixture[str]) -> None:
    """``main(["--version"])`` prints the version and returns 0 instead of exiting."""
    status, out, _ = call(capsys, "--version")
    assert (status, out) == (0, f"sla-clock {__version__}\n")


def test_help_lists_the_commands(capsys: pytest.CaptureFixture[str]) -> None:
    """``--help`` returns 0 and names each subcommand."""
    status, out, _ = call(capsys, "--help")
    assert status == 0
    assert "due" in out
    assert "elapsed" in out


@pytest.mark.parametrize("command", ["due", "elapsed"])
def test_calendar_options_on_every_command(
    capsys: pytest.CaptureFixture[str], command: str
) -> None:
    """Every subcommand accepts the shared ``--calendar``, ``--tz``, ``--subdiv``, ``--json``."""
    status, out, _ = call(capsys, command, "--help")
    assert status == 0
    for option in ("--calendar", "--tz", "--subdiv", "--json"):
        assert option in out


@pytest.mark.parametrize(
    "args",
    [(), ("frobnicate",), ("due",), ("elapsed", "2026-11-20 10:00"), ("due", "P1", "--nope")],
)
def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str], args: tuple[str, ...]) -> None:
    """Usage errors (missing command or argument, unknown option) return 2 with usage on stderr."""
    status, out, err = call(capsys, *args)
    assert (status, out) == (2, "")
    assert err.startswith("usage: sla-clock")
    assert "error:" in err


def test_keyboard_interrupt_exits_130_quietly(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C during a command returns 130 and prints nothing."""

    def interrupted(*_args: object, **_kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(_elapsed, "parse_instant", interrupted)
    assert call(capsys, "elapsed", "now", "now") == (130, "", "")


def test_unexpected_errors_are_an_internal_error_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """An exception that is not an SlaClockError is status 3 and one line, not a traceback.

    It used to propagate with its traceback (status 1 from Python, the status of a late
    ticket); tests/cli/test_exit_status.py holds the details.
    """

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.delenv("SLA_CLOCK_DEBUG", raising=False)
    monkeypatch.setattr(_elapsed, "parse_instant", broken)
    status, out, err = call(capsys, "elapsed", "now", "now")
    assert (status, out) == (3, "")
    assert err.count("\n") == 1
    assert err.startswith("sla-clock: internal error: RuntimeError: boom; this is a bug")


def test_multiline_messages_are_joined_into_one_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """An error message with line breaks still prints as a single stderr line."""

    def multiline(*_args: object, **_kwargs: object) -> None:
        raise TimeParseError("first\nsecond")

    monkeypatch.setattr(_elapsed, "parse_instant", multiline)
    assert fails(capsys, "elapsed", "now", "now") == "first second"


@pytest.mark.slow
def test_system_timezone_is_never_used() -> None:
    """The output does not depend on the process's TZ setting."""
    for tz in ("UTC", "Asia/Kolkata", "America/Los_Angeles"):
        result = run("due", "P1", "--opened", "2026-11-24 17:30", tz=tz)
        assert result.stdout == "2026-11-26T11:30:00-03:00\n"


@pytest.mark.slow
def test_a_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    """When the reader of stdout goes away (`| head`), the CLI stops without a traceback."""
    policy = tmp_path / "long.toml"
    policy.write_text('[[priorities]]\ncode = "LONG"\ntarget_hours = 90000\n', encoding="utf-8")
    command = [
        *[sys.executable, "-m", "sla_clock", "due", "LONG", "--explain"],
        *["--opened", "2026-11-24 09:00", "--policy", str(policy)],
    ]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None
    assert proc.stderr is not None
    assert proc.stdout.readline().startswith(b"LONG")
    proc.stdout.close()  # ten thousand day rows are still to come: the next write fails
    err = proc.stderr.read().decode()
    proc.stderr.close()
    assert proc.wait(timeout=60) == 141, err
    assert "Traceback" not in err
