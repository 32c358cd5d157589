"""Plain CSV files go through pyarrow (``batch._plain_csv``), byte for byte as the csv module.

A file whose every line is one unambiguous record is read and written by pyarrow; any other
goes record by record through the ``csv`` module. Random files, plain and not (quotes,
``\\r\\n`` and lone ``\\r``, blank lines, ragged rows, bad rows, a byte order mark, ``;``,
accents, no last line break), are run both ways: the output bytes, the summary and every
message (skipped rows, or the error that stops a ``fail`` run) must be the same.
"""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from sla_clock import SlaClockError, SlaPolicy
from sla_clock.batch import _pipeline, _plain_csv
from sla_clock.batch._csv import CsvInput
from sla_clock.batch._lines import LimitedLines
from sla_clock.batch._pipeline import BatchSummary, process
from sla_clock.batch._plain_csv import plain_path
from sla_clock.batch._texts import (
    int_cells,
    int_texts,
    iso_cells,
    iso_texts,
    seconds_cells,
    seconds_texts,
)

pytest.importorskip("pyarrow")

NOW = datetime(2026, 11, 25, 12, tzinfo=ZoneInfo("America/Sao_Paulo"))
GOOD = (
    "T-1,P0,2026-11-23 14:00,,",
    "T-2,p1,2026-11-23T10:00:00-03:00,2026-11-24 09:30,",
    "Ç-3,P2,23/11/2026 08:15,,2026-11-23 09:00/2026-11-23 10:30",
    "T-4,P3,2026-11-20 17:59:59.5,,2026-11-21 10:00/",
)
BAD = ("T-5,P9,2026-11-23 14:00,,", "T-6,P0,not a time,,", "T-7,P0,2026-11-23 14:00,2026-11-22,")
ODD = ('T-8,P0,"2026-11-23 14:00",,', "", "T-9,P0,2026-11-23 14:00,,,extra", "T\x00,P0,x,,")


def run(path: Path, tmp: Path, *, plain: bool, on_error: str, size: int) -> tuple:
    """Output bytes, summary and messages of one run, the plain way allowed or not."""
    out_path = tmp / f"out-{plain}.csv"
    report = io.StringIO()
    summary = BatchSummary()
    failure = None
    saved = _pipeline._plain
    if not plain:
        _pipeline._plain = lambda *args: None  # type: ignore[assignment]  # (the csv way only)
    try:
        with (
            path.open(encoding="utf-8-sig", newline="") as reader,
            out_path.open("w", encoding="utf-8", newline="") as writer,
        ):
            try:
                process(
                    reader,
                    writer,
                    SlaPolicy.default(),
                    NOW,
                    input_format="csv",
                    on_error=on_error,  # type: ignore[arg-type]  # (fail or skip)
                    chunk_size=size,
                    report=report,
                    summary=summary,
                )
            except SlaClockError as exc:
                failure = (type(exc), str(exc))
    finally:
        _pipeline._plain = saved
    return out_path.read_bytes(), summary, report.getvalue(), failure


@st.composite
def files(draw: st.DrawFn) -> bytes:
    delimiter = draw(st.sampled_from(",;"))
    lines = draw(
        st.lists(
            st.sampled_from(GOOD * 3 + BAD + ODD * draw(st.sampled_from((0, 1)))),
            min_size=0,
            max_size=16,
        )
    )
    header = draw(
        st.sampled_from(
            (
                "id,priority,opened,resolved,pauses",
                "Chamado,Prioridade,Aberto em,Resolvido em,Pausas",
            )
        )
    )
    text = [header, *lines]
    text = [line.replace(",", delimiter) for line in text]
    end = draw(st.sampled_from(("\n", "\r\n")))
    body = end.join(text) + draw(st.sampled_from((end, "")))
    if draw(st.integers(0, 9)) == 0:
        body = body.replace("\n", "\r", 1)  # a lone \r
    data = body.encode()
    if draw(st.integers(0, 9)) == 0:
        data = b"\xef\xbb\xbf" + data
    if draw(st.integers(0, 9)) == 0:
        data += b"\xff"
    return data


