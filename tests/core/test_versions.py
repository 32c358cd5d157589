"""Dated calendar versions (issue 14): the rules in force from a date, in Python and in files.

The day-walking reference learns versions too (``tests/reference.py``), and the property
tests of the engine draw versioned calendars; these are the worked examples, the laws and
the bad values.
"""

from __future__ import annotations

import pickle
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reference import reference_for, to_us
from sla_clock import BusinessCalendar, CalendarConfigError, CalendarVersion, HolidaySource
from sla_clock.config import calendar_document
from strategies import cases

SP = ZoneInfo("America/Sao_Paulo")
MARCH = date(2027, 3, 1)
EARLY = {"mon-fri": "08:00-17:00"}


def at(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=SP)  # type: ignore[misc]  # (year, month, day, hour...)


def test_hours_move_to_eight_from_march() -> None:
    """The issue's example: hours move to 08:00-17:00 from March 2027. A P0 ticket (4 h)
    opened Friday 26 February at 17:00 counts 1 h under the old hours (17:00-18:00) and 3 h
    under the new ones, due Monday 1 March at 11:00."""
    calendar = BusinessCalendar.default().with_version(MARCH, hours=EARLY)
    assert calendar.add(at(2027, 2, 26, 17), timedelta(hours=4)) == at(2027, 3, 1, 11)
    assert calendar.elapsed(at(2027, 2, 26, 17), at(2027, 3, 1, 11)) == timedelta(hours=4)
    assert not calendar.is_open(at(2027, 3, 1, 17, 30))
    assert calendar.is_open(at(2027, 2, 26, 17, 30))
    assert calendar.day_hours(date(2027, 2, 26)) == ["09:00-18:00"]
    assert calendar.day_hours(MARCH) == ["08:00-17:00"]


def test_a_city_adds_a_holiday_source_from_a_date() -> None:
    """São Paulo city holidays from 2027: 25 January (the city's anniversary) closes in 2027,
    not in 2026."""
    calendar = BusinessCalendar.default().with_version(
        date(2027, 1, 1), holidays=HolidaySource("BR", subdiv="SP")
    )
    assert calendar.day_hours(date(2026, 7, 9)) == ["09:00-18:00"]  # state day, 2026: open
    assert calendar.day_hours(date(2027, 7, 9)) == []  # 2027: closed
    assert calendar.version_on(date(2027, 7, 9)).holidays.subdiv == "SP"


def test_what_a_version_does_not_give_carries_over() -> None:
    calendar = (
        BusinessCalendar.default()
        .with_version(date(2027, 1, 1), holidays=HolidaySource(None))
        .with_version(MARCH, hours=EARLY)
    )
    march = calendar.version_on(MARCH)
    assert march.holidays == HolidaySource(None)  # from the version before
    assert march.hours.to_spec()["mon"] == ["08:00-17:00"]
    assert calendar.version_on(date(2026, 12, 31)) == (
        date.min,
        calendar.hours,
        calendar.holidays,
        calendar.timezone,
    )


def test_versions_carry_over_whatever_the_order_they_are_added_in() -> None:
    """docs/versions.md's two versions added the other way round give the same rules, and a
    later with_hours or with_holidays reaches the versions that did not set their own (the
    review of the versions: each version kept a copy of the rules of its making)."""
    city = HolidaySource("BR", subdiv="SP")
    one = BusinessCalendar.default().with_version(MARCH, hours=EARLY)
    one = one.with_version(date(2027, 7, 1), holidays=city)
    other = BusinessCalendar.default().with_version(date(2027, 7, 1), holidays=city)
    other = other.with_version(MARCH, hours=EARLY)
    assert one == other
    assert other.day_hours(date(2027, 8, 2)) == ["08:00-17:00"]
    state = BusinessCalendar.default().with_version(MARCH, hours=EARLY).with_holidays(subdiv="SP")
    assert state.day_hours(date(2027, 7, 9)) == []  # the state's day, under the March version
    wider = BusinessCalendar.default().with_version(date(2027, 7, 1), holidays=city)
    assert wider.with_hours({"mon-sat": "09:00-18:00"}).day_hours(date(2027, 8, 7)) == [
        "09:00-18:00"
    ]


def test_a_version_of_the_wrong_types_is_a_clear_error() -> None:
    with pytest.raises(CalendarConfigError, match="holidays must be a HolidaySource"):
        BusinessCalendar.default().with_version(MARCH, holidays="DE")  # type: ignore[arg-type]  # (the mistake)
    with pytest.raises(CalendarConfigError, match="hours must be WeeklyHours"):
        BusinessCalendar(
            BusinessCalendar.default().hours,
            versions=(CalendarVersion(MARCH, {"mon": "09:00-18:00"}),),  # type: ignore[arg-type]  # (the mistake)
        )


