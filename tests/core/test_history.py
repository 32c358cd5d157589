"""Ticket histories: event validation, the history rules, and the metric rows' policy keys.

The default calendar: São Paulo, Mon-Fri 09:00-18:00; 2026-11-23 is a Monday.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from sla_clock import (
    Event,
    PolicyConfigError,
    SlaPolicy,
    Ticket,
    TicketError,
    UnknownPriorityError,
    metric_statuses,
)
from sla_clock.config import DEFAULT_POLICY_DATA, PolicyFile
from support import nov

FIRST_RESPONSE = {
    "name": "first_response",
    "pause": False,
    "targets": {"P0": "PT1H", "P1": "PT2H", "P2": "PT8H", "P3": "PT8H"},
}


def policy(**keys: Any) -> SlaPolicy:
    return SlaPolicy.from_data(PolicyFile.model_validate({**DEFAULT_POLICY_DATA, **keys}))


def ev(at: datetime, event: str, ticket: str = "T-1", **value: str) -> dict[str, Any]:
    return {"ticket": ticket, "at": at, "event": event, **value}


OPENED = ev(nov(23, 14), "opened", priority="P1")


# -- events -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "needle"),
    [
        ({"event": "opened"}, "a 'opened' event needs its priority"),
        ({"event": "status"}, "a 'status' event needs its status"),
        ({"event": "reply"}, "a 'reply' event needs its by"),
        ({"event": "reply", "by": "robot"}, "Input should be 'agent' or 'customer'"),
        ({"event": "resolved", "priority": "P1"}, "a 'resolved' event takes no priority"),
        ({"event": "closed"}, "Input should be 'opened', 'status'"),
        ({"event": "opened", "priority": "P1", "colour": "red"}, "Extra inputs"),
        # A naive time on purpose.
        ({"event": "opened", "priority": "P1", "at": datetime(2026, 11, 23)}, "no time zone"),  # noqa: DTZ001  # naive on purpose
        ({"event": "opened", "priority": "P1", "ticket": ""}, "at least 1 character"),
    ],
)
def test_a_malformed_event_is_refused(fields: dict[str, Any], needle: str) -> None:
    with pytest.raises(ValidationError, match=needle):
        Event.model_validate({"ticket": "T-1", "at": nov(23, 14), **fields})


@pytest.mark.parametrize(
    ("events", "needle"),
    [
        ([ev(nov(23, 13), "status", status="open"), OPENED], "comes before the ticket opened"),
        ([ev(nov(23, 13), "resolved")], "the history has no 'opened' event"),
        ([OPENED, ev(nov(23, 15), "opened", priority="P1")], "a second 'opened'"),
        (
            [OPENED, ev(nov(23, 15), "resolved"), ev(nov(23, 16), "resolved")],
            "'resolved' twice without a 'reopened' between",
        ),
        ([OPENED, ev(nov(23, 15), "reopened")], "'reopened' on a ticket that is not resolved"),
    ],
)
def test_a_history_that_breaks_a_rule_names_the_ticket_and_the_event(
    events: list[dict[str, Any]], needle: str
) -> None:
    with pytest.raises(TicketError, match=needle) as info:
        metric_statuses(policy(), events, nov(30, 12))
    assert "ticket 'T-1': event " in str(info.value)


def test_the_rules_hold_after_now_too() -> None:
    """Resolved and reopened after now are not counted, yet the rules still see them."""
    later = [OPENED, ev(nov(24, 10), "resolved"), ev(nov(24, 11), "reopened")]
    (row,) = metric_statuses(policy(), later, nov(23, 16))
    assert (row.state, row.used) == ("running", timedelta(hours=2))


def test_an_unknown_priority_is_an_error() -> None:
    with pytest.raises(UnknownPriorityError, match="P9"):
        metric_statuses(policy(), [ev(nov(23, 14), "opened", priority="P9")], nov(23, 15))


def test_a_ticket_opened_after_now_has_no_rows_yet() -> None:
    assert metric_statuses(policy(), [OPENED], nov(23, 13)) == []


# -- laws on the resolution row -----------------------------------------------------------------


def test_non_pausing_statuses_give_the_ticket_without_pauses() -> None:
    events = [
        OPENED,
        ev(nov(23, 15), "status", status="open"),
        ev(nov(24, 9), "status", status="x"),
    ]
    (row,) = metric_statuses(policy(), events, nov(25, 12))
    status = policy().status(Ticket(opened_at=nov(23, 14), priority="P1"), nov(25, 12))
    assert (row.state, row.due_at, row.used) == (status.state, status.due_at, status.used)


def test_paused_statuses_give_the_ticket_with_those_pauses() -> None:
    events = [
        OPENED,
        ev(nov(23, 15), "status", status="pending"),
        ev(nov(24, 10), "status", status="open"),
    ]
    (row,) = metric_statuses(policy(), events, nov(25, 12))
    ticket = Ticket(
        opened_at=nov(23, 14), priority="P1", pauses=[{"start": nov(23, 15), "end": nov(24, 10)}]
    )
    status = policy().status(ticket, nov(25, 12))
    assert (row.state, row.due_at, row.used) == (status.state, status.due_at, status.used)
    assert row.elapsed == timedelta(hours=1) + (nov(25, 12) - nov(24, 10))


def test_a_status_at_the_opening_instant_pauses_from_the_start() -> None:
    events = [OPENED, ev(nov(23, 14), "status", status="waiting_on_customer")]
    (row,) = metric_statuses(policy(), events, nov(23, 17))
    assert (row.state, row.used) == ("paused", timedelta(0))


# -- policy keys --------------------------------------------------------------------------------


def test_first_response_stops_at_the_first_agent_reply() -> None:
    events = [
        OPENED,
        ev(nov(23, 15), "reply", by="customer"),
        ev(nov(23, 15, 30), "reply", by="agent"),
        ev(nov(23, 16), "reply", by="agent"),
    ]
    rows = metric_statuses(policy(metrics=[FIRST_RESPONSE]), events, nov(24, 12))
    assert [(r.metric, r.state, r.used) for r in rows] == [
        ("first_response", "met", timedelta(hours=1, minutes=30))
    ]


def test_a_priority_without_a_metric_target_has_no_row() -> None:
    only_p0 = {**FIRST_RESPONSE, "targets": {"P0": "PT1H"}}
    rows = metric_statuses(policy(metrics=[only_p0, {"name": "resolution"}]), [OPENED], nov(24, 9))
    assert [r.metric for r in rows] == ["resolution"]


def test_warn_at_turns_at_risk_at_the_first_share() -> None:
    rows = metric_statuses(policy(warn_at=[0.5, 0.9]), [OPENED], nov(24, 10))  # 5 h of 12
    assert rows[0].state == "running"
    rows = metric_statuses(policy(warn_at=[0.5, 0.9]), [OPENED], nov(24, 11))  # 6 h of 12
    assert rows[0].state == "at_risk"


def test_a_negative_offset_escalates_before_the_deadline() -> None:
    ladder = [{"name": "heads-up", "offset_hours": -2}, {"name": "late", "offset_hours": 0}]
    rows = metric_statuses(policy(escalation=ladder), [OPENED], nov(24, 15, 1))  # 10 h 1 min
    assert (rows[0].state, rows[0].escalation_level, rows[0].escalation) == (
        "at_risk",
        1,
        "heads-up",
    )


def test_a_p0_counted_round_the_clock(tmp_path: Path) -> None:
    """A priority's own calendar: P0 on 24x7, opened Friday 17:00, due at 21:00."""
    (tmp_path / "always.toml").write_text('[hours]\nmon-sun = "00:00-24:00"\n', encoding="utf-8")
    policy_path = tmp_path / "policy.toml"
    policy_path.write_text(
        '[[priorities]]\ncode = "P0"\ntarget_hours = 4\ncalendar = "always.toml"\n\n'
        '[[priorities]]\ncode = "P1"\ntarget_hours = 12\n',
        encoding="utf-8",
    )
    loaded = SlaPolicy.from_file(policy_path)
    events = [ev(nov(27, 17), "opened", priority="P0")]
    (row,) = metric_statuses(loaded, events, nov(27, 20))
    assert (row.due_at, row.used) == (nov(27, 21), timedelta(hours=3))
    assert SlaPolicy.from_data(loaded.to_data()) == loaded


