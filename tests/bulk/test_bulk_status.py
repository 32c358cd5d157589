"""Vectorised ticket status (``sla_clock.bulk._status``) on DESIGN.md's P0 example and others.

A P0 opened Mon 2026-11-23 14:00 São Paulo (17:00 UTC) is due Mon 18:00 and breached only
after Tue 09:00. Random agreement with ``SlaPolicy.status`` lives in
``property/test_bulk_vs_scalar.py``.
"""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pytest

from sla_clock import Pause, SlaPolicy, Ticket, TicketError, UnknownPriorityError
from sla_clock.bulk import NAT
from sla_clock.bulk._status import STATES, StatusColumns, status_many_us
from sla_clock.policy import DEFAULT_POLICY_DATA
from support import sp_us

POLICY = SlaPolicy.default()
CAL = POLICY.calendar
HOUR = 3_600_000_000
ONE_US = timedelta(microseconds=1)


OPENED = sp_us(2026, 11, 23, 14)  # Mon 14:00
DUE = sp_us(2026, 11, 23, 18)  # Mon 18:00
BREACH = sp_us(2026, 11, 24, 9)  # Tue 09:00


def row(cols: StatusColumns, i: int = 0) -> dict[str, object]:
    return {name: getattr(cols, name).tolist()[i] for name in StatusColumns._fields}


def one(now: int, **kwargs: object) -> dict[str, object]:
    # The options pass through as object.
    return row(status_many_us(POLICY, np.array([OPENED]), np.array(["P0"]), now, **kwargs))  # type: ignore[arg-type]


def test_p0_example_at_18_30_is_at_risk_due_18_breach_tomorrow_9() -> None:
    """At Mon 18:30 the P0 has used its 4 h: at risk, due Mon 18:00, breach_at Tue 09:00."""
    got = one(sp_us(2026, 11, 23, 18, 30))
    assert got == {
        "state": "at_risk",
        "state_code": STATES.index("at_risk"),
        "priority": "P0",
        "target": 4 * HOUR,
        "due": DUE,
        "breach": BREACH,
        "used": 4 * HOUR,
        "remaining": 0,
        "escalation_level": 0,  # on time (used == target): no level yet
        "pauses_clipped": 0,
    }


@pytest.mark.parametrize(
    ("now", "state", "used", "level"),
    [
        (OPENED, "running", 0, 0),
        (sp_us(2026, 11, 23, 16, 59), "running", 2 * HOUR + 59 * 60_000_000, 0),
        (sp_us(2026, 11, 23, 17), "at_risk", 3 * HOUR, 0),  # 75 % of 4 h
        (DUE - 1, "at_risk", 4 * HOUR - 1, 0),
        (BREACH, "at_risk", 4 * HOUR, 0),  # exactly the target: on time, no level
        (BREACH + 1, "breached", 4 * HOUR + 1, 1),  # team leaders once late
        (sp_us(2026, 11, 24, 13), "breached", 8 * HOUR, 1),
        (sp_us(2026, 11, 24, 13) + 1, "breached", 8 * HOUR + 1, 2),  # coordination past +4 h
        (sp_us(2026, 11, 24, 17), "breached", 12 * HOUR, 2),
        (sp_us(2026, 11, 24, 17) + 1, "breached", 12 * HOUR + 1, 3),  # management past +8 h
    ],
)
def test_p0_example_through_the_day(now: int, state: str, used: int, level: int) -> None:
    """The P0 turns at risk at 17:00 and breached just after Tue 09:00, not at 18:00:01."""
    got = one(now)
    assert (got["state"], got["used"], got["escalation_level"]) == (state, used, level)
    assert (got["due"], got["breach"]) == (DUE, BREACH)
    assert got["remaining"] == 4 * HOUR - used


def test_resolved_at_due_is_met_and_after_breach_at_missed() -> None:
    """Resolved exactly at due_at is met; resolved a microsecond after breach_at is missed."""
    now = sp_us(2026, 11, 30, 12)
    opened = np.array([OPENED, OPENED, OPENED])
    resolved = np.array([DUE, BREACH + 1, NAT])
    cols = status_many_us(POLICY, opened, np.array(["P0"] * 3), now, resolved=resolved)
    assert cols.state.tolist() == ["met", "missed", "breached"]
    assert cols.used.tolist()[:2] == [4 * HOUR, 4 * HOUR + 1]


def test_a_resolution_after_now_is_not_known_yet() -> None:
    """A resolved time later than now is ignored: the ticket is still open at now."""
    got = one(sp_us(2026, 11, 23, 15), resolved=np.array([DUE]))
    assert (got["state"], got["used"]) == ("running", HOUR)


def test_one_now_per_ticket() -> None:
    """now may be an array, one instant per ticket."""
    nows = np.array([sp_us(2026, 11, 23, 15), sp_us(2026, 11, 24, 10)])
    cols = status_many_us(POLICY, np.array([OPENED, OPENED]), np.array(["P0", "P0"]), nows)
    assert cols.state.tolist() == ["running", "breached"]
    assert cols.used.tolist() == [HOUR, 5 * HOUR]


