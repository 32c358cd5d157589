"""The ``sla-clock`` command line: when is a ticket due, how much business time has passed.

::

    $ sla-clock due P1 --opened "2026-11-24 17:30"
    2026-11-26T11:30:00-03:00
    $ sla-clock elapsed "2026-11-20 10:00" "2026-11-23 10:00"
    1:00:00

Each subcommand is one ``_add_<name>`` function that declares its parser and one
``_cmd_<name>`` function that runs it; :data:`_COMMANDS` lists the ``_add_*`` functions. To add
a command, write both and append the first to :data:`_COMMANDS`: existing commands need no
change. Shared options come from parent parsers (:func:`_calendar_options`,
:func:`_output_options`) and :func:`_calendar_from_args` turns the calendar options into a
:class:`BusinessCalendar`.

Bad input prints one line, ``sla-clock: error: <message>``, on stderr and exits with status 2.
The command uses only the public API of the package.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from sla_clock import BusinessCalendar, SlaClockError, __version__
from sla_clock._parsing import duration_seconds, format_duration, parse_instant
from sla_clock.policy import SlaPolicy

__all__ = ["main"]

PROG = "sla-clock"
#: Exit status for bad input (the same as argparse's usage errors).
EXIT_USAGE = 2
#: Exit status after Ctrl-C (128 + SIGINT), as shells do.
EXIT_INTERRUPTED = 130

if TYPE_CHECKING:
    from typing import TypeAlias

    Subparsers: TypeAlias = argparse._SubParsersAction[argparse.ArgumentParser]

#: Runs one subcommand on its parsed options and returns the exit status.
Handler = Callable[[argparse.Namespace], int]
#: Declares one subcommand on the subparsers, with the shared parent parsers.
CommandAdder = Callable[["Subparsers", Sequence[argparse.ArgumentParser]], None]

TIME_HELP = "ISO 8601, dd/mm/yyyy HH:MM or 'now'; without an offset, the calendar's local time"


# -- shared options ---------------------------------------------------------------------


def _calendar_options() -> argparse.ArgumentParser:
    """Return the parent parser of the options that choose and adjust the calendar."""
    parent = argparse.ArgumentParser(add_help=False)
    group = parent.add_argument_group("calendar")
    group.add_argument(
        "--calendar",
        metavar="FILE",
        help="calendar file (TOML or JSON); default: Mon-Fri 09:00-18:00, São Paulo, BR holidays",
    )
    group.add_argument(
        "--tz",
        metavar="ZONE",
        help="IANA timezone replacing the calendar's, e.g. America/New_York",
    )
    group.add_argument(
        "--subdiv",
        metavar="SUBDIV",
        help="holiday subdivision, e.g. SP (keeps the calendar's country and categories)",
    )
    return parent


def _output_options() -> argparse.ArgumentParser:
    """Return the parent parser of the output options."""
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument("--json", action="store_true", help="print a JSON object")
    return parent


def _calendar_from_args(
    args: argparse.Namespace, base: BusinessCalendar | None = None
) -> BusinessCalendar:
    """Return the calendar the options name: ``--calendar`` or ``base``, then --tz/--subdiv.

    Args:
        args: parsed options of a parser built with :func:`_calendar_options`.
        base: the calendar used without ``--calendar`` (a policy's); the default one if None.

    Raises:
        CalendarConfigError: a bad calendar file, zone or subdivision.
    """
    if args.calendar is not None:
        calendar = BusinessCalendar.from_file(args.calendar)
    else:
        calendar = base if base is not None else BusinessCalendar.default()
    if args.tz is not None:
        calendar = calendar.with_timezone(args.tz)
    if args.subdiv is not None:
        source = calendar.holidays
        calendar = calendar.with_holidays(
            source.country, subdiv=args.subdiv, categories=source.categories
        )
    return calendar


def _print_json(data: dict[str, Any]) -> None:
    """Print ``data`` as one line of JSON (non-ASCII kept as is)."""
    print(json.dumps(data, ensure_ascii=False))


# -- due -----------------------------------------------------------------------------------


def _add_due(subparsers: Subparsers, parents: Sequence[argparse.ArgumentParser]) -> None:
    """Declare ``due PRIORITY [--opened TIME] [--policy FILE]``."""
    parser = subparsers.add_parser(
        "due",
        parents=parents,
        help="print when a ticket of a priority is due",
        description="Print the deadline of a ticket: its opening time plus the priority's "
        "target in business time.",
    )
    parser.add_argument("priority", help="priority code, e.g. P1 (case-insensitive)")
    parser.add_argument(
        "--opened",
        metavar="TIME",
        default="now",
        help=f"when the ticket opened ({TIME_HELP}); default: now",
    )
    parser.add_argument(
        "--policy",
        metavar="FILE",
        help="policy file (TOML or JSON); its calendar is used unless --calendar is given; "
        "default: P0 4 h, P1 12 h, P2 40 h, P3 48 h",
    )
    parser.set_defaults(handler=_cmd_due)


def _cmd_due(args: argparse.Namespace) -> int:
    """Print the deadline of a ticket of ``args.priority`` opened at ``args.opened``."""
    policy = SlaPolicy.default() if args.policy is None else SlaPolicy.from_file(args.policy)
    priority = policy.priority(args.priority)
    calendar = _calendar_from_args(args, base=policy.calendar)
    policy = policy.with_calendar(calendar)
    opened = parse_instant(args.opened, calendar)
    due = policy.due_at(opened, priority.code)
    if args.json:
        _print_json(
            {
                "priority": priority.code,
                "opened_at": opened.isoformat(),
                "due_at": due.isoformat(),
                "target_seconds": duration_seconds(priority.target),
                "timezone": calendar.timezone,
            }
        )
    else:
        print(due.isoformat())
    return 0


# -- elapsed -------------------------------------------------------------------------------


def _add_elapsed(subparsers: Subparsers, parents: Sequence[argparse.ArgumentParser]) -> None:
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
    parser.set_defaults(handler=_cmd_elapsed)


def _cmd_elapsed(args: argparse.Namespace) -> int:
    """Print the business time from ``args.start`` to ``args.end``."""
    calendar = _calendar_from_args(args)
    start = parse_instant(args.start, calendar)
    end = parse_instant(args.end, calendar)
    elapsed = calendar.elapsed(start, end)
    if args.json:
        _print_json(
            {
                "start": start.isoformat(),
                "end": end.isoformat(),
                "seconds": duration_seconds(elapsed),
                "elapsed": format_duration(elapsed),
                "timezone": calendar.timezone,
            }
        )
    else:
        print(format_duration(elapsed))
    return 0


# -- the parser and main -------------------------------------------------------------------

#: One ``_add_<name>(subparsers, parents)`` per subcommand, in the order ``--help`` lists them.
_COMMANDS: tuple[CommandAdder, ...] = (
    _add_due,
    _add_elapsed,
)


def build_parser() -> argparse.ArgumentParser:
    """Return the ``sla-clock`` argument parser with every subcommand.

    >>> build_parser().parse_args(["elapsed", "2026-11-20 10:00", "2026-11-23 10:00"]).end
    '2026-11-23 10:00'
    """
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Business-hours SLA clock: deadlines and business time of support tickets.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    parents = (_calendar_options(), _output_options())
    for add_command in _COMMANDS:
        add_command(subparsers, parents)
    return parser


def _exit_status(exc: SystemExit) -> int:
    """Return the status an argparse ``SystemExit`` carries (``--help``, usage errors)."""
    if exc.code is None:
        return 0
    return exc.code if isinstance(exc.code, int) else EXIT_USAGE


def main(argv: list[str] | None = None) -> int:
    """Run ``sla-clock`` with ``argv`` (default: the process arguments) and return its status.

    Args:
        argv: the arguments after the program name.

    Returns:
        0 on success, 2 on bad input (after printing one ``sla-clock: error:`` line on
        stderr), 130 when interrupted.

    >>> main(["elapsed", "2026-11-20 10:00", "2026-11-23 10:00"])
    1:00:00
    0
    """
    try:
        try:
            args = build_parser().parse_args(argv)
        except SystemExit as exc:
            return _exit_status(exc)
        handler: Handler = args.handler
        return handler(args)
    except SlaClockError as exc:
        message = " ".join(str(exc).splitlines())
        print(f"{PROG}: error: {message}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
