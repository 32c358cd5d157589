"""Calendar versions that move the desk to another zone (issue 14).

A version with ``timezone`` starts at 00:00 of its date in its new zone; the calendar's clock
follows the old zone before that instant and the new one from it. The property tests of the
engine draw such calendars (``tests/strategies.versioned``) against the day-walking
reference; these are the worked examples, the clock's own rules and the bad values.
"""

from __future__ import annotations

import json
import pickle
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from reference import reference_for, to_us
from sla_clock import BusinessCalendar, CalendarConfigError, SlaPolicy, Ticket
from sla_clock._versioned_zone import VersionedZone, day_start_us, zone_transitions
from sla_clock.cli import main
from sla_clock.parsing import parse_instant
from sla_clock.replay import calendar_as_of

SP = ZoneInfo("America/Sao_Paulo")
LISBON = ZoneInfo("Europe/Lisbon")
TOKYO = ZoneInfo("Asia/Tokyo")
MARCH = date(2027, 3, 1)  # a Monday
#: São Paulo's desk moves to Lisbon from Monday 1 March 2027, hours 09:00-18:00 in both.
MOVED = BusinessCalendar.create(country=None).with_version(MARCH, timezone="Europe/Lisbon")


def test_a_ticket_across_the_move_counts_each_part_in_its_own_zone() -> None:
    """Opened Friday 26 February 17:00 in São Paulo, 4 business hours: 1 h on Friday
    (17:00-18:00 -03), 3 h on Monday in Lisbon (09:00-12:00 +00)."""
    opened = datetime(2027, 2, 26, 17, tzinfo=SP)
    due = MOVED.add(opened, timedelta(hours=4))
    assert due == datetime(2027, 3, 1, 12, tzinfo=LISBON)
    assert due.isoformat() == "2027-03-01T12:00:00+00:00"  # on the desk's clock, in Lisbon
    assert MOVED.elapsed(opened, due) == timedelta(hours=4)
    assert MOVED.is_open(datetime(2027, 3, 1, 9, tzinfo=LISBON))
    assert not MOVED.is_open(datetime(2027, 3, 1, 8, 59, tzinfo=LISBON))  # 05:59 in São Paulo
    assert MOVED.next_open(datetime(2027, 2, 26, 18, tzinfo=SP)).isoformat() == (
        "2027-03-01T09:00:00+00:00"
    )


def test_the_desk_s_clock_shows_each_instant_in_the_zone_in_force() -> None:
    move = to_us(datetime(2027, 3, 1, tzinfo=LISBON))
    assert MOVED.from_us(move - 1).isoformat() == "2027-02-28T20:59:59.999999-03:00"
    assert MOVED.from_us(move).isoformat() == "2027-03-01T00:00:00+00:00"
    assert str(MOVED.zone) == MOVED.timezone == "America/Sao_Paulo"
    assert MOVED.zone.key == "America/Sao_Paulo"
    assert isinstance(MOVED.zone, VersionedZone)
    assert MOVED.zone.zone_at(move) == LISBON
    assert BusinessCalendar.default().zone == SP  # a desk that stays keeps its ZoneInfo


def test_wall_times_skipped_by_a_move_east_move_forward_like_a_dst_gap() -> None:
    """São Paulo (-03) to Lisbon (+00): 21:00-24:00 of Sunday 28 February never happens on
    the desk's clock. Read, a skipped time moves forward by the gap (the offset before it)."""
    skipped = MOVED.localize(datetime(2027, 2, 28, 22, 0))  # noqa: DTZ001 (wall time on purpose)
    assert MOVED.to_us(skipped) == to_us(datetime(2027, 3, 1, 1, tzinfo=LISBON))
    assert skipped.isoformat() == "2027-03-01T01:00:00+00:00"
    assert parse_instant("2027-02-28 22:00", MOVED) == skipped
    before = MOVED.localize(datetime(2027, 2, 28, 20, 59))  # noqa: DTZ001 (wall time)
    assert before.utcoffset() == timedelta(hours=-3)


