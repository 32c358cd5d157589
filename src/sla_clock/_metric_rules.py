"""The clock rules of a policy's metrics: per metric and priority, built once and kept.

A metric row counts under the metric's targets (or the priorities' own), with the warning
shares and the escalation ladder of the policy, on the metric's calendar, else the
priority's, else the policy's. :class:`MetricRules` builds those :class:`ClockRules` once
per metric and priority code for a whole run.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from ._clock import ClockRule, ClockRules, budget_rule
from ._day_targets import DayTarget
from .calendar import BusinessCalendar
from .metric import DaysTarget, Metric
from .policy import SlaPolicy

__all__ = ["MetricRules"]

_ONE_US = timedelta(microseconds=1)


class MetricRules:
    """The clock rules of a policy's metrics, built once per code and metric and kept.

    Every row of a run asks for the same few; building them per row was most of a row's cost.

    >>> rules = MetricRules(SlaPolicy.default())
    >>> rules.of(0, "p1").rule_of("P1").target // 3_600_000_000
    12
    """

    def __init__(self, policy: SlaPolicy) -> None:
        self.policy = policy
        self._codes: dict[str, str] = {}
        self._rules: dict[tuple[int, str], ClockRules | None] = {}
        self._versions: dict[int, MetricRules] = {}
        if policy.versions:  # answered by in_force: each version has its own rules
            self.level_names: tuple[str, ...] = ()
            self._rule_of: list[Callable[[str], ClockRule]] = []
            return
        self.level_names = tuple(level.name for level in policy.escalation)
        self._rule_of = [_rule_of(policy, metric) for metric in policy.metrics]

    def in_force(self, opened_us: int, now_us: int) -> MetricRules:
        """The rules of the policy version a ticket opened at ``opened_us`` counts under.

        A policy without versions is its own; a version's rules are built once and kept.
        """
        if not self.policy.versions:
            return self
        version = self.policy.in_force_us(opened_us, now_us)
        found = self._versions.get(id(version))
        if found is None:
            found = self._versions[id(version)] = MetricRules(version)
        return found

    def code(self, code: str) -> str:
        """The canonical spelling of ``code`` (raises ``UnknownPriorityError``)."""
        known = self._codes.get(code)
        if known is None:
            known = self._codes[code] = self.policy.priority(code).code
        return known

    def of(self, index: int, code: str) -> ClockRules | None:
        """The rules of metric ``index`` for a row of priority ``code``; ``None``: no row."""
        key = (index, code)
        if key not in self._rules:
            metric, canonical = self.policy.metrics[index], self.code(code)
            if metric.targets is not None and metric.target_of(canonical) is None:
                self._rules[key] = None
            else:
                self._rules[key] = ClockRules(
                    calendar=_calendar(self.policy, metric, canonical),
                    rule_of=self._rule_of[index],
                    restart=self.policy.priority_change == "restart",
                    level_names=self.level_names,
                )
        return self._rules[key]


def _rule_of(policy: SlaPolicy, metric: Metric) -> Callable[[str], ClockRule]:
    if metric.targets is None:
        return policy.clock_rule
    one_us = _ONE_US
    offsets = tuple(level.offset // one_us for level in policy.escalation)
    shares = policy.warning_shares

    def rule_of(code: str) -> ClockRule:
        canonical = policy.priority(code).code  # an unknown code is an error
        target = metric.target_of(canonical)
        if target is None:  # never the row's own priority: such a row is left out
            return ClockRule(canonical, 0, 0, ())
        if isinstance(target, DaysTarget):
            days = DayTarget(target.business_days, target.end_of_day, shares, offsets)
            return ClockRule(canonical, 0, 0, (), day_target=days)
        return budget_rule(canonical, target // one_us, shares, offsets)

    return rule_of


def _calendar(policy: SlaPolicy, metric: Metric, code: str) -> BusinessCalendar:
    own = policy.priority(code).calendar
    return metric.calendar or own or policy.calendar
