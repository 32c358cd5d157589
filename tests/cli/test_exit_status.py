"""Exit statuses of the command line: one meaning each, and one line on stderr.

0 done, 1 late (``status`` only), 2 bad input (one ``sla-clock: error:`` line), 3 an internal
error (one ``sla-clock: internal error:`` line; the traceback only under ``--debug`` or
``SLA_CLOCK_DEBUG=1``), 130 interrupted, 141 stdout's reader gone. ``docs/cli.md`` lists
them; :func:`test_docs_list_every_status` keeps the list and the code together.
"""

from __future__ import annotations

import errno
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from sla_clock import cli
from sla_clock.cli import _elapsed, _plumbing
from support import call

ROOT = Path(__file__).resolve().parents[2]
INTERNAL = re.compile(
    r"sla-clock: internal error: RuntimeError: boom; this is a bug, please report it; "
    r"run with --debug or SLA_CLOCK_DEBUG=1 for the traceback\n"
)
TRACEBACK = "Traceback (most recent call last)"
#: A program that runs the CLI in a real process with a bug planted in the time parser.
BUGGY = (
    "import sys\n"
    "from sla_clock import cli\n"
    "from sla_clock.cli import _elapsed\n"
    "def boom(*args, **kwargs):\n"
    "    raise RuntimeError('boom')\n"
    "_elapsed.parse_instant = boom\n"
    "sys.exit(cli.main(sys.argv[1:]))\n"
)


def broken(*_args: object, **_kwargs: object) -> None:
    raise RuntimeError("boom")


