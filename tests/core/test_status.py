"""SlaStatus: the DESIGN.md examples, pauses, priority changes, escalation and to_dict."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from sla_clock import (
    NaiveDatetimeError,
    Pause,
    PriorityChange,
    SlaClockError,
    SlaPolicy,
    Ticket,
    UnknownPriorityError,
)
from sla_clock.policy import DEFAULT_POLICY_DATA
from support import SP, nov

POLICY = SlaPolicy.default()
RESTART = SlaPolicy.model_validate({**DEFAULT_POLICY_DATA, "priority_change": "restart"})
ONE_US = timedelta(microseconds=1)


def p0_monday(**fields: Any) -> Ticket:
    """The DESIGN.md ticket: a P0 opened Monday 2026-11-23 at 14:00."""
    return Ticket(opened_at=nov(23, 14), priority="P0", **fields)


# -- the DESIGN.md example ----------------------------------------------------------------


def test_p0_opened_monday_1400_is_due_monday_1800() -> None:
    """A P0 opened Mon 14:00 is due Mon 18:00 and breach_at is Tue 09:00."""
    status = POLICY.status(p0_monday(), nov(23, 14))
    assert status.due_at == nov(23, 18)
    assert status.breach_at == nov(24, 9)
    assert status.target == timedelta(hours=4)
    assert status.state == "running"


def test_p0_resolved_at_1830_is_met() -> None:
    """Resolved at 18:30 (after closing, with exactly 4 h used) the P0 is met."""
    status = POLICY.status(p0_monday(resolved_at=nov(23, 18, 30)), nov(23, 18, 30))
    assert status.state == "met"
    assert status.used == timedelta(hours=4)
    assert status.resolved_at == nov(23, 18, 30)
    assert not status.is_late


@pytest.mark.parametrize(
    "now", [nov(23, 18), nov(23, 18, 30), nov(24, 3), nov(24, 8, 59, 59, 999_999)]
)
def test_p0_is_not_breached_overnight(now: datetime) -> None:
    """Between Mon 18:00 and Tue 09:00 the P0 has used exactly 4 h and is still on time."""
    status = POLICY.status(p0_monday(), now)
    assert status.state == "at_risk"
    assert status.used == timedelta(hours=4)
    assert status.remaining == timedelta(0)
    assert status.share_used == 1.0


def test_p0_is_on_time_at_tue_0900_and_breached_a_microsecond_later() -> None:
    """At Tue 09:00 the P0 is not breached; at Tue 09:00:00.000001 it is."""
    at_nine = POLICY.status(p0_monday(), nov(24, 9))
    assert at_nine.state == "at_risk"
    assert at_nine.breach_at == nov(24, 9)
    late = POLICY.status(p0_monday(), nov(24, 9, microsecond=1))
    assert late.state == "breached"
    assert late.used == timedelta(hours=4, microseconds=1)
    assert late.remaining == -ONE_US
    assert late.is_late
    assert late.breach_at == nov(24, 9)


@pytest.mark.parametrize(
    ("resolved", "state"),
    [(nov(24, 9), "met"), (nov(24, 9, microsecond=1), "missed"), (nov(24, 10), "missed")],
)
def test_resolution_around_breach_at(resolved: datetime, state: str) -> None:
    """Resolved at breach_at the P0 is met; any business microsecond later it is missed."""
    ticket = p0_monday(resolved_at=resolved)
    assert POLICY.status(ticket, nov(30, 12)).state == state


def test_running_until_the_warning_share() -> None:
    """The P0 is running before 75 % of 4 h (Mon 17:00) and at_risk from then on."""
    assert POLICY.status(p0_monday(), nov(23, 16, 59, 59, 999_999)).state == "running"
    assert POLICY.status(p0_monday(), nov(23, 17)).state == "at_risk"


def test_deadline_skips_a_holiday() -> None:
    """A P0 opened Thu 2026-11-19 17:00 is due Mon 23 12:00 (Fri 20 is a national holiday)."""
    ticket = Ticket(opened_at=nov(19, 17), priority="P0")
    status = POLICY.status(ticket, nov(19, 17))
    assert status.due_at == nov(23, 12)
    assert status.breach_at == nov(23, 12)


def test_p2_is_four_days_and_four_hours_on_the_default_desk() -> None:
    """On 09:00-18:00 without a break, P2 (40 h) opened Mon 09:00 is due Fri 13:00."""
    ticket = Ticket(opened_at=nov(23, 9), priority="P2")
    assert POLICY.status(ticket, nov(23, 9)).due_at == nov(27, 13)


def test_status_times_are_in_the_calendar_zone() -> None:
    """A ticket given in UTC gets its due_at, breach_at and as_of in São Paulo time."""
    ticket = Ticket(opened_at=nov(23, 14).astimezone(UTC), priority="P0")
    status = POLICY.status(ticket, nov(23, 15).astimezone(UTC))
    for value in (status.due_at, status.breach_at, status.as_of):
        assert value.tzinfo == SP
    assert status.due_at.hour == 18


def test_naive_now_is_refused() -> None:
    """A naive now raises NaiveDatetimeError, which is a ValueError."""
    with pytest.raises(NaiveDatetimeError) as info:
        POLICY.status(p0_monday(), datetime(2026, 11, 23, 15))  # noqa: DTZ001  # naive on purpose
    assert isinstance(info.value, ValueError)


# -- pauses -------------------------------------------------------------------------------


def test_pause_in_business_hours_moves_the_deadline() -> None:
    """A pause Mon 15:00-16:30 on the P0 moves due_at from Mon 18:00 to Tue 10:30."""
    ticket = p0_monday(pauses=(Pause(start=nov(23, 15), end=nov(23, 16, 30)),))
    status = POLICY.status(ticket, nov(23, 17))
    assert status.used == timedelta(hours=1, minutes=30)
    assert status.due_at == nov(24, 10, 30)
    assert status.breach_at == nov(24, 10, 30)


def test_overlapping_pauses_are_merged() -> None:
    """Pauses 10:00-11:00, 10:30-11:30 and 10:15-10:20 stop the clock 1.5 h, not 2 h 05."""
    pauses = (
        Pause(start=nov(24, 10, 30), end=nov(24, 11, 30)),
        Pause(start=nov(24, 10), end=nov(24, 11)),
        Pause(start=nov(24, 10, 15), end=nov(24, 10, 20)),
    )
    ticket = Ticket(opened_at=nov(24, 9), priority="P0", pauses=pauses)
    status = POLICY.status(ticket, nov(24, 12))
    assert status.used == timedelta(hours=1, minutes=30)
    assert status.due_at == nov(24, 14, 30)


def test_touching_pauses_count_once() -> None:
    """Pauses 10:00-11:00 and 11:00-12:00 stop the clock exactly like one 10:00-12:00 pause."""
    touching = (
        Pause(start=nov(24, 10), end=nov(24, 11)),
        Pause(start=nov(24, 11), end=nov(24, 12)),
    )
    single = (Pause(start=nov(24, 10), end=nov(24, 12)),)
    a = POLICY.status(Ticket(opened_at=nov(24, 9), priority="P0", pauses=touching), nov(24, 13))
    b = POLICY.status(Ticket(opened_at=nov(24, 9), priority="P0", pauses=single), nov(24, 13))
    assert a == b
    assert a.used == timedelta(hours=2)


@pytest.mark.parametrize(
    ("opened", "pause"),
    [
        (nov(23, 16), Pause(start=nov(23, 18), end=nov(24, 9))),  # a night
        (nov(27, 16), Pause(start=nov(27, 18), end=nov(30, 9))),  # a weekend
        (nov(27, 16), Pause(start=nov(28, 10), end=nov(28, 14))),  # a Saturday
        (nov(19, 17), Pause(start=nov(20, 9), end=nov(20, 18))),  # a holiday
    ],
)
def test_pause_in_closed_time_moves_nothing(opened: datetime, pause: Pause) -> None:
    """A pause over a night, a weekend, a Saturday or a holiday changes no status."""
    plain = Ticket(opened_at=opened, priority="P1")
    paused = Ticket(opened_at=opened, priority="P1", pauses=(pause,))
    now = opened + timedelta(days=5)
    assert POLICY.status(paused, now) == POLICY.status(plain, now)


def test_ongoing_pause_is_paused_and_projects_due_at() -> None:
    """A pause from Mon 15:00 still going on at 16:00 is paused, due as if it ended now."""
    for end in (None, nov(23, 17)):
        ticket = p0_monday(pauses=(Pause(start=nov(23, 15), end=end),))
        status = POLICY.status(ticket, nov(23, 16))
        assert status.state == "paused"
        assert status.paused
        assert status.used == timedelta(hours=1)
        assert status.due_at == nov(24, 10)


def test_pause_that_ended_at_now_is_over() -> None:
    """A pause ending exactly at now is no longer going on: the clock runs again."""
    ticket = p0_monday(pauses=(Pause(start=nov(23, 15), end=nov(23, 17)),))
    status = POLICY.status(ticket, nov(23, 17))
    assert status.state == "running"
    assert not status.paused
    assert status.due_at == nov(24, 11)


def test_pause_starting_at_now_is_going_on() -> None:
    """A pause that starts exactly at now makes the ticket paused."""
    ticket = p0_monday(pauses=(Pause(start=nov(23, 15)),))
    assert POLICY.status(ticket, nov(23, 15)).state == "paused"


def test_breached_ticket_in_a_pause_is_breached() -> None:
    """A late ticket that is paused reports breached, with the paused flag set."""
    ticket = p0_monday(pauses=(Pause(start=nov(24, 10)),))
    status = POLICY.status(ticket, nov(24, 11))
    assert status.state == "breached"
    assert status.paused
    assert status.used == timedelta(hours=5)


# -- what now knows -------------------------------------------------------------------------


def test_events_after_now_are_ignored() -> None:
    """A pause, a priority change and a resolution after now do not change the status."""
    ticket = p0_monday(
        pauses=(Pause(start=nov(23, 16), end=nov(24, 12)),),
        priority_changes=(PriorityChange(at=nov(23, 15, 30), priority="P3"),),
        resolved_at=nov(24, 15),
    )
    status = POLICY.status(ticket, nov(23, 15))
    assert status == POLICY.status(p0_monday(), nov(23, 15))
    assert status.resolved_at is None


def test_status_is_frozen_after_resolution() -> None:
    """After the resolution, used, state and due_at no longer change with now."""
    ticket = p0_monday(resolved_at=nov(24, 10))
    first = POLICY.status(ticket, nov(24, 10))
    later = POLICY.status(ticket, nov(30, 15))
    assert (first.state, first.used, first.due_at) == (later.state, later.used, later.due_at)
    assert first.state == "missed"
    assert first.used == timedelta(hours=5)
    assert not later.paused


# -- priority changes ------------------------------------------------------------------------


def p3_raised_to_p0() -> Ticket:
    """A P3 opened Mon 09:00 and raised to P0 at Mon 14:00, after 5 business hours."""
    return Ticket(
        opened_at=nov(23, 9),
        priority="P3",
        priority_changes=(PriorityChange(at=nov(23, 14), priority="P0"),),
    )


def test_priority_change_recompute_is_breached_at_once() -> None:
    """By default a P3 raised to P0 after 5 business hours is breached at once."""
    before = POLICY.status(p3_raised_to_p0(), nov(23, 13, 59))
    assert (before.priority, before.state) == ("P3", "running")
    status = POLICY.status(p3_raised_to_p0(), nov(23, 14))
    assert status.priority == "P0"
    assert status.target == timedelta(hours=4)
    assert status.used == timedelta(hours=5)
    assert status.state == "breached"
    assert status.due_at == nov(23, 13)
    assert status.breach_at == nov(23, 13)
    assert (status.escalation_level, status.escalation) == (1, "team leaders")


def test_priority_change_restart_starts_a_new_clock() -> None:
    """With restart, the P0 clock starts at the change: due Mon 18:00, breached after Tue 09:00."""
    status = RESTART.status(p3_raised_to_p0(), nov(23, 14))
    assert (status.priority, status.state, status.used) == ("P0", "running", timedelta(0))
    assert status.due_at == nov(23, 18)
    assert status.breach_at == nov(24, 9)
    assert RESTART.status(p3_raised_to_p0(), nov(24, 9, microsecond=1)).state == "breached"


def test_lowering_the_priority_gives_the_new_target() -> None:
    """A breached P0 lowered to P3 on Tue 10:00 counts its 5 h against 48 h: running."""
    ticket = p0_monday(priority_changes=(PriorityChange(at=nov(24, 10), priority="P3"),))
    assert POLICY.status(ticket, nov(24, 9, 30)).state == "breached"
    status = POLICY.status(ticket, nov(24, 10))
    assert (status.priority, status.state) == ("P3", "running")
    assert status.used == timedelta(hours=5)


def test_latest_change_wins_whatever_the_list_order() -> None:
    """With several changes, the priority of the latest one at or before now is in force."""
    changes = (
        PriorityChange(at=nov(23, 16), priority="P1"),
        PriorityChange(at=nov(23, 15), priority="P2"),
    )
    ticket = p0_monday(priority_changes=changes)
    assert POLICY.status(ticket, nov(23, 15, 30)).priority == "P2"
    assert POLICY.status(ticket, nov(23, 16)).priority == "P1"


def test_simultaneous_changes_do_not_depend_on_code_spelling() -> None:
    """Two changes at one instant resolve the same whether a code is written p0 or P0."""
    upper = p0_monday(
        priority_changes=(
            PriorityChange(at=nov(23, 15), priority="P1"),
            PriorityChange(at=nov(23, 15), priority="P0"),
        )
    )
    lower = p0_monday(
        priority_changes=(
            PriorityChange(at=nov(23, 15), priority="P1"),
            PriorityChange(at=nov(23, 15), priority="p0"),
        )
    )
    assert POLICY.status(upper, nov(23, 16)).priority == POLICY.status(lower, nov(23, 16)).priority


def test_unknown_priority_in_a_change_raises() -> None:
    """A change to a code the policy lacks raises UnknownPriorityError naming the codes."""
    ticket = p0_monday(priority_changes=(PriorityChange(at=nov(23, 15), priority="P9"),))
    with pytest.raises(UnknownPriorityError, match="P9") as info:
        POLICY.status(ticket, nov(23, 16))
    assert "P0, P1, P2, P3" in str(info.value)
    assert isinstance(info.value, SlaClockError)
    assert isinstance(info.value, ValueError)


def test_unknown_ticket_priority_raises() -> None:
    """A ticket whose own priority is unknown raises UnknownPriorityError."""
    with pytest.raises(UnknownPriorityError, match="urgent"):
        POLICY.status(Ticket(opened_at=nov(23, 14), priority="urgent"), nov(23, 15))


def test_priority_codes_are_case_insensitive() -> None:
    """A ticket of priority 'p0' is a P0 and reports the policy's spelling."""
    status = POLICY.status(Ticket(opened_at=nov(23, 14), priority=" p0 "), nov(23, 15))
    assert status.priority == "P0"
    assert status.due_at == nov(23, 18)


