"""``sla-clock batch`` never loses, reorders or mixes up a row, whatever the chunk size.

Every written row equals ``SlaPolicy.status`` of that ticket alone; every bad row is skipped
(or stops the run) under its own line number; rows out + rows skipped == records in.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import NamedTuple
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sla_clock import OutOfRangeError, Pause, SlaClockError, SlaPolicy, Ticket, TicketError, cli
from sla_clock._zone import seconds
from sla_clock.batch._pipeline import BatchSummary, OnError, process
from support import process_text

SP = ZoneInfo("America/Sao_Paulo")
POLICY = SlaPolicy.default()
NOW = datetime(2026, 11, 27, 12, 0, tzinfo=SP)  # a Friday noon
BASE = datetime(2026, 11, 16, 0, 0, tzinfo=SP)  # a Monday, before Nov 20 (a holiday)
HEADER = "id,priority,opened,resolved,pauses"


def run(
    text: str, *, chunk_size: int, on_error: OnError = "skip"
) -> tuple[list[dict[str, str]], list[str], BatchSummary]:
    """Run the batch pipeline; return the written rows, the report lines and the summary."""
    out, report, summary = process_text(
        text, policy=POLICY, now=NOW, name="tickets", on_error=on_error, chunk_size=chunk_size
    )
    rows = list(csv.DictReader(io.StringIO(out, newline="")))
    return rows, report.splitlines(), summary


def text(dt: datetime) -> str:
    return dt.strftime("%Y-%m-%d %H:%M")


def expected(ticket: Ticket) -> dict[str, str]:
    """The output columns of ``ticket`` computed alone, through the Python API."""
    status = POLICY.status(ticket, NOW)
    return {
        "due_at": status.due_at.isoformat(),
        "breach_at": status.breach_at.isoformat(),
        "used_seconds": str(seconds(status.used)),
        "remaining_seconds": str(seconds(status.remaining)),
        "state": status.state,
        "escalation_level": str(status.escalation_level),
    }


OUTPUTS = ("due_at", "breach_at", "used_seconds", "remaining_seconds", "state", "escalation_level")


def outputs(row: dict[str, str]) -> dict[str, str]:
    """The status columns of a written row."""
    return {key: row[key] for key in OUTPUTS}


# -- the defect of 0.1.0, as found ------------------------------------------------------------


def test_a_skipped_row_never_lends_its_pauses_to_the_next_row() -> None:
    """A row skipped for a bad pause kept its place in the pause mapping of 0.1.0, so the
    next good row of the chunk got its pauses, and the answer changed with --chunk-size."""
    file = (
        f"{HEADER}\n"
        "bad,P1,2026-11-23 09:00,,2026-11-23 12:00/2026-11-23 10:00\n"  # ends before it starts
        "good,P1,2026-11-23 09:00,,\n"
    )
    alone = expected(Ticket(opened_at=datetime(2026, 11, 23, 9, tzinfo=SP), priority="P1"))
    for chunk_size in (1, 2, 50):
        rows, report, summary = run(file, chunk_size=chunk_size)
        assert [row["id"] for row in rows] == ["good"]
        assert outputs(rows[0]) == alone, chunk_size
        assert len(report) == 1
        assert report[0].startswith("sla-clock batch: skipped tickets line 2 (id bad): pause ")
        assert (summary.rows_in, summary.rows_out, summary.rows_skipped) == (2, 1, 1)


@pytest.mark.parametrize("on_error", ["fail", "skip"])
def test_a_bad_pause_on_the_last_row_of_a_chunk(on_error: str) -> None:
    """The last row of a chunk with a bad pause is a row error, not an IndexError."""
    file = f"{HEADER}\ngood,P1,2026-11-23 09:00,,\nbad,P1,2026-11-23 09:00,,x/2026-11-23 10:00\n"
    if on_error == "fail":
        with pytest.raises(SlaClockError, match=r"^tickets line 3 \(id bad\): pause 'x/"):
            run(file, chunk_size=2, on_error=on_error)
        return
    rows, report, summary = run(file, chunk_size=2, on_error=on_error)
    assert [row["id"] for row in rows] == ["good"]
    assert report[0].startswith("sla-clock batch: skipped tickets line 3 (id bad): pause 'x/")
    assert (summary.rows_out, summary.rows_skipped) == (1, 1)


def test_clipped_pauses_are_counted() -> None:
    """Pauses reaching before the opening or after the resolution are clipped and counted."""
    file = (
        f"{HEADER}\n"
        "a,P1,2026-11-23 10:00,,2026-11-23 09:00/2026-11-23 11:00\n"  # starts before the opening
        "b,P1,2026-11-23 10:00,2026-11-23 12:00,2026-11-23 11:00/\n"  # open on a resolved one
        "c,P1,2026-11-23 10:00,,2026-11-23 11:00/2026-11-23 12:00\n"  # inside: not clipped
    )
    rows, report, summary = run(file, chunk_size=50)
    assert report == []
    assert summary.pauses_clipped == 2
    assert [row["used_seconds"] for row in rows[:2]] == [str(seconds(timedelta(hours=37))), "3600"]


# -- the property: any chunk size, any mix of good and bad rows --------------------------------


class Row(NamedTuple):
    """One generated row: its CSV text, and the ticket it means (None: not readable)."""

    line: str
    ticket: Ticket | None


minutes = st.integers(0, 14 * 24 * 60)


@st.composite
def rows(draw: st.DrawFn, ident: int) -> Row:
    """A ticket row, good or bad in one of the ways a desk's export goes wrong."""
    opened = BASE + timedelta(minutes=draw(minutes))
    if draw(st.integers(0, 5)) == 0:
        # A ticket of a century before (a typo's year): one chunk may hold tickets that fit
        # no question's 100 years together, though each fits alone (a gap found re-checking
        # issue 9); a century-old ticket still open at now is refused on its own.
        opened -= timedelta(days=365 * 101)
    code = draw(st.sampled_from(("P0", "P1", "P2", "P3", "p1", "P9", "")))
    resolved: datetime | None = None
    if draw(st.booleans()):
        resolved = opened + timedelta(minutes=draw(st.integers(-600, 6 * 24 * 60)))
    pauses: list[tuple[datetime, datetime | None]] = []
    for _ in range(draw(st.integers(0, 2))):
        start = opened + timedelta(minutes=draw(st.integers(-24 * 60, 5 * 24 * 60)))
        end = (
            None if draw(st.booleans()) else start + timedelta(minutes=draw(st.integers(-60, 2000)))
        )
        pauses.append((start, end))
    garbage = draw(st.sampled_from((None, None, None, None, "opened", "resolved", "pause")))
    cells = [
        f"T{ident}",
        code,
        "2026-02-30 10:00" if garbage == "opened" else text(opened),
        "soon" if garbage == "resolved" else (text(resolved) if resolved else ""),
        ";".join(f"{text(s)}/{text(e) if e else ''}" for s, e in pauses)
        + (";nope/" if garbage == "pause" else ""),
    ]
    ticket: Ticket | None = None
    if garbage is None and code and (resolved is None or resolved >= opened):
        ticket = Ticket(
            opened_at=opened,
            priority=code,
            resolved_at=resolved,
            pauses=tuple(Pause(start=s, end=e) for s, e in pauses if e is None or e >= s),
        )
        if any(e is not None and e < s for s, e in pauses):
            ticket = None  # a pause ends before it starts: the row is refused
    return Row(",".join(cells), ticket)


