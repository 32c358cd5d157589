"""A ticket as the SLA engine sees it: opened, priority, pauses, resolution, priority changes."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, overload

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError, model_validator

from .errors import TicketError

__all__ = ["Pause", "PriorityChange", "Ticket"]


class _TicketPart(BaseModel):
    """A frozen model whose validation errors are :class:`TicketError`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    if not TYPE_CHECKING:  # type checkers keep the field-by-field __init__ of pydantic

        def __init__(self, /, **data: Any) -> None:
            try:
                super().__init__(**data)
            except ValidationError as exc:
                raise TicketError(_describe(exc)) from None


class Pause(_TicketPart):
    """A period when the SLA clock stops (e.g. waiting on the customer).

    Attributes:
        start: when the pause began (aware).
        end: when it ended (aware), or ``None`` for a pause still going on.

    >>> from datetime import datetime
    >>> from zoneinfo import ZoneInfo
    >>> sp = ZoneInfo("America/Sao_Paulo")
    >>> Pause(start=datetime(2026, 11, 24, 10, 0, tzinfo=sp)).end is None
    True
    """

    start: AwareDatetime
    end: AwareDatetime | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Pause:
        if self.end is not None and _utc(self.end) < _utc(self.start):
            msg = f"pause ends ({self.end.isoformat()}) before it starts ({self.start.isoformat()})"
            raise ValueError(msg)
        return self


class PriorityChange(_TicketPart):
    """The ticket's priority became ``priority`` at instant ``at``.

    Attributes:
        at: the instant of the change (aware).
        priority: the new priority code.
    """

    at: AwareDatetime
    priority: str = Field(min_length=1)


class Ticket(_TicketPart):
    """A support ticket: when it opened, its priority, its pauses and how it ended.

    Datetimes must be timezone-aware. A pause or priority change outside the ticket's life
    (before it opened, or after it was resolved) is an error, and so is a resolution before
    the opening; every such error is a :class:`~sla_clock.errors.TicketError`.

    Attributes:
        opened_at: when the ticket was opened (aware).
        priority: its priority code at the opening (case-insensitive).
        pauses: periods when the SLA clock stops; overlapping ones are merged.
        resolved_at: when it was resolved, or ``None`` while open.
        priority_changes: later changes of priority, each with its instant.
        id: an identifier, for messages and reports.

    >>> from datetime import datetime
    >>> from zoneinfo import ZoneInfo
    >>> sp = ZoneInfo("America/Sao_Paulo")
    >>> t = Ticket(opened_at=datetime(2026, 11, 23, 14, 0, tzinfo=sp), priority="P0")
    >>> t.priority
    'P0'
    """

    opened_at: AwareDatetime
    priority: str = Field(min_length=1)
    pauses: tuple[Pause, ...] = ()
    resolved_at: AwareDatetime | None = None
    priority_changes: tuple[PriorityChange, ...] = ()
    id: str | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Ticket:
        # Compare in UTC (datetimes sharing a tzinfo compare as wall times, which is wrong
        # in a repeated DST hour); show the times as the caller gave them.
        opened, resolved = _utc(self.opened_at), _utc(self.resolved_at)
        life = f"opened {self.opened_at.isoformat()}" + (
            f", resolved {self.resolved_at.isoformat()}" if self.resolved_at else ""
        )
        if resolved is not None and resolved < opened:
            msg = f"resolved_at is before opened_at ({life}); check the two times"
            raise ValueError(msg)
        for pause in self.pauses:
            start, end = _utc(pause.start), _utc(pause.end)
            ends_late = resolved is not None and end is not None and end > resolved
            if start < opened or ends_late:
                shown_end = pause.end.isoformat() if pause.end else "ongoing"
                msg = (
                    f"pause {pause.start.isoformat()} .. {shown_end} lies outside the "
                    f"ticket's life ({life}); clip it to that span"
                )
                raise ValueError(msg)
            if resolved is not None and end is None:
                msg = (
                    f"pause from {pause.start.isoformat()} is still open on a resolved "
                    "ticket; give it an end"
                )
                raise ValueError(msg)
        for change in self.priority_changes:
            at = _utc(change.at)
            if at < opened or (resolved is not None and at > resolved):
                msg = (
                    f"priority change at {change.at.isoformat()} lies outside the ticket's "
                    f"life ({life})"
                )
                raise ValueError(msg)
        return self


@overload
def _utc(value: datetime) -> datetime: ...
@overload
def _utc(value: None) -> None: ...
def _utc(value: datetime | None) -> datetime | None:
    return None if value is None else value.astimezone(UTC)


def _describe(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors():
        where = ".".join(str(item) for item in err["loc"])
        text = err["msg"].removeprefix("Value error, ").removeprefix("invalid ticket: ")
        if err["type"] == "timezone_aware":
            text = (
                "has no timezone; pass datetime(..., tzinfo=ZoneInfo('America/Sao_Paulo')) "
                "or use BusinessCalendar.localize()"
            )
        parts.append(f"{where}: {text}" if where else text)
    return "invalid ticket: " + "; ".join(parts)
