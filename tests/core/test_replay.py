"""Replay (``--rules-as-of``): every ticket under the calendar rules in force on one date."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from sla_clock import BusinessCalendar, Metric, SlaPolicy
from sla_clock.replay import calendar_as_of, rules_as_of
from support import call

SP = ZoneInfo("America/Sao_Paulo")
MARCH = date(2027, 3, 1)
DESK = BusinessCalendar.default().with_version(MARCH, hours={"mon-fri": "08:00-17:00"})


def test_the_rules_of_a_date_apply_before_and_after_it() -> None:
    """As of March, the Friday before counts 08:00-17:00 too: a P0 opened at 17:00 that Friday
    is due Monday 12:00, not 11:00; as of February the new hours never came."""
    opened = datetime(2027, 2, 26, 17, tzinfo=SP)
    assert DESK.add(opened, timedelta(hours=4)) == datetime(2027, 3, 1, 11, tzinfo=SP)
    march = calendar_as_of(DESK, MARCH)
    assert march.versions == ()
    assert march.add(opened, timedelta(hours=4)) == datetime(2027, 3, 1, 12, tzinfo=SP)
    february = calendar_as_of(DESK, date(2027, 2, 1))
    assert february == BusinessCalendar.default()
    assert calendar_as_of(BusinessCalendar.default(), MARCH) is BusinessCalendar.default()


def test_every_calendar_of_a_policy_is_replayed() -> None:
    """The policy's calendar, a priority's own (a P0 counted 24x7) and a metric's."""
    default = SlaPolicy.default()
    priorities = tuple(
        p.model_copy(update={"calendar": DESK}) if p.code == "P0" else p for p in default.priorities
    )
    own = [m.model_copy(update={"calendar": DESK}) for m in default.metrics]
    metrics = (*own, Metric(name="first_response", targets={"P1": timedelta(hours=1)}))
    policy = default.model_copy(
        update={"calendar": DESK, "priorities": priorities, "metrics": metrics}
    )
    replayed = rules_as_of(policy, MARCH)
    assert replayed.calendar.versions == ()
    assert next(p for p in replayed.priorities if p.code == "P0").calendar.versions == ()  # type: ignore[union-attr]  # (set above)
    assert all(m.calendar is None or m.calendar.versions == () for m in replayed.metrics)
    assert replayed.calendar.day_hours(date(2026, 11, 24)) == ["08:00-17:00"]


def test_batch_rules_as_of(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    calendar = tmp_path / "desk.toml"
    calendar.write_text(
        '[[versions]]\nfrom = "2027-03-01"\n[versions.hours]\nmon-fri = "08:00-17:00"\n',
        encoding="utf-8",
    )
    tickets = tmp_path / "t.csv"
    tickets.write_text("id,priority,opened\nT-1,P0,2027-02-26 17:00\n", encoding="utf-8")
    base = ["batch", str(tickets), "--now", "2027-03-10 12:00", "--calendar", str(calendar)]
    _, today, _ = call(capsys, *base)
    _, replayed, _ = call(capsys, *base, "--rules-as-of", "01/03/2027")
    assert ",2027-03-01T11:00:00-03:00," in today
    assert ",2027-03-01T12:00:00-03:00," in replayed
    for bad in ("2027-02-30", "", "yesterday", "99999-01-01"):
        status, out, err = call(capsys, *base, "--rules-as-of", bad)
        assert (status, out) == (2, "")
        assert len(err.strip().splitlines()) == 1
        assert "Traceback" not in err
    status, _, _ = call(capsys, *base, "--rules-as-of", "9999-12-31")  # a far date: its rules
    assert status == 0
