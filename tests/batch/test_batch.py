"""Tests of ``sla-clock batch`` (sla_clock.batch._pipeline): files of tickets in, statuses out."""

from __future__ import annotations

import csv
import io
import json
import os
import random
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sla_clock import Pause, SlaPolicy, Ticket, TicketError
from sla_clock._zone import seconds
from sla_clock.batch._pipeline import OUTPUT_COLUMNS, BatchSummary, Format, OnError, process
from sla_clock.batch._texts import iso_texts as _iso_texts
from sla_clock.batch._texts import seconds_texts as _seconds_texts
from sla_clock.batch._times import bulk_instants as _bulk_instants
from sla_clock.errors import OutOfRangeError, TimeParseError, UnknownPriorityError
from sla_clock.parsing import parse_instant
from support import SP, call, process_text

ROOT = Path(__file__).resolve().parents[2]
POLICY = SlaPolicy.default()
CALENDAR = POLICY.calendar
#: The DESIGN.md P0 example: opened Monday 2026-11-23 14:00, status at 18:30.
NOW = datetime(2026, 11, 23, 18, 30, tzinfo=SP)
NOW_TEXT = "2026-11-23 18:30"
HEADER = "id,priority,opened,resolved,pauses"
P0_DUE = "2026-11-23T18:00:00-03:00"
P0_BREACH = "2026-11-24T09:00:00-03:00"

# -- helpers ---------------------------------------------------------------------------------


def run(
    text: str,
    *,
    input_format: Format = "csv",
    output_format: Format | None = None,
    on_error: OnError = "fail",
    chunk_size: int = 50_000,
    now: datetime = NOW,
    policy: SlaPolicy = POLICY,
) -> tuple[str, str, BatchSummary]:
    """Run :func:`process` on ``text``; return the output, the report and the summary."""
    return process_text(
        text,
        policy=policy,
        now=now,
        name="tickets",
        input_format=input_format,
        output_format=output_format,
        on_error=on_error,
        chunk_size=chunk_size,
    )


def csv_rows(text: str) -> list[dict[str, str]]:
    """Parse CSV output into one dict per row."""
    return list(csv.DictReader(io.StringIO(text, newline="")))


def json_rows(text: str) -> list[dict[str, object]]:
    """Parse JSON Lines output into one dict per line."""
    return [json.loads(line) for line in text.splitlines()]


def only_row(text: str) -> dict[str, str]:
    """Run one CSV ticket row (after the standard header) and return its output row."""
    out, report, _ = run(f"{HEADER}\n{text}\n")
    assert report == ""
    (row,) = csv_rows(out)
    return row


def scalar(
    opened: str,
    priority: str,
    *,
    resolved: str = "",
    pauses: tuple[tuple[str, str | None], ...] = (),
    now: datetime = NOW,
    policy: SlaPolicy = POLICY,
) -> dict[str, object]:
    """Return the scalar engine's status of a ticket written as batch text, as a dict."""
    cal = policy.calendar
    ticket = Ticket(
        opened_at=parse_instant(opened, cal),
        priority=priority,
        resolved_at=parse_instant(resolved, cal) if resolved else None,
        pauses=tuple(
            Pause(start=parse_instant(a, cal), end=parse_instant(b, cal) if b else None)
            for a, b in pauses
        ),
    )
    return policy.status(ticket, now).to_dict()


def expected_cells(status: dict[str, object]) -> dict[str, str]:
    """Return the batch output cells a scalar status should give, as CSV text."""
    return {
        "due_at": str(status["due_at"]),
        "breach_at": str(status["breach_at"]),
        "used_seconds": str(status["used_seconds"]),
        "remaining_seconds": str(status["remaining_seconds"]),
        "state": str(status["state"]),
        "escalation_level": str(status["escalation_level"]),
    }


@pytest.fixture(autouse=True)
def english_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run every in-process test with ``LANG=C.UTF-8``, whatever the developer's locale."""
    monkeypatch.setenv("LANG", "C.UTF-8")


# -- the DESIGN.md P0 example ------------------------------------------------------------------


P0_FILE = f"""{HEADER}
T-1,P0,2026-11-23 14:00,,
T-2,P0,2026-11-23 14:00,2026-11-23 18:30,
"""


def test_csv_round_trip_of_the_design_example() -> None:
    """The DESIGN.md P0 ticket is at risk at 18:30, due 18:00, breached after Tue 09:00."""
    out, report, summary = run(P0_FILE)
    assert report == ""
    assert out.splitlines()[0] == HEADER + "," + ",".join(OUTPUT_COLUMNS)
    open_row, resolved_row = csv_rows(out)
    assert open_row == {
        "id": "T-1",
        "priority": "P0",
        "opened": "2026-11-23 14:00",
        "resolved": "",
        "pauses": "",
        "due_at": P0_DUE,
        "breach_at": P0_BREACH,
        "used_seconds": "14400",
        "remaining_seconds": "0",
        "state": "at_risk",
        "escalation_level": "0",  # used == target: on time, so no level (used > target + 0)
    }
    assert resolved_row["state"] == "met"
    assert resolved_row["used_seconds"] == "14400"
    assert (summary.rows_in, summary.rows_out, summary.rows_skipped) == (2, 2, 0)


