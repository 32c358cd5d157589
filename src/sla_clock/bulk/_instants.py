"""Vectorised ``add`` and ``elapsed`` over a calendar's compiled timeline, and conversions.

The ``*_us`` functions take and return ``int64`` epoch microseconds; :func:`add_many` and
:func:`elapsed_many` take ``datetime64`` (UTC) arrays or tz-aware pandas series, and never
read plain numbers as instants.
"""

from __future__ import annotations

import sys
from datetime import timedelta
from typing import Any

import numpy as np
import numpy.typing as npt

from .._ops import islands, timeline_upto
from .._zone import US_PER_SECOND, to_us
from ..calendar import BusinessCalendar
from ..errors import NaiveDatetimeError, OutOfRangeError
from ._arrays import NAT, Arrays, Int64Array, arrays, before, covering, pair, with_nat

__all__ = [
    "add_many",
    "add_many_us",
    "deadlines_many_us",
    "elapsed_many",
    "elapsed_many_us",
    "to_epoch_us",
]


def add_many_us(
    calendar: BusinessCalendar, starts: npt.ArrayLike, durations: npt.ArrayLike
) -> Int64Array:
    """Vectorised :meth:`BusinessCalendar.add_us`: ``int64`` epoch microseconds in and out.

    ``durations`` broadcasts against ``starts``; :data:`NAT` in either gives :data:`NAT`.

    The instants and results of one call must fit in 100 consecutive years, counted from
    the earliest start (forward) or the latest (backward), as one scalar question must.

    Raises:
        OutOfRangeError: a start or a result lies outside the calendar's
            :attr:`~sla_clock.calendar.BusinessCalendar.year_range`, too far from the starts,
            or where the calendar has no open time.
    """
    both = pair(starts, durations, ("starts", "durations"))
    s, d = both.first, both.second
    if s.size == 0:
        return with_nat(s.copy(), both)
    arr, target = _positions(calendar, s, d)
    forward = d > 0
    if forward.all():  # the usual case: deadlines
        result = target - arr.offset[np.searchsorted(arr.cumend, target, side="left")]
    else:
        result = s.copy()
        if forward.any():
            t = target[forward]
            result[forward] = t - arr.offset[np.searchsorted(arr.cumend, t, side="left")]
        backward = d < 0
        if backward.any():
            t = target[backward]
            result[backward] = t - arr.offset[np.searchsorted(arr.cum, t, side="right") - 1]
    return with_nat(result, both)


def deadlines_many_us(
    calendar: BusinessCalendar, starts: Int64Array, targets: Int64Array
) -> tuple[Int64Array, Int64Array]:
    """``add_many_us(starts, targets)`` and ``add_many_us(starts, targets + 1) - 1`` at once.

    The due instant of each clock and its breach (the last instant before one open
    microsecond more): one search for both. No ``NAT``; a target not positive goes the way
    of :func:`add_many_us`.

    >>> from datetime import datetime
    >>> from sla_clock import BusinessCalendar
    >>> cal = BusinessCalendar.create()
    >>> start = np.array([cal.to_us(datetime(2026, 11, 23, 14, tzinfo=cal.zone))])
    >>> due, breach = deadlines_many_us(cal, start, np.array([4 * 3_600_000_000]))
    >>> cal.from_us(int(due[0])).hour, cal.from_us(int(breach[0])).isoformat()
    (18, '2026-11-24T09:00:00-03:00')
    """
    if starts.size == 0:
        return starts.copy(), starts.copy()
    if int(targets.min()) <= 0:
        return add_many_us(calendar, starts, targets), add_many_us(
            calendar, starts, targets + 1
        ) - 1
    arr, target = _positions(calendar, starts, targets + 1)  # room for the breach's
    target -= 1
    k = np.searchsorted(arr.cumend, target, side="left")
    due = target - arr.offset[k]
    # One open microsecond more lies in the next interval when the due ends interval k.
    after = k + (arr.cumend[k] == target)
    breach = target + 1 - arr.offset[after] - 1
    return due, breach


def _positions(
    calendar: BusinessCalendar, s: Int64Array, d: Int64Array
) -> tuple[Arrays, Int64Array]:
    """A timeline's arrays covering every ``s + d`` in open time, and each ``E(s) + d``."""
    cache = islands(calendar)
    lo, hi = int(s.min()), int(s.max())
    tl = covering(calendar, lo, hi)
    if int(d.max()) > cache.span_us:  # more real time than one question may span
        raise cache.span_error(lo, after=True)
    if int(d.min()) < -cache.span_us:
        raise cache.span_error(hi, after=False)
    while True:
        arr = arrays(tl)
        target = before(arr, s)
        target += d
        most = int(target.max())
        if most > tl.total:
            if cache.has_limit_after(tl):
                raise OutOfRangeError(_no_time_msg("after"))
            tl = cache.extended(tl, lo, hi, most - tl.total, forward=True)
            continue
        least = int(target.min())
        if least < 0:
            if cache.has_limit_before(tl):
                raise OutOfRangeError(_no_time_msg("before"))
            tl = cache.extended(tl, lo, hi, -least, forward=False)
            continue
        break
    return arr, target


def _no_time_msg(where: str) -> str:
    return (
        f"the calendar has not enough open time {where} some of the starts to cover their "
        "durations; it has no weekly hours, so add weekly hours or more open dates"
    )


def elapsed_many_us(
    calendar: BusinessCalendar, starts: npt.ArrayLike, ends: npt.ArrayLike
) -> Int64Array:
    """Vectorised :meth:`BusinessCalendar.elapsed_us`: signed open microseconds."""
    both = pair(starts, ends, ("starts", "ends"))
    a, b = both.first, both.second
    if a.size == 0:
        return with_nat(a.copy(), both)
    lo = min(int(a.min()), int(b.min()))
    hi = max(int(a.max()), int(b.max()))
    arr = arrays(timeline_upto(calendar, lo, hi))  # E(t) needs only the time before t
    return with_nat(before(arr, b) - before(arr, a), both)


