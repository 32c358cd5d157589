"""Write the committed snapshot of Brazil's closed dates, to check ``holidays`` upgrades against.

    python scripts/make_holiday_snapshot.py            # write tests/data/holidays-BR.json
    python scripts/make_holiday_snapshot.py --check    # exit 1 if the snapshot is out of date

As vacanza/holidays keeps snapshots of every holiday per year, sla-clock keeps one of the
dates its Brazilian desks close on, 2020 to 2035: national, the state of São Paulo (``SP``)
and São Paulo city (``São Paulo Capital``), with the optional days (pontos facultativos)
marked by category. A ``holidays`` release that moves, adds or drops a date changes this
file, and ``tests/core/test_holiday_snapshot.py`` fails until the diff is reviewed and the
snapshot written again. Names are the English ones, so the file does not depend on the
machine's language.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from sla_clock import HolidaySource

SNAPSHOT = Path(__file__).resolve().parent.parent / "tests" / "data" / "holidays-BR.json"
FIRST_YEAR, LAST_YEAR = 2020, 2035
#: The sources a desk of the support document chooses from.
REGIONS: dict[str, str | None] = {
    "national": None,
    "SP": "SP",
    "São Paulo Capital": "São Paulo Capital",
}


def snapshot() -> dict[str, Any]:
    """Return every closed date of each region, year by year, with its name and category."""
    regions: dict[str, dict[str, dict[str, str]]] = {}
    for region, subdiv in REGIONS.items():
        source = HolidaySource("BR", subdiv=subdiv, categories=("public", "optional"))
        dates: dict[str, dict[str, str]] = {}
        for year in range(FIRST_YEAR, LAST_YEAR + 1):
            categories = source.categories_of(year)
            for day, name in source.names(year, lang="en").items():
                dates[day.isoformat()] = {"name": name, "category": categories[day]}
        regions[region] = dict(sorted(dates.items()))
    return {"country": "BR", "years": [FIRST_YEAR, LAST_YEAR], "regions": regions}


def render(data: dict[str, Any]) -> str:
    """Return the snapshot as the committed text (stable: sorted, indented, UTF-8)."""
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Write the snapshot, or with ``--check`` only compare it; return the exit status."""
    parser = argparse.ArgumentParser(description="Write or check the Brazilian holiday snapshot.")
    parser.add_argument("--check", action="store_true", help="only check, exit 1 when stale")
    args = parser.parse_args(argv)
    text = render(snapshot())
    if args.check:
        current = SNAPSHOT.read_text(encoding="utf-8") if SNAPSHOT.exists() else ""
        if current != text:
            sys.stderr.write(f"{SNAPSHOT} is out of date: review the change and write it again\n")
            return 1
        return 0
    SNAPSHOT.parent.mkdir(parents=True, exist_ok=True)
    SNAPSHOT.write_text(text, encoding="utf-8")
    sys.stdout.write(f"wrote {SNAPSHOT}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
