"""A ticket as the SLA engine sees it, and the one copy of the rules that make a ticket valid.

The models (:class:`Ticket`, :class:`Pause`, :class:`PriorityChange`) validate what a ticket
is on its own. The rules that need the instant of the status, and the normalisation of
pauses, are integer functions below, used by every path alike (``SlaPolicy.status``,
``sla-clock batch``, the vectorised ``status_many_us`` and the DataFrame adapters):

- a ticket needs an opening; a resolution before the opening is an error; the instant of the
  status (``now``) before the opening is an error (:data:`LIFE_RULES`);
- a pause ending before it starts is an error (:func:`pause_problem`);
- a pause reaching outside the ticket's life (before the opening, after the resolution or
  after ``now``) is **clipped** to the life (:func:`clip_pauses`): tickets are often resolved
  while "waiting on customer", and refusing such rows would throw real data away.

Each rule is written once, with operators that work on Python ints and NumPy arrays alike,
so the vectorised paths evaluate the very same expression on whole columns.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, NamedTuple, overload

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError, model_validator

from ._zone import NAT
from .errors import TicketError

#: Only what users need; the ticket rules below serve every path of the engine.
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

    Datetimes must be timezone-aware. A resolution before the opening, a pause ending before
    it starts and a priority change outside the ticket's life are errors, each a
    :class:`~sla_clock.errors.TicketError`. A pause reaching outside the life (before the
    opening, after the resolution, or still open on a resolved ticket) is valid: the status
    clips it to the life (see :func:`clip_pauses`).

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
        if resolved is not None and RESOLVED_BEFORE_OPENED.test(_us(opened), _us(resolved), NAT):
            shown = {
                "opened": self.opened_at.isoformat(),
                "opened_field": "opened_at",
                "resolved": self.resolved_at.isoformat() if self.resolved_at else "",
                "resolved_field": "resolved_at",
            }
            raise ValueError(RESOLVED_BEFORE_OPENED.describe(shown))
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


def _us(value: datetime) -> int:
    delta = value - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


# -- the ticket rules: one copy, for every path ----------------------------------------------


class LifeRule(NamedTuple):
    """A rule on a ticket's opening, resolution and the instant of its status.

    ``test(opened, resolved, now)`` is true where the rule is broken. Its arguments are epoch
    microseconds (:data:`~sla_clock._zone.NAT` for "none"), Python ints or NumPy int64 arrays
    alike: the expression uses only comparisons, ``&`` and ``|``.
    """

    name: str
    test: Callable[[Any, Any, Any], Any]
    message: str

    def describe(self, shown: Mapping[str, str]) -> str:
        """Return the message, with the times as the caller shows them (``opened``...)."""
        return self.message.format_map(_Shown(shown))


class _Shown(dict[str, str]):
    """Shown values; ``<name>_field`` defaults to ``<name>`` (the field's name in messages)."""

    def __missing__(self, key: str) -> str:
        return key.removesuffix("_field") if key.endswith("_field") else f"<{key}>"


#: A ticket needs its opening time.
NO_OPENING = LifeRule(
    "no_opening",
    lambda opened, resolved, now: opened == NAT,
    "opened is empty; every ticket needs its opening time",
)
#: A ticket cannot be resolved before it opened.
RESOLVED_BEFORE_OPENED = LifeRule(
    "resolved_before_opened",
    lambda opened, resolved, now: (resolved != NAT) & (opened != NAT) & (resolved < opened),
    "{resolved_field} {resolved} is before {opened_field} {opened}; check the two times",
)
#: A ticket has no status before it opened.
OPENED_AFTER_NOW = LifeRule(
    "opened_after_now",
    lambda opened, resolved, now: (opened != NAT) & (now != NAT) & (opened > now),
    "the instant of the status, {now}, is before the ticket opened ({opened_field} {opened}); "
    "a ticket has no status before it opens: give a later {now_field}",
)
#: The rules of a ticket's life, in the order they are checked: the first one broken wins.
LIFE_RULES: tuple[LifeRule, ...] = (NO_OPENING, RESOLVED_BEFORE_OPENED, OPENED_AFTER_NOW)


def life_problem(opened: int, resolved: int, now: int) -> LifeRule | None:
    """Return the first rule of :data:`LIFE_RULES` the ticket breaks, or ``None``.

    Args:
        opened: the opening, epoch microseconds (``NAT``: missing).
        resolved: the resolution, or ``NAT`` while open.
        now: the instant of the status.

    >>> life_problem(10, NAT, 5).name
    'opened_after_now'
    >>> life_problem(10, 20, 30) is None
    True
    """
    for rule in LIFE_RULES:
        if rule.test(opened, resolved, now):
            return rule
    return None


class PauseRule(NamedTuple):
    """A rule on one pause: ``test(start, end)`` is true where it is broken.

    The arguments are epoch microseconds, :data:`~sla_clock._zone.NAT` for none (a pause
    still going on has no end), Python ints or NumPy int64 arrays alike.
    """

    name: str
    test: Callable[[Any, Any], Any]
    message: str  # ``{pause}`` marks where to show the pause


#: The rules of one pause, in the order they are checked: the first one broken wins.
PAUSE_RULES: tuple[PauseRule, ...] = (
    PauseRule(
        "no_start",
        lambda start, end: start == NAT,
        "pause {pause} has no start; give every pause a start",
    ),
    PauseRule(
        "ends_before_start",
        lambda start, end: (end != NAT) & (end < start),
        "pause {pause} ends before it starts",
    ),
)


def pause_problem(start: int | None, end: int | None) -> str | None:
    """Return what is wrong with one pause (``{pause}`` marks where to show it), or ``None``.

    ``end`` is ``None`` (or ``NAT``) for a pause still going on.

    >>> pause_problem(20, 10)
    'pause {pause} ends before it starts'
    >>> pause_problem(10, None) is None
    True
    """
    start_us = NAT if start is None else start
    end_us = NAT if end is None else end
    for rule in PAUSE_RULES:
        if rule.test(start_us, end_us):
            return rule.message
    return None


class ClippedPauses(NamedTuple):
    """A ticket's pauses clipped to its life.

    Attributes:
        pauses: ``(start, end)`` pairs inside ``[opened, until]``, in the given order;
            pauses left with no length are dropped.
        paused: whether a pause goes on at ``until`` on a ticket not resolved by then.
        clipped: how many pauses the clipping shortened or dropped.
    """

    pauses: list[tuple[int, int]]
    paused: bool
    clipped: int


def clip_pauses(
    pauses: Iterable[tuple[int, int | None]], opened: int, until: int, *, resolved: bool
) -> ClippedPauses:
    """Clip pauses to the ticket's life ``[opened, until]``.

    ``until`` is the resolution when the ticket is resolved by the instant of the status,
    else that instant (``now``). A pause still going on at ``until`` is projected as if it
    ended at ``until``, and on an open ticket it makes the ticket paused (so does a pause
    starting exactly at ``until``). Every pause the clipping changes is counted in
    ``clipped``: one that starts before the opening or after ``until``, one whose end is
    after ``until``, and one with no end on a resolved ticket. A pause with no end on an
    open ticket is just going on: it is not counted.

    Args:
        pauses: ``(start, end)`` epoch microseconds, ``end`` ``None`` while going on; each
            already checked by :func:`pause_problem`.
        opened: the opening.
        until: the end of the life as known at the status.
        resolved: whether the ticket is resolved at ``until``.

    >>> clip_pauses([(0, 50), (60, None)], 10, 100, resolved=False)
    ClippedPauses(pauses=[(10, 50), (60, 100)], paused=True, clipped=1)
    >>> clip_pauses([(60, 150)], 10, 100, resolved=False)
    ClippedPauses(pauses=[(60, 100)], paused=True, clipped=1)
    >>> clip_pauses([(60, None)], 10, 100, resolved=True)
    ClippedPauses(pauses=[(60, 100)], paused=False, clipped=1)
    """
    kept: list[tuple[int, int]] = []
    paused = False
    clipped = 0
    for start, end in pauses:
        begin, stop, pause_on, changed = clip_rule(
            start, NAT if end is None else end, opened, until, resolved, _PYTHON
        )
        paused = paused or pause_on
        clipped += changed
        if begin < stop:
            kept.append((begin, stop))
    return ClippedPauses(kept, paused, clipped)


class _PythonOps:
    """The three array functions :func:`clip_rule` needs, for Python ints and bools."""

    @staticmethod
    def where(condition: Any, yes: Any, no: Any) -> Any:
        return yes if condition else no

    maximum = staticmethod(max)

    @staticmethod
    def logical_not(value: Any) -> Any:
        return not value


_PYTHON = _PythonOps()


def clip_rule(start: Any, end: Any, opened: Any, until: Any, resolved: Any, xp: Any) -> Any:
    """The clipping of pauses to a ticket's life, for one pause or for arrays of them.

    ``end`` is :data:`~sla_clock._zone.NAT` while the pause goes on. ``xp`` gives ``where``,
    ``maximum`` and ``logical_not``: pass ``numpy`` for arrays (one element per pause, the
    ticket's ``opened``, ``until`` and ``resolved`` repeated per pause). Returns
    ``(begin, stop, paused, clipped)``: the pause kept is ``[begin, stop)`` when
    ``begin < stop``; ``paused`` is whether it goes on at ``until`` on an open ticket;
    ``clipped`` whether the clipping changed it (see :func:`clip_pauses`).

    >>> clip_rule(0, 50, 10, 100, False, _PYTHON)
    (10, 50, False, True)
    """
    no_end = end == NAT
    reaches_past = no_end | (end > until)
    is_open = xp.logical_not(resolved)
    paused = (start <= until) & reaches_past & is_open
    outside = (start < opened) | (start > until)
    clipped = outside | (reaches_past & xp.logical_not(no_end & is_open))
    return xp.maximum(start, opened), xp.where(reaches_past, until, end), paused, clipped
