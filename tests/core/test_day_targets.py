"""Targets in business days: the worked examples, the budget rule, files and bad values.

The default calendar: São Paulo, Mon-Fri 09:00-18:00, Brazil's public holidays; Friday
2026-11-20 (Consciência Negra) is one. See docs/business-days.md.
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import numpy as np
import pytest

from sla_clock import (
    BusinessCalendar,
    DayTargetError,
    Pause,
    PolicyConfigError,
    Priority,
    PriorityChange,
    SlaPolicy,
    Ticket,
)
from sla_clock.bulk import status_many_us
from support import call, nov, sp

P2_DAYS = Priority(code="P2", target_business_days=5, name_en="Medium", name_pt="Média")
NEXT_DAY = Priority(
    code="NBD", target_business_days=1, end_of_day=True, name_en="Next", name_pt="Próximo"
)
TODAY = Priority(code="EOD", target_business_days=0, end_of_day=True, name_en="E", name_pt="E")
HOURS = Priority(code="P0", target=timedelta(hours=4), name_en="Highest", name_pt="Altíssima")
POLICY = SlaPolicy.default().model_copy(update={"priorities": (HOURS, P2_DAYS, NEXT_DAY, TODAY)})


def test_p2_as_five_business_days_skips_the_holiday_and_the_weekend() -> None:
    """Thu 10:00 + 5 business days (Fri 20 a holiday) is Fri 27 10:00: 45 business hours."""
    assert POLICY.due_at(nov(19, 10), "P2") == nov(27, 10)
    assert POLICY.budget(nov(19, 10), "P2") == timedelta(hours=45)


def test_end_of_next_business_day_from_a_friday() -> None:
    """Opened Friday 27 at 16:00: due at Monday 30's close."""
    assert POLICY.due_at(nov(27, 16), "NBD") == nov(30, 18)
    assert POLICY.budget(nov(27, 16), "NBD") == timedelta(hours=11)


def test_a_ticket_opened_after_hours_starts_at_the_next_opening() -> None:
    """Opened Fri 27 at 20:00: the clock starts Mon 30 09:00, so the next day is Tue Dec 1.

    Five days name Mon Dec 7 09:00, an opening: the budget (45 h) runs out at the close
    before it, Fri Dec 4 18:00, as an hour target's deadline does (docs/business-days.md).
    """
    assert POLICY.due_at(nov(27, 20), "NBD") == sp(2026, 12, 1, 18)
    assert POLICY.budget(nov(27, 20), "P2") == timedelta(hours=45)
    assert POLICY.due_at(nov(27, 20), "P2") == sp(2026, 12, 4, 18)


def test_zero_days_to_the_end_of_day_is_todays_close() -> None:
    assert POLICY.due_at(nov(23, 10, 30), "EOD") == nov(23, 18)
    assert POLICY.budget(nov(23, 10, 30), "EOD") == timedelta(hours=7, minutes=30)


def test_across_carnival_with_the_optional_days() -> None:
    """Fri 2027-02-05 + 5 days: Feb 12 normally; Feb 17 when Carnival (8-10) is closed too."""
    carnival = BusinessCalendar.create(categories=["public", "optional"])
    assert POLICY.due_at(sp(2027, 2, 5, 10), "P2") == sp(2027, 2, 12, 10)
    assert POLICY.with_calendar(carnival).due_at(sp(2027, 2, 5, 10), "P2") == sp(2027, 2, 17, 10)


def test_a_target_day_that_closes_before_the_wall_time_ends_at_its_close() -> None:
    """Dec 24 open 09:00-12:00 only: 1 day from Wed 23 at 15:00 is Dec 24 at 12:00."""
    cal = BusinessCalendar.default().with_day_hours({sp(2026, 12, 24).date(): "09:00-12:00"})
    policy = POLICY.with_calendar(cal)
    one_day = Priority(code="D1", target_business_days=1, name_en="d", name_pt="d")
    policy = policy.model_copy(update={"priorities": (one_day,)})
    assert policy.due_at(sp(2026, 12, 23, 15), "D1") == sp(2026, 12, 24, 12)


