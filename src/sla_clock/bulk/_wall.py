"""Wall-clock time, vectorised: naive wall times read in a zone, and UTC offsets.

The same rule as :meth:`BusinessCalendar.localize <sla_clock.BusinessCalendar.localize>` (a
wall time in a DST gap moves forward by the gap, an ambiguous one takes its first
occurrence), on a transition table of the zone from :func:`sla_clock._zone.offset_transitions`.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from .._timeline import year_of
from .._zone import offset_transitions
from ..calendar import BusinessCalendar
from ._arrays import NAT, Int64Array, int64

__all__ = ["localize_many_us", "utc_offsets_us"]


def _transitions(
    calendar: BusinessCalendar, lo_us: int, hi_us: int
) -> tuple[Int64Array, Int64Array]:
    instants, offsets = offset_transitions(calendar.zone, year_of(lo_us) - 1, year_of(hi_us) + 1)
    return np.asarray(instants, dtype=np.int64), np.asarray(offsets, dtype=np.int64)


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
    instants, offsets = _transitions(calendar, int(w.min()), int(w.max()))
    # zoneinfo's fold=0 rule: a transition's wall-clock position is its UTC instant plus
    # the larger of the offsets on either side of it.
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
    instants, offsets = _transitions(calendar, int(v.min()), int(v.max()))
    out[valid] = offsets[np.searchsorted(instants, v, side="right")]
    return out
