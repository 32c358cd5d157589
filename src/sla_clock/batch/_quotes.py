r"""CSV records that would lose rows: unclosed quotes and quotes that close too late.

A quote left open makes every later line part of one field, and a stray quote that closes
lines later swallows the rows in between, so such a record is not one bad row to skip: it
breaks the file. The rule, from the line the quote opened on:

- a quote never closed, or a field longer than the ``csv`` module's limit, breaks the file;
- a record over several lines breaks it unless it is valid CSV, has the header's number
  of fields, its line breaks all lie in columns that are not ticket fields (a description,
  say), and none of its inner lines reads as a whole ticket row (a line with the header's
  number of fields and a date in the ``opened`` column);
- a record on one line that is not valid CSV (a stray quote) is one bad row.

>>> quote_line('T-2,P0,"2026-11-23\nT-3,P0,2026-11-23\n', ",")
0
"""

from __future__ import annotations

import csv
import functools
import re
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime

from ..calendar import BusinessCalendar
from ..errors import SlaClockError, TicketError
from ..parsing import parse_instant

__all__ = [
    "QUOTE_HELP",
    "BrokenFileError",
    "breaks",
    "broken_by_error",
    "broken_by_lines",
    "quote_line",
]

_BREAK = re.compile(r"\r\n|\r|\n")
QUOTE_HELP = 'close the quote, and write "" for a quote inside a quoted field'


class BrokenFileError(TicketError):
    """The file cannot be read on past a line without losing rows (an unclosed quote).

    Attributes:
        line: the line where the trouble starts (where the quote opened).
    """

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


def breaks(text: str) -> int:
    r"""Return how many line breaks ``text`` has (``\r\n`` is one, as files count lines).

    >>> breaks("a\r\nb\nc\rd")
    3
    """
    return text.count("\n") + text.count("\r") - text.count("\r\n")


def quote_line(raw: str, delimiter: str) -> int:
    """Return the line offset, in ``raw``, where the quoted field still open at its end opened.

    ``raw`` is a record that failed to parse: the quote is the one still open at its end, or
    the one after whose close a stray character came (as the ``csv`` module's strict mode
    reads it).
    """
    line = opened = 0
    state = "start"  # the start of a field, a "plain" field, a "quoted" one, a "closed" quote
    previous = ""
    for char in raw:
        if char == "\n" and previous == "\r":
            previous = char
            continue  # the second half of \r\n
        previous = char
        newline = char in "\r\n"
        if state == "quoted":
            if char == '"':
                state = "closed"
        elif state == "closed":
            if char == '"':
                state = "quoted"
            elif char == delimiter or newline:
                state = "start"
            else:
                return opened  # a stray character after a closing quote
        elif char == '"' and state == "start":
            state, opened = "quoted", line
        elif char == delimiter or newline:
            state = "start"
        else:
            state = "plain"
        if newline:
            line += 1
    return opened


def broken_by_error(
    where: str, reason: str, raw: str, start: int, end: int, delimiter: str
) -> BrokenFileError | None:
    """Return why a record that is not valid CSV breaks the file, or ``None`` (one bad row).

    Args:
        where: the file's name in messages.
        reason: the ``csv.Error`` message.
        raw: the record's text, lines ``start`` to ``end``.
        start: its first line.
        end: the line the error came on.
        delimiter: the file's field separator.
    """
    line = start + quote_line(raw, delimiter)
    if "field larger than field limit" in reason:
        message = (
            f"a field is longer than {csv.field_size_limit():,} characters, as when a quote "
            f"opened on line {line} is never closed; {QUOTE_HELP}"
        )
    elif "unexpected end of data" in reason:
        rest = f"lines {line}-{end}" if end > line else f"line {line}"
        message = (
            f"the quote opened on line {line} is never closed, so the rest of the file "
            f"({rest}) would be one field; {QUOTE_HELP}"
        )
    elif end > start:
        message = (
            f"the quote opened on line {line} runs to line {end} and is not valid CSV there "
            f"({reason}); {QUOTE_HELP}"
        )
    else:
        return None
    return BrokenFileError(f"{where} line {line}: {message}", line)


def broken_by_lines(
    where: str,
    record: Sequence[str],
    start: int,
    end: int,
    header: Sequence[str],
    fields: Mapping[str, int],
    delimiter: str,
) -> BrokenFileError | None:
    """Return why a valid record over lines ``start``-``end`` breaks the file, or ``None``.

    Args:
        where: the file's name in messages.
        record: the record's fields.
        start: its first line.
        end: its last line.
        header: the file's header.
        fields: the position of each ticket field's column.
        delimiter: the file's field separator.
    """
    names = {position: name for name, position in fields.items()}
    width = len(header)
    line = start
    for position, value in enumerate(record):
        count = breaks(value)
        if not count:
            continue
        if len(record) != width:
            problem = f"so the record has {len(record)} fields, the header {width}"
        elif position in names:
            problem = f"into the {names[position]} field, which is one line of text"
        elif _holds_a_row(value, width, fields["opened"], delimiter):
            problem = "over what reads as whole rows of tickets"
        else:
            line += count
            continue
        message = (
            f"{where} line {line}: the quote opened on line {line} runs to line {end}, "
            f"{problem}; {QUOTE_HELP} (a line break may only be inside a quoted field of a "
            "column that is not a ticket field, such as a description)"
        )
        return BrokenFileError(message, line)
    return None


def _holds_a_row(value: str, width: int, opened: int, delimiter: str) -> bool:
    """Tell whether a line of ``value`` after its first reads as a whole ticket row."""
    for text in _BREAK.split(value)[1:]:
        if text.count(delimiter) < width - 1:
            continue
        try:
            cells = next(csv.reader([text], delimiter=delimiter, strict=True))
        except (csv.Error, StopIteration):
            continue
        if len(cells) == width and _reads_as_a_time(cells[opened]):
            return True
    return False


def _reads_as_a_time(text: str) -> bool:
    """Whether ``batch`` would read ``text`` as a time (any form it accepts, ``now`` too)."""
    try:
        parse_instant(text, _any_calendar(), _EPOCH)
    except SlaClockError:
        return False
    return True


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@functools.cache
def _any_calendar() -> BusinessCalendar:
    """A calendar to read a time in: only whether the text is a time matters here."""
    return BusinessCalendar.create(timezone="UTC", country=None)
