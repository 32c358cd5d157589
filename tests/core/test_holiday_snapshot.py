"""Brazil's closed dates 2020-2035 match the committed snapshot (tests/data/holidays-BR.json).

A ``holidays`` upgrade that moves, adds or drops one of the dates a Brazilian desk closes on
fails here, with the dates that changed, until the change is reviewed and the snapshot is
written again with ``python scripts/make_holiday_snapshot.py``.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "make_holiday_snapshot", ROOT / "scripts" / "make_holiday_snapshot.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _changes(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    changes = []
    for region in sorted(set(old["regions"]) | set(new["regions"])):
        before, after = old["regions"].get(region, {}), new["regions"].get(region, {})
        for day in sorted(set(before) | set(after)):
            if before.get(day) != after.get(day):
                changes.append(f"{region} {day}: {before.get(day)} -> {after.get(day)}")
    return changes


def test_brazilian_closed_dates_match_the_snapshot() -> None:
    """Every national, SP and São Paulo city date (with optional days) is as reviewed."""
    script = _script()
    committed = json.loads(script.SNAPSHOT.read_text(encoding="utf-8"))
    fresh = script.snapshot()
    assert _changes(committed, fresh) == [], "review, then: python scripts/make_holiday_snapshot.py"
    assert script.render(fresh) == script.SNAPSHOT.read_text(encoding="utf-8")


def test_the_snapshot_holds_the_dates_the_design_names() -> None:
    """The snapshot itself is not empty or wrong: it has DESIGN.md's 2026 dates."""
    data = json.loads((ROOT / "tests" / "data" / "holidays-BR.json").read_text(encoding="utf-8"))
    assert data["years"] == [2020, 2035]
    national, city = data["regions"]["national"], data["regions"]["São Paulo Capital"]
    for day in ("2026-01-01", "2026-04-03", "2026-04-21", "2026-11-20", "2026-12-25"):
        assert national[day]["category"] == "public", day
    assert national["2026-02-16"] == {"name": "Carnival", "category": "optional"}
    assert "2026-07-09" in data["regions"]["SP"]
    assert "2026-07-09" not in national
    assert city["2026-01-25"]["category"] == "public"  # the city's anniversary
    assert "2023-11-20" not in national  # national only from 2024
    assert city["2023-11-20"]["category"] == "public"  # the city closed on it before
