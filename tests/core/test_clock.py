"""The ticket clock alone: ``sla_clock._clock`` on integer microseconds.

The engine is layered (``docs/design.md``): :class:`SlaPolicy.status` and the vectorised
``status_many_us`` are thin wings over one integer room, :mod:`sla_clock._clock`. There an
:class:`SlaClock` counts a calendar's open time from ``start`` except inside pauses, a
deadline is a binary search on the compiled table, and :func:`raw_status` turns a
:class:`TicketClock` into a state code, a due instant, a breach instant, the time used and
an escalation level. This file tests that room directly, with integers and a hand-built
:class:`ClockRules`, so a wrong count or an off-by-one microsecond shows up here rather than
through the policy, the parsing or the CLI. The only public API used builds inputs: a
``BusinessCalendar`` (the clock takes one) and, for :func:`ticket_clock`, a ``Ticket``.

Two kinds of tests:

- worked examples on a Mon-Fri 09:00-18:00 UTC desk without holidays, in the week of Monday
  2026-11-23, every expected value computed by hand in the comments;
- Hypothesis properties against a tiny reference written here: the desk's open intervals
  listed day by day, the pauses cut out of them, then ``used`` a sum and ``reach`` a linear
  scan over the pieces that are left.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from typing import NamedTuple

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sla_clock import BusinessCalendar, Pause, PriorityChange, Ticket
from sla_clock._clock import (
    AT_RISK,
    BREACHED,
    MET,
    MISSED,
    PAUSED,
    RUNNING,
    STATE_CODES,
    ClockRule,
    ClockRules,
    RawStatus,
    SlaClock,
    TicketClock,
    clock_us,
    level_of,
    raw_status,
    state_of,
    ticket_clock,
)
from sla_clock.errors import TicketError, UnknownPriorityError

SECOND_US = 1_000_000
MINUTE_US = 60 * SECOND_US
HOUR_US = 60 * MINUTE_US
DAY_US = 24 * HOUR_US
EPOCH_ORDINAL = date(1970, 1, 1).toordinal()

#: Monday 2026-11-23 00:00 UTC: 2026-01-01 is 20,454 days after 1970-01-01 (56 * 365 + 14
#: leap days), plus 304 days of January-October, plus 22 = 20,780 days.
MON = 20_780 * DAY_US

#: Hypothesis budget: a clock and its reference take well under a millisecond each.
FAST = settings(max_examples=60, deadline=None)


def desk() -> BusinessCalendar:
    """A fresh Mon-Fri 09:00-18:00 UTC calendar without holidays (an empty timeline cache)."""
    return BusinessCalendar.create(hours={"mon-fri": "09:00-18:00"}, timezone="UTC", country=None)


CAL = desk()


def at(day: int, hours: float = 0) -> int:
    """The instant ``day`` days and ``hours`` hours after Monday 2026-11-23 00:00 UTC."""
    return MON + day * DAY_US + round(hours * HOUR_US)


# -- the policy the clock is given: two priorities and three escalation levels -------------

P0 = ClockRule("P0", 4 * HOUR_US, 3 * HOUR_US, (4 * HOUR_US, 6 * HOUR_US, 12 * HOUR_US))
P2 = ClockRule("P2", 40 * HOUR_US, 32 * HOUR_US, (40 * HOUR_US, 44 * HOUR_US, 56 * HOUR_US))
LEVELS = ("team leaders", "coordination", "management")


def rule_of(code: str) -> ClockRule:
    for rule in (P0, P2):
        if rule.code == code:
            return rule
    msg = f"unknown priority {code!r}"
    raise UnknownPriorityError(msg)


RULES = ClockRules(CAL, rule_of, restart=False, level_names=LEVELS)
RESTART = ClockRules(CAL, rule_of, restart=True, level_names=LEVELS)


# -- the reference: the desk's intervals, the pauses cut out, then sums and scans ----------


def open_intervals(first_day: int, last_day: int) -> list[tuple[int, int]]:
    """The desk's open intervals of the days ``first_day..last_day`` since 1970-01-01."""
    return [
        (d * DAY_US + 9 * HOUR_US, d * DAY_US + 18 * HOUR_US)
        for d in range(first_day, last_day + 1)
        if date.fromordinal(EPOCH_ORDINAL + d).weekday() < 5
    ]