# -- escalation ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "level", "name"),
    [
        (nov(23, 17, 59, 59, 999_999), 0, None),
        (nov(23, 18), 0, None),  # used exactly the target: on time, no level
        (nov(24, 9), 0, None),  # still exactly the target (the night counts nothing)
        (nov(24, 9, 0, 0, 1), 1, "team leaders"),  # late: leaders with the breach
        (nov(24, 13), 1, "team leaders"),
        (nov(24, 13, 0, 0, 1), 2, "coordination"),
        (nov(24, 17), 2, "coordination"),
        (nov(24, 17, 0, 0, 1), 3, "management"),
        (nov(30, 12), 3, "management"),
    ],
)
def test_default_escalation_ladder(now: datetime, level: int, name: str | None) -> None:
    """Team leaders once late, coordination and management once late by more than 4 and 8
    business hours: a level is reached only when used > target + offset."""
    status = POLICY.status(p0_monday(), now)
    assert (status.escalation_level, status.escalation) == (level, name)


def test_a_ticket_resolved_after_close_is_met_without_escalation() -> None:
    """Resolved at 18:20, a P0 due at 18:00 is met: no level is shown (issue 9's defect)."""
    status = POLICY.status(p0_monday(resolved_at=nov(23, 18, 20)), nov(23, 19))
    assert (status.state, status.escalation_level, status.escalation) == ("met", 0, None)


