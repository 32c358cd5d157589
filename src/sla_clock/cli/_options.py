"""Command-line options shared by the subcommands, turned into library values.

:func:`calendar_from_args` builds the calendar that ``--calendar``, ``--tz`` and ``--subdiv``
name, for :mod:`sla_clock.cli` and :mod:`sla_clock.cli._batch` alike.
"""

from __future__ import annotations

import argparse

from ..calendar import BusinessCalendar

__all__ = ["calendar_from_args"]


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