def counted_pieces(
    start: int, pauses: Sequence[tuple[int, int]], days: int = 80
) -> list[tuple[int, int]]:
    """The stretches the clock counts, in time order: open, not before ``start``, not paused."""
    first_day = start // DAY_US
    pieces = [
        (max(s, start), e) for s, e in open_intervals(first_day, first_day + days) if e > start
    ]
    for ps, pe in pauses:
        cut: list[tuple[int, int]] = []
        for a, b in pieces:
            if pe <= a or ps >= b:
                cut.append((a, b))
                continue
            if a < ps:
                cut.append((a, ps))
            if pe < b:
                cut.append((pe, b))
        pieces = cut
    return pieces


def ref_used(start: int, until: int, pauses: Sequence[tuple[int, int]]) -> int:
    return sum(min(b, until) - a for a, b in counted_pieces(start, pauses) if a < until)


def ref_reach(start: int, pauses: Sequence[tuple[int, int]], amount: int) -> int:
    """The earliest instant at which ``amount`` microseconds have been counted."""
    acc = 0
    for a, b in counted_pieces(start, pauses):
        if acc + (b - a) >= amount:
            return a + (amount - acc)
        acc += b - a
    msg = "the reference horizon is too short for this amount"
    raise AssertionError(msg)


class RefStatus(NamedTuple):
    state: int
    priority: str
    used: int
    due: int
    breach: int
    level: int
    paused: bool


def ref_status(
    rules: ClockRules,
    opened: int,
    priority: str,
    now: int,
    resolved_at: int | None,
    pauses: Sequence[tuple[int, int | None]],
    changes: Sequence[tuple[int, str]],
) -> RefStatus:
    """The status as the docstrings of ``_clock``, ``ticket`` and ``status`` define it."""
    resolved = resolved_at is not None and resolved_at <= now
    until = resolved_at if resolved and resolved_at is not None else now
    applied = [c for c in sorted(changes, key=lambda c: c[0]) if c[0] <= until]
    rule = rules.rule_of(applied[-1][1] if applied else priority)
    start = max(opened, applied[-1][0]) if applied and rules.restart else opened
    # Pauses are clipped to the life [opened, until]; a pause going on at ``until`` (or
    # starting then) on an open ticket makes it paused, and is projected to end at ``until``.
    kept = [
        (max(ps, opened), until if pe is None or pe > until else pe)
        for ps, pe in pauses
        if max(ps, opened) < (until if pe is None or pe > until else pe)
    ]
    paused = not resolved and any(ps <= until and (pe is None or pe > until) for ps, pe in pauses)
    used = ref_used(start, until, kept)
    if resolved:
        state = MET if used <= rule.target else MISSED
    elif used > rule.target:
        state = BREACHED
    elif paused:
        state = PAUSED
    elif used >= rule.warning:
        state = AT_RISK
    else:
        state = RUNNING
    return RefStatus(
        state=state,
        priority=rule.code,
        used=used,
        due=ref_reach(start, kept, rule.target),
        breach=ref_reach(start, kept, rule.target + 1) - 1,
        level=sum(1 for t in rule.thresholds if used > t),
        paused=paused,
    )


# -- strategies ---------------------------------------------------------------------------

#: Instants in the test fortnight: any microsecond, or one on a half hour (openings,
#: closings and midnights are where off-by-ones live).
instants = st.one_of(
    st.integers(at(-2), at(12)),
    st.integers(-4 * 48, 12 * 48).map(lambda k: MON + k * 30 * MINUTE_US),
)
durations = st.one_of(
    st.integers(0, 10 * DAY_US),
    st.integers(0, 10 * 48).map(lambda k: k * 30 * MINUTE_US),
)


