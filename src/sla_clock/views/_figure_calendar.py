"""The calendar side of a timeline figure: its colours, the days it spans, bands and axis.

Opening hours as light bands, nights grey, closed days (weekends, holidays, the company's
closed dates) darker with their name, and the date axis, all in the calendar's zone. The
ticket side (its counted time, pauses and marks) is drawn by :mod:`sla_clock.views.figure`.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING

from matplotlib.transforms import blended_transform_factory

from ._calendar_year import holidays_in_force
from ._formats import format_date
from ._words import Language, holiday_label, text

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from ..calendar import BusinessCalendar

__all__ = [
    "COLORS",
    "FIG_SIZE",
    "LABEL_STEP",
    "LABEL_TOP",
    "LANE",
    "dates_between",
    "draw_axis",
    "draw_calendar",
    "midnight",
    "span_of",
    "x_of",
]

#: The colours of every part of the figure.
COLORS: Mapping[str, str] = {
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
LANE = (0.05, 0.15)
LABEL_TOP = 0.97
LABEL_STEP = 0.09
FIG_SIZE = (11.0, 3.8)
#: Characters per line of a closed day's note (drawn vertically in the day).
NOTE_WIDTH = 28
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
DAY = timedelta(days=1)


def midnight(calendar: BusinessCalendar, day: date) -> datetime:
    return calendar.localize(datetime.combine(day, time()))


def dates_between(first: date, last: date) -> Iterator[date]:
    """Yield the local dates from ``first`` to ``last``, both included."""
    for ordinal in range(first.toordinal(), last.toordinal() + 1):
        yield date.fromordinal(ordinal)


def span_of(
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
    days = list(dates_between(first, last_day))
    return days, midnight(calendar, first), midnight(calendar, last_day + timedelta(days=1))


def x_of(at: datetime) -> float:
    """Return the x of an instant: days since the Unix epoch, matplotlib's date numbers."""
    return (at - EPOCH) / DAY


def draw_calendar(
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
    ax.axvspan(x_of(span[0]), x_of(span[1]), color=COLORS["night"], lw=0, zorder=0)
    names: dict[date, str] = {}
    categories: dict[date, str] = {}
    for year in sorted({day.year for day in days}):
        year_names, year_categories = holidays_in_force(calendar, year, lang)
        names.update(year_names)
        categories.update(year_categories)
    label_y = (LANE[1] + LABEL_TOP) / 2
    closed_days = [day for day in days if not calendar.day_hours(day)]
    for day in closed_days:
        start = midnight(calendar, day)
        end = midnight(calendar, day + timedelta(days=1))
        ax.axvspan(x_of(start), x_of(end), color=COLORS["closed_day"], lw=0, zorder=0.5)
        if day.weekday() < 5 or day in names:
            name = names.get(day)
            label = holiday_label(categories.get(day), lang)
            note = f"{label}: {name}" if name else text("company_closed", lang)
            note = textwrap.fill(note, NOTE_WIDTH)
            ax.text(
                (x_of(start) + x_of(end)) / 2,
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
        ax.axvspan(x_of(opening), x_of(closing), color=COLORS["open"], lw=0, zorder=0.6)
    return bool(closed_days)


def draw_axis(
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
        [x_of(calendar.localize(datetime.combine(day, time(12)))) for day in shown],
        [format_date(day, lang) for day in shown],
    )
    ax.tick_params(axis="x", which="major", length=0, labelsize=8)
    ax.set_xticks(
        [x_of(midnight(calendar, day)) for day in [*days[1:], days[-1] + timedelta(days=1)]],
        minor=True,
    )
    ax.grid(axis="x", which="minor", color="#888888", lw=0.6)
    ax.set_xlim(x_of(span[0]), x_of(span[1]))
    ax.set_ylim(0, 1)
    ax.set_yticks([])
    ax.set_xlabel(f"{text('timezone', lang)}: {calendar.timezone}", fontsize=8)
