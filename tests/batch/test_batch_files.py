"""Files in and out of ``sla-clock batch`` (issue 9): links, devices, signals, encodings.

Every hostile case (a dangling link, a loop, a directory, a read-only place, a wrong
encoding, an unknown extension) ends in one ``sla-clock: error:`` line and exit status 2,
never a traceback; a stopped run never leaves a temporary file behind.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import json
import os
import re
import select
import shlex
import signal
import stat
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from sla_clock import SlaClockError, cli
from sla_clock.batch._pipeline import OUTPUT_COLUMNS
from sla_clock.cli import _options
from sla_clock.cli._signals import Stopped, held, hold_stops, stop_signals
from support import call

NOW = "2026-11-23 18:30"
HEADER = "id,priority,opened,resolved,pauses"
TICKETS = f"{HEADER}\nT-1,P0,2026-11-23 14:00,,\nT-2,P0,2026-11-23 14:00,2026-11-23 18:30,\n"
ROOT = Path(__file__).resolve().parents[2]
#: How long a subprocess may take before the test gives up on it (it takes well under 2 s).
TIMEOUT = 60


@pytest.fixture(autouse=True)
def english_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run every in-process test with ``LANG=C.UTF-8``, whatever the developer's locale."""
    monkeypatch.setenv("LANG", "C.UTF-8")


