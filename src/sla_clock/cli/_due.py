"""``sla-clock due``: when a ticket of a priority opened at a time is due.

Prints one ISO 8601 line (the same in every language); ``--explain`` prints instead, for
people, the business time counted day by day; ``--json`` prints a JSON object.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from .. import explain_due
from ..parsing import parse_instant
from ..views._formats import seconds
from ..views._rules_text import rules_dict, rules_line, versioned
from ..views._text import day_dict, explanation_text
from ._options import (
    TIME_HELP,
    add_policy_option,
    language_from_args,
    language_options,
    policy_from_args,
)
from ._plumbing import EXIT_OK, print_json

if TYPE_CHECKING:
    from ._plumbing import Subparsers

__all__ = ["add_due"]


def add_due(subparsers: Subparsers, parents: Sequence[argparse.ArgumentParser]) -> None:
    """Declare ``due PRIORITY [--opened TIME] [--policy FILE] [--explain] [--lang LANG]``."""
    parser = subparsers.add_parser(
        "due",
        parents=[*parents, language_options()],
        help="print when a ticket of a priority is due",
        description="Print the deadline of a ticket: its opening time plus the priority's "
        "target in business time, as one ISO 8601 line (in every language). --explain "
        "prints instead, for people, the business time counted day by day.",
    )
    parser.add_argument("priority", help="priority code, e.g. P1 (case-insensitive)")
    parser.add_argument(
        "--opened",
        metavar="TIME",
        default="now",
        help=f"when the ticket opened ({TIME_HELP}); default: now",
    )
    add_policy_option(parser)
    parser.add_argument(
        "--explain",
        action="store_true",
        help="print the business time counted each day up to the deadline; with --json, "
        "add a 'days' list",
    )
    parser.set_defaults(handler=run_due)


def run_due(args: argparse.Namespace) -> int:
    """Print the deadline of a ticket of ``args.priority`` opened at ``args.opened``.

    With policy versions, the version is the one in force at the opening, or now with
    ``policy_version = "current"`` (a due date is asked now).
    """
    policy = policy_from_args(args)
    policy.priority(args.priority)  # an unknown code is the error, whatever the version
    calendar = policy.calendar
    current = datetime.now(UTC)
    opened: datetime = parse_instant(args.opened, calendar, current)
    version = policy.in_force(opened, current)
    priority = version.priority(args.priority)
    target = version.budget(opened, priority.code)  # a target in days has its own per ticket
    if args.explain:
        due, days = explain_due(calendar, opened, target)
    else:
        due, days = version.due_at(opened, priority.code), []
    if args.json:
        data: dict[str, Any] = {
            "priority": priority.code,
            "opened_at": opened.isoformat(),
            "due_at": due.isoformat(),
            "target_seconds": seconds(target),
            "timezone": calendar.timezone,
        }
        if args.explain:
            data["days"] = [day_dict(day, calendar) for day in days]
        if versioned(policy):
            data["rules"] = rules_dict(policy, opened, current, due)
        print_json(data)
    elif args.explain:
        lang = language_from_args(args)
        line = rules_line(policy, opened, current, due, lang) if policy.versions else None
        print(explanation_text(priority, opened, due, days, calendar, lang, versions_line=line))
    else:
        print(due.isoformat())
    return EXIT_OK