def test_wall_times_repeated_by_a_move_west_take_the_first() -> None:
    """Lisbon to São Paulo from 1 March, 00:00 São Paulo time (03:00 in Lisbon): 00:00-03:00
    of 1 March happens twice, first in Lisbon, then in São Paulo; a wall time read takes the
    first, as in a fold."""
    back = BusinessCalendar.create(timezone="Europe/Lisbon", country=None).with_version(
        MARCH, timezone="America/Sao_Paulo"
    )
    first = back.localize(datetime(2027, 3, 1, 1, 0))  # noqa: DTZ001 (wall time)
    assert back.to_us(first) == to_us(datetime(2027, 3, 1, 1, tzinfo=LISBON))
    second = back.from_us(to_us(datetime(2027, 3, 1, 1, tzinfo=SP)))
    assert (second.fold, second.utcoffset()) == (1, timedelta(hours=-3))
    assert back.to_us(second) == to_us(datetime(2027, 3, 1, 1, tzinfo=SP))
    assert (first.replace(tzinfo=None), first.fold) == (second.replace(tzinfo=None, fold=0), 0)


def test_a_move_west_counts_the_old_zone_s_early_hours_under_the_old_rules() -> None:
    """A desk open round the clock moving from Tokyo (+09) to São Paulo (-03) on 1 March:
    Tokyo's 1 March 00:00 comes 12 h before São Paulo's, and those 12 h are the old
    version's, counted once."""
    always = {"mon-sun": "00:00-24:00"}
    desk = BusinessCalendar.create(hours=always, timezone="Asia/Tokyo", country=None)
    moved = desk.with_version(MARCH, timezone="America/Sao_Paulo")
    day_before = datetime(2027, 2, 28, tzinfo=TOKYO)
    later = datetime(2027, 3, 2, tzinfo=SP)
    assert moved.elapsed(day_before, later) == later - day_before  # every instant, once
    assert reference_for(moved).elapsed(to_us(day_before), to_us(later)) == to_us(later) - to_us(
        day_before
    )


def test_business_days_and_day_targets_use_the_local_date_in_force() -> None:
    assert MOVED.add_business_days(date(2027, 2, 26), 1) == MARCH
    assert MOVED.business_days_between(date(2027, 2, 26), date(2027, 3, 3)) == 3


def test_one_version_that_names_the_calendar_s_own_zone_changes_nothing() -> None:
    same = BusinessCalendar.default().with_version(MARCH, timezone="America/Sao_Paulo")
    assert same.zone == SP
    opened = datetime(2027, 2, 26, 17, tzinfo=SP)
    assert same.add(opened, timedelta(hours=30)) == BusinessCalendar.default().add(
        opened, timedelta(hours=30)
    )


def test_a_version_moving_east_before_the_one_before_it_starts_is_refused() -> None:
    """Pago Pago (-11) on 1 March, then Kiritimati (+14) on 2 March: Kiritimati's 00:00 of
    the 2nd comes before Pago Pago's of the 1st, so the second version would start first."""
    desk = BusinessCalendar.create(timezone="Pacific/Pago_Pago", country=None)
    desk = desk.with_version(MARCH, hours={"mon-fri": "08:00-17:00"})
    with pytest.raises(CalendarConfigError, match="comes before the version from 2027-03-01"):
        desk.with_version(date(2027, 3, 2), timezone="Pacific/Kiritimati")


@pytest.mark.parametrize("zone", ["Mars/Olympus", "localtime", "", 3, None])
def test_a_version_in_no_zone_is_refused(zone: object) -> None:
    if zone is None:  # None carries the zone over: no error
        assert BusinessCalendar.default().with_version(MARCH, timezone=None).zone == SP
        return
    with pytest.raises(CalendarConfigError, match="timezone"):
        BusinessCalendar.default().with_version(MARCH, timezone=zone)  # type: ignore[arg-type]  # (a bad value)


def test_the_moving_calendar_pickles_and_so_do_its_datetimes() -> None:
    assert pickle.loads(pickle.dumps(MOVED)) == MOVED
    when = MOVED.add(datetime(2027, 2, 26, 17, tzinfo=SP), timedelta(hours=4))
    back = pickle.loads(pickle.dumps(when))
    assert back == when
    assert back.tzinfo == MOVED.zone