@pytest.mark.parametrize(
    ("keys", "needle"),
    [
        ({"on_reopen": "again"}, "Input should be 'continue' or 'restart'"),
        ({"warn_at": [0.9, 0.5]}, "increasing"),
        ({"warn_at": [0, 0.5]}, "shares in (0, 1]"),
        ({"warn_at": []}, "at least 1 item"),
        ({"metrics": [{"name": "next_reply", "targets": {}}]}, "'first_response' or 'resolution'"),
        ({"metrics": [{"name": "first_response"}]}, "needs targets"),
        ({"metrics": [{"name": "resolution"}, {"name": "resolution"}]}, "defined twice"),
        ({"metrics": [{"name": "resolution", "targets": {"P0": "P1D"}}]}, "counts days of 24"),
        ({"metrics": [{"name": "resolution", "targets": {"P0": -5}}]}, "positive duration"),
        ({"metrics": [{"name": "resolution", "pause": "yes"}]}, "valid boolean"),
        ({"paused_statuses": "pending"}, "valid list"),
    ],
)
def test_bad_metric_keys_are_refused(keys: dict[str, Any], needle: str) -> None:
    with pytest.raises(ValidationError, match=needle.replace("(", r"\(").replace(")", r"\)")):
        PolicyFile.model_validate({**DEFAULT_POLICY_DATA, **keys})


def test_a_missing_calendar_file_names_the_field(tmp_path: Path) -> None:
    path = tmp_path / "policy.toml"
    path.write_text(
        '[[priorities]]\ncode = "P0"\ntarget_hours = 4\ncalendar = "nowhere.toml"\n',
        encoding="utf-8",
    )
    with pytest.raises(PolicyConfigError, match=r"priorities\.0\.calendar: .*nowhere\.toml"):
        SlaPolicy.from_file(path)
