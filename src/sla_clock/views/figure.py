"""Pictures of a ticket's SLA timeline, drawn from the same computations as its status.

:func:`plot_timeline` draws, on a real-time axis in the calendar's zone, the desk's opening
hours as bands (nights, weekends, holidays and closed dates greyed), the ticket's pauses
hatched, the business time it used (and, while it is open, the time left up to the
deadline) and vertical marks at its opening, ``now``, ``due_at``, ``breach_at``, each
escalation level and its resolution. Every instant comes from the library: ``due_at`` and
``breach_at`` from :meth:`SlaPolicy.status <sla_clock.policy.SlaPolicy.status>`, the
escalation instants and the counted time from the ticket's SLA clock, all computed once
(:func:`timeline_facts`) and drawn by :func:`draw_timeline`; the bands from
:meth:`BusinessCalendar.open_intervals <sla_clock.calendar.BusinessCalendar.open_intervals>`.

It needs matplotlib, the ``docs`` extra (``pip install 'sla-clock[docs]'``). Only
:class:`matplotlib.figure.Figure` with the Agg canvas is used: no ``pyplot``, no GUI, no
global state. A file written with ``path=`` is reproducible: SVG text stays text, element
ids come from a fixed salt and no date is written in the metadata.

>>> from datetime import datetime
>>> from zoneinfo import ZoneInfo
>>> from sla_clock import SlaPolicy, Ticket
>>> sp = ZoneInfo("America/Sao_Paulo")
>>> ticket = Ticket(opened_at=datetime(2026, 11, 23, 14, 0, tzinfo=sp), priority="P0")
>>> fig = plot_timeline(SlaPolicy.default(), ticket, datetime(2026, 11, 24, 15, 0, tzinfo=sp))
>>> print(fig.axes[0].get_title())
P0 Highest · target 4:00:00
state: breached · used 10:00:00 of 4:00:00 (250.0 %) · as of Tue 2026-11-24 15:00
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

try:
    import matplotlib as mpl
    import matplotlib.style as mpl_style
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch
    from matplotlib.transforms import blended_transform_factory
except ImportError as exc:
    msg = "sla_clock.views.figure needs matplotlib; install it with: pip install 'sla-clock[docs]'"
    raise ImportError(msg) from exc

from ._figure_calendar import (
    COLORS,
    FIG_SIZE,
    LABEL_STEP,
    LABEL_TOP,
    LANE,
    draw_axis,
    draw_calendar,
    span_of,
    x_of,
)
from ._formats import format_datetime, format_duration, format_share
from ._timeline_facts import Mark, TimelineFacts, marks_of, timeline_facts
from ._words import Language, priority_name, state_name, text

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.typing import RcKeyType

    from ..policy import SlaPolicy
    from ..status import SlaStatus
    from ..ticket import Ticket

__all__ = [
    "PLOT_FORMATS",
    "Mark",
    "PlotFormat",
    "TimelineFacts",
    "draw_timeline",
    "plot_format",
    "plot_timeline",
    "timeline_facts",
    "timeline_marks",
]

#: A file format :func:`plot_timeline` writes, chosen by the file's extension.
PlotFormat = Literal["svg", "png"]
#: Every format, by extension.
PLOT_FORMATS: tuple[PlotFormat, ...] = ("svg", "png")

#: Matplotlib settings of every figure: reproducible SVG with searchable text.
_RC: dict[RcKeyType, Any] = {
    "svg.hashsalt": "sla-clock",
    "svg.fonttype": "none",
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "hatch.linewidth": 0.8,
}


def plot_format(path: str | os.PathLike[str]) -> PlotFormat:
    """Return the file format of ``path`` from its extension.

    Raises:
        ValueError: the extension is not ``.svg`` or ``.png``.

    >>> plot_format("docs/img/timeline.SVG")
    'svg'
    """
    suffix = Path(path).suffix.lower().lstrip(".")
    for fmt in PLOT_FORMATS:
        if suffix == fmt:
            return fmt
    msg = f"cannot tell the picture format of {str(path)!r}; name the file *.svg or *.png"
    raise ValueError(msg)


def timeline_marks(
    policy: SlaPolicy, ticket: Ticket, now: datetime, *, lang: Language = "en"
) -> list[Mark]:
    """Return the instants :func:`plot_timeline` marks, in time order (see :func:`marks_of`).

    >>> from zoneinfo import ZoneInfo
    >>> from sla_clock import SlaPolicy, Ticket
    >>> sp = ZoneInfo("America/Sao_Paulo")
    >>> ticket = Ticket(opened_at=datetime(2026, 11, 23, 14, 0, tzinfo=sp), priority="P0")
    >>> now = datetime(2026, 11, 24, 15, 0, tzinfo=sp)
    >>> [m.label for m in timeline_marks(SlaPolicy.default(), ticket, now)][2:5]
    ['team leaders Tue 09:00', 'breached after Tue 09:00', 'coordination Tue 13:00']
    """
    return marks_of(timeline_facts(policy, ticket, now), lang=lang)


def _draw_clock(ax: Axes, facts: TimelineFacts, lang: Language) -> list[Patch]:
    """Draw the pauses, the business time used and the time left; return legend handles."""
    calendar, ticket, status = facts.policy.calendar, facts.ticket, facts.status
    to_us = calendar.to_us
    handles: list[Patch] = []
    until = status.resolved_at or status.as_of
    for pause in ticket.pauses:
        start = pause.start
        end = pause.end if pause.end is not None and to_us(pause.end) <= to_us(until) else until
        if to_us(start) >= to_us(until):
            continue
        ax.axvspan(
            x_of(start),
            x_of(end),
            facecolor="none",
            edgecolor=COLORS["pause"],
            hatch="///",
            lw=0,
            zorder=2,
        )
    if ticket.pauses:
        handles.append(
            Patch(
                facecolor="none",
                edgecolor=COLORS["pause"],
                hatch="///",
                label=text("pause", lang),
            )
        )
    lane = (LANE[0], LANE[1] - LANE[0])
    breach_us = to_us(status.breach_at)
    used: list[tuple[float, float]] = []
    late: list[tuple[float, float]] = []
    for opening, closing in facts.counted:
        a, b = to_us(opening), to_us(closing)
        if a < breach_us:
            used.append(
                (x_of(opening), x_of(min(closing, status.breach_at, key=to_us)) - x_of(opening))
            )
        if b > breach_us:
            start = max(opening, status.breach_at, key=to_us)
            late.append((x_of(start), x_of(closing) - x_of(start)))
    ax.broken_barh(used, lane, facecolors=COLORS["used"], zorder=3)
    handles.append(Patch(color=COLORS["used"], label=text("used_time", lang)))
    if late:
        ax.broken_barh(late, lane, facecolors=COLORS["late"], zorder=3)
        handles.append(Patch(color=COLORS["late"], label=text("late_time", lang)))
    if status.resolved_at is None and to_us(status.as_of) < to_us(status.due_at):
        left = [
            (x_of(a), x_of(b) - x_of(a))
            for a, b in calendar.open_intervals(status.as_of, status.due_at)
        ]
        ax.broken_barh(left, lane, facecolors=COLORS["left"], zorder=3)
        handles.append(Patch(color=COLORS["left"], label=text("left_time", lang)))
    return handles


def _draw_marks(ax: Axes, marks: Sequence[Mark], span: tuple[datetime, datetime]) -> None:
    """Draw each mark as a vertical line with its label, stacking labels that would overlap."""
    left, right = x_of(span[0]), x_of(span[1])
    width = right - left
    # A label's width in data units, from its length: 8 pt characters of about 0.6 em on
    # an axes about 0.9 of the figure's width.
    per_char = width * (8 * 0.6 / 72) / (FIG_SIZE[0] * 0.9)
    ends: list[float] = []  # the right end of the last label in each row
    blend = blended_transform_factory(ax.transData, ax.transAxes)
    for mark in marks:
        x = x_of(mark.at)
        style = "--" if mark.kind == "now" else ":" if mark.kind == "escalation" else "-"
        ax.axvline(x, color=COLORS[mark.kind], ls=style, lw=1.4, zorder=5, gid=f"mark-{mark.kind}")
        size = (len(mark.label) + 1) * per_char
        flip = x + size > right
        lo, hi = (x - size, x) if flip else (x, x + size)
        row = next((i for i, end in enumerate(ends) if end < lo), len(ends))
        if row == len(ends):
            ends.append(hi)
        else:
            ends[row] = hi
        ax.text(
            x,
            LABEL_TOP - row * LABEL_STEP,
            f" {mark.label} ",
            transform=blend,
            ha="right" if flip else "left",
            va="top",
            fontsize=8,
            color=COLORS[mark.kind],
            bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.85, "pad": 1},
            zorder=6,
        )


def _title(policy: SlaPolicy, ticket: Ticket, status: SlaStatus, lang: Language) -> str:
    """Return the two title lines: the ticket and its target, then its status."""
    priority = policy.priority(status.priority)
    ticket_id = f"{ticket.id} · " if ticket.id else ""
    used = (
        f"{text('used', lang)} {format_duration(status.used)} {text('of', lang)} "
        f"{format_duration(status.target)} ({format_share(status.share_used, lang)})"
    )
    return (
        f"{ticket_id}{priority.code} {priority_name(priority, lang)} · "
        f"{text('target', lang)} {format_duration(status.target)}\n"
        f"{text('state', lang)}: {state_name(status.state, lang)} · {used} · "
        f"{text('as_of', lang)} {format_datetime(status.as_of, lang)}"
    )


def plot_timeline(
    policy: SlaPolicy,
    ticket: Ticket,
    now: datetime,
    *,
    lang: Language = "en",
    path: str | os.PathLike[str] | None = None,
) -> Figure:
    """Draw the SLA timeline of ``ticket`` as of ``now`` and return the matplotlib Figure.

    The axis runs in real time over the whole local days from the opening to the last mark
    (``now``, ``breach_at``, the last escalation level, the resolution), in the calendar's
    zone. The status and the clock are computed once (:func:`timeline_facts`) and drawn by
    :func:`draw_timeline`.

    Args:
        policy: the policy (and its calendar) the ticket runs on.
        ticket: the ticket.
        now: the instant of the status, an aware datetime.
        lang: ``en`` or ``pt``, the language of every label.
        path: when given, the file to write, ``*.svg`` or ``*.png`` (reproducible bytes).

    Returns:
        The figure, on an Agg canvas (``fig.savefig`` writes other copies).

    Raises:
        ValueError: ``path`` does not end in ``.svg`` or ``.png``.
        NaiveDatetimeError: ``now`` has no timezone.
        UnknownPriorityError: the ticket's priority is not in the policy.
        OSError: ``path`` cannot be written.
    """
    fmt = None if path is None else plot_format(path)
    return draw_timeline(timeline_facts(policy, ticket, now), lang=lang, path=path, fmt=fmt)


def draw_timeline(
    facts: TimelineFacts,
    *,
    lang: Language = "en",
    path: str | os.PathLike[str] | None = None,
    fmt: PlotFormat | None = None,
) -> Figure:
    """Draw the timeline of ``facts`` (from :func:`timeline_facts`); compute nothing again.

    Args:
        facts: the ticket's status, counted periods and escalation instants.
        lang: ``en`` or ``pt``, the language of every label.
        path: when given, the file to write.
        fmt: the format of ``path``; default: from its extension (:func:`plot_format`).

    Returns:
        The figure, on an Agg canvas.

    Raises:
        ValueError: ``path`` does not end in ``.svg`` or ``.png``.
        OSError: ``path`` cannot be written.
    """
    if path is not None and fmt is None:
        fmt = plot_format(path)
    calendar, status = facts.policy.calendar, facts.status
    marks = marks_of(facts, lang=lang)
    days, first, last = span_of(calendar, [m.at for m in marks])
    with mpl_style.context("default"), mpl.rc_context(_RC):
        fig = Figure(figsize=FIG_SIZE, layout="constrained")
        FigureCanvasAgg(fig)
        ax = fig.add_subplot()
        handles = [
            Patch(color=COLORS["open"], label=text("open_hours", lang)),
            Patch(color=COLORS["night"], label=text("night", lang)),
        ]
        if draw_calendar(ax, calendar, days, (first, last), lang):
            handles.append(Patch(color=COLORS["closed_day"], label=text("closed_day", lang)))
        handles.extend(_draw_clock(ax, facts, lang))
        _draw_marks(ax, marks, (first, last))
        draw_axis(ax, calendar, days, (first, last), lang)
        ax.set_title(_title(facts.policy, facts.ticket, status, lang), fontsize=10)
        fig.legend(handles=handles, loc="outside lower center", ncols=4, fontsize=8, frameon=False)
        if path is not None and fmt is not None:
            # No date and no matplotlib version: the bytes depend on the drawing only.
            metadata: dict[str, Any] = (
                {"Date": None, "Creator": "sla-clock"}
                if fmt == "svg"
                else {"Software": "sla-clock"}
            )
            fig.savefig(path, format=fmt, metadata=metadata, dpi=150 if fmt == "png" else None)
    return fig