def test_escalation_is_frozen_while_paused() -> None:
    """A pause stops escalation too: it counts business time outside pauses."""
    ticket = p0_monday(pauses=(Pause(start=nov(24, 10)),))
    assert POLICY.status(ticket, nov(30, 12)).escalation_level == 1


# -- to_dict ---------------------------------------------------------------------------------


def test_to_dict_has_the_documented_fields() -> None:
    """to_dict gives state, ISO due_at and breach_at, and used/remaining seconds."""
    data = POLICY.status(p0_monday(), nov(24, 9, microsecond=1)).to_dict()
    assert data["state"] == "breached"
    assert datetime.fromisoformat(data["due_at"]) == nov(23, 18)
    assert datetime.fromisoformat(data["breach_at"]) == nov(24, 9)
    assert data["used_seconds"] == pytest.approx(14400.000001, abs=1e-9)
    assert data["remaining_seconds"] == pytest.approx(-0.000001, abs=1e-9)
    assert data["escalation_level"] == 1
    assert data["priority"] == "P0"
    assert data["resolved_at"] is None
    assert json.loads(json.dumps(data)) == data


def test_to_dict_of_a_resolved_ticket() -> None:
    """A resolved status serialises its resolution instant and whole seconds exactly."""
    data = POLICY.status(p0_monday(resolved_at=nov(23, 18, 30)), nov(24, 12)).to_dict()
    assert data["state"] == "met"
    assert data["used_seconds"] == 14400
    assert data["remaining_seconds"] == 0
    assert datetime.fromisoformat(data["resolved_at"]) == nov(23, 18, 30)
    assert data["paused"] is False