def test_the_file_form_moves_the_desk_and_round_trips(tmp_path: Path) -> None:
    path = tmp_path / "moved.toml"
    path.write_text(
        'timezone = "America/Sao_Paulo"\n[holidays]\ncountry = "BR"\n'
        '[hours]\nmon-fri = "09:00-18:00"\n\n'
        '[[versions]]\nfrom = "2027-03-01"\ntimezone = "Europe/Lisbon"\n'
        '[versions.holidays]\ncountry = "PT"\n',
        encoding="utf-8",
    )
    calendar = BusinessCalendar.from_file(path)
    assert calendar.version_on(MARCH).timezone == "Europe/Lisbon"
    assert calendar.day_hours(date(2027, 4, 25)) == []  # Liberty Day (a Sunday in 2027)
    assert calendar.day_hours(date(2027, 6, 10)) == []  # Portugal Day, under PT holidays
    assert BusinessCalendar.from_data(calendar.to_data()) == calendar
    assert calendar.to_data().versions[0].timezone == "Europe/Lisbon"


def test_replay_as_of_a_date_after_the_move_puts_every_ticket_in_the_new_zone() -> None:
    lisbon = calendar_as_of(MOVED, MARCH)
    assert (lisbon.timezone, lisbon.versions) == ("Europe/Lisbon", ())
    assert calendar_as_of(MOVED, date(2027, 2, 1)).timezone == "America/Sao_Paulo"


def test_a_policy_on_a_moving_desk_counts_a_ticket_across_the_move() -> None:
    policy = SlaPolicy.default().with_calendar(MOVED)
    ticket = Ticket(id="T1", priority="P0", opened_at=datetime(2027, 2, 26, 17, tzinfo=SP))
    status = policy.status(ticket, now=datetime(2027, 3, 1, 10, tzinfo=LISBON))
    assert status.due_at == datetime(2027, 3, 1, 12, tzinfo=LISBON)
    assert status.used == timedelta(hours=2)


