"""The ``sla-clock`` command line: when is a ticket due, how much business time has passed.

::

    $ sla-clock due P1 --opened "2026-11-24 17:30"
    2026-11-26T11:30:00-03:00
    $ sla-clock elapsed "2026-11-20 10:00" "2026-11-23 10:00"
    1:00:00
    $ sla-clock status P0 --opened "2026-11-23 14:00" --now "2026-11-24 09:30" || alert
    state:          breached
    ...

Each subcommand is one ``_add_<name>`` function that declares its parser and one
``_cmd_<name>`` function that runs it; :data:`_COMMANDS` lists the ``_add_*`` functions. To add
a command, write both and append the first to :data:`_COMMANDS`: existing commands need no
change. Shared options come from parent parsers (:func:`_calendar_options`,
:func:`_output_options`, and :func:`_language_options` for commands that print text for
people) and :func:`sla_clock.cli._options.calendar_from_args` turns the calendar options into a
:class:`BusinessCalendar`.

Human summaries (``status``, ``due --explain``) are in English, or in Portuguese with
``--lang pt`` or a Portuguese locale (the first of ``LC_ALL``, ``LC_MESSAGES`` and ``LANG``
that is set starts with ``pt``); their words and date formats come from
:mod:`sla_clock.views._words`. Machine output (``--json``, the ISO line of ``due``) is the same in
every language.

Bad input prints one line, ``sla-clock: error: <message>``, on stderr and exits with status 2.
``status`` exits with 1 when the ticket is late (``breached`` or ``missed``).
The command is a thin shell over the library: parsing in :mod:`sla_clock.parsing`, human
text in :mod:`sla_clock.views._text`, and the public API for every computation.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, NoReturn, TextIO, cast

from .. import (
    BusinessCalendar,
    Pause,
    Priority,
    SlaClockError,
    SlaPolicy,
    Ticket,
    __version__,
    explain_due,
)
from ..parsing import parse_instant
from ..views._calendar_year import calendar_year, calendar_year_text
from ..views._formats import format_duration, seconds
from ..views._policy_table import policy_dict, policy_text
from ..views._text import day_dict, explanation_text, status_text
from ..views._words import LANGUAGES, Language, resolve_language
from ._batch import add_batch_parser
from ._options import calendar_from_args

__all__ = ["main"]

PROG = "sla-clock"
#: Exit status of ``status`` when the ticket is late (``breached`` or ``missed``).
EXIT_LATE = 1
#: Exit status for bad input (the same as argparse's usage errors).
EXIT_USAGE = 2
#: Exit status of an internal error (a bug): an exception sla-clock did not expect.
EXIT_INTERNAL = 3
#: Exit status after Ctrl-C (128 + SIGINT), as shells do.
EXIT_INTERRUPTED = 130
#: Exit status when stdout's reader went away (128 + SIGPIPE), as shells do.
EXIT_BROKEN_PIPE = 141

if TYPE_CHECKING:
    from typing import TypeAlias

    Subparsers: TypeAlias = argparse._SubParsersAction[argparse.ArgumentParser]

#: Runs one subcommand on its parsed options and returns the exit status.
Handler = Callable[[argparse.Namespace], int]
#: Declares one subcommand on the subparsers, with the shared parent parsers.
CommandAdder = Callable[["Subparsers", Sequence[argparse.ArgumentParser]], None]

#: The option, and the environment variable, that print the traceback of an internal error.
DEBUG_OPTION = "--debug"
DEBUG_VARIABLE = "SLA_CLOCK_DEBUG"

TIME_HELP = "ISO 8601, dd/mm/yyyy HH:MM or 'now'; without an offset, the calendar's local time"
#: The most days ``status --plot`` draws (about 1 s of drawing; decades would take minutes).
MAX_PLOT_DAYS = 366
#: Words that end a ``--pause`` still going on.
OPEN_PAUSE = ("open", "-")


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


def _language_options() -> argparse.ArgumentParser:
    """Return the parent parser of ``--lang``, for commands that print text for people."""
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument(
        "--lang",
        choices=LANGUAGES,
        help="language of human output; default: pt when the first of LC_ALL, LC_MESSAGES "
        "and LANG that is set starts with 'pt', else en (JSON and ISO times never change)",
    )
    return parent


def _debug_options() -> argparse.ArgumentParser:
    """Return the parent parser of ``--debug``, accepted before or after the command's name."""
    parent = argparse.ArgumentParser(add_help=False)
    _add_debug_option(parent)
    return parent


def _add_debug_option(parser: argparse.ArgumentParser) -> None:
    """Declare ``--debug``; :func:`main` reads it from the arguments, so it stores nothing."""
    parser.add_argument(
        DEBUG_OPTION,
        action="store_true",
        default=argparse.SUPPRESS,
        help=f"on an internal error (exit status {EXIT_INTERNAL}), print the traceback too; "
        f"also {DEBUG_VARIABLE}=1",
    )


