"""SLA status, deadlines and next changes against the reference, and their laws.

Tickets are random: an opening between 2024 and 2028 to the microsecond (often on a whole
hour, so opening and closing times are hit), a random priority (sometimes lower case), zero
to three pauses in random order (possibly overlapping, possibly one still going on), up to
two priority changes, an optional resolution, and a ``now`` that is random or sits on (or a
microsecond from) one of the ticket's own instants. Policies are the default one (both
priority-change rules, with and without a lunch break) and custom ones on unusual calendars.
"""

from __future__ import annotations

import functools
from datetime import UTC, datetime, timedelta, timezone
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, reject, settings
from hypothesis import strategies as st

from policy_versions import policy_versions, reference_in_force
from sla_clock import (
    BusinessCalendar,
    EscalationLevel,
    Pause,
    Priority,
    PriorityChange,
    SlaPolicy,
    SlaStatus,
    Ticket,
    TicketError,
    next_change,
)
from sla_clock.policy import DEFAULT_POLICY_DATA
from status_reference import RefStatus, first_reach, from_us, reference_status, to_us, used_at

ONE_US = timedelta(microseconds=1)
US_MINUTE = 60 * 1_000_000
US_HOUR = 60 * US_MINUTE
US_DAY = 24 * US_HOUR
FIRST_US = to_us(datetime(2024, 1, 1, tzinfo=UTC))
LAST_US = to_us(datetime(2029, 1, 1, tzinfo=UTC)) - 1
FORWARD = {"running": 0, "at_risk": 1, "breached": 2}

# -- calendars and policies ---------------------------------------------------------------

DEFAULT_CAL = BusinessCalendar.default()
LUNCH_CAL = DEFAULT_CAL.with_hours({"mon-fri": ["09:00-12:00", "13:00-18:00"]})
NEW_YORK_CAL = BusinessCalendar.create(
    hours={"mon-fri": "08:30-17:15", "sat": "10:00-14:00"},
    timezone="America/New_York",
    country="US",
)
#: Open across midnight (22:00-02:30), in a zone with a 30-minute DST shift.
NIGHT_CAL = BusinessCalendar.create(
    hours={"mon-fri": ["00:00-02:30", "22:00-24:00"], "sun": "20:00-24:00"},
    timezone="Australia/Lord_Howe",
    country=None,
)
#: Open around the clock: no closed time at all.
ALWAYS_CAL = BusinessCalendar.create(hours={"mon-sun": "00:00-24:00"}, timezone="UTC", country=None)
#: Calendars that have closed time (where a pause can lie entirely outside opening hours).
CALENDARS_WITH_CLOSED_TIME = (DEFAULT_CAL, LUNCH_CAL, NEW_YORK_CAL, NIGHT_CAL)


def _custom_policy(calendar: BusinessCalendar, mode: str, share: float) -> SlaPolicy:
    return SlaPolicy.model_validate(
        {
            "priorities": (
                Priority(code="URG", target=timedelta(minutes=90), name_en="Urgent", name_pt="U"),
                Priority(
                    code="Std",
                    target=timedelta(hours=7, minutes=30, microseconds=3),
                    name_en="Standard",
                    name_pt="Padrão",
                ),
                Priority(
                    code="LOW",
                    target=timedelta(hours=20, seconds=1),
                    name_en="Low",
                    name_pt="Baixa",
                ),
            ),
            "warning_share": share,
            "escalation": (
                EscalationLevel(name="lead", offset=timedelta(minutes=15)),
                EscalationLevel(name="head", offset=timedelta(hours=2)),
                EscalationLevel(name="director", offset=timedelta(hours=2)),
            ),
            "priority_change": mode,
            "calendar": calendar,
        }
    )


