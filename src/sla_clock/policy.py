"""SLA policies: the priority table, the warning share, the escalation ladder and a calendar.

The default policy is the support document's table (see ``DESIGN.md``):

====  =========  =====  ==========================================================
code  name (pt)  target impact
====  =========  =====  ==========================================================
P0    Altíssima  4 h    total unavailability, e.g. the whole system blocked
P1    Alta       12 h   partial unavailability, e.g. a payment slip for a blocked customer
P2    Média      40 h   no unavailability: invoice disputes, contract termination
P3    Baixa      48 h   no unavailability: any other request
====  =========  =====  ==========================================================
"""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)

from ._clock import ClockRule, ClockRules, budget_rule, rule_from
from ._day_targets import DayTarget
from ._durations import (
    MAX_BUSINESS_HOURS,
)
from .calendar import BusinessCalendar
from .config import (
    DEFAULT_PAUSED_STATUSES,
    DEFAULT_POLICY_DATA,
    EscalationFile,
    OnReopen,
    PolicyFile,
    PriorityChangeMode,
    PriorityFile,
    field_errors,
    read_policy,
)
from .errors import (
    CalendarConfigError,
    DayTargetError,
    InvalidHoursError,
    PolicyConfigError,
    UnknownPriorityError,
)
from .metric import DEFAULT_METRICS, Metric, calendar_of, metric_from_file, metric_to_file
from .priority import EscalationLevel, Priority
from .status import status_of

if TYPE_CHECKING:
    from .status import SlaStatus
    from .ticket import Ticket

#: Only what users need; the rest of this module serves the engine's other rooms.
__all__ = ["MAX_BUSINESS_HOURS", "EscalationLevel", "Priority", "PriorityChangeMode", "SlaPolicy"]


#: What a policy computes once from its fields and keeps (never copied nor pickled).
_CACHED = ("_clock_rules", "clock_rules")


