"""The vectorised clock evaluation (``bulk._clocks.evaluate``) against the scalar clock.

``evaluate`` keeps its own arithmetic (``E(t)`` at every window boundary, the deadlines by
``searchsorted``) but none of the rules: each row's inputs come from ``clock_inputs``. Here
random clocks on random calendars (DST zones, holidays, date overrides; instants to the
microsecond; pauses that overlap, touch, go on at ``now`` or lie outside the life; priority
changes with ``recompute`` and ``restart``) are evaluated both ways, in blocks that mix
calendars, and must agree to the microsecond. Deadlines past the compiled years and blocks
that span more than the vectorised table go back to the scalar clock; both are tried.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sla_clock import BusinessCalendar, EscalationLevel, Priority, SlaPolicy
from sla_clock._clock import ClockRules, clock_inputs, clock_of
from sla_clock.bulk import _clocks
from sla_clock.bulk._clocks import evaluate
from sla_clock.metric_status import RawRow, RowClock, RowInputs, raw_row
from strategies import POOL_SIZE, pool_calendar

US_HOUR = 3_600_000_000
US_DAY = 24 * US_HOUR
CODES = ("P0", "P1", "P2")


def policy_on(calendar: BusinessCalendar, restart: bool) -> SlaPolicy:  # noqa: FBT001 (a test helper)
    return SlaPolicy(
        calendar=calendar,
        priorities=[
            Priority(code="P0", name_en="outage", name_pt="outage", target=timedelta(hours=4)),
            Priority(code="P1", name_en="high", name_pt="high", target=timedelta(hours=12)),
            Priority(
                code="P2",
                name_en="normal",
                name_pt="normal",
                target=timedelta(hours=40, microseconds=7),
            ),
        ],
        escalation=[
            EscalationLevel(name="leaders", offset=timedelta(hours=-1)),
            EscalationLevel(name="coordination", offset=timedelta(hours=2)),
        ],
        priority_change="restart" if restart else "recompute",
    )


def scalar(row: RowInputs) -> RawRow:
    return raw_row(RowClock(row.ticket, row.metric, row.cycle, clock_of(row.inputs), row.rules))


@st.composite
def rows(draw: st.DrawFn) -> RowInputs:
    calendar, anchor = pool_calendar(draw(st.integers(0, POOL_SIZE - 1)))
    policy = policy_on(calendar, draw(st.booleans()))
    rules = ClockRules(calendar, policy.clock_rule, policy.priority_change == "restart", ("a", "b"))
    opened = anchor + draw(st.integers(-10 * US_DAY, 10 * US_DAY))
    life = draw(st.integers(0, 20 * US_DAY))
    now = opened + life
    resolved = draw(st.one_of(st.none(), st.integers(opened, opened + 25 * US_DAY)))
    pauses = []
    for _ in range(draw(st.integers(0, 4))):
        start = opened + draw(st.integers(-US_DAY, life + US_DAY))
        end = draw(st.one_of(st.none(), st.integers(start, start + 3 * US_DAY)))
        pauses.append((start, end))
    changes = [
        (opened + draw(st.integers(0, life + US_DAY)), draw(st.sampled_from(CODES)))
        for _ in range(draw(st.integers(0, 2)))
    ]
    inputs = clock_inputs(
        rules,
        opened,
        draw(st.sampled_from(CODES)),
        now,
        resolved_us=resolved,
        pauses_us=pauses,
        changes_us=changes,
    )
    return RowInputs("T", "resolution", 1, inputs, rules)


@pytest.mark.slow
@settings(max_examples=150)
@given(st.lists(rows(), min_size=1, max_size=12))
def test_evaluate_equals_the_scalar_clock(block: list[RowInputs]) -> None:
    assert evaluate(block) == [scalar(row) for row in block]


def _row(calendar: BusinessCalendar, opened: int, now: int, code: str = "P2") -> RowInputs:
    policy = policy_on(calendar, restart=False)
    rules = ClockRules(calendar, policy.clock_rule, False, ("a", "b"))  # noqa: FBT003 (a field)
    return RowInputs("T", "resolution", 1, clock_inputs(rules, opened, code, now), rules)


def _us(calendar: BusinessCalendar, *when: int) -> int:
    return calendar.to_us(datetime(*when, tzinfo=calendar.zone))


def test_a_block_over_thirty_years_goes_the_scalar_way(monkeypatch: pytest.MonkeyPatch) -> None:
    calendar = BusinessCalendar.create()
    calls: list[RowInputs] = []
    monkeypatch.setattr(_clocks, "_scalar", lambda row: calls.append(row) or scalar(row))
    near, far = _us(calendar, 2026, 11, 23, 14), _us(calendar, 2066, 11, 23, 14)
    block = [_row(calendar, near, near + US_HOUR), _row(calendar, far, far + US_HOUR)]
    assert evaluate(block) == [scalar(row) for row in block]
    assert calls == block  # one table for both would span 40 years


def test_a_deadline_past_the_compiled_years_goes_the_scalar_way(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calendar = BusinessCalendar.create()
    calls: list[RowInputs] = []
    monkeypatch.setattr(_clocks, "_scalar", lambda row: calls.append(row) or scalar(row))
    for year in range(2026, 2042):  # one block each: its table covers only its own years
        block = [_row(calendar, _us(calendar, year, 12, 30, 17), _us(calendar, year, 12, 30, 18))]
        assert evaluate(block) == [scalar(row) for row in block]
    assert calls  # a 40-hour target from 30 December runs into a year not yet compiled
