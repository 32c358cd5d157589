"""Compliance per group: tickets fed a chunk at a time, counts and exact quantiles out.

A :class:`Tally` takes chunks of rows (:class:`Rows`: each ticket's metric, priority,
opening, state, time used, target and escalation level, plus any input column), puts each
row in its group (``--by``: ``priority``, ``month``, ``week``, ``weekday``, ``metric`` or an
input column) and keeps per group only counts and the time used, one ``int64`` a ticket, so
that the median and the 90th percentile are exact (NumPy's default, linear, method) and a
million tickets fit in a few dozen MB. It keeps, besides, what the report's figures draw:
the on-time share per priority and month, the used/target ratios per priority (as counts in
bins) and when the breaching tickets were opened (weekday by hour).

States: ``met`` and ``missed`` are closed; ``breached`` is open and late (``open_breached``);
``running``, ``at_risk`` and ``paused`` are open on time.

>>> import numpy as np
>>> from sla_clock import BusinessCalendar
>>> tally = Tally(BusinessCalendar.default(), ("priority",), levels=2)
>>> hour = 3_600_000_000
>>> tally.add(Rows(metric=["resolution"] * 2, priority=["P1", "P1"],
...                opened=np.array([1795453200000000] * 2), state=["met", "breached"],
...                used=np.array([2 * hour, 13 * hour]), target=np.array([12 * hour] * 2),
...                level=np.array([0, 1]), extra={}))
>>> [(g.keys, g.tickets, g.on_time_share, g.used_median_seconds) for g in tally.groups()]
[(('P1',), 2, 0.5, 27000.0)]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import numpy.typing as npt

from ..bulk import utc_offsets_us
from ..calendar import BusinessCalendar

__all__ = ["BY_TIME", "DEFAULT_BY", "WEEKDAYS", "GroupResult", "Rows", "Tally", "cell_text"]

Int64Array = npt.NDArray[np.int64]
#: The groups of a report unless ``--by`` says otherwise.
DEFAULT_BY = ("priority", "month")
#: The metric a group's numbers are of; the others come next to it (``also``).
MAIN_METRIC = "resolution"
#: Keys computed from the opening instant, in the calendar's zone.
BY_TIME = ("month", "week", "weekday")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_CLOSED = {"met": "met", "missed": "missed"}
_OPEN_ON_TIME = frozenset({"running", "at_risk", "paused"})
#: The used/target ratio bins of the figure: 0-0.1, ..., 2.9-3.0, and 3.0 or more.
RATIO_BINS = 31
_US_PER_DAY = 86_400_000_000


@dataclass
class Rows:
    """A chunk of tickets' rows as columns (instants and durations in microseconds)."""

    metric: Sequence[str]
    priority: Sequence[str]
    opened: Int64Array
    state: Sequence[str]
    used: Int64Array
    target: Int64Array
    level: Int64Array
    extra: Mapping[str, Sequence[Any]]


@dataclass
class _Group:
    tickets: int = 0
    met: int = 0
    missed: int = 0
    open_on_time: int = 0
    open_breached: int = 0
    escalated: list[int] = field(default_factory=list)
    used: list[Int64Array] = field(default_factory=list)


@dataclass(frozen=True)
class GroupResult:
    """One group of a report: its keys (in ``by`` order) and its numbers."""

    keys: tuple[str, ...]
    tickets: int
    met: int
    missed: int
    open_on_time: int
    open_breached: int
    on_time_share: float | None  # None: no ticket (a group of another metric only)
    used_median_seconds: float | None
    used_p90_seconds: float | None
    escalated: tuple[int, ...]
    #: The group's other metrics (first response, next to resolution), by name.
    also: tuple[tuple[str, GroupResult], ...] = ()


