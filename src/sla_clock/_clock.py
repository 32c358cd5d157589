"""The SLA clock of one ticket: business time that counts, between pauses, in microseconds.

The clock starts at ``start`` and counts the calendar's open time up to ``until`` except
inside pauses. The pauses come already clipped to the ticket's life by
:func:`sla_clock.ticket.clip_pauses` (the one copy of the ticket rules); here they are only
merged. The counting time is a list of windows ``[ws, we)``, the last one open-ended.

Everything is answered from the calendar's compiled timeline: ``E(t)``, the open time before
``t``, is computed once per window boundary, and a deadline is one more binary search.
"""

from __future__ import annotations

from ._ops import timeline_for
from .calendar import BusinessCalendar

__all__ = ["SlaClock"]


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
        return self._calendar.add_us(self.resume, amount - acc)