@pytest.mark.slow
@settings(deadline=None)
@given(data=st.data())
def test_every_row_is_its_own_answer_whatever_the_chunk_size(data: st.DataObject) -> None:
    """Rows out + rows skipped == records in; each skipped row is named by its line; each
    written row, in input order, equals SlaPolicy.status of its ticket alone."""
    count = data.draw(st.integers(1, 25), label="rows")
    made = [data.draw(rows(i)) for i in range(count)]
    chunk_size = data.draw(st.integers(1, count + 2), label="chunk size")
    file = HEADER + "\n" + "".join(row.line + "\n" for row in made)
    written, report, summary = run(file, chunk_size=chunk_size)

    good: list[tuple[int, dict[str, str]]] = []
    bad_lines: list[int] = []
    for line, row in enumerate(made, start=2):
        try:
            if row.ticket is None:
                raise TicketError("unreadable")
            good.append((line, expected(row.ticket)))
        except SlaClockError:
            bad_lines.append(line)
    assert (summary.rows_in, summary.rows_out, summary.rows_skipped) == (
        count,
        len(good),
        len(bad_lines),
    )
    skipped = [int(entry.split(" line ")[1].split(" ")[0]) for entry in report]
    assert skipped == bad_lines
    assert [row["id"] for row in written] == [made[line - 2].line.split(",")[0] for line, _ in good]
    for row, (line, answer) in zip(written, good, strict=True):
        assert outputs(row) == answer, (line, made[line - 2].line)


