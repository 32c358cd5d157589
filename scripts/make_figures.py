"""Write the documentation's figures into docs/img/ (needs the ``docs`` extra).

    python scripts/make_figures.py            # write docs/img/*.svg
    python scripts/make_figures.py --check    # exit 1 if a committed figure is out of date

Each figure is drawn by :func:`sla_clock.views.figure.plot_timeline` from real computations; the
SVG bytes are reproducible, so a change of behaviour shows up as a diff of docs/img/.
Holiday names come from the ``holidays`` package in the language of the environment, so the
script pins ``LANGUAGE=en`` before it draws anything.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sla_clock import Pause, SlaPolicy, Ticket
from sla_clock.views.figure import plot_timeline

SP = ZoneInfo("America/Sao_Paulo")
IMG = Path(__file__).resolve().parent.parent / "docs" / "img"


def timeline_p0(path: Path) -> None:
    """The DESIGN.md P0: opened Mon 2026-11-23 14:00, seen Tue 2026-11-24 15:00 (breached)."""
    ticket = Ticket(opened_at=datetime(2026, 11, 23, 14, 0, tzinfo=SP), priority="P0")
    plot_timeline(SlaPolicy.default(), ticket, datetime(2026, 11, 24, 15, 0, tzinfo=SP), path=path)


def timeline_pause(path: Path) -> None:
    """A P1 paused Wed 16:00 to Thu 12:00 (waiting on the customer), over a holiday and a weekend.

    Opened Wed 2026-11-18 14:00; used 2 h on Wednesday and 6 h on Thursday; Friday Nov 20 is a
    national holiday; due Mon 2026-11-23 13:00; seen Mon 11:00 (at risk, 10 h of 12 h used).
    """
    ticket = Ticket(
        id="T-1042",
        opened_at=datetime(2026, 11, 18, 14, 0, tzinfo=SP),
        priority="P1",
        pauses=[
            Pause(
                start=datetime(2026, 11, 18, 16, 0, tzinfo=SP),
                end=datetime(2026, 11, 19, 12, 0, tzinfo=SP),
            )
        ],
    )
    plot_timeline(SlaPolicy.default(), ticket, datetime(2026, 11, 23, 11, 0, tzinfo=SP), path=path)


FIGURES: dict[str, Callable[[Path], None]] = {
    "timeline-p0.svg": timeline_p0,
    "timeline-pause.svg": timeline_pause,
}


def main(argv: list[str] | None = None) -> int:
    """Write (or, with ``--check``, compare) every figure; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check", action="store_true", help="compare with docs/img/ instead of writing"
    )
    args = parser.parse_args(argv)
    os.environ["LANGUAGE"] = "en"
    stale = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, draw in FIGURES.items():
            target = IMG / name
            if args.check:
                fresh = Path(tmp) / name
                draw(fresh)
                if not target.exists() or target.read_bytes() != fresh.read_bytes():
                    stale.append(name)
            else:
                IMG.mkdir(parents=True, exist_ok=True)
                draw(target)
                print(f"wrote {target.relative_to(IMG.parent.parent)}")
    if stale:
        print(f"out of date in docs/img/: {', '.join(stale)}; run scripts/make_figures.py")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
