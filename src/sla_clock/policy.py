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
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from pydantic import (
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)

from ._cached_model import CachingModel
from ._clock import ClockRule, ClockRules, priority_rules, rule_from
from ._durations import MAX_BUSINESS_HOURS
from ._policy_data import policy_fields, policy_file
from ._policy_versions import (
    PolicyVersion,
    PolicyVersionMode,
    check_versions,
    index_on,
    new_version,
    refuse_versions,
    resolved_policies,
    version_index,
    version_key,
)
from .calendar import BusinessCalendar
from .config import (
    DEFAULT_PAUSED_STATUSES,
    DEFAULT_POLICY_DATA,
    OnReopen,
    PolicyFile,
    PriorityChangeMode,
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
from .metric import DEFAULT_METRICS, Metric
from .priority import EscalationLevel, Priority
from .status import status_of

if TYPE_CHECKING:
    from .status import SlaStatus
    from .ticket import Ticket

#: Only what users need; the rest of this module serves the engine's other rooms.
__all__ = [
    "MAX_BUSINESS_HOURS",
    "EscalationLevel",
    "PolicyVersion",
    "PolicyVersionMode",
    "Priority",
    "PriorityChangeMode",
    "SlaPolicy",
]


class SlaPolicy(CachingModel):
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
        versions: targets, warnings and ladders in force from later dates
            (:meth:`with_version`, ``docs/versions.md``).
        policy_version: which version a ticket counts under: the one in force when it
            ``"opened"`` (default), or the one in force at the question (``"current"``).

    >>> from zoneinfo import ZoneInfo
    >>> opened = datetime(2026, 11, 24, 17, 30, tzinfo=ZoneInfo("America/Sao_Paulo"))
    >>> SlaPolicy.default().due_at(opened, "P1").isoformat()
    '2026-11-26T11:30:00-03:00'
    """

    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)
    #: What a policy computes once from its fields and keeps (never copied nor pickled).
    cached = ("_clock_rules", "clock_rules", "_in_force", "version_starts_us")

    priorities: tuple[Priority, ...] = Field(min_length=1)
    warning_share: float = Field(default=0.75, gt=0, le=1)
    escalation: tuple[EscalationLevel, ...] = ()
    priority_change: PriorityChangeMode = "recompute"
    calendar: BusinessCalendar = Field(default_factory=BusinessCalendar.default)
    warn_at: tuple[float, ...] | None = None
    paused_statuses: tuple[str, ...] = DEFAULT_PAUSED_STATUSES
    on_reopen: OnReopen = "continue"
    metrics: tuple[Metric, ...] = DEFAULT_METRICS
    versions: tuple[PolicyVersion, ...] = ()
    policy_version: PolicyVersionMode = "opened"

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
        check_versions(self.versions, codes)
        self._in_force  # noqa: B018 (builds and so checks every version's rules now)
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
        return cls(**policy_fields(data))

    def to_data(self) -> PolicyFile:
        """Return the policy as a policy file's data (``from_data`` builds it back).

        Durations are given as hours (``target_hours``, ``offset_hours``).

        >>> [p.target_hours for p in SlaPolicy.default().to_data().priorities]
        [4.0, 12.0, 40.0, 48.0]
        """
        return policy_file(self)

    def with_calendar(self, calendar: BusinessCalendar) -> SlaPolicy:
        """Return a copy of the policy on another calendar."""
        return self.model_copy(update={"calendar": calendar})

    def with_version(
        self, start: date, *, targets: Mapping[str, timedelta] | None = None, **given: Any
    ) -> SlaPolicy:
        """Return a copy whose targets, warnings or ladder change from the local date ``start``.

        ``targets`` gives new targets by code (names kept); ``priorities``, ``warning_share``,
        ``warn_at`` and ``escalation`` are :class:`PolicyVersion`'s. What is not given
        carries over; a version of the same date replaces it. See ``docs/versions.md``.

        >>> from zoneinfo import ZoneInfo
        >>> eight = {"P1": timedelta(hours=8)}
        >>> p = SlaPolicy.default().with_version(date(2027, 1, 1), targets=eight)
        >>> p.due_at(datetime(2027, 1, 4, 9, tzinfo=ZoneInfo("America/Sao_Paulo")), "P1").hour
        17
        """
        start = PolicyVersion(start=start).start  # a date, or the validation error
        before = self.version_on(start - timedelta(days=1) if start > date.min else start)
        version = new_version(start, before.priority, targets or {}, **given)
        kept = tuple(v for v in self.versions if v.start != version.start)
        return SlaPolicy.model_validate({**self._fields(), "versions": (*kept, version)})

    @functools.cached_property
    def _in_force(self) -> tuple[SlaPolicy, ...]:
        """The policy in force before the first version, then from each version's date.

        Empty without versions (never the policy itself: pydantic compares the cache too).
        """
        if not self.versions:
            return ()
        own = {**self._fields(), "versions": ()}
        return resolved_policies(SlaPolicy.model_validate, own, self.versions)

    def _fields(self) -> dict[str, Any]:
        """The policy's fields (not what it caches), by name."""
        return {name: getattr(self, name) for name in SlaPolicy.model_fields}

    @functools.cached_property
    def version_starts_us(self) -> tuple[int, ...]:
        """The versions' first instants, epoch microseconds: 00:00 of each ``start``, local."""
        zone, starts = self.calendar.zone, sorted(v.start for v in self.versions)
        return tuple(self.calendar.to_us(datetime.combine(d, time(), zone)) for d in starts)

    def version_on(self, day: date) -> SlaPolicy:
        """Return the policy in force on the local date ``day``, without versions.

        >>> p = SlaPolicy.default().with_version(date(2027, 1, 1), warning_share=0.5)
        >>> p.version_on(date(2026, 12, 31)).warning_share
        0.75
        """
        if not self.versions:
            return self
        return self._in_force[index_on(self.versions, day)]

    def in_force_us(self, opened_us: int, now_us: int) -> SlaPolicy:
        """The policy without versions that a ticket opened at ``opened_us`` counts under.

        The one rule: the version in force on the local date of the opening, or of the
        question ``now_us`` with ``policy_version = "current"``.
        """
        if not self.versions:
            return self
        key = version_key(self.policy_version, opened_us, now_us)
        return self._in_force[version_index(self.version_starts_us, key)]

    def version_since(self, opened_at: datetime, now: datetime) -> date | None:
        """The ``start`` of the version a ticket counts under (``None``: the policy's own)."""
        key = version_key(self.policy_version, opened_at, now)
        index = version_index(self.version_starts_us, self.calendar.to_us(key))
        return sorted(v.start for v in self.versions)[index - 1] if index else None

    def in_force(self, opened_at: datetime, now: datetime | None = None) -> SlaPolicy:
        """Return the policy without versions that a ticket opened at ``opened_at`` counts under.

        Raises:
            PolicyConfigError: ``policy_version`` is ``"current"`` and ``now`` is missing.
        """
        opened_us = self.calendar.to_us(opened_at)
        if now is not None:
            return self.in_force_us(opened_us, self.calendar.to_us(now))
        if self.versions and self.policy_version == "current":
            msg = 'policy_version = "current" needs now: the version in force then applies'
            raise PolicyConfigError(msg)
        return self.in_force_us(opened_us, opened_us)

    @property
    def warning_shares(self) -> tuple[float, ...]:
        """The warning shares in force: ``warn_at``, or ``(warning_share,)``."""
        return self.warn_at if self.warn_at else (self.warning_share,)

    @functools.cached_property
    def _clock_rules(self) -> dict[str, ClockRule]:
        offsets = tuple(level.offset // timedelta(microseconds=1) for level in self.escalation)
        return priority_rules(self.priorities, self.warning_shares, offsets)

    @functools.cached_property
    def clock_rules(self) -> ClockRules:
        """What the ticket clock needs of this policy, in integer microseconds.

        The calendar, each priority's thresholds (:meth:`clock_rule`), whether a priority
        change restarts the clock, and the escalation levels' names: the status, the
        vectorised engine and :func:`~sla_clock.next_change` take these as arguments.

        >>> SlaPolicy.default().clock_rules.level_names
        ('team leaders', 'coordination', 'management')
        """
        refuse_versions(self.versions, "clock_rules")
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
        refuse_versions(self.versions, "clock_rule(code)")
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
        refuse_versions(self.versions, "target(code)")
        priority = self.priority(code)
        if priority.target is None:
            msg = (
                f"priority {priority.code}'s target is {priority.target_business_days} business "
                "days: its business time depends on when the ticket opens; ask "
                "policy.budget(opened_at, code) or policy.due_at(opened_at, code)"
            )
            raise DayTargetError(msg)
        return priority.target

    def budget(self, opened_at: datetime, code: str, *, now: datetime | None = None) -> timedelta:
        """Return the business time a ticket of priority ``code`` opened at ``opened_at`` has.

        For a target in hours that is the target; for one in business days, the business
        time from the opening (or the next opening) to the deadline the days name. With
        versions, the target is the one in force when the ticket opened (or at ``now``,
        with ``policy_version = "current"``: see :meth:`in_force`).

        >>> from zoneinfo import ZoneInfo
        >>> opened = datetime(2026, 11, 24, 17, 30, tzinfo=ZoneInfo("America/Sao_Paulo"))
        >>> SlaPolicy.default().budget(opened, "P0")
        datetime.timedelta(seconds=14400)
        """
        policy = self.in_force(opened_at, now)
        start = policy.calendar.to_us(opened_at)
        rule = rule_from(policy.clock_rule(code), policy.calendar, start)
        return timedelta(microseconds=rule.target)

    def due_at(self, opened_at: datetime, code: str, *, now: datetime | None = None) -> datetime:
        """Return the deadline of a ticket of priority ``code`` opened at ``opened_at``.

        ``now`` matters only with versions and ``policy_version = "current"``.
        """
        return self.calendar.add(opened_at, self.budget(opened_at, code, now=now))

    def status(self, ticket: Ticket, now: datetime) -> SlaStatus:
        """Return the SLA status of ``ticket`` at ``now`` (see :mod:`sla_clock.status`).

        With versions, the ticket counts under the version :meth:`in_force` gives.

        Raises:
            NaiveDatetimeError: ``now`` has no timezone.
            TicketError: the ticket breaks a ticket rule, e.g. ``now`` before its opening.
            UnknownPriorityError: the ticket uses a priority the policy does not define.
        """
        return status_of(self.in_force(ticket.opened_at, now).clock_rules, ticket, now)
