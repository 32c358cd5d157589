"""Write a seeded file of realistic tickets for ``sla-clock batch``.

Usage: ``python benchmarks/make_tickets.py --rows 1000000 --out tickets.csv``.

Each ticket draws its fields in sequence from one ``random.Random(seed)`` (standard library
only, so the same seed gives the same file everywhere):

- ``id``: ``T-1``, ``T-2``, ... in order;
- ``priority``: P0 to P3, uniform;
- ``opened``: a São Paulo wall time drawn uniformly over every minute of four years,
  2024-01-01 00:00 to 2027-12-31 23:59 (the benchmark workload's span);
- ``resolved``: 40 % of the tickets, 0 to 10 calendar days (minute resolution) after opening;
  empty for the others;
- ``pauses``: 10 % of the tickets have one pause starting 0 to 3 days after the opening and
  lasting up to 2 days. On a resolved ticket the pause lies inside its life; on an open one,
  one pause in five has no end (still going on).

``--style`` chooses how times are written: ``iso`` (``2026-11-23 14:00:00``, the default),
``offset`` (``2026-11-23T14:00:00-03:00``), ``br`` (``23/11/2026 14:00``) or ``mixed`` (each
time in one of the three, at random). The format is ``--format``, else the file extension
(``.csv``, ``.jsonl``). Every time lies before 2028-01-11, so ``--now 2028-02-01`` is after
all of them.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import NamedTuple

DEFAULT_SEED = 20_261_124
FIRST = datetime(2024, 1, 1)
MINUTES = (datetime(2028, 1, 1) - FIRST) // timedelta(minutes=1)
PRIORITIES = ("P0", "P1", "P2", "P3")
RESOLVED_SHARE = 0.40
PAUSED_SHARE = 0.10
ONGOING_SHARE = 0.20
STYLES = ("iso", "offset", "br", "mixed")
COLUMNS = ("id", "priority", "opened", "resolved", "pauses")
#: São Paulo has had no DST since 2019: every wall time of 2024-2027 is UTC-03:00.
OFFSET = "-03:00"


def _write_time(wall: datetime, style: str, rng: random.Random) -> str:
    if style == "mixed":
        style = rng.choice(STYLES[:3])
    if style == "br":
        return wall.strftime("%d/%m/%Y %H:%M")
    if style == "offset":
        return wall.isoformat() + OFFSET
    return wall.isoformat(" ")


def tickets(rows: int, seed: int, style: str, desk: Desk | None = None) -> Iterator[dict[str, str]]:
    """Yield ``rows`` tickets as dicts of text, drawn from ``random.Random(seed)``.

    ``desk`` gives the year the tickets open in and how many are resolved (by default:
    2024-2027, 40 %, as the benchmarks have always used).

    The pause, if any, is given twice: as ``pauses`` (``start/end`` text) and as
    ``pause_start``/``pause_end`` (for JSON Lines).
    """
    rng = random.Random(seed)
    minute = timedelta(minutes=1)
    first, minutes, share, longest = desk or (FIRST, MINUTES, RESOLVED_SHARE, 10 * 24 * 60)
    for number in range(1, rows + 1):
        priority = rng.choice(PRIORITIES)
        opened = first + rng.randrange(minutes) * minute
        resolved = None
        if rng.random() < share:
            resolved = opened + rng.randint(0, longest) * minute
        pauses = pause_start = pause_end = ""
        if rng.random() < PAUSED_SHARE:
            start = opened + rng.randint(0, 3 * 24 * 60) * minute
            end: datetime | None = start + rng.randint(1, 2 * 24 * 60) * minute
            if resolved is not None:
                start = min(start, resolved)
                end = min(end, resolved) if end is not None else resolved
            elif rng.random() < ONGOING_SHARE:
                end = None
            pause_start = _write_time(start, style, rng)
            pause_end = "" if end is None else _write_time(end, style, rng)
            pauses = f"{pause_start}/{pause_end}"
        yield {
            "id": f"T-{number}",
            "priority": priority,
            "opened": _write_time(opened, style, rng),
            "resolved": "" if resolved is None else _write_time(resolved, style, rng),
            "pauses": pauses,
            "pause_start": pause_start,
            "pause_end": pause_end,
        }


class Desk(NamedTuple):
    """Who the tickets are: when they open, the share resolved, the longest resolution."""

    first: datetime
    minutes: int
    resolved_share: float
    longest_minutes: int


def desk_of(year: int) -> Desk:
    """A desk's year: tickets opened in ``year``, 95 % resolved within 3 days (``--year``)."""
    first = datetime(year, 1, 1)
    return Desk(first, (datetime(year + 1, 1, 1) - first) // timedelta(minutes=1), 0.95, 3 * 1440)


def write(
    path: Path, rows: int, *, seed: int, style: str, file_format: str, desk: Desk | None = None
) -> None:
    """Write ``rows`` tickets to ``path`` as CSV or JSON Lines."""
    with path.open("w", encoding="utf-8", newline="") as out:
        if file_format == "csv":
            writer = csv.writer(out, lineterminator="\n")
            writer.writerow(COLUMNS)
            writer.writerows([t[c] for c in COLUMNS] for t in tickets(rows, seed, style, desk))
        else:
            for ticket in tickets(rows, seed, style, desk):
                data: dict[str, object] = {c: ticket[c] for c in COLUMNS}
                data["resolved"] = ticket["resolved"] or None
                pause = [ticket["pause_start"], ticket["pause_end"] or None]
                data["pauses"] = [pause] if ticket["pauses"] else []
                out.write(json.dumps(data) + "\n")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write a seeded file of tickets.")
    parser.add_argument("--rows", type=int, default=1_000_000, help="how many tickets")
    parser.add_argument("--out", type=Path, required=True, help="the file to write")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--style", choices=STYLES, default="iso", help="how times are written")
    parser.add_argument("--format", choices=("csv", "jsonl"), help="default: from --out")
    parser.add_argument(
        "--year", type=int, help="a desk's year: opened in it, 95 %% resolved within 3 days"
    )
    args = parser.parse_args(argv)
    file_format = args.format or ("jsonl" if args.out.suffix == ".jsonl" else "csv")
    desk = None if args.year is None else desk_of(args.year)
    write(args.out, args.rows, seed=args.seed, style=args.style, file_format=file_format, desk=desk)
    return 0


if __name__ == "__main__":
    sys.exit(main())
