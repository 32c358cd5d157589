"""The SLA clock of one ticket: business time that counts, between pauses, in microseconds.

The clock starts at ``start`` and counts the calendar's open time except inside pauses.
Pauses are merged and clipped to ``[start, until]``; a pause still going on at ``until``
is taken to end at ``until`` (so a projection is "as if the pause ended now"). The counting
time is a list of windows ``[ws, we)``, the last one open-ended.
"""

from __future__ import annotations

from .calendar import BusinessCalendar

__all__ = ["SlaClock"]


class SlaClock:
    """Net business time of one ticket on integer microseconds.

    ``windows`` are the closed counting windows ``[ws, we)`` before the last, open-ended
    one, which starts at ``resume``; ``counted`` is the business time inside the closed ones.
    """

    __slots__ = ("_calendar", "avail", "counted", "paused", "resume", "until", "windows")

    def __init__(
        self,
        calendar: BusinessCalendar,
        start: int,
        until: int,
        pauses: list[tuple[int, int | None]],
    ) -> None:
        self._calendar = calendar
        self.until = until
        self.paused = False
        windows: list[tuple[int, int]] = []
        cur = start
        for ps, pe in sorted(pauses, key=_pause_key):
            if ps > until or (ps == until and pe is not None and pe <= until):
                continue
            if pe is None or pe > until:
                self.paused = self.paused or ps <= until
                pe = until
            if pe <= cur:
                continue
            if ps > cur:
                windows.append((cur, ps))
            cur = pe
        self.windows = windows
        self.resume = cur
        elapsed = calendar.elapsed_us
        self.avail = [elapsed(ws, we) for ws, we in windows]
        self.counted = sum(self.avail)

    def used(self) -> int:
        """Return the counted business microseconds from the start to ``until``."""
        if self.resume >= self.until:
            return self.counted
        return self.counted + self._calendar.elapsed_us(self.resume, self.until)

    def reach(self, amount: int) -> int:
        """Return the earliest instant at which the clock has counted ``amount`` (> 0)."""
        add = self._calendar.add_us
        acc = 0
        for (ws, _), avail in zip(self.windows, self.avail, strict=True):
            if acc + avail >= amount:
                return add(ws, amount - acc)
            acc += avail
        return add(self.resume, amount - acc)


def _pause_key(pause: tuple[int, int | None]) -> int:
    return pause[0]
