"""Net business time of one ticket: the calendar's open time minus the ticket's pauses.

:func:`windows_of` is the one rule that turns a clock's start and its (clipped) pauses into
counting windows; :class:`SlaClock` counts them on the compiled timeline, one instant at a
time, and the vectorised evaluation (:mod:`sla_clock.bulk._clocks`) counts many at once from
the same windows.

>>> windows_of(0, [(10, 20), (15, 30), (40, 50)])
([(0, 10), (30, 40)], 50)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._ops import add_us, timeline_for

if TYPE_CHECKING:
    from .calendar import BusinessCalendar

__all__ = ["SlaClock", "windows_of"]


def windows_of(start: int, pauses: list[tuple[int, int]]) -> tuple[list[tuple[int, int]], int]:
    """Return the closed counting windows ``[ws, we)`` from ``start`` and where counting resumes.

    The pauses may overlap and come in any order; the last window is open-ended, from the
    returned instant on.
    """
    windows: list[tuple[int, int]] = []
    cur = start
    if len(pauses) > 1:
        pauses = sorted(pauses)
    for ps, pe in pauses:
        if pe <= cur:
            continue
        if ps > cur:
            windows.append((cur, ps))
        cur = pe
    return windows, cur


class SlaClock:
    """Net business time of one ticket on integer microseconds.

    ``windows`` are the closed counting windows ``[ws, we)`` before the last, open-ended
    one, which starts at ``resume``; ``avail`` is the business time inside each closed
    window and ``counted`` their sum.
    """

    __slots__ = (
        "_calendar",
        "_e_resume",
        "_e_starts",
        "_timeline",
        "avail",
        "counted",
        "paused",
        "resume",
        "until",
        "windows",
    )

    def __init__(
        self,
        calendar: BusinessCalendar,
        start: int,
        until: int,
        pauses: list[tuple[int, int]],
        *,
        paused: bool,
    ) -> None:
        self._calendar = calendar
        self.until = until
        self.paused = paused
        windows, cur = windows_of(start, pauses)
        self.windows = windows
        self.resume = cur
        lo, hi = (start, cur) if start <= until else (until, cur)
        tl = timeline_for(calendar, lo, hi if hi > until else until)
        self._timeline = tl
        before = tl.before
        e_starts: list[int] = []
        avail: list[int] = []
        for ws, we in windows:
            e = before(ws)
            e_starts.append(e)
            avail.append(before(we) - e)
        self._e_starts = e_starts
        self.avail = avail
        self.counted = sum(avail)
        self._e_resume = before(cur)

    def used(self) -> int:
        """Return the counted business microseconds from the start to ``until``."""
        if self.resume >= self.until:
            return self.counted
        return self.counted + self._timeline.before(self.until) - self._e_resume

    def reach(self, amount: int) -> int:
        """Return the earliest instant at which the clock has counted ``amount`` (> 0)."""
        tl = self._timeline
        acc = 0
        for e_start, avail in zip(self._e_starts, self.avail, strict=True):
            if acc + avail >= amount:
                return tl.at_open_time(e_start + amount - acc)
            acc += avail
        target = self._e_resume + amount - acc
        if target <= tl.total:
            return tl.at_open_time(target)
        # Past the compiled years: the calendar grows its timeline as needed.
        return add_us(self._calendar, self.resume, amount - acc)