#: pyarrow's blocks: as a run reads them (``None``), or about that many lines each.
BLOCKS = (None, 1, 2, 3)


@pytest.mark.slow
@settings(
    deadline=None, max_examples=80, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(files(), st.sampled_from(("fail", "skip")), st.integers(1, 5), st.sampled_from(BLOCKS))
def test_both_ways_give_the_same_bytes_summary_and_messages(
    tmp_path: Path, data: bytes, on_error: str, size: int, lines: int | None
) -> None:
    """Whatever the chunk size, and however pyarrow's blocks cut the file (a few lines each,
    so a chunk spans blocks): a ``fail`` run stops after the same rows as the csv way."""
    path = tmp_path / "tickets.csv"
    path.write_bytes(data)
    try:
        csv_way = run(path, tmp_path, plain=False, on_error=on_error, size=size)
    except UnicodeDecodeError:
        return  # bytes that are no UTF-8: refused before either way starts (the CLI says so)
    real = _plain_csv.Plain.block
    if lines is not None:  # blocks of about ``lines`` lines (pyarrow needs whole lines)
        _plain_csv.Plain.block = lambda self, rows: self.longest * lines  # type: ignore[method-assign]  # (small blocks)
    try:
        plain_way = run(path, tmp_path, plain=True, on_error=on_error, size=size)
    finally:
        _plain_csv.Plain.block = real  # type: ignore[method-assign]  # (put back)
    with path.open(encoding="utf-8", newline="") as reader:
        source = CsvInput(LimitedLines(reader, "t"), "t") if data.strip() else None
        shape = "plain" if source and plain_path(reader, source, sys.stdout) else "not plain"
    event(shape)
    assert plain_way[0] == csv_way[0]
    assert plain_way[1] == csv_way[1]
    assert plain_way[2:] == csv_way[2:]


@pytest.mark.parametrize("lines", [1, 2, 3])
@pytest.mark.parametrize("size", [2, 4])
def test_a_fail_run_stops_after_the_same_rows_however_pyarrow_cuts_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, size: int, lines: int
) -> None:
    """The plain way's chunks are ``size`` rows, as the csv way's, though pyarrow's blocks are
    a few lines each: the rows written and counted before a bad row are the same."""
    body = [GOOD[0]] * 5 + [BAD[0]] + [GOOD[0]] * 3
    path = tmp_path / "t.csv"
    path.write_text("\n".join(["id,priority,opened,resolved,pauses", *body, ""]), "utf-8")
    csv_way = run(path, tmp_path, plain=False, on_error="fail", size=size)
    monkeypatch.setattr(_plain_csv.Plain, "block", lambda self, rows: self.longest * lines)
    assert _taken(tmp_path, path.read_bytes())
    plain_way = run(path, tmp_path, plain=True, on_error="fail", size=size)
    assert plain_way == csv_way
    assert csv_way[1].rows_in == (8 if size == 4 else 6)


def _taken(tmp_path: Path, data: bytes) -> bool:
    path = tmp_path / "t.csv"
    path.write_bytes(data)
    taken: list[object] = []
    real = _plain_csv.plain_path

    def spy(*args: object) -> object:
        found = real(*args)  # type: ignore[arg-type]  # (passed on as given)
        taken.append(found)
        return found

    _plain_csv.plain_path = spy  # type: ignore[assignment]  # (a spy)
    try:
        run(path, tmp_path, plain=True, on_error="skip", size=3)
    finally:
        _plain_csv.plain_path = real
    return taken[0] is not None


HEADER = b"id,priority,opened,resolved,pauses\n"
ROW = b"T-1,P0,2026-11-23 14:00,,\n"