def test_jsonl_round_trip_of_the_design_example() -> None:
    """JSON Lines in gives JSON Lines out: the input keys, then the status with numbers."""
    lines = [
        {"id": 1, "priority": "P0", "opened": "2026-11-23T14:00", "note": "é"},
        {"id": 2, "priority": "P0", "opened": "2026-11-23T14:00", "resolved": "2026-11-23 18:30"},
    ]
    text = "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines)
    out, report, _ = run(text, input_format="jsonl")
    assert report == ""
    first, second = json_rows(out)
    assert list(first) == ["id", "priority", "opened", "note", *OUTPUT_COLUMNS]
    assert first == {
        **lines[0],
        "due_at": P0_DUE,
        "breach_at": P0_BREACH,
        "used_seconds": 14400,
        "remaining_seconds": 0,
        "state": "at_risk",
        "escalation_level": 0,
    }
    assert second["state"] == "met"
    assert '"note": "é"' in out  # the input line is kept as written


def test_other_columns_are_kept_verbatim() -> None:
    """Columns batch does not read, quoting included, come out exactly as they went in."""
    text = 'customer,id,priority,opened\n"Silva, Ana ""VIP""",T-1,P0,2026-11-23 14:00\n'
    out, _, _ = run(text)
    line = out.splitlines()[1]
    assert line.startswith('"Silva, Ana ""VIP""",T-1,P0,2026-11-23 14:00,')
    assert csv_rows(out)[0]["customer"] == 'Silva, Ana "VIP"'


# -- times and pauses --------------------------------------------------------------------------


def test_a_pause_stops_the_clock() -> None:
    """An hour of pause leaves 3 h used at 18:30 and moves the deadline to Tue 10:00."""
    row = only_row("T-1,P0,2026-11-23 14:00,,2026-11-23T15:00/2026-11-23T16:00")
    assert (row["used_seconds"], row["state"]) == ("10800", "at_risk")
    assert row["due_at"] == "2026-11-24T10:00:00-03:00"
    pauses = (("2026-11-23T15:00", "2026-11-23T16:00"),)
    assert expected_cells(scalar("2026-11-23 14:00", "P0", pauses=pauses)).items() <= row.items()


def test_an_ongoing_pause_is_paused() -> None:
    """A pause with an empty end is still going on: the ticket is paused with 1 h used."""
    row = only_row("T-1,P0,2026-11-23 14:00,,2026-11-23T15:00/")
    assert (row["state"], row["used_seconds"]) == ("paused", "3600")


def test_several_pauses_and_brazilian_pause_times() -> None:
    """Pauses separated by ';' may use dd/mm/yyyy times, whose slashes are not separators."""
    row = only_row('T-1,P1,23/11/2026 09:00,,"23/11/2026 10:00/23/11/2026 11:00;23/11/2026 12:00/"')
    pauses = (("23/11/2026 10:00", "23/11/2026 11:00"), ("23/11/2026 12:00", None))
    assert expected_cells(scalar("23/11/2026 09:00", "P1", pauses=pauses)).items() <= row.items()
    assert (row["state"], row["used_seconds"]) == ("paused", "7200")


def test_brazilian_times_read_as_the_cli_reads_them() -> None:
    """A dd/mm/yyyy HH:MM row gives the same status as its ISO 8601 twin."""
    row = only_row("T-1,P0,23/11/2026 14:00,,")
    assert (row["due_at"], row["breach_at"], row["state"]) == (P0_DUE, P0_BREACH, "at_risk")


@pytest.mark.parametrize("opened", ["2026-11-23T17:00:00Z", "2026-11-23T12:00-05:00"])
def test_times_with_an_offset_name_their_instant(opened: str) -> None:
    """A time with an offset or Z is that instant, whatever the calendar's zone."""
    row = only_row(f"T-1,P0,{opened},,")
    assert (row["due_at"], row["used_seconds"]) == (P0_DUE, "14400")


def test_microseconds_are_kept() -> None:
    """Microseconds in give microseconds out, and seconds as a float when not whole."""
    row = only_row("T-1,P0,2026-11-23 14:00:00.250000,,")
    assert row["due_at"] == "2026-11-24T09:00:00.250000-03:00"
    assert row["used_seconds"] == "14399.75"
    assert row["remaining_seconds"] == "0.25"
    out, _, _ = run(
        f"{HEADER}\nT-1,P0,2026-11-24 17:59:59.5,,\n", now=datetime(2026, 12, 1, tzinfo=SP)
    )
    assert csv_rows(out)[0]["due_at"] == "2026-11-25T12:59:59.500000-03:00"


