"""The vectorised mirror of a compiled timeline, and the NaT handling every function shares.

:func:`arrays` keeps NumPy copies of a :class:`~sla_clock._timeline.Timeline`'s lists on the
timeline itself (filled on first use); :func:`before` is ``E(t)`` for a whole array. The
arithmetic is the scalar engine's (:mod:`sla_clock._ops`), searched with
``numpy.searchsorted``; property tests keep the two equal.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from .._ops import timeline_for
from .._timeline import Timeline
from ..calendar import BusinessCalendar

__all__ = [
    "NAT",
    "Arrays",
    "Int64Array",
    "Pair",
    "arrays",
    "before",
    "covering",
    "int64",
    "pair",
    "with_nat",
]

Int64Array = npt.NDArray[np.int64]

#: ``NaT`` as an int64 (NumPy's own representation).
NAT = np.iinfo(np.int64).min


class Arrays(NamedTuple):
    """NumPy copies of a timeline's lists."""

    starts: Int64Array
    ends: Int64Array
    offset: Int64Array
    cum: Int64Array
    cumend: Int64Array


def arrays(tl: Timeline) -> Arrays:
    arrays = tl.arrays
    if not isinstance(arrays, Arrays):
        arrays = Arrays(
            np.asarray(tl.starts, dtype=np.int64),
            np.asarray(tl.ends, dtype=np.int64),
            np.asarray(tl.offset, dtype=np.int64),
            np.asarray(tl.cum, dtype=np.int64),
            np.asarray(tl.cumend, dtype=np.int64),
        )
        tl.arrays = arrays  # benign race: two threads would store equal arrays
    return arrays


def before(arr: Arrays, t: Int64Array) -> Int64Array:
    """Vectorised ``E(t)``: open microseconds from the table's start to each ``t``."""
    i = np.searchsorted(arr.starts, t, side="right")
    i -= 1
    # offset[i] + min(t, ends[i]): inside interval i that is offset[i] + t, past its end it
    # is offset[i] + ends[i] == cumend[i].
    e = np.minimum(t, arr.ends[i])
    e += arr.offset[i]
    return e


def int64(values: npt.ArrayLike, name: str) -> Int64Array:
    """Return ``values`` as int64, refusing datetime64/timedelta64 (their unit is lost)."""
    array = np.asarray(values)
    if array.dtype.kind in "mM":
        msg = (
            f"{name} is a {array.dtype} array; the *_us functions take int64 microseconds: "
            "use add_many/elapsed_many, or convert with to_epoch_us()"
        )
        raise TypeError(msg)
    return np.asarray(array, dtype=np.int64)


class Pair(NamedTuple):
    """Two broadcast int64 operands with their ``NAT`` rows taken out."""

    first: Int64Array
    second: Int64Array
    valid: npt.NDArray[np.bool_] | None  # None when no row has a NAT
    shape: tuple[int, ...]


def pair(first: npt.ArrayLike, second: npt.ArrayLike, names: tuple[str, str]) -> Pair:
    x = int64(first, names[0])
    y = np.broadcast_to(int64(second, names[1]), x.shape)
    valid = (x != NAT) & (y != NAT)
    if not valid.all():
        return Pair(x[valid], y[valid], valid, x.shape)
    if x.ndim == 1:  # a broadcast operand stays a view (ravel would copy it)
        return Pair(x, y, None, x.shape)
    return Pair(x.ravel(), y.ravel(), None, x.shape)


def with_nat(result: Int64Array, pair: Pair) -> Int64Array:
    """Put ``result`` (one value per valid row) back in shape, ``NAT`` where a row had one."""
    if pair.valid is None:
        return result.reshape(pair.shape)
    out = np.full(pair.shape, NAT, dtype=np.int64)
    out[pair.valid] = result
    return out


def covering(calendar: BusinessCalendar, lo: int, hi: int) -> Timeline:
    return timeline_for(calendar, lo, hi)
