"""Draw the figures of docs/reports.md from the example desk (examples/desk-2026.csv).

Run from the repository's root: ``python scripts/make_report_figures.py``. It counts the
desk's 20,000 tickets as ``sla-clock report`` does, at 2027-01-01 00:00 São Paulo, and writes
the report's three figures to docs/img/report-*.svg (the same bytes for the same numbers).
"""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

from sla_clock import SlaPolicy
from sla_clock.batch._pipeline import BatchSummary
from sla_clock.batch._rows import Context
from sla_clock.reports import DEFAULT_BY, Tally, Window, report_rows
from sla_clock.reports._figures import heat_figure, ratio_figure, share_figure, svg_text

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    """Count the desk and write the three figures."""
    policy = SlaPolicy.default()
    calendar = policy.calendar
    now = datetime(2027, 1, 1, tzinfo=calendar.zone)
    ctx = Context(policy, calendar, now, calendar.to_us(now), "desk-2026.csv")
    tally = Tally(calendar, DEFAULT_BY, levels=len(policy.escalation))
    text = (ROOT / "examples" / "desk-2026.csv").read_text(encoding="utf-8")
    rows = report_rows(
        io.StringIO(text),
        ctx,
        "tickets",
        "csv",
        DEFAULT_BY,
        Window(None, None),
        None,
        BatchSummary(),
    )
    for chunk in rows:
        tally.add(chunk)
    for name, draw in (("share", share_figure), ("ratio", ratio_figure), ("heat", heat_figure)):
        path = ROOT / "docs" / "img" / f"report-{name}.svg"
        path.write_text(svg_text(draw(tally, "en")), encoding="utf-8")
        print(path.relative_to(ROOT))


if __name__ == "__main__":
    main()
