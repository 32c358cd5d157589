"""The vectorised engine (``bulk``, ``bulk_status``) against the scalar one, elementwise.

Both paths read the same compiled timeline, so they must agree to the microsecond on every
element: random calendars (hours, zones with DST, holidays, date overrides) from
``strategies.py``, arrays of 1 to 50 instants near each other or anywhere in 2015-2035,
positive, zero and negative durations, and ``NaT`` sprinkled in. Ticket statuses are
compared column by column with :meth:`SlaPolicy.status`.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policy_versions import policy_versions
from reference import US_PER_HOUR, from_us, to_us
from sla_clock import BusinessCalendar, EscalationLevel, Pause, Priority, SlaPolicy, Ticket
from sla_clock._clock import ticket_clock
from sla_clock.bulk import (
    NAT,
    add_many,
    add_many_us,
    elapsed_many,
    elapsed_many_us,
    localize_many_us,
    utc_offsets_us,
)
from sla_clock.bulk._instants import deadlines_many_us
from sla_clock.bulk._status import STATES, status_many_us
from sla_clock.errors import TicketError
from strategies import (
    POOL_SIZE,
    Case,
    bounded_durations,
    calendars_in,
    cases,
    instants_us,
    pool_calendar,
    transitions_us,
)

ONE_US = timedelta(microseconds=1)
US_PER_DAY = 24 * US_PER_HOUR
NAIVE_EPOCH = datetime(1970, 1, 1)  # noqa: DTZ001 - the naive clock localize reads
DST_ZONES = ("America/Sao_Paulo", "America/New_York", "Europe/London", "Australia/Lord_Howe")
#: São Paulo's DST years (it ended in 2019), where the strategies' 2015-2035 range is thin.
SAO_PAULO_DST_US = st.integers(
    to_us(datetime(1985, 1, 1, tzinfo=UTC)), to_us(datetime(2019, 12, 31, tzinfo=UTC))
)

sizes = st.integers(1, 50)


def with_nat(data: st.DataObject, values: list[int], label: str) -> list[int]:
    """Replace a random few of ``values`` (often none) by NaT."""
    if not data.draw(st.booleans(), label=f"{label} has NaT"):
        return values
    holes = data.draw(st.sets(st.integers(0, len(values) - 1), max_size=3), label=label)
    return [NAT if i in holes else v for i, v in enumerate(values)]


# -- add and elapsed ------------------------------------------------------------------------


@pytest.mark.slow
@settings(deadline=None)
@given(st.data())
def test_add_many_us_matches_add_us_elementwise(data: st.DataObject) -> None:
    """add_many_us(starts, durations)[i] == add_us(starts[i], durations[i]) for positive, zero
    and negative durations, and NaT in either array gives NaT."""
    case = data.draw(sizes.flatmap(lambda n: cases(size=n)), label="case")
    cal = case.calendar
    durations = [data.draw(bounded_durations(case), label="d") for _ in case.instants]
    starts = with_nat(data, list(case.instants), "starts")
    durations = with_nat(data, durations, "durations")
    got = add_many_us(cal, np.array(starts, dtype=np.int64), np.array(durations, dtype=np.int64))
    expected = [
        NAT if NAT in (t, d) else cal.add_us(t, d) for t, d in zip(starts, durations, strict=True)
    ]
    assert got.dtype == np.int64
    assert got.tolist() == expected


@pytest.mark.slow
@settings(deadline=None)
@given(st.data())
def test_deadlines_many_us_are_add_us_of_the_target_and_one_more(data: st.DataObject) -> None:
    """deadlines_many_us gives add_us(t, d) and add_us(t, d + 1) - 1 elementwise (a due
    that ends an open interval has its breach at the next one's start)."""
    case = data.draw(sizes.flatmap(lambda n: cases(size=n)), label="case")
    cal = case.calendar
    durations = [data.draw(bounded_durations(case), label="d") for _ in case.instants]
    if data.draw(st.booleans(), label="whole hours"):  # deadlines on interval ends
        durations = [abs(d) // US_PER_HOUR * US_PER_HOUR for d in durations]
    starts = np.array(case.instants, dtype=np.int64)
    due, breach = deadlines_many_us(cal, starts, np.array(durations, dtype=np.int64))
    assert due.tolist() == [cal.add_us(t, d) for t, d in zip(case.instants, durations, strict=True)]
    expected = [cal.add_us(t, d + 1) - 1 for t, d in zip(case.instants, durations, strict=True)]
    assert breach.tolist() == expected


@pytest.mark.slow
@settings(deadline=None)
@given(st.data())
def test_add_many_with_one_duration_matches_add(data: st.DataObject) -> None:
    """A scalar timedelta broadcasts; datetime64 in gives add() of the same UTC instants."""
    case = data.draw(sizes.flatmap(lambda n: cases(size=n)), label="case")
    cal = case.calendar
    d = data.draw(bounded_durations(case), label="d")
    starts = np.array(case.instants, dtype=np.int64).view("datetime64[us]")
    got = add_many(cal, starts, timedelta(microseconds=d))
    assert got.dtype == np.dtype("datetime64[us]")
    expected = [to_us(cal.add(case.dt(i), timedelta(microseconds=d))) for i in range(len(starts))]
    assert got.view(np.int64).tolist() == expected


@pytest.mark.slow
@settings(deadline=None)
@given(st.data())
def test_add_many_on_a_pandas_series_matches_add(data: st.DataObject) -> None:
    """A tz-aware pandas Series in any zone gives add() in the calendar's zone, same index."""
    case = data.draw(st.integers(1, 20).flatmap(lambda n: cases(size=n)), label="case")
    cal = case.calendar
    durations = [data.draw(bounded_durations(case), label="d") for _ in case.instants]
    shown_in = data.draw(st.sampled_from(("UTC", "Asia/Kolkata", cal.timezone)), label="zone")
    index = pd.Index([f"t{i}" for i in range(len(durations))])
    starts = pd.Series(
        pd.DatetimeIndex(np.array(case.instants, dtype="datetime64[us]"))
        .tz_localize("UTC")
        .tz_convert(shown_in),
        index=index,
    )
    got = add_many(cal, starts, pd.to_timedelta(durations, unit="us").to_numpy())
    assert isinstance(got, pd.Series)
    assert got.index.equals(index)
    assert str(got.dt.tz) == cal.timezone
    expected = [cal.add(case.dt(i), timedelta(microseconds=d)) for i, d in enumerate(durations)]
    # Instants: on a desk that moves zone, the column keeps the calendar's own zone.
    assert [to_us(ts.to_pydatetime()) for ts in got] == [to_us(e) for e in expected]


@pytest.mark.slow
@settings(deadline=None)
@given(st.data())
def test_elapsed_many_us_matches_elapsed_us_elementwise(data: st.DataObject) -> None:
    """elapsed_many_us(a, b)[i] == elapsed_us(a[i], b[i]) in both orders; NaT gives NaT."""
    case = data.draw(sizes.flatmap(lambda n: cases(size=n)), label="case")
    cal = case.calendar
    n = len(case.instants)
    # Ends: the same instants in another order, moved a little (or not at all), so that
    # pairs run both ways and often meet interval boundaries exactly.
    shuffled = data.draw(st.permutations(case.instants), label="ends")
    moves = st.one_of(st.just(0), st.integers(-US_PER_DAY, US_PER_DAY), st.sampled_from((-1, 1)))
    shifts = data.draw(st.lists(moves, min_size=n, max_size=n), label="shifts")
    starts = with_nat(data, list(case.instants), "starts")
    ends = with_nat(data, [t + m for t, m in zip(shuffled, shifts, strict=True)], "ends")
    got = elapsed_many_us(cal, np.array(starts, dtype=np.int64), np.array(ends, dtype=np.int64))
    expected = [
        NAT if NAT in (a, b) else cal.elapsed_us(a, b) for a, b in zip(starts, ends, strict=True)
    ]
    assert got.tolist() == expected
    # datetime64 in, timedelta64[us] out.
    a64 = np.array(starts, dtype=np.int64).view("datetime64[us]")
    b64 = np.array(ends, dtype=np.int64).view("datetime64[us]")
    out = elapsed_many(cal, a64, b64)
    assert out.dtype == np.dtype("timedelta64[us]")
    assert out.view(np.int64).tolist() == expected


@pytest.mark.slow
@settings(deadline=None)
@given(st.data())
def test_bulk_matches_scalar_on_instants_years_apart(data: st.DataObject) -> None:
    """Arrays spanning 2015-2035 (several compiled chunks at once) agree with the scalar path."""
    calendar, _ = pool_calendar(data.draw(st.integers(0, POOL_SIZE - 1), label="pool"))
    instants = st.lists(instants_us(calendar.timezone), min_size=1, max_size=50)
    starts = data.draw(instants, label="starts")
    ends = data.draw(
        st.lists(instants_us(calendar.timezone), min_size=len(starts), max_size=len(starts))
    )
    d = data.draw(st.integers(-40 * US_PER_HOUR, 40 * US_PER_HOUR), label="d")
    weekly = sum(e - s for day in calendar.hours.days for s, e in day) * 1_000_000
    d = max(-4 * weekly, min(d, 4 * weekly))
    a = np.array(starts, dtype=np.int64)
    assert add_many_us(calendar, a, d).tolist() == [calendar.add_us(t, d) for t in starts]
    got = elapsed_many_us(calendar, a, np.array(ends, dtype=np.int64))
    assert got.tolist() == [calendar.elapsed_us(s, e) for s, e in zip(starts, ends, strict=True)]


@pytest.mark.slow
@settings(deadline=None)
@given(st.data())
def test_add_many_us_on_a_fresh_calendar_grows_like_add_us(data: st.DataObject) -> None:
    """On a calendar compiled for nothing yet, the bulk path grows the timeline as needed and
    agrees with the scalar path asked afterwards."""
    zone = data.draw(st.sampled_from(DST_ZONES), label="zone")
    first = data.draw(instants_us(zone), label="first")
    around = from_us(first, ZoneInfo(zone)).date()
    cal = data.draw(calendars_in(zone, around=around), label="calendar")
    offsets = st.integers(-30 * US_PER_DAY, 30 * US_PER_DAY)
    starts = [first + off for off in data.draw(st.lists(offsets, min_size=1, max_size=50))]
    case = Case(cal, tuple(starts), (UTC,) * len(starts))
    durations = [data.draw(bounded_durations(case), label="d") for _ in starts]
    got = add_many_us(cal, np.array(starts, dtype=np.int64), np.array(durations, dtype=np.int64))
    assert got.tolist() == [cal.add_us(t, d) for t, d in zip(starts, durations, strict=True)]


# -- wall time ------------------------------------------------------------------------------


def _wall_us(naive: datetime) -> int:
    return (naive - NAIVE_EPOCH) // ONE_US


@st.composite
def wall_times(draw: st.DrawFn, zone: str) -> int:
    """Naive wall times (microseconds of a naive clock): near a DST switch, or anywhere."""
    tz = ZoneInfo(zone)
    switches = transitions_us(zone)
    how = draw(st.sampled_from(("switch", "switch", "anywhere", "old")))
    if how == "old" and zone == "America/Sao_Paulo":
        instant = draw(SAO_PAULO_DST_US)
    elif how == "switch" and switches:
        instant = draw(st.sampled_from(switches))
    else:
        instant = draw(instants_us(zone))
    if how == "old" and zone == "America/Sao_Paulo":
        # Snap to a midnight of a DST switching date half the time: the gap is 00:00-01:00.
        day = from_us(instant, tz).date()
        instant = to_us(datetime(day.year, day.month, day.day, tzinfo=tz))
    local = from_us(instant, tz).replace(tzinfo=None)
    jitter = draw(
        st.one_of(
            st.integers(-3 * US_PER_HOUR, 3 * US_PER_HOUR),
            st.integers(-12, 12).map(lambda q: q * 15 * 60 * 1_000_000),
            st.sampled_from((-1, 0, 1)),
        )
    )
    return _wall_us(local) + jitter


@pytest.mark.slow
@settings(deadline=None)
@given(st.data())
def test_localize_many_us_matches_localize(data: st.DataObject) -> None:
    """localize_many_us reads wall times like BusinessCalendar.localize: a wall time in a DST
    gap moves forward by the gap, an ambiguous one takes its first occurrence; NaT stays NaT."""
    zone = data.draw(st.sampled_from(DST_ZONES), label="zone")
    cal = BusinessCalendar.create(timezone=zone, country=None)
    # Sometimes wall times centuries apart too (a typo's year): the transitions of their
    # own years are enough.
    pool = st.one_of(wall_times(zone), wall_times(zone), FAR_US)
    walls = data.draw(st.lists(pool, min_size=1, max_size=50), label="walls")
    walls = with_nat(data, walls, "walls")
    got = localize_many_us(cal, np.array(walls, dtype=np.int64))
    expected = [
        NAT if w == NAT else to_us(cal.localize(NAIVE_EPOCH + timedelta(microseconds=w)))
        for w in walls
    ]
    assert got.tolist() == expected


@pytest.mark.slow
@settings(deadline=None)
@given(st.data())
def test_utc_offsets_us_matches_utcoffset(data: st.DataObject) -> None:
    """utc_offsets_us(t) is from_us(t).utcoffset(), also a microsecond around a switch."""
    zone = data.draw(st.sampled_from(DST_ZONES), label="zone")
    cal = BusinessCalendar.create(timezone=zone, country=None)
    switches = transitions_us(zone)
    near_switch = st.tuples(st.sampled_from(switches), st.sampled_from((-1, 0, 1))).map(sum)
    pool = st.one_of(instants_us(zone), near_switch)
    if zone == "America/Sao_Paulo":
        pool = st.one_of(pool, SAO_PAULO_DST_US)
    pool = st.one_of(pool, pool, FAR_US)  # instants centuries apart too
    instants = data.draw(st.lists(pool, min_size=1, max_size=50), label="instants")
    got = utc_offsets_us(cal, np.array(instants, dtype=np.int64))
    expected = []
    for t in instants:
        offset = cal.from_us(t).utcoffset()
        assert offset is not None
        expected.append(offset // ONE_US)
    assert got.tolist() == expected


# -- ticket status --------------------------------------------------------------------------


#: Instants from year 100 to 9900, for arrays whose instants lie centuries apart.
FAR_US = st.integers(
    to_us(datetime(100, 1, 1, tzinfo=UTC)), to_us(datetime(9900, 1, 1, tzinfo=UTC))
)


@st.composite
def policies(draw: st.DrawFn) -> tuple[SlaPolicy, int]:
    """A policy and an instant near its calendar's overrides: the default policy, or random
    targets, warning share and ladder on a pool calendar."""
    if draw(st.integers(0, 3)) == 0:
        first = to_us(datetime(2024, 1, 1, tzinfo=UTC))
        anchor = draw(st.integers(first, first + 5 * 365 * US_PER_DAY), label="anchor")
        return SlaPolicy.default(), anchor
    calendar, anchor = pool_calendar(draw(st.integers(0, POOL_SIZE - 1), label="pool"))
    weekly = sum(e - s for day in calendar.hours.days for s, e in day) * 1_000_000
    cap = min(60 * US_PER_HOUR, 3 * weekly)
    targets = draw(st.lists(st.integers(1, cap), min_size=1, max_size=4), label="targets")
    offsets = sorted(draw(st.lists(st.integers(0, cap), max_size=3), label="ladder offsets"))
    # Some priorities count business days instead (issue 11): 0 days only to the end of day.
    day_targets = draw(
        st.lists(
            st.one_of(st.none(), st.tuples(st.integers(0, 6), st.booleans())),
            min_size=len(targets),
            max_size=len(targets),
        ),
        label="day targets",
    )
    priorities = []
    for i, (t, day) in enumerate(zip(targets, day_targets, strict=True)):
        if day is None:
            target = {"target": t * ONE_US}
        else:
            target = {"target_business_days": day[0], "end_of_day": day[1] or day[0] == 0}
        priorities.append(Priority(code=f"C{i}", name_en=f"c{i}", name_pt=f"c{i}", **target))
    policy = SlaPolicy(
        priorities=tuple(priorities),
        warning_share=draw(st.sampled_from((0.5, 0.75, 0.9, 1.0)), label="share"),
        escalation=tuple(
            EscalationLevel(name=f"level {i}", offset=o * ONE_US) for i, o in enumerate(offsets)
        ),
        calendar=calendar,
    )
    return policy, anchor


@st.composite
def ticket_rows(draw: st.DrawFn, policy: SlaPolicy, anchor: int) -> tuple[int, str, int, list]:
    """One ticket as status_many_us takes it: opened, code, resolved (or NaT), pauses."""
    opened = anchor + draw(
        st.one_of(
            st.integers(-20 * US_PER_DAY, 20 * US_PER_DAY),
            st.integers(-20 * 24, 20 * 24).map(lambda h: h * US_PER_HOUR),
        ),
        label="opened",
    )
    code = draw(st.sampled_from(policy.codes).flatmap(lambda c: st.sampled_from((c, c.lower()))))
    span = st.integers(0, 10 * US_PER_DAY)
    resolved = opened + draw(span) if draw(st.integers(0, 2)) == 0 else NAT
    pauses: list[tuple[int, int | None]] = []
    if draw(st.integers(0, 2)) == 0:
        # Pauses may reach outside the ticket's life (before the opening, after the
        # resolution or after now, or still open on a resolved ticket), overlap, touch or
        # come in any order: both paths clip and merge them.
        for _ in range(draw(st.integers(1, 4))):
            start = opened + draw(st.integers(-2 * US_PER_DAY, 5 * US_PER_DAY))
            end: int | None = start + draw(st.integers(0, 2 * US_PER_DAY))
            if draw(st.integers(0, 3)) == 0:
                end = None
            pauses.append((start, end))
    return opened, code, resolved, pauses


@pytest.mark.slow
@settings(deadline=None)
@given(st.data())
def test_status_many_us_matches_policy_status(data: st.DataObject) -> None:
    """Every column of status_many_us equals SlaPolicy.status row by row, for tickets with and
    without pauses, open and resolved, at one shared now or a now per ticket."""
    policy, anchor = data.draw(policies(), label="policy")
    _check_status_many_us(data, policy, anchor)


@pytest.mark.slow
@settings(deadline=None)
@given(st.data())
def test_status_many_us_counts_each_row_under_its_policy_version(data: st.DataObject) -> None:
    """Under dated policy versions (either mode), each row counts under its own version, as
    SlaPolicy.status counts it: the rows of a chunk straddle the versions' dates."""
    policy, anchor = data.draw(policies(), label="policy")
    around = policy.calendar.from_us(anchor).date()
    versioned = data.draw(policy_versions(policy, around), label="versions")
    _check_status_many_us(data, versioned, anchor)


def _check_status_many_us(data: st.DataObject, policy: SlaPolicy, anchor: int) -> None:
    cal = policy.calendar
    rows = data.draw(st.lists(ticket_rows(policy, anchor), min_size=1, max_size=20), label="rows")
    n = len(rows)
    near = st.integers(anchor - 20 * US_PER_DAY, anchor + 40 * US_PER_DAY)
    if data.draw(st.booleans(), label="one now"):
        now_us: int | list[int] = data.draw(near, label="now")
        nows = [now_us] * n
    else:
        nows = data.draw(st.lists(near, min_size=n, max_size=n), label="nows")
        now_us = nows
    # A ticket has no status before it opens: both paths refuse such a row.
    early = [i for i, row in enumerate(rows) if nows[i] < row[0]]
    if early:
        with pytest.raises(TicketError, match="before the ticket opened"):
            status_many_us(
                policy,
                np.array([r[0] for r in rows], dtype=np.int64),
                np.array([r[1] for r in rows]),
                np.asarray(now_us, dtype=np.int64),
                resolved=np.array([r[2] for r in rows], dtype=np.int64),
            )
        for i in early:
            with pytest.raises(TicketError, match="before the ticket opened"):
                policy.status(
                    Ticket(opened_at=cal.from_us(rows[i][0]), priority=rows[i][1]),
                    cal.from_us(nows[i]),
                )
        rows = [row for i, row in enumerate(rows) if i not in early]
        nows = [now for i, now in enumerate(nows) if i not in early]
        if not rows:
            return
        n = len(rows)
        now_us = nows
    opened = np.array([r[0] for r in rows], dtype=np.int64)
    codes = np.array([r[1] for r in rows])
    resolved = np.array([r[2] for r in rows], dtype=np.int64)
    # Rows without pauses come as None or as an empty list, both meaning "no pause".
    pauses = [r[3] if r[3] else data.draw(st.sampled_from((None, []))) for r in rows]
    cols = status_many_us(
        policy,
        opened,
        codes,
        np.asarray(now_us, dtype=np.int64),
        resolved=resolved,
        pauses=pauses,
    )

    def dt(us: int) -> datetime:
        return cal.from_us(us)

    for i, (o, code, res, row_pauses) in enumerate(rows):
        ticket = Ticket(
            opened_at=dt(o),
            priority=code,
            pauses=tuple(
                Pause(start=dt(s), end=None if e is None else dt(e)) for s, e in row_pauses
            ),
            resolved_at=None if res == NAT else dt(res),
        )
        status = policy.status(ticket, dt(nows[i]))
        got = {
            "state": str(cols.state[i]),
            "state_code": int(cols.state_code[i]),
            "priority": cols.priority[i],
            "target": int(cols.target[i]),
            "due": int(cols.due[i]),
            "breach": int(cols.breach[i]),
            "used": int(cols.used[i]),
            "remaining": int(cols.remaining[i]),
            "escalation_level": int(cols.escalation_level[i]),
            "pauses_clipped": int(cols.pauses_clipped[i]),
        }
        expected = {
            "state": status.state,
            "state_code": got["state_code"],
            "priority": status.priority,
            "target": status.target // ONE_US,
            "due": to_us(status.due_at),
            "breach": to_us(status.breach_at),
            "used": status.used // ONE_US,
            "remaining": status.remaining // ONE_US,
            "escalation_level": status.escalation_level,
            "pauses_clipped": ticket_clock(
                policy.in_force(ticket.opened_at, dt(nows[i])).clock_rules, ticket, nows[i]
            ).clipped,
        }
        assert got == expected, (i, rows[i], nows[i])
        assert STATES[got["state_code"]] == got["state"]