def instants_between(lo: int, hi: int, marks: Sequence[int]) -> st.SearchStrategy[int]:
    """An instant of ``[lo, hi]``: any microsecond, a half hour, or exactly one of ``marks``.

    The marks (the ticket's own instants, the ends of earlier pauses) make pauses that start
    where the clock starts, or where another pause ends: the edges of the window logic.
    """
    half = 30 * MINUTE_US
    first, last = -((MON - lo) // half), (hi - MON) // half
    options = [st.integers(lo, hi)]
    if first <= last:
        options.append(st.integers(first, last).map(lambda k: MON + k * half))
    inside = sorted({m for m in marks if lo <= m <= hi})
    if inside:
        options.append(st.sampled_from(inside))
    return st.one_of(options)


@st.composite
def closed_pauses(
    draw: st.DrawFn, lo: int, hi: int, marks: Sequence[int] = ()
) -> list[tuple[int, int]]:
    """Up to four pauses ``(start, end)`` with ``lo <= start <= end <= hi``, in any order."""
    found: list[tuple[int, int]] = []
    for _ in range(draw(st.integers(0, 4))):
        seen = [*marks, *(t for pause in found for t in pause)]
        ps = draw(instants_between(lo, hi, seen))
        found.append((ps, draw(instants_between(ps, hi, seen))))
    return found


# -- SlaClock: worked examples -------------------------------------------------------------


def test_clock_without_pauses_counts_open_time_and_reaches_deadlines() -> None:
    clock = SlaClock(CAL, at(0, 14), at(1, 10), [], paused=False)
    assert (clock.windows, clock.avail, clock.counted) == ([], [], 0)
    assert clock.resume == at(0, 14)
    assert clock.used() == 5 * HOUR_US  # Mon 14-18, Tue 09-10
    # 4 hours end on Monday's close (the earliest instant), not on Tuesday's opening.
    assert clock.reach(4 * HOUR_US) == at(0, 18)
    assert clock.reach(4 * HOUR_US + 1) == at(1, 9) + 1
    assert clock.reach(9 * HOUR_US) == at(1, 14)
    # Mon 4 h + Tue-Fri 36 h = 40 h at Friday 18:00; 5 more end Monday 14:00.
    assert clock.reach(45 * HOUR_US) == at(7, 14)
    assert clock.reach(1) == at(0, 14) + 1


def test_clock_starting_outside_hours_counts_from_the_next_opening() -> None:
    clock = SlaClock(CAL, at(5, 10), at(7, 9), [], paused=False)  # Saturday to Monday 09:00
    assert clock.used() == 0
    assert clock.reach(1) == at(7, 9) + 1
    assert clock.reach(9 * HOUR_US) == at(7, 18)


def test_clock_with_a_pause_skips_it() -> None:
    # Mon 10:00, paused Mon 12:00 to Tue 11:00, status at Tue 15:00.
    clock = SlaClock(CAL, at(0, 10), at(1, 15), [(at(0, 12), at(1, 11))], paused=False)
    assert clock.windows == [(at(0, 10), at(0, 12))]
    assert (clock.avail, clock.counted, clock.resume) == ([2 * HOUR_US], 2 * HOUR_US, at(1, 11))
    assert clock.used() == 6 * HOUR_US  # 2 h on Monday, Tue 11-15
    assert clock.reach(HOUR_US) == at(0, 11)
    assert clock.reach(2 * HOUR_US) == at(0, 12)  # fills the window exactly: its end
    assert clock.reach(2 * HOUR_US + 1) == at(1, 11) + 1
    assert clock.reach(10 * HOUR_US) == at(2, 10)  # 2 + Tue 11-18 (7) + Wed 09-10


def test_a_window_filled_at_its_close_reaches_the_close_not_the_pause() -> None:
    # The window Mon 10:00-20:00 holds 8 open hours, all done at 18:00.
    clock = SlaClock(CAL, at(0, 10), at(1, 12), [(at(0, 20), at(1, 10))], paused=False)
    assert clock.avail == [8 * HOUR_US]
    assert clock.used() == 10 * HOUR_US
    assert clock.reach(8 * HOUR_US) == at(0, 18)
    assert clock.reach(9 * HOUR_US) == at(1, 11)


def test_clock_merges_unsorted_overlapping_pauses_and_skips_earlier_ones() -> None:
    pauses = [(at(0, 13), at(0, 15)), (at(0, 11), at(0, 14)), (at(0, 9), at(0, 9.5))]
    clock = SlaClock(CAL, at(0, 10), at(0, 17), pauses, paused=False)
    # 09:00-09:30 ends before the start; 11-14 and 13-15 make one pause 11-15.
    assert clock.windows == [(at(0, 10), at(0, 11))]
    assert clock.resume == at(0, 15)
    assert clock.used() == 3 * HOUR_US  # 10-11 and 15-17
    spanning = SlaClock(CAL, at(0, 10), at(0, 17), [(at(0, 9), at(0, 12))], paused=False)
    assert (spanning.windows, spanning.resume) == ([], at(0, 12))
    assert spanning.used() == 5 * HOUR_US


def test_a_paused_clock_projects_the_pause_to_end_now() -> None:
    clock = SlaClock(CAL, at(0, 10), at(0, 16), [(at(0, 12), at(0, 16))], paused=True)
    assert clock.paused
    assert clock.resume == clock.until == at(0, 16)
    assert clock.used() == 2 * HOUR_US
    assert clock.reach(4 * HOUR_US) == at(0, 18)  # 2 h before the pause, 16-18 after it


def test_clock_of_no_time() -> None:
    clock = SlaClock(CAL, at(0, 10), at(0, 10), [], paused=False)
    assert clock.used() == 0
    assert clock.reach(HOUR_US) == at(0, 11)


def test_a_deadline_past_the_compiled_years_grows_the_timeline() -> None:
    # A fresh calendar compiles 2024-2031 for a 2026 ticket; 416 full weeks of 45 hours from
    # Monday 09:00 end on the Friday of week 416 at 18:00. 2026-11-23 + 415 weeks is 2,905
    # days, 17 short of the 2,922 in 8 years: Monday 2034-11-06, so Friday 2034-11-10.
    amount = 416 * 45 * HOUR_US
    expected = at(415 * 7 + 4, 18)
    fresh = SlaClock(desk(), at(0, 9), at(0, 9), [], paused=False)
    assert fresh.reach(amount) == expected
    assert SlaClock(CAL, at(0, 9), at(0, 9), [], paused=False).reach(amount) == expected
    assert datetime.fromtimestamp(expected // SECOND_US, UTC) == datetime(
        2034, 11, 10, 18, tzinfo=UTC
    )


# -- SlaClock: properties against the reference --------------------------------------------


@FAST
@given(start=instants, length=durations, paused=st.booleans(), data=st.data())
def test_used_is_the_open_time_outside_pauses(
    start: int, length: int, *, paused: bool, data: st.DataObject
) -> None:
    until = start + length
    pauses = data.draw(closed_pauses(start - DAY_US, until, [start, until]))
    clock = SlaClock(CAL, start, until, pauses, paused=paused)
    assert clock.used() == ref_used(start, until, pauses)
    assert clock.counted == sum(clock.avail)
    for (ws, we), avail in zip(clock.windows, clock.avail, strict=True):
        assert start <= ws < we <= clock.resume
        assert avail == ref_used(ws, we, [])


@FAST
@given(
    start=instants,
    length=durations,
    amounts=st.lists(st.integers(1, 120 * HOUR_US), min_size=1, max_size=5),
    data=st.data(),
)
def test_reach_is_the_first_instant_the_clock_counts_the_amount(
    start: int, length: int, amounts: list[int], data: st.DataObject
) -> None:
    until = start + length
    pauses = data.draw(closed_pauses(start - DAY_US, until, [start, until]))
    clock = SlaClock(CAL, start, until, pauses, paused=False)
    for amount in [*amounts, clock.used(), clock.used() + 1]:
        if amount > 0:
            assert clock.reach(amount) == ref_reach(start, pauses, amount), amount


# -- clock_us and raw_status: worked examples ----------------------------------------------


def status(
    rules: ClockRules,
    opened: int,
    priority: str,
    now: int,
    *,
    resolved: int | None = None,
    pauses: Sequence[tuple[int, int | None]] = (),
    changes: Sequence[tuple[int, str]] = (),
) -> RawStatus:
    return raw_status(
        clock_us(
            rules, opened, priority, now, resolved_us=resolved, pauses_us=pauses, changes_us=changes
        )
    )


def test_a_p0_ticket_through_its_day() -> None:
    opened = at(0, 14)  # Monday 14:00, 4 hours: due Monday 18:00, on time until Tue 09:00
    running = status(RULES, opened, "P0", at(0, 16))
    assert running == RawStatus(
        state=RUNNING,
        priority="P0",
        target=4 * HOUR_US,
        due=at(0, 18),
        breach=at(1, 9),
        used=2 * HOUR_US,
        level=0,
        paused=False,
    )
    assert status(RULES, opened, "P0", at(0, 17)).state == AT_RISK  # 3 h >= warning 3 h
    on_time = status(RULES, opened, "P0", at(1, 9))
    assert (on_time.state, on_time.used, on_time.level) == (AT_RISK, 4 * HOUR_US, 0)
    late = status(RULES, opened, "P0", at(1, 9) + 1)
    assert (late.state, late.used, late.level) == (BREACHED, 4 * HOUR_US + 1, 1)
    # The second level is at target + 2 h = 6 h used, strictly past it: Tue 11:00 + 1 us.
    assert status(RULES, opened, "P0", at(1, 11)).level == 1
    assert status(RULES, opened, "P0", at(1, 11) + 1).level == 2
    assert status(RULES, opened, "P0", at(2, 9) + 1).level == 3  # 13 h used > 12 h


def test_resolved_tickets_are_met_or_missed() -> None:
    opened, now = at(0, 14), at(3, 12)
    met = status(RULES, opened, "P0", now, resolved=at(0, 18))
    assert (met.state, met.used, met.level) == (MET, 4 * HOUR_US, 0)
    missed = status(RULES, opened, "P0", now, resolved=at(1, 10))
    assert (missed.state, missed.used, missed.level) == (MISSED, 5 * HOUR_US, 1)
    tc = clock_us(RULES, opened, "P0", now, resolved_us=at(1, 10))
    assert (tc.resolved, tc.until) == (True, at(1, 10))
    # A resolution after the instant of the status is not known yet.
    later = clock_us(RULES, opened, "P0", at(1, 10), resolved_us=at(2, 10))
    assert (later.resolved, later.until) == (False, at(1, 10))
    assert raw_status(later).state == BREACHED


def test_an_ongoing_pause_makes_the_ticket_paused() -> None:
    opened = at(0, 14)
    paused = status(RULES, opened, "P0", at(0, 16), pauses=[(at(0, 15), None)])
    # 1 h before the pause; projected to end now: 16-18 (3 h), Tuesday 09-10 (4 h).
    assert (paused.state, paused.used, paused.paused) == (PAUSED, HOUR_US, True)
    assert (paused.due, paused.breach) == (at(1, 10), at(1, 10))
    breached = status(RULES, at(0, 9), "P0", at(1, 12), pauses=[(at(0, 14), None)])
    assert (breached.state, breached.used, breached.paused) == (BREACHED, 5 * HOUR_US, True)


def test_pauses_are_clipped_to_the_tickets_life() -> None:
    opened, now = at(0, 14), at(1, 12)
    tc = clock_us(RULES, opened, "P0", now, resolved_us=at(0, 16), pauses_us=[(at(0, 15), None)])
    # A pause with no end on a resolved ticket is clipped to the resolution.
    assert (tc.clipped, tc.clock.paused) == (1, False)
    assert raw_status(tc).used == HOUR_US
    before = clock_us(RULES, opened, "P0", at(0, 17), pauses_us=[(at(0, 10), at(0, 15))])
    assert before.clipped == 1
    assert raw_status(before).used == 2 * HOUR_US


def test_a_priority_change_applies_its_target_to_the_time_since_opening() -> None:
    opened, now = at(0, 10), at(0, 13)
    changed = clock_us(RULES, opened, "P2", now, changes_us=[(at(0, 12), "P0")])
    assert (changed.priority, changed.target, changed.thresholds) == (
        "P0",
        P0.target,
        P0.thresholds,
    )
    raw = raw_status(changed)
    assert (raw.state, raw.used, raw.due) == (AT_RISK, 3 * HOUR_US, at(0, 14))
    restarted = raw_status(clock_us(RESTART, opened, "P2", now, changes_us=[(at(0, 12), "P0")]))
    assert (restarted.state, restarted.used, restarted.due) == (RUNNING, HOUR_US, at(0, 16))


def test_priority_changes_apply_in_time_order_up_to_the_status() -> None:
    opened, now = at(0, 10), at(0, 13)
    future = clock_us(RULES, opened, "P2", now, changes_us=[(at(0, 15), "P0")])
    assert future.priority == "P2"
    unsorted = [(at(0, 12.5), "P0"), (at(0, 12), "P2")]
    assert clock_us(RULES, opened, "P0", now, changes_us=unsorted).priority == "P0"
    same_instant = [(at(0, 12), "P0"), (at(0, 12), "P2")]
    assert clock_us(RULES, opened, "P0", now, changes_us=same_instant).priority == "P2"


def test_ticket_rules_are_errors() -> None:
    with pytest.raises(TicketError, match="before the ticket opened"):
        clock_us(RULES, at(0, 14), "P0", at(0, 13))
    with pytest.raises(TicketError, match="is before opened"):
        clock_us(RULES, at(0, 14), "P0", at(0, 16), resolved_us=at(0, 13))
    with pytest.raises(TicketError, match="ends before it starts"):
        clock_us(RULES, at(0, 10), "P0", at(0, 16), pauses_us=[(at(0, 12), at(0, 11))])
    with pytest.raises(UnknownPriorityError, match="P9"):
        clock_us(RULES, at(0, 10), "P9", at(0, 16))
    # A change's code is checked even when the change comes after the status.
    with pytest.raises(UnknownPriorityError, match="P7"):
        clock_us(RULES, at(0, 10), "P0", at(0, 16), changes_us=[(at(2, 10), "P7")])


def to_datetime(us: int) -> datetime:
    return datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=us)


