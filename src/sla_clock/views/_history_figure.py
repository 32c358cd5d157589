"""One ticket history's metric rows as lanes on its timeline (docs/img/ticket-history.svg).

Each lane is a row of :func:`~sla_clock.metric_status.ticket_rows`: the open periods its
clock counted (red past its ``breach_at``), the time it did not count (a pause, or resolved
until reopened), its ``due_at`` and ``breach_at``. Vertical marks show the ticket's events.
Every instant comes from :func:`~sla_clock.metric_status.row_clocks`, the clocks of
``batch --events``; nothing is computed here. Needs matplotlib.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from datetime import datetime
from itertools import pairwise
from typing import TYPE_CHECKING, Any

import matplotlib as mpl
import matplotlib.style as mpl_style
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from ..metric_status import histories, row_clocks, ticket_rows
from ._figure_calendar import COLORS, LABEL_STEP, LABEL_TOP, draw_axis, draw_calendar, span_of
from ._figure_calendar import x_of as x
from ._formats import format_clock, format_datetime
from ._words import WEEKDAYS, Language, TextKey, state_name, text
from .figure import _RC, plot_format  # _RC: the timeline figure's reproducible settings

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from ..history import Event, History
    from ..metric_status import MetricStatus, RowClock
    from ..policy import SlaPolicy

__all__ = ["HISTORY_SIZE", "LANE_HEIGHT", "METRIC_KEYS", "lane_y", "plot_history"]

HISTORY_SIZE = (11.0, 5.0)
LANE_HEIGHT = 0.1
#: The colours of the event marks.
EVENT_COLORS: Mapping[str, str] = {
    "opened": COLORS["opened"],
    "agent_reply": "#1f77b4",
    "priority": "#7b3fa0",
    "resolved": COLORS["resolved"],
    "reopened": "#8c564b",
    "now": COLORS["now"],
}
#: The colour of each legend entry.
LEGEND: Mapping[TextKey, str] = {"open_hours": "open", "night": "night", "used_time": "used"}
#: The text key of each metric's name.
METRIC_KEYS: Mapping[str, TextKey] = {
    "first_response": "first_response",
    "resolution": "resolution",
}


def lane_y(index: int) -> float:
    """Return the bottom of lane ``index`` (0 at the top), in axes fractions."""
    return 0.4 - index * 0.25


def _short(at: datetime, lang: Language) -> str:
    return f"{WEEKDAYS[lang][at.weekday()]} {format_clock(at)}"


def _events(
    policy: SlaPolicy, h: History, now: datetime, lang: Language
) -> list[tuple[str, datetime, str]]:
    """Return the ticket's events as ``(kind, instant, label)``, in time order."""
    dt = policy.calendar.from_us
    found: list[tuple[str, int, str]] = [("opened", h.opened, text("opened", lang))]
    if h.first_agent_reply is not None:
        found.append(("agent_reply", h.first_agent_reply, text("agent_reply", lang)))
    for at, code in h.changes:
        found.append(("priority", at, f"{text('priority', lang)} {code}"))
    for number, (start, end) in enumerate(h.cycles):
        if number:
            found.append(("reopened", start, text("reopened", lang)))
        if end is not None:
            found.append(("resolved", end, text("resolved", lang)))
    marks = [(kind, dt(at), f"{label} {_short(dt(at), lang)}") for kind, at, label in found]
    marks.append(("now", now, f"{text('as_of', lang)} {_short(now, lang)}"))
    return sorted(marks, key=lambda mark: mark[1])


BOX = {"facecolor": "white", "edgecolor": "none", "alpha": 0.85, "pad": 1}
HATCH: Mapping[str, Any] = {"facecolor": "none", "edgecolor": COLORS["pause"], "hatch": "///"}


def _draw_events(ax: Axes, marks: Iterable[tuple[str, datetime, str]], span: float) -> None:
    """Draw each event as a vertical line, its label in the first row where it fits."""
    ends: list[float] = []
    per_char = span * (8 * 0.6 / 72) / (HISTORY_SIZE[0] * 0.9)
    for kind, at, label in marks:
        color, lo = EVENT_COLORS[kind], x(at)
        ls = "--" if kind == "now" else "-"
        ax.axvline(lo, color=color, ls=ls, lw=1.2, zorder=5, gid=f"event-{kind}")
        row = next((i for i, end in enumerate(ends) if end < lo), len(ends))
        ends[row : row + 1] = [lo + (len(label) + 1) * per_char]
        y = LABEL_TOP - row * LABEL_STEP
        ax.text(lo, y, f" {label} ", va="top", fontsize=8, color=color, zorder=6, bbox=BOX)