def test_dst_in_new_york(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """With --tz America/New_York, times around 2026-03-08 follow the zone's DST switch."""
    tickets = tmp_path / "ny.csv"
    tickets.write_text(
        "id,priority,opened\n"
        "fri,P0,2026-03-06 16:00\n"  # 2 h on Friday (EST), 2 h on Monday (EDT)
        "gap,P0,2026-03-08 02:30\n"  # a wall time that does not exist: 03:30 EDT
        "utc,P1,2026-03-06T21:00:00Z\n",  # 16:00 EST
        encoding="utf-8",
    )
    status, out, err = call(
        capsys,
        *("batch", str(tickets), "--tz", "America/New_York", "--now", "2026-03-09 12:00"),
    )
    assert status == 0, err
    fri, gap, utc = csv_rows(out)
    assert fri["due_at"] == "2026-03-09T11:00:00-04:00"
    assert (fri["state"], fri["used_seconds"]) == ("breached", str(5 * 3600))
    assert gap["due_at"] == "2026-03-09T13:00:00-04:00"
    assert utc["due_at"] == "2026-03-10T10:00:00-04:00"
    ny = POLICY.with_calendar(CALENDAR.with_timezone("America/New_York"))
    now = datetime(2026, 3, 9, 12, 0, tzinfo=ZoneInfo("America/New_York"))
    for row in (fri, gap, utc):
        want = scalar(row["opened"], row["priority"], now=now, policy=ny)
        assert expected_cells(want).items() <= row.items()


def test_bulk_wall_times_follow_the_fold_rule() -> None:
    """Wall times in a DST gap move forward, ambiguous ones take their first occurrence."""
    ny = CALENDAR.with_timezone("America/New_York")
    texts = ["2026-03-08 02:30", "2026-11-01 01:30", "2026-11-01T01:30:00.5", "2026-03-08 03:00"]
    us, done, _ = _bulk_instants(texts, ny)
    assert done.all()
    assert [ny.from_us(int(u)).isoformat() for u in us] == [
        parse_instant(text, ny).isoformat() for text in texts
    ]
    assert ny.from_us(int(us[1])).utcoffset() == timedelta(hours=-4)


# -- the bulk text paths agree with the scalar ones -------------------------------------------

_PIECES = st.sampled_from(
    ["2026", "1899", "2199", "2200", "0001", "-", "/", "11", "02", "29", "30", "13", "00",
     "23", "24", "T", " ", "t", ":", "59", "60", ".", ",", "5", "123456", "1234567", "Z",
     "z", "+", "-03:00", "+05:30", "-24:00", "+23:59", "\u0663", "é", "now"]
)  # fmt: skip
_LIKELY = st.builds(
    "{}-{}-{}{}{}:{}{}".format,
    st.sampled_from(["2026", "2024", "1900", "2199", "1899"]),
    st.sampled_from(["01", "02", "12", "13", "00"]),
    st.sampled_from(["01", "28", "29", "30", "31", "00"]),
    st.sampled_from(["T", " ", "t", "_"]),
    st.sampled_from(["00", "09", "23", "24"]),
    st.sampled_from(["00", "59", "60"]),
    st.sampled_from(["", ":00", ":59", ":60", ":00.5", ":00,5", ":00.123456", "Z", "-03:00"]),
)
_BRAZILIAN = st.builds(
    "{}/{}/{}{}".format,
    st.sampled_from(["23", "1", "29", "31", "00"]),
    st.sampled_from(["11", "02", "13", "2"]),
    st.sampled_from(["2026", "2024", "1899"]),
    st.sampled_from(["", " 14:00", " 9:00", " 14:00:30", " 14:00:30,25", "  14:00", "T14:00"]),
)


@given(st.lists(st.one_of(_LIKELY, _BRAZILIAN, st.lists(_PIECES, max_size=12).map("".join))))
def test_bulk_times_agree_with_parse_instant(texts: list[str]) -> None:
    """Whatever the bulk reader accepts, parse_instant reads to the same instant."""
    us, done, _ = _bulk_instants(texts, CALENDAR)
    for text, value, ok in zip(texts, us.tolist(), done.tolist(), strict=True):
        if ok:
            assert CALENDAR.to_us(parse_instant(text, CALENDAR)) == value, text


def test_bulk_times_read_the_usual_shapes() -> None:
    """The shapes tickets are usually written in are read in bulk, not one by one."""
    texts = [
        "2026-11-23",
        "2026-11-23 14:00",
        "2026-11-23T14:00:59",
        "2026-11-23T14:00:59.25",
        "2026-11-23T17:00Z",
        "2026-11-23T14:00:00-03:00",
        "2026-11-23T14:00:00.000001+05:30",
        "23/11/2026",
        "23/11/2026 14:00",
        "23/11/2026 14:00:30,5",
    ]
    us, done, _ = _bulk_instants(texts, CALENDAR)
    assert done.all()
    assert us.tolist() == [CALENDAR.to_us(parse_instant(t, CALENDAR)) for t in texts]


@pytest.mark.slow
@given(
    st.lists(st.integers(-2_208_988_800_000_000, 7_258_118_400_000_000), max_size=20),
    st.sampled_from(["America/Sao_Paulo", "America/New_York", "Asia/Kolkata", "Africa/Monrovia"]),
)
def test_output_times_are_isoformat(instants: list[int], zone: str) -> None:
    """Output instants are written exactly as datetime.isoformat() writes them."""
    cal = CALENDAR.with_timezone(zone)
    texts = _iso_texts(cal, np.asarray(instants, dtype=np.int64))
    assert texts == [cal.from_us(us).isoformat() for us in instants]


@given(st.lists(st.integers(-(10**15), 10**15), max_size=20))
def test_output_seconds_are_the_json_seconds(durations: list[int]) -> None:
    """Durations are written as SlaStatus.to_dict() writes them: int when whole, else float."""
    texts = _seconds_texts(np.asarray(durations, dtype=np.int64))
    assert texts == [str(seconds(timedelta(microseconds=us))) for us in durations]


Pauses = tuple[tuple[str, str | None], ...]


def _random_ticket(rng: random.Random) -> tuple[dict[str, str], Pauses]:
    """Draw a valid ticket of late 2026, all its times in one of the accepted shapes."""
    shape = rng.randrange(5)

    def when(at: datetime) -> str:
        if shape == 0:
            return at.strftime("%d/%m/%Y %H:%M")
        if shape == 1:
            return at.astimezone(ZoneInfo("UTC")).strftime("%Y-%m-%dT%H:%M:%SZ")
        if shape == 2:
            return at.isoformat()
        if shape == 3:
            return at.strftime("%Y-%m-%d %H:%M:%S.%f")
        return at.strftime("%Y-%m-%dT%H:%M")

    micro = timedelta(microseconds=rng.choice([0, 0, 250_000, 7]))
    opened = datetime(2026, 10, 1, tzinfo=SP) + timedelta(minutes=rng.randrange(89 * 1440)) + micro
    resolved = None
    if rng.random() < 0.4:
        resolved = opened + timedelta(minutes=rng.randrange(12 * 1440))
    pauses: list[tuple[str, str | None]] = []
    for _ in range(rng.choice([0, 0, 0, 1, 2])):
        a = opened + timedelta(minutes=rng.randrange(3 * 1440))
        b: datetime | None = a + timedelta(minutes=rng.randrange(1, 2 * 1440))
        if resolved is not None:
            a, b = min(a, resolved), min(b or resolved, resolved)
        elif rng.random() < 0.3:
            b = None
        pauses.append((when(a), when(b) if b else None))
    row = {
        "id": f"R-{rng.randrange(10**6)}",
        "priority": rng.choice(["P0", "P1", "P2", "P3", "p2"]),
        "opened": when(opened),
        "resolved": when(resolved) if resolved else "",
        "pauses": ";".join(f"{a}/{b or ''}" for a, b in pauses),
    }
    return row, tuple(pauses)


@pytest.mark.parametrize("input_format", ["csv", "jsonl"])
def test_agrees_with_the_scalar_status(input_format: str) -> None:
    """On 400 random tickets, every output cell equals SlaPolicy.status row by row."""
    rng = random.Random(20261124)
    drawn = [_random_ticket(rng) for _ in range(400)]
    tickets = [row for row, _ in drawn]
    now = datetime(2026, 12, 30, 11, 15, tzinfo=SP)
    if input_format == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(tickets[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(tickets)
        text = buffer.getvalue()
    else:
        text = "".join(json.dumps(t) + "\n" for t in tickets)
    out, report, summary = run(
        text, input_format=input_format, output_format="csv", now=now, chunk_size=64
    )
    assert report == ""
    assert summary.rows_out == 400
    for (ticket, pauses), row in zip(drawn, csv_rows(out), strict=True):
        want = scalar(
            ticket["opened"],
            ticket["priority"],
            resolved=ticket["resolved"],
            pauses=pauses,
            now=now,
        )
        assert row == {**ticket, **expected_cells(want)}, ticket
    states = {row["state"] for row in csv_rows(out)}
    assert states == {"running", "at_risk", "paused", "breached", "met", "missed"}


# -- JSON Lines ----------------------------------------------------------------------------------


def test_jsonl_pauses_as_lists_and_objects() -> None:
    """In JSON Lines, pauses may be [start, end] pairs, {start, end} objects or text."""
    base = {"id": "T", "priority": "P0", "opened": "2026-11-23T14:00"}
    pauses: list[object] = [
        [["2026-11-23T15:00", "2026-11-23T16:00"]],
        [{"start": "2026-11-23T15:00", "end": "2026-11-23T16:00"}],
        ["2026-11-23T15:00/2026-11-23T16:00"],
        "2026-11-23T15:00/2026-11-23T16:00",
        [["2026-11-23T15:00", None]],
        [{"start": "2026-11-23T15:00"}],
    ]
    text = "".join(json.dumps({**base, "pauses": p}) + "\n" for p in pauses)
    out, report, _ = run(text, input_format="jsonl")
    assert report == ""
    rows = json_rows(out)
    assert [r["used_seconds"] for r in rows] == [10800] * 4 + [3600] * 2
    assert [r["state"] for r in rows] == ["at_risk"] * 4 + ["paused"] * 2
    assert [r["pauses"] for r in rows] == pauses


def test_jsonl_to_csv_and_back() -> None:
    """JSON Lines can be written as CSV (pauses as text) and CSV as JSON Lines."""
    line = {"id": 7, "priority": "P0", "opened": "2026-11-23T14:00", "resolved": None,
            "pauses": [["2026-11-23T15:00", "2026-11-23T16:00"]], "tags": ["a", "b"]}  # fmt: skip
    out, _, _ = run(json.dumps(line) + "\n", input_format="jsonl", output_format="csv")
    (row,) = csv_rows(out)
    assert row["id"] == "7"
    assert row["resolved"] == ""
    assert row["pauses"] == "2026-11-23T15:00/2026-11-23T16:00"
    assert row["tags"] == '["a", "b"]'
    assert row["used_seconds"] == "10800"
    back, _, _ = run(out, input_format="csv", output_format="jsonl")
    (obj,) = json_rows(back)
    assert obj["used_seconds"] == 10800
    assert obj["id"] == "7"
    assert list(obj) == [*row]


def test_status_columns_already_there_are_replaced() -> None:
    """Running batch on its own output recomputes the status columns instead of doubling them."""
    first, _, _ = run(P0_FILE)
    later = datetime(2026, 11, 24, 10, 0, tzinfo=SP)
    again, _, _ = run(first, now=later)
    fresh, _, _ = run(P0_FILE, now=later)
    assert again == fresh
    assert csv_rows(again)[0]["state"] == "breached"
    jsonl, _, _ = run(P0_FILE, output_format="jsonl")
    again_jsonl, _, _ = run(jsonl, input_format="jsonl", now=later)
    assert [r["state"] for r in json_rows(again_jsonl)] == ["breached", "met"]
    assert all(len(r) == 5 + len(OUTPUT_COLUMNS) for r in json_rows(again_jsonl))


# -- bad rows ------------------------------------------------------------------------------------

BAD_FILE = f"""{HEADER}
ok-1,P0,2026-11-23 14:00,,
bad-time,P0,2026-11-31 14:00,,
bad-priority,P9,2026-11-23 14:00,,
bad-order,P1,2026-11-23 14:00,2026-11-22 10:00,

bad-pause,P1,2026-11-23 14:00,,2026-11-23 16:00/2026-11-23 15:00
late,P0,2026-11-25 10:00,,
ragged,P0
ok-2,P0,2026-11-23 14:00,,
"""


def test_bad_rows_are_skipped_with_their_line_numbers() -> None:
    """With skip, each bad row is reported with its line and reason, and left out."""
    out, report, summary = run(BAD_FILE, on_error="skip")
    assert [r["id"] for r in csv_rows(out)] == ["ok-1", "ok-2"]
    lines = report.splitlines()
    assert len(lines) == 6
    expected = [
        ("line 3 (id bad-time)", "opened: cannot read the time '2026-11-31 14:00'"),
        ("line 4 (id bad-priority)", "unknown priority 'P9'"),
        ("line 5 (id bad-order)", "resolved '2026-11-22 10:00' is before opened"),
        ("line 7 (id bad-pause)", "ends before it starts"),
        ("line 8 (id late)", "is before the ticket opened (opened '2026-11-25 10:00')"),
        ("line 9 (id ragged)", "has 2 fields, the header has 5"),
    ]
    for line, (where, why) in zip(lines, expected, strict=True):
        assert line.startswith(f"sla-clock batch: skipped tickets {where}: "), line
        assert why in line, line
    assert (summary.rows_in, summary.rows_out, summary.rows_skipped) == (8, 2, 6)


@pytest.mark.parametrize(
    ("row", "error", "reason"),
    [
        ("T,P0,nope,,", TimeParseError, "opened: cannot read the time 'nope'"),
        ("T,P0,,,", TicketError, "opened is empty"),
        ("T,,2026-11-23 14:00,,", UnknownPriorityError, "priority is empty"),
        ("T,P0,2026-11-23 14:00,x,", TimeParseError, "resolved: cannot read the time 'x'"),
        ("T,P0,2026-11-23 14:00,,2026-11-23 15:00", TicketError, "is not start/end"),
        ("T,P0,2026-11-23 14:00,,/2026-11-23 15:00", TicketError, "has no start"),
        ("T,P0,2026-11-23 14:00,,13:00/14:00", TimeParseError, "pause '13:00/14:00'"),
        ("T,P0,2026-11-23 14:00,,2026-11-23 16:00/2026-11-23 15:00", TicketError, "ends before"),
        ("T,P0,0226-11-23 14:00,,", OutOfRangeError, "outside the years 1890-2100"),
        ('T,P0,"2026-11-23 14:00"x,,', TicketError, "is not valid CSV"),
    ],
)
def test_a_bad_row_fails_with_its_line_number(
    row: str, error: type[Exception], reason: str
) -> None:
    """With fail, the first bad row raises an error naming its line, id and reason."""
    text = f"{HEADER}\nT-0,P0,2026-11-23 14:00,,\n{row}\nT-9,P0,2026-11-23 14:00,,\n"
    with pytest.raises(error, match=r"^tickets line 3( \(id T\))?: ") as caught:
        run(text)
    assert reason in str(caught.value)


def test_jsonl_bad_lines_are_reported() -> None:
    """A JSON Lines line that is not a JSON object, or lacks a column, is a bad row."""
    text = (
        '{"priority": "P0", "opened": "2026-11-23T14:00"}\n'
        "{not json\n"
        "[1, 2]\n"
        '{"priority": "P0"}\n'
        '{"priority": 0, "opened": "2026-11-23T14:00"}\n'
        '{"priority": "P0", "opened": 1700000000}\n'
    )
    out, report, summary = run(text, input_format="jsonl", on_error="skip")
    assert len(json_rows(out)) == 1
    reasons = [line.split(": ", 2)[-1] for line in report.splitlines()]
    assert [line.split(": ")[1] for line in report.splitlines()] == [
        f"skipped tickets line {n}" for n in (2, 3, 4, 5, 6)
    ]
    assert reasons[0].startswith("is not valid JSON")
    assert reasons[1] == "is not a JSON object"
    assert reasons[2] == "has no 'opened' key; every ticket needs opened"
    assert reasons[3] == "priority must be text, got int 0"
    assert reasons[4] == "opened: expected a time as text, got int 1700000000"
    assert summary.rows_skipped == 5


def test_a_missing_column_is_an_error_before_any_row() -> None:
    """A file without an opened column stops at once, naming the columns it has."""
    with pytest.raises(TicketError, match="no 'opened' column") as caught:
        run("id,priority,created\nT,P0,2026-11-23 14:00\n", on_error="skip")
    assert "'created'" in str(caught.value)


def test_opened_at_is_an_alias_and_headers_are_case_insensitive() -> None:
    """The Ticket field names opened_at/resolved_at and any case are accepted as headers."""
    out, _, _ = run("ID,Priority,Opened_At,RESOLVED_AT\nT,P0,2026-11-23 14:00,2026-11-23 18:30\n")
    assert csv_rows(out)[0]["state"] == "met"


# -- chunks, odd files ---------------------------------------------------------------------------


def test_chunks_do_not_change_the_output() -> None:
    """A 10-row file read 3 rows at a time gives the same output as in one chunk."""
    rng = random.Random(7)
    rows = [_random_ticket(rng)[0] for _ in range(10)]
    text = (
        HEADER
        + "\n"
        + "".join(",".join(f'"{r[c]}"' for c in HEADER.split(",")) + "\n" for r in rows)
    )
    whole, _, _ = run(text, now=datetime(2027, 2, 1, tzinfo=SP))
    for size in (1, 3, 4):
        chunked, _, summary = run(text, now=datetime(2027, 2, 1, tzinfo=SP), chunk_size=size)
        assert chunked == whole
        assert summary.rows_out == 10


def test_line_numbers_across_chunks_and_multiline_fields() -> None:
    """Line numbers count physical lines, across chunks and quoted fields with newlines.

    (Until issue 9 the multi-line field was the id; a line break is now allowed only in a
    column that is not a ticket field, so the note moved to a column of its own.)
    """
    lines = [HEADER + ",note"]
    for i in range(1, 10):
        note = f'"{i}\nmore"' if i in (2, 5) else str(i)
        lines.append(f"{i},P0,2026-11-23 14:00,,,{note}")
    lines.append("bad,P0,never,,,")
    text = "\n".join(lines) + "\n"
    for size in (1, 3, 50):
        out, report, _ = run(text, on_error="skip", chunk_size=size)
        assert report.startswith("sla-clock batch: skipped tickets line 13 (id bad): ")
        assert len(csv_rows(out)) == 9
        assert ',"2\nmore",' in out


def test_an_unfinished_quote_stops_the_run() -> None:
    """A quote left open until the end of the file is fatal, even with skip (issue 9).

    Until issue 9 it was one skipped row, and the rows after it were silently lost.
    """
    text = f'{HEADER}\nT-1,P0,2026-11-23 14:00,,\nT-2,P0,"2026-11-23 14:00,,\nT-3,P0,x,,\n'
    for on_error in ("fail", "skip"):
        summary = BatchSummary()
        with pytest.raises(TicketError, match=r"^tickets line 3: the quote opened on line 3 "):
            process(
                io.StringIO(text, newline=""), io.StringIO(), POLICY, NOW,
                input_format="csv", on_error=on_error, chunk_size=1, summary=summary,  # type: ignore[arg-type]  # str, not the Literal
                name="tickets",
            )  # fmt: skip
        assert (summary.rows_in, summary.rows_out, summary.stopped_at) == (1, 1, 3)


def test_header_only_and_empty_files() -> None:
    """A header without rows gives a header; an empty JSON Lines file gives nothing."""
    out, report, summary = run(HEADER + "\n")
    assert out == HEADER + "," + ",".join(OUTPUT_COLUMNS) + "\n"
    assert (report, summary.rows_in, summary.rows_out) == ("", 0, 0)
    out, _, summary = run("", input_format="jsonl")
    assert (out, summary.rows_in) == ("", 0)
    out, _, _ = run("\n", input_format="jsonl", output_format="csv")
    assert out == ",".join(OUTPUT_COLUMNS) + "\n"
    with pytest.raises(TicketError, match="no header line"):
        run("")


def test_semicolons_and_blank_lines() -> None:
    """A semicolon-separated export keeps its separator; blank lines are not tickets."""
    text = "id;priority;opened\r\n\r\nT-1;P0;23/11/2026 14:00\r\n"
    out, _, summary = run(text)
    assert out.splitlines() == [
        "id;priority;opened;" + ";".join(OUTPUT_COLUMNS),
        f"T-1;P0;23/11/2026 14:00;{P0_DUE};{P0_BREACH};14400;0;at_risk;0",
    ]
    assert summary.rows_in == 1


def test_progress_line() -> None:
    """With a progress stream, a \\r line counts the rows and is cleared at the end."""
    progress = io.StringIO()
    process(
        io.StringIO(P0_FILE),
        io.StringIO(),
        POLICY,
        NOW,
        input_format="csv",
        progress=progress,
        size=len(P0_FILE),
    )
    text = progress.getvalue()
    assert "\rsla-clock batch: 2 rows (100 %)" in text
    assert text.endswith("\r")


def test_now_must_be_aware() -> None:
    """A naive now is refused rather than read in the system's zone."""
    with pytest.raises(ValueError, match="has no timezone"):
        run(P0_FILE, now=datetime(2026, 11, 23, 18, 30))  # noqa: DTZ001  # naive on purpose


# -- the command line (through sla_clock.cli.main) -----------------------------------------------


def write(tmp_path: Path, name: str, text: str) -> Path:
    """Write ``text`` to ``tmp_path / name`` and return the path."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_cli_batch_file_to_stdout(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """sla-clock batch FILE writes the rows on stdout and a summary line on stderr."""
    tickets = write(tmp_path, "t.csv", P0_FILE)
    status, out, err = call(capsys, "batch", str(tickets), "--now", NOW_TEXT)
    assert status == 0
    assert [r["state"] for r in csv_rows(out)] == ["at_risk", "met"]
    assert err == (
        "sla-clock batch: 2 rows in, 2 out, 0 skipped; statuses as of 2026-11-23T18:30:00-03:00\n"
    )


def test_cli_batch_reads_stdin(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """'-' reads stdin, whose format must be given with --format."""
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(P0_FILE.encode())))
    status, out, err = call(capsys, "batch", "-", "--format", "csv", "--now", NOW_TEXT)
    assert status == 0, err
    assert [r["state"] for r in csv_rows(out)] == ["at_risk", "met"]
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(P0_FILE.encode())))
    status, out, err = call(capsys, "batch", "-", "--now", NOW_TEXT)
    assert (status, out) == (2, "")
    assert "pass --format csv or --format jsonl" in err


def test_cli_batch_fail_is_exit_2_and_writes_no_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A bad row exits with 2, names its line, and leaves no half-written output file."""
    tickets = write(tmp_path, "t.csv", BAD_FILE)
    output = tmp_path / "out.csv"
    status, out, err = call(
        capsys, "batch", str(tickets), "--now", NOW_TEXT, "--output", str(output)
    )
    assert (status, out) == (2, "")
    first, second = err.splitlines()
    assert first.startswith(f"sla-clock: error: {tickets} line 3 (id bad-time): opened: ")
    assert second.startswith("sla-clock batch: stopped at line 3: 8 rows in, 0 out")
    assert not output.exists()
    assert os.listdir(tmp_path) == ["t.csv"]


def test_cli_batch_skip_writes_the_good_rows(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """--on-error skip reports each bad row on stderr and exits with 0."""
    tickets = write(tmp_path, "t.csv", BAD_FILE)
    output = tmp_path / "out.jsonl"
    status, out, err = call(
        capsys, *("batch", str(tickets), "--now", NOW_TEXT, "-o", str(output)),
        "--on-error", "skip", "--json",
    )  # fmt: skip
    assert (status, out) == (0, "")
    assert [r["id"] for r in json_rows(output.read_text(encoding="utf-8"))] == ["ok-1", "ok-2"]
    *skipped, summary = err.splitlines()
    assert len(skipped) == 6
    assert json.loads(summary) == {
        "rows_in": 8,
        "rows_out": 2,
        "rows_skipped": 6,
        "pauses_clipped": 0,
        "as_of": "2026-11-23T18:30:00-03:00",
        "stopped_at_line": None,
        "complete": True,
    }


def test_cli_batch_output_format_and_policy(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """--output-format converts, and --policy supplies the priorities."""
    policy = write(tmp_path, "p.toml", '[[priorities]]\ncode = "A4"\ntarget_hours = 4\n')
    tickets = write(tmp_path, "t.ndjson", '{"priority": "a4", "opened": "2026-11-23 14:00"}\n')
    status, out, err = call(
        capsys,
        *("batch", str(tickets), "--policy", str(policy), "--now", NOW_TEXT),
        *("--output-format", "csv"),
    )
    assert status == 0, err
    (row,) = csv_rows(out)
    assert (row["due_at"], row["state"]) == (P0_DUE, "at_risk")


def test_cli_batch_usage_errors(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """An unknown extension, a missing file or a bad --now exit with 2 and one message."""
    notes = write(tmp_path, "t.txt", P0_FILE)
    status, _, err = call(capsys, "batch", str(notes))
    assert status == 2
    assert "pass --format csv or --format jsonl" in err
    status, _, err = call(capsys, "batch", str(tmp_path / "missing.csv"))
    assert status == 2
    assert err.startswith("sla-clock: error: cannot read ")
    status, _, err = call(capsys, "batch", str(notes), "--format", "csv", "--now", "soon")
    assert status == 2
    assert "cannot read the time 'soon'" in err


@pytest.mark.slow
def test_python_m_sla_clock_batch(tmp_path: Path) -> None:
    """python -m sla_clock batch works end to end in a subprocess, with a cp1252 file."""
    tickets = tmp_path / "t.csv"
    tickets.write_bytes(f"{HEADER},cliente\nT-1,P0,2026-11-23 14:00,,,São Paulo\n".encode("cp1252"))
    result = subprocess.run(
        [sys.executable, "-m", "sla_clock", "batch", str(tickets), "--now", NOW_TEXT,
         "--encoding", "cp1252"],
        capture_output=True, text=True, encoding="utf-8", check=False, timeout=120,
        env={**os.environ, "TZ": "Asia/Tokyo"},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    (row,) = csv_rows(result.stdout)
    assert (row["cliente"], row["state"]) == ("São Paulo", "at_risk")


@pytest.mark.slow
def test_generated_benchmark_tickets_are_all_valid(tmp_path: Path) -> None:
    """The benchmark generator writes only valid tickets, in every time style."""
    for style in ("iso", "offset", "br", "mixed"):
        for suffix in (".csv", ".jsonl"):
            path = tmp_path / f"t-{style}{suffix}"
            subprocess.run(
                [sys.executable, str(ROOT / "benchmarks" / "make_tickets.py"), "--rows", "300",
                 "--out", str(path), "--style", style],
                check=True, timeout=120,
            )  # fmt: skip
            with path.open(encoding="utf-8", newline="") as reader:
                summary = process(
                    reader,
                    io.StringIO(),
                    POLICY,
                    datetime(2028, 2, 1, tzinfo=SP),
                    input_format="jsonl" if suffix == ".jsonl" else "csv",
                )
            assert (summary.rows_in, summary.rows_out) == (300, 300)


def test_a_key_first_seen_later_gets_its_column() -> None:
    """From JSON Lines to CSV, a key absent from the first chunk still gets a column (issue 9).

    Until issue 9 it was left out with a warning; every key now has a column, in the order
    keys are first seen, and a row without the key has an empty cell.
    """
    text = (
        '{"priority": "P0", "opened": "2026-11-23T14:00"}\n'
        '{"priority": "P0", "opened": "2026-11-23T14:00", "team": "billing"}\n'
        '{"priority": "P0", "opened": "2026-11-23T14:00", "team": "sales"}\n'
    )
    out, report, _ = run(text, input_format="jsonl", output_format="csv", chunk_size=1)
    assert out.splitlines()[0] == "priority,opened,team," + ",".join(OUTPUT_COLUMNS)
    assert [row["team"] for row in csv_rows(out)] == ["", "billing", "sales"]
    assert report == ""


def test_the_guide_example_is_true() -> None:
    """The first example of docs/batch.md prints what the page says."""
    guide = (ROOT / "docs" / "batch.md").read_text(encoding="utf-8")
    block = guide.split("```console\n", 1)[1].split("```", 1)[0].splitlines()
    command = block.index('$ sla-clock batch tickets.csv --now "2026-11-23 18:30"')
    tickets = "\n".join(block[1:command]) + "\n"
    *rows, summary = block[command + 1 :]
    out, report, result = run(tickets, now=NOW)
    assert (out.splitlines(), report) == (rows, "")
    assert summary == (
        f"sla-clock batch: {result.rows_in} rows in, {result.rows_out} out, 0 skipped; "
        "statuses as of 2026-11-23T18:30:00-03:00"
    )


def test_header_names_twice() -> None:
    """A repeated known column is ambiguous; other repeated names pass through CSV only."""
    with pytest.raises(TicketError, match="both 'opened' and 'Opened' for the opened column"):
        run("priority,opened,Opened\nP0,2026-11-23 14:00,2026-11-23 15:00\n")
    text = "\ufeffpriority,opened,,\nP0,2026-11-23 14:00,a,b\n"
    out, _, _ = run(text)
    assert out.splitlines()[1].startswith("P0,2026-11-23 14:00,a,b,2026-11-23T18:00:00-03:00,")
    with pytest.raises(TicketError, match="column '' appears twice in the header"):
        run(text, output_format="jsonl")