def test_ticket_clock_is_clock_us_on_the_tickets_instants() -> None:
    opened, now = at(0, 10), at(1, 12)
    ticket = Ticket(
        opened_at=to_datetime(opened),
        priority="P2",
        pauses=(Pause(start=to_datetime(at(0, 12)), end=to_datetime(at(0, 15))),),
        priority_changes=(PriorityChange(at=to_datetime(at(0, 11)), priority="P0"),),
    )
    tc = ticket_clock(RULES, ticket, now)
    assert (tc.priority, tc.until, tc.resolved, tc.clipped) == ("P0", now, False, 0)
    assert tc.clock.windows == [(opened, at(0, 12))]
    raw = raw_status(tc)
    # Mon 10-12 and 15-18 (5 h), Tue 09-12 (3 h): 8 h against P0's 4 h, due Mon 17:00.
    assert (raw.state, raw.used, raw.due, raw.level) == (BREACHED, 8 * HOUR_US, at(0, 17), 2)
    same = clock_us(
        RULES,
        opened,
        "P2",
        now,
        pauses_us=[(at(0, 12), at(0, 15))],
        changes_us=[(at(0, 11), "P0")],
    )
    assert raw_status(same) == raw
    with pytest.raises(TicketError, match="opened_at"):
        ticket_clock(RULES, ticket, at(0, 9))