def test_a_plain_file_goes_the_pyarrow_way(tmp_path: Path) -> None:
    assert _taken(tmp_path, HEADER + ROW * 3)
    assert _taken(tmp_path, HEADER.replace(b"\n", b"\r\n") + ROW.replace(b"\n", b"\r\n"))
    assert _taken(tmp_path, HEADER + ROW + ROW.rstrip(b"\n"))  # no last line break


@pytest.mark.parametrize(
    "data",
    [
        HEADER + b'T-1,P0,"2026-11-23 14:00",,\n',  # a quote
        HEADER + ROW + b"\n" + ROW,  # a blank line
        HEADER + ROW.replace(b"\n", b"\r") + ROW,  # a lone \r
        b"\xef\xbb\xbf" + HEADER + ROW,  # a byte order mark
        HEADER + b"T-1,P0,2026-11-23 14:00,,,x\n",  # a ragged row
        HEADER + b"T-1,P0,2026-11-23 14:00,\n",  # a short row
        HEADER + b"T-\x00,P0,2026-11-23 14:00,,\n",  # a NUL
        HEADER,  # no record
        HEADER.rstrip(b"\n"),
    ],
)
def test_a_file_that_is_not_plain_goes_the_csv_way(tmp_path: Path, data: bytes) -> None:
    assert not _taken(tmp_path, data)


ZONES = ("America/Sao_Paulo", "Europe/Amsterdam", "Asia/Kolkata", "America/St_Johns")


@pytest.mark.slow
@settings(deadline=None)
@given(st.lists(st.integers(-(4 * 10**15), 10**15), max_size=30), st.sampled_from(ZONES))
def test_cells_as_arrow_are_the_texts(values: list[int], zone: str) -> None:
    """Cells give the same texts as Python strings and as a pyarrow array (offsets with
    seconds before 1900 too)."""
    array = np.array(values, dtype=np.int64)
    calendar = SlaPolicy.default().calendar.with_timezone(zone)
    instants = array + 1_700_000_000_000_000
    for narrow in (False, True):
        for cells, texts in (
            (int_cells(array, narrow=narrow), int_texts(array)),
            (seconds_cells(array, narrow=narrow), seconds_texts(array)),
            (iso_cells(calendar, instants, narrow=narrow), iso_texts(calendar, instants)),
        ):
            assert cells.arrow().to_pylist() == texts
            assert cells.texts() == texts


def test_a_long_field_or_line_goes_the_csv_way_and_its_error(tmp_path: Path) -> None:
    """A line over the csv module's field limit (128 KiB) or over MAX_LINE (4 MiB) is the csv
    module's: the same error as without pyarrow (they were read by pyarrow, and the report
    then failed on them)."""
    field = HEADER + ROW + b"X" * 200_000 + ROW[3:]
    line = HEADER + ROW + (b"X" * 100_000 + b";") * 50 + ROW[3:]
    for data, words in ((field, "a field is longer than"), (line, "without a line break")):
        assert not _taken(tmp_path, data)
        path = tmp_path / "long.csv"
        path.write_bytes(data)
        failure = run(path, tmp_path, plain=True, on_error="skip", size=3)[3]
        assert failure is not None
        assert words in failure[1]


def test_a_stream_named_as_a_file_is_not_read_by_its_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """stdin is named ``<stdin>``: a file of that name in the working folder is not read
    instead (nor any file whose name a stream carries but which is not the one it reads)."""
    tickets = tmp_path / "tickets.csv"
    tickets.write_bytes(HEADER + ROW * 3)
    decoy = tmp_path / "<stdin>"
    decoy.write_bytes(HEADER + ROW.replace(b"T-1", b"DECOY") * 3)
    monkeypatch.chdir(tmp_path)
    raw = io.FileIO(os.open(tickets, os.O_RDONLY))
    raw.name = "<stdin>"  # as Python names the standard input
    with io.TextIOWrapper(io.BufferedReader(raw), encoding="utf-8", newline="") as reader:
        written = _processed(reader, tmp_path)
    assert "DECOY" not in written
    assert written.count("T-1,") == 3


