"""``batch --events`` as a pipeline: ticket histories in, one row per ticket, metric and cycle.

The expected rows of the issue's 7-event example are computed by hand on the default
calendar (docs/ticket-histories.md walks through them): first_response {P0 1 h, P1 2 h,
P2/P3 8 h} without pauses, resolution with pauses, at Wednesday 2026-11-25 12:00.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from sla_clock import SlaClockError, SlaPolicy, TicketError
from sla_clock.batch._events import EVENT_COLUMNS, process_events
from sla_clock.batch._pipeline import BatchSummary
from sla_clock.config import DEFAULT_POLICY_DATA, PolicyFile

SP = ZoneInfo("America/Sao_Paulo")
NOW = datetime(2026, 11, 25, 12, tzinfo=SP)
FIRST_RESPONSE = {
    "name": "first_response",
    "pause": False,
    "targets": {"P0": "PT1H", "P1": "PT2H", "P2": "PT8H", "P3": "PT8H"},
}
EXAMPLE = [
    ("2026-11-23 14:00", "opened", "priority", "P1"),
    ("2026-11-23 15:00", "status", "status", "waiting_on_customer"),
    ("2026-11-24 10:00", "status", "status", "open"),
    ("2026-11-24 11:00", "reply", "by", "agent"),
    ("2026-11-24 12:00", "priority", "priority", "P0"),
    ("2026-11-24 16:00", "resolved", None, None),
    ("2026-11-25 10:00", "reopened", None, None),
]


def policy(on_reopen: str = "continue") -> SlaPolicy:
    data = {
        **DEFAULT_POLICY_DATA,
        "metrics": [FIRST_RESPONSE, {"name": "resolution", "pause": True}],
        "on_reopen": on_reopen,
    }
    return SlaPolicy.from_data(PolicyFile.model_validate(data))


def jsonl(events: list[tuple[str, str, str, str | None, str | None]]) -> str:
    lines = []
    for ticket, at, kind, key, value in events:
        obj: dict[str, Any] = {"ticket": ticket, "at": at, "event": kind}
        if key is not None:
            obj[key] = value
        lines.append(json.dumps(obj))
    return "\n".join(lines) + "\n"


def as_csv(events: list[tuple[str, str, str, str | None, str | None]]) -> str:
    rows = [f"{t},{at},{kind},{value or ''}" for t, at, kind, _, value in events]
    return "ticket,at,event,value\n" + "\n".join(rows) + "\n"


def of(ticket: str) -> list[tuple[str, str, str, str | None, str | None]]:
    return [(ticket, *event) for event in EXAMPLE]


def rows(
    text: str,
    fmt: str = "jsonl",
    on_reopen: str = "continue",
    on_error: str = "fail",
    summary: BatchSummary | None = None,
    report: io.StringIO | None = None,
) -> list[dict[str, str]]:
    out = io.StringIO()
    process_events(
        io.StringIO(text),
        out,
        policy(on_reopen),
        NOW,
        input_format=fmt,  # type: ignore[arg-type]  # a Format literal, as the tests pass it
        output_format="csv",
        on_error=on_error,  # type: ignore[arg-type]  # an OnError literal, as the tests pass it
        name="events",
        summary=summary,
        report=report,
    )
    return list(csv.DictReader(io.StringIO(out.getvalue())))


def short(row: dict[str, str]) -> tuple[str, ...]:
    keys = ("ticket", "metric", "cycle", "priority", "state", "used_seconds", "escalation_level")
    return tuple(row[k] for k in keys)


def test_the_issue_example_continue() -> None:
    got = rows(jsonl(of("T-1")))
    assert [short(r) for r in got] == [
        ("T-1", "first_response", "1", "P1", "missed", "21600", "1"),
        ("T-1", "resolution", "1", "P0", "breached", "32400", "2"),
    ]
    assert list(got[0]) == list(EVENT_COLUMNS)
    assert got[0]["elapsed_seconds"] == str(21 * 3600)  # Mon 14:00 to Tue 11:00, on the wall


def test_the_issue_example_restart() -> None:
    got = rows(jsonl(of("T-1")), on_reopen="restart")
    assert [short(r)[1:6] for r in got] == [
        ("first_response", "1", "P1", "missed", "21600"),
        ("resolution", "1", "P0", "missed", "25200"),
        ("resolution", "2", "P0", "running", "7200"),
    ]


def test_csv_and_jsonl_give_the_same_rows() -> None:
    events = of("T-1")
    assert rows(as_csv(events), "csv") == rows(jsonl(events))


def test_interleaved_tickets_come_out_in_first_appearance_order() -> None:
    a, b = of("B"), of("A")
    mixed = [event for pair in zip(a, b, strict=True) for event in pair]
    got = rows(jsonl(mixed))
    assert [r["ticket"] for r in got] == ["B", "B", "A", "A"]
    assert [short(r)[1:] for r in got[:2]] == [short(r)[1:] for r in got[2:]]


def test_events_out_of_order_within_a_ticket_are_sorted() -> None:
    events = of("T-1")
    assert rows(jsonl([*events[::-1][:-1], events[0]])) == rows(jsonl(events))


def test_a_bad_line_names_its_line() -> None:
    text = jsonl(of("T-1")) + '{"ticket": "T-2", "at": "2026-11-23 14:00", "event": "x"}\n'
    with pytest.raises(TicketError, match=r"^events line 8 \(ticket T-2\): unknown event 'x'"):
        rows(text)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('{"ticket": "T", "at": "2026-13-01 10:00", "event": "opened", "priority": "P1"}', "time"),
        ('{"ticket": "T", "at": "9999-01-01 10:00", "event": "opened", "priority": "P1"}', "years"),
        ('{"ticket": "T", "at": "2026-11-23 10:00", "event": "opened"}', "needs its priority"),
        ('{"ticket": "T", "at": "2026-11-23 10:00", "event": "opened", "priority": "P9"}', "P9"),
        ('{"ticket": "T", "at": "2026-11-23 10:00", "event": "reply", "by": "bot"}', "'agent'"),
        ('{"ticket": "T", "at": "2026-11-23 10:00", "event": "resolved", "by": "x"}', "no 'by'"),
        ('{"ticket": "T", "event": "resolved"}', "no 'at'"),
        ('{"ticket": "T", "at": ', "not valid JSON"),
        ("[1, 2]", "not a JSON object"),
        ('{"ticket": "T", "at": "2026-11-23 10:00", "event": ["opened"]}', "unknown event"),
        ('{"ticket": "T", "at": "2026-11-23 10:00", "event": "opened", "priority": 5}', "needs"),
    ],
)
def test_bad_lines(line: str, message: str) -> None:
    with pytest.raises(TicketError, match=r"^events line 1\b") as caught:
        rows(line + "\n")
    assert message in str(caught.value)


def test_history_rules_name_the_line() -> None:
    events = [*of("T-1")[:6], ("T-1", "2026-11-24 17:00", "resolved", None, None)]
    with pytest.raises(TicketError, match=r"^events line 7 \(ticket T-1\): 'resolved' twice"):
        rows(jsonl(events))
    before = [("T-2", "2026-11-23 13:00", "status", "status", "open"), *of("T-2")]
    with pytest.raises(TicketError, match=r"^events line 1 \(ticket T-2\): a 'status' event"):
        rows(jsonl(before))


def test_skip_leaves_the_whole_ticket_out_and_counts_it() -> None:
    bad = [*of("T-1")[:3], ("T-1", "2026-11-24 11:00", "reply", "by", "bot"), *of("T-1")[4:]]
    twice = [*of("T-3")[:6], ("T-3", "2026-11-24 17:00", "resolved", None, None)]
    summary, report = BatchSummary(), io.StringIO()
    got = rows(jsonl(bad + of("T-2") + twice), on_error="skip", summary=summary, report=report)
    assert {r["ticket"] for r in got} == {"T-2"}
    assert (summary.rows_in, summary.rows_skipped, summary.tickets_skipped) == (21, 14, 2)
    assert report.getvalue().count("skipped events line") == 2


def test_an_empty_jsonl_file_gives_the_header_only() -> None:
    assert rows("") == []
    assert rows("\n\n") == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "no header line"),
        ("ticket,at,event\nT,2026-11-23 10:00,opened\n", "no 'value' column"),
        ('ticket,at,event,value\nT,2026-11-23 10:00,opened,"P1\nT,x,y,z\n', "never closed"),
    ],
)
def test_bad_csv_files(text: str, message: str) -> None:
    with pytest.raises(TicketError, match=message):
        rows(text, "csv")


def test_csv_header_names_compare_loosely_and_extra_columns_are_ignored() -> None:
    text = "\ufeffTicket;At;Event;Value;note\n" + "".join(
        f"{t};{at};{kind};{value or ''};x\n" for t, at, kind, _, value in of("T-1")
    )
    assert rows(text, "csv") == rows(jsonl(of("T-1")))


def test_csv_ragged_row_is_a_line_error() -> None:
    with pytest.raises(TicketError, match=r"^events line 2: has 3 fields"):
        rows("ticket,at,event,value\nT,2026-11-23 10:00,opened\n", "csv")


def test_events_after_now_are_ignored_and_a_ticket_opened_later_has_no_row() -> None:
    later = [("T-9", "2026-11-26 10:00", "opened", "priority", "P1")]
    assert [r["ticket"] for r in rows(jsonl(of("T-1") + later))] == ["T-1", "T-1"]


def test_dd_mm_yyyy_times_read_as_batch_reads_them() -> None:
    events = [(t, f"{at[8:10]}/{at[5:7]}/{at[:4]} {at[11:]}", *rest) for t, at, *rest in of("X")]
    assert rows(jsonl(events)) == rows(jsonl(of("X")))  # type: ignore[arg-type]  # same shape


def test_errors_come_in_the_order_of_their_tickets() -> None:
    # T-A's deadline lies past the holidays' last year: found when its rows are counted,
    # which must come before T-B's broken history is reported.
    text = (
        '{"ticket": "T-A", "at": "2100-12-30 10:00", "event": "opened", "priority": "P3"}\n'
        '{"ticket": "T-B", "at": "2100-12-30 10:00", "event": "resolved"}\n'
    )
    now = datetime(2100, 12, 31, 12, tzinfo=SP)
    with pytest.raises(SlaClockError, match=r"ticket T-A"):
        process_events(
            io.StringIO(text),
            io.StringIO(),
            SlaPolicy.default(),
            now,
            input_format="jsonl",
            output_format="csv",
            name="events",
        )
    report = io.StringIO()
    process_events(
        io.StringIO(text),
        io.StringIO(),
        SlaPolicy.default(),
        now,
        input_format="jsonl",
        output_format="csv",
        name="events",
        on_error="skip",
        report=report,
    )
    lines = report.getvalue().splitlines()
    assert ["T-A" in lines[0], "T-B" in lines[1]] == [True, True]