def one_error(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    """Run ``args``; assert exit 2, nothing on stdout, one stderr line; return that line."""
    status, out, err = call(capsys, *args)
    assert (status, out) == (2, ""), err
    assert err.count("\n") == 1, err
    assert err.startswith("sla-clock: error: ")
    return err.rstrip("\n")


def error_lines(err: str) -> list[str]:
    """Return the ``sla-clock: error:`` lines of ``err`` (there must be no traceback)."""
    assert "Traceback" not in err
    return [line for line in err.splitlines() if line.startswith("sla-clock: error: ")]


def csv_rows(text: str) -> list[dict[str, str]]:
    """Parse CSV text into one dict per row."""
    return list(csv.DictReader(io.StringIO(text, newline="")))


@pytest.fixture
def tickets(tmp_path: Path) -> Path:
    """A small tickets file."""
    path = tmp_path / "t.csv"
    path.write_text(TICKETS, encoding="utf-8")
    return path


def batch(*args: str | Path) -> list[str]:
    """Return the ``python -m sla_clock batch`` command line with ``args``."""
    return [sys.executable, "-m", "sla_clock", "batch", *map(str, args), "--now", NOW]


def hidden_files(directory: Path) -> list[str]:
    """Return the names of the hidden (temporary) files in ``directory``."""
    return sorted(name for name in os.listdir(directory) if name.startswith("."))


# -- -o through symbolic links (issue 9: the link was replaced by a file) ----------------------


def test_output_through_a_symlink_writes_its_target(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    tickets: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """-o LINK writes the file LINK points to, through a temp file beside it; LINK stays."""
    reports = tmp_path / "reports"
    reports.mkdir()
    real = reports / "today.csv"
    real.write_text("old\n", encoding="utf-8")
    real.chmod(0o640)
    link = tmp_path / "latest.csv"
    link.symlink_to(real)
    chain = tmp_path / "chain.csv"
    chain.symlink_to(link)
    made: list[str | None] = []
    mkstemp = tempfile.mkstemp

    def spy(*args: object, **kwargs: object) -> tuple[int, str]:
        made.append(str(kwargs.get("dir")))
        return mkstemp(*args, **kwargs)  # type: ignore[call-overload,no-any-return]  # a spy: passes on what it got

    monkeypatch.setattr(tempfile, "mkstemp", spy)
    status, _, err = call(capsys, "batch", str(tickets), "--now", NOW, "-o", str(chain))
    assert status == 0, err
    assert link.is_symlink()
    assert chain.is_symlink()
    assert os.readlink(link) == str(real)
    assert [r["state"] for r in csv_rows(real.read_text(encoding="utf-8"))] == ["at_risk", "met"]
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    assert made[-1] == str(reports)
    assert hidden_files(reports) == hidden_files(tmp_path) == []


@pytest.mark.slow
def test_output_to_dev_stdout_redirected_to_a_file(tmp_path: Path, tickets: Path) -> None:
    """-o /dev/stdout with stdout redirected to a file fills that file (issue 9: it was empty).

    What the file already held stays, as when writing to stdout itself, and /dev/stdout
    stays a link.
    """
    target = tmp_path / "redirected.csv"
    with target.open("w", encoding="utf-8") as out:
        out.write("first line\n")
        out.flush()
        result = subprocess.run(
            batch(tickets, "-o", "/dev/stdout"),
            stdout=out, stderr=subprocess.PIPE, text=True, check=False, timeout=TIMEOUT,
        )  # fmt: skip
    assert result.returncode == 0, result.stderr
    lines = target.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "first line"
    assert [r["state"] for r in csv_rows("\n".join(lines[1:]))] == ["at_risk", "met"]
    assert Path("/dev/stdout").is_symlink() or not Path("/dev/stdout").exists()


@pytest.mark.slow
def test_output_to_dev_stdout_through_a_pipe(tickets: Path) -> None:
    """-o /dev/stdout with stdout a pipe writes into the pipe."""
    result = subprocess.run(
        batch(tickets, "-o", "/dev/stdout"),
        capture_output=True, text=True, check=False, timeout=TIMEOUT,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert len(csv_rows(result.stdout)) == 2


@pytest.mark.slow
def test_output_to_a_fifo_is_written_in_place(tmp_path: Path, tickets: Path) -> None:
    """A FIFO is written as it is: the reader gets the rows, the FIFO stays a FIFO."""
    fifo = tmp_path / "rows.fifo"
    os.mkfifo(fifo)
    received: list[str] = []

    def read() -> None:
        with fifo.open(encoding="utf-8") as stream:
            received.append(stream.read())

    reader = threading.Thread(target=read)
    reader.start()
    result = subprocess.run(
        batch(tickets, "-o", fifo, "--output-format", "jsonl"),
        capture_output=True, text=True, check=False, timeout=TIMEOUT,
    )  # fmt: skip
    reader.join(TIMEOUT)
    assert result.returncode == 0, result.stderr
    assert [json.loads(line)["state"] for line in received[0].splitlines()] == ["at_risk", "met"]
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert hidden_files(tmp_path) == []


def test_output_to_dev_null(capsys: pytest.CaptureFixture[str], tickets: Path) -> None:
    """-o /dev/null is written in place: it stays the null device."""
    status, out, err = call(capsys, "batch", str(tickets), "--now", NOW, "-o", os.devnull)
    assert (status, out) == (0, "")
    assert "2 rows in, 2 out" in err
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)


# -- -o that cannot be written ------------------------------------------------------------------


def test_a_dangling_symlink_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, tickets: Path
) -> None:
    """A link to nothing is refused (as cp refuses), not silently created through."""
    link = tmp_path / "out.csv"
    link.symlink_to(tmp_path / "missing" / "report.csv")
    err = one_error(capsys, "batch", str(tickets), "--now", NOW, "-o", str(link))
    assert f"--output {link} is a symbolic link to {tmp_path / 'missing' / 'report.csv'}" in err
    assert "which does not exist" in err
    assert link.is_symlink()


def test_a_symlink_loop_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, tickets: Path
) -> None:
    """Two links pointing at each other: one line, exit 2."""
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.symlink_to(b)
    b.symlink_to(a)
    err = one_error(capsys, "batch", str(tickets), "--now", NOW, "-o", str(a))
    assert "Too many levels of symbolic links" in err
    err = one_error(capsys, "batch", str(a), "--now", NOW)
    assert f"cannot read {a}: Too many levels of symbolic links" in err