def test_a_target_day_that_opens_after_the_wall_time_is_reached_at_the_close_before() -> None:
    """Thu Dec 3 open 14:00-18:00 only: 1 day from Wed 2 at 10:00 names Thu 10:00, which is
    closed, so the budget (8 h) runs out at Wed 18:00, as docs/business-days.md says."""
    cal = BusinessCalendar.default().with_day_hours({sp(2026, 12, 3).date(): "14:00-18:00"})
    one_day = Priority(code="D1", target_business_days=1, name_en="d", name_pt="d")
    policy = SlaPolicy(priorities=(one_day,), calendar=cal)
    assert policy.budget(sp(2026, 12, 2, 10), "D1") == timedelta(hours=8)
    assert policy.due_at(sp(2026, 12, 2, 10), "D1") == sp(2026, 12, 2, 18)


def test_a_pause_moves_the_deadline_by_the_business_time_it_paused() -> None:
    """A pause of Monday 23's whole day moves the P2 deadline one business day later."""
    pause = Pause(start=nov(23, 9), end=nov(23, 18))
    ticket = Ticket(opened_at=nov(19, 10), priority="P2", pauses=(pause,))
    status = POLICY.status(ticket, nov(27, 12))
    assert status.due_at == nov(30, 10)
    assert status.target == timedelta(hours=45)
    assert status.state.value == "at_risk"  # 37 of 45 hours used, past 75 %


def test_escalation_counts_after_the_day_budget() -> None:
    """Team leaders at the deadline, coordination 4 business hours after it."""
    ticket = Ticket(opened_at=nov(19, 10), priority="P2")  # due Fri 27 10:00
    assert POLICY.status(ticket, nov(27, 10)).escalation_level == 0
    late = POLICY.status(ticket, nov(27, 11))
    assert late.state.value == "breached"
    assert late.escalation_level == 1
    assert POLICY.status(ticket, nov(27, 14)).escalation_level == 1
    assert POLICY.status(ticket, nov(27, 14, 1)).escalation_level == 2


def test_a_priority_change_to_a_day_target_counts_from_the_opening() -> None:
    """P0 raised... lowered to P2 on Monday: recompute gives P2's budget from Thursday."""
    change = PriorityChange(at=nov(23, 12), priority="P2")
    ticket = Ticket(opened_at=nov(19, 10), priority="P0", priority_changes=(change,))
    assert POLICY.status(ticket, nov(24, 10)).due_at == nov(27, 10)
    restart = POLICY.model_copy(update={"priority_change": "restart"})
    assert restart.status(ticket, nov(24, 10)).due_at == sp(2026, 11, 30, 12)


def test_the_vectorised_status_gives_each_ticket_its_own_budget() -> None:
    cal = POLICY.calendar
    opened = np.array([cal.to_us(nov(19, 10)), cal.to_us(nov(27, 16)), cal.to_us(nov(23, 9))])
    cols = status_many_us(POLICY, opened, np.array(["P2", "nbd", "P0"]), cal.to_us(nov(30, 12)))
    assert [cal.from_us(int(due)) for due in cols.due] == [nov(27, 10), nov(30, 18), nov(23, 13)]
    assert cols.target.tolist() == [45 * 3600 * 10**6, 11 * 3600 * 10**6, 4 * 3600 * 10**6]
    assert cols.state.tolist() == ["breached", "running", "breached"]


def test_target_of_a_day_priority_says_to_ask_for_the_budget() -> None:
    with pytest.raises(DayTargetError, match=r"5 business days.*budget\(opened_at, code\)"):
        POLICY.target("P2")
    assert POLICY.budget(nov(24, 17, 30), "P0") == timedelta(hours=4) == POLICY.target("P0")


# -- files ------------------------------------------------------------------------------------


def policy_file(tmp_path: Path, priority: str) -> Path:
    path = tmp_path / "policy.toml"
    path.write_text(f'[[priorities]]\ncode = "A"\n{priority}\n', encoding="utf-8")
    return path