@pytest.fixture
def planted_bug(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the time parser raise an exception no code expects, as a bug would."""
    monkeypatch.delenv("SLA_CLOCK_DEBUG", raising=False)
    monkeypatch.setattr(_elapsed, "parse_instant", broken)


def test_the_statuses_are_distinct() -> None:
    """Each way a run ends has its own status."""
    statuses = [
        _plumbing.EXIT_LATE,
        _plumbing.EXIT_USAGE,
        _plumbing.EXIT_INTERNAL,
        _plumbing.EXIT_INTERRUPTED,
        _plumbing.EXIT_BROKEN_PIPE,
    ]
    assert statuses == [1, 2, 3, 130, 141]


@pytest.mark.usefixtures("planted_bug")
def test_an_internal_error_is_status_3_and_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    """An unexpected exception is status 3 with one line saying it is a bug, no traceback."""
    status, out, err = call(capsys, "elapsed", "now", "now")
    assert (status, out) == (3, "")
    assert INTERNAL.fullmatch(err)


@pytest.mark.usefixtures("planted_bug")
@pytest.mark.parametrize(
    "args",
    [("--debug", "elapsed", "now", "now"), ("elapsed", "now", "now", "--debug")],
    ids=["before-the-command", "after-the-command"],
)
def test_debug_prints_the_traceback_before_the_line(
    capsys: pytest.CaptureFixture[str], args: tuple[str, ...]
) -> None:
    """``--debug``, before or after the command's name, adds the traceback before the line."""
    status, _, err = call(capsys, *args)
    assert status == 3
    assert err.startswith(TRACEBACK)
    assert "in broken" in err
    last = err.splitlines()[-1] + "\n"
    assert INTERNAL.fullmatch(last)


@pytest.mark.usefixtures("planted_bug")
@pytest.mark.parametrize(
    ("value", "traceback"), [("1", True), ("yes", True), ("0", False), ("", False)]
)
def test_the_debug_variable(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    value: str,
    traceback: bool,  # noqa: FBT001 (a pytest parameter)
) -> None:
    """``SLA_CLOCK_DEBUG`` set (not empty nor 0) prints the traceback too."""
    monkeypatch.setenv("SLA_CLOCK_DEBUG", value)
    status, _, err = call(capsys, "elapsed", "now", "now")
    assert status == 3
    assert (TRACEBACK in err) is traceback
    assert INTERNAL.fullmatch(err.splitlines()[-1] + "\n")


def test_debug_does_not_change_a_good_run(capsys: pytest.CaptureFixture[str]) -> None:
    """``--debug`` on a run without a bug changes nothing."""
    args = ("elapsed", "2026-11-20 10:00", "2026-11-23 10:00")
    assert call(capsys, "--debug", *args) == call(capsys, *args) == (0, "1:00:00\n", "")


def test_debug_is_listed_in_the_help(capsys: pytest.CaptureFixture[str]) -> None:
    """``--help`` of the program and of a command show ``--debug``."""
    for args in (("--help",), ("due", "--help"), ("batch", "--help")):
        status, out, _ = call(capsys, *args)
        assert status == 0
        assert "--debug" in out


def test_bad_input_is_never_a_traceback_even_with_debug(capsys: pytest.CaptureFixture[str]) -> None:
    """Bad input stays one line and status 2 under ``--debug``: it is not a bug."""
    status, out, err = call(capsys, "--debug", "due", "P9")
    assert (status, out) == (2, "")
    assert err == "sla-clock: error: unknown priority 'P9'; this policy defines P0, P1, P2, P3\n"


@pytest.mark.slow
def test_an_internal_error_through_a_real_process() -> None:
    """In a real process the internal error is status 3 and one line; --debug adds the rest."""
    env = {k: v for k, v in os.environ.items() if k != "SLA_CLOCK_DEBUG"}
    command = [sys.executable, "-c", BUGGY, "elapsed", "now", "now"]
    quiet = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    assert (quiet.returncode, quiet.stdout) == (3, "")
    assert INTERNAL.fullmatch(quiet.stderr)
    loud = subprocess.run(
        command, capture_output=True, text=True, env={**env, "SLA_CLOCK_DEBUG": "1"}, check=False
    )
    assert loud.returncode == 3
    assert loud.stderr.startswith(TRACEBACK)
    assert INTERNAL.fullmatch(loud.stderr.splitlines()[-1] + "\n")


class _FullDisk:
    """A stdout whose every write fails as a full disk does."""

    def write(self, _text: str) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def flush(self) -> None:
        pass


def test_a_failing_output_is_status_2_and_one_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A write the system refuses (a full disk) is one error line and status 2, not a bug."""
    monkeypatch.setattr(sys, "stdout", _FullDisk())
    status = cli.main(["elapsed", "2026-11-20 10:00", "2026-11-23 10:00"])
    err = capsys.readouterr().err
    assert status == 2
    assert err == (
        "sla-clock: error: input or output failed: No space left on device; "
        "check where the output goes\n"
    )


@pytest.mark.slow
@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full (Linux)")
def test_a_full_disk_through_a_real_process() -> None:
    """``sla-clock due ... > /dev/full`` exits 2 with one line (it was a traceback and 1)."""
    with Path("/dev/full").open("w") as full:
        result = subprocess.run(
            [sys.executable, "-m", "sla_clock", "due", "P0", "--opened", "2026-11-23 10:00"],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
    assert result.returncode == 2
    assert result.stderr == (
        "sla-clock: error: input or output failed: No space left on device; "
        "check where the output goes\n"
    )


def test_a_missing_plot_folder_is_bad_input(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """``--plot`` into a folder that does not exist is status 2 and one line naming the path."""
    pytest.importorskip("matplotlib")
    target = tmp_path / "missing" / "p.svg"
    status, out, err = call(
        capsys, "status", "P0", "--opened", "2026-11-23 14:00", "--now", "2026-11-23 15:00",
        "--plot", str(target),
    )  # fmt: skip
    assert (status, out) == (2, "")
    message = f"cannot write --plot {target}: No such file or directory; check the path"
    assert err == f"sla-clock: error: {message}\n"


def test_docs_list_every_status() -> None:
    """docs/cli.md has a table row for each exit status the code defines."""
    page = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    rows = set(re.findall(r"^\| `(\d+)` \|", page, flags=re.MULTILINE))
    rows |= set(re.findall(r"^\| `(\d+)`, `(\d+)` \|", page, flags=re.MULTILINE)[0])
    assert rows == {"0", "1", "2", "3", "130", "141", "143", "129"}


@pytest.mark.parametrize(
    "args",
    [
        ("elapsed", "now", "now", "--calendar", "a\0.toml"),
        ("due", "P0", "--policy", "\0"),
        ("batch", "tickets\0.csv"),
        ("status", "P0", "--opened", "2026-11-23 14:00", "--plot", "\0.svg"),
    ],
)
def test_a_nul_in_an_argument_is_bad_input(
    capsys: pytest.CaptureFixture[str], args: tuple[str, ...]
) -> None:
    """An argument with a NUL (only a caller of main() can pass one) is status 2, one line.

    Opening such a path raised ValueError ("embedded null byte"), an internal error.
    """
    status, out, err = call(capsys, *args)
    assert (status, out) == (2, "")
    assert err.count("\n") == 1
    assert err.startswith("sla-clock: error: the argument ")
    assert "holds a NUL character" in err


@pytest.mark.parametrize(
    "args", [("due", "P0", "extra\nline"), ("due", "P0", "--nope\rx"), ("frob\nnicate",)]
)
def test_usage_errors_end_with_one_line_whatever_the_arguments(
    capsys: pytest.CaptureFixture[str], args: tuple[str, ...]
) -> None:
    """argparse's message quotes arguments as typed: a line break in one stays on one line.

    ``unrecognized arguments: extra<newline>line`` used to end stderr with two lines.
    """
    status, out, err = call(capsys, *args)
    assert (status, out) == (2, "")
    lines = err.splitlines()
    assert lines[0].startswith("usage: sla-clock")
    assert all(line.startswith(" ") for line in lines[1:-1])
    assert re.match(r"sla-clock( due)?: error: ", lines[-1])
    assert err.endswith("\n")