# -- clock_us and raw_status: property against the reference -------------------------------


@st.composite
def open_pauses(
    draw: st.DrawFn, lo: int, hi: int, marks: Sequence[int]
) -> list[tuple[int, int | None]]:
    """Up to three pauses, each ending after it starts or going on (``None``)."""
    found: list[tuple[int, int | None]] = []
    for _ in range(draw(st.integers(0, 3))):
        seen = [*marks, *(t for pause in found for t in pause if t is not None)]
        ps = draw(instants_between(lo, hi, seen))
        found.append((ps, draw(st.one_of(st.none(), instants_between(ps, hi + DAY_US, seen)))))
    return found


@FAST
@given(
    opened=instants,
    age=durations,
    resolved_after=st.one_of(st.none(), durations),
    priority=st.sampled_from(["P0", "P2"]),
    restart=st.booleans(),
    data=st.data(),
)
def test_raw_status_matches_the_reference(
    opened: int,
    age: int,
    resolved_after: int | None,
    priority: str,
    *,
    restart: bool,
    data: st.DataObject,
) -> None:
    now = opened + age
    resolved = None if resolved_after is None else opened + resolved_after
    end = now if resolved is None else min(now, resolved)
    marks = [opened, now, end]
    pauses = data.draw(open_pauses(opened - DAY_US, now + DAY_US, marks))
    changes = data.draw(
        st.lists(
            st.tuples(
                instants_between(opened, end + DAY_US, [*marks, *(p[0] for p in pauses)]),
                st.sampled_from(["P0", "P2"]),
            ),
            max_size=3,
        )
    )
    rules = RESTART if restart else RULES
    raw = status(rules, opened, priority, now, resolved=resolved, pauses=pauses, changes=changes)
    ref = ref_status(rules, opened, priority, now, resolved, pauses, changes)
    assert ref == RefStatus(
        raw.state, raw.priority, raw.used, raw.due, raw.breach, raw.level, raw.paused
    )
    assert raw.target == rule_of(raw.priority).target


