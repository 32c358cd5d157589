"""Hostile inputs for desks that move zone: DST-close moves, the dateline, far years, CLI.

Answers are checked against the day-walking reference (``tests/reference.py``) or by hand.
Pago Pago is -11 and Kiritimati +14 all year: a move east between them skips 25 hours of
wall time (a whole date never happens), a move west repeats 25 hours.
"""

from __future__ import annotations

import json
import pickle
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from reference import US_PER_HOUR, reference_for, to_us
from sla_clock import BusinessCalendar, CalendarConfigError, Priority, SlaPolicy
from sla_clock.bulk import add_many_us
from sla_clock.bulk._wall import localize_many_us, utc_offsets_us
from sla_clock.cli import main
from sla_clock.explain import explain_due
from sla_clock.replay import calendar_as_of

PAGO = ZoneInfo("Pacific/Pago_Pago")
KIRI = ZoneInfo("Pacific/Kiritimati")
ALWAYS = {"mon-sun": "00:00-24:00"}


def desk(
    zone: str, *moves: tuple[date, str], hours: dict[str, str] | None = None
) -> BusinessCalendar:
    """A desk without country holidays in ``zone`` that moves at each ``(date, zone)``."""
    calendar = BusinessCalendar.create(timezone=zone, country=None, hours=hours or ALWAYS)
    for start, to in moves:
        calendar = calendar.with_version(start, timezone=to)
    return calendar


def assert_like_reference(calendar: BusinessCalendar, around: datetime, hours: int = 72) -> None:
    """``elapsed``, ``add`` (both ways), ``is_open`` and ``next_open`` agree with the reference
    on a 45-minute grid of ``hours`` either side of ``around``."""
    ref = reference_for(calendar)
    centre, step = to_us(around), 45 * 60 * 1_000_000
    for t in range(centre - hours * US_PER_HOUR, centre + hours * US_PER_HOUR, 7 * step):
        assert calendar.elapsed_us(t, t + 40 * step) == ref.elapsed(t, t + 40 * step)
        assert calendar.add_us(t, 13 * step) == ref.add(t, 13 * step)
        assert calendar.add_us(t, -13 * step) == ref.add(t, -13 * step)
        assert calendar.is_open(calendar.from_us(t)) == ref.is_open(t)
        assert calendar.to_us(calendar.next_open(calendar.from_us(t))) == ref.next_open(t)


# -- regression: the engine against the reference ---------------------------------------------

MOVES = [
    # two days from a DST change of either zone (closer is refused)
    ("America/New_York", date(2027, 3, 12), "Europe/Lisbon", None),
    (
        "Europe/Lisbon",
        date(2027, 10, 29),
        "America/New_York",
        {"mon-sun": "00:00-02:00,22:00-24:00"},
    ),
    ("Australia/Lord_Howe", date(2027, 4, 6), "Asia/Kathmandu", None),  # 30-minute DST
    ("Asia/Kathmandu", date(2027, 10, 5), "Australia/Lord_Howe", {"mon-fri": "09:00-18:00"}),
    # New Year, both directions, across the dateline
    ("Pacific/Pago_Pago", date(2028, 1, 1), "Pacific/Kiritimati", None),
    ("Pacific/Kiritimati", date(2027, 12, 31), "Pacific/Pago_Pago", None),
    ("America/Sao_Paulo", date(2027, 1, 2), "Asia/Tokyo", {"mon-sun": "23:00-24:00"}),
]


@pytest.mark.parametrize(("zone", "start", "to", "hours"), MOVES)
def test_moves_near_dst_and_new_year_agree_with_the_reference(
    zone: str, start: date, to: str, hours: dict[str, str] | None
) -> None:
    calendar = desk(zone, (start, to), hours=hours)
    assert_like_reference(
        calendar, datetime(start.year, start.month, start.day, tzinfo=ZoneInfo(to))
    )


