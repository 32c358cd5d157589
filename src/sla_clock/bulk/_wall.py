"""Wall-clock time, vectorised: naive wall times read in a zone, and UTC offsets.

The same rule as :meth:`BusinessCalendar.localize <sla_clock.BusinessCalendar.localize>` (a
wall time in a DST gap moves forward by the gap, an ambiguous one takes its first
occurrence), on a transition table of the zone from :func:`sla_clock._zone.offset_transitions`.
"""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import numpy.typing as npt

from .._timeline import year_of
from .._versioned_zone import zone_transitions
from ..calendar import BusinessCalendar
from ._arrays import NAT, Int64Array, int64

__all__ = ["localize_many_us", "utc_offsets_us"]


#: Instants further apart than this many years get the transitions of their own years only.
_DENSE_YEARS = 200
#: A little more than a year, in microseconds (to tell each instant's year, give or take one).
_YEAR_US = 366 * 86_400_000_000


def _transitions(calendar: BusinessCalendar, values: Int64Array) -> tuple[Int64Array, Int64Array]:
    """The zone's offset changes around ``values``, as ``(instants, offsets)``.

    Every year between them; or, for values centuries apart (a typo's year 9026), runs of
    the years they lie in, each run starting with its offset as a change at its first instant.
    """
    lo_us, hi_us = int(values.min()), int(values.max())
    first, last = year_of(lo_us) - 1, year_of(hi_us) + 1
    if last - first <= _DENSE_YEARS:
        instants, offsets = zone_transitions(calendar.zone, first, last)
        return np.asarray(instants, dtype=np.int64), np.asarray(offsets, dtype=np.int64)
    near = np.unique(values // _YEAR_US)
    years = sorted(
        {
            y
            for k in near.tolist()
            for y in range(year_of(k * _YEAR_US) - 1, year_of((k + 1) * _YEAR_US) + 2)
        }
    )
    found_instants: list[int] = []
    found_offsets: list[int] = []
    start = 0
    for i in range(1, len(years) + 1):
        if i < len(years) and years[i] == years[i - 1] + 1:
            continue
        instants, offsets = zone_transitions(calendar.zone, years[start], years[i - 1])
        if found_offsets:  # the run begins with its own offset, a change at its first instant
            found_instants.append(calendar.to_us(datetime(years[start], 1, 1, tzinfo=UTC)))
        found_offsets.extend(offsets)
        found_instants.extend(instants)
        start = i
    return np.asarray(found_instants, dtype=np.int64), np.asarray(found_offsets, dtype=np.int64)


def localize_many_us(calendar: BusinessCalendar, wall_us: npt.ArrayLike) -> Int64Array:
    """Read naive wall times (``int64`` microseconds of a naive clock) in the calendar's zone.

    Applies the same rule as :meth:`BusinessCalendar.localize`: a wall time in a DST gap
    moves forward by the gap, an ambiguous one takes its first occurrence.
    """
    wall = int64(wall_us, "wall_us")
    valid = wall != NAT
    out = np.full(wall.shape, NAT, dtype=np.int64)
    if not valid.any():
        return out
    w = wall[valid]
    instants, offsets = _transitions(calendar, w)
    # zoneinfo's fold=0 rule: a transition's wall-clock position is its UTC instant plus
    # the larger of the offsets on either side of it. (On a desk that moves, every change is
    # 36 h from a move, so the positions stay in order and each window is one change's.)
    wall_marks = instants + np.maximum(offsets[:-1], offsets[1:])
    out[valid] = w - offsets[np.searchsorted(wall_marks, w, side="right")]
    return out


def utc_offsets_us(calendar: BusinessCalendar, instants_us: npt.ArrayLike) -> Int64Array:
    """Return the calendar zone's UTC offset (microseconds) at each instant (``NAT``: NAT)."""
    t = int64(instants_us, "instants_us")
    valid = t != NAT
    out = np.full(t.shape, NAT, dtype=np.int64)
    if not valid.any():
        return out
    v = t[valid]
    instants, offsets = _transitions(calendar, v)
    out[valid] = offsets[np.searchsorted(instants, v, side="right")]
    return out