# -- state_of and level_of -----------------------------------------------------------------


def ticket_of(*, resolved: bool, rule: ClockRule = P0) -> TicketClock:
    clock = SlaClock(CAL, at(0, 10), at(0, 10), [], paused=False)
    return TicketClock(
        clock, rule.code, rule.target, rule.warning, rule.thresholds, at(0, 10), resolved, 0
    )


def test_state_of_examples() -> None:
    open_tc, done = ticket_of(resolved=False), ticket_of(resolved=True)
    assert state_of(open_tc, 0, paused=False) == RUNNING
    assert state_of(open_tc, 3 * HOUR_US - 1, paused=False) == RUNNING
    assert state_of(open_tc, 3 * HOUR_US, paused=False) == AT_RISK
    assert state_of(open_tc, 4 * HOUR_US, paused=False) == AT_RISK
    assert state_of(open_tc, 4 * HOUR_US, paused=True) == PAUSED
    assert state_of(open_tc, 4 * HOUR_US + 1, paused=True) == BREACHED
    assert state_of(done, 4 * HOUR_US, paused=False) == MET
    assert state_of(done, 4 * HOUR_US + 1, paused=True) == MISSED
    assert STATE_CODES[AT_RISK] == "at_risk"
    assert [STATE_CODES[c] for c in (RUNNING, PAUSED, BREACHED, MET, MISSED)] == [
        "running",
        "paused",
        "breached",
        "met",
        "missed",
    ]