def test_three_moves_away_and_back_with_an_override_on_a_switch_date() -> None:
    calendar = desk(
        "America/Sao_Paulo",
        (date(2027, 3, 1), "Pacific/Kiritimati"),
        (date(2027, 3, 8), "Pacific/Pago_Pago"),
        (date(2027, 3, 15), "America/Sao_Paulo"),
    ).with_day_hours({date(2027, 3, 8): "00:00-03:00", date(2027, 3, 15): ""})
    for day in (1, 8, 15):
        assert_like_reference(calendar, datetime(2027, 3, day, tzinfo=calendar.zone), hours=36)


def test_a_date_skipped_by_a_move_east_is_no_business_day() -> None:
    """Pago Pago to Kiritimati from Wed 3 March: Pago's Mon 23:00 is Kiritimati's Wed 00:00,
    so Tuesday 2 March never happens on the desk's clock."""
    calendar = desk("Pacific/Pago_Pago", (date(2027, 3, 3), "Pacific/Kiritimati"))
    assert not calendar.is_business_day(date(2027, 3, 2))
    assert calendar.add_business_days(date(2027, 3, 1), 1) == date(2027, 3, 3)
    assert calendar.business_days_between(date(2027, 2, 28), date(2027, 3, 5)) == 4
    monday = datetime(2027, 3, 1, 10, tzinfo=PAGO)
    assert calendar.add(monday, timedelta(hours=14)) == datetime(2027, 3, 3, 1, tzinfo=KIRI)


def test_vectorised_wall_times_and_offsets_match_the_scalar_clock() -> None:
    calendar = desk(
        "Pacific/Kiritimati",
        (date(2027, 1, 1), "Pacific/Pago_Pago"),
        (date(2027, 2, 1), "Asia/Tokyo"),
    )
    hour = US_PER_HOUR
    firsts = (datetime(2026, 12, 29), datetime(2027, 1, 29))  # noqa: DTZ001 (wall times on purpose)
    walls = [first + timedelta(minutes=30 * i) for first in firsts for i in range(48 * 6)]
    naive = np.array([to_us(w.replace(tzinfo=ZoneInfo("UTC"))) for w in walls], dtype=np.int64)
    scalar = np.array([calendar.to_us(calendar.localize(w)) for w in walls], dtype=np.int64)
    assert localize_many_us(calendar, naive).tolist() == scalar.tolist()
    utc = ZoneInfo("UTC")
    offsets = [to_us(calendar.from_us(int(u)).replace(tzinfo=utc)) - int(u) for u in scalar]
    assert utc_offsets_us(calendar, scalar).tolist() == offsets
    due = add_many_us(calendar, scalar, np.full(scalar.shape, 30 * hour))
    assert due.tolist() == [calendar.add_us(int(u), 30 * hour) for u in scalar]


def test_a_desk_of_three_moves_pickles_hashes_and_round_trips() -> None:
    calendar = desk(
        "America/Sao_Paulo",
        (date(2027, 3, 1), "Asia/Tokyo"),
        (date(2027, 3, 8), "America/Sao_Paulo"),
        (date(2027, 3, 15), "Pacific/Kiritimati"),
    )
    back = pickle.loads(pickle.dumps(calendar))
    assert (back, hash(back), back.zone) == (calendar, hash(calendar), calendar.zone)
    assert BusinessCalendar.from_data(calendar.to_data()) == calendar
    assert calendar_as_of(calendar, date(2027, 3, 10)).zone == ZoneInfo("America/Sao_Paulo")


@pytest.mark.parametrize(
    "value", ['""', "3", '"localtime"', '"europe/lisbon"', "[]", '"posix/UTC"']
)
def test_the_cli_refuses_a_version_in_no_zone_with_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], value: str
) -> None:
    path = tmp_path / "c.toml"
    path.write_text(f'[[versions]]\nfrom = "2027-03-01"\ntimezone = {value}\n', encoding="utf-8")
    args = ["due", "P1", "--opened", "2027-02-26 17:00", "--calendar", str(path)]
    for extra in ([], ["--tz", "Europe/Lisbon"]):
        assert main([*args, *extra]) == 2
        assert "timezone" in capsys.readouterr().err


