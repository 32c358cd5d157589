"""Command-line options every subcommand shares, and how they become library values.

The shared options come as argparse parent parsers (:func:`calendar_options`,
:func:`output_options`, :func:`debug_options`, and :func:`language_options` for commands
that print text for people) and :func:`add_policy_option`; :func:`calendar_from_args`,
:func:`policy_from_args` and :func:`language_from_args` turn what they read into a
:class:`~sla_clock.BusinessCalendar`, an :class:`~sla_clock.SlaPolicy` and a language. Every
subcommand, ``batch`` included, uses these: one copy of each option and of its meaning.
"""

from __future__ import annotations

import argparse
import os

from .. import BusinessCalendar, SlaPolicy
from ..views._words import LANGUAGES, Language, resolve_language
from ._plumbing import DEBUG_OPTION, DEBUG_VARIABLE, EXIT_INTERNAL

__all__ = [
    "TIME_HELP",
    "add_debug_option",
    "add_policy_option",
    "calendar_from_args",
    "calendar_options",
    "debug_options",
    "language_from_args",
    "language_options",
    "output_options",
    "policy_from_args",
]

#: How a time may be written, as the help of every time option says it.
TIME_HELP = "ISO 8601, dd/mm/yyyy HH:MM or 'now'; without an offset, the calendar's local time"


def calendar_options() -> argparse.ArgumentParser:
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


def output_options() -> argparse.ArgumentParser:
    """Return the parent parser of ``--json`` (machine output on stdout)."""
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument("--json", action="store_true", help="print a JSON object")
    return parent


def language_options() -> argparse.ArgumentParser:
    """Return the parent parser of ``--lang``, for commands that print text for people."""
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument(
        "--lang",
        choices=LANGUAGES,
        help="language of human output; default: pt when the first of LC_ALL, LC_MESSAGES "
        "and LANG that is set starts with 'pt', else en (JSON and ISO times never change)",
    )
    return parent


def debug_options() -> argparse.ArgumentParser:
    """Return the parent parser of ``--debug``, accepted before or after the command's name."""
    parent = argparse.ArgumentParser(add_help=False)
    add_debug_option(parent)
    return parent


def add_debug_option(parser: argparse.ArgumentParser) -> None:
    """Declare ``--debug``; the plumbing reads it from the arguments, so it stores nothing."""
    parser.add_argument(
        DEBUG_OPTION,
        action="store_true",
        default=argparse.SUPPRESS,
        help=f"on an internal error (exit status {EXIT_INTERNAL}), print the traceback too; "
        f"also {DEBUG_VARIABLE}=1",
    )


def add_policy_option(parser: argparse.ArgumentParser) -> None:
    """Declare ``--policy FILE`` on ``parser``."""
    parser.add_argument(
        "--policy",
        metavar="FILE",
        help="policy file (TOML or JSON); its calendar is used unless --calendar is given; "
        "default: P0 4 h, P1 12 h, P2 40 h, P3 48 h",
    )


def policy_from_args(args: argparse.Namespace) -> SlaPolicy:
    """Return the policy of ``--policy`` (else the default one), on the options' calendar.

    Raises:
        PolicyConfigError: a bad policy file.
        CalendarConfigError: a bad calendar file, zone or subdivision.

    >>> args = argparse.Namespace(policy=None, calendar=None, tz="America/Manaus", subdiv=None)
    >>> policy_from_args(args).calendar.timezone
    'America/Manaus'
    """
    policy = SlaPolicy.default() if args.policy is None else SlaPolicy.from_file(args.policy)
    return policy.with_calendar(calendar_from_args(args, base=policy.calendar))


def language_from_args(args: argparse.Namespace) -> Language:
    """Return the language of human output: ``--lang``, else from the locale variables."""
    lang: Language | None = args.lang
    return resolve_language(lang, os.environ)


def calendar_from_args(
    args: argparse.Namespace, base: BusinessCalendar | None = None
) -> BusinessCalendar:
    """Return the calendar the options name: ``--calendar`` or ``base``, then --tz/--subdiv.

    An option missing from ``args`` (a parser without the calendar options) counts as not
    given.

    Args:
        args: parsed options, with ``calendar``, ``tz`` and ``subdiv`` (``None``: not given).
        base: the calendar used without ``--calendar`` (a policy's); the default one if None.

    Returns:
        The calendar of ``--calendar`` (else ``base``), with the zone of ``--tz`` and the
        holidays of the subdivision of ``--subdiv`` when given.

    Raises:
        CalendarConfigError: a bad calendar file, zone or subdivision.

    >>> args = argparse.Namespace(calendar=None, tz="America/Manaus", subdiv=None)
    >>> calendar_from_args(args).zone
    zoneinfo.ZoneInfo(key='America/Manaus')
    """
    if getattr(args, "calendar", None) is not None:
        calendar = BusinessCalendar.from_file(args.calendar)
    else:
        calendar = base if base is not None else BusinessCalendar.default()
    if getattr(args, "tz", None) is not None:
        calendar = calendar.with_timezone(args.tz)
    if getattr(args, "subdiv", None) is not None:
        source = calendar.holidays
        calendar = calendar.with_holidays(
            source.country, subdiv=args.subdiv, categories=source.categories
        )
    return calendar
