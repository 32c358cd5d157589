"""The statuses of one chunk of tickets: every row checked, the good ones computed at once.

A row is checked by the ticket rules of :mod:`sla_clock.ticket`, the same ones
:meth:`SlaPolicy.status` applies to one ticket: a priority the policy defines, times that
read, then the life rules (an opening, a resolution not before it, the instant of the
statuses not before it) and the pause rule (a pause does not end before it starts). Pauses
reaching outside a ticket's life are clipped to it, and counted. A bad row gets one
:class:`~sla_clock.batch._csv.RowError` (the first reason found). The good rows go
through :func:`sla_clock.bulk._status.status_many_us` together; a row the engine refuses (a
date beyond the years the calendar can answer) is found by splitting the rows, so it becomes
a row error of its own and the others are still computed. Each written row's values are
those of ``SlaPolicy.status`` of that ticket alone, whatever the chunk.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, NamedTuple

from .._zone import NAT
from ..calendar import BusinessCalendar
from ..errors import SlaClockError, TicketError, TimeParseError, UnknownPriorityError
from ..policy import SlaPolicy
from ._csv import Chunk, RowError
from ._pauses import PauseTexts, pause_texts_of
from ._texts import int_texts, iso_texts, seconds_texts
from ._times import Times, read_times

if TYPE_CHECKING:
    from ..bulk._paused import PauseColumns
    from ..bulk._status import StatusColumns

__all__ = ["OUTPUT_COLUMNS", "Context", "Evaluation", "Statuses", "evaluate"]

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


class Evaluation(NamedTuple):
    """A chunk evaluated: its good rows' statuses, its bad rows' errors, pauses clipped."""

    statuses: Statuses
    errors: dict[int, RowError]
    pauses_clipped: int


def _fail(errors: dict[int, RowError], row: int, kind: type[SlaClockError], message: str) -> None:
    if row not in errors:
        errors[row] = RowError(kind, message)


def _check_priorities(chunk: Chunk, ctx: Context, errors: dict[int, RowError]) -> list[str]:
    """Return the priority codes of ``chunk``, adding its rows with a bad one to ``errors``."""
    values = chunk.priority
    try:
        written = set(values)  # a few codes, each written many times
        codes = values if all(v == v.strip() for v in written) else [v.strip() for v in values]
    except (AttributeError, TypeError):  # JSON Lines: a number, null...
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
            ctx.policy.priority(code)
        except UnknownPriorityError as exc:
            verdicts[code] = str(exc)
    if verdicts:
        for row, code in enumerate(codes):
            if code in verdicts:
                _fail(errors, row, UnknownPriorityError, verdicts[code])
    return codes


class Computed(NamedTuple):
    """A chunk checked and computed: its good rows, their statuses, its bad rows' errors."""

    good: list[int]
    status: StatusColumns | None
    errors: dict[int, RowError]


def evaluate(chunk: Chunk, ctx: Context) -> Evaluation:
    """Check every row of ``chunk`` and compute the status of the good ones (as text)."""
    import numpy as np

    good, status, errors = compute(chunk, ctx)
    if status is None:
        return Evaluation(Statuses([], [[] for _ in OUTPUT_COLUMNS]), errors, 0)
    out = [
        iso_texts(ctx.calendar, status.due),
        iso_texts(ctx.calendar, status.breach),
        seconds_texts(status.used),
        seconds_texts(status.remaining),
        status.state.tolist(),
        int_texts(status.escalation_level.astype(np.int64)),
    ]
    return Evaluation(Statuses(good, out), errors, int(status.pauses_clipped.sum()))


