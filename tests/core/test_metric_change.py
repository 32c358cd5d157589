"""next_metric_change: the next change of any metric row of any ticket history.

The default calendar: São Paulo, Mon-Fri 09:00-18:00; 2026-11-23 is a Monday. The default
policy: P0 4 h, P1 12 h, at_risk at 75 %, levels at the target, +4 h and +8 h; the
first_response targets are P0 1 h and P1 2 h.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, settings

from histories import histories, two_metrics
from sla_clock import MetricChange, Ticket, metric_statuses, next_change, next_metric_change
from sla_clock._zone import to_us
from support import nov

POLICY = two_metrics()
ONE_US = timedelta(microseconds=1)


def ev(at: datetime, event: str, ticket: str = "T-1", **value: str) -> dict[str, Any]:
    return {"ticket": ticket, "at": at, "event": event, **value}


T1 = ev(nov(23, 14), "opened", priority="P1")
T2 = ev(nov(23, 16), "opened", "T-2", priority="P0")


def shown(change: MetricChange | None) -> tuple[Any, ...] | None:
    if change is None:
        return None
    return (change.ticket, change.metric, change.cycle, change.at, change.state)


def test_the_first_response_warns_first() -> None:
    """T-1 (P1) opened Mon 14:00: first response at risk at 1 h 30 of 2 h, Mon 15:30."""
    change = next_metric_change(POLICY, [T1], nov(23, 14))
    assert shown(change) == ("T-1", "first_response", 1, nov(23, 15, 30), "at_risk")
    assert change is not None
    assert (change.priority, change.escalation_level, change.escalation) == ("P1", 0, None)


def test_across_tickets_the_earliest_row_wins() -> None:
    """At Mon 16:00 T-1's first response has used its 2 h: it breaches 1 µs later (level 1);
    right after, T-2's first response (P0, 1 h) warns at 16:45 before T-1's next level."""
    change = next_metric_change(POLICY, [T1, T2], nov(23, 16))
    assert shown(change) == ("T-1", "first_response", 1, nov(23, 16, microsecond=1), "breached")
    assert change is not None
    assert (change.escalation_level, change.escalation) == (1, "team leaders")
    later = next_metric_change(POLICY, [T1, T2], nov(23, 16, microsecond=1))
    assert shown(later) == ("T-2", "first_response", 1, nov(23, 16, 45), "at_risk")


def test_a_stopped_first_response_leaves_the_resolution() -> None:
    """After the agent's reply Mon 15:00, T-1's next change is its resolution at 9 h of 12:
    Mon 14:00-18:00 (4 h), then Tue 09:00-14:00 (5 h)."""
    events = [T1, ev(nov(23, 15), "reply", by="agent")]
    change = next_metric_change(POLICY, events, nov(23, 15))
    assert shown(change) == ("T-1", "resolution", 1, nov(24, 14), "at_risk")


def test_paused_and_resolved_rows_do_not_change() -> None:
    paused = [T1, ev(nov(23, 15), "reply", by="agent"), ev(nov(23, 15), "status", status="pending")]
    assert next_metric_change(POLICY, paused, nov(23, 16)) is None
    resolved = [T1, ev(nov(23, 15), "resolved")]
    assert next_metric_change(POLICY, resolved, nov(23, 16)) is None
    assert next_metric_change(POLICY, [], nov(23, 16)) is None
    assert next_metric_change(POLICY, [T1], nov(23, 13)) is None  # not yet opened


def test_restart_cycles_name_their_cycle() -> None:
    """With restart, the reopened cycle 2 (Tue 10:00, P1 12 h) warns at 9 h: Wed 10:00."""
    policy = two_metrics(on_reopen="restart")
    events = [T1, ev(nov(23, 15), "resolved"), ev(nov(24, 10), "reopened")]
    change = next_metric_change(policy, events, nov(24, 10))
    assert shown(change) == ("T-1", "resolution", 2, nov(25, 10), "at_risk")


def test_every_warning_share_is_a_stop() -> None:
    """warn_at = [0.5, 0.75]: a P1 resolution (12 h from Mon 14:00) stops at 6 h (Tue 11:00)
    and 9 h (Tue 14:00), at_risk both times; next_change of a Ticket stops there too."""
    policy = two_metrics(warn_at=[0.5, 0.75], metrics=[{"name": "resolution"}])
    first = next_metric_change(policy, [T1], nov(23, 14))
    assert shown(first) == ("T-1", "resolution", 1, nov(24, 11), "at_risk")
    second = next_metric_change(policy, [T1], nov(24, 11))
    assert shown(second) == ("T-1", "resolution", 1, nov(24, 14), "at_risk")
    ticket = Ticket(opened_at=nov(23, 14), priority="P1")
    one = next_change(policy, ticket, nov(23, 14))
    two = next_change(policy, ticket, nov(24, 11))
    assert one is not None
    assert two is not None
    assert (one.at, one.state, two.at, two.state) == (
        nov(24, 11),
        "at_risk",
        nov(24, 14),
        "at_risk",
    )


def test_a_resolution_row_agrees_with_next_change_of_the_same_ticket() -> None:
    """One rule: a history of opened plus a pause gives next_change's answer for the Ticket."""
    policy = two_metrics(metrics=[{"name": "resolution"}])
    events = [
        T1,
        ev(nov(23, 15), "status", status="pending"),
        ev(nov(24, 10), "status", status="open"),
    ]
    ticket = Ticket.model_validate(
        {
            "opened_at": nov(23, 14),
            "priority": "P1",
            "pauses": [{"start": nov(23, 15), "end": nov(24, 10)}],
        }
    )
    for now in (nov(23, 14), nov(24, 10), nov(24, 16), nov(25, 17)):
        row = next_metric_change(policy, events, now)
        one = next_change(policy, ticket, now)
        assert row is not None
        assert one is not None
        assert (row.at, row.state, row.escalation_level) == (
            one.at,
            one.state,
            one.escalation_level,
        )


def _key(rows: list[Any]) -> dict[tuple[str, str, int], tuple[str, int]]:
    return {(r.ticket, r.metric, r.cycle): (r.state, r.escalation_level) for r in rows}


@pytest.mark.slow
@settings(deadline=None, max_examples=150)
@given(histories())
def test_the_answer_is_the_earliest_of_the_rows(
    case: tuple[list[dict[str, Any]], datetime],
) -> None:
    """The answer is the min over each ticket's own; nothing changes before it; its row does."""
    events, now = case
    known = [e for e in events if e["at"] <= now]
    change = next_metric_change(POLICY, known, now)
    per_ticket = [
        next_metric_change(POLICY, [e for e in known if e["ticket"] == name], now)
        for name in dict.fromkeys(e["ticket"] for e in known)
    ]
    found = [c for c in per_ticket if c is not None]
    if change is None:
        assert not found
        return
    assert change.at == min(c.at for c in found)
    assert to_us(change.at) > to_us(now)
    current = _key(metric_statuses(POLICY, known, now))
    assert _key(metric_statuses(POLICY, known, change.at - ONE_US)) == current
    after = _key(metric_statuses(POLICY, known, change.at))
    assert after[change.ticket, change.metric, change.cycle] == (
        change.state,
        change.escalation_level,
    )
