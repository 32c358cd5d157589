"""The ticket-history figure draws the engine's rows: its lanes cannot drift from them."""

from __future__ import annotations

import importlib.util
from datetime import datetime
from pathlib import Path
from types import ModuleType

import pytest
from matplotlib.figure import Figure
from matplotlib.text import Text

from sla_clock import metric_statuses
from sla_clock.views._figure_calendar import x_of
from sla_clock.views._history_figure import METRIC_KEYS, plot_history
from sla_clock.views._words import WEEKDAYS, Language, TextKey, state_name, text

ROOT = Path(__file__).resolve().parents[2]


def load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_figures", ROOT / "scripts/make_figures.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def texts_by_gid(fig: Figure) -> dict[str, Text]:
    return {t.get_gid(): t for t in fig.axes[0].texts if t.get_gid()}


@pytest.mark.parametrize("lang", ["en", "pt"])
def test_each_lane_shows_its_row(lang: Language) -> None:
    """One lane per computed row; its title, due_at and breach_at are the row's."""
    policy, events, now = load_script().history_example()
    rows = metric_statuses(policy, events, now)
    assert [(r.metric, r.cycle) for r in rows] == [("first_response", 1), ("resolution", 1)]
    texts = texts_by_gid(plot_history(policy, events, now, lang=lang))
    lanes = sorted(gid for gid in texts if gid.startswith("lane-"))
    assert lanes == sorted(f"lane-{r.metric}-{r.cycle}" for r in rows)
    for row in rows:
        key = f"{row.metric}-{row.cycle}"
        title = texts[f"lane-{key}"].get_text()
        assert title.endswith(f"{row.priority} · {state_name(row.state, lang)}")
        assert text(METRIC_KEYS[row.metric], lang) in title
        shown: tuple[tuple[str, datetime, TextKey], ...] = (
            ("due", row.due_at, "due"),
            ("breach", row.breach_at, "breach_at"),
        )
        for kind, at, word in shown:
            label = texts[f"{kind}-{key}"]
            short = f"{WEEKDAYS[lang][at.weekday()]} {at:%H:%M}"
            assert label.get_text().strip() == f"{text(word, lang)} {short}"
            assert label.get_position()[0] == pytest.approx(x_of(at))


def test_the_example_rows_are_the_documented_ones() -> None:
    """The figure's example is the page's: first response missed at P1, resolution breached."""
    policy, events, now = load_script().history_example()
    rows = metric_statuses(policy, events, now)
    assert [(r.priority, r.state, str(r.used), f"{r.due_at:%a %H:%M}") for r in rows] == [
        ("P1", "missed", "6:00:00", "Mon 16:00"),
        ("P0", "breached", "9:00:00", "Tue 13:00"),
    ]


def test_an_unknown_ticket_is_refused() -> None:
    policy, events, now = load_script().history_example()
    with pytest.raises(LookupError, match="T-9"):
        plot_history(policy, events, now, ticket="T-9")
