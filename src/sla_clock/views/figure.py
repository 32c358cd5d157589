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
import textwrap
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
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

from ._formats import format_date, format_datetime, format_duration, format_share
from ._timeline_facts import Mark, TimelineFacts, marks_of, timeline_facts
from ._words import Language, holiday_label, priority_name, state_name, text

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.typing import RcKeyType

    from ..calendar import BusinessCalendar
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
_COLORS: Mapping[str, str] = {
    "night": "#e4e4e4",
    "closed_day": "#c9c9c9",
    "open": "#fdf6d8",
    "pause": "#6d4c41",
    "used": "#4c78a8",
    "late": "#d62728",
    "left": "#aec7e8",
    "opened": "#222222",
    "now": "#222222",
    "resolved": "#2ca02c",
    "due": "#ff7f0e",
    "breach": "#d62728",
    "escalation": "#7b3fa0",
}
#: Where the clock lane sits, in axes fractions.
_LANE = (0.05, 0.15)
_LABEL_TOP = 0.97
_LABEL_STEP = 0.09
_FIG_SIZE = (11.0, 3.8)
#: Characters per line of a closed day's note (drawn vertically in the day).
_NOTE_WIDTH = 28
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_DAY = timedelta(days=1)


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


def _midnight(calendar: BusinessCalendar, day: date) -> datetime:
    return calendar.localize(datetime.combine(day, time()))


def _days(first: date, last: date) -> Iterator[date]:
    """Yield the local dates from ``first`` to ``last``, both included."""
    for ordinal in range(first.toordinal(), last.toordinal() + 1):
        yield date.fromordinal(ordinal)


def _span(
    calendar: BusinessCalendar, instants: Sequence[datetime]
) -> tuple[list[date], datetime, datetime]:
    """Return the whole local days covering ``instants``, and their first and last midnight.

    An instant exactly at a midnight (after the first day) ends the day before it.
    """
    local = [calendar.localize(at) for at in instants]
    first = min(local).date()
    last = max(local)
    last_day = last.date()
    if last.time() == time() and last_day > first:
        last_day -= timedelta(days=1)
    days = list(_days(first, last_day))
    return days, _midnight(calendar, first), _midnight(calendar, last_day + timedelta(days=1))


def _x(at: datetime) -> float:
    """Return the x of an instant: days since the Unix epoch, matplotlib's date numbers."""
    return (at - _EPOCH) / _DAY


def _draw_calendar(
    ax: Axes,
    calendar: BusinessCalendar,
    days: Sequence[date],
    span: tuple[datetime, datetime],
    lang: Language,
) -> bool:
    """Grey the span, draw closed days darker and opening hours as light bands.

    Returns:
        Whether a whole day of the span is closed.
    """
    ax.axvspan(_x(span[0]), _x(span[1]), color=_COLORS["night"], lw=0, zorder=0)
    names: dict[date, str] = {}
    categories: dict[date, str] = {}
    for year in sorted({day.year for day in days}):
        names.update(calendar.holidays.names(year, lang=lang))
        categories.update(calendar.holidays.categories_of(year))
    label_y = (_LANE[1] + _LABEL_TOP) / 2
    closed_days = [day for day in days if not calendar.day_hours(day)]
    for day in closed_days:
        start = _midnight(calendar, day)
        end = _midnight(calendar, day + timedelta(days=1))
        ax.axvspan(_x(start), _x(end), color=_COLORS["closed_day"], lw=0, zorder=0.5)
        if day.weekday() < 5 or day in names:
            name = names.get(day)
            label = holiday_label(categories.get(day), lang)
            note = f"{label}: {name}" if name else text("company_closed", lang)
            note = textwrap.fill(note, _NOTE_WIDTH)
            ax.text(
                (_x(start) + _x(end)) / 2,
                label_y,
                note,
                rotation=90,
                ha="center",
                va="center",
                fontsize=7,
                color="#555555",
                transform=blended_transform_factory(ax.transData, ax.transAxes),
                zorder=1,
            )
    for opening, closing in calendar.open_intervals(span[0], span[1]):
        ax.axvspan(_x(opening), _x(closing), color=_COLORS["open"], lw=0, zorder=0.6)
    return bool(closed_days)


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
            _x(start),
            _x(end),
            facecolor="none",
            edgecolor=_COLORS["pause"],
            hatch="///",
            lw=0,
            zorder=2,
        )
    if ticket.pauses:
        handles.append(
            Patch(
                facecolor="none",
                edgecolor=_COLORS["pause"],
                hatch="///",
                label=text("pause", lang),
            )
        )
    lane = (_LANE[0], _LANE[1] - _LANE[0])
    breach_us = to_us(status.breach_at)
    used: list[tuple[float, float]] = []
    late: list[tuple[float, float]] = []
    for opening, closing in facts.counted:
        a, b = to_us(opening), to_us(closing)
        if a < breach_us:
            used.append((_x(opening), _x(min(closing, status.breach_at, key=to_us)) - _x(opening)))
        if b > breach_us:
            start = max(opening, status.breach_at, key=to_us)
            late.append((_x(start), _x(closing) - _x(start)))
    ax.broken_barh(used, lane, facecolors=_COLORS["used"], zorder=3)
    handles.append(Patch(color=_COLORS["used"], label=text("used_time", lang)))
    if late:
        ax.broken_barh(late, lane, facecolors=_COLORS["late"], zorder=3)
        handles.append(Patch(color=_COLORS["late"], label=text("late_time", lang)))
    if status.resolved_at is None and to_us(status.as_of) < to_us(status.due_at):
        left = [
            (_x(a), _x(b) - _x(a)) for a, b in calendar.open_intervals(status.as_of, status.due_at)
        ]
        ax.broken_barh(left, lane, facecolors=_COLORS["left"], zorder=3)
        handles.append(Patch(color=_COLORS["left"], label=text("left_time", lang)))
    return handles


