r"""``sla-clock batch --events``: ticket histories in, one row per ticket, metric and cycle out.

Events (JSON Lines, or CSV with ``ticket,at,event,value``: :mod:`._events_input`) are read
in chunks; each chunk's times are read in bulk as ``batch`` reads them
(:func:`sla_clock.batch._times.read_times`: ISO 8601, ``dd/mm/yyyy``, in the calendar's
zone), each event is checked (a known event, its value, a priority of the policy, ``by``
``agent`` or ``customer``, a year the calendar answers) and kept, compactly, with its
ticket: per ticket one ``array('q')`` of ``(instant, code, line)`` triples, the code an
index into a table of ``(event, value)`` pairs. At the end of the file every ticket is
replayed (:func:`sla_clock.history.replay`, whose rule errors name the event's line) and
its rows (:func:`sla_clock.metric_status.ticket_rows`) are written, tickets in the order
they first appear.

A bad line is ``<name> line <n>: ...``. With ``on_error="fail"`` the first one stops the
run; with ``"skip"`` it is reported and its whole ticket is left out (a history with a
hole in it would give wrong numbers), counted in :attr:`BatchSummary.tickets_skipped`; a
bad line with no ticket to blame (not JSON, say) is left out alone. The summary's
``rows_skipped`` counts every event left out (those of a left-out ticket too).

>>> import io
>>> from datetime import datetime
>>> from zoneinfo import ZoneInfo
>>> from sla_clock import SlaPolicy
>>> events = io.StringIO('{"ticket": "T-1", "at": "2026-11-23 14:00", "event": "opened", '
...                      '"priority": "P1"}\n')
>>> out = io.StringIO()
>>> now = datetime(2026, 11, 23, 15, tzinfo=ZoneInfo("America/Sao_Paulo"))
>>> s = process_events(events, out, SlaPolicy.default(), now, input_format="jsonl",
...                    output_format="csv")
>>> print(out.getvalue(), end="")  # doctest: +NORMALIZE_WHITESPACE
ticket,metric,cycle,priority,state,due_at,breach_at,used_seconds,remaining_seconds,escalation_level,elapsed_seconds
T-1,resolution,1,P1,running,2026-11-24T17:00:00-03:00,2026-11-24T17:00:00-03:00,3600,39600,0,3600
>>> s.rows_in, s.rows_out
(1, 1)
"""

from __future__ import annotations

import csv
import json
import re
from array import array
from collections.abc import Iterator
from datetime import datetime
from itertools import islice
from typing import TextIO, cast

from .._ops import range_us
from .._version import PROG
from ..errors import SlaClockError, TicketError
from ..history import VALUE_FIELD, RawEvent, event_problem, replay
from ..metric_status import METRIC_COLUMNS, MetricStatus, ticket_rows
from ..policy import SlaPolicy
from ._csv import Format
from ._events_input import Record, csv_records, jsonl_records
from ._lines import LimitedLines
from ._pipeline import BatchSummary, OnError, _check_now
from ._rows import Context
from ._times import read_times

__all__ = ["EVENT_COLUMNS", "Events", "history_rows", "process_events", "read_events"]

#: The columns of ``batch --events``, in order: a metric row's.
EVENT_COLUMNS = METRIC_COLUMNS
_CHUNK = 50_000
_RULE = re.compile(r"ticket .*?: line (\d+): (.*)", re.DOTALL)


class Events:
    """The events of a file, grouped by ticket, in the order tickets first appear."""

    def __init__(self) -> None:
        self.tickets: dict[str, array[int]] = {}
        self.pairs: list[tuple[str, str | None]] = []
        self._codes: dict[tuple[str, str | None], int] = {}
        self.bad: set[str] = set()

    def add(self, ticket: str, at: int, kind: str, value: str | None, line: int) -> None:
        """Keep one event of ``ticket``."""
        pair = (kind, value)
        code = self._codes.get(pair)
        if code is None:
            code = self._codes[pair] = len(self.pairs)
            self.pairs.append(pair)
        events = self.tickets.get(ticket)
        if events is None:
            events = self.tickets[ticket] = array("q")
        events.extend((at, code, line))

    def raw(self, ticket: str) -> list[RawEvent]:
        """The events of ``ticket`` as :func:`~sla_clock.history.replay` takes them."""
        a, pairs = self.tickets[ticket], self.pairs
        return [(a[i], *pairs[a[i + 1]], f"line {a[i + 2]}") for i in range(0, len(a), 3)]


