"""``sla-clock status``: where a ticket stands against its SLA; exit status 1 when it is late.

Human text in English or Portuguese, or ``--json``; ``--plot`` also draws the ticket's
timeline, from the very status it prints (:mod:`sla_clock.views._timeline_facts` computes
the status and the clock once, for the text and the figure).
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from .. import BusinessCalendar, Pause, SlaStatus, Ticket
from ..parsing import parse_instant
from ..views._rules_text import rules_dict, versioned
from ..views._text import status_text
from ..views._timeline_facts import TimelineFacts, marks_of, timeline_facts
from ..views._words import Language
from ._options import (
    TIME_HELP,
    add_policy_option,
    language_from_args,
    language_options,
    policy_from_args,
)
from ._plumbing import EXIT_LATE, EXIT_OK, error_line, print_json
from ._status_events import run_status_events

if TYPE_CHECKING:
    from ._plumbing import Subparsers

__all__ = ["MAX_PLOT_DAYS", "add_status"]

#: The most days ``status --plot`` draws (about 1 s of drawing; decades would take minutes).
MAX_PLOT_DAYS = 366
#: Words that end a ``--pause`` still going on.
OPEN_PAUSE = ("open", "-")


def add_status(subparsers: Subparsers, parents: Sequence[argparse.ArgumentParser]) -> None:
    """Declare ``status PRIORITY --opened TIME [--now TIME] [--resolved TIME] [--pause S E]``."""
    parser = subparsers.add_parser(
        "status",
        parents=[*parents, language_options()],
        help="print where a ticket stands against its SLA (exit 1 when late)",
        description="Print the SLA status of a ticket: state, deadline, breach instant, "
        "business time used and remaining, escalation. Exits with 0 when the ticket is not "
        "late, 1 when it is breached or missed, 2 on bad input.",
    )
    parser.add_argument(
        "priority",
        nargs="?",
        help="priority code, e.g. P1 (case-insensitive); needed without --events",
    )
    parser.add_argument(
        "--opened",
        metavar="TIME",
        help=f"when the ticket opened ({TIME_HELP}); needed without --events",
    )
    parser.add_argument(
        "--events",
        metavar="FILE",
        help="read the ticket's history from an events file (JSON Lines, or CSV "
        "ticket,at,event,value) and print every metric of --ticket",
    )
    parser.add_argument("--ticket", metavar="ID", help="the ticket of --events")
    parser.add_argument(
        "--now",
        metavar="TIME",
        default="now",
        help=f"the instant of the status ({TIME_HELP}); pauses and a resolution after it "
        "are ignored; default: now",
    )
    parser.add_argument("--resolved", metavar="TIME", help="when the ticket was resolved")
    parser.add_argument(
        "--pause",
        nargs=2,
        action="append",
        metavar=("START", "END"),
        help="a pause of the clock (e.g. waiting on the customer); END 'open' or '-' for a "
        "pause still going on; repeat for several pauses (overlapping ones merge)",
    )
    add_policy_option(parser)
    parser.add_argument(
        "--plot",
        metavar="FILE",
        help="also draw the ticket's timeline into FILE (.svg or .png), labels in the "
        f"language of --lang, up to {MAX_PLOT_DAYS} days long; needs matplotlib: "
        "pip install 'sla-clock[docs]'",
    )
    parser.set_defaults(handler=run_status)


def _read_pauses(
    spans: Sequence[Sequence[str]], calendar: BusinessCalendar, now: datetime
) -> tuple[Pause, ...]:
    """Return the pauses of the ``--pause START END`` options.

    Raises:
        TimeParseError: a time does not parse.
        TicketError: a pause ends before it starts.
    """
    pauses = []
    for start_text, end_text in spans:
        start = parse_instant(start_text, calendar, now)
        ongoing = end_text.strip().lower() in OPEN_PAUSE
        end = None if ongoing else parse_instant(end_text, calendar, now)
        pauses.append(Pause(start=start, end=end))
    return tuple(pauses)


def run_status(args: argparse.Namespace) -> int:
    """Print the status of the ticket the options describe; return 1 when it is late."""
    if args.events is not None or args.ticket is not None:
        return run_status_events(args)
    if args.priority is None or args.opened is None:
        missing = [n for n, v in (("PRIORITY", args.priority), ("--opened", args.opened)) if not v]
        return error_line(
            f"status needs {' and '.join(missing)} (or --events FILE --ticket ID); see "
            "sla-clock status --help"
        )
    policy = policy_from_args(args)
    calendar = policy.calendar
    current = datetime.now(UTC)
    opened = parse_instant(args.opened, calendar, current)
    now = parse_instant(args.now, calendar, current)
    resolved = None if args.resolved is None else parse_instant(args.resolved, calendar, current)
    ticket = Ticket(
        opened_at=opened,
        priority=args.priority,
        pauses=_read_pauses(args.pause or [], calendar, current),
        resolved_at=resolved,
    )
    lang = language_from_args(args)
    status: SlaStatus
    if args.plot is None:
        status = policy.status(ticket, now)
    else:
        facts = timeline_facts(policy, ticket, now)  # one status, one clock: text and figure
        status = facts.status
        problem = _write_plot(args.plot, facts, lang)
        if problem is not None:
            return error_line(problem)
    if args.json:
        data = status.to_dict()
        if versioned(policy):
            until = now if resolved is None else min(resolved, now)
            data["rules"] = rules_dict(policy, opened, now, until)
        print_json(data)
    else:
        print(status_text(status, ticket, policy, lang))
    return EXIT_LATE if status.is_late else EXIT_OK


def _write_plot(path: str, facts: TimelineFacts, lang: Language) -> str | None:
    """Draw the timeline of ``facts`` into ``path``; return what went wrong, or None."""
    try:
        from ..views.figure import draw_timeline, plot_format
    except ImportError as exc:
        cause = exc.__cause__ or exc
        return f"--plot needs matplotlib ({cause}); install it with: pip install 'sla-clock[docs]'"
    try:
        fmt = plot_format(path)
    except ValueError as exc:
        return f"--plot {exc}"
    calendar = facts.policy.calendar
    local = [calendar.localize(mark.at) for mark in marks_of(facts)]
    first, last = min(local).date(), max(local).date()
    days = (last - first).days + 1
    if days > MAX_PLOT_DAYS:  # drawing costs time and memory per day: decades would hang
        return (
            f"--plot draws at most {MAX_PLOT_DAYS} days, and this ticket's timeline spans "
            f"{days:,} days ({first.isoformat()} to {last.isoformat()}); give a --now closer "
            "to --opened, or leave --plot out"
        )
    try:
        draw_timeline(facts, lang=lang, path=path, fmt=fmt)
    except OSError as exc:
        return f"cannot write --plot {path}: {exc.strerror or exc}; check the path"
    return None