class SlaPolicy(BaseModel):
    """Targets per priority, a warning share, an escalation ladder and the calendar they run on.

    Attributes:
        priorities: the priority table; codes are unique, case-insensitively.
        warning_share: the share of the target from which a ticket is ``at_risk`` (0.75).
        escalation: the ladder, in order of increasing offset.
        priority_change: ``"recompute"`` (default) or ``"restart"``, see
            :data:`PriorityChangeMode`.
        calendar: the business calendar the targets are counted on.
        warn_at: warning shares (``[0.5, 0.75, 0.9]``), instead of ``warning_share``: the
            state is ``at_risk`` from the first, and ``next_change`` stops at each.
        paused_statuses: the ticket statuses that pause a metric with ``pause``.
        on_reopen: ``"continue"`` (the resolution clock resumes) or ``"restart"`` (a new
            cycle); see ``docs/ticket-histories.md``.
        metrics: the metrics of ticket histories (:meth:`metric_statuses`); by default the
            resolution only.

    >>> from zoneinfo import ZoneInfo
    >>> opened = datetime(2026, 11, 24, 17, 30, tzinfo=ZoneInfo("America/Sao_Paulo"))
    >>> SlaPolicy.default().due_at(opened, "P1").isoformat()
    '2026-11-26T11:30:00-03:00'
    """

    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)

    priorities: tuple[Priority, ...] = Field(min_length=1)
    warning_share: float = Field(default=0.75, gt=0, le=1)
    escalation: tuple[EscalationLevel, ...] = ()
    priority_change: PriorityChangeMode = "recompute"
    calendar: BusinessCalendar = Field(default_factory=BusinessCalendar.default)
    warn_at: tuple[float, ...] | None = None
    paused_statuses: tuple[str, ...] = DEFAULT_PAUSED_STATUSES
    on_reopen: OnReopen = "continue"
    metrics: tuple[Metric, ...] = DEFAULT_METRICS

    @model_validator(mode="after")
    def _check(self) -> SlaPolicy:
        codes = [p.code.upper() for p in self.priorities]
        duplicates = sorted({c for c in codes if codes.count(c) > 1})
        if duplicates:
            msg = f"priority codes {duplicates} are defined twice; give each code once"
            raise ValueError(msg)
        if self.warn_at is not None and (
            not self.warn_at
            or any(not 0 < s <= 1 for s in self.warn_at)
            or list(self.warn_at) != sorted(set(self.warn_at))
        ):
            msg = f"warn_at {list(self.warn_at)} must be shares in (0, 1], increasing"
            raise ValueError(msg)
        offsets = [level.offset for level in self.escalation]
        if offsets != sorted(offsets):
            msg = "escalation levels must be in order of increasing offset"
            raise ValueError(msg)
        return self

    @classmethod
    @functools.cache
    def default(cls) -> SlaPolicy:
        """Return the support document's policy on :meth:`BusinessCalendar.default`."""
        return cls.model_validate(DEFAULT_POLICY_DATA)

    @classmethod
    def from_file(cls, path: str | os.PathLike[str]) -> SlaPolicy:
        """Load a policy from a TOML or JSON file (see ``docs/policy-files.md``).

        Raises:
            PolicyConfigError: the file is missing, does not parse or has a bad field; the
                message names the file and the field.
        """
        data = read_policy(path)
        try:
            return cls.from_data(data)
        except ValidationError as exc:
            raise PolicyConfigError(field_errors(path, exc)) from None
        except (InvalidHoursError, CalendarConfigError) as exc:
            msg = f"{path}: calendar: {exc}"
            raise PolicyConfigError(msg) from None

    @classmethod
    def from_data(cls, data: PolicyFile) -> SlaPolicy:
        """Build the policy a policy file's validated data describes.

        Raises:
            pydantic.ValidationError: a priority or level the data describes is invalid.
            InvalidHoursError, CalendarConfigError: its calendar is.

        >>> SlaPolicy.from_data(SlaPolicy.default().to_data()) == SlaPolicy.default()
        True
        """
        priorities = []
        for p in data.priorities:
            target = p.target
            if p.target_hours is not None:
                target = timedelta(hours=p.target_hours)
            priorities.append(
                Priority(
                    code=p.code,
                    target=target,
                    target_business_days=p.target_business_days,
                    end_of_day=p.end_of_day,
                    name_en=p.name_en or p.code,
                    name_pt=p.name_pt or p.name_en or p.code,
                    impact=p.impact,
                    impact_pt=p.impact_pt,
                    calendar=calendar_of(p.calendar),
                )
            )
        levels = []
        for e in data.escalation:
            offset = e.offset if e.offset is not None else timedelta(hours=e.offset_hours or 0)
            levels.append(EscalationLevel(name=e.name, name_pt=e.name_pt, offset=offset))
        return cls(
            priorities=tuple(priorities),
            warning_share=data.warning_share,
            escalation=tuple(levels),
            priority_change=data.priority_change,
            calendar=BusinessCalendar.from_data(data.calendar),
            warn_at=None if data.warn_at is None else tuple(data.warn_at),
            paused_statuses=tuple(data.paused_statuses),
            on_reopen=data.on_reopen,
            metrics=tuple(metric_from_file(m) for m in data.metrics),
        )

    def to_data(self) -> PolicyFile:
        """Return the policy as a policy file's data (``from_data`` builds it back).

        Durations are given as hours (``target_hours``, ``offset_hours``).

        >>> [p.target_hours for p in SlaPolicy.default().to_data().priorities]
        [4.0, 12.0, 40.0, 48.0]
        """
        one_hour = timedelta(hours=1)
        return PolicyFile(
            warning_share=self.warning_share,
            priority_change=self.priority_change,
            priorities=[
                PriorityFile(
                    code=p.code,
                    target_hours=None if p.target is None else p.target / one_hour,
                    target_business_days=p.target_business_days,
                    end_of_day=p.end_of_day,
                    name_en=p.name_en,
                    name_pt=p.name_pt,
                    impact=p.impact,
                    impact_pt=p.impact_pt,
                    calendar=None if p.calendar is None else p.calendar.to_data(),
                )
                for p in self.priorities
            ],
            escalation=[
                EscalationFile(
                    name=level.name, name_pt=level.name_pt, offset_hours=level.offset / one_hour
                )
                for level in self.escalation
            ],
            calendar=self.calendar.to_data(),
            warn_at=None if self.warn_at is None else list(self.warn_at),
            paused_statuses=list(self.paused_statuses),
            on_reopen=self.on_reopen,
            metrics=[metric_to_file(m) for m in self.metrics],
        )

    def model_copy(
        self, *, update: Mapping[str, Any] | None = None, deep: bool = False
    ) -> SlaPolicy:
        """Return a copy, as pydantic does, without the rules cached from the original."""
        copy = super().model_copy(update=update, deep=deep)
        for name in _CACHED:
            copy.__dict__.pop(name, None)
        return copy

    def __getstate__(self) -> dict[Any, Any]:
        """Pickle the policy's data only; its integer rules are rebuilt where it is used."""
        state = super().__getstate__()
        values = {k: v for k, v in state["__dict__"].items() if k not in _CACHED}
        return {**state, "__dict__": values}

    def with_calendar(self, calendar: BusinessCalendar) -> SlaPolicy:
        """Return a copy of the policy on another calendar."""
        return self.model_copy(update={"calendar": calendar})

    @property
    def warning_shares(self) -> tuple[float, ...]:
        """The warning shares in force: ``warn_at``, or ``(warning_share,)``."""
        return self.warn_at if self.warn_at else (self.warning_share,)

    @functools.cached_property
    def _clock_rules(self) -> dict[str, ClockRule]:
        one_us = timedelta(microseconds=1)
        offsets = tuple(level.offset // one_us for level in self.escalation)
        rules: dict[str, ClockRule] = {}
        for p in self.priorities:
            if p.target_business_days is None:
                assert p.target is not None  # the priority's validator: one target or the other
                rule = budget_rule(p.code, p.target // one_us, self.warning_shares, offsets)
            else:
                days = DayTarget(p.target_business_days, p.end_of_day, self.warning_shares, offsets)
                rule = ClockRule(p.code, 0, 0, (), day_target=days)
            rules[p.code.upper()] = rule
        return rules

    @functools.cached_property
    def clock_rules(self) -> ClockRules:
        """What the ticket clock needs of this policy, in integer microseconds.

        The calendar, each priority's thresholds (:meth:`clock_rule`), whether a priority
        change restarts the clock, and the escalation levels' names: the status, the
        vectorised engine and :func:`~sla_clock.next_change` take these as arguments.

        >>> SlaPolicy.default().clock_rules.level_names
        ('team leaders', 'coordination', 'management')
        """
        return ClockRules(
            calendar=self.calendar,
            rule_of=self.clock_rule,
            restart=self.priority_change == "restart",
            level_names=tuple(level.name for level in self.escalation),
        )

    def clock_rule(self, code: str) -> ClockRule:
        """Return the integer thresholds of priority ``code`` (for status computations).

        Raises:
            UnknownPriorityError: the policy has no such code.
        """
        rule = self._clock_rules.get(code) or self._clock_rules.get(code.strip().upper())
        if rule is None:
            self.priority(code)  # raises the UnknownPriorityError with the known codes
        assert rule is not None
        return rule

    @property
    def codes(self) -> tuple[str, ...]:
        """The priority codes, in table order."""
        return tuple(p.code for p in self.priorities)

    def priority(self, code: str) -> Priority:
        """Return the priority called ``code`` (case-insensitive).

        Raises:
            UnknownPriorityError: the policy has no such code.

        >>> SlaPolicy.default().priority("p2").name_pt
        'Média'
        """
        wanted = code.strip().upper()
        for p in self.priorities:
            if p.code.upper() == wanted:
                return p
        known = ", ".join(self.codes)
        msg = f"unknown priority {code!r}; this policy defines {known}"
        raise UnknownPriorityError(msg)

    def target(self, code: str) -> timedelta:
        """Return the business-time target of priority ``code``.

        Raises:
            UnknownPriorityError: the policy has no such code.
            DayTargetError: the target is in business days, so its business time depends
                on the opening: ask :meth:`budget` or :meth:`due_at`.
        """
        priority = self.priority(code)
        if priority.target is None:
            msg = (
                f"priority {priority.code}'s target is {priority.target_business_days} business "
                "days: its business time depends on when the ticket opens; ask "
                "policy.budget(opened_at, code) or policy.due_at(opened_at, code)"
            )
            raise DayTargetError(msg)
        return priority.target

    def budget(self, opened_at: datetime, code: str) -> timedelta:
        """Return the business time a ticket of priority ``code`` opened at ``opened_at`` has.

        For a target in hours that is the target; for one in business days, the business
        time from the opening (or the next opening) to the deadline the days name.

        >>> from zoneinfo import ZoneInfo
        >>> opened = datetime(2026, 11, 24, 17, 30, tzinfo=ZoneInfo("America/Sao_Paulo"))
        >>> SlaPolicy.default().budget(opened, "P0")
        datetime.timedelta(seconds=14400)
        """
        start = self.calendar.to_us(opened_at)
        rule = rule_from(self.clock_rule(code), self.calendar, start)
        return timedelta(microseconds=rule.target)

    def due_at(self, opened_at: datetime, code: str) -> datetime:
        """Return the deadline of a ticket of priority ``code`` opened at ``opened_at``."""
        return self.calendar.add(opened_at, self.budget(opened_at, code))

    def status(self, ticket: Ticket, now: datetime) -> SlaStatus:
        """Return the SLA status of ``ticket`` at ``now`` (see :mod:`sla_clock.status`).

        Raises:
            NaiveDatetimeError: ``now`` has no timezone.
            TicketError: the ticket breaks a ticket rule, e.g. ``now`` before its opening.
            UnknownPriorityError: the ticket uses a priority the policy does not define.
        """
        return status_of(self.clock_rules, ticket, now)