# -- years the calendar cannot answer ---------------------------------------------------------


def test_tickets_a_century_apart_in_one_chunk_are_each_answered() -> None:
    """A ticket of 1925 between two of 2026: the chunk spans 102 years, more than one
    question may, but each ticket fits alone. It was refused as a whole (no line number,
    even with skip) while --chunk-size 1 answered all three: now every chunk size gives
    SlaPolicy.status of each ticket alone."""
    file = (
        "id,priority,opened,resolved\nA,P2,2026-03-02 10:00,2026-03-30 10:00\n"
        "B,P2,1925-03-02 10:00,1925-03-30 10:00\nC,P2,2026-03-03 10:00,\n"
    )
    runs = [run(file, chunk_size=size) for size in (1, 2, 3, 50_000)]
    for written, report, summary in runs:
        assert (summary.rows_in, summary.rows_out, report) == (3, 3, [])
        assert written == runs[0][0]
    states = [row["state"] for row in runs[-1][0]]
    assert states == ["missed", "missed", "breached"]
    old = Ticket(
        opened_at=datetime(1925, 3, 2, 10, tzinfo=SP),
        priority="P2",
        resolved_at=datetime(1925, 3, 30, 10, tzinfo=SP),
    )
    assert outputs(runs[-1][0][1]) == expected(old)


def test_a_row_beyond_the_holiday_years_is_a_row_error_of_its_own() -> None:
    """A deadline past the last year the holidays package covers (2100 for Brazil) makes
    that row an OutOfRangeError under its line number; the other rows are still written."""
    file = f"{HEADER}\nA,P0,2026-11-23 14:00,,\nB,P3,2100-12-31 17:00,,\nC,P1,2026-11-24 10:00,,\n"
    late_now = datetime(2100, 12, 31, 17, 30, tzinfo=SP)
    out, report = io.StringIO(), io.StringIO()
    summary = process(
        io.StringIO(file, newline=""),
        out,
        POLICY,
        late_now,
        input_format="csv",
        on_error="skip",
        name="tickets",
        report=report,
    )
    assert [row["id"] for row in csv.DictReader(io.StringIO(out.getvalue()))] == ["A", "C"]
    (line,) = report.getvalue().splitlines()
    assert line.startswith("sla-clock batch: skipped tickets line 3 (id B): ")
    assert "1890-2100" in line
    assert (summary.rows_in, summary.rows_out, summary.rows_skipped) == (3, 2, 1)


def test_an_instant_of_the_statuses_beyond_the_holiday_years_stops_before_any_row() -> None:
    """--now in a year the calendar cannot answer is one error, not one per row."""
    with pytest.raises(OutOfRangeError, match="outside the years 1890-2100"):
        process(
            io.StringIO(f"{HEADER}\nA,P0,2026-11-23 14:00,,\n", newline=""),
            io.StringIO(),
            POLICY,
            datetime(2103, 1, 1, 10, tzinfo=SP),
            input_format="csv",
        )


def test_the_summary_line_counts_the_clipped_pauses(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The command's summary says how many pauses were clipped (text and --json)."""
    tickets = tmp_path / "tickets.csv"
    tickets.write_text(
        f"{HEADER}\n"
        "a,P1,2026-11-23 10:00,,2026-11-23 09:00/2026-11-23 11:00\n"
        "b,P1,2026-11-23 10:00,2026-11-23 12:00,2026-11-23 11:00/\n",
        encoding="utf-8",
    )
    args = ["batch", str(tickets), "--now", "2026-11-27 12:00", "-o", str(tmp_path / "o.csv")]
    assert cli.main(args) == 0
    assert capsys.readouterr().err == (
        "sla-clock batch: 2 rows in, 2 out, 0 skipped, 2 pauses clipped to the ticket's life; "
        "statuses as of 2026-11-27T12:00:00-03:00\n"
    )
    assert cli.main([*args, "--json"]) == 0
    assert json.loads(capsys.readouterr().err)["pauses_clipped"] == 2