def compute(
    chunk: Chunk, ctx: Context, opened: Times | None = None, resolved: Times | None = None
) -> Computed:
    """Check every row of ``chunk`` and compute the status of the good ones.

    ``opened`` and ``resolved``, when given, are the chunk's instants already read (typed
    columns of a Parquet or Arrow file); else they are read from the chunk's texts.
    """
    import numpy as np

    from ..bulk._status import life_problems_us

    errors = dict(chunk.errors)
    codes = _check_priorities(chunk, ctx, errors)
    opened = read_times(chunk.opened, ctx.calendar, ctx.now) if opened is None else opened
    resolved = read_times(chunk.resolved, ctx.calendar, ctx.now) if resolved is None else resolved
    for column, times in (("opened", opened), ("resolved", resolved)):
        for row, message in times.errors.items():
            _fail(errors, row, TimeParseError, f"{column}: {message}")
    pauses = _read_pauses(chunk.pauses, ctx, errors)
    for row, rule in sorted(life_problems_us(opened.us, resolved.us, ctx.now_us).items()):
        shown = {
            "opened": repr(chunk.opened[row]),
            "resolved": repr(chunk.resolved[row]),
            "now": ctx.now.isoformat(),
            "now_field": "--now",
        }
        _fail(errors, row, TicketError, rule.describe(shown))
    for row, (_, at, problem) in pauses.columns.problems().items():
        _fail(errors, row, TicketError, problem.format(pause=repr(pauses.texts.text(at).shown)))

    good = [row for row in range(len(chunk.lines)) if row not in errors]
    if not good:
        return Computed([], None, errors)
    columns = _Columns(ctx, opened.us, np.asarray(codes, dtype=object), resolved.us, pauses)
    try:
        status = columns.status(good)
    except SlaClockError:
        errors.update(_refused(columns, good))
        good = [row for row in good if row not in errors]
        if not good:
            return Computed([], None, errors)
        status = columns.status(good)
    return Computed(good, status, errors)


class _Columns(NamedTuple):
    """A chunk's checked columns, to compute the status of any subset of its rows."""

    ctx: Context
    opened: Any
    codes: Any
    resolved: Any
    pauses: ChunkPauses

    def status(self, rows: list[int]) -> StatusColumns:
        """Return the statuses of ``rows`` (positions in the chunk), in that order."""
        import numpy as np

        from ..bulk._status import status_many_us

        index = np.asarray(rows, dtype=np.int64)
        return status_many_us(
            self.ctx.policy,
            self.opened[index],
            self.codes[index],
            self.ctx.now_us,
            resolved=self.resolved[index],
            pauses=self.pauses.columns.take(index, len(self.opened)),
        )


def _refused(columns: _Columns, rows: list[int]) -> dict[int, RowError]:
    """Return the rows of a failed computation that the engine refuses on their own.

    Each half of ``rows`` is tried on its own, down to the single rows that fail (e.g. a year
    the holidays cannot answer): a few vectorised calls per bad row.
    """
    if len(rows) == 1:
        try:
            columns.status(rows)
        except SlaClockError as exc:
            return {rows[0]: RowError(type(exc), str(exc))}
        return {}
    refused: dict[int, RowError] = {}
    middle = len(rows) // 2
    for half in (rows[:middle], rows[middle:]):
        try:
            columns.status(half)
        except SlaClockError:
            refused.update(_refused(columns, half))
    return refused


class ChunkPauses(NamedTuple):
    """A chunk's pauses read: in microseconds (owners: rows of the chunk) and as written."""

    columns: PauseColumns
    texts: PauseTexts


def _read_pauses(values: Sequence[Any], ctx: Context, errors: dict[int, RowError]) -> ChunkPauses:
    """Return the pauses of the rows not in ``errors``, adding new bad rows to it."""
    import numpy as np

    from ..bulk._paused import PauseColumns

    texts, refused = pause_texts_of(values, errors)
    for row, message in refused.items():
        errors[row] = RowError(TicketError, message)
    count = len(texts.owners)
    times = read_times(texts.starts + [end or "" for end in texts.ends], ctx.calendar, ctx.now)
    for k in sorted({k % count for k in times.errors}) if times.errors else ():
        bad = times.errors.get(k) or times.errors[count + k]
        message = f"pause {texts.text(k).shown!r}: {bad}"
        _fail(errors, texts.owners[k], TimeParseError, message)
    owners = np.array(texts.owners, dtype=np.int64)
    ends = times.us[count:]
    ends[np.array([end is None for end in texts.ends], dtype=bool)] = NAT
    keep = np.array([row not in errors for row in texts.owners], dtype=bool)
    columns = PauseColumns(owners[keep], times.us[:count][keep], ends[keep])
    kept = np.flatnonzero(keep).tolist()
    if len(kept) < count:
        texts = texts.only(kept)
    return ChunkPauses(columns, texts)
