"""The bulk time reader agrees with parse_instant, Brazilian times with an offset included.

``sla_clock.batch._times`` reads the usual shapes of a column of times from their code points
and leaves every other text to :func:`sla_clock.parsing.parse_instant`. Both must give the
same instant for every text either accepts; tests/batch/test_batch.py holds the family for ISO
texts, this file extends it to ``dd/mm/yyyy HH:MM[:SS[.f]]`` followed by ``Z`` or an offset.
"""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from sla_clock import BusinessCalendar, TimeParseError
from sla_clock.batch._times import bulk_instants, read_times
from sla_clock.parsing import parse_instant

CALENDAR = BusinessCalendar.default()
NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)

BRAZILIAN_WITH_OFFSETS = [
    "24/11/2026 17:30-03:00",
    "24/11/2026 17:30:00-03:00",
    "24/11/2026 20:30Z",
    "24/11/2026 20:30:00z",
    "24/11/2026 20:30:00.25Z",
    "24/11/2026 20:30:00,000001+00:00",
    "25/11/2026 05:30+09:00",
    "29/02/2024 23:59:59.999999-23:59",
    "01/01/1900 00:00+05:30",
]


def test_brazilian_times_with_an_offset_are_read_in_bulk() -> None:
    """The usual Brazilian shapes with Z or ±HH:MM are read at once, as parse_instant reads them."""
    us, done, empty = bulk_instants(BRAZILIAN_WITH_OFFSETS, CALENDAR)
    assert done.all()
    assert not empty.any()
    expected = [CALENDAR.to_us(parse_instant(t, CALENDAR)) for t in BRAZILIAN_WITH_OFFSETS]
    assert us.tolist() == expected


def test_a_column_of_brazilian_times_with_offsets_reads_without_errors() -> None:
    """``read_times`` (the batch path) reads them too: before, every one was a row error."""
    texts = [*BRAZILIAN_WITH_OFFSETS, "24/11/2026 17:30 -03:00", "24/11/2026 17:30-0300"]
    times = read_times(texts, CALENDAR, NOW)
    assert times.errors == {}
    assert times.us.tolist() == [CALENDAR.to_us(parse_instant(t, CALENDAR)) for t in texts]


_DAY = st.sampled_from(["24", "1", "29", "31", "00", "4"])
_MONTH = st.sampled_from(["11", "02", "13", "2", "01"])
_YEAR = st.sampled_from(["2026", "2024", "1900", "2199", "1899", "2200"])
_CLOCK = st.sampled_from(["17:30", "9:05", "23:59", "24:00", "17:60", "17:30:00", "17:30:59.5",
                          "17:30:00,123456", "17:30:00.1234567", "00:00"])  # fmt: skip
_OFFSET = st.sampled_from(["", "Z", "z", "-03:00", "+05:30", "+23:59", "-24:00", "+00:00",
                           "-0300", "-03", " -03:00", " Z", "-3:00", "+05:3", "+99:00",
                           "-03:00:30", "UTC"])  # fmt: skip
_SEPARATOR = st.sampled_from([" ", "  ", "T", ""])
_BRAZILIAN = st.builds("{}/{}/{}{}{}{}".format, _DAY, _MONTH, _YEAR, _SEPARATOR, _CLOCK, _OFFSET)
_PIECES = st.lists(
    st.sampled_from(["24", "/", "11", "2026", " ", "17", ":", "30", "00", ".", ",", "5",
                     "Z", "z", "+", "-", "03", ":00", "é", "\u0663"]),
    max_size=14,
).map("".join)  # fmt: skip


@given(st.lists(st.one_of(_BRAZILIAN, _BRAZILIAN, _PIECES), max_size=12))
def test_bulk_reader_agrees_with_parse_instant(texts: list[str]) -> None:
    """Whatever the bulk reader accepts, parse_instant reads to the same instant."""
    us, done, _ = bulk_instants(texts, CALENDAR)
    for text, value, ok in zip(texts, us.tolist(), done.tolist(), strict=True):
        if ok:
            assert CALENDAR.to_us(parse_instant(text, CALENDAR)) == value, text


@given(st.lists(st.one_of(_BRAZILIAN, _BRAZILIAN, _PIECES), max_size=12))
def test_a_column_reads_as_each_text_alone(texts: list[str]) -> None:
    """``read_times`` gives each text parse_instant's instant, or an error where it refuses one.

    No year is refused by the reader: which years a calendar answers is the engine's rule.
    """
    times = read_times(texts, CALENDAR, NOW)
    for i, text in enumerate(texts):
        if not text.strip():
            assert bool(times.empty[i]), text
            continue
        try:
            expected = CALENDAR.to_us(parse_instant(text, CALENDAR, NOW))
        except TimeParseError:
            assert i in times.errors, text
            continue
        assert i not in times.errors, (text, times.errors.get(i))
        assert int(times.us[i]) == expected, text
