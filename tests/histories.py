"""Random ticket histories for the metric tests: interleaved tickets that keep the history rules.

Times fall on a 5-minute grid from Friday 2026-11-20 to Friday 2026-11-27 in São Paulo, so
nights, a weekend and business hours all occur; ``now`` falls inside the same week.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from hypothesis import strategies as st

from sla_clock import SlaPolicy
from sla_clock.config import DEFAULT_POLICY_DATA, PolicyFile
from support import sp

__all__ = ["FIRST_RESPONSE", "START", "histories", "two_metrics"]

START = sp(2026, 11, 20, 8)
_STEPS = 7 * 24 * 12  # a week of 5-minute steps
FIRST_RESPONSE = {
    "name": "first_response",
    "pause": False,
    "targets": {"P0": "PT1H", "P1": "PT2H", "P2": "PT8H", "P3": "PT8H"},
}
_PRIORITIES = ("P0", "P1", "P2", "P3")


def two_metrics(**keys: Any) -> SlaPolicy:
    """The default policy with first_response and resolution (and ``keys``)."""
    data = {**DEFAULT_POLICY_DATA, "metrics": [FIRST_RESPONSE, {"name": "resolution"}], **keys}
    return SlaPolicy.from_data(PolicyFile.model_validate(data))


def _at(step: int) -> datetime:
    return START + timedelta(minutes=5 * step)


@st.composite
def _ticket(draw: st.DrawFn, name: str) -> list[dict[str, Any]]:
    step = draw(st.integers(0, _STEPS // 2))
    events = [{"ticket": name, "at": _at(step), "event": "opened", "priority": "P1"}]
    events[0]["priority"] = draw(st.sampled_from(_PRIORITIES))
    is_open = True
    for _ in range(draw(st.integers(0, 8))):
        step += draw(st.integers(0, 60))
        kind = draw(st.sampled_from(("status", "priority", "reply", "close")))
        event: dict[str, Any] = {"ticket": name, "at": _at(step)}
        if kind == "status":
            status = draw(st.sampled_from(("open", "waiting_on_customer", "pending")))
            event |= {"event": "status", "status": status}
        elif kind == "priority":
            event |= {"event": "priority", "priority": draw(st.sampled_from(_PRIORITIES))}
        elif kind == "reply":
            event |= {"event": "reply", "by": draw(st.sampled_from(("agent", "customer")))}
        else:
            event |= {"event": "resolved" if is_open else "reopened"}
            is_open = not is_open
        events.append(event)
    return events


@st.composite
def histories(draw: st.DrawFn) -> tuple[list[dict[str, Any]], datetime]:
    """Interleaved events of one to four tickets (each in time order), and a ``now``."""
    tickets = [draw(_ticket(f"T-{n}")) for n in range(1, draw(st.integers(1, 4)) + 1)]
    merged: list[dict[str, Any]] = []
    while any(tickets):
        pick = draw(st.integers(0, len(tickets) - 1))
        if tickets[pick]:
            merged.append(tickets[pick].pop(0))
        tickets = [t for t in tickets if t] or tickets
    now = _at(draw(st.integers(0, _STEPS)))
    return merged, now