@functools.cache
def all_policies() -> tuple[SlaPolicy, ...]:
    """The default policy in its variants, and custom policies on unusual calendars."""
    default = SlaPolicy.default()
    restart = SlaPolicy.model_validate({**DEFAULT_POLICY_DATA, "priority_change": "restart"})
    policies = [default, restart, default.with_calendar(LUNCH_CAL)]
    for calendar, share in (
        (NEW_YORK_CAL, 0.5),
        (NIGHT_CAL, 1.0),
        (ALWAYS_CAL, 0.9),
        (LUNCH_CAL, 0.3),
    ):
        for mode in ("recompute", "restart"):
            policies.append(_custom_policy(calendar, mode, share))
    return tuple(policies)


policies = st.sampled_from(all_policies())
closed_time_policies = policies.filter(lambda p: p.calendar in CALENDARS_WITH_CLOSED_TIME)


# -- tickets ------------------------------------------------------------------------------


def offsets(max_days: int) -> st.SearchStrategy[int]:
    """Non-negative microsecond offsets up to ``max_days``: any, or on whole quarters/hours."""
    return st.one_of(
        st.integers(0, max_days * US_DAY),
        st.integers(0, max_days * US_DAY),
        st.integers(0, max_days * 24).map(lambda h: h * US_HOUR),
        st.integers(0, max_days * 96).map(lambda q: q * 15 * US_MINUTE),
        st.sampled_from((0, 1, 2)),
    )


openings = st.one_of(
    st.integers(FIRST_US, LAST_US),
    st.integers(FIRST_US // (30 * US_MINUTE), LAST_US // (30 * US_MINUTE)).map(
        lambda n: n * 30 * US_MINUTE
    ),
)


class Case(NamedTuple):
    """A policy, a ticket and the instant its status is asked for."""

    policy: SlaPolicy
    ticket: Ticket
    now: datetime