def _draw_marks(ax: Axes, marks: Sequence[Mark], span: tuple[datetime, datetime]) -> None:
    """Draw each mark as a vertical line with its label, stacking labels that would overlap."""
    left, right = _x(span[0]), _x(span[1])
    width = right - left
    # A label's width in data units, from its length: 8 pt characters of about 0.6 em on
    # an axes about 0.9 of the figure's width.
    per_char = width * (8 * 0.6 / 72) / (_FIG_SIZE[0] * 0.9)
    ends: list[float] = []  # the right end of the last label in each row
    blend = blended_transform_factory(ax.transData, ax.transAxes)
    for mark in marks:
        x = _x(mark.at)
        style = "--" if mark.kind == "now" else ":" if mark.kind == "escalation" else "-"
        ax.axvline(x, color=_COLORS[mark.kind], ls=style, lw=1.4, zorder=5, gid=f"mark-{mark.kind}")
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
            _LABEL_TOP - row * _LABEL_STEP,
            f" {mark.label} ",
            transform=blend,
            ha="right" if flip else "left",
            va="top",
            fontsize=8,
            color=_COLORS[mark.kind],
            bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.85, "pad": 1},
            zorder=6,
        )


def _draw_axis(
    ax: Axes,
    calendar: BusinessCalendar,
    days: Sequence[date],
    span: tuple[datetime, datetime],
    lang: Language,
) -> None:
    """Label each day at its noon and draw a grid line at each midnight."""
    step = max(1, len(days) // 12)
    shown = days[::step]
    ax.set_xticks(
        [_x(calendar.localize(datetime.combine(day, time(12)))) for day in shown],
        [format_date(day, lang) for day in shown],
    )
    ax.tick_params(axis="x", which="major", length=0, labelsize=8)
    ax.set_xticks(
        [_x(_midnight(calendar, day)) for day in [*days[1:], days[-1] + timedelta(days=1)]],
        minor=True,
    )
    ax.grid(axis="x", which="minor", color="#888888", lw=0.6)
    ax.set_xlim(_x(span[0]), _x(span[1]))
    ax.set_ylim(0, 1)
    ax.set_yticks([])
    ax.set_xlabel(f"{text('timezone', lang)}: {calendar.timezone}", fontsize=8)


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
    days, first, last = _span(calendar, [m.at for m in marks])
    with mpl_style.context("default"), mpl.rc_context(_RC):
        fig = Figure(figsize=_FIG_SIZE, layout="constrained")
        FigureCanvasAgg(fig)
        ax = fig.add_subplot()
        handles = [
            Patch(color=_COLORS["open"], label=text("open_hours", lang)),
            Patch(color=_COLORS["night"], label=text("night", lang)),
        ]
        if _draw_calendar(ax, calendar, days, (first, last), lang):
            handles.append(Patch(color=_COLORS["closed_day"], label=text("closed_day", lang)))
        handles.extend(_draw_clock(ax, facts, lang))
        _draw_marks(ax, marks, (first, last))
        _draw_axis(ax, calendar, days, (first, last), lang)
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