def test_tz_that_puts_two_versions_out_of_order_is_an_error_not_a_crash(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """São Paulo with hours from 1 March and Kiritimati from 2 March is fine; ``--tz`` Pago
    Pago makes Kiritimati's 2 March start before Pago Pago's 1 March."""
    path = tmp_path / "c.toml"
    path.write_text(
        '[holidays]\ncountry = "none"\n[[versions]]\nfrom = "2027-03-01"\n'
        'hours = {mon-fri = "08:00-17:00"}\n[[versions]]\nfrom = "2027-03-02"\n'
        'timezone = "Pacific/Kiritimati"\n',
        encoding="utf-8",
    )
    args = ["due", "P1", "--opened", "2027-02-26 17:00", "--calendar", str(path)]
    assert main(args) == 0
    assert main([*args, "--tz", "Pacific/Pago_Pago"]) == 2
    assert "comes before the version from 2027-03-01" in capsys.readouterr().err


# -- bugs: far years ----------------------------------------------------------------------------


def test_a_move_in_year_2_builds_and_answers() -> None:
    """Years 2-9997 are answered without country holidays, and a move in year 3 works; in
    year 2 ``with_version`` raised OverflowError (the 36-hour check asks for year 1's
    transitions, whose first instant is in year 0 west of Greenwich)."""
    moved = desk("America/Sao_Paulo", (date(2, 3, 1), "Europe/Lisbon"))
    opened = datetime(2, 6, 1, 10, tzinfo=ZoneInfo("Europe/Lisbon"))
    assert moved.add(opened, timedelta(hours=5)) == opened + timedelta(hours=5)


def test_a_move_on_the_first_date_is_refused_cleanly_or_built() -> None:
    try:  # ValueError 'year 0 is out of range' before
        moved = desk("Pacific/Pago_Pago", (date(1, 1, 1), "Pacific/Kiritimati"))
    except CalendarConfigError:
        return
    assert moved.year_range == (2, 9997)


@pytest.mark.parametrize("start", [date(9999, 12, 30), date(9999, 12, 31)])
def test_a_move_after_the_last_year_leaves_earlier_questions_alone(start: date) -> None:
    """A version far after the years answered changes nothing before it; its moving desk
    raised OverflowError on every question (``start + 2 days`` past ``date.max``)."""
    moved = desk("America/Sao_Paulo", (start, "Europe/Lisbon"), hours={"mon-fri": "09:00-18:00"})
    opened = datetime(2027, 2, 26, 17, tzinfo=ZoneInfo("America/Sao_Paulo"))
    assert moved.add(opened, timedelta(hours=4)) == datetime(2027, 3, 1, 12, tzinfo=opened.tzinfo)


@pytest.mark.parametrize(
    ("start", "code"), [("0002-03-01", 0), ("9999-12-31", 0), ("0001-01-01", 2)]
)
def test_the_cli_never_reports_an_internal_error_for_a_far_move(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], start: str, code: int
) -> None:
    path = tmp_path / "c.toml"
    path.write_text(
        f'[[versions]]\nfrom = "{start}"\ntimezone = "Europe/Lisbon"\n', encoding="utf-8"
    )
    rc = main(["due", "P1", "--opened", "2027-02-26 17:00", "--calendar", str(path)])
    assert "internal error" not in capsys.readouterr().err
    assert rc in {0, code}


#: Round the clock in Pago Pago, then Kiritimati from Wed 3 March 2027: Tuesday never
#: happens, and Monday ends at the move (Mon 23:00 Pago Pago = Wed 00:00 Kiritimati).
SKIPPING = desk("Pacific/Pago_Pago", (date(2027, 3, 3), "Pacific/Kiritimati"))
MOVE = datetime(2027, 3, 3, tzinfo=KIRI)
DAY_TARGETS = SlaPolicy(
    priorities=(
        Priority(code="E0", target_business_days=0, end_of_day=True, name_en="e", name_pt="e"),
        Priority(code="D1", target_business_days=1, name_en="d", name_pt="d"),
    ),
    calendar=SKIPPING,
)