def test_the_cli_lists_the_move_and_counts_across_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "moved.toml"
    path.write_text(
        'timezone = "America/Sao_Paulo"\n[[versions]]\nfrom = "2027-03-01"\n'
        'timezone = "Europe/Lisbon"\n',
        encoding="utf-8",
    )
    assert main(["calendar", "2027", "--calendar", str(path)]) == 0
    listing = capsys.readouterr().out
    assert "Europe/Lisbon" in listing
    assert main(["calendar", "2027", "--calendar", str(path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["timezone"] == "America/Sao_Paulo"
    assert data["versions"][0]["timezone"] == "Europe/Lisbon"
    opened = "2027-02-26 17:00"
    assert main(["due", "P0", "--opened", opened, "--calendar", str(path), "--json"]) == 0
    due = json.loads(capsys.readouterr().out)
    assert due["due_at"].startswith("2027-03-01T")
    assert datetime.fromisoformat(due["due_at"]) == datetime(2027, 3, 1, 12, tzinfo=UTC)


def test_the_first_instant_of_a_date_on_the_desk_s_clock() -> None:
    assert day_start_us(MARCH, MOVED.zone) == to_us(datetime(2027, 3, 1, tzinfo=LISBON))
    assert day_start_us(date(2027, 2, 28), MOVED.zone) == to_us(datetime(2027, 2, 28, tzinfo=SP))


def test_the_offset_changes_of_a_moving_desk_include_the_move() -> None:
    instants, offsets = zone_transitions(MOVED.zone, 2027, 2027)
    move = to_us(datetime(2027, 3, 1, tzinfo=LISBON))
    assert move in instants
    hour = 3_600_000_000
    assert offsets[instants.index(move)] == -3 * hour  # before it
    assert offsets[instants.index(move) + 1] == 0  # after it
    assert offsets[-1] == 0  # Lisbon's summer time ends in October
    assert offsets[-2] == hour


def test_a_versioned_zone_needs_increasing_switches() -> None:
    with pytest.raises(ValueError, match="increasing"):
        VersionedZone((SP, LISBON), ())
    with pytest.raises(ValueError, match="increasing"):
        VersionedZone((SP, LISBON, SP), (5, 5))


def test_a_batch_run_writes_times_on_the_desk_s_clock(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The same due time by the vectorised path as by ``add``, written as ``isoformat()``
    writes it; the skipped wall time of a move east is read forward by the gap."""
    path = tmp_path / "moved.toml"
    path.write_text(
        'timezone = "America/Sao_Paulo"\n[holidays]\ncountry = "BR"\n'
        '[[versions]]\nfrom = "2027-03-01"\ntimezone = "Europe/Lisbon"\n',
        encoding="utf-8",
    )
    tickets = tmp_path / "tickets.csv"
    tickets.write_text(
        "id,priority,opened\nT-1,P0,2027-02-26 17:00\nT-2,P0,2027-02-28 22:00\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.csv"
    now = "2027-03-01T10:00:00+00:00"
    args = ["batch", str(tickets), "--calendar", str(path), "--now", now, "-o", str(out)]
    assert main(args) == 0, capsys.readouterr().err
    rows = out.read_text(encoding="utf-8").splitlines()
    header = rows[0].split(",")
    due = [dict(zip(header, row.split(","), strict=True))["due_at"] for row in rows[1:]]
    assert due == ["2027-03-01T12:00:00+00:00", "2027-03-01T13:00:00+00:00"]


def test_timezone_at_names_the_zone_in_force() -> None:
    move = datetime(2027, 3, 1, tzinfo=LISBON)
    assert MOVED.timezone_at(move - timedelta(microseconds=1)) == "America/Sao_Paulo"
    assert MOVED.timezone_at(move) == "Europe/Lisbon"
    assert BusinessCalendar.default().timezone_at(move) == "America/Sao_Paulo"


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", "America/Sao_Paulo then Europe/Lisbon"),
        ("pt", "America/Sao_Paulo depois Europe/Lisbon"),
    ],
)
def test_text_output_names_each_zone_of_the_times_it_shows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], lang: str, words: str
) -> None:
    path = tmp_path / "moved.toml"
    path.write_text(
        'timezone = "America/Sao_Paulo"\n[[versions]]\nfrom = "2027-03-01"\n'
        'timezone = "Europe/Lisbon"\n',
        encoding="utf-8",
    )
    common = ["--calendar", str(path), "--lang", lang]
    assert main(["due", "P1", "--opened", "2027-02-26 17:00", "--explain", *common]) == 0
    assert words in capsys.readouterr().out
    assert main(["due", "P1", "--opened", "2027-03-02 10:00", "--explain", *common]) == 0
    out = capsys.readouterr().out
    assert "America/Sao_Paulo" not in out  # opened and due in Lisbon: one zone
    assert "Europe/Lisbon" in out


@pytest.mark.parametrize(
    ("zone", "start", "to"),
    [
        # Lisbon's summer time ends at 01:00 UTC on 31 October 2027; New York's 00:00 that day
        # is 04:00 UTC: 01:00 would happen three times on the desk's clock.
        ("Europe/Lisbon", date(2027, 10, 31), "America/New_York"),
        # Lisbon's summer time starts on 28 March: a skipped hour inside a repeated one.
        ("Europe/Lisbon", date(2027, 3, 28), "America/Sao_Paulo"),
    ],
)
def test_a_move_within_36_hours_of_a_dst_change_is_refused(zone: str, start: date, to: str) -> None:
    desk = BusinessCalendar.create(timezone=zone, country=None)
    with pytest.raises(CalendarConfigError, match="within 36 hours of another change"):
        desk.with_version(start, timezone=to)
    assert desk.with_version(start + timedelta(days=2), timezone=to).versions  # two days on


def test_two_moves_a_day_apart_are_refused() -> None:
    desk = MOVED  # São Paulo, then Lisbon from 1 March
    with pytest.raises(CalendarConfigError, match="within 36 hours"):
        desk.with_version(date(2027, 3, 2), timezone="Asia/Tokyo")