class Tally:
    """Counts per group, fed chunk by chunk (see the module's docstring)."""

    def __init__(self, calendar: BusinessCalendar, by: Sequence[str], *, levels: int) -> None:
        self.calendar, self.by, self.levels = calendar, tuple(by), levels
        self._groups: dict[tuple[str, ...], _Group] = {}
        #: (priority, month) -> [tickets, on time], for the figure of shares by month.
        self.by_month: dict[tuple[str, str], list[int]] = {}
        #: priority -> counts of used/target in :data:`RATIO_BINS` bins.
        self.ratios: dict[str, Int64Array] = {}
        #: breaching tickets by the weekday (Monday first) and hour of their opening.
        self.heat = np.zeros((7, 24), dtype=np.int64)

    def add(self, rows: Rows) -> None:
        """Count a chunk of rows."""
        n = len(rows.state)
        if n == 0:
            return
        local = rows.opened + utc_offsets_us(self.calendar, rows.opened)
        days = local // _US_PER_DAY
        months = _months(days)
        columns = {"priority": rows.priority, "metric": rows.metric, "month": months}
        if "week" in self.by:
            columns["week"] = _iso_weeks(days)
        if "weekday" in self.by:
            columns["weekday"] = [WEEKDAYS[d] for d in ((days + 3) % 7).tolist()]
        columns.update({k: [cell_text(v) for v in values] for k, values in rows.extra.items()})
        # Without ``metric`` among the keys, each metric of a group is counted on its own and
        # reported next to the main one (resolution), never added to it.
        names = self.by if "metric" in self.by else (*self.by, "metric")
        keys = list(zip(*(columns[name] for name in names), strict=True))
        on_time = [s in _OPEN_ON_TIME or s == "met" for s in rows.state]
        late_open = np.array([s == "breached" for s in rows.state], dtype=bool)
        breaching = late_open | np.array([s == "missed" for s in rows.state], dtype=bool)
        self._count(keys, rows, late_open)
        main = np.array([m == MAIN_METRIC for m in rows.metric], dtype=bool)
        if not main.all():  # the figures count each ticket once: its resolution
            rows = _rows_of(rows, main)
            months = [m for m, keep in zip(months, main.tolist(), strict=True) if keep]
            on_time = [t for t, keep in zip(on_time, main.tolist(), strict=True) if keep]
            breaching, local = breaching[main], local[main]
        self._figures(rows, months, on_time, breaching, local)

    def _count(self, keys: list[tuple[str, ...]], rows: Rows, late_open: Any) -> None:
        order: dict[tuple[str, ...], list[int]] = {}
        for row, key in enumerate(keys):
            order.setdefault(key, []).append(row)
        for key, members in order.items():
            group = self._groups.get(key)
            if group is None:
                group = self._groups[key] = _Group(escalated=[0] * self.levels)
            index = np.array(members, dtype=np.intp)
            states = [rows.state[k] for k in members]
            group.tickets += len(members)
            group.met += states.count("met")
            group.missed += states.count("missed")
            group.open_breached += int(late_open[index].sum())
            group.open_on_time += sum(1 for s in states if s in _OPEN_ON_TIME)
            levels = rows.level[index]
            for level in range(self.levels):
                group.escalated[level] += int((levels > level).sum())
            group.used.append(rows.used[index].astype(np.int64))

    def _figures(
        self, rows: Rows, months: list[str], on_time: list[bool], breaching: Any, local: Int64Array
    ) -> None:
        for priority, month, good in zip(rows.priority, months, on_time, strict=True):
            cell = self.by_month.setdefault((priority, month), [0, 0])
            cell[0] += 1
            cell[1] += good
        share = np.where(rows.target > 0, rows.used / np.maximum(rows.target, 1), 0.0)
        bins = np.minimum((share * 10).astype(np.int64), RATIO_BINS - 1)
        for priority in set(rows.priority):
            mine = np.array([p == priority for p in rows.priority], dtype=bool)
            counts = np.bincount(bins[mine], minlength=RATIO_BINS)
            self.ratios[priority] = self.ratios.get(priority, 0) + counts
        late = local[breaching]
        weekday = ((late // _US_PER_DAY) + 3) % 7
        hour = (late % _US_PER_DAY) // 3_600_000_000
        np.add.at(self.heat, (weekday, hour), 1)

    def groups(self) -> list[GroupResult]:
        """Every group, sorted by its keys, with its numbers (other metrics in ``also``)."""
        if "metric" in self.by:
            return [self._result(key, key) for key in sorted(self._groups)]
        by_key: dict[tuple[str, ...], dict[str, tuple[str, ...]]] = {}
        for full in self._groups:
            by_key.setdefault(full[:-1], {})[full[-1]] = full
        out = []
        for key in sorted(by_key):
            metrics = by_key[key]
            also = tuple(
                (name, self._result(key, metrics[name]))
                for name in sorted(metrics)
                if name != MAIN_METRIC
            )
            if MAIN_METRIC in metrics:
                out.append(replace(self._result(key, metrics[MAIN_METRIC]), also=also))
            else:  # e.g. a first response at a priority the resolution no longer has
                zero = (0,) * self.levels
                out.append(GroupResult(key, 0, 0, 0, 0, 0, None, None, None, zero, also))
        return out

    def _result(self, key: tuple[str, ...], full: tuple[str, ...]) -> GroupResult:
        g = self._groups[full]
        used = np.concatenate(g.used)
        median, p90 = np.quantile(used, [0.5, 0.9]) / 1_000_000
        return GroupResult(
            key,
            g.tickets,
            g.met,
            g.missed,
            g.open_on_time,
            g.open_breached,
            (g.met + g.open_on_time) / g.tickets,
            float(median),
            float(p90),
            tuple(g.escalated),
        )


def _rows_of(rows: Rows, keep: Any) -> Rows:
    """The rows where ``keep`` is true."""
    flags = keep.tolist()

    def pick(values: Sequence[Any]) -> list[Any]:
        return [v for v, k in zip(values, flags, strict=True) if k]

    return Rows(
        metric=pick(rows.metric),
        priority=pick(rows.priority),
        opened=rows.opened[keep],
        state=pick(rows.state),
        used=rows.used[keep],
        target=rows.target[keep],
        level=rows.level[keep],
        extra={k: pick(v) for k, v in rows.extra.items()},
    )


def cell_text(value: Any) -> str:
    """A group key's text: ``None`` (a missing cell) is empty."""
    return "" if value is None else str(value)


def _months(days: Int64Array) -> list[str]:
    """``YYYY-MM`` of days since 1970-01-01."""
    months: list[str] = days.astype("datetime64[D]").astype("datetime64[M]").astype(str).tolist()
    return months


def _iso_weeks(days: Int64Array) -> list[str]:
    """``YYYY-Www``, the ISO 8601 week of days since 1970-01-01 (a Thursday)."""
    weekday = (days + 3) % 7  # Monday 0
    thursday = days - weekday + 3
    year_start = thursday.astype("datetime64[D]").astype("datetime64[Y]").astype("datetime64[D]")
    week = (thursday - year_start.astype(np.int64)) // 7 + 1
    years = year_start.astype("datetime64[Y]").astype(str).tolist()
    return [f"{y}-W{w:02d}" for y, w in zip(years, week.tolist(), strict=True)]