# -- conversions -----------------------------------------------------------------------------


def _pandas() -> Any:
    return sys.modules.get("pandas")


def to_epoch_us(values: Any) -> Int64Array:
    """Return instants as ``int64`` epoch microseconds (:data:`NAT` for missing).

    Accepts ``datetime64`` arrays (UTC), tz-aware pandas ``Series``/``DatetimeIndex``, or a
    sequence of aware ``datetime`` objects (slow: one conversion each).

    Raises:
        NaiveDatetimeError: a pandas series or a ``datetime`` without a time zone.
    """
    pd = _pandas()
    if pd is not None and isinstance(values, pd.Series | pd.DatetimeIndex):
        index = values if isinstance(values, pd.DatetimeIndex) else pd.DatetimeIndex(values)
        if index.tz is None:
            msg = (
                "a pandas series of naive times has no timezone; localize it first, e.g. "
                "series.dt.tz_localize('America/Sao_Paulo') with your calendar's zone"
            )
            raise NaiveDatetimeError(msg)
        utc = index.tz_convert("UTC").tz_localize(None)
        return np.asarray(utc.to_numpy(dtype="datetime64[us]").view(np.int64))
    array = np.asarray(values)
    if np.issubdtype(array.dtype, np.datetime64):
        return np.asarray(array.astype("datetime64[us]").view(np.int64))
    if np.issubdtype(array.dtype, np.integer):
        return np.asarray(array, dtype=np.int64)
    flat = [NAT if v is None else to_us(v) for v in array.ravel().tolist()]
    return np.asarray(flat, dtype=np.int64).reshape(array.shape)


def _durations_us(values: Any) -> Int64Array | int:
    if isinstance(values, timedelta):
        return (values.days * 86_400 + values.seconds) * US_PER_SECOND + values.microseconds
    pd = _pandas()
    if pd is not None and isinstance(values, pd.Series | pd.TimedeltaIndex):
        values = values.to_numpy(dtype="timedelta64[us]")
    array = np.asarray(values)
    if np.issubdtype(array.dtype, np.timedelta64):
        return np.asarray(array.astype("timedelta64[us]").view(np.int64))
    if array.dtype == object:
        return np.asarray(
            [NAT if v is None else _durations_us(v) for v in array.ravel().tolist()],
            dtype=np.int64,
        ).reshape(array.shape)
    msg = (
        f"durations must be timedelta64 values or timedeltas, got dtype {array.dtype}; "
        "for int64 microseconds call add_many_us"
    )
    raise TypeError(msg)


def _instants_us(values: Any, name: str) -> Int64Array:
    """Return instants for ``add_many``/``elapsed_many``, refusing plain numbers.

    Integers would be read as epoch microseconds without a word; only the ``*_us``
    functions take those.
    """
    dtype = getattr(values, "dtype", None)
    if dtype is None:
        dtype = np.asarray(values).dtype
    if getattr(dtype, "kind", "") in ("b", "i", "u", "f"):
        msg = (
            f"{name} holds plain numbers ({dtype}), not instants; pass datetime64 values "
            "(UTC), tz-aware pandas times or aware datetimes, or call add_many_us/"
            "elapsed_many_us for int64 epoch microseconds"
        )
        raise TypeError(msg)
    return to_epoch_us(values)


def _wrap_instants(calendar: BusinessCalendar, like: Any, us: Int64Array) -> Any:
    values = us.view("datetime64[us]")
    pd = _pandas()
    if pd is not None and isinstance(like, pd.Series | pd.DatetimeIndex):
        index = pd.DatetimeIndex(values).tz_localize("UTC").tz_convert(calendar.timezone)
        if isinstance(like, pd.Series):
            return pd.Series(index, index=like.index, name=like.name)
        return index
    return values


def add_many(calendar: BusinessCalendar, starts: Any, durations: Any) -> Any:
    """Vectorised :meth:`BusinessCalendar.add`.

    Args:
        calendar: the calendar.
        starts: ``datetime64`` UTC instants, or a tz-aware pandas ``Series``/``DatetimeIndex``.
        durations: ``timedelta64`` values (broadcast), or one ``timedelta``.

    Returns:
        ``datetime64[us]`` UTC instants, or for pandas input a ``Series``/index in the
        calendar's zone.
    """
    result = add_many_us(calendar, _instants_us(starts, "starts"), _durations_us(durations))
    return _wrap_instants(calendar, starts, result)


def elapsed_many(calendar: BusinessCalendar, starts: Any, ends: Any) -> Any:
    """Vectorised :meth:`BusinessCalendar.elapsed`: ``timedelta64[us]`` values (signed).

    For pandas input, a ``Series`` of timedeltas with the starts' index.

    >>> import numpy as np
    >>> cal = BusinessCalendar.default()
    >>> a = np.array(["2026-11-20T13:00"], dtype="datetime64[us]")  # Fri 10:00, a holiday
    >>> elapsed_many(cal, a, np.array(["2026-11-23T13:00"], dtype="datetime64[us]"))
    array([3600000000], dtype='timedelta64[us]')
    """
    a, b = _instants_us(starts, "starts"), _instants_us(ends, "ends")
    result = elapsed_many_us(calendar, a, b).view("timedelta64[us]")
    pd = _pandas()
    if pd is not None and isinstance(starts, pd.Series):
        return pd.Series(result, index=starts.index, name="elapsed")
    return result
