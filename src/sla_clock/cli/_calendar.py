"""``sla-clock calendar``: a year of the calendar in use, to check it before trusting it."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from .. import SlaPolicy
from ..views._calendar_year import calendar_year, calendar_year_text
from ._options import add_policy_option, calendar_from_args, language_from_args, language_options
from ._plumbing import EXIT_OK, print_json

if TYPE_CHECKING:
    from ._plumbing import Subparsers

__all__ = ["add_calendar"]


def add_calendar(subparsers: Subparsers, parents: Sequence[argparse.ArgumentParser]) -> None:
    """Declare ``calendar [YEAR] [--policy FILE] [--lang LANG] [--ics]``."""
    parser = subparsers.add_parser(
        "calendar",
        parents=[*parents, language_options()],
        help="list a year of the calendar: weekly hours, closed dates, partial days",
        description="List what the calendar in use does in YEAR, to check it before trusting "
        "it: the open hours of each weekday, the closed dates (public holidays with their "
        "names, the company's own closed dates), partial days, extra open days, and the "
        "year's open days and business time.",
    )
    parser.add_argument(
        "year",
        metavar="YEAR",
        nargs="?",
        type=int,
        help="the year to list; default: the current year in the calendar's zone",
    )
    parser.add_argument(
        "--ics",
        action="store_true",
        help="print the year as an iCalendar file instead (closures busy, opening hours "
        "free), to subscribe to in Outlook or Google Calendar; needs sla-clock[ics]",
    )
    add_policy_option(parser)
    parser.set_defaults(handler=run_calendar)


def run_calendar(args: argparse.Namespace) -> int:
    """Print the year ``args.year`` of the calendar the options name."""
    base = None if args.policy is None else SlaPolicy.from_file(args.policy).calendar
    calendar = calendar_from_args(args, base=base)
    year = datetime.now(calendar.zone).year if args.year is None else args.year
    lang = language_from_args(args)
    if args.ics:
        from ..views._calendar_ics import calendar_ics  # (icalendar: only for this)

        sys.stdout.flush()
        sys.stdout.buffer.write(calendar_ics(calendar, year, lang=lang))
        sys.stdout.flush()
        return EXIT_OK
    if args.json:  # JSON values do not change with the language: English holiday names
        print_json(calendar_year(calendar, year, lang="en").to_dict())
    else:
        print(calendar_year_text(calendar_year(calendar, year, lang=lang), lang))
    return EXIT_OK
