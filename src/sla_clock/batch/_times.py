"""Time texts in bulk: a column of texts read as epoch microseconds, and instants written back.

Reading (:func:`read_times`) accepts exactly what :func:`sla_clock.parsing.parse_instant`
accepts. The common shapes (ISO 8601 with or without an offset, ``dd/mm/yyyy HH:MM``,
two-digit fields) are read by :func:`bulk_instants` from the characters' code points with
NumPy, all rows at once; any other text goes through ``parse_instant`` one by one, which also
words the error of a bad time. The fast reader handles the years ``FIRST_YEAR``-``LAST_YEAR``;
other years go through ``parse_instant`` too. No year is refused here: whether the engine can
answer a year is the calendar's rule (its :attr:`~sla_clock.calendar.BusinessCalendar.year_range`),
applied to each row like every other ticket rule.

Writing the statuses back as text is :mod:`sla_clock.batch._texts`.

NumPy is imported inside the functions, so importing this module costs nothing.

>>> from sla_clock import BusinessCalendar
>>> calendar = BusinessCalendar.default()
>>> us, read, empty = bulk_instants(["2026-11-23 14:00", "23/11/2026 14:00", ""], calendar)
>>> read.tolist(), empty.tolist(), (us[0] - us[1]).item()
([True, True, False], [False, False, True], 0)
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, NamedTuple

from ..calendar import BusinessCalendar
from ..errors import TimeParseError
from ..parsing import parse_instant

if TYPE_CHECKING:
    from typing import TypeAlias

    import numpy as np
    import numpy.typing as npt

    Int64Array: TypeAlias = npt.NDArray[np.int64]
    BoolArray: TypeAlias = npt.NDArray[np.bool_]

__all__ = [
    "FIRST_YEAR",
    "LAST_YEAR",
    "NAT",
    "Times",
    "bulk_instants",
    "read_times",
]

#: The years the fast reader handles (others are read one by one by ``parse_instant``).
FIRST_YEAR, LAST_YEAR = 1900, 2199
#: The epoch microseconds of an empty or unread time (NumPy's NaT as an int64).
NAT = -(2**63)

_WIDTH = 32  # longest text read in bulk: 2026-11-23T14:00:00.123456-03:00 is 32
_DAYS_IN_MONTH = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_US_PER_SECOND = 1_000_000


def _days_from_civil(year: Int64Array, month: Int64Array, day: Int64Array) -> Int64Array:
    """Return days since 1970-01-01 of proleptic Gregorian dates (H. Hinnant's algorithm)."""
    y = year - (month <= 2)
    era = y // 400
    yoe = y - era * 400
    mp = (month + 9) % 12
    doy = (153 * mp + 2) // 5 + day - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    days: Int64Array = era * 146_097 + doe - 719_468
    return days


def bulk_instants(
    texts: Sequence[str], calendar: BusinessCalendar
) -> tuple[Int64Array, BoolArray, BoolArray]:
    """Read the usual shapes of time text from their code points, all rows at once.

    Reads ``YYYY-MM-DD``, ``YYYY-MM-DD[T ]HH:MM[:SS[.f]]`` and ``DD/MM/YYYY[ HH:MM[:SS[.f]]]``,
    the times optionally followed by ``Z`` or ``±HH:MM``, with valid fields and a year in
    ``FIRST_YEAR..LAST_YEAR``. A wall time without an offset is localized with the fold rule
    (:func:`sla_clock.bulk.localize_many_us`).

    Returns:
        Epoch microseconds, a mask of the rows read, and a mask of the empty texts. The rows
        not read are ``NAT``, left to ``parse_instant``, which accepts more and words the
        errors.
    """
    import numpy as np

    out = np.full(len(texts), NAT, dtype=np.int64)
    done = np.zeros(len(texts), dtype=bool)
    text = np.array(texts, dtype=str)
    blank = np.char.str_len(text) == 0
    live = np.flatnonzero(~blank)  # e.g. the 60 % of tickets not resolved have no text
    if live.size:
        out[live], done[live] = _read_shapes(text[live], calendar)
    return out, done, blank


class _Codes(NamedTuple):
    """The characters of a column of texts as a matrix: one byte per character, per row."""

    c: Any  # uint8 (n, _WIDTH): ASCII as is, anything else 255 (it matches no pattern)
    d: Any  # c - ord("0"), wrapping below "0", so digits are exactly d <= 9
    digit: Any  # d <= 9
    rows: Any  # arange(n)
    length: Int64Array  # characters per text

    def char(self, at: int | Int64Array, chars: str) -> BoolArray:
        """Whether the character at ``at`` (a position, or one per row) is one of ``chars``."""
        column = self.c[:, at] if isinstance(at, int) else self.c[self.rows, at]
        found: BoolArray = column == ord(chars[0])
        for other in chars[1:]:
            found |= column == ord(other)
        return found


def _codes(text: Any) -> _Codes:
    import numpy as np

    n = text.shape[0]
    width = text.dtype.itemsize // 4
    c = np.zeros((n, _WIDTH), dtype=np.uint8)
    if width:
        keep = min(width, _WIDTH)
        codes = text.view(np.uint32).reshape(n, width)[:, :keep]
        c[:, :keep] = np.minimum(codes, 255)
    d = c - np.uint8(ord("0"))
    length = np.char.str_len(text).astype(np.int64)
    return _Codes(c, d, d <= 9, np.arange(n), length)


class _Shape(NamedTuple):
    """Which rows have one of the known shapes, and where their parts are."""

    ok: BoolArray
    iso: BoolArray
    zulu: BoolArray
    offset: BoolArray
    o: Int64Array  # where a ``±HH:MM`` offset starts
    core: Int64Array  # the length without the offset or ``Z``
    has_time: BoolArray
    has_seconds: BoolArray


def _shape(k: _Codes) -> _Shape:
    """Match every row against the known shapes (ISO and dd/mm/yyyy, with a time, an offset)."""
    import numpy as np

    digit, char, length, rows = k.digit, k.char, k.length, k.rows
    iso = digit[:, [0, 1, 2, 3, 5, 6, 8, 9]].all(axis=1) & char(4, "-") & char(7, "-")
    br = digit[:, [0, 1, 3, 4, 6, 7, 8, 9]].all(axis=1) & char(2, "/") & char(5, "/")
    zulu = (iso | br) & char(np.clip(length - 1, 0, _WIDTH - 1), "Zz")
    o = np.clip(length - 6, 0, _WIDTH - 6)
    offset = (
        (iso | br)
        & (length >= 22)
        & char(o, "+-")
        & digit[rows, o + 1]
        & digit[rows, o + 2]
        & char(o + 3, ":")
        & digit[rows, o + 4]
        & digit[rows, o + 5]
    )
    core = length - zulu.astype(np.int64) - 6 * offset.astype(np.int64)
    has_time, has_seconds, has_fraction = core >= 16, core >= 19, core >= 21
    time_ok = (
        np.where(iso, char(10, "T "), char(10, " "))
        & digit[:, 11]
        & digit[:, 12]
        & char(13, ":")
        & digit[:, 14]
        & digit[:, 15]
    )
    seconds_ok = char(16, ":") & digit[:, 17] & digit[:, 18]
    fraction_ok = has_fraction
    if has_fraction.any():  # most files have none: skip the work
        fraction_ok = np.where(iso, char(19, "."), char(19, ".,")) & (
            digit[:, 20:26] | (np.arange(20, 26) >= core[:, None])
        ).all(axis=1)
    ok = (
        (iso | br)
        & (length <= _WIDTH)
        & ((core == 10) | (core == 16) | (core == 19) | ((core >= 21) & (core <= 26)))
        & (~has_time | time_ok)
        & (~has_seconds | seconds_ok)
        & (~has_fraction | fraction_ok)
        & (~(zulu | offset) | has_time)
    )
    return _Shape(ok, iso, zulu, offset, o, core, has_time, has_seconds)


def _read_shapes(text: Any, calendar: BusinessCalendar) -> tuple[Int64Array, BoolArray]:
    """Do the work of :func:`bulk_instants` on an array of non-empty texts."""
    import numpy as np

    k = _codes(text)
    shape = _shape(k)
    out = np.full(text.shape[0], NAT, dtype=np.int64)
    if shape.ok.any():
        _instants(k, shape, calendar, out)
    return out, shape.ok


def _instants(k: _Codes, shape: _Shape, calendar: BusinessCalendar, out: Int64Array) -> None:
    """Read the fields of the rows of a known shape into ``out``; unset ``ok`` where invalid."""
    import numpy as np

    from ..bulk import localize_many_us

    ok = shape.ok
    # Fields of the rows of a known shape only (garbage elsewhere could overflow).
    sel = np.flatnonzero(ok)
    ds, o, iso, core = k.d[sel], shape.o[sel], shape.iso[sel], shape.core[sel]
    zulu, offset = shape.zulu[sel], shape.offset[sel]
    has_time, has_seconds = shape.has_time[sel], shape.has_seconds[sel]
    sub = np.arange(sel.size)

    def number(*at: int | Int64Array) -> Int64Array:
        value = np.zeros(sel.size, dtype=np.int64)
        for position in at:
            value *= 10
            value += ds[:, position] if isinstance(position, int) else ds[sub, position]
        return value

    year = np.where(iso, number(0, 1, 2, 3), number(6, 7, 8, 9))
    month = np.where(iso, number(5, 6), number(3, 4))
    day = np.where(iso, number(8, 9), number(0, 1))
    hour = np.where(has_time, number(11, 12), 0)
    minute = np.where(has_time, number(14, 15), 0)
    second = np.where(has_seconds, number(17, 18), 0)
    fraction = np.zeros(sel.size, dtype=np.int64)
    if (core >= 21).any():
        for i in range(6):
            digit_i = np.where(20 + i < core, ds[:, 20 + i], 0).astype(np.int64)
            fraction += digit_i * 10 ** (5 - i)
    offset_hours = offset_minutes = np.zeros(sel.size, dtype=np.int64)
    if offset.any():
        offset_hours = number(o + 1, o + 2)
        offset_minutes = number(o + 4, o + 5)
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    month_days = np.asarray(_DAYS_IN_MONTH)[np.clip(month, 0, 12)] + (leap & (month == 2))
    valid = (
        (year >= FIRST_YEAR)
        & (year <= LAST_YEAR)
        & (month >= 1)
        & (month <= 12)
        & (day >= 1)
        & (day <= month_days)
        & (hour <= 23)
        & (minute <= 59)
        & (second <= 59)
        & (~offset | ((offset_hours <= 23) & (offset_minutes <= 59)))
    )
    ok[sel] = valid
    days = _days_from_civil(year, month, day)
    wall = (((days * 24 + hour) * 60 + minute) * 60 + second) * _US_PER_SECOND + fraction
    if offset.any():
        sign = np.where(k.c[sel, o] == ord("-"), -1, 1)
        shift = sign * (offset_hours * 60 + offset_minutes) * 60 * _US_PER_SECOND
        wall -= np.where(offset, shift, 0)
    naive = valid & ~zulu & ~offset
    if naive.any():
        wall[naive] = localize_many_us(calendar, wall[naive])
    out[sel[valid]] = wall[valid]


class Times(NamedTuple):
    """A column of times: epoch microseconds (``NAT`` when empty or bad) and the errors."""

    us: Int64Array
    empty: BoolArray
    errors: dict[int, str]


def read_times(values: Sequence[Any], calendar: BusinessCalendar, now: datetime) -> Times:
    """Read a column of time texts (``None`` or blank: empty); see :func:`bulk_instants`."""
    import numpy as np

    errors: dict[int, str] = {}
    texts: Sequence[str]
    if set(map(type, values)) <= {str}:
        texts = values
    else:  # JSON Lines: null, or a value of another type
        texts = [value if isinstance(value, str) else "" for value in values]
        for i, value in enumerate(values):
            if not isinstance(value, str) and value is not None:
                errors[i] = f"expected a time as text, got {type(value).__name__} {value!r}"
    us, done, empty = bulk_instants(texts, calendar)
    if errors:
        empty[list(errors)] = False
    for i in np.flatnonzero(~done & ~empty).tolist():
        text = texts[i]
        if i in errors:
            continue
        if not text.strip():
            empty[i] = True
            continue
        try:
            us[i] = calendar.to_us(parse_instant(text, calendar, now))
        except TimeParseError as exc:
            errors[i] = str(exc)
    return Times(us, empty, errors)