def test_a_file_read_before_is_read_on_from_where_it_is(tmp_path: Path) -> None:
    """A caller who read a preamble line before passes the rest of the file: the plain way,
    which opens the file by its name, is not taken (it would read the file from its start)."""
    path = tmp_path / "t.csv"
    path.write_bytes(b"exported,by,the,desk,2026-11-25\n" + HEADER + ROW * 3)  # 5 fields too
    with path.open(encoding="utf-8", newline="") as reader:
        reader.readline()
        written = _processed(reader, tmp_path)
    assert written.startswith("id,priority,opened,resolved,pauses,due_at")
    assert written.count("T-1,") == 3


def _processed(reader: io.TextIOBase, tmp_path: Path) -> str:
    """The output of ``reader``'s tickets, written to a file (as the plain way needs)."""
    out = tmp_path / "out.csv"
    with out.open("w", encoding="utf-8", newline="") as writer:
        process(reader, writer, SlaPolicy.default(), NOW, input_format="csv")  # type: ignore[arg-type]  # (a text file)
    return out.read_text(encoding="utf-8")


def _after_the_check(tmp_path: Path, change: Callable[[Path], None]) -> tuple:
    """Run the plain way on a file that ``change`` alters just after it was checked."""
    path = tmp_path / "t.csv"
    path.write_bytes(HEADER + ROW * 3)
    real = _plain_csv.plain_path

    def then_change(*args: object) -> object:
        found = real(*args)  # type: ignore[arg-type]  # (passed on as given)
        assert found is not None
        change(path)
        return found

    _plain_csv.plain_path = then_change  # type: ignore[assignment]  # (the change comes here)
    try:
        return run(path, tmp_path, plain=True, on_error="skip", size=2)
    finally:
        _plain_csv.plain_path = real


@pytest.fixture(params=["native file", "snapshot"])
def reading(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """pyarrow reads the file as Linux lets it (``/proc/self/fd``), or as elsewhere."""
    if request.param == "snapshot":
        monkeypatch.setattr(
            _plain_csv, "_input", lambda plain, pa: _plain_csv._Snapshot(plain.fd, plain.size)
        )
    return str(request.param)


def test_both_inputs_read_the_same_rows(tmp_path: Path, reading: str) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes(HEADER + ROW * 5 + ROW.rstrip(b"\n"))
    assert run(path, tmp_path, plain=True, on_error="fail", size=4) == run(
        path, tmp_path, plain=False, on_error="fail", size=4
    )


def test_a_file_moved_over_after_the_check_is_not_read(tmp_path: Path, reading: str) -> None:
    """The bytes read are the bytes checked, of the file opened, never the name again: a
    file moved over it (quoted, so not plain) is not read by pyarrow as if it were plain."""

    def swap(path: Path) -> None:
        other = path.with_name("other.csv")
        other.write_bytes(HEADER + b'T-9,"P0",2026-11-23 14:00,,\n')
        os.replace(other, path)

    written, summary, _, failure = _after_the_check(tmp_path, swap)
    assert failure is None
    assert (summary.rows_in, summary.rows_out) == (3, 3)
    assert written.count(b"T-1,P0,") == 3


@pytest.mark.parametrize("added", [b'T-9,P0,"x,y",,\n', b"T-9,P0,2026-11-23 14:00,,\n"])
def test_a_file_that_grows_while_it_is_read_is_an_error(
    tmp_path: Path, reading: str, added: bytes
) -> None:
    """Rows added after the check are not read unchecked, nor silently left out."""

    def append(path: Path) -> None:
        with path.open("ab") as tickets:
            tickets.write(added)

    failure = _after_the_check(tmp_path, append)[3]
    assert failure is not None
    assert failure[1].startswith("<input> changed while it was read (")
