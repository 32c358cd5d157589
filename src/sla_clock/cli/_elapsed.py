"""``sla-clock elapsed``: the business time between two times, as total hours ``H:MM:SS``."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..parsing import parse_instant
from ..views._formats import format_duration, seconds
from ._options import TIME_HELP, calendar_from_args
from ._plumbing import EXIT_OK, print_json

if TYPE_CHECKING:
    from ._plumbing import Subparsers

__all__ = ["add_elapsed"]


def add_elapsed(subparsers: Subparsers, parents: Sequence[argparse.ArgumentParser]) -> None:
    """Declare ``elapsed START END``."""
    parser = subparsers.add_parser(
        "elapsed",
        parents=parents,
        help="print the business time between two times",
        description="Print the business time between START and END as total hours, "
        "H:MM:SS (negative when END is before START).",
    )
    parser.add_argument("start", metavar="START", help=TIME_HELP)
    parser.add_argument("end", metavar="END", help=TIME_HELP)
    parser.set_defaults(handler=run_elapsed)


def run_elapsed(args: argparse.Namespace) -> int:
    """Print the business time from ``args.start`` to ``args.end``."""
    calendar = calendar_from_args(args)
    start = parse_instant(args.start, calendar)
    end = parse_instant(args.end, calendar)
    elapsed = calendar.elapsed(start, end)
    if args.json:
        print_json(
            {
                "start": start.isoformat(),
                "end": end.isoformat(),
                "seconds": seconds(elapsed),
                "elapsed": format_duration(elapsed),
                "timezone": calendar.timezone,
            }
        )
    else:
        print(format_duration(elapsed))
    return EXIT_OK
