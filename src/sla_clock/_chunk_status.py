"""The statuses of one chunk of tickets: every row checked, the good ones computed at once.

A row is checked as :class:`~sla_clock.Ticket` checks a ticket: a priority the policy
defines, an opening time that reads and is not after the instant of the statuses, a
resolution not before the opening, pauses that read and lie inside the ticket's life. A bad
row gets one :class:`~sla_clock._ticket_reader.RowError` (the first reason found). The good
rows go through :func:`sla_clock.bulk_status.status_many_us` together, and their
:data:`OUTPUT_COLUMNS` come back as text, ready to write.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, NamedTuple

from ._bulk_times import NAT, int_texts, iso_texts, read_times, seconds_texts
from ._pause_cells import PauseText, pauses_of
from ._ticket_reader import Chunk, RowError
from .calendar import BusinessCalendar
from .errors import SlaClockError, TicketError, TimeParseError, UnknownPriorityError
from .policy import SlaPolicy

__all__ = ["OUTPUT_COLUMNS", "Context", "Statuses", "evaluate"]

#: The columns each output row gets, after the input's own.
OUTPUT_COLUMNS = (
    "due_at",
    "breach_at",
    "used_seconds",
    "remaining_seconds",
    "state",
    "escalation_level",
)


class Context(NamedTuple):
    """What the rows of a run are checked against, and the input's name for messages."""

    policy: SlaPolicy
    calendar: BusinessCalendar
    now: datetime
    now_us: int
    name: str


class Statuses(NamedTuple):
    """The good rows of a chunk (their positions) and their output columns as text."""

    rows: list[int]
    columns: list[list[str]]


PauseUs = list[tuple[int, int | None]]


def _fail(errors: dict[int, RowError], row: int, kind: type[SlaClockError], message: str) -> None:
    if row not in errors:
        errors[row] = RowError(kind, message)


def _check_priorities(chunk: Chunk, ctx: Context, errors: dict[int, RowError]) -> list[str]:
    """Return the priority codes of ``chunk``, adding its rows with a bad one to ``errors``."""
    values = chunk.priority
    try:
        codes = [value.strip() for value in values]
    except AttributeError:  # JSON Lines: a number, null...
        codes = [value.strip() if isinstance(value, str) else "" for value in values]
        for row, value in enumerate(values):
            if not isinstance(value, str) and value is not None:
                shown = f"{type(value).__name__} {value!r}"
                _fail(errors, row, TicketError, f"priority must be text, got {shown}")
    verdicts: dict[str, str] = {}
    for code in set(codes):
        if not code:
            known = ", ".join(ctx.policy.codes)
            verdicts[code] = f"priority is empty; give one of {known}"
            continue
        try:
            ctx.policy.clock_rule(code)
        except UnknownPriorityError as exc:
            verdicts[code] = str(exc)
    if verdicts:
        for row, code in enumerate(codes):
            if code in verdicts:
                _fail(errors, row, UnknownPriorityError, verdicts[code])
    return codes