@pytest.mark.parametrize("name", ["", " ", ".", "sub"])
def test_a_directory_or_empty_output_is_refused(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    tickets: Path,
    name: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """-o DIR (or an empty name) is one line: give a file name."""
    monkeypatch.chdir(tmp_path)  # "", " " and "." are relative to the working directory
    (tmp_path / "sub").mkdir()
    target = name if name.strip() in ("", ".") else str(tmp_path / name)
    err = one_error(capsys, "batch", str(tickets), "--now", NOW, "-o", target)
    assert "is a directory; give a file name" in err or "is empty; give a file name" in err


def test_a_missing_directory_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, tickets: Path
) -> None:
    """-o in a directory that does not exist names that directory."""
    err = one_error(capsys, "batch", str(tickets), "--now", NOW, "-o", str(tmp_path / "no/x.csv"))
    assert f"the directory {tmp_path / 'no'} does not exist" in err


def test_a_read_only_directory_is_refused(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    tickets: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """-o in a directory nobody may write to is one line; nothing is left there."""
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    if os.access(locked, os.W_OK):  # root writes anywhere: make mkstemp fail as for a user

        def refuse(*args: object, **kwargs: object) -> tuple[int, str]:
            raise PermissionError(13, "Permission denied")

        monkeypatch.setattr(tempfile, "mkstemp", refuse)
    try:
        err = one_error(capsys, "batch", str(tickets), "--now", NOW, "-o", str(locked / "r.csv"))
    finally:
        locked.chmod(0o755)
    assert f"cannot create a file in {locked} (Permission denied)" in err
    assert os.listdir(locked) == []


def test_a_read_only_file_is_refused(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    tickets: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A read-only report is not replaced behind its owner's back."""
    report = tmp_path / "r.csv"
    report.write_text("keep\n", encoding="utf-8")
    report.chmod(0o444)
    if os.access(report, os.W_OK):  # root: os.access says yes; answer as for a user
        monkeypatch.setattr(os, "access", lambda *args, **kwargs: False)
    err = one_error(capsys, "batch", str(tickets), "--now", NOW, "-o", str(report))
    assert f"--output {report} is read-only" in err
    assert report.read_text(encoding="utf-8") == "keep\n"


# -- output formats (issue 9: -o out.xlsx wrote CSV) --------------------------------------------


def test_an_unknown_output_extension_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, tickets: Path
) -> None:
    """-o out.xlsx lists the extensions batch knows and --output-format; writes nothing."""
    target = tmp_path / "out.xlsx"
    err = one_error(capsys, "batch", str(tickets), "--now", NOW, "-o", str(target))
    assert "the extension .xlsx names no format" in err
    assert ".csv, .tsv, .jsonl, .ndjson" in err
    assert "--output-format csv, jsonl, parquet or arrow" in err
    assert os.listdir(tmp_path) == ["t.csv"]


@pytest.mark.parametrize(
    ("name", "extra", "shape"),
    [
        ("out.xlsx", ("--output-format", "jsonl"), "jsonl"),
        ("OUT.CSV", (), "csv"),
        ("report", (), "csv"),
        ("r.ndjson", (), "jsonl"),
    ],
)
def test_output_formats(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    tickets: Path,
    name: str,
    extra: tuple[str, ...],
    shape: str,
) -> None:
    """--output-format wins; a known extension in any case names the format; none: the input's."""
    target = tmp_path / name
    status, _, err = call(capsys, "batch", str(tickets), "--now", NOW, "-o", str(target), *extra)
    assert status == 0, err
    text = target.read_text(encoding="utf-8")
    if shape == "jsonl":
        assert [json.loads(line)["state"] for line in text.splitlines()] == ["at_risk", "met"]
    else:
        assert [row["state"] for row in csv_rows(text)] == ["at_risk", "met"]


# -- exit statuses of skipped and empty runs ------------------------------------------------------


def test_every_row_skipped_is_exit_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """With skip, a run that read rows and wrote none is bad input: exit 2, no file written."""
    bad = tmp_path / "bad.csv"
    bad.write_text(f"{HEADER}\nT-1,P9,2026-11-23 14:00,,\nT-2,P0,never,,\n", encoding="utf-8")
    report = tmp_path / "r.csv"
    report.write_text("yesterday\n", encoding="utf-8")
    status, out, err = call(
        capsys, "batch", str(bad), "--now", NOW, "--on-error", "skip", "-o", str(report)
    )
    assert (status, out) == (2, "")
    *skipped, error, summary = err.splitlines()
    assert len(skipped) == 2
    assert error == (
        f"sla-clock: error: every row of {bad} was skipped (2), so there is no report; fix the "
        "rows reported above"
    )
    assert (
        summary
        == f"sla-clock batch: stopped: 2 rows in, 0 out, 2 skipped; {report} was not written"
    )
    assert report.read_text(encoding="utf-8") == "yesterday\n"
    status, out, err = call(capsys, "batch", str(bad), "--now", NOW, "--on-error", "skip", "--json")
    assert status == 2
    assert json.loads(err.splitlines()[-1])["complete"] is False


@pytest.mark.parametrize(("text", "suffix"), [(HEADER + "\n", ".csv"), ("\n", ".jsonl")])
def test_no_rows_at_all_is_exit_0(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, text: str, suffix: str
) -> None:
    """A file with no ticket (only a header, or blank) is fine: exit 0, '0 rows'."""
    path = tmp_path / f"empty{suffix}"
    path.write_text(text, encoding="utf-8")
    status, out, err = call(capsys, "batch", str(path), "--now", NOW, "--on-error", "skip")
    assert status == 0
    assert out == (HEADER + "," + ",".join(OUTPUT_COLUMNS) + "\n" if suffix == ".csv" else "")
    assert err.startswith("sla-clock batch: 0 rows in, 0 out, 0 skipped; ")


def test_an_unclosed_quote_is_exit_2_even_with_skip(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """The issue's five-ticket file: exit 2 with skip, naming the line of the quote."""
    path = tmp_path / "q.csv"
    rows = [f"T-{i},P0,2026-11-23 14:00,," for i in (3, 4, 5)]
    path.write_text(
        "\n".join([HEADER, "T-1,P0,2026-11-23 14:00,,", 'T-2,P0,"2026-11-23 14:00,,', *rows])
        + "\n",
        encoding="utf-8",
    )
    status, _, err = call(capsys, "batch", str(path), "--now", NOW, "--on-error", "skip")
    assert status == 2
    (error,) = error_lines(err)
    assert error.startswith(f"sla-clock: error: {path} line 3: the quote opened on line 3 ")
    assert err.splitlines()[-1].startswith("sla-clock batch: stopped at line 3: 1 row in, 1 out")


# -- signals (issue 9: SIGTERM and SIGHUP left a 50 MB temporary file) ---------------------------


#: Runs the CLI after setting signal dispositions, as a terminal (or nohup) would leave them:
#: a test run in the background inherits SIGINT ignored, which would make the test lie.
_WITH_SIGNALS = (
    "import signal, sys; signal.signal(signal.SIGINT, signal.default_int_handler); "
    "signal.signal(signal.SIGTERM, signal.SIG_DFL); signal.signal(signal.SIGHUP, signal.{hup}); "
    "from sla_clock.cli import main; sys.exit(main(sys.argv[1:]))"
)


@contextlib.contextmanager
def _batch_under_way(report: Path, *, hup: str = "SIG_DFL") -> Iterator[subprocess.Popen[bytes]]:
    """Run a batch from stdin to ``report``; yield once it reported its first row.

    The handshake is the progress line on the pipe (no sleep). The batch is killed if it is
    still running when the test is done, so a failing test cannot hang.
    """
    command = [
        sys.executable, "-c", _WITH_SIGNALS.format(hup=hup), "batch", "-", "--format", "csv",
        "-o", str(report), "--now", NOW, "--chunk-size", "1", "--progress", "always",
    ]  # fmt: skip
    process = subprocess.Popen(command, stdin=subprocess.PIPE, stderr=subprocess.PIPE)
    stdin, stderr = process.stdin, process.stderr
    assert stdin is not None
    assert stderr is not None
    try:
        stdin.write(f"{HEADER}\nT-1,P0,2026-11-23 14:00,,\n".encode())
        stdin.flush()
        seen = b""
        while b"batch: 1 rows" not in seen:
            ready, _, _ = select.select([stderr], [], [], TIMEOUT)
            assert ready, f"no progress line from the batch: {seen!r}"
            chunk = os.read(stderr.fileno(), 4096)
            assert chunk, f"the batch ended early: {seen!r}"
            seen += chunk
        yield process
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(TIMEOUT)
        stdin.close()
        stderr.close()


@pytest.mark.slow
@pytest.mark.parametrize("name", ["SIGTERM", "SIGHUP", "SIGINT"])
def test_a_stop_signal_removes_the_temporary_file(tmp_path: Path, name: str) -> None:
    """SIGTERM, SIGHUP and SIGINT mid-run leave no temp file and the old report, 128 + signal."""
    number = getattr(signal, name)
    report = tmp_path / "r.csv"
    report.write_text("yesterday\n", encoding="utf-8")
    with _batch_under_way(report) as process:
        assert len(hidden_files(tmp_path)) == 1  # the run is under way, writing its temp file
        process.send_signal(number)
        assert process.wait(TIMEOUT) == 128 + number
        assert process.stderr is not None
        err = process.stderr.read().decode()
    assert hidden_files(tmp_path) == []
    assert report.read_text(encoding="utf-8") == "yesterday\n"
    assert "Traceback" not in err
    assert err.rstrip().endswith(
        f"sla-clock batch: interrupted by {name}: 1 row in, 1 out, 0 skipped; {report} was "
        "not written"
    )


@pytest.mark.slow
def test_an_ignored_sighup_stays_ignored(tmp_path: Path) -> None:
    """Under nohup (SIGHUP ignored), a SIGHUP does not stop the run."""
    report = tmp_path / "r.csv"
    with _batch_under_way(report, hup="SIG_IGN") as process:
        process.send_signal(signal.SIGHUP)
        assert process.stdin is not None
        process.stdin.write(b"T-2,P0,2026-11-23 14:00,,\n")
        process.stdin.close()
        assert process.wait(TIMEOUT) == 0
    assert [row["id"] for row in csv_rows(report.read_text(encoding="utf-8"))] == ["T-1", "T-2"]


# -- the input's encoding (issue 9: --encoding utf-16 without a BOM gave a traceback) ------------


@pytest.mark.parametrize(
    ("data", "options", "needle"),
    [
        (TICKETS.encode("utf-16-le"), ("--encoding", "utf-16"), "give --encoding utf-16-le"),
        (
            TICKETS.encode("utf-16"),
            (),
            "starts with a UTF-16 byte order mark; give --encoding utf-16",
        ),
        (
            TICKETS.encode("utf-32"),
            (),
            "starts with a UTF-32 byte order mark; give --encoding utf-32",
        ),
        (TICKETS.encode("utf-16-le"), (), "the file is probably UTF-16 text"),
        (f"{HEADER},cliente\nT,P0,2026-11-23,,,São\n".encode("cp1252"), (), "--encoding cp1252"),
        (
            TICKETS.encode(),
            ("--encoding", "no-such-codec"),
            "--encoding 'no-such-codec' is unknown",
        ),
        (TICKETS.encode(), ("--encoding", "rot13"), "--encoding 'rot13' is not a text encoding"),
        (TICKETS.encode(), ("--encoding", ""), "--encoding '' is unknown"),
        (bytes(range(256)) * 64, (), "--encoding"),
    ],
)
def test_decoding_problems_are_one_error_line(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    data: bytes,
    options: tuple[str, ...],
    needle: str,
) -> None:
    """Wrong or unknown encodings: exit 2, one error line naming the file and --encoding."""
    path = tmp_path / "t.csv"
    path.write_bytes(data)
    status, out, err = call(capsys, "batch", str(path), "--now", NOW, *options)
    assert (status, out) == (2, "")
    (error,) = error_lines(err)
    assert needle in error
    assert "--encoding" in error
    assert str(path) in error or "--encoding '" in error


def test_utf16_with_its_encoding_is_read(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A UTF-16 export (Excel's 'Unicode text') reads with --encoding utf-16."""
    path = tmp_path / "t.csv"
    path.write_bytes(TICKETS.replace(",", "\t").encode("utf-16"))
    status, out, err = call(capsys, "batch", str(path), "--now", NOW, "--encoding", "utf-16")
    assert status == 0, err
    assert "\tat_risk\t" in out


@pytest.mark.slow
def test_a_utf16_stdin_is_refused_clearly(tmp_path: Path) -> None:
    """The same checks hold for stdin: a UTF-16 byte order mark asks for --encoding utf-16."""
    result = subprocess.run(
        batch("-", "--format", "csv"),
        input=TICKETS.encode("utf-16"), capture_output=True, check=False, timeout=TIMEOUT,
    )  # fmt: skip
    assert result.returncode == 2
    assert result.stderr.decode().splitlines() == [
        "sla-clock: error: <stdin> is not UTF-8 text: it starts with a UTF-16 byte order mark; "
        "give --encoding utf-16"
    ]


# -- hostile inputs ------------------------------------------------------------------------------


@pytest.mark.parametrize("make", ["directory", "dangling", "empty", "garbage"])
def test_hostile_inputs_are_one_error_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, make: str
) -> None:
    """A directory, a dangling link, an empty file, random bytes as tickets: no traceback."""
    path = tmp_path / "t.csv"
    if make == "directory":
        path.mkdir()
    elif make == "dangling":
        path.symlink_to(tmp_path / "nowhere.csv")
    elif make == "empty":
        path.write_bytes(b"")
    else:
        path.write_bytes(b"\x00\x01\xfe\xff" * 1000)
    status, out, err = call(capsys, "batch", str(path), "--now", NOW, "--on-error", "skip")
    assert (status, out) == (2, "")
    assert len(error_lines(err)) == 1


def test_dev_null_as_json_lines_is_empty(capsys: pytest.CaptureFixture[str]) -> None:
    """/dev/null read as JSON Lines has no tickets: exit 0, 0 rows."""
    status, out, err = call(capsys, "batch", os.devnull, "--format", "jsonl", "--now", NOW)
    assert (status, out) == (0, "")
    assert err.startswith("sla-clock batch: 0 rows in")


# -- --json, --columns and JSON Lines from stdin, through the command ----------------------------


def test_batch_help_describes_its_own_json(capsys: pytest.CaptureFixture[str]) -> None:
    """batch --help says --json writes the summary on stderr; other commands keep theirs."""
    assert call(capsys, "batch", "--help")[0] == 0
    assert call(capsys, "due", "--help")[0] == 0
    status = cli.main(["batch", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert status == 0
    assert "write the summary line at the end (on stderr) as one JSON object" in text
    assert "print a JSON object" not in text
    cli.main(["due", "--help"])
    assert "print a JSON object" in " ".join(capsys.readouterr().out.split())
    for option in ("--calendar", "--tz", "--subdiv", "--columns", "--json"):
        assert option in text


def test_batch_has_every_shared_option() -> None:
    """Leaving out the shared --json parent drops nothing else the parents declare."""
    parser = cli.build_parser()
    subparsers = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    batch_options = set(subparsers.choices["batch"]._option_string_actions)
    for parent in (_options.calendar_options(), _options.output_options()):
        assert set(parent._option_string_actions) <= batch_options


def test_columns_through_the_command(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A Brazilian export (cp1252, ';', dd/mm/yyyy) with its own column names."""
    path = tmp_path / "export.csv"
    path.write_bytes(
        "Nº do chamado;Prioridade;Data de abertura;Situação\n"
        "1001;P0;23/11/2026 14:00;Em atendimento\n".encode("cp1252")
    )
    status, out, err = call(
        capsys, "batch", str(path), "--now", NOW, "--encoding", "cp1252",
        "--columns", 'id=Nº do chamado,opened="Data de abertura"',
    )  # fmt: skip
    assert status == 0, err
    (row,) = csv.DictReader(io.StringIO(out), delimiter=";")
    assert (row["Nº do chamado"], row["Situação"], row["state"]) == (
        "1001",
        "Em atendimento",
        "at_risk",
    )
    err = one_error(capsys, "batch", str(path), "--now", NOW, "--columns", "ticket=Nº")
    assert "unknown field 'ticket'" in err
    err = one_error(capsys, "batch", str(path), "--now", NOW, "--columns", "")
    assert "--columns is empty" in err
    status, _, err = call(
        capsys, "batch", str(path), "--now", NOW, "--encoding", "cp1252", "--columns", "id=Chamado"
    )
    assert status == 2
    (error,) = error_lines(err)
    assert "has no column 'Chamado', which --columns names for id" in error


@pytest.mark.slow
def test_json_lines_from_stdin_to_csv_keeps_every_key(tmp_path: Path) -> None:
    """From a pipe, JSON Lines to CSV spools the input and gives every key a column."""
    lines = [
        {"priority": "P0", "opened": "2026-11-23 14:00"},
        {"priority": "P0", "opened": "2026-11-23 14:00", "equipe": "cobrança"},
    ]
    result = subprocess.run(
        batch("-", "--format", "jsonl", "--output-format", "csv", "--chunk-size", "1"),
        input="".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines),
        capture_output=True, text=True, encoding="utf-8", check=False, timeout=TIMEOUT,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert [row["equipe"] for row in csv_rows(result.stdout)] == ["", "cobrança"]
    assert "1 rows" not in result.stderr  # no warning, no dropped key


# -- the examples of docs/batch.md ----------------------------------------------------------------


def _shown_runs() -> list[str]:
    """Return the console blocks of docs/batch.md that show their files with ``$ cat``."""
    guide = (ROOT / "docs" / "batch.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```console\n(.*?)```", guide, re.S)
    return [block for block in blocks if block.startswith("$ cat ")]


@pytest.mark.parametrize("block", _shown_runs())
def test_the_guide_examples_are_true(
    block: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each batch.md example that shows its input prints what the page says (stdout + stderr)."""
    monkeypatch.chdir(tmp_path)
    steps = re.split(r"^\$ ", block, flags=re.M)[1:]
    for step in steps:
        command, *shown = step.rstrip("\n").split("\n")
        words = shlex.split(command)
        if words[0] == "cat":
            (tmp_path / words[1]).write_text("\n".join(shown) + "\n", encoding="utf-8")
            continue
        assert words[:2] == ["sla-clock", "batch"], command
        buffer = io.StringIO()
        with contextlib.redirect_stdout(buffer), contextlib.redirect_stderr(buffer):
            cli.main(words[1:])
        assert buffer.getvalue().splitlines() == shown, command


@pytest.mark.slow
def test_undecodable_bytes_in_arguments(tmp_path: Path, tickets: Path) -> None:
    """Arguments that are not UTF-8 (Python keeps them as surrogates) do not break messages."""
    base = [os.fsencode(sys.executable), b"-m", b"sla_clock", b"batch", os.fsencode(tickets)]
    base += [b"--now", NOW.encode()]
    result = subprocess.run(
        [*base, b"--columns", b"opened=Abertura \xff"],
        capture_output=True, check=False, timeout=TIMEOUT,
    )  # fmt: skip
    assert result.returncode == 2
    (line,) = error_lines(result.stderr.decode("utf-8", "backslashreplace"))
    assert "'Abertura \\udcff', which --columns names for opened" in line
    target = os.fsencode(tmp_path) + b"/relat\xf3rio.csv"
    result = subprocess.run(
        [*base, b"-o", target], capture_output=True, check=False, timeout=TIMEOUT
    )
    assert result.returncode == 0, result.stderr
    with open(target, "rb") as written:
        assert written.read().count(b"\n") == 3


def test_stop_signals_are_handled_only_while_the_run_lasts() -> None:
    """SIGTERM unwinds inside the block, further stops are then held, handlers come back after."""
    previous_hup = signal.signal(signal.SIGHUP, signal.SIG_IGN)  # as nohup leaves it
    previous_term = signal.signal(signal.SIGTERM, signal.SIG_DFL)
    previous_int = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with stop_signals():
            assert signal.getsignal(signal.SIGHUP) == signal.SIG_IGN  # ignored stays ignored
            assert signal.getsignal(signal.SIGTERM) not in (signal.SIG_DFL, signal.SIG_IGN)
            with pytest.raises(Stopped) as caught:
                signal.raise_signal(signal.SIGTERM)
            assert caught.value.signum == signal.SIGTERM
            assert signal.getsignal(signal.SIGTERM) == held  # held for the cleanup
            hold_stops()
            assert signal.getsignal(signal.SIGINT) == held
        with stop_signals():  # Ctrl-C: KeyboardInterrupt, then the other stops are held
            with pytest.raises(KeyboardInterrupt):
                signal.raise_signal(signal.SIGINT)
            assert signal.getsignal(signal.SIGINT) == held
            assert signal.getsignal(signal.SIGTERM) == held
            signal.raise_signal(signal.SIGTERM)  # held: nothing happens
        assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL
        assert signal.getsignal(signal.SIGHUP) == signal.SIG_IGN
        assert signal.getsignal(signal.SIGINT) == signal.default_int_handler
    finally:
        signal.signal(signal.SIGHUP, previous_hup)
        signal.signal(signal.SIGTERM, previous_term)
        signal.signal(signal.SIGINT, previous_int)


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_an_input_without_line_breaks_is_refused_in_bounded_memory(fmt: str) -> None:
    """/dev/zero (no line break, ever) was read into memory without end; it is now one error
    line at the first line over the limit (4 Mi characters), in well under a second."""
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "sla_clock",
            "batch",
            "/dev/zero",
            "--format",
            fmt,
            "--now",
            "2026-11-23 18:30",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    first, *rest = done.stderr.splitlines()
    assert first.startswith("sla-clock: error: /dev/zero line 1: longer than 4,194,304 characters")
    assert len(rest) == 1  # the summary line
    assert "Traceback" not in done.stderr


def test_a_huge_line_inside_a_file_names_its_line() -> None:
    """The limit applies to every line, with the line's number, in both modes."""
    from sla_clock.batch._lines import LimitedLines

    stream = io.StringIO("id,priority,opened\nT,P0,2026-11-23 14:00\n" + "x" * 50 + "\n")
    with pytest.raises(SlaClockError, match=r"^t\.csv line 3: longer than 40 characters"):
        list(LimitedLines(stream, "t.csv", limit=40))


def test_a_stop_signal_after_the_report_is_in_place_is_not_a_failure(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A SIGTERM that lands just after the report was renamed into place used to end the
    run with 143 and 'report.csv was not written' (found in the review of issue 9); once the
    report is in place the run has its answer and ends as a success."""
    from sla_clock.cli import _output as _output_file

    tickets = tmp_path / "t.csv"
    tickets.write_text("id,priority,opened\nT,P0,2026-11-23 14:00\n", encoding="utf-8")
    report = tmp_path / "report.csv"
    commit = _output_file.Output.commit

    def commit_then_stop(self: _output_file.Output) -> None:
        commit(self)
        os.kill(os.getpid(), signal.SIGTERM)  # the signal arrives right after the rename

    monkeypatch.setattr(_output_file.Output, "commit", commit_then_stop)
    status = cli.main(["batch", str(tickets), "--now", "2026-11-23 18:30", "-o", str(report)])
    err = capsys.readouterr().err
    assert status == 0, err
    assert "was not written" not in err
    assert err.startswith("sla-clock batch: 1 row in, 1 out, 0 skipped;")
    assert report.read_text(encoding="utf-8").startswith("id,priority,opened,due_at")
