"""next_change: when an alerting job should wake up next."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from sla_clock import (
    NaiveDatetimeError,
    Pause,
    Priority,
    SlaPolicy,
    StateChange,
    Ticket,
    next_change,
)
from sla_clock.policy import EscalationLevel
from support import SP, nov

POLICY = SlaPolicy.default()
ONE_US = timedelta(microseconds=1)


def p0_monday(**fields: Any) -> Ticket:
    """The DESIGN.md ticket: a P0 opened Monday 2026-11-23 at 14:00."""
    return Ticket(opened_at=nov(23, 14), priority="P0", **fields)


def chain(policy: SlaPolicy, ticket: Ticket, now: datetime) -> list[StateChange]:
    """Follow next_change from ``now`` until it returns None."""
    changes: list[StateChange] = []
    change = next_change(policy, ticket, now)
    while change is not None:
        assert len(changes) < 20, "next_change does not terminate"
        changes.append(change)
        change = next_change(policy, ticket, change.at)
    return changes


def test_p0_example_schedule() -> None:
    """The P0 of DESIGN.md: at_risk 17:00, then breach and team leaders together at Tue
    09:00 + 1 µs (a level is reached only once late), coordination and management after."""
    got = [
        (c.at, c.state, c.escalation_level, c.escalation)
        for c in chain(POLICY, p0_monday(), nov(23, 14))
    ]
    assert got == [
        (nov(23, 17), "at_risk", 0, None),
        (nov(24, 9, microsecond=1), "breached", 1, "team leaders"),
        (nov(24, 13, microsecond=1), "breached", 2, "coordination"),
        (nov(24, 17, microsecond=1), "breached", 3, "management"),
    ]


def test_change_is_strictly_after_now() -> None:
    """Asked exactly at a change instant, next_change returns the following one."""
    change = next_change(POLICY, p0_monday(), nov(24, 9, microsecond=1))
    assert change is not None
    assert change.at == nov(24, 13, microsecond=1)


def test_overnight_the_next_change_is_the_breach() -> None:
    """Asked Monday night, the next change is the breach just after Tue 09:00."""
    change = next_change(POLICY, p0_monday(), nov(23, 22))
    assert change is not None
    assert (change.at, change.state) == (nov(24, 9, microsecond=1), "breached")
    assert change.at.tzinfo == SP


def test_breach_change_matches_breach_at() -> None:
    """The breach change is one microsecond after the status's breach_at."""
    status = POLICY.status(p0_monday(), nov(23, 18))
    change = next_change(POLICY, p0_monday(), nov(23, 18))
    assert change is not None
    assert change.at == status.breach_at + ONE_US


def test_nothing_left_after_the_last_level() -> None:
    """A breached ticket at the last escalation level has no next change."""
    assert next_change(POLICY, p0_monday(), nov(24, 17, microsecond=1)) is None
    assert next_change(POLICY, p0_monday(), nov(30, 12)) is None


def test_resolved_ticket_has_no_next_change() -> None:
    """A resolved ticket never changes again."""
    ticket = p0_monday(resolved_at=nov(23, 15))
    assert next_change(POLICY, ticket, nov(23, 15)) is None
    assert next_change(POLICY, ticket, nov(23, 16)) is None


def test_paused_ticket_has_no_next_change() -> None:
    """While a pause goes on the clock is stopped, so no change is scheduled."""
    ticket = p0_monday(pauses=(Pause(start=nov(23, 15)),))
    assert next_change(POLICY, ticket, nov(23, 16)) is None


def test_resolution_after_now_is_not_assumed() -> None:
    """A resolution recorded after now is ignored: the schedule is as if still open."""
    ticket = p0_monday(resolved_at=nov(23, 16))
    change = next_change(POLICY, ticket, nov(23, 15))
    assert change is not None
    assert (change.at, change.state) == (nov(23, 17), "at_risk")


def test_schedule_after_a_pause() -> None:
    """After a pause Mon 15:00-16:00, at_risk lands on Mon 18:00 and the deadline on Tue 10:00,
    with the breach and the first level just after it."""
    ticket = p0_monday(pauses=(Pause(start=nov(23, 15), end=nov(23, 16)),))
    got = [(c.at, c.state, c.escalation_level) for c in chain(POLICY, ticket, nov(23, 16))]
    assert got[:3] == [
        (nov(23, 18), "at_risk", 0),
        (nov(24, 10, microsecond=1), "breached", 1),
        (nov(24, 14, microsecond=1), "breached", 2),
    ]


def test_every_change_follows_open_time() -> None:
    """Each change comes right after open time: the clock only moves while the desk is open."""
    for change in chain(POLICY, p0_monday(), nov(23, 14)):
        assert POLICY.calendar.is_open(change.at - ONE_US)


def test_status_at_the_change_is_the_announced_one() -> None:
    """The status at each change has the state and level that next_change announced."""
    for change in chain(POLICY, p0_monday(), nov(23, 14)):
        status = POLICY.status(p0_monday(), change.at)
        assert (status.state, status.escalation_level, status.escalation) == (
            change.state,
            change.escalation_level,
            change.escalation,
        )


def _policy(*levels: EscalationLevel, share: float = 0.5) -> SlaPolicy:
    return SlaPolicy(
        priorities=(Priority(code="A", target=timedelta(hours=2), name_en="A", name_pt="A"),),
        warning_share=share,
        escalation=levels,
    )


def test_policy_without_escalation_stops_after_the_breach() -> None:
    """Without a ladder the changes are at_risk and the breach, then nothing."""
    ticket = Ticket(opened_at=nov(24, 9), priority="A")
    got = [(c.at, c.state, c.escalation_level) for c in chain(_policy(), ticket, nov(24, 9))]
    assert got == [(nov(24, 10), "at_risk", 0), (nov(24, 11, microsecond=1), "breached", 0)]


def test_levels_with_the_same_offset_are_reached_together() -> None:
    """Two levels at the same offset are one change, to the higher level."""
    policy = _policy(
        EscalationLevel(name="lead", offset=timedelta(minutes=30)),
        EscalationLevel(name="head", offset=timedelta(minutes=30)),
    )
    ticket = Ticket(opened_at=nov(24, 9), priority="A")
    changes = chain(policy, ticket, nov(24, 9))
    got = [(c.at, c.state, c.escalation_level, c.escalation) for c in changes]
    assert got == [
        (nov(24, 10), "at_risk", 0, None),
        (nov(24, 11, microsecond=1), "breached", 0, None),
        (nov(24, 11, 30, microsecond=1), "breached", 2, "head"),
    ]


@pytest.mark.parametrize(
    ("share", "expected"), [(1.0, nov(24, 11)), (0.999, nov(24, 10, 59, 52, 800_000))]
)
def test_warning_share_sets_the_at_risk_instant(share: float, expected: datetime) -> None:
    """at_risk comes at the warning share of the target; at 100 % it is the deadline itself."""
    ticket = Ticket(opened_at=nov(24, 9), priority="A")
    first = next_change(_policy(share=share), ticket, nov(24, 9))
    assert first is not None
    assert (first.at, first.state, first.escalation_level) == (expected, "at_risk", 0)


def test_naive_now_is_refused() -> None:
    """A naive now raises NaiveDatetimeError."""
    with pytest.raises(NaiveDatetimeError):
        # Naive on purpose.
        next_change(POLICY, p0_monday(), datetime(2026, 11, 23, 15))  # noqa: DTZ001
