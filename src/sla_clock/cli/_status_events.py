"""``sla-clock status --events FILE --ticket ID``: every metric of one ticket of a history file.

The events file is read as ``batch --events`` reads it (:mod:`sla_clock.batch._events`):
a bad line stops the run with exit status 2, but only the asked ticket's events are kept
and replayed. The rows print as text (:mod:`sla_clock.views._history_text`) or, with
``--json``, as a list of the objects ``batch --events --output-format jsonl`` writes.
Exit status 1 when a row is breached or missed, as ``status`` does.
"""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime

from ..batch._pipeline import BatchSummary, Format
from ..batch._rows import Context
from ..parsing import parse_instant
from ..views._history_text import metric_rows_text
from ._batch_args import format_of
from ._input import close_input, decoding_error, open_input
from ._options import language_from_args, policy_from_args
from ._plumbing import EXIT_LATE, EXIT_OK, error_line

__all__ = ["run_status_events"]

_SINGLE = ("--opened", "--resolved", "--pause", "--plot")


def _problem(args: argparse.Namespace) -> str | None:
    if args.events is None:
        return "--ticket names a ticket of --events FILE; give the events file too"
    if args.ticket is None:
        return "--events needs --ticket ID: the ticket whose metrics to print"
    given = [name for name in _SINGLE if getattr(args, name[2:]) is not None]
    if args.priority is not None:
        given.insert(0, f"the priority {args.priority!r}")
    if given:
        return f"--events reads the ticket's history from the file; leave out {', '.join(given)}"
    return None


def run_status_events(args: argparse.Namespace) -> int:
    """Print the metric rows of ``--ticket`` in ``--events``; 1 when one of them is late."""
    problem = _problem(args)
    if problem is not None:
        return error_line(problem)
    policy = policy_from_args(args)
    calendar = policy.calendar
    now = parse_instant(args.now, calendar, datetime.now(UTC))
    name = "<stdin>" if args.events == "-" else args.events
    found_format = format_of(args.events, None) or "jsonl"
    if found_format not in ("csv", "jsonl"):
        return error_line(f"{args.events}: an events file is JSON Lines or CSV, not {found_format}")
    input_format: Format = "csv" if found_format == "csv" else "jsonl"
    try:
        reader, _ = open_input(args.events, "utf-8")
    except OSError as exc:
        return error_line(f"cannot read {args.events}: {exc.strerror or exc}; check the path")
    except UnicodeError as exc:
        return error_line(f"{name} is not UTF-8 text: {exc}")
    ctx = Context(policy, calendar, now.astimezone(calendar.zone), calendar.to_us(now), name)
    try:
        from ..batch._events import history_rows  # NumPy's: only for this run

        found = history_rows(reader, ctx, input_format, args.ticket, BatchSummary(events=True))
    except UnicodeError as exc:
        return error_line(decoding_error(name, "utf-8", exc))
    finally:
        close_input(reader, args.events)
    if found is None:
        return error_line(f"{name} has no event of the ticket {args.ticket!r}; check the id")
    if args.json:
        print(json.dumps([row.to_dict() for row in found], ensure_ascii=False, indent=2))
    else:
        print(metric_rows_text(args.ticket, found, policy, ctx.now, language_from_args(args)))
    late = any(row.state.value in ("breached", "missed") for row in found)
    return EXIT_LATE if late else EXIT_OK
