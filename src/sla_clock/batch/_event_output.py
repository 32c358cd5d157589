r"""The rows of ``batch --events`` written in bulk, as CSV (with its header) or JSON Lines.

Rows (:class:`~sla_clock.metric_status.RawRow`, integers) are taken a block at a time,
turned into columns (:func:`sla_clock.bulk._histories.row_columns`) and into text with the
writers of ``batch`` (:mod:`sla_clock.batch._texts`), so each cell is what
:meth:`MetricStatus.to_dict <sla_clock.MetricStatus.to_dict>` gives: ISO 8601 instants in
the row's calendar's zone, seconds as an integer when whole.

>>> import io
>>> from sla_clock import BusinessCalendar
>>> from sla_clock.metric_status import RawRow
>>> cal = BusinessCalendar.default()
>>> row = RawRow("T-1", "resolution", 1, "P1", 0, 1795453200000000, 1795453200000000,
...              3_600_000_000, 39_600_000_000, 0, None, 3_600_000_000, cal)
>>> out = io.StringIO()
>>> write_rows(out, "jsonl", iter([row]))
1
>>> print(out.getvalue(), end="")  # doctest: +NORMALIZE_WHITESPACE
{"ticket": "T-1", "metric": "resolution", "cycle": 1, "priority": "P1", "state": "running",
 "due_at": "2026-11-23T14:00:00-03:00", "breach_at": "2026-11-23T14:00:00-03:00",
 "used_seconds": 3600, "remaining_seconds": 39600, "escalation_level": 0,
 "elapsed_seconds": 3600}
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from itertools import islice
from json.encoder import encode_basestring
from typing import TextIO

from .._clock import STATE_CODES
from ..bulk._histories import RowColumns, row_columns
from ..metric_status import METRIC_COLUMNS, RawRow
from ._csv import Format
from ._texts import int_texts, iso_texts, seconds_texts

__all__ = ["write_rows"]

#: Rows turned into text at a time.
_BLOCK = 8_192


def write_rows(writer: TextIO, output_format: Format, rows: Iterator[RawRow]) -> int:
    """Write ``rows`` as CSV (with its header) or JSON Lines; return how many."""
    out = csv.writer(writer, lineterminator="\n") if output_format == "csv" else None
    if out is not None:
        out.writerow(METRIC_COLUMNS)
    count = 0
    while block := list(islice(rows, _BLOCK)):
        cells = _cells(row_columns(block))
        if out is not None:
            out.writerows(zip(*cells, strict=True))
        else:
            writer.writelines(_json_lines(cells))
        count += len(block)
    return count


def _cells(cols: RowColumns) -> list[list[str]]:
    """The text of each column, in :data:`~sla_clock.metric_status.METRIC_COLUMNS` order."""
    if len(cols.calendars) == 1:  # one calendar for every row: the usual case
        calendar = cols.calendars[0][0]
        due, breach = iso_texts(calendar, cols.due), iso_texts(calendar, cols.breach)
    else:
        due, breach = [""] * len(cols.ticket), [""] * len(cols.ticket)
        for calendar, rows in cols.calendars:
            for column, instants in ((due, cols.due), (breach, cols.breach)):
                texts = iso_texts(calendar, instants[rows])
                for row, text in zip(rows.tolist(), texts, strict=True):
                    column[row] = text
    return [
        cols.ticket,
        cols.metric,
        int_texts(cols.cycle),
        cols.priority,
        [STATE_CODES[code] for code in cols.state.tolist()],
        due,
        breach,
        seconds_texts(cols.used),
        seconds_texts(cols.remaining),
        int_texts(cols.level),
        seconds_texts(cols.elapsed),
    ]


def _json_lines(cells: list[list[str]]) -> Iterator[str]:
    """Each row as one JSON object, as ``json.dumps(row.to_dict(), ensure_ascii=False)``."""
    text = encode_basestring
    for ticket, metric, cycle, priority, state, due, breach, used, left, level, wall in zip(
        *cells, strict=True
    ):
        yield (
            f'{{"ticket": {text(ticket)}, "metric": {text(metric)}, "cycle": {cycle}, '
            f'"priority": {text(priority)}, "state": "{state}", "due_at": "{due}", '
            f'"breach_at": "{breach}", "used_seconds": {used}, "remaining_seconds": {left}, '
            f'"escalation_level": {level}, "elapsed_seconds": {wall}}}\n'
        )
