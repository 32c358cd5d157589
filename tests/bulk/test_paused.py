"""Tickets with pauses as columns (``bulk._paused``) against their scalar twins.

The pause rules and the clipping are each one expression (``PAUSE_RULES``, ``clip_rule``)
that the scalar path evaluates on ints and the columnar path on NumPy arrays; the merging of
pauses into counting windows has a columnar twin (``windows_columns``) of ``windows_of``.
Each pair is compared here on random pauses that overlap, touch, come in any order, reach
outside the life or go on; the whole paused path is compared with ``SlaPolicy.status`` in
``tests/property/test_bulk_vs_scalar.py``. The ways back to the scalar clock (a block over
thirty years, a deadline past the compiled years) are tried too.
"""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sla_clock import BusinessCalendar, Pause, SlaPolicy, Ticket
from sla_clock._net_time import windows_of
from sla_clock.batch._pauses import pause_texts_of, pauses_of
from sla_clock.bulk import NAT, _paused
from sla_clock.bulk._clock_columns import windows_columns
from sla_clock.bulk._paused import PauseColumns
from sla_clock.bulk._status import status_many_us
from sla_clock.ticket import clip_pauses, clip_rule, pause_problem

US_HOUR = 3_600_000_000
instant = st.integers(-50, 50)
pause = st.tuples(instant, st.one_of(st.none(), instant))
tickets = st.lists(st.lists(pause, max_size=5), min_size=1, max_size=8)


@settings(deadline=None)
@given(tickets)
def test_problems_are_pause_problem_on_every_pause(
    rows: list[list[tuple[int, int | None]]],
) -> None:
    """The first bad pause of each row, and its message, as pause_problem finds them."""
    expected = {}
    for row, pauses in enumerate(rows):
        for k, (start, end) in enumerate(pauses):
            problem = pause_problem(start, end)
            if problem is not None:
                expected[row] = (k, problem)
                break
    found = PauseColumns.of(rows).problems()
    assert {row: (k, message) for row, (k, _, message) in found.items()} == expected


@settings(deadline=None)
@given(st.data())
def test_clip_rule_on_columns_is_clip_pauses(data: st.DataObject) -> None:
    """The clipping of every pause at once equals clip_pauses ticket by ticket."""
    rows = data.draw(tickets)
    rows = [[(s, e) for s, e in pauses if e is None or e >= s] for pauses in rows]  # valid ones
    opened = data.draw(st.lists(instant, min_size=len(rows), max_size=len(rows)))
    until = [o + data.draw(st.integers(0, 60)) for o in opened]
    resolved = data.draw(st.lists(st.booleans(), min_size=len(rows), max_size=len(rows)))
    cols = PauseColumns.of(rows)
    of = cols.owner
    o, u, r = np.array(opened), np.array(until), np.array(resolved)
    begin, stop, paused, clipped = clip_rule(cols.start, cols.end, o[of], u[of], r[of], np)
    for row, pauses in enumerate(rows):
        mine = of == row
        expected = clip_pauses(pauses, opened[row], until[row], resolved=resolved[row])
        keep = mine & (begin < stop)
        assert list(zip(begin[keep].tolist(), stop[keep].tolist(), strict=True)) == expected.pauses
        assert bool(paused[mine].any()) == expected.paused
        assert int(clipped[mine].sum()) == expected.clipped


@settings(deadline=None)
@given(st.data())
def test_windows_columns_is_windows_of(data: st.DataObject) -> None:
    """The counting windows of many clocks at once equal windows_of clock by clock."""
    n = data.draw(st.integers(1, 6))
    starts = data.draw(st.lists(instant, min_size=n, max_size=n))
    spans = st.tuples(st.integers(0, n - 1), instant, st.integers(1, 30))
    given_pauses = data.draw(st.lists(spans, max_size=12))
    owner = np.array([k for k, _, _ in given_pauses], dtype=np.int64)
    ps = np.array([s for _, s, _ in given_pauses], dtype=np.int64)
    pe = ps + np.array([length for _, _, length in given_pauses], dtype=np.int64)
    first, ws, we, resume = windows_columns(np.array(starts, dtype=np.int64), owner, ps, pe)
    for row, start in enumerate(starts):
        pauses = [(s, s + length) for k, s, length in given_pauses if k == row]
        windows, cur = windows_of(start, pauses)
        lo, hi = int(first[row]), int(first[row + 1])
        assert list(zip(ws[lo:hi].tolist(), we[lo:hi].tolist(), strict=True)) == windows
        assert int(resume[row]) == cur


