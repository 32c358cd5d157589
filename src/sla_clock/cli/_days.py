"""``sla-clock days``: move a date by business days, or count the business days between two.

``days DATE N`` prints ``calendar.add_business_days(DATE, N)`` as an ISO date;
``days DATE DATE2`` prints ``calendar.business_days_between(DATE, DATE2)`` as an integer.
The second argument is N when it is a whole number (``5``, ``-3``, ``+2``, ``0``), else a
date: so ``20261130`` is N, and a date is written ``2026-11-30`` or ``30/11/2026``. Both
outputs are the same in every language.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from ..errors import SlaClockError, TimeParseError
from ..parsing import DATE_FORMS, parse_date
from ._options import calendar_from_args
from ._plumbing import EXIT_OK, print_json

if TYPE_CHECKING:
    from ._plumbing import Subparsers

__all__ = ["DaysArgumentError", "add_days", "read_days_or_date"]

#: How a date may be written, as the help of ``days`` says it.
DATE_HELP = f"a date, {DATE_FORMS}: a local date of the calendar's zone"
#: A whole number of business days: ASCII digits with an optional sign.
_WHOLE = re.compile(r"[+-]?[0-9]+")
#: What looks like a number that is not whole (``5.5``, ``1e9``, ``1_000``): said so.
_NUMBER_LIKE = re.compile(r"[+-]?[0-9_]*(?:[.,][0-9_]*)?(?:[eE][+-]?[0-9]+)?")
#: More digits than this are refused unread: no calendar counts that many business days.
_MOST_DIGITS = 30
#: What the second argument may be, as its messages say it.
_SECOND = "a whole number of business days (5, -3, 0) or a date"


class DaysArgumentError(SlaClockError, ValueError):
    """The N of ``days DATE N`` is not a whole number of business days one can count."""


def read_days_or_date(text: str) -> int | date:
    """Read the second argument of ``days``: a whole number of business days, else a date.

    Raises:
        DaysArgumentError: a number that is not whole, or has too many digits.
        TimeParseError: neither a whole number nor a date.

    >>> read_days_or_date("-3"), read_days_or_date("30/11/2026")
    (-3, datetime.date(2026, 11, 30))
    """
    stripped = text.strip()
    if _WHOLE.fullmatch(stripped):
        digits = stripped.lstrip("+-").lstrip("0")
        if len(digits) > _MOST_DIGITS:
            msg = (
                f"N has {len(digits):,} digits: far more business days than a calendar can "
                "count (one question covers at most a century); check the number"
            )
            raise DaysArgumentError(msg)
        return int(stripped)
    if any(c.isdigit() for c in stripped) and _NUMBER_LIKE.fullmatch(stripped):
        shown = (
            repr(stripped) if len(stripped) <= _MOST_DIGITS else f"{stripped[:_MOST_DIGITS]!r}..."
        )
        msg = f"N|DATE2 {shown} is not a whole number; write {_SECOND}: {DATE_FORMS}"
        raise DaysArgumentError(msg)
    try:
        return parse_date(text)
    except TimeParseError as exc:
        msg = f"N|DATE2 must be {_SECOND}: {exc}"
        raise TimeParseError(msg) from None


def add_days(subparsers: Subparsers, parents: Sequence[argparse.ArgumentParser]) -> None:
    """Declare ``days DATE N|DATE2``."""
    parser = subparsers.add_parser(
        "days",
        parents=parents,
        help="move a date by business days, or count the business days between two dates",
        description="With N, a whole number: print the date N business days after DATE "
        "(before it when N is negative); a DATE that is not a business day first moves "
        "forward to the next one, as NumPy's busday_offset(roll='forward') does, so N = 0 "
        "gives the first business day from DATE on. With DATE2: print how many business "
        "days there are from DATE up to DATE2, DATE counted and DATE2 not (negative when "
        "DATE2 comes first). A business day is a date with some open time in the calendar; "
        "a partial day counts.",
    )
    parser.add_argument("start", metavar="DATE", help=DATE_HELP)
    parser.add_argument(
        "other",
        metavar="N|DATE2",
        help="a whole number of business days (5, -3, 0), or a second date (a whole "
        "number is always N: write DATE2 with its - or /, e.g. 2026-11-30)",
    )
    parser.set_defaults(handler=run_days)


def run_days(args: argparse.Namespace) -> int:
    """Print ``DATE`` moved by ``N`` business days, or the business days to ``DATE2``."""
    calendar = calendar_from_args(args)
    start = parse_date(args.start)
    other = read_days_or_date(args.other)
    if isinstance(other, date):
        count = calendar.business_days_between(start, other)
        if args.json:
            print_json(
                {
                    "start": start.isoformat(),
                    "end": other.isoformat(),
                    "business_days": count,
                    "timezone": calendar.timezone,
                }
            )
        else:
            print(count)
        return EXIT_OK
    result = calendar.add_business_days(start, other)
    if args.json:
        print_json(
            {
                "start": start.isoformat(),
                "days": other,
                "result": result.isoformat(),
                "timezone": calendar.timezone,
            }
        )
    else:
        print(result.isoformat())
    return EXIT_OK