def _draw_lane(ax: Axes, y: float, clock: RowClock, row: MetricStatus, lang: Language) -> None:
    """Draw one row: counted periods, the time not counted, and its due_at and breach_at."""
    calendar, sla, lane = clock.rules.calendar, clock.clock.clock, (y, LANE_HEIGHT)
    windows = [*sla.windows, (sla.resume, max(sla.resume, sla.until))]
    breach = x(row.breach_at)
    for a, b in (window for window in windows if window[0] < window[1]):
        for opening, closing in calendar.open_intervals(calendar.from_us(a), calendar.from_us(b)):
            lo, hi = x(opening), x(closing)
            if lo < breach:
                ax.broken_barh([(lo, min(hi, breach) - lo)], lane, facecolors=COLORS["used"])
            if hi > breach:
                late = max(lo, breach)
                ax.broken_barh([(late, hi - late)], lane, facecolors=COLORS["late"])
    for (_, end), (start, _) in pairwise(windows):
        if start > end:  # a pause, or the time between a resolution and a reopen
            lo, hi = x(calendar.from_us(end)), x(calendar.from_us(start))
            ax.broken_barh([(lo, hi - lo)], lane, lw=0, **HATCH)
    metric = METRIC_KEYS.get(row.metric)
    name = row.metric if metric is None else text(metric, lang)
    cycle = f" · {text('cycle', lang)} {row.cycle}" if row.cycle > 1 else ""
    title = f" {name}{cycle} · {row.priority} · {state_name(row.state, lang)}"
    top = y + LANE_HEIGHT
    ax.text(ax.get_xlim()[0], top + 0.015, title, va="bottom", gid=f"lane-{row.metric}-{row.cycle}")
    shown: tuple[tuple[str, datetime, TextKey, str, float], ...] = (
        ("due", row.due_at, "due", "top", y - 0.015),
        ("breach", row.breach_at, "breach_at", "bottom", top + 0.015),
    )
    for kind, at, key, va, label_y in shown:
        ax.plot([x(at)] * 2, [y - 0.03, top + 0.03], color=COLORS[kind], lw=1.6, zorder=4)
        label = f" {text(key, lang)} {_short(calendar.localize(at), lang)}"
        gid = f"{kind}-{row.metric}-{row.cycle}"
        ax.text(x(at), label_y, label, fontsize=8, va=va, color=COLORS[kind], zorder=6, gid=gid)


def plot_history(
    policy: SlaPolicy,
    events: Iterable[Event | Mapping[str, Any]],
    now: datetime,
    *,
    ticket: str | None = None,
    lang: Language = "en",
    path: str | os.PathLike[str] | None = None,
) -> Figure:
    """Draw the metric rows of one ticket (the first one of ``events`` by default) at ``now``.

    Args:
        policy: the policy, with its ``[[metrics]]``.
        events: the events, as :func:`~sla_clock.metric_statuses` takes them.
        now: the instant of the rows, an aware datetime.
        ticket: the ticket to draw; default: the first ticket opened by ``now``.
        lang: ``en`` or ``pt``, the language of every label.
        path: when given, the file to write, ``*.svg`` or ``*.png`` (reproducible bytes).

    Returns:
        The figure, on an Agg canvas.

    Raises:
        LookupError: no such ticket is open at ``now``.
        ValueError: ``path`` does not end in ``.svg`` or ``.png``.
    """
    now_us = policy.calendar.to_us(now)
    found = [h for h in histories(policy, events, now_us) if ticket in (None, h.ticket)]
    if not found:
        msg = f"no ticket {ticket!r} opened by {now.isoformat()} in the events"
        raise LookupError(msg)
    history, calendar = found[0], policy.calendar
    clocks = list(row_clocks(policy, history, now_us))
    rows = ticket_rows(policy, history, now_us)
    local_now = calendar.localize(now)
    marks = _events(policy, history, local_now, lang)
    days, first, last = span_of(calendar, [m[1] for m in marks] + [r.breach_at for r in rows])
    with mpl_style.context("default"), mpl.rc_context(_RC):
        fig = Figure(figsize=HISTORY_SIZE, layout="constrained")
        FigureCanvasAgg(fig)
        ax = fig.add_subplot()
        closed = draw_calendar(ax, calendar, days, (first, last), lang)
        draw_axis(ax, calendar, days, (first, last), lang)
        for index, (clock, row) in enumerate(zip(clocks, rows, strict=True)):
            _draw_lane(ax, lane_y(index), clock, row, lang)
        _draw_events(ax, marks, x(last) - x(first))
        title = f"{history.ticket} · {text('as_of', lang)} {format_datetime(local_now, lang)}"
        ax.set_title(title, fontsize=10)
        handles = [Patch(color=COLORS[c], label=text(k, lang)) for k, c in LEGEND.items()]
        late = Patch(color=COLORS["late"], label=text("late_time", lang))
        handles += [late, Patch(label=text("not_counted", lang), **HATCH)]
        if closed:
            handles.insert(2, Patch(color=COLORS["closed_day"], label=text("closed_day", lang)))
        fig.legend(handles=handles, loc="outside lower center", ncols=3, fontsize=8, frameon=False)
        if path is not None:  # no date, no matplotlib version: the bytes are the drawing's
            fmt = plot_format(path)
            meta = {"Creator": "sla-clock", "Date": None} if fmt == "svg" else {"Software": None}
            fig.savefig(path, format=fmt, metadata=meta, dpi=150 if fmt == "png" else None)
    return fig
