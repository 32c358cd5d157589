"""Targets in business days against the day-walking reference (docs/business-days.md).

The reference finds the clock's start with its own ``next_open``, walks dates one by one to
the N-th business day (a date with real open time), takes that date's last close from its own
intervals and the wall time of the start on it, and counts the business time with its own
``elapsed``. The engine must give the same deadline, budget and due instant.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import assume, given, reject, settings
from hypothesis import strategies as st

from reference import Reference, from_us, reference_for
from sla_clock import OutOfRangeError, Priority, SlaPolicy
from strategies import Case, cases

ONE_DAY = timedelta(days=1)
ONE_US = timedelta(microseconds=1)


def reference_deadline(ref: Reference, start: int, days: int, *, end_of_day: bool) -> int | None:
    """The deadline of ``days`` business days for a clock from ``start``, walking dates."""
    s = ref.next_open(start)
    if s is None:
        return None
    local = from_us(s, ref.zone_at(s))
    day = local.date()
    assert ref.day_intervals(day), "an open instant lies on a business day"
    step = ONE_DAY if days >= 0 else -ONE_DAY
    for _ in range(abs(days)):
        day += step
        while not ref.day_intervals(day):
            day += step
    close = max(end for _, end in ref.day_intervals(day))
    if end_of_day:
        return close
    wall = local.hour * 3600 + local.minute * 60 + local.second
    return min(ref.wall_to_us(day, wall) + local.microsecond, close)


def policy_with(case: Case, days: int, *, end_of_day: bool) -> SlaPolicy:
    priority = Priority(
        code="D", target_business_days=days, end_of_day=end_of_day, name_en="d", name_pt="d"
    )
    return SlaPolicy(priorities=(priority,), calendar=case.calendar)


@pytest.mark.slow
@settings(deadline=None, max_examples=60)
@given(case=cases(size=1), days=st.integers(0, 12), end_of_day=st.booleans())
def test_day_targets_match_the_reference(case: Case, days: int, *, end_of_day: bool) -> None:
    """Budget and due instant equal the reference's, same wall time and end of day."""
    end_of_day = end_of_day or days == 0
    ref = reference_for(case.calendar)
    start = case.instants[0]
    deadline = reference_deadline(ref, start, days, end_of_day=end_of_day)
    assume(deadline is not None)
    assert deadline is not None
    policy = policy_with(case, days, end_of_day=end_of_day)
    opened = case.dt(0)
    try:
        budget = policy.budget(opened, "D")
    except OutOfRangeError:
        reject()
    expected = ref.elapsed(start, deadline)
    assert budget == expected * ONE_US
    due = ref.add(start, expected)
    assert due is not None
    assert case.calendar.to_us(policy.due_at(opened, "D")) == due
    assert due <= deadline


@pytest.mark.slow
@settings(deadline=None, max_examples=40)
@given(cases(size=1), st.integers(1, 10))
def test_end_of_day_is_never_before_the_same_wall_time(case: Case, days: int) -> None:
    """The same N days end no earlier at the day's close than at the start's wall time."""
    opened = case.dt(0)
    try:
        same = policy_with(case, days, end_of_day=False).budget(opened, "D")
        close = policy_with(case, days, end_of_day=True).budget(opened, "D")
    except OutOfRangeError:
        reject()
    assert timedelta(0) < same <= close


def test_the_reference_walks_over_closed_dates() -> None:
    """The reference itself: from Thu 2026-11-19 10:00, 5 days skip the holiday and the weekend."""
    ref = Reference(
        weekly=(((32400, 64800),),) * 5 + ((), ()),
        timezone="America/Sao_Paulo",
        country="BR",
        subdiv=None,
        categories=("public",),
        overrides={},
    )
    start = ref.wall_to_us(date(2026, 11, 19), 10 * 3600)
    deadline = reference_deadline(ref, start, 5, end_of_day=False)
    assert deadline == ref.wall_to_us(date(2026, 11, 27), 10 * 3600)
    assert reference_deadline(ref, start, 1, end_of_day=True) == ref.wall_to_us(
        date(2026, 11, 23), 18 * 3600
    )
