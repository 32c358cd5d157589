"""A report written out: one JSON object, CSV, or a table for people (English or Portuguese).

``--json`` is ``{"now": ..., "by": [...], "groups": [...]}``; each group has its keys, then
``tickets``, ``met``, ``missed``, ``open_on_time``, ``open_breached``, ``on_time_share``,
``used_median_seconds``, ``used_p90_seconds`` and ``escalated`` (how many tickets reached
level 1, 2, ...). ``--csv`` has one row per group, the levels as ``escalated_1``, ...

>>> from ._aggregate import GroupResult
>>> g = GroupResult(("P1", "2026-11"), 4, 2, 1, 1, 0, 0.75, 3600.0, 7200.0, (1, 0))
>>> print(csv_text(("priority", "month"), [g]), end="")
priority,month,tickets,met,missed,open_on_time,open_breached,on_time_share,used_median_seconds,used_p90_seconds,escalated_1,escalated_2
P1,2026-11,4,2,1,1,0,0.75,3600.0,7200.0,1,0
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from ..views._words import Language
from ._aggregate import GroupResult

__all__ = ["COUNTS", "as_json", "csv_text", "table_text"]

#: The numbers of a group, in order, after its keys.
COUNTS = (
    "tickets",
    "met",
    "missed",
    "open_on_time",
    "open_breached",
    "on_time_share",
    "used_median_seconds",
    "used_p90_seconds",
)
_HEADINGS = {
    "en": {
        "tickets": "tickets",
        "met": "met",
        "missed": "missed",
        "open_on_time": "open, on time",
        "open_breached": "open, late",
        "on_time_share": "on time",
        "used_median_seconds": "median used",
        "used_p90_seconds": "p90 used",
        "escalated": "escalated",
        "title": "SLA compliance as of {now}",
        "none": "no ticket opened in the window",
    },
    "pt": {
        "tickets": "chamados",
        "met": "no prazo",
        "missed": "fora do prazo",
        "open_on_time": "abertos no prazo",
        "open_breached": "abertos atrasados",
        "on_time_share": "no prazo (%)",
        "used_median_seconds": "mediana usada",
        "used_p90_seconds": "p90 usado",
        "escalated": "escalados",
        "title": "Cumprimento do SLA em {now}",
        "none": "nenhum chamado aberto no período",
    },
}


def as_json(now: datetime, by: Sequence[str], groups: Sequence[GroupResult]) -> dict[str, Any]:
    """The report as the object ``--json`` prints."""
    return {
        "now": now.isoformat(),
        "by": list(by),
        "groups": [
            {
                **dict(zip(by, g.keys, strict=True)),
                **_numbers(g),
                **{metric: _numbers(other) for metric, other in g.also},
            }
            for g in groups
        ],
    }


def _numbers(g: GroupResult) -> dict[str, Any]:
    return {**{name: getattr(g, name) for name in COUNTS}, "escalated": list(g.escalated)}


def csv_text(by: Sequence[str], groups: Sequence[GroupResult]) -> str:
    """The report as CSV: one row per group; another metric's columns start with its name."""
    levels = len(groups[0].escalated) if groups else 0
    names = [*COUNTS, *(f"escalated_{k + 1}" for k in range(levels))]
    others = sorted({metric for g in groups for metric, _ in g.also})
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*by, *names, *(f"{metric}_{name}" for metric in others for name in names)])
    for g in groups:
        also = dict(g.also)
        cells = [*g.keys, *_cells(g)]
        for metric in others:
            cells += _cells(also[metric]) if metric in also else [""] * len(names)
        writer.writerow(cells)
    return out.getvalue()


def _cells(g: GroupResult) -> list[Any]:
    return [*(getattr(g, name) for name in COUNTS), *g.escalated]


def _share(g: GroupResult | None) -> str:
    """A group's on-time share, in the table (``-``: no ticket)."""
    if g is None or g.on_time_share is None:
        return "-"
    return f"{100 * g.on_time_share:.1f} %"


def _hours(seconds: float | None) -> str:
    return "-" if seconds is None else f"{seconds / 3600:.1f} h"


def table_text(
    now: datetime, by: Sequence[str], groups: Sequence[GroupResult], lang: Language
) -> str:
    """The report as a table for people, in ``lang``."""
    words = _HEADINGS["pt" if lang == "pt" else "en"]
    lines = [words["title"].format(now=now.strftime("%Y-%m-%d %H:%M %z"))]
    if not groups:
        return "\n".join([*lines, words["none"]]) + "\n"
    others = sorted({metric for g in groups for metric, _ in g.also})
    heads = [*by, *(words[name] for name in COUNTS), words["escalated"], *others]
    rows = [
        [
            *g.keys,
            str(g.tickets),
            str(g.met),
            str(g.missed),
            str(g.open_on_time),
            str(g.open_breached),
            _share(g),
            _hours(g.used_median_seconds),
            _hours(g.used_p90_seconds),
            " / ".join(str(n) for n in g.escalated) or "-",
            *(_share(dict(g.also).get(metric)) for metric in others),
        ]
        for g in groups
    ]
    widths = [max(len(cell) for cell in column) for column in zip(heads, *rows, strict=True)]
    for cells in (heads, *rows):
        lines.append(
            "  ".join(cell.ljust(w) for cell, w in zip(cells, widths, strict=True)).rstrip()
        )
    return "\n".join(lines) + "\n"
