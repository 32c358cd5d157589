"""Vectorised ``add`` and ``elapsed`` on NumPy arrays (the ``sla-clock[fast]`` extra).

The same compiled timeline as the scalar operations, searched with ``numpy.searchsorted``:
no Python loop per element, and results identical to :meth:`BusinessCalendar.add` and
:meth:`BusinessCalendar.elapsed` to the microsecond.

Inputs:

- NumPy ``datetime64`` arrays are **UTC instants** (NumPy has no time zones); any unit.
- tz-aware pandas ``Series`` or ``DatetimeIndex`` are converted to UTC; results come back
  as a ``Series`` (or index) in the calendar's zone, with the same index.
- Durations are ``timedelta64`` arrays, a scalar ``timedelta`` or ``numpy.timedelta64``.
- ``NaT`` in gives ``NaT`` out.

The ``*_us`` functions take and return ``int64`` epoch microseconds, for pipelines that keep
integers all the way.

>>> import numpy as np
>>> cal = BusinessCalendar.default()
>>> starts = np.array(["2026-11-19T20:00", "2026-11-28T13:00"], dtype="datetime64[us]")
>>> add_many(cal, starts, np.timedelta64(4, "h"))  # Thu 17:00 and Sat 10:00 São Paulo
array(['2026-11-23T15:00:00.000000', '2026-11-30T16:00:00.000000'],
      dtype='datetime64[us]')
"""

from __future__ import annotations

import sys
from datetime import timedelta
from typing import Any, NamedTuple

try:
    import numpy as np
    import numpy.typing as npt
except ImportError as exc:  # pragma: no cover - exercised only without numpy
    msg = "sla_clock.bulk needs NumPy; install it with: pip install 'sla-clock[fast]'"
    raise ImportError(msg) from exc

from .._ops import islands, timeline_for, timeline_upto
from .._timeline import Timeline, year_of
from .._zone import US_PER_SECOND, offset_transitions, to_us
from ..calendar import BusinessCalendar
from ..errors import NaiveDatetimeError, OutOfRangeError

__all__ = [
    "NAT",
    "add_many",
    "add_many_us",
    "elapsed_many",
    "elapsed_many_us",
    "localize_many_us",
    "to_epoch_us",
    "utc_offsets_us",
]

Int64Array = npt.NDArray[np.int64]

#: ``NaT`` as an int64 (NumPy's own representation).
NAT = np.iinfo(np.int64).min


class _Arrays(NamedTuple):
    starts: Int64Array
    ends: Int64Array
    offset: Int64Array
    cum: Int64Array
    cumend: Int64Array


def _arrays(tl: Timeline) -> _Arrays:
    arrays = tl.arrays
    if not isinstance(arrays, _Arrays):
        arrays = _Arrays(
            np.asarray(tl.starts, dtype=np.int64),
            np.asarray(tl.ends, dtype=np.int64),
            np.asarray(tl.offset, dtype=np.int64),
            np.asarray(tl.cum, dtype=np.int64),
            np.asarray(tl.cumend, dtype=np.int64),
        )
        tl.arrays = arrays  # benign race: two threads would store equal arrays
    return arrays


def _before(arr: _Arrays, t: Int64Array) -> Int64Array:
    """Vectorised ``E(t)``: open microseconds from the table's start to each ``t``."""
    i = np.searchsorted(arr.starts, t, side="right")
    i -= 1
    # offset[i] + min(t, ends[i]): inside interval i that is offset[i] + t, past its end it
    # is offset[i] + ends[i] == cumend[i].
    e = np.minimum(t, arr.ends[i])
    e += arr.offset[i]
    return e


def _int64(values: npt.ArrayLike, name: str) -> Int64Array:
    """Return ``values`` as int64, refusing datetime64/timedelta64 (their unit is lost)."""
    array = np.asarray(values)
    if array.dtype.kind in "mM":
        msg = (
            f"{name} is a {array.dtype} array; the *_us functions take int64 microseconds: "
            "use add_many/elapsed_many, or convert with to_epoch_us()"
        )
        raise TypeError(msg)
    return np.asarray(array, dtype=np.int64)


class _Pair(NamedTuple):
    """Two broadcast int64 operands with their ``NAT`` rows taken out."""

    first: Int64Array
    second: Int64Array
    valid: npt.NDArray[np.bool_] | None  # None when no row has a NAT
    shape: tuple[int, ...]


def _pair(first: npt.ArrayLike, second: npt.ArrayLike, names: tuple[str, str]) -> _Pair:
    x = _int64(first, names[0])
    y = np.broadcast_to(_int64(second, names[1]), x.shape)
    valid = (x != NAT) & (y != NAT)
    if not valid.all():
        return _Pair(x[valid], y[valid], valid, x.shape)
    if x.ndim == 1:  # a broadcast operand stays a view (ravel would copy it)
        return _Pair(x, y, None, x.shape)
    return _Pair(x.ravel(), y.ravel(), None, x.shape)


def _with_nat(result: Int64Array, pair: _Pair) -> Int64Array:
    """Put ``result`` (one value per valid row) back in shape, ``NAT`` where a row had one."""
    if pair.valid is None:
        return result.reshape(pair.shape)
    out = np.full(pair.shape, NAT, dtype=np.int64)
    out[pair.valid] = result
    return out


def _covering(calendar: BusinessCalendar, lo: int, hi: int) -> Timeline:
    return timeline_for(calendar, lo, hi)


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
    pair = _pair(starts, durations, ("starts", "durations"))
    s, d = pair.first, pair.second
    if s.size == 0:
        return _with_nat(s.copy(), pair)
    cache = islands(calendar)
    lo, hi = int(s.min()), int(s.max())
    tl = _covering(calendar, lo, hi)
    if int(d.max()) > cache.span_us:  # more real time than one question may span
        raise cache.span_error(lo, after=True)
    if int(d.min()) < -cache.span_us:
        raise cache.span_error(hi, after=False)
    while True:
        arr = _arrays(tl)
        target = _before(arr, s)
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
    return _with_nat(result, pair)


def _no_time_msg(where: str) -> str:
    return (
        f"the calendar has not enough open time {where} some of the starts to cover their "
        "durations; it has no weekly hours, so add weekly hours or more open dates"
    )


def elapsed_many_us(
    calendar: BusinessCalendar, starts: npt.ArrayLike, ends: npt.ArrayLike
) -> Int64Array:
    """Vectorised :meth:`BusinessCalendar.elapsed_us`: signed open microseconds."""
    pair = _pair(starts, ends, ("starts", "ends"))
    a, b = pair.first, pair.second
    if a.size == 0:
        return _with_nat(a.copy(), pair)
    lo = min(int(a.min()), int(b.min()))
    hi = max(int(a.max()), int(b.max()))
    arr = _arrays(timeline_upto(calendar, lo, hi))  # E(t) needs only the time before t
    return _with_nat(_before(arr, b) - _before(arr, a), pair)


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


# -- wall time, vectorised -------------------------------------------------------------------


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
    wall = _int64(wall_us, "wall_us")
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
    t = _int64(instants_us, "instants_us")
    valid = t != NAT
    out = np.full(t.shape, NAT, dtype=np.int64)
    if not valid.any():
        return out
    v = t[valid]
    instants, offsets = _transitions(calendar, int(v.min()), int(v.max()))
    out[valid] = offsets[np.searchsorted(instants, v, side="right")]
    return out