def test_a_version_of_the_same_date_replaces_it_and_versions_are_sorted() -> None:
    calendar = (
        BusinessCalendar.default()
        .with_version(MARCH, hours=EARLY)
        .with_version(date(2027, 1, 1), hours={"mon-sat": "09:00-18:00"})
        .with_version(MARCH, hours={"mon-fri": "07:00-16:00"})
    )
    assert [v.start for v in calendar.versions] == [date(2027, 1, 1), MARCH]
    assert calendar.day_hours(MARCH) == ["07:00-16:00"]


def test_overrides_stay_dates_whatever_the_version() -> None:
    calendar = (
        BusinessCalendar.default()
        .with_version(MARCH, hours=EARLY)
        .with_day_hours({date(2027, 3, 2): "10:00-12:00"})
    )
    assert calendar.day_hours(date(2027, 3, 2)) == ["10:00-12:00"]


def test_a_calendar_with_versions_is_a_value() -> None:
    calendar = BusinessCalendar.default().with_version(MARCH, hours=EARLY)
    assert calendar == BusinessCalendar.default().with_version(MARCH, hours=EARLY)
    assert calendar != BusinessCalendar.default()
    assert hash(calendar) == hash(BusinessCalendar.default().with_version(MARCH, hours=EARLY))
    again = pickle.loads(pickle.dumps(calendar))
    assert again == calendar
    assert again.add(at(2027, 2, 26, 17), timedelta(hours=4)) == at(2027, 3, 1, 11)


def test_bad_versions_are_clear_errors() -> None:
    with pytest.raises(CalendarConfigError, match="not a date"):
        BusinessCalendar.default().with_version(datetime(2027, 3, 1), hours=EARLY)  # noqa: DTZ001 (the mistake)
    with pytest.raises(CalendarConfigError, match="not a date"):
        BusinessCalendar(
            BusinessCalendar.default().hours,
            versions=(CalendarVersion("2027-03-01", BusinessCalendar.default().hours),),  # type: ignore[arg-type]  # (the mistake)
        )
    two = (
        CalendarVersion(MARCH, BusinessCalendar.default().hours),
        CalendarVersion(MARCH, BusinessCalendar.default().with_hours(EARLY).hours),
    )
    with pytest.raises(CalendarConfigError, match="two calendar versions start on 2027-03-01"):
        BusinessCalendar(BusinessCalendar.default().hours, versions=two)


# -- laws -------------------------------------------------------------------------------------


@pytest.mark.slow
@settings(max_examples=40, deadline=None)
@given(cases(size=2), st.integers(-30, 30))
def test_a_version_that_repeats_the_rules_changes_nothing(case: object, offset: int) -> None:
    """A calendar with one version of the same hours and holidays equals today's calendar
    in every answer."""
    calendar = case.calendar  # type: ignore[attr-defined]  # (a strategies.Case)
    a, b = case.instants  # type: ignore[attr-defined]  # (a strategies.Case)
    day = datetime.fromtimestamp(a / 1e6, ZoneInfo(calendar.timezone)).date()
    last = calendar.version_on(day + timedelta(days=offset))
    same = calendar.with_version(
        day + timedelta(days=offset), hours=last.hours, holidays=last.holidays
    )
    assert same.elapsed_us(a, b) == calendar.elapsed_us(a, b)
    assert same.is_open(case.dt(0)) == calendar.is_open(case.dt(0))  # type: ignore[attr-defined]  # (a strategies.Case)
    assert same.add_us(a, 3_600_000_000) == calendar.add_us(a, 3_600_000_000)


@pytest.mark.slow
@settings(max_examples=40, deadline=None)
@given(cases(size=2))
def test_a_version_far_from_a_tickets_life_changes_nothing(case: object) -> None:
    """Rules that change ten years after the later instant change none of the answers
    about them, and the reference agrees."""
    calendar = case.calendar  # type: ignore[attr-defined]  # (a strategies.Case)
    a, b = case.instants  # type: ignore[attr-defined]  # (a strategies.Case)
    zone = ZoneInfo(calendar.timezone)
    day = max(datetime.fromtimestamp(t / 1e6, zone).date() for t in (a, b))  # after both
    changed = calendar.with_version(day + timedelta(days=3660), hours={"sat": "00:00-24:00"})
    assert changed.elapsed_us(a, b) == calendar.elapsed_us(a, b)
    assert changed.elapsed_us(a, b) == reference_for(changed).elapsed(a, b)
    assert changed.is_open(case.dt(1)) == calendar.is_open(case.dt(1))  # type: ignore[attr-defined]  # (a strategies.Case)


# -- the file form ----------------------------------------------------------------------------

FILE = """
timezone = "America/Sao_Paulo"
closed = ["2027-03-02"]
[hours]
mon-fri = "09:00-18:00"

[[versions]]
from = "2027-03-01"            # local date; in force from its 00:00
[versions.hours]
mon-fri = "08:00-17:00"

[[versions]]
from = "01/07/2027"
[versions.holidays]
country = "none"
"""


