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

import re
from collections.abc import Iterator
from datetime import datetime
from typing import Any, TextIO, cast

import numpy as np
import numpy.typing as npt

from .._ops import range_us
from .._version import PROG
from ..bulk._clocks import evaluate
from ..bulk._histories import EventStore, encode
from ..errors import SlaClockError, TicketError
from ..history import replay
from ..metric_status import METRIC_COLUMNS, MetricRules, MetricStatus, RawRow, RowInputs, row_inputs
from ..policy import SlaPolicy
from ._csv import Format
from ._event_checks import Check, Checks
from ._event_output import write_rows
from ._events_input import EventChunk, csv_chunks, jsonl_chunks
from ._lines import LimitedLines
from ._pipeline import BatchSummary, OnError, _check_now
from ._rows import Context
from ._times import read_times

__all__ = ["EVENT_COLUMNS", "history_rows", "process_events", "read_events"]

#: The columns of ``batch --events``, in order: a metric row's.
EVENT_COLUMNS = METRIC_COLUMNS
_CHUNK = 20_000
_RULE = re.compile(r"ticket .*?: line (\d+): (.*)", re.DOTALL)


def read_events(
    reader: TextIO,
    ctx: Context,
    *,
    input_format: Format,
    on_error: OnError = "fail",
    summary: BatchSummary,
    report: TextIO | None = None,
    only: str | None = None,
) -> EventStore:
    """Read and check every event of ``reader``; keep those of good tickets (or of ``only``).

    Raises:
        TicketError: a bad file or, with ``fail``, a bad line (``<name> line <n>: ...``).
    """
    lines = LimitedLines(reader, ctx.name)
    chunks = (
        jsonl_chunks(lines, _CHUNK)
        if input_format == "jsonl"
        else csv_chunks(lines, ctx.name, _CHUNK)
    )
    store = EventStore()
    checks = Checks(ctx.policy, store, input_format)
    bad = _BadLines(ctx, store, on_error, summary, report)
    for chunk in chunks:
        summary.rows_in += len(chunk.lines)
        _one_chunk(chunk, ctx, store, checks, bad, only)
    skipped = store.events_of(store.bad)
    summary.rows_skipped += skipped
    return store


def _idents(tickets: list[Any]) -> list[str | None]:
    """Each line's ticket id as text (a JSON number too), or ``None`` when it names none."""
    if set(map(type, tickets)) == {str} and "" not in tickets:
        return tickets
    return [str(t) if isinstance(t, (str, int)) and t != "" else None for t in tickets]


def _named(idents: list[str | None]) -> npt.NDArray[np.bool_] | bool:
    """Which lines name their ticket (``True``: all of them)."""
    if None not in idents:
        return True
    return np.array([ident is not None for ident in idents], dtype=bool)


def _one_chunk(
    chunk: EventChunk,
    ctx: Context,
    store: EventStore,
    checks: Checks,
    bad: _BadLines,
    only: str | None,
) -> None:
    problems = chunk.problems
    distinct, key_of = chunk.keys
    found = checks.all(distinct)
    codes = np.array([check[0] for check in found], dtype=np.int64)[key_of]
    texts = chunk.ats
    unread = [k for k, check in enumerate(found) if check[1] is not None]
    if problems or unread:  # no time read for a line that is bad by itself
        skip = set(problems) | set(np.flatnonzero(np.isin(key_of, unread)).tolist())
        texts = ["" if row in skip else at for row, at in enumerate(texts)]
    times = read_times(texts, ctx.calendar, ctx.now)
    lo, hi = range_us(ctx.calendar)
    idents = _idents(chunk.tickets)
    good = (codes >= 0) & ~times.empty & (times.us >= lo) & (times.us < hi) & _named(idents)
    if problems or times.errors:
        good[list(problems)] = False
        good[list(times.errors)] = False
    if only is not None:
        wanted = np.array([ident == only for ident in idents], dtype=bool)
        nameless = np.array([ident is None for ident in idents], dtype=bool)
        checked = wanted | (nameless & ~good)
    else:
        checked = np.ones(len(idents), dtype=bool)
    for row in np.flatnonzero(checked & ~good).tolist():
        error = _line_error(chunk, row, found[key_of[row]], times, ctx)
        bad.line(chunk, row, idents[row], error)
    keep = np.flatnonzero(checked & good)
    lines = np.asarray(chunk.lines, dtype=np.int64)
    store.add(_numbers(store, chunk, idents, keep), times.us[keep], codes[keep], lines[keep])


def _numbers(
    store: EventStore, chunk: EventChunk, idents: list[str | None], keep: npt.NDArray[np.intp]
) -> npt.NDArray[np.int64]:
    """The store's number of the ticket of each kept line (every kept line names one)."""
    encoded = chunk.ticket_codes
    if encoded is None:
        encoded = encode([idents[row] for row in keep.tolist()])
        keep = np.arange(len(keep))
    distinct, ticket_of = encoded
    named = [t if t is not None else "" for t in distinct]
    return np.asarray(store.numbers(named), dtype=np.int64)[ticket_of[keep]]


def _line_error(chunk: EventChunk, row: int, check: Check, times: Any, ctx: Context) -> str:
    """Why line ``row`` of the chunk is bad, the first reason in reading order."""
    problem = chunk.problems.get(row) or check[1] or times.errors.get(row)
    if problem is not None:
        return problem
    if times.empty[row]:
        return "has no time in 'at'; every event has its instant"
    lo, hi = range_us(ctx.calendar)
    if not lo <= int(times.us[row]) < hi:
        first, last = ctx.calendar.year_range
        return f"the time {chunk.ats[row]!r} lies outside the years {first}-{last}"
    if _idents([chunk.tickets[row]])[0] is None:
        return "has no ticket; every event names its ticket"
    return cast("str", check[2])


