"""Ticket, Pause and PriorityChange: validation, immutability and error messages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from sla_clock import Pause, PriorityChange, SlaClockError, SlaPolicy, Ticket, TicketError
from support import nov

NY = ZoneInfo("America/New_York")


def test_a_valid_ticket_keeps_its_fields() -> None:
    """A consistent ticket is built with its pauses, changes, resolution and id."""
    ticket = Ticket(
        opened_at=nov(23, 14),
        priority="P0",
        pauses=(Pause(start=nov(23, 15), end=nov(23, 16)),),
        priority_changes=(PriorityChange(at=nov(23, 15), priority="P1"),),
        resolved_at=nov(24, 10),
        id="CH-1234",
    )
    assert ticket.priority == "P0"
    assert ticket.pauses[0].end == nov(23, 16)
    assert ticket.priority_changes[0].priority == "P1"
    assert ticket.resolved_at == nov(24, 10)
    assert ticket.id == "CH-1234"


def test_ticket_is_frozen_and_hashable() -> None:
    """A ticket is an immutable value: assignment fails and equal tickets hash alike."""
    ticket = Ticket(opened_at=nov(23, 14), priority="P0")
    with pytest.raises(ValueError, match="frozen"):
        ticket.priority = "P1"  # type: ignore[misc]  # frozen: the assignment must fail
    assert hash(ticket) == hash(Ticket(opened_at=nov(23, 14), priority="P0"))


def test_ticket_error_is_a_value_error_and_sla_clock_error() -> None:
    """TicketError fits both `except ValueError` and `except SlaClockError`."""
    assert issubclass(TicketError, ValueError)
    assert issubclass(TicketError, SlaClockError)


def test_resolved_before_opened_is_refused() -> None:
    """A resolution before the opening raises TicketError showing both times."""
    with pytest.raises(TicketError, match="before opened_at") as info:
        Ticket(opened_at=nov(23, 14), priority="P0", resolved_at=nov(23, 13))
    message = str(info.value)
    assert "2026-11-23T14:00:00-03:00" in message
    assert "2026-11-23T13:00:00-03:00" in message


def test_resolved_at_opening_is_allowed() -> None:
    """A ticket resolved at the instant it opened is valid (and met)."""
    ticket = Ticket(opened_at=nov(23, 14), priority="P0", resolved_at=nov(23, 14))
    assert SlaPolicy.default().status(ticket, nov(23, 14)).state == "met"


def test_pause_before_opening_is_clipped_to_the_life() -> None:
    """A pause that starts before the ticket opened is valid; the status clips it."""
    ticket = Ticket(
        opened_at=nov(23, 14),
        priority="P0",
        pauses=(Pause(start=nov(23, 13), end=nov(23, 15)),),
    )
    status = SlaPolicy.default().status(ticket, nov(23, 17))
    assert status.used == timedelta(hours=2)  # 14:00-15:00 paused, 15:00-17:00 counted


def test_pause_after_resolution_is_clipped_to_the_life() -> None:
    """A pause ending after the resolution is valid; only its part before it counts."""
    ticket = Ticket(
        opened_at=nov(23, 14),
        priority="P0",
        pauses=(Pause(start=nov(23, 15), end=nov(23, 17)),),
        resolved_at=nov(23, 16),
    )
    status = SlaPolicy.default().status(ticket, nov(24, 10))
    assert (status.state, status.used) == ("met", timedelta(hours=1))


def test_ongoing_pause_on_a_resolved_ticket_ends_at_the_resolution() -> None:
    """A resolved ticket may keep a pause without an end (resolved while waiting)."""
    ticket = Ticket(
        opened_at=nov(23, 14),
        priority="P0",
        pauses=(Pause(start=nov(23, 15)),),
        resolved_at=nov(23, 16),
    )
    status = SlaPolicy.default().status(ticket, nov(24, 10))
    assert (status.state, status.used, status.paused) == ("met", timedelta(hours=1), False)


def test_now_before_the_opening_is_refused() -> None:
    """The status at an instant before the ticket opened is an error, not ``running``."""
    ticket = Ticket(opened_at=nov(23, 14), priority="P0")
    with pytest.raises(TicketError, match="before the ticket opened") as info:
        SlaPolicy.default().status(ticket, nov(23, 13))
    assert "opened_at 2026-11-23T14:00:00-03:00" in str(info.value)
    assert "2026-11-23T13:00:00-03:00" in str(info.value)


def test_pause_ending_before_it_starts_is_refused() -> None:
    """A pause whose end is before its start raises TicketError."""
    with pytest.raises(TicketError, match="before it starts"):
        Pause(start=nov(23, 15), end=nov(23, 14))


def test_pause_may_fill_the_whole_life() -> None:
    """A pause from the opening to the resolution, and an empty pause, are valid."""
    ticket = Ticket(
        opened_at=nov(23, 14),
        priority="P0",
        pauses=(
            Pause(start=nov(23, 14), end=nov(23, 16)),
            Pause(start=nov(23, 15), end=nov(23, 15)),
        ),
        resolved_at=nov(23, 16),
    )
    assert SlaPolicy.default().status(ticket, nov(23, 16)).used == timedelta(0)


def test_priority_change_outside_life_is_refused() -> None:
    """A priority change before the opening or after the resolution raises TicketError."""
    for at in (nov(23, 13), nov(23, 17)):
        with pytest.raises(TicketError, match="priority change"):
            Ticket(
                opened_at=nov(23, 14),
                priority="P0",
                priority_changes=(PriorityChange(at=at, priority="P1"),),
                resolved_at=nov(23, 16),
            )


def test_naive_opening_is_refused_with_the_fix() -> None:
    """A naive opened_at raises TicketError naming the field and how to add a zone."""
    with pytest.raises(TicketError) as info:
        # Naive on purpose.
        Ticket(opened_at=datetime(2026, 11, 23, 14), priority="P0")  # noqa: DTZ001
    message = str(info.value)
    assert "opened_at" in message
    assert "has no timezone" in message
    assert "ZoneInfo" in message


@pytest.mark.parametrize("field", ["start", "end"])
def test_naive_pause_is_refused(field: str) -> None:
    """A naive pause start or end raises TicketError naming the field."""
    times = {"start": nov(23, 15), "end": nov(23, 16)}
    times[field] = times[field].replace(tzinfo=None)
    with pytest.raises(TicketError, match=f"{field}: has no timezone"):
        Pause(**times)


def test_naive_time_inside_a_ticket_is_refused() -> None:
    """A naive pause given as a dict inside a ticket names its position in the ticket."""
    with pytest.raises(TicketError, match=r"pauses\.0\b.*\bstart: has no timezone"):
        Ticket(
            opened_at=nov(23, 14),
            priority="P0",
            pauses=({"start": datetime(2026, 11, 23, 15)},),  # noqa: DTZ001  # naive on purpose
        )


def test_empty_priority_and_unknown_field_are_refused() -> None:
    """An empty priority code or an unknown field raises TicketError."""
    with pytest.raises(TicketError, match="priority"):
        Ticket(opened_at=nov(23, 14), priority="")
    with pytest.raises(TicketError, match="colour"):
        # An unknown field on purpose.
        Ticket(opened_at=nov(23, 14), priority="P0", colour="red")  # type: ignore[call-arg]


def test_times_are_compared_as_instants_in_a_repeated_hour() -> None:
    """In New York's repeated hour, 01:10 EST is after 01:30 EDT: a valid resolution."""
    opened = datetime(2026, 11, 1, 1, 30, tzinfo=NY)  # EDT, first occurrence
    resolved = datetime(2026, 11, 1, 1, 10, fold=1, tzinfo=NY)  # EST, 40 minutes later
    ticket = Ticket(opened_at=opened, priority="P0", resolved_at=resolved)
    assert ticket.resolved_at == resolved
    with pytest.raises(TicketError):
        Ticket(opened_at=resolved, priority="P0", resolved_at=opened)


