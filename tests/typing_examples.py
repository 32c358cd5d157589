"""Typical uses of the public API that `mypy --strict` must accept (checked in CI, not run)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sla_clock import (
    BusinessCalendar,
    Pause,
    SlaPolicy,
    SlaStatus,
    StateChange,
    Ticket,
    next_change,
)

SP = ZoneInfo("America/Sao_Paulo")


def deadlines() -> list[datetime]:
    calendar = BusinessCalendar.create(
        hours={"mon-fri": ["09:00-12:00", "13:00-18:00"]},
        subdiv="SP",
        closed_dates=[date(2026, 12, 26)],
        partial_days={date(2026, 12, 24): "09:00-12:00"},
    )
    opened = datetime(2026, 11, 24, 17, 30, tzinfo=SP)
    used: timedelta = calendar.elapsed(opened, datetime(2026, 11, 25, 10, 0, tzinfo=SP))
    assert used >= timedelta(0)
    return [calendar.add(opened, timedelta(hours=h)) for h in (4, 12, 40, 48)]


def ticket_status() -> tuple[SlaStatus, StateChange | None]:
    policy = SlaPolicy.default()
    ticket = Ticket(
        opened_at=datetime(2026, 11, 23, 14, 0, tzinfo=SP),
        priority="P0",
        pauses=(Pause(start=datetime(2026, 11, 23, 15, 0, tzinfo=SP)),),
    )
    now = datetime(2026, 11, 23, 18, 30, tzinfo=SP)
    status = policy.status(ticket, now)
    state: str = status.state
    assert state
    return status, next_change(policy, ticket, now)