class _BadLines:
    """What a bad line does: stop the run (``fail``), or leave its ticket out (``skip``)."""

    def __init__(
        self,
        ctx: Context,
        store: EventStore,
        on_error: OnError,
        summary: BatchSummary,
        report: TextIO | None,
    ) -> None:
        self.ctx, self.store, self.on_error = ctx, store, on_error
        self.summary, self.report = summary, report

    def line(self, chunk: EventChunk, row: int, ticket: str | None, error: str) -> None:
        """Report the bad line ``row`` of ``chunk``."""
        line = chunk.lines[row]
        shown = "" if ticket is None else f" (ticket {' '.join(ticket.split())})"
        where = f"{self.ctx.name} line {line}{shown}"
        if self.on_error == "fail":
            self.summary.stopped_at = line
            raise TicketError(f"{where}: {error}")
        self.summary.rows_skipped += 1
        if self.report is not None:
            print(f"{PROG} batch: skipped {where}: {error}", file=self.report)
        if ticket is not None:
            number = self.store.numbers([ticket])[0]
            if number not in self.store.bad:
                self.store.bad.add(number)
                self.summary.tickets_skipped += 1


def _line(number: object) -> str:
    return f"line {number}"


#: Metric rows evaluated at a time (:func:`sla_clock.bulk._clocks.evaluate`).
_ROWS = 8_192


def ticket_rows_of(
    store: EventStore,
    ctx: Context,
    on_error: OnError,
    summary: BatchSummary,
    report: TextIO | None,
    opened: dict[str, int] | None = None,
) -> Iterator[RawRow]:
    """Yield the rows of every good ticket, replayed at ``ctx.now_us``, in first-seen order.

    ``opened``, when given, holds the opening of the tickets of the rows being yielded
    (``sla-clock report`` groups them by it); it is emptied block by block.
    """
    opened = {} if opened is None else opened
    policy, paused = ctx.policy, ctx.policy.paused_statuses
    rules = MetricRules(policy)
    skip = _Skipped(ctx, on_error, summary, report)
    block: list[tuple[str, list[RowInputs], int]] = []
    size = 0
    for ticket, raw in store.groups():
        try:
            history = replay(ticket, raw, paused, ctx.now_us, _line)
            rows = [] if history is None else list(row_inputs(policy, history, ctx.now_us, rules))
        except SlaClockError as exc:
            # The tickets before this one first: their errors come first, in file order.
            yield from _evaluated(block, skip)
            block, size = [], 0
            opened.clear()
            skip.ticket(ticket, exc, len(raw))
            continue
        if history is not None:
            opened[ticket] = history.opened
        block.append((ticket, rows, len(raw)))
        size += len(rows)
        if size >= _ROWS:
            yield from _evaluated(block, skip)
            block, size = [], 0
            opened.clear()  # the rows of the block are out: their openings were read
    yield from _evaluated(block, skip)


def _evaluated(block: list[tuple[str, list[RowInputs], int]], skip: _Skipped) -> list[RawRow]:
    """Evaluate a block of tickets' rows at once; on an error, ticket by ticket."""
    try:
        return evaluate([row for _, rows, _ in block for row in rows])
    except SlaClockError:  # a deadline out of the calendar's years: find whose
        out: list[RawRow] = []
        for ticket, rows, events in block:
            try:
                out += evaluate(rows)
            except SlaClockError as exc:
                skip.ticket(ticket, exc, events)
        return out


class _Skipped:
    """What a ticket whose history is bad does: stop the run, or leave the ticket out."""

    def __init__(
        self, ctx: Context, on_error: OnError, summary: BatchSummary, report: TextIO | None
    ) -> None:
        self.ctx, self.on_error, self.summary, self.report = ctx, on_error, summary, report

    def ticket(self, ticket: str, exc: SlaClockError, events: int) -> None:
        """Report ``ticket`` (with ``events`` events) as bad for ``exc``; raise with ``fail``."""
        found = _RULE.match(str(exc))
        line = int(found.group(1)) if found else None
        message = found.group(2) if found else str(exc)
        where = f"line {line} " if line is not None else ""
        error = f"{self.ctx.name} {where}(ticket {ticket}): {message}"
        if self.on_error == "fail":
            self.summary.stopped_at = line
            raise type(exc)(error) from None
        self.summary.tickets_skipped += 1
        self.summary.rows_skipped += events
        if self.report is not None:
            print(f"{PROG} batch: skipped {error}", file=self.report)


def history_rows(
    reader: TextIO, ctx: Context, input_format: Format, ticket: str, summary: BatchSummary
) -> list[MetricStatus] | None:
    """Return the rows of one ticket of an events file, or ``None`` if it has no event.

    Every line is read and a bad one raises (``fail``); only ``ticket``'s events are kept.
    """
    store = read_events(reader, ctx, input_format=input_format, summary=summary, only=ticket)
    if not store.has(ticket):
        return None
    return [row.to_status() for row in ticket_rows_of(store, ctx, "fail", summary, None)]


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
    store = read_events(
        reader, ctx, input_format=input_format, on_error=on_error, summary=summary, report=report
    )
    rows = ticket_rows_of(store, ctx, on_error, summary, report)
    summary.rows_out += write_rows(writer, output_format, rows)
    return summary