def test_no_pause_at_all_gives_no_windows() -> None:
    empty = np.zeros(0, dtype=np.int64)
    first, ws, _, resume = windows_columns(np.array([7, 9]), empty, empty, empty)
    assert (first.tolist(), ws.tolist(), resume.tolist()) == ([0, 0, 0], [], [7, 9])


cells = st.one_of(
    st.none(),
    st.integers(-1, 1),
    st.text(alphabet="2026-11-23T15:0/; open-\t", max_size=40),
    st.lists(st.text(alphabet="2026-11/ ;", max_size=20), max_size=3),
    st.lists(st.lists(st.one_of(st.none(), st.text("2026-11", max_size=10)), max_size=3)),
    st.dictionaries(st.sampled_from(("start", "end", "x")), st.text("2026", max_size=6)),
)


@settings(deadline=None)
@given(st.lists(cells, max_size=10), st.sets(st.integers(0, 9)))
def test_pause_texts_of_reads_as_pauses_of(values: list[object], skip: set[int]) -> None:
    """The bulk reader's shortcut and its fallback give what pauses_of gives, cell by cell."""
    texts, refused = pause_texts_of(values, skip)
    got: dict[int, list[tuple[object, str, str | None]]] = {}
    for k, row in enumerate(texts.owners):
        got.setdefault(row, []).append(tuple(texts.text(k)))
    for row, value in enumerate(values):
        if row in skip:
            assert row not in got
            assert row not in refused
            continue
        expected = pauses_of(value)
        if isinstance(expected, str):
            assert refused[row] == expected
        else:
            assert got.get(row, []) == [tuple(p) for p in expected]


def _status_one_by_one(policy: SlaPolicy, rows: list[tuple[int, list]], now: int) -> list[int]:
    cal = policy.calendar
    used = []
    for opened, pauses in rows:
        ticket = Ticket(
            opened_at=cal.from_us(opened),
            priority="P2",
            pauses=[Pause(start=cal.from_us(s), end=cal.from_us(e)) for s, e in pauses],
        )
        status = policy.status(ticket, cal.from_us(now))
        used.append(int(status.used.total_seconds() * 1_000_000))
    return used


def _us(calendar: BusinessCalendar, *when: int) -> int:
    return calendar.to_us(datetime(*when, tzinfo=calendar.zone))


def _through_status_many(policy: SlaPolicy, rows: list[tuple[int, list]], now: int) -> list[int]:
    cols = status_many_us(
        policy,
        np.array([r[0] for r in rows]),
        np.array(["P2"] * len(rows)),
        now,
        pauses=[r[1] for r in rows],
    )
    assert NAT not in cols.due.tolist()
    return list(cols.used.tolist())


@pytest.fixture
def scalar_calls(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The rows that went the scalar way."""
    calls: list[int] = []
    scalar = _paused._by_scalar

    def spy(rules: object, rows: np.ndarray, *rest: object) -> None:
        calls.extend(rows.tolist())
        scalar(rules, rows, *rest)  # type: ignore[arg-type]  # (the spy passes them on)

    monkeypatch.setattr(_paused, "_by_scalar", spy)
    return calls


def test_a_block_over_thirty_years_goes_the_scalar_way(scalar_calls: list[int]) -> None:
    policy = SlaPolicy.default()
    near, far = _us(policy.calendar, 2026, 11, 23, 14), _us(policy.calendar, 2066, 11, 23, 14)
    rows = [(near, [(near + US_HOUR, near + 2 * US_HOUR)]), (far, [(far, far + US_HOUR)])]
    now = far + 30 * 24 * US_HOUR
    assert _through_status_many(policy, rows, now) == _status_one_by_one(policy, rows, now)
    assert scalar_calls == [0, 1]  # one table for both would span 40 years


def test_a_deadline_past_the_compiled_years_goes_the_scalar_way(scalar_calls: list[int]) -> None:
    """A pause of five years moves a P2 deadline past the years its block compiled."""
    policy = SlaPolicy(
        calendar=BusinessCalendar.create(), priorities=SlaPolicy.default().priorities
    )
    opened = _us(policy.calendar, 2026, 12, 30, 10)
    resumed = _us(policy.calendar, 2031, 12, 30, 10)  # the calendar compiled 2024-2031
    rows = [(opened, [(opened + US_HOUR, resumed)])]
    now = resumed + US_HOUR
    assert _through_status_many(policy, rows, now) == _status_one_by_one(policy, rows, now)
    assert scalar_calls == [0]