def read_events(
    reader: TextIO,
    ctx: Context,
    *,
    input_format: Format,
    on_error: OnError = "fail",
    summary: BatchSummary,
    report: TextIO | None = None,
    only: str | None = None,
) -> Events:
    """Read and check every event of ``reader``; keep those of good tickets (or of ``only``).

    Raises:
        TicketError: a bad file or, with ``fail``, a bad line (``<name> line <n>: ...``).
    """
    lines = cast("TextIO", LimitedLines(reader, ctx.name))
    records = jsonl_records(lines) if input_format == "jsonl" else csv_records(lines, ctx.name)
    events = Events()
    while chunk := list(islice(records, _CHUNK)):
        summary.rows_in += len(chunk)
        _one_chunk(chunk, ctx, events, on_error, summary, report, only)
    return events


def _one_chunk(
    chunk: list[Record],
    ctx: Context,
    events: Events,
    on_error: OnError,
    summary: BatchSummary,
    report: TextIO | None,
    only: str | None,
) -> None:
    times = read_times([r[2] if r[5] is None else "" for r in chunk], ctx.calendar, ctx.now)
    lo, hi = range_us(ctx.calendar)
    us = times.us.tolist()
    for i, (line, ticket, _, kind, value, problem) in enumerate(chunk):
        ident = str(ticket) if isinstance(ticket, (str, int)) and ticket != "" else None
        if only is not None and ident != only and (problem is None or ident is not None):
            continue  # another ticket: only lines that name none are checked
        error = problem or times.errors.get(i)
        if error is None and times.empty[i]:
            error = "has no time in 'at'; every event has its instant"
        if error is None and not lo <= us[i] < hi:
            first, last = ctx.calendar.year_range
            error = f"the time {chunk[i][2]!r} lies outside the years {first}-{last}"
        value_or_error = _value(ctx.policy, ident, kind, value) if error is None else (None, error)
        value, error = value_or_error
        if error is not None:
            _bad_line(ctx, events, line, ident, error, on_error, summary, report)
        elif ident is not None and ident not in events.bad:
            events.add(ident, us[i], kind, value, line)
        else:
            summary.rows_skipped += 1  # an event of a ticket left out


def _value(
    policy: SlaPolicy, ticket: str | None, kind: object, value: object
) -> tuple[str | None, str | None]:
    """Return the checked value of an event, or why it is bad: ``(value, error)``."""
    if ticket is None:
        return None, "has no ticket; every event names its ticket"
    if value is None or isinstance(value, str):
        text = value
    elif isinstance(kind, str) and VALUE_FIELD.get(kind, "") is None:
        text = repr(value)  # a kind without a value: shown in "takes no value"
    else:
        text = ""  # a value that is no text is no priority, status or by
    problem = event_problem(kind, text)
    if problem is not None:
        return None, problem
    wanted = VALUE_FIELD[cast("str", kind)]
    if wanted is None or text is None:
        return None, None
    if wanted == "priority":
        try:
            return policy.priority(text).code, None
        except SlaClockError as exc:
            return None, str(exc)
    return text.strip(), None


