r"""SLA compliance reports: tickets counted per group, written as a table, JSON, CSV or HTML.

``sla-clock report`` is the interface (``docs/reports.md``); this wing counts
(:mod:`._aggregate`), reads the rows it counts (:mod:`._input`), and writes the report
(:mod:`._render`, :mod:`._figures`, :mod:`._html`).

>>> import io
>>> from datetime import datetime
>>> from sla_clock import SlaPolicy
>>> from sla_clock.batch._pipeline import BatchSummary
>>> from sla_clock.batch._rows import Context
>>> policy = SlaPolicy.default()
>>> now = datetime(2026, 11, 25, 12, tzinfo=policy.calendar.zone)
>>> ctx = Context(policy, policy.calendar, now, policy.calendar.to_us(now), "t.csv")
>>> text = "id,priority,opened,resolved\n1,P1,2026-11-23 14:00,2026-11-23 16:00\n"
>>> tally = Tally(policy.calendar, DEFAULT_BY, levels=len(policy.escalation))
>>> for rows in report_rows(io.StringIO(text), ctx, "tickets", "csv", DEFAULT_BY,
...                         Window(None, None), None, BatchSummary()):
...     tally.add(rows)
>>> report_json(now, DEFAULT_BY, tally.groups())["groups"][0]["met"]
1
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator, Mapping, Sequence
from typing import TextIO, cast

from ..batch._csv import Format
from ..batch._pipeline import BatchSummary
from ..batch._rows import Context
from ..errors import TicketError
from ._aggregate import DEFAULT_BY, GroupResult, Rows, Tally
from ._figures import share_figure
from ._html import html_report
from ._input import Window, arrow_rows, batch_rows, event_rows, tickets_to_batch
from ._render import as_json as report_json
from ._render import csv_text, table_text

__all__ = [
    "DEFAULT_BY",
    "GroupResult",
    "Rows",
    "Tally",
    "Window",
    "csv_text",
    "html_report",
    "report_json",
    "report_rows",
    "share_figure",
    "table_text",
]


def report_rows(
    reader: TextIO | str,
    ctx: Context,
    kind: str,
    input_format: str,
    by: Sequence[str],
    window: Window,
    columns: Mapping[str, str] | None,
    summary: BatchSummary,
) -> Iterator[Rows]:
    """The rows a report counts, from a file of ``kind`` (tickets, batch or events).

    ``reader`` is the text of a CSV or JSON Lines file, or the path of a Parquet or Arrow one.
    """
    if isinstance(reader, str):
        if kind == "events":
            msg = f"{ctx.name}: an events file is read as JSON Lines or CSV, not {input_format}"
            raise TicketError(msg)
        yield from arrow_rows(reader, input_format, ctx, by, columns, window, summary)
        return
    text_format = cast("Format", input_format)
    if kind == "events":
        yield from event_rows(reader, ctx, text_format, by, window)
        return
    with tempfile.TemporaryFile("w+", encoding="utf-8", newline="") as out:
        tickets_to_batch(reader, out, ctx, text_format, columns, summary)
        out.seek(0)
        yield from batch_rows(out, ctx, by, columns, window)