@st.composite
def cases(
    draw: st.DrawFn,
    policy_strategy: st.SearchStrategy[SlaPolicy] = policies,
    *,
    resolution: bool = True,
    changes: bool = True,
    open_ended: bool = True,
) -> Case:
    """A random policy, a ticket valid under it, and a ``now`` at or after the opening."""
    policy = draw(policy_strategy)
    zone = ZoneInfo(policy.calendar.timezone)
    tz = draw(st.sampled_from((zone, UTC, timezone(timedelta(hours=-3)))))

    def dt(us: int) -> datetime:
        return from_us(us).astimezone(tz)

    codes = st.sampled_from(policy.codes).flatmap(lambda c: st.sampled_from((c, c.lower())))
    opened = draw(openings, label="opened_us")
    pauses: list[tuple[int, int | None]] = []
    count = draw(st.integers(0, 3))
    for i in range(count):
        start = opened + draw(offsets(10))
        if draw(st.sampled_from((False, False, False, True))):
            # A pause from before the opening: the rules clip it to the ticket's life.
            start = opened - draw(offsets(2))
        if open_ended and i == count - 1 and draw(st.sampled_from((False, False, True))):
            pauses.append((start, None))
        else:
            pauses.append((start, start + draw(offsets(3))))
    moves: list[tuple[int, str]] = []
    if changes:
        count = draw(st.sampled_from((0, 0, 0, 1, 2)))
        moves = [(opened + draw(offsets(8)), draw(codes)) for _ in range(count)]
        # Two changes at the same instant have no order in time: see test_status.py.
        if len({at for at, _ in moves}) < len(moves):
            moves = moves[:1]
    resolved = None
    if resolution and draw(st.sampled_from((False, False, True))):
        resolved = opened + draw(offsets(20))
        if draw(st.booleans()):
            # Pauses as a tidy back end stores them; otherwise they may run past the
            # resolution or stay open on it, and the rules clip them to the life.
            pauses = [
                (s, resolved if e is None else min(e, resolved)) for s, e in pauses if s <= resolved
            ]
        moves = [(at, code) for at, code in moves if at <= resolved]
    events = [opened, *(s for s, _ in pauses), *(e for _, e in pauses if e is not None)]
    events += [at for at, _ in moves] + ([resolved] if resolved is not None else [])
    priority = draw(codes)
    # Instants where the business time used reaches a mark of the first priority (warning,
    # deadline, escalation levels), so that ``now`` often falls where the state changes.
    marks = []
    for code in (priority, *(c for _, c in moves[-1:])):
        target = policy.target(code) // ONE_US
        marks += [int(target * policy.warning_share), target, target + 1]
        marks += [target + lv.offset // ONE_US + k for lv in policy.escalation for k in (0, 1)]
    spans = [(s, opened + 60 * US_DAY if e is None else e) for s, e in pauses]
    near_mark = st.tuples(st.sampled_from(marks), st.sampled_from((-1, 0, 1))).map(
        lambda m: first_reach(policy.calendar, opened, spans, max(m[0], 1)) + m[1]
    )
    near_event = st.sampled_from(events).flatmap(lambda e: st.sampled_from((e - 1, e, e + 1)))
    anywhere = offsets(25).map(lambda o: opened + o)
    now = max(opened, draw(st.one_of(anywhere, near_event, near_mark, near_mark)))
    ticket = Ticket(
        opened_at=dt(opened),
        priority=priority,
        pauses=tuple(Pause(start=dt(s), end=None if e is None else dt(e)) for s, e in pauses),
        resolved_at=None if resolved is None else dt(resolved),
        priority_changes=tuple(PriorityChange(at=dt(at), priority=c) for at, c in moves),
    )
    return Case(policy, ticket, dt(now))


def rebuild(ticket: Ticket, **update: Any) -> Ticket:
    """Return a validated copy of ``ticket`` with some fields replaced."""
    return Ticket(**{**dict(ticket), **update})


def shifted(instant: datetime, us: int) -> datetime:
    """Return the instant ``us`` microseconds of real time after ``instant`` (UTC)."""
    return from_us(to_us(instant) + us)


def known_at(ticket: Ticket, now: datetime) -> Ticket:
    """Return ``ticket`` as known at ``now``: later events dropped, ongoing pauses open-ended."""
    n = to_us(now)
    resolved = ticket.resolved_at
    if resolved is not None and to_us(resolved) > n:
        resolved = None
    pauses = tuple(
        Pause(start=p.start, end=p.end if p.end is not None and to_us(p.end) <= n else None)
        for p in ticket.pauses
        if to_us(p.start) <= n
    )
    changes = tuple(c for c in ticket.priority_changes if to_us(c.at) <= n)
    return rebuild(ticket, pauses=pauses, resolved_at=resolved, priority_changes=changes)


def summary(status: SlaStatus) -> dict[str, Any]:
    """The parts of a status that the reference computes, with instants as microseconds."""
    return {
        "state": status.state,
        "priority": status.priority,
        "target": status.target // ONE_US,
        "used": status.used // ONE_US,
        "due_at": to_us(status.due_at),
        "breach_at": to_us(status.breach_at),
        "escalation_level": status.escalation_level,
        "paused": status.paused,
        "resolved": status.resolved_at is not None,
    }


def ref_summary(ref: RefStatus) -> dict[str, Any]:
    """The reference status in the form of :func:`summary`."""
    return {
        "state": ref.state,
        "priority": ref.priority,
        "target": ref.target,
        "used": ref.used,
        "due_at": ref.due_at,
        "breach_at": ref.breach_at,
        "escalation_level": ref.escalation_level,
        "paused": ref.paused,
        "resolved": ref.resolved,
    }


# -- against the reference ----------------------------------------------------------------


def test_reference_on_the_design_example() -> None:
    """The reference itself gives DESIGN.md's P0: due Mon 18:00, breach_at Tue 09:00."""
    sp = ZoneInfo("America/Sao_Paulo")
    ticket = Ticket(opened_at=datetime(2026, 11, 23, 14, tzinfo=sp), priority="P0")
    ref = reference_status(SlaPolicy.default(), ticket, datetime(2026, 11, 24, 9, tzinfo=sp))
    assert ref.due_at == to_us(datetime(2026, 11, 23, 18, tzinfo=sp))
    assert ref.breach_at == to_us(datetime(2026, 11, 24, 9, tzinfo=sp))
    assert (ref.state, ref.used, ref.escalation_level) == ("at_risk", 4 * US_HOUR, 0)


@pytest.mark.slow
@settings(deadline=None)
@given(cases())
def test_status_matches_reference(case: Case) -> None:
    """State, priority, used, due_at, breach_at and escalation level match the reference."""
    policy, ticket, now = case
    status = policy.status(ticket, now)
    ref = reference_status(policy, ticket, now)
    assert summary(status) == ref_summary(ref)
    assert status.remaining == status.target - status.used
    assert to_us(status.as_of) == to_us(now)
    zone = policy.calendar.zone
    assert status.due_at.tzinfo == zone
    assert status.breach_at.tzinfo == zone
    if ticket.resolved_at is not None and to_us(ticket.resolved_at) <= to_us(now):
        assert status.resolved_at is not None
        assert to_us(status.resolved_at) == to_us(ticket.resolved_at)
    else:
        assert status.resolved_at is None


@pytest.mark.slow
@settings(deadline=None)
@given(cases())
def test_only_events_known_at_now_count(case: Case) -> None:
    """Dropping every pause, priority change and resolution after now changes no status."""
    policy, ticket, now = case
    assert policy.status(known_at(ticket, now), now) == policy.status(ticket, now)


@pytest.mark.slow
@settings(deadline=None)
@given(cases())
def test_state_is_a_function_of_used_and_target(case: Case) -> None:
    """The state, remaining, share and escalation follow from used, target and the pause flag."""
    policy, ticket, now = case
    s = policy.status(ticket, now)
    target = s.target // ONE_US
    used = s.used // ONE_US
    if s.resolved_at is not None:
        expected = "met" if used <= target else "missed"
    elif used > target:
        expected = "breached"
    elif s.paused:
        expected = "paused"
    elif used >= int(target * policy.warning_share):
        expected = "at_risk"
    else:
        expected = "running"
    assert s.state == expected
    assert s.is_late == (expected in ("breached", "missed"))
    assert s.remaining == s.target - s.used
    assert s.share_used == used / target
    levels = [lvl for lvl in policy.escalation if s.used > s.target + lvl.offset]
    assert s.escalation_level == len(levels)
    assert s.escalation == (levels[-1].name if levels else None)


# -- laws ---------------------------------------------------------------------------------


@pytest.mark.slow
@settings(deadline=None)
@given(cases())
def test_a_pause_never_makes_a_deadline_earlier(case: Case) -> None:
    """Removing pauses never makes due_at or breach_at later, nor used smaller."""
    policy, ticket, now = case
    with_pauses = policy.status(ticket, now)
    for fewer in (ticket.pauses[:-1], ticket.pauses[1:], ()):
        without = policy.status(rebuild(ticket, pauses=fewer), now)
        assert to_us(without.due_at) <= to_us(with_pauses.due_at)
        assert to_us(without.breach_at) <= to_us(with_pauses.breach_at)
        assert without.used >= with_pauses.used


@pytest.mark.slow
@settings(deadline=None)
@given(st.data())
def test_a_pause_outside_opening_hours_changes_nothing(data: st.DataObject) -> None:
    """A pause inside closed time (a night, a weekend, a lunch break) changes no status."""
    policy, ticket, now = data.draw(cases(closed_time_policies))
    cal = policy.calendar
    t = shifted(ticket.opened_at, data.draw(offsets(10), label="t"))
    closes = cal.next_close(t)
    reopens = cal.next_open(closes)
    gap = to_us(reopens) - to_us(closes)
    assert gap > 0
    assert cal.elapsed(closes, reopens) == timedelta(0)
    a = data.draw(st.integers(0, gap), label="a")
    b = data.draw(st.integers(a, gap), label="b")
    pause = Pause(start=shifted(closes, a), end=shifted(closes, b))
    try:
        paused_ticket = rebuild(ticket, pauses=(*ticket.pauses, pause))
    except TicketError:
        reject()
    before = policy.status(ticket, now)
    after = policy.status(paused_ticket, now)
    n = to_us(now)
    ongoing = to_us(closes) + a <= n < to_us(closes) + b and before.resolved_at is None
    if not ongoing:
        assert after == before
    else:
        assert after.paused
        assert (after.used, after.due_at, after.breach_at) == (
            before.used,
            before.due_at,
            before.breach_at,
        )
        assert after.escalation_level == before.escalation_level
        assert after.state == ("breached" if before.state == "breached" else "paused")


@pytest.mark.slow
@settings(deadline=None)
@given(cases(resolution=False, changes=False), offsets(15))
def test_state_and_escalation_only_move_forward(case: Case, later_us: int) -> None:
    """For an open ticket, used, state order, escalation level and due_at never go back."""
    policy, ticket, now = case
    later = shifted(now, later_us)
    s1, s2 = policy.status(ticket, now), policy.status(ticket, later)
    assert s1.used <= s2.used
    assert s1.escalation_level <= s2.escalation_level
    assert to_us(s1.due_at) <= to_us(s2.due_at)
    assert to_us(s1.breach_at) <= to_us(s2.breach_at)
    if s1.state in FORWARD and s2.state in FORWARD:
        assert FORWARD[s1.state] <= FORWARD[s2.state]
    if s1.state == "breached":
        assert s2.state == "breached"


@pytest.mark.slow
@settings(deadline=None)
@given(cases(resolution=False, changes=False, open_ended=False))
def test_resolved_at_due_is_met_and_a_microsecond_later_missed(case: Case) -> None:
    """Resolved exactly at due_at is met; one microsecond of business time later is missed."""
    policy, ticket, _ = case
    cal = policy.calendar
    horizon = shifted(ticket.opened_at, 400 * US_DAY)
    due = policy.status(ticket, horizon).due_at
    # A pause starting before due_at ends by then: due_at is reached on counted time.
    pauses = tuple(p for p in ticket.pauses if to_us(p.start) < to_us(due))
    assert all(p.end is not None and to_us(p.end) <= to_us(due) for p in pauses)
    on_time = rebuild(ticket, pauses=pauses, resolved_at=due)
    met = policy.status(on_time, horizon)
    assert met.state == "met"
    assert met.used == met.target
    assert policy.status(on_time, due).state == "met"
    late_at = cal.add(due, ONE_US)
    late = rebuild(ticket, pauses=pauses, resolved_at=late_at)
    missed = policy.status(late, horizon)
    assert missed.state == "missed"
    assert missed.used == missed.target + ONE_US
    assert policy.status(late, late_at).state == "missed"


@pytest.mark.slow
@settings(deadline=None)
@given(cases())
def test_breach_at_is_a_business_moment(case: Case) -> None:
    """breach_at is open, unpaused time; used is exactly the target from due_at to breach_at."""
    policy, ticket, now = case
    s = policy.status(ticket, now)
    ref = reference_status(policy, ticket, now)
    cal = policy.calendar
    assert cal.is_open(s.breach_at)
    breach, due = to_us(s.breach_at), to_us(s.due_at)
    assert not any(ps <= breach < pe for ps, pe in ref.pauses)
    assert due <= breach

    def used(x: int) -> int:
        return used_at(cal, ref.start, list(ref.pauses), x)

    target = s.target // ONE_US
    assert used(due - 1) == target - 1
    assert used(due) == target
    assert used(breach) == target
    assert used(breach + 1) == target + 1
    # If nothing else happens, the ticket is on time at breach_at and late just after it.
    known = known_at(ticket, now)
    if s.resolved_at is None and not s.paused and breach >= to_us(now):
        assert policy.status(known, s.breach_at).state == "at_risk"
        assert policy.status(known, shifted(s.breach_at, 1)).state == "breached"
        if due >= to_us(now):
            assert policy.status(known, s.due_at).state == "at_risk"


@pytest.mark.slow
@settings(deadline=None)
@given(cases())
def test_next_change_is_the_first_change_of_status(case: Case) -> None:
    """next_change is after now; status differs there and is unchanged a microsecond before."""
    policy, ticket, now = case
    ticket = known_at(ticket, now)
    current = policy.status(ticket, now)
    change = next_change(policy, ticket, now)

    def key(s: SlaStatus) -> tuple[str, int]:
        return s.state, s.escalation_level

    if change is None:
        final = current.state == "breached" and current.escalation_level == len(policy.escalation)
        assert current.resolved_at is not None or current.paused or final
        if not current.paused:
            assert key(policy.status(ticket, shifted(now, 100 * US_DAY))) == key(current)
        return
    assert to_us(change.at) > to_us(now)
    assert change.at.tzinfo == policy.calendar.zone
    just_before = shifted(change.at, -1)
    # The clock moved during the microsecond before the change: it is open time.
    assert policy.calendar.is_open(just_before)
    after = policy.status(ticket, change.at)
    before = policy.status(ticket, just_before)
    assert key(after) != key(current)
    assert key(before) == key(current)
    assert (change.state, change.escalation_level, change.escalation) == (
        after.state,
        after.escalation_level,
        after.escalation,
    )


# -- dated policy versions (issue 14) -----------------------------------------------------


@st.composite
def versioned_cases(draw: st.DrawFn) -> Case:
    """A case whose policy has versions near the ticket's opening, in either mode."""
    policy, ticket, now = draw(cases())
    around = ticket.opened_at.astimezone(ZoneInfo(policy.calendar.timezone)).date()
    return Case(draw(policy_versions(policy, around)), ticket, now)


@pytest.mark.slow
@settings(deadline=None)
@given(versioned_cases())
def test_versioned_status_matches_reference(case: Case) -> None:
    """A ticket counts under the version the reference picks: targets, warning and ladder."""
    policy, ticket, now = case
    version = reference_in_force(policy, ticket.opened_at, now)
    status = policy.status(ticket, now)
    assert summary(status) == ref_summary(reference_status(version, ticket, now))
    level = status.escalation_level
    assert status.escalation == (version.escalation[level - 1].name if level else None)
    assert policy.in_force(ticket.opened_at, now) == version
    found = next_change(policy, ticket, now)
    assert found == next_change(version, ticket, now)


@pytest.mark.slow
@settings(deadline=None)
@given(versioned_cases())
def test_a_version_after_the_ticket_changes_nothing(case: Case) -> None:
    """Law: versions starting after the day that picks the version change nothing."""
    policy, ticket, now = case
    zone = ZoneInfo(policy.calendar.timezone)
    key = ticket.opened_at if policy.policy_version == "opened" else now
    day = key.astimezone(zone).date()
    later = tuple(v for v in policy.versions if v.start > day)
    kept = policy.model_copy(
        update={"versions": tuple(v for v in policy.versions if v.start <= day)}
    )
    assert policy.status(ticket, now) == kept.status(ticket, now)
    moved = tuple(v.model_copy(update={"start": v.start + timedelta(days=3650)}) for v in later)
    far = kept.model_copy(update={"versions": (*kept.versions, *moved)})
    assert far.status(ticket, now) == kept.status(ticket, now)


@pytest.mark.slow
@settings(deadline=None)
@given(cases(), st.integers(-30, 30))
def test_a_version_repeating_the_rules_changes_nothing(case: Case, offset: int) -> None:
    """Law: a policy with one version that repeats its own rules equals the policy alone."""
    policy, ticket, now = case
    start = ticket.opened_at.date() + timedelta(days=offset)
    same = policy.with_version(
        start,
        priorities=policy.priorities,
        warning_share=policy.warning_share,
        escalation=policy.escalation,
    )
    assert same.status(ticket, now) == policy.status(ticket, now)
    assert same.in_force(ticket.opened_at, now) == policy
