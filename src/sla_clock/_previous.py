"""The previous opening and the previous closing of a calendar, bound as its methods.

One ``bisect`` on the compiled timeline (:mod:`sla_clock._timeline`); a timeline whose first
period may go on from before it, or that holds none, is extended backwards.
"""

from __future__ import annotations

from bisect import bisect_right as _bisect_right
from datetime import datetime

from ._ops import Compiled, timeline_for
from ._timeline import Timeline
from ._zone import from_us as _from_us
from ._zone import to_us as _to_us
from .errors import OutOfRangeError

__all__ = ["prev_close", "prev_open"]


def prev_open(self: Compiled, at: datetime) -> datetime:
    """Return the latest opening at or before ``at``.

    Inside hours that is the start of the open period containing ``at`` (``at`` itself
    exactly at an opening); outside hours, the start of the last period before it.

    >>> from sla_clock import BusinessCalendar
    >>> from zoneinfo import ZoneInfo
    >>> sat = datetime(2026, 11, 28, 10, 0, tzinfo=ZoneInfo("America/Sao_Paulo"))
    >>> BusinessCalendar.default().prev_open(sat).isoformat()
    '2026-11-27T09:00:00-03:00'
    """
    t = _to_us(at, self._zone)
    tl = timeline_for(self, t, t)
    cache = self._cache
    while True:
        i = _bisect_right(tl.starts, t) - 1
        # The first period of a timeline may go on from before it: not an opening, unless
        # the calendar has no open time at all before it.
        if i > 1 or (i == 1 and (tl.starts[1] > tl.lo or cache.has_limit_before(tl))):
            return _from_us(tl.starts[i], self._zone)
        tl = _earlier(self, tl, t, "opening")


def prev_close(self: Compiled, at: datetime) -> datetime:
    """Return the latest closing at or before ``at``.

    Exactly at a close that is ``at`` itself; inside hours, the close of the previous open
    period; outside hours, the close of the last period before it.

    >>> from sla_clock import BusinessCalendar
    >>> from zoneinfo import ZoneInfo
    >>> mon = datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("America/Sao_Paulo"))
    >>> BusinessCalendar.default().prev_close(mon).isoformat()  # Fri Nov 20 is a holiday
    '2026-11-19T18:00:00-03:00'
    """
    t = _to_us(at, self._zone)
    tl = timeline_for(self, t, t)
    while True:
        i = _bisect_right(tl.starts, t) - 1
        if i > 0 and t >= tl.ends[i]:
            return _from_us(tl.ends[i], self._zone)
        if i > 1:  # inside period i: the previous one's close
            return _from_us(tl.ends[i - 1], self._zone)
        tl = _earlier(self, tl, t, "closing")


def _earlier(self: Compiled, tl: Timeline, t: int, what: str) -> Timeline:
    """Return a timeline reaching before ``tl`` (which covers ``t``) for a previous ``what``.

    It reaches at most one question's years back from ``t``, as every question does, so the
    answer never depends on what was compiled before.
    """
    cache = self._cache
    if cache.has_limit_before(tl):
        when = _from_us(t, self._zone).isoformat()
        msg = (
            f"the calendar has no {what} at or before {when}: it has no weekly hours and no "
            "open date before then; add weekly hours or more open dates"
        )
        raise OutOfRangeError(msg)
    return cache.extended(tl, t, t, 0, forward=False)