def _add_policy_option(parser: argparse.ArgumentParser) -> None:
    """Declare ``--policy FILE`` on ``parser``."""
    parser.add_argument(
        "--policy",
        metavar="FILE",
        help="policy file (TOML or JSON); its calendar is used unless --calendar is given; "
        "default: P0 4 h, P1 12 h, P2 40 h, P3 48 h",
    )


def _policy_from_args(args: argparse.Namespace) -> tuple[SlaPolicy, Priority]:
    """Return the policy the options name, on the options' calendar, and ``args.priority``.

    Raises:
        PolicyConfigError: a bad policy file.
        UnknownPriorityError: the policy has no priority ``args.priority``.
        CalendarConfigError: a bad calendar file, zone or subdivision.
    """
    policy = SlaPolicy.default() if args.policy is None else SlaPolicy.from_file(args.policy)
    priority = policy.priority(args.priority)
    calendar = calendar_from_args(args, base=policy.calendar)
    return policy.with_calendar(calendar), priority


def _language_from_args(args: argparse.Namespace) -> Language:
    """Return the language of human output: ``--lang``, else from the locale variables."""
    lang: Language | None = args.lang
    return resolve_language(lang, os.environ)


def _print_json(data: dict[str, Any]) -> None:
    """Print ``data`` as one line of JSON (non-ASCII kept as is)."""
    print(json.dumps(data, ensure_ascii=False))


def _usage_error(message: str) -> int:
    """Print ``sla-clock: error: <message>`` on stderr and return :data:`EXIT_USAGE`."""
    print(f"{PROG}: error: {message}", file=sys.stderr)
    return EXIT_USAGE


# -- due -----------------------------------------------------------------------------------