def test_a_file_with_versions(tmp_path: Path) -> None:
    path = tmp_path / "calendar.toml"
    path.write_text(FILE, encoding="utf-8")
    calendar = BusinessCalendar.from_file(path)
    assert [v.start for v in calendar.versions] == [MARCH, date(2027, 7, 1)]
    assert calendar.add(at(2027, 2, 26, 17), timedelta(hours=4)) == at(2027, 3, 1, 11)
    assert calendar.day_hours(date(2027, 3, 2)) == []  # a closed date, whatever the version
    july = calendar.version_on(date(2027, 9, 7))
    assert july.hours.to_spec()["mon"] == ["08:00-17:00"]  # carried over
    assert calendar.day_hours(date(2027, 9, 7)) == ["08:00-17:00"]  # no holidays from July
    assert calendar.day_hours(date(2026, 9, 7)) == []  # Independence Day, 2026


def test_a_calendar_with_versions_goes_to_a_file_and_back(tmp_path: Path) -> None:
    calendar = (
        BusinessCalendar.default()
        .with_version(MARCH, hours=EARLY)
        .with_version(date(2028, 1, 1), holidays=HolidaySource("BR", subdiv="SP"))
    )
    data = calendar.to_data()
    assert BusinessCalendar.from_data(data) == calendar
    document = calendar_document(data)
    assert document["versions"] == [
        {"from": "2027-03-01", "hours": calendar.version_on(MARCH).hours.to_spec()},
        {
            "from": "2028-01-01",
            "holidays": {"country": "BR", "subdiv": "SP", "categories": ["public"]},
        },
    ]
    assert "versions" not in calendar_document(BusinessCalendar.default().to_data())


@pytest.mark.parametrize(
    ("entry", "words"),
    [
        ('from = "2027-02-30"\n', "2027-02-30"),
        ('from = ""\n', "from"),
        ("from = 2027\n", "from"),
        ('[versions.hours]\nmon = "09:00-18:00"\n', "from"),  # no from
        ('from = "2027-03-01"\nweekly = "x"\n', "weekly"),
        ('from = "2027-03-01"\n[versions.hours]\nmon = "25:00-26:00"\n', "25:00"),
        ('from = "2027-03-01"\ntimezone = "Mars/Olympus"\n', "Mars/Olympus"),
        ('from = "2027-03-01"\ntimezone = 3\n', "timezone"),
        ('from = "2027-03-01"\n[versions.holidays]\ncountry = "XX"\n', "XX"),
    ],
)
def test_bad_versions_in_a_file_name_the_file(tmp_path: Path, entry: str, words: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(f'timezone = "America/Sao_Paulo"\n[[versions]]\n{entry}', encoding="utf-8")
    with pytest.raises(CalendarConfigError) as caught:
        BusinessCalendar.from_file(path)
    assert str(path) in str(caught.value)
    assert words in str(caught.value)


def test_two_versions_of_one_date_in_a_file(tmp_path: Path) -> None:
    path = tmp_path / "twice.toml"
    path.write_text(
        '[[versions]]\nfrom = "2027-03-01"\n[versions.hours]\nmon = "08:00-17:00"\n'
        '[[versions]]\nfrom = "2027-03-01"\n[versions.hours]\nmon = "07:00-16:00"\n',
        encoding="utf-8",
    )
    with pytest.raises(CalendarConfigError, match="two calendar versions start on 2027-03-01"):
        BusinessCalendar.from_file(path)


def test_a_version_of_the_same_zone_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "same.toml"
    path.write_text(
        'timezone = "America/Sao_Paulo"\n[[versions]]\nfrom = "2027-03-01"\n'
        'timezone = "America/Sao_Paulo"\n',
        encoding="utf-8",
    )
    assert BusinessCalendar.from_file(path).versions[0].start == MARCH


def test_the_years_answered_are_those_every_version_covers() -> None:
    """A version without country holidays does not widen the years: the calendar's own
    source still limits them; a calendar whose every version has none answers all years."""
    base = BusinessCalendar.default().with_version(MARCH, holidays=HolidaySource(None))
    assert base.year_range == BusinessCalendar.default().year_range
    free = BusinessCalendar.create(country=None).with_version(MARCH, hours=EARLY)
    assert free.year_range == (2, 9997)
    assert to_us(free.add(at(2027, 2, 26, 17), timedelta(hours=4))) == to_us(at(2027, 3, 1, 11))


def test_due_explain_says_which_rules_counted_each_day(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """``due --explain`` names the rules of each day when the calendar has versions, and
    adds nothing when it has none."""
    from support import call

    path = tmp_path / "calendar.toml"
    path.write_text(FILE, encoding="utf-8")
    base = ["due", "P0", "--opened", "2027-02-26 17:00", "--explain"]
    _, out, _ = call(capsys, *base, "--calendar", str(path))
    friday, monday = (line for line in out.splitlines() if line.startswith(("Fri", "Mon 2027")))
    assert friday.endswith("the calendar's own")
    assert monday.endswith("from Mon 2027-03-01")
    _, out, _ = call(capsys, *base, "--calendar", str(path), "--lang", "pt")
    assert "a partir de seg 01/03/2027" in out
    _, out, _ = call(capsys, *base)
    assert "rules" not in out