def _bad_line(
    ctx: Context,
    events: Events,
    line: int,
    ticket: str | None,
    error: str,
    on_error: OnError,
    summary: BatchSummary,
    report: TextIO | None,
) -> None:
    shown = "" if ticket is None else f" (ticket {' '.join(ticket.split())})"
    where = f"{ctx.name} line {line}{shown}"
    if on_error == "fail":
        summary.stopped_at = line
        raise TicketError(f"{where}: {error}")
    summary.rows_skipped += 1
    if report is not None:
        print(f"{PROG} batch: skipped {where}: {error}", file=report)
    if ticket is not None and ticket not in events.bad:
        events.bad.add(ticket)
        kept = events.tickets.pop(ticket, None)
        summary.rows_skipped += 0 if kept is None else len(kept) // 3
        summary.tickets_skipped += 1


def ticket_statuses(
    events: Events, ctx: Context, on_error: OnError, summary: BatchSummary, report: TextIO | None
) -> Iterator[MetricStatus]:
    """Yield the rows of every good ticket, replayed at ``ctx.now_us``, in first-seen order."""
    policy, paused = ctx.policy, ctx.policy.paused_statuses
    for ticket in list(events.tickets):
        try:
            history = replay(ticket, events.raw(ticket), paused, ctx.now_us)
            rows = [] if history is None else ticket_rows(policy, history, ctx.now_us)
        except SlaClockError as exc:
            found = _RULE.match(str(exc))
            line = int(found.group(1)) if found else None
            message = found.group(2) if found else str(exc)
            where = f"line {line} " if line is not None else ""
            error = f"{ctx.name} {where}(ticket {ticket}): {message}"
            if on_error == "fail":
                summary.stopped_at = line
                raise type(exc)(error) from None
            summary.tickets_skipped += 1
            summary.rows_skipped += len(events.tickets[ticket]) // 3
            if report is not None:
                print(f"{PROG} batch: skipped {error}", file=report)
            continue
        finally:
            del events.tickets[ticket]  # memory goes back as rows go out
        yield from rows


def history_rows(
    reader: TextIO, ctx: Context, input_format: Format, ticket: str, summary: BatchSummary
) -> list[MetricStatus] | None:
    """Return the rows of one ticket of an events file, or ``None`` if it has no event.

    Every line is read and a bad one raises (``fail``); only ``ticket``'s events are kept.
    """
    events = read_events(reader, ctx, input_format=input_format, summary=summary, only=ticket)
    if ticket not in events.tickets:
        return None
    return list(ticket_statuses(events, ctx, "fail", summary, None))


def process_events(
    reader: TextIO,
    writer: TextIO,
    policy: SlaPolicy,
    now: datetime,
    *,
    input_format: Format,
    output_format: Format,
    on_error: OnError = "fail",
    name: str = "<input>",
    report: TextIO | None = None,
    summary: BatchSummary | None = None,
) -> BatchSummary:
    """Read the events of ``reader``; write one row per ticket, metric and cycle at ``now``.

    Raises:
        TicketError: a bad file, or with ``fail`` a bad line or history (the message starts
            with ``<name> line <n>``).
        OutOfRangeError: ``now`` lies outside the calendar's years.
    """
    summary = BatchSummary(events=True) if summary is None else summary
    summary.events = True
    calendar = policy.calendar
    ctx = Context(policy, calendar, now.astimezone(calendar.zone), calendar.to_us(now), name)
    _check_now(ctx)
    events = read_events(
        reader, ctx, input_format=input_format, on_error=on_error, summary=summary, report=report
    )
    write_rows(
        writer, output_format, ticket_statuses(events, ctx, on_error, summary, report), summary
    )
    return summary


def write_rows(
    writer: TextIO, output_format: Format, rows: Iterator[MetricStatus], summary: BatchSummary
) -> None:
    """Write ``rows`` as CSV (with its header) or JSON Lines."""
    if output_format == "csv":
        out = csv.writer(writer, lineterminator="\n")
        out.writerow(EVENT_COLUMNS)
        for row in rows:
            out.writerow(row.to_dict().values())
            summary.rows_out += 1
    else:
        for row in rows:
            writer.write(json.dumps(row.to_dict(), ensure_ascii=False) + "\n")
            summary.rows_out += 1