def test_a_file_with_a_day_target_round_trips(tmp_path: Path) -> None:
    path = policy_file(tmp_path, "target_business_days = 1\nend_of_day = true")
    policy = SlaPolicy.from_file(path)
    assert policy.priority("A").target_business_days == 1
    assert policy.priority("A").end_of_day is True
    assert SlaPolicy.from_data(policy.to_data()) == policy
    assert policy.due_at(nov(27, 16), "A") == nov(30, 18)


@pytest.mark.parametrize(
    ("priority", "needle"),
    [
        ("target_business_days = 0", "end_of_day = true for 'by the end of the day'"),
        ("end_of_day = true\ntarget_hours = 4", "end_of_day applies to a target in business days"),
        ("target_hours = 4\ntarget_business_days = 5", "exactly one of target, target_hours or"),
        ("target_business_days = -1", "greater than or equal to 0"),
        ("target_business_days = 10001", "less than or equal to 10000"),
        ("target_business_days = 2.5", "target_business_days: Input should be a valid integer"),
        ("target_business_days = true", "target_business_days: Input should be a valid integer"),
        ('target_business_days = "5"', "target_business_days: Input should be a valid integer"),
        ("target_business_days = 5\nend_of_day = 1", "end_of_day: Input should be a valid bool"),
        ("target_business_days = inf", "target_business_days: Input should be a valid integer"),
        ('target = "P5D"', "write target_business_days = 5 instead of target"),
    ],
)
def test_bad_day_targets_are_refused_with_the_fix(
    tmp_path: Path, priority: str, needle: str
) -> None:
    with pytest.raises(PolicyConfigError) as info:
        SlaPolicy.from_file(policy_file(tmp_path, priority))
    assert needle in str(info.value)
    assert str(info.value).startswith(f"{tmp_path / 'policy.toml'}: bad field priorities.0")


def test_a_json_file_takes_the_same_keys(tmp_path: Path) -> None:
    path = tmp_path / "policy.json"
    document = {"priorities": [{"code": "A", "target_business_days": 5}]}
    path.write_text(json.dumps(document), encoding="utf-8")
    assert SlaPolicy.from_file(path).due_at(nov(19, 10), "A") == nov(27, 10)


# -- the command line ---------------------------------------------------------------------------


def day_policy_file(tmp_path: Path) -> str:
    path = tmp_path / "days.toml"
    path.write_text(
        '[[priorities]]\ncode = "P2"\ntarget_business_days = 5\n\n'
        '[[priorities]]\ncode = "NBD"\nname_pt = "Próximo dia útil"\n'
        "target_business_days = 1\nend_of_day = true\n",
        encoding="utf-8",
    )
    return str(path)


def test_policy_shows_day_targets_in_both_languages(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = day_policy_file(tmp_path)
    status, out, _ = call(capsys, "policy", "--policy", path)
    assert status == 0
    assert "5 business days" in out
    assert "1 business day (end of day)" in out
    status, out, _ = call(capsys, "policy", "--policy", path, "--lang", "pt")
    assert "5 dias úteis" in out
    assert "1 dia útil (fim do dia)" in out


def test_due_and_explain_with_a_day_target(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = day_policy_file(tmp_path)
    status, out, err = call(capsys, "due", "P2", "--opened", "2026-11-19 10:00", "--policy", path)
    assert (status, out, err) == (0, "2026-11-27T10:00:00-03:00\n", "")
    args = ("due", "NBD", "--opened", "27/11/2026 16:00", "--policy", path, "--json")
    status, out, _ = call(capsys, *args)
    data = json.loads(out)
    assert (data["due_at"], data["target_seconds"]) == ("2026-11-30T18:00:00-03:00", 39600)
    status, out, _ = call(
        capsys, "due", "P2", "--opened", "2026-11-19 10:00", "--policy", path, "--explain"
    )
    lines = out.splitlines()
    assert status == 0
    assert lines[0].endswith("target 5 business days")
    assert lines[-2] == "due:       Fri 2026-11-27 10:00"