def _add_due(subparsers: Subparsers, parents: Sequence[argparse.ArgumentParser]) -> None:
    """Declare ``due PRIORITY [--opened TIME] [--policy FILE] [--explain] [--lang LANG]``."""
    parser = subparsers.add_parser(
        "due",
        parents=[*parents, _language_options()],
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
    _add_policy_option(parser)
    parser.add_argument(
        "--explain",
        action="store_true",
        help="print the business time counted each day up to the deadline; with --json, "
        "add a 'days' list",
    )
    parser.set_defaults(handler=_cmd_due)


def _cmd_due(args: argparse.Namespace) -> int:
    """Print the deadline of a ticket of ``args.priority`` opened at ``args.opened``."""
    policy, priority = _policy_from_args(args)
    calendar = policy.calendar
    opened = parse_instant(args.opened, calendar)
    if args.explain:
        due, days = explain_due(calendar, opened, priority.target)
    else:
        due, days = policy.due_at(opened, priority.code), []
    if args.json:
        data: dict[str, Any] = {
            "priority": priority.code,
            "opened_at": opened.isoformat(),
            "due_at": due.isoformat(),
            "target_seconds": seconds(priority.target),
            "timezone": calendar.timezone,
        }
        if args.explain:
            data["days"] = [day_dict(day) for day in days]
        _print_json(data)
    elif args.explain:
        print(explanation_text(priority, opened, due, days, calendar, _language_from_args(args)))
    else:
        print(due.isoformat())
    return 0


# -- status --------------------------------------------------------------------------------


def _add_status(subparsers: Subparsers, parents: Sequence[argparse.ArgumentParser]) -> None:
    """Declare ``status PRIORITY --opened TIME [--now TIME] [--resolved TIME] [--pause S E]``."""
    parser = subparsers.add_parser(
        "status",
        parents=[*parents, _language_options()],
        help="print where a ticket stands against its SLA (exit 1 when late)",
        description="Print the SLA status of a ticket: state, deadline, breach instant, "
        "business time used and remaining, escalation. Exits with 0 when the ticket is not "
        "late, 1 when it is breached or missed, 2 on bad input.",
    )
    parser.add_argument("priority", help="priority code, e.g. P1 (case-insensitive)")
    parser.add_argument(
        "--opened", metavar="TIME", required=True, help=f"when the ticket opened ({TIME_HELP})"
    )
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
    _add_policy_option(parser)
    parser.add_argument(
        "--plot",
        metavar="FILE",
        help="also draw the ticket's timeline into FILE (.svg or .png), labels in the "
        f"language of --lang, up to {MAX_PLOT_DAYS} days long; needs matplotlib: "
        "pip install 'sla-clock[docs]'",
    )
    parser.set_defaults(handler=_cmd_status)


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


def _cmd_status(args: argparse.Namespace) -> int:
    """Print the status of the ticket the options describe; return 1 when it is late."""
    policy, _ = _policy_from_args(args)
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
    status = policy.status(ticket, now)
    if args.plot is not None:
        problem = _write_plot(args.plot, policy, ticket, now, _language_from_args(args))
        if problem is not None:
            return _usage_error(problem)
    if args.json:
        _print_json(status.to_dict())
    else:
        print(status_text(status, ticket, policy, _language_from_args(args)))
    return EXIT_LATE if status.is_late else 0


def _write_plot(
    path: str, policy: SlaPolicy, ticket: Ticket, now: datetime, lang: Language
) -> str | None:
    """Draw the ticket's timeline into ``path``; return what went wrong, or None."""
    try:
        from ..views.figure import plot_format, plot_timeline, timeline_marks
    except ImportError as exc:
        cause = exc.__cause__ or exc
        return f"--plot needs matplotlib ({cause}); install it with: pip install 'sla-clock[docs]'"
    try:
        plot_format(path)
    except ValueError as exc:
        return f"--plot {exc}"
    local = [policy.calendar.localize(mark.at) for mark in timeline_marks(policy, ticket, now)]
    first, last = min(local).date(), max(local).date()
    days = (last - first).days + 1
    if days > MAX_PLOT_DAYS:  # drawing costs time and memory per day: decades would hang
        return (
            f"--plot draws at most {MAX_PLOT_DAYS} days, and this ticket's timeline spans "
            f"{days:,} days ({first.isoformat()} to {last.isoformat()}); give a --now closer "
            "to --opened, or leave --plot out"
        )
    try:
        plot_timeline(policy, ticket, now, lang=lang, path=path)
    except OSError as exc:
        return f"cannot write --plot {path}: {exc.strerror or exc}; check the path"
    return None


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
    calendar = calendar_from_args(args)
    start = parse_instant(args.start, calendar)
    end = parse_instant(args.end, calendar)
    elapsed = calendar.elapsed(start, end)
    if args.json:
        _print_json(
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
    return 0


# -- calendar ------------------------------------------------------------------------------


def _add_calendar(subparsers: Subparsers, parents: Sequence[argparse.ArgumentParser]) -> None:
    """Declare ``calendar [YEAR] [--policy FILE] [--lang LANG]``."""
    parser = subparsers.add_parser(
        "calendar",
        parents=[*parents, _language_options()],
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
    _add_policy_option(parser)
    parser.set_defaults(handler=_cmd_calendar)


def _cmd_calendar(args: argparse.Namespace) -> int:
    """Print the year ``args.year`` of the calendar the options name."""
    base = None if args.policy is None else SlaPolicy.from_file(args.policy).calendar
    calendar = calendar_from_args(args, base=base)
    year = datetime.now(calendar.zone).year if args.year is None else args.year
    lang = _language_from_args(args)
    if args.json:  # JSON values do not change with the language: English holiday names
        _print_json(calendar_year(calendar, year, lang="en").to_dict())
    else:
        print(calendar_year_text(calendar_year(calendar, year, lang=lang), lang))
    return 0


# -- policy --------------------------------------------------------------------------------


def _add_policy(subparsers: Subparsers, parents: Sequence[argparse.ArgumentParser]) -> None:
    """Declare ``policy [--policy FILE] [--lang LANG]``."""
    parser = subparsers.add_parser(
        "policy",
        parents=[*parents, _language_options()],
        help="print the priority table and the escalation ladder",
        description="Print the policy in use: each priority's code, names, business-time "
        "target and impact, the escalation ladder, the warning share. --json prints it as a "
        "policy file, which --policy reads back.",
    )
    _add_policy_option(parser)
    parser.set_defaults(handler=_cmd_policy)


def _cmd_policy(args: argparse.Namespace) -> int:
    """Print the policy the options name."""
    policy = SlaPolicy.default() if args.policy is None else SlaPolicy.from_file(args.policy)
    policy = policy.with_calendar(calendar_from_args(args, base=policy.calendar))
    if args.json:
        _print_json(policy_dict(policy))
    else:
        print(policy_text(policy, _language_from_args(args)))
    return 0


# -- the parser and main -------------------------------------------------------------------

#: One ``_add_<name>(subparsers, parents)`` per subcommand, in the order ``--help`` lists them.
_COMMANDS: tuple[CommandAdder, ...] = (
    _add_due,
    _add_elapsed,
    _add_status,
    _add_calendar,
    _add_policy,
    add_batch_parser,
)


class _Parser(argparse.ArgumentParser):
    """argparse's parser, with its error message on one line whatever the arguments hold.

    argparse quotes some arguments as typed (``unrecognized arguments: a<newline>b``); the
    usage lines stay as they are, the message that ends stderr is one line.
    """

    def error(self, message: str) -> NoReturn:
        """Print the usage and ``PROG: error: <message>`` on one line; exit with status 2."""
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {_one_line(message)}\n")


def build_parser() -> argparse.ArgumentParser:
    """Return the ``sla-clock`` argument parser with every subcommand.

    >>> build_parser().parse_args(["elapsed", "2026-11-20 10:00", "2026-11-23 10:00"]).end
    '2026-11-23 10:00'
    """
    parser = _Parser(
        prog=PROG,
        description="Business-hours SLA clock: deadlines and business time of support tickets.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    _add_debug_option(parser)
    # Each command's parser is a _Parser too; the commands only need ArgumentParser's API.
    subparsers = cast(
        "Subparsers", parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    )
    parents = (_calendar_options(), _output_options(), _debug_options())
    for add_command in _COMMANDS:
        add_command(subparsers, parents)
    return parser


def _exit_status(exc: SystemExit) -> int:
    """Return the status an argparse ``SystemExit`` carries (``--help``, usage errors)."""
    if exc.code is None:
        return 0
    return exc.code if isinstance(exc.code, int) else EXIT_USAGE


def _one_line(text: str) -> str:
    """Return ``text`` with its line breaks (of every kind ``str.splitlines`` knows) as spaces."""
    return " ".join(text.splitlines()).strip()


def _debugging(argv: Sequence[str] | None, environ: Mapping[str, str]) -> bool:
    """Whether ``--debug`` or ``SLA_CLOCK_DEBUG`` (set, not empty nor ``0``) asks for tracebacks."""
    words = sys.argv[1:] if argv is None else argv
    value = environ.get("SLA_CLOCK_DEBUG", "").strip().lower()
    return DEBUG_OPTION in words or value not in ("", "0", "false", "no")


def _internal_error(exc: BaseException, *, debug: bool) -> int:
    """Report an exception sla-clock did not expect: one line, the traceback only in debug."""
    if debug:
        import traceback  # only for a bug: importing it costs every run a millisecond

        traceback.print_exception(exc, file=sys.stderr)
    what = _one_line(f"{type(exc).__name__}: {exc}") if str(exc) else type(exc).__name__
    print(
        f"{PROG}: internal error: {what}; this is a bug, please report it; "
        f"run with {DEBUG_OPTION} or {DEBUG_VARIABLE}=1 for the traceback",
        file=sys.stderr,
    )
    return EXIT_INTERNAL


def _quiet_stdout() -> None:
    """Point the process's stdout at /dev/null, so that Python's flush at exit cannot fail again.

    Only the real stdout: a stream a caller put in its place (a test's capture) is left alone.
    """
    stream: TextIO = sys.stdout
    if stream is not sys.__stdout__:
        return
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())


def main(argv: list[str] | None = None) -> int:
    """Run ``sla-clock`` with ``argv`` (default: the process arguments) and return its status.

    Every way a run ends has its own status (see ``docs/cli.md``): 0 done; 1 ``status``
    found the ticket late; 2 bad input, after one ``sla-clock: error:`` line on stderr (or
    argparse's usage and error line for a mistake in the command); 3 an internal error (a
    bug), after one ``sla-clock: internal error:`` line, with the traceback before it only
    under ``--debug`` or ``SLA_CLOCK_DEBUG=1``; 130 interrupted; 141 stdout's reader went
    away.

    Args:
        argv: the arguments after the program name.

    Returns:
        The exit status.

    >>> main(["elapsed", "2026-11-20 10:00", "2026-11-23 10:00"])
    1:00:00
    0
    """
    try:
        nul = next((arg for arg in argv or () if isinstance(arg, str) and "\0" in arg), None)
        if nul is not None:  # a real command line cannot hold one; a caller of main() can
            return _usage_error(
                f"the argument {nul!r} holds a NUL character, which no command line can "
                "pass; remove it"
            )
        try:
            args = build_parser().parse_args(argv)
        except SystemExit as exc:
            return _exit_status(exc)
        handler: Handler = args.handler
        status = handler(args)
        sys.stdout.flush()  # a failing write (a closed pipe, a full disk) is reported here
        return status
    except SlaClockError as exc:
        return _usage_error(_one_line(str(exc)))
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (e.g. `| head`): stop quietly, as shell tools do, and keep
        # Python from complaining again when it flushes stdout at exit.
        _quiet_stdout()
        return EXIT_BROKEN_PIPE
    except OSError as exc:
        # The system refused a read or a write (a full disk, a closed terminal): not a bug.
        if exc.filename is not None:
            return _usage_error(f"cannot use {exc.filename}: {exc.strerror or exc}; check the path")
        _quiet_stdout()  # the output may be what failed: do not fail again at exit
        return _usage_error(
            f"input or output failed: {exc.strerror or exc}; check where the output goes"
        )
    except Exception as exc:  # anything else is a bug: one line, status 3
        return _internal_error(exc, debug=_debugging(argv, os.environ))
