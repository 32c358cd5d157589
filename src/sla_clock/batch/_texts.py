"""Instants and numbers written as text in bulk: a column of output cells at once.

Each text is built from code points with NumPy, all rows at once, and equals what
``datetime.isoformat()`` (in the calendar's zone) and ``str()`` write one by one.

>>> import numpy as np
>>> from sla_clock import BusinessCalendar
>>> iso_texts(BusinessCalendar.default(), np.array([1795453200000000]))
['2026-11-23T14:00:00-03:00']
>>> seconds_texts(np.array([14_400_000_000, 1_500_000]))
['14400', '1.5']
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..calendar import BusinessCalendar

if TYPE_CHECKING:
    from typing import TypeAlias

    import numpy as np
    import numpy.typing as npt

    Int64Array: TypeAlias = npt.NDArray[np.int64]

__all__ = [
    "Cells",
    "int_cells",
    "int_texts",
    "iso_cells",
    "iso_texts",
    "seconds_cells",
    "seconds_texts",
]

_US_PER_SECOND = 1_000_000


def _civil_from_days(days: Int64Array) -> tuple[Int64Array, Int64Array, Int64Array]:
    """Return the year, month and day of days since 1970-01-01 (H. Hinnant's algorithm)."""
    import numpy as np

    z = days + 719_468
    era = z // 146_097
    doe = z - era * 146_097
    yoe = (doe - doe // 1460 + doe // 36_524 - doe // 146_096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    day = doy - (153 * mp + 2) // 5 + 1
    month = np.where(mp < 10, mp + 3, mp - 9)
    year = yoe + era * 400 + (month <= 2)
    return year, month, day


def _iso_chars(local: Int64Array, offsets: Int64Array, *, fraction: bool, kind: Any = None) -> Any:
    """Return the code points of ``YYYY-MM-DDTHH:MM:SS[.ffffff]±HH:MM``, one row per instant.

    ``local`` is wall-clock epoch microseconds, ``offsets`` the UTC offsets (whole minutes);
    ``kind`` the code points' dtype (``uint32``, as ``<U`` texts are made of, by default).
    """
    import numpy as np

    kind = np.uint32 if kind is None else kind
    n = local.shape[0]
    pairs = np.array([[48 + i // 10, 48 + i % 10] for i in range(100)], dtype=kind)
    seconds, micro = np.divmod(local, _US_PER_SECOND)
    days, second_of_day = np.divmod(seconds, 86_400)
    year, month, day = _civil_from_days(days)
    minutes = np.abs(offsets) // (60 * _US_PER_SECOND)

    def text(chars: str) -> Any:
        return np.broadcast_to(np.array([ord(x) for x in chars], dtype=kind), (n, len(chars)))

    blocks = [
        pairs[year // 100],
        pairs[year % 100],
        text("-"),
        pairs[month],
        text("-"),
        pairs[day],
        text("T"),
        pairs[second_of_day // 3600],
        text(":"),
        pairs[second_of_day // 60 % 60],
        text(":"),
        pairs[second_of_day % 60],
    ]
    if fraction:
        blocks += [text("."), pairs[micro // 10_000], pairs[micro // 100 % 100], pairs[micro % 100]]
    sign = np.where(offsets < 0, ord("-"), ord("+")).astype(kind)[:, None]
    blocks += [sign, pairs[minutes // 60], text(":"), pairs[minutes % 60]]
    return np.concatenate(blocks, axis=1)


class Cells:
    """A column of ASCII texts as code points: row ``i`` is ``codes[i, :length[i]]``.

    :meth:`texts` gives Python strings; :meth:`arrow` a pyarrow string array built from the
    bytes, with no string object per row (what pyarrow's CSV writer takes).
    """

    def __init__(self, codes: Any, length: Int64Array) -> None:
        self.codes, self.length = codes, length

    @classmethod
    def full(cls, codes: Any) -> Cells:
        """Cells that each fill their row."""
        import numpy as np

        return cls(codes, np.full(codes.shape[0], codes.shape[1], dtype=np.int64))

    def put(self, rows: Any, texts: list[str]) -> None:
        """Replace the texts of ``rows`` (ASCII) by ``texts``."""
        import numpy as np

        if not texts:
            return
        width = max(len(text) for text in texts)
        if width > self.codes.shape[1]:
            wider = np.zeros((self.codes.shape[0], width), dtype=self.codes.dtype)
            wider[:, : self.codes.shape[1]] = self.codes
            self.codes = wider
        for row, text in zip(np.asarray(rows).tolist(), texts, strict=True):
            self.codes[row, : len(text)] = np.frombuffer(text.encode("ascii"), dtype=np.uint8)
            self.codes[row, len(text) :] = 0
            self.length[row] = len(text)

    def texts(self) -> list[str]:
        """The texts as Python strings (NumPy drops the zeros that end a shorter row)."""
        import numpy as np

        codes = self.codes if self.codes.dtype == np.uint32 else self.codes.astype(np.uint32)
        texts: list[str] = codes.view(f"<U{codes.shape[1]}").ravel().tolist()
        return texts

    def arrow(self) -> Any:
        """The texts as a pyarrow ``string`` array."""
        import numpy as np
        import pyarrow as pa  # type: ignore[import-untyped,unused-ignore]  # (no type hints)

        n, width = self.codes.shape
        inside = np.arange(width) < self.length[:, None]
        data = self.codes[inside].astype(np.uint8, copy=False)  # row after row: C order
        offsets = np.zeros(n + 1, dtype=np.int32)
        np.cumsum(self.length, out=offsets[1:], dtype=np.int32)
        buffers = [None, pa.py_buffer(offsets), pa.py_buffer(data)]
        return pa.Array.from_buffers(pa.string(), n, buffers)


def iso_texts(calendar: BusinessCalendar, instants: Int64Array) -> list[str]:
    """Write epoch microseconds as ISO 8601 in the calendar's zone, as ``isoformat()`` does.

    Built from code points, all rows at once.
    """
    return iso_cells(calendar, instants).texts()


def iso_cells(calendar: BusinessCalendar, instants: Int64Array, *, narrow: bool = False) -> Cells:
    """:func:`iso_texts` as :class:`Cells` (of bytes with ``narrow``, for :meth:`Cells.arrow`)."""
    import numpy as np

    from ..bulk import utc_offsets_us

    kind = np.uint8 if narrow else np.uint32
    offsets = utc_offsets_us(calendar, instants)
    local = instants + offsets
    cells = Cells.full(_iso_chars(local, offsets, fraction=False, kind=kind))
    fine = np.flatnonzero(local % _US_PER_SECOND)
    if fine.size:  # isoformat() shows microseconds only when there are some
        chars = _iso_chars(local[fine], offsets[fine], fraction=True, kind=kind)
        wider = np.zeros((cells.codes.shape[0], chars.shape[1]), dtype=kind)
        wider[:, : cells.codes.shape[1]] = cells.codes
        wider[fine] = chars
        cells.codes = wider
        cells.length[fine] = chars.shape[1]
    odd = np.flatnonzero(offsets % (60 * _US_PER_SECOND))  # an offset with seconds
    cells.put(odd, [calendar.from_us(int(instants[i])).isoformat() for i in odd.tolist()])
    return cells


def int_texts(values: Int64Array) -> list[str]:
    """Write integers in decimal, all rows at once (as ``str(int)``)."""
    return int_cells(values).texts()


def int_cells(values: Int64Array, *, narrow: bool = False) -> Cells:
    """:func:`int_texts` as :class:`Cells` (of bytes with ``narrow``)."""
    import numpy as np

    kind = np.uint8 if narrow else np.uint32
    n = values.shape[0]
    if n == 0:
        return Cells(np.zeros((0, 1), dtype=kind), np.zeros(0, dtype=np.int64))
    negative = values < 0
    magnitude = np.abs(values)
    powers = 10 ** np.arange(1, 19, dtype=np.int64)
    digits = np.searchsorted(powers, magnitude, side="right") + 1
    width = digits + negative
    chars = np.zeros((n, int(width.max())), dtype=kind)
    chars[negative, 0] = ord("-")
    rows = np.arange(n)
    for k in range(int(digits.max())):
        has = k < digits
        chars[rows[has], (width - 1 - k)[has]] = ord("0") + magnitude[has] // 10**k % 10
    return Cells(chars, width.astype(np.int64))


def seconds_texts(durations: Int64Array) -> list[str]:
    """Write microseconds as seconds: an integer when whole, else a float (``seconds()``)."""
    return seconds_cells(durations).texts()


def seconds_cells(durations: Int64Array, *, narrow: bool = False) -> Cells:
    """:func:`seconds_texts` as :class:`Cells` (of bytes with ``narrow``)."""
    import numpy as np

    cells = int_cells(durations // _US_PER_SECOND, narrow=narrow)
    fine = np.flatnonzero(durations % _US_PER_SECOND)
    cells.put(fine, [str(int(durations[i]) / _US_PER_SECOND) for i in fine.tolist()])
    return cells