def test_priorities_are_case_insensitive_and_reported_as_defined() -> None:
    """Codes are matched case-insensitively; the priority column gives the policy's codes,
    and each row gets its own target."""
    opened = np.array([OPENED] * 4)
    codes = np.array(["p0", "P1", " p2 ", "P3"])
    cols = status_many_us(POLICY, opened, codes, OPENED)
    assert cols.priority.tolist() == ["P0", "P1", "P2", "P3"]
    assert (cols.target // HOUR).tolist() == [4, 12, 40, 48]
    assert [CAL.from_us(int(t)).isoformat() for t in cols.due] == [
        "2026-11-23T18:00:00-03:00",
        "2026-11-24T17:00:00-03:00",  # 4 h on Monday, 8 of Tuesday's 9
        "2026-11-27T18:00:00-03:00",  # 4 h + 4 days of 9 h: 40 h is not "5 dias"
        "2026-11-30T17:00:00-03:00",
    ]


def test_unknown_priority_is_refused() -> None:
    """A code the policy does not define raises UnknownPriorityError naming the known ones."""
    with pytest.raises(UnknownPriorityError, match="P0, P1, P2, P3"):
        status_many_us(POLICY, np.array([OPENED]), np.array(["P9"]), OPENED)


def test_all_six_states_at_once_with_their_codes() -> None:
    """One call can give every state; state_code indexes STATES."""
    now = sp_us(2026, 11, 24, 12)
    opened = np.array([sp_us(2026, 11, 24, 11), sp_us(2026, 11, 24, 9)] + [OPENED] * 4)
    codes = np.array(["P0"] * 6)
    resolved = np.array([NAT, NAT, NAT, NAT, DUE, BREACH + 1])
    pauses = [None, None, None, [(sp_us(2026, 11, 23, 15), None)], None, []]
    cols = status_many_us(POLICY, opened, codes, now, resolved=resolved, pauses=pauses)
    assert cols.state.tolist() == ["running", "at_risk", "breached", "paused", "met", "missed"]
    assert [STATES[c] for c in cols.state_code] == cols.state.tolist()
    assert cols.state_code.dtype == np.int8
    assert cols.escalation_level.dtype == np.int16


def test_rows_with_pauses_match_policy_status() -> None:
    """A paused row gives SlaPolicy.status's answers; the rows around it are unaffected."""
    pause = (sp_us(2026, 11, 23, 15), sp_us(2026, 11, 24, 10))  # 4 business hours
    now = sp_us(2026, 11, 24, 11)
    cols = status_many_us(
        POLICY,
        np.array([OPENED, OPENED, OPENED]),
        np.array(["P0", "P0", "P1"]),
        now,
        pauses=[None, [pause], None],
    )
    ticket = Ticket(
        opened_at=CAL.from_us(OPENED),
        priority="P0",
        pauses=(Pause(start=CAL.from_us(pause[0]), end=CAL.from_us(pause[1])),),
    )
    status = POLICY.status(ticket, CAL.from_us(now))
    assert row(cols, 1) | {"state_code": 0} == {
        "state": status.state,
        "state_code": 0,
        "priority": status.priority,
        "target": status.target // ONE_US,
        "due": CAL.to_us(status.due_at),
        "breach": CAL.to_us(status.breach_at),
        "used": status.used // ONE_US,
        "remaining": status.remaining // ONE_US,
        "escalation_level": status.escalation_level,
        "pauses_clipped": 0,
    }
    assert row(cols, 1)["due"] == sp_us(2026, 11, 24, 13)  # 1 h on Monday, 3 h from Tue 10:00
    assert row(cols, 0)["state"] == "breached"
    assert row(cols, 2)["state"] == "running"


def test_a_policy_without_a_ladder_has_level_zero() -> None:
    """Without escalation levels, the level is always 0, even when breached."""
    bare = SlaPolicy.model_validate({**DEFAULT_POLICY_DATA, "escalation": ()})
    cols = status_many_us(bare, np.array([OPENED]), np.array(["P0"]), sp_us(2026, 11, 30, 12))
    assert cols.state.tolist() == ["breached"]
    assert cols.escalation_level.tolist() == [0]


def test_empty_input_gives_empty_columns() -> None:
    """No tickets, no rows: every column is empty."""
    cols = status_many_us(POLICY, np.array([], dtype=np.int64), np.array([], dtype=str), OPENED)
    assert all(len(column) == 0 for column in cols)


def test_a_ticket_without_an_opening_is_refused() -> None:
    """A row without an opening time breaks the ticket rules, as in every other path."""
    with pytest.raises(TicketError, match=r"row 0 .*opened is empty"):
        status_many_us(POLICY, np.array([NAT, OPENED]), np.array(["P0", "P0"]), DUE)


def test_pauses_outside_the_life_are_clipped_and_counted() -> None:
    """A pause from before the opening, one after now and one ongoing on a resolved ticket
    are clipped to each ticket's life, as SlaPolicy.status clips them, and counted."""
    now = sp_us(2026, 11, 24, 11)
    early = (sp_us(2026, 11, 23, 13), sp_us(2026, 11, 23, 15))  # 1 h before the opening
    later = (sp_us(2026, 11, 24, 12), sp_us(2026, 11, 24, 13))  # after now: ignored
    ongoing = (sp_us(2026, 11, 23, 16), None)  # still open when the ticket was resolved
    cols = status_many_us(
        POLICY,
        np.array([OPENED, OPENED]),
        np.array(["P1", "P1"]),
        now,
        resolved=np.array([NAT, sp_us(2026, 11, 23, 17)]),
        pauses=[[early, later], [ongoing]],
    )
    assert cols.pauses_clipped.tolist() == [2, 1]
    assert cols.used.tolist() == [(3 + 2) * HOUR, 2 * HOUR]  # Mon 15-18 + Tue 9-11; Mon 14-16
    assert cols.state.tolist() == ["running", "met"]
