"""Vectorised business-day arithmetic on ``datetime64[D]`` arrays of local dates.

The same table of business days as the scalar methods (:mod:`sla_clock._business_days`),
searched with ``numpy.searchsorted``. When the dates of one call do not fit one table (more
than 100 years apart, or a result beyond what one question may reach), every date is answered
by the scalar method, which also gives the error of the first date that has no answer.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from .._business_days import DayTable
from .._day_ops import add_business_days, as_ordinal, business_days_between, day_cache
from ..calendar import BusinessCalendar
from ..errors import OutOfRangeError
from ._arrays import NAT, Int64Array

__all__ = ["add_business_days_many", "business_days_between_many"]

#: ``date.toordinal()`` of 1970-01-01, day 0 of ``datetime64[D]``.
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
_DAY_NAT = np.datetime64("NaT", "D")

DayArray = npt.NDArray[np.datetime64]


def _day_numbers(values: npt.ArrayLike, name: str) -> tuple[Int64Array, npt.NDArray[np.bool_]]:
    """Return local dates as day ordinals and their NaT mask.

    Takes ``datetime64[D]`` arrays, or sequences of :class:`datetime.date` (not datetime).
    """
    array = np.asarray(values)
    if array.dtype.kind == "M":
        if np.datetime_data(array.dtype)[0] != "D":
            msg = (
                f"{name} is a {array.dtype} array of instants; business days take local "
                "dates as datetime64[D]: convert the instants to the calendar's zone first "
                "and take their dates"
            )
            raise TypeError(msg)
        nat = np.isnat(array)
        days = array.astype(np.int64) + _EPOCH_ORDINAL
        return np.where(nat, 0, days), nat
    if array.dtype == object or array.size == 0:
        ordinals = [as_ordinal(value, name) for value in array.ravel()]
        days = np.asarray(ordinals, dtype=np.int64).reshape(array.shape)
        return days, np.zeros(array.shape, dtype=bool)
    msg = f"{name} must be datetime64[D] local dates or datetime.date objects, not {array.dtype}"
    raise TypeError(msg)


def _counts(n: npt.ArrayLike, shape: tuple[int, ...]) -> Int64Array:
    array = np.asarray(n)
    if array.dtype.kind not in "iu":
        msg = f"n must be whole numbers of business days, not {array.dtype}"
        raise TypeError(msg)
    return np.broadcast_to(array.astype(np.int64), shape)


def _dates(ordinals: Int64Array, nat: npt.NDArray[np.bool_]) -> DayArray:
    out = (ordinals - _EPOCH_ORDINAL).astype("datetime64[D]")
    out[nat] = _DAY_NAT
    return out


def _one_by_one(
    answer: Callable[[int, int], int], first: Int64Array, second: Int64Array
) -> Int64Array:
    return np.fromiter(
        (answer(int(a), int(b)) for a, b in zip(first.ravel(), second.ravel(), strict=True)),
        dtype=np.int64,
        count=first.size,
    ).reshape(first.shape)


def add_business_days_many(
    calendar: BusinessCalendar, days: npt.ArrayLike, n: npt.ArrayLike
) -> DayArray:
    """Vectorised :meth:`BusinessCalendar.add_business_days`; ``NaT`` in gives ``NaT`` out.

    >>> from sla_clock import BusinessCalendar
    >>> days = np.array(["2026-11-19", "2026-11-21"], dtype="datetime64[D]")
    >>> add_business_days_many(BusinessCalendar.default(), days, [5, 0])
    array(['2026-11-27', '2026-11-23'], dtype='datetime64[D]')
    """
    ordinals, nat = _day_numbers(days, "days")
    counts = _counts(n, ordinals.shape)
    ordinals, counts = np.broadcast_arrays(ordinals, counts)
    nat = np.broadcast_to(nat, ordinals.shape)
    valid = ~nat
    if not valid.any():
        return _dates(ordinals, nat)
    result = np.zeros(ordinals.shape, dtype=np.int64)
    d, k = ordinals[valid], counts[valid]
    try:
        found: Int64Array | None = _add_in_one_table(calendar, d, k)
    except OutOfRangeError:  # answered one by one below, which names the first bad date
        found = None
    if found is None:

        def one(a: int, b: int) -> int:
            return add_business_days(calendar, date.fromordinal(a), b).toordinal()

        found = _one_by_one(one, d, k)
    result[valid] = found
    return _dates(result, nat)


class _DayArrays(NamedTuple):
    days: Int64Array  # the business days' ordinals, sorted
    before: Int64Array  # before[d - lo]: how many business days come before date d


def _arrays(tl: DayTable) -> _DayArrays:
    """The table's per-day prefix count, built once per table (a lookup, not a search)."""
    found = tl.arrays
    if isinstance(found, _DayArrays):
        return found
    days = np.asarray(tl.days, dtype=np.int64)
    marks = np.zeros(tl.hi - tl.lo + 1, dtype=np.int64)
    marks[days - tl.lo + 1] = 1
    made = _DayArrays(days, np.cumsum(marks))
    tl.arrays = made
    return made


def _add_in_one_table(calendar: BusinessCalendar, d: Int64Array, k: Int64Array) -> Int64Array:
    cache = day_cache(calendar)
    lo, hi = int(d.min()), int(d.max())
    tl = cache.table(lo, hi)
    while True:
        arrays = _arrays(tl)
        i = arrays.before[d - tl.lo] + k
        beyond = bool((i >= arrays.days.size).any())
        if not beyond and not (i < 0).any():
            found: Int64Array = arrays.days[i]
            return found
        # Forward, the earliest date is kept; backward, the latest.
        anchor = lo if beyond else hi
        tl = cache.grown(tl, anchor, forward=beyond)


def business_days_between_many(
    calendar: BusinessCalendar, start: npt.ArrayLike, end: npt.ArrayLike
) -> Int64Array:
    """Vectorised :meth:`BusinessCalendar.business_days_between` (:data:`NAT` for NaT).

    >>> from sla_clock import BusinessCalendar
    >>> a = np.array(["2026-11-21", "2026-11-30"], dtype="datetime64[D]")
    >>> b = np.array(["2026-11-30", "2026-11-21"], dtype="datetime64[D]")
    >>> business_days_between_many(BusinessCalendar.default(), a, b)
    array([ 5, -5])
    """
    a, a_nat = _day_numbers(start, "start")
    b, b_nat = _day_numbers(end, "end")
    a, b = np.broadcast_arrays(a, b)
    nat = np.broadcast_to(a_nat, a.shape) | np.broadcast_to(b_nat, a.shape)
    valid = ~nat
    out = np.full(a.shape, NAT, dtype=np.int64)
    if not valid.any():
        return out
    x, y = a[valid], b[valid]
    try:
        tl = day_cache(calendar).table(int(min(x.min(), y.min())), int(max(x.max(), y.max())))
    except OutOfRangeError:  # answered one by one below, which names the first bad pair
        tl = None
    if tl is None:

        def one(p: int, q: int) -> int:
            return business_days_between(calendar, date.fromordinal(p), date.fromordinal(q))

        out[valid] = _one_by_one(one, x, y)
        return out
    before = _arrays(tl).before
    out[valid] = before[y - tl.lo] - before[x - tl.lo]
    return out