def test_end_of_day_is_the_move_when_the_next_date_is_skipped() -> None:
    """'By the end of today' for Monday 10:00 is the end of Monday on the desk's clock: the
    move (13 h later). It was 01:00 on Wednesday (14 h): Tuesday's 00:00 is read forward by
    the gap, an hour past the move (``wall_to_us(day + 1, 0)`` instead of ``day_start_us``)."""
    opened = datetime(2027, 3, 1, 10, tzinfo=PAGO)
    assert DAY_TARGETS.due_at(opened, "E0") == MOVE
    assert DAY_TARGETS.budget(opened, "E0") == timedelta(hours=13)


def test_same_wall_time_on_a_date_cut_short_by_the_move_is_capped_at_its_end() -> None:
    """Sunday 23:30 + 1 business day: Monday 23:30 never happens (Monday ends at 23:00 Pago
    Pago, the move), so the deadline is Monday's last close, the move; it was 00:30 Wed."""
    opened = datetime(2027, 2, 28, 23, 30, tzinfo=PAGO)
    assert DAY_TARGETS.due_at(opened, "D1") == MOVE


def _rows_keep_to_their_date(calendar: BusinessCalendar, opened: datetime, hours: int) -> None:
    due, days = explain_due(calendar, opened, timedelta(hours=hours))
    assert sum((d.consumed for d in days), timedelta()) == timedelta(hours=hours)
    for day in days:
        for start, end in day.periods:
            last = calendar.from_us(calendar.to_us(end) - 1)
            assert (start.date(), last.date()) == (day.day, day.day), (day.day, start, end)
    assert calendar.to_us(days[-1].periods[-1][1]) == calendar.to_us(due)


def test_explain_cuts_the_days_at_the_move_east() -> None:
    """Monday's row held Wednesday 00:00-01:00 (14 h), and Wednesday's started at 01:00."""
    _rows_keep_to_their_date(SKIPPING, datetime(2027, 3, 1, 10, tzinfo=PAGO), 40)


def test_explain_cuts_the_days_at_the_move_west() -> None:
    """Kiritimati to Pago Pago from Wed 3 March: Kiritimati reaches Thu 4 March 01:00, then
    the clock reads Wed 3 March 00:00 in Pago Pago. One row dated Thursday ran from
    Kiritimati's Thursday 00:00 to Pago Pago's Wednesday 01:00 (2 h shown as 00:00-01:00)."""
    west = desk("Pacific/Kiritimati", (date(2027, 3, 3), "Pacific/Pago_Pago"))
    _rows_keep_to_their_date(west, datetime(2027, 3, 2, 10, tzinfo=KIRI), 40)


def test_explain_names_the_old_rules_for_a_date_counted_before_the_move_west(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Kiritimati's whole Wednesday 3 March comes before the version from 3 March starts
    (00:00 in Pago Pago, 25 h later): its row was labelled 'from Wed 2027-03-03' because
    the label looks up ``version_on(date)``, not the version in force at the instants."""
    path = tmp_path / "c.toml"
    path.write_text(
        'timezone = "Pacific/Kiritimati"\n[holidays]\ncountry = "none"\n[hours]\n'
        'mon-sun = "00:00-24:00"\n[[versions]]\nfrom = "2027-03-03"\n'
        'timezone = "Pacific/Pago_Pago"\n',
        encoding="utf-8",
    )
    args = ["due", "P1", "--opened", "2027-03-02 20:00", "--explain", "--json"]
    assert main([*args, "--calendar", str(path)]) == 0
    days = json.loads(capsys.readouterr().out)["days"]
    wednesday = days[1]  # 12 h from Tuesday 20:00: Wednesday to 08:00, all in Kiritimati
    assert wednesday["periods"][0]["start"] == "2027-03-03T00:00:00+14:00"
    assert wednesday["rules_from"] is None