def evaluate(chunk: Chunk, ctx: Context) -> tuple[Statuses, dict[int, RowError]]:
    """Check every row of ``chunk`` and compute the status of the good ones."""
    import numpy as np

    from .bulk_status import status_many_us

    errors = dict(chunk.errors)
    codes = _check_priorities(chunk, ctx, errors)
    opened = read_times(chunk.opened, ctx.calendar, ctx.now)
    resolved = read_times(chunk.resolved, ctx.calendar, ctx.now)
    for column, times in (("opened", opened), ("resolved", resolved)):
        for row, message in times.errors.items():
            _fail(errors, row, TimeParseError, f"{column}: {message}")
    for row in np.flatnonzero(opened.empty).tolist():
        _fail(errors, row, TicketError, "opened is empty; every ticket needs its opening time")
    late = np.flatnonzero((opened.us > ctx.now_us) & ~opened.empty).tolist()
    for row in late:
        message = (
            f"opened {chunk.opened[row]!r} is after the instant of the statuses "
            f"({ctx.now.isoformat()}); give a later --now"
        )
        _fail(errors, row, TicketError, message)
    early = (resolved.us != NAT) & (opened.us != NAT) & (resolved.us < opened.us)
    for row in np.flatnonzero(early).tolist():
        message = (
            f"resolved {chunk.resolved[row]!r} is before opened {chunk.opened[row]!r}; "
            "check the two times"
        )
        _fail(errors, row, TicketError, message)
    pauses = _read_pauses(chunk.pauses, ctx, errors)
    if pauses:
        rows = list(pauses)
        opened_at = opened.us[rows].tolist()
        resolved_at = resolved.us[rows].tolist()
        for row, o, r in zip(rows, opened_at, resolved_at, strict=True):
            if row not in errors:
                _check_pauses(chunk, row, o, r, *pauses[row], errors)

    n = len(chunk.lines)
    good = [row for row in range(n) if row not in errors] if errors else list(range(n))
    if not good:
        return Statuses([], [[] for _ in OUTPUT_COLUMNS]), errors
    index = np.asarray(good, dtype=np.int64)
    paused: list[PauseUs | None] | None = None
    if pauses:
        paused = [None] * len(good)
        rows = list(pauses)
        for at, row in zip(np.searchsorted(index, rows).tolist(), rows, strict=True):
            paused[at] = pauses[row][0]
    status = status_many_us(
        ctx.policy,
        opened.us[index],
        np.asarray(codes if not errors else [codes[row] for row in good], dtype=object),
        ctx.now_us,
        resolved=resolved.us[index],
        pauses=paused,
    )
    columns = [
        iso_texts(ctx.calendar, status.due),
        iso_texts(ctx.calendar, status.breach),
        seconds_texts(status.used),
        seconds_texts(status.remaining),
        status.state.tolist(),
        int_texts(status.escalation_level.astype(np.int64)),
    ]
    return Statuses(good, columns), errors


def _check_pauses(
    chunk: Chunk,
    row: int,
    opened_us: int,
    resolved_us: int,
    pauses_us: PauseUs,
    texts: list[PauseText],
    errors: dict[int, RowError],
) -> None:
    """Apply the rules of :class:`~sla_clock.Ticket` to the pauses of one row."""
    has_resolved = resolved_us != NAT
    for (start, end), text in zip(pauses_us, texts, strict=True):
        if end is not None and end < start:
            message = f"pause {text.shown!r} ends before it starts"
        elif start < opened_us or (has_resolved and end is not None and end > resolved_us):
            life = f"opened {chunk.opened[row]!r}" + (
                f", resolved {chunk.resolved[row]!r}" if has_resolved else ""
            )
            message = (
                f"pause {text.shown!r} lies outside the ticket's life ({life}); clip it to "
                "that span"
            )
        elif has_resolved and end is None:
            message = f"pause {text.shown!r} is still open on a resolved ticket; give it an end"
        else:
            continue
        _fail(errors, row, TicketError, message)
        return


def _read_pauses(
    values: Sequence[Any], ctx: Context, errors: dict[int, RowError]
) -> dict[int, tuple[PauseUs, list[PauseText]]]:
    """Return, per row with pauses, its pauses in microseconds and their texts.

    Rows already in ``errors`` are left out; new bad rows are added to it.
    """
    owners: list[int] = []
    texts: list[PauseText] = []
    # Rows with something in their pauses cell ("", None and [] are none; 0 is an error).
    given = [i for i, v in enumerate(values) if v or (v is not None and v != "" and v != [])]
    for row in given:
        if row in errors:
            continue
        pauses = pauses_of(values[row])
        if isinstance(pauses, str):
            errors[row] = RowError(TicketError, pauses)
            continue
        for pause in pauses:
            owners.append(row)
            texts.append(pause)
    count = len(texts)
    both = [p.start for p in texts] + [p.end or "" for p in texts]
    times = read_times(both, ctx.calendar, ctx.now)
    starts, ends, bad = times.us[:count].tolist(), times.us[count:].tolist(), times.errors
    found: dict[int, tuple[PauseUs, list[PauseText]]] = {}
    for k, row in enumerate(owners):
        pause = texts[k]
        if bad and (k in bad or count + k in bad):
            message = f"pause {pause.shown!r}: {bad.get(k) or bad[count + k]}"
            _fail(errors, row, TimeParseError, message)
            continue
        end = None if pause.end is None else ends[k]
        entry = found.get(row)
        if entry is None:
            found[row] = ([(starts[k], end)], [pause])
        else:
            entry[0].append((starts[k], end))
            entry[1].append(pause)
    return {row: entry for row, entry in found.items() if row not in errors}