def test_times_in_different_zones_are_compared_as_instants() -> None:
    """A resolution given in UTC is compared with a São Paulo opening as an instant."""
    ticket = Ticket(
        opened_at=nov(23, 14), priority="P0", resolved_at=datetime(2026, 11, 23, 17, 30, tzinfo=UTC)
    )
    assert SlaPolicy.default().status(ticket, nov(24, 9)).used == timedelta(minutes=30)
    with pytest.raises(TicketError):
        Ticket(
            opened_at=nov(23, 14),
            priority="P0",
            resolved_at=datetime(2026, 11, 23, 16, 59, tzinfo=UTC),
        )


def test_every_pause_the_clipping_changes_is_counted() -> None:
    """Counted: a pause starting before the opening (with or without an end), one ending
    after now, one after now altogether, one with no end on a resolved ticket. Not counted:
    a pause inside the life, and one still going on (no end) on an open ticket."""
    from sla_clock.ticket import clip_pauses

    opened, now = 100, 1_000
    cases = {
        "before the opening, with an end": ([(50, 200)], False, 1),
        "before the opening, no end": ([(50, None)], False, 1),
        "ends after now": ([(200, 2_000)], False, 1),
        "after now": ([(2_000, 3_000)], False, 1),
        "no end on a resolved ticket": ([(200, None)], True, 1),
        "inside the life": ([(200, 300)], False, 0),
        "going on": ([(200, None)], False, 0),
    }
    for name, (pauses, resolved, count) in cases.items():
        assert clip_pauses(pauses, opened, now, resolved=resolved).clipped == count, name