@FAST
@given(used=st.integers(0, 20 * HOUR_US), resolved=st.booleans(), paused=st.booleans())
def test_state_of_follows_the_documented_table(used: int, *, resolved: bool, paused: bool) -> None:
    state = state_of(ticket_of(resolved=resolved), used, paused=paused)
    late = used > P0.target
    assert (state in (MET, MISSED)) == resolved
    assert (state in (BREACHED, MISSED)) == late
    assert (state == PAUSED) == (paused and not resolved and not late)
    at_risk = not resolved and not paused and P0.warning <= used <= P0.target
    assert (state == AT_RISK) == at_risk


def test_level_of_counts_thresholds_strictly_passed() -> None:
    tc = ticket_of(resolved=False)  # thresholds 4 h, 6 h, 12 h
    assert [level_of(tc, u * HOUR_US) for u in (0, 4, 5, 6, 7, 12, 13)] == [0, 0, 1, 1, 2, 2, 3]
    assert level_of(tc, 4 * HOUR_US + 1) == 1
    assert level_of(ticket_of(resolved=False, rule=ClockRule("X", 1, 1, ())), 10**12) == 0


@FAST
@given(
    thresholds=st.lists(st.integers(0, 50), max_size=6).map(sorted),
    used=st.integers(-5, 60),
)
def test_level_of_is_how_many_thresholds_used_exceeds(thresholds: list[int], used: int) -> None:
    rule = ClockRule("X", thresholds[0] if thresholds else 1, 0, tuple(thresholds))
    tc = ticket_of(resolved=False, rule=rule)
    assert level_of(tc, used) == sum(1 for t in thresholds if used > t)
