"""Tests of sla_clock.views._calendar_year: one year of a calendar, as a desk checks it."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from sla_clock import BusinessCalendar, OutOfRangeError
from sla_clock.views._calendar_year import (
    ClosedDate,
    SpecialDay,
    calendar_year,
    calendar_year_text,
    override_kind,
)

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = BusinessCalendar.from_file(str(ROOT / "examples" / "calendar.toml"))
DEFAULT = BusinessCalendar.default()


@pytest.fixture(autouse=True)
def english_holidays(monkeypatch: pytest.MonkeyPatch) -> None:
    """Holiday names follow the environment's language: pin English for every test."""
    monkeypatch.setenv("LANGUAGE", "en")


def every_day(year: int) -> list[date]:
    first = date(year, 1, 1)
    return [first + timedelta(days=i) for i in range((date(year + 1, 1, 1) - first).days)]


def reference_open_time(calendar: BusinessCalendar, year: int) -> timedelta:
    """Sum each date's wall-clock hours from ``day_hours`` (right when no DST change is open)."""
    total = timedelta(0)
    for day in every_day(year):
        for interval in calendar.day_hours(day):
            start, end = interval.split("-")
            sh, sm = map(int, start.split(":")[:2])
            eh, em = map(int, end.split(":")[:2])
            total += timedelta(hours=eh - sh, minutes=em - sm)
    return total


CALENDARS = {
    "default": DEFAULT,
    "example": EXAMPLE,
    "sp": DEFAULT.with_holidays("BR", subdiv="SP"),
    "no-holidays-saturdays": BusinessCalendar.create(
        hours={"mon-fri": "08:00-17:00", "sat": "08:00-12:00"}, country=None
    ),
}


@pytest.mark.slow
@pytest.mark.parametrize("name", CALENDARS)
def test_counts_agree_with_day_hours(name: str) -> None:
    """open_days and open_time agree with the calendar's own day_hours, date by date."""
    calendar = CALENDARS[name]
    listing = calendar_year(calendar, 2026)
    assert listing.open_days == sum(bool(calendar.day_hours(day)) for day in every_day(2026))
    assert listing.open_time == reference_open_time(calendar, 2026)


@pytest.mark.parametrize("name", CALENDARS)
def test_closed_dates_are_closed_and_special_days_have_their_hours(name: str) -> None:
    """Every closed date has no hours; every special day has exactly the hours listed."""
    calendar = CALENDARS[name]
    listing = calendar_year(calendar, 2026)
    for closed in listing.closed:
        assert calendar.day_hours(closed.day) == []
    for special in (*listing.partial, *listing.extra_open):
        assert calendar.day_hours(special.day) == list(special.hours)


def test_default_2026() -> None:
    """The default desk in 2026: the national holidays by name, 252 open days of 9 hours."""
    listing = calendar_year(DEFAULT, 2026)
    names = DEFAULT.holidays.names(2026)
    assert listing.closed == tuple(
        ClosedDate(day, "holiday", name, "public") for day, name in names.items()
    )
    assert date(2026, 11, 20) in names
    assert (listing.partial, listing.extra_open) == ((), ())
    assert listing.weekly_hours == (("09:00-18:00",),) * 5 + ((), ())
    assert (listing.open_days, listing.open_time) == (252, timedelta(hours=252 * 9))
    assert (listing.timezone, listing.country, listing.categories) == (
        "America/Sao_Paulo",
        "BR",
        ("public",),
    )


def test_example_calendar_file() -> None:
    """The example file's company date, partial days and working Saturday are sorted out."""
    listing = calendar_year(EXAMPLE, 2026)
    names = EXAMPLE.holidays.names(2026)
    assert ClosedDate(date(2026, 12, 26), "company") in listing.closed
    assert ClosedDate(date(2026, 7, 9), "holiday", names[date(2026, 7, 9)], "public") in (
        listing.closed
    )
    carnival = ClosedDate(date(2026, 2, 16), "holiday", names[date(2026, 2, 16)], "optional")
    assert carnival in listing.closed
    assert listing.partial == (
        SpecialDay(date(2026, 2, 18), ("14:00-18:00",), names[date(2026, 2, 18)]),
        SpecialDay(date(2026, 12, 24), ("09:00-12:00",), names[date(2026, 12, 24)]),
        SpecialDay(date(2026, 12, 31), ("09:00-12:00",), names[date(2026, 12, 31)]),
    )
    assert listing.extra_open == (SpecialDay(date(2026, 11, 28), ("09:00-13:00",)),)
    assert [d.day for d in listing.closed] == sorted(d.day for d in listing.closed)


def test_overrides_of_other_years_are_left_out() -> None:
    """A year lists only its own dates."""
    listing = calendar_year(EXAMPLE, 2027)
    assert (listing.partial, listing.extra_open) == ((), ())
    assert all(d.source == "holiday" for d in listing.closed)


def test_company_closed_on_a_holiday_keeps_the_name() -> None:
    """A company closed date that is also a holiday is listed once, as company, with its name."""
    calendar = DEFAULT.with_closed(date(2026, 12, 25))
    closed = [d for d in calendar_year(calendar, 2026).closed if d.day == date(2026, 12, 25)]
    name = DEFAULT.holidays.names(2026)[date(2026, 12, 25)]
    assert closed == [ClosedDate(date(2026, 12, 25), "company", name, "public")]


@pytest.mark.parametrize(
    ("day", "hours", "holiday", "kind"),
    [
        (date(2026, 11, 24), (), None, "closed"),
        (date(2026, 11, 24), ((32400, 43200),), None, "partial"),  # a shorter Tuesday
        (date(2026, 11, 24), ((36000, 68400),), None, "partial"),  # other hours, same length
        (date(2026, 11, 28), ((32400, 46800),), None, "extra_open"),  # a working Saturday
        (date(2026, 11, 20), ((32400, 64800),), "holiday", "extra_open"),  # a holiday worked
        (date(2026, 2, 18), ((50400, 64800),), "Ash Wednesday", "partial"),  # from 14:00
    ],
)
def test_override_kind(
    day: date, hours: tuple[tuple[int, int], ...], holiday: str | None, kind: str
) -> None:
    """An override is closed, extra open (a closed date opened fully) or partial."""
    assert override_kind(DEFAULT, day, hours, holiday) == kind


def test_year_out_of_range() -> None:
    """A year a calendar cannot cover is an OutOfRangeError that names the range."""
    with pytest.raises(OutOfRangeError, match="from 3 to 9996"):
        calendar_year(DEFAULT, 10_000)


def test_dst_year_counts_real_time() -> None:
    """Around the clock in 2019 (São Paulo's DST ended in February): 365 days and 1 hour."""
    calendar = BusinessCalendar.create(hours={"mon-sun": "00:00-24:00"}, country=None)
    listing = calendar_year(calendar, 2019)
    sp = ZoneInfo("America/Sao_Paulo")
    start = datetime(2019, 1, 1, tzinfo=sp).astimezone(UTC)
    end = datetime(2020, 1, 1, tzinfo=sp).astimezone(UTC)
    assert listing.open_time == end - start == timedelta(days=365, hours=1)
    assert listing.open_days == 365


def test_to_dict() -> None:
    """The JSON form has ISO dates, weekday keys and both seconds and hours."""
    data = calendar_year(EXAMPLE, 2026).to_dict()
    assert list(data) == [
        "year",
        "timezone",
        "holidays",
        "weekly_hours",
        "closed",
        "partial",
        "extra_open",
        "open_days",
        "open_seconds",
        "open_hours",
        "versions",
    ]
    assert data["weekly_hours"]["sat"] == []
    company = {"date": "2026-12-26", "name": None, "source": "company", "category": None}
    assert company in data["closed"]
    assert data["extra_open"] == [{"date": "2026-11-28", "hours": ["09:00-13:00"], "name": None}]
    assert data["open_seconds"] == data["open_hours"] * 3600


def test_text_in_portuguese() -> None:
    """The Portuguese listing uses Portuguese words, weekdays and dd/mm/yyyy dates."""
    out = calendar_year_text(calendar_year(EXAMPLE, 2026), "pt")
    assert out.startswith("calendário 2026\nfuso horário: America/Sao_Paulo\n")
    assert "  sáb  fechado" in out
    assert "  sáb 26/12/2026  empresa" in out
    assert "dias com horário reduzido (3):" in out
    assert "  sáb 28/11/2026  09:00-13:00" in out
    assert "dias de atendimento:" in out


def test_text_without_holidays() -> None:
    """A calendar without a holiday source says so."""
    out = calendar_year_text(calendar_year(CALENDARS["no-holidays-saturdays"], 2026), "en")
    assert "holidays:  none" in out
    assert "closed dates (0):" in out
    assert "  Sat  08:00-12:00" in out


def test_a_year_with_a_calendar_version_lists_the_rules_from_its_date() -> None:
    """Hours from 08:00 from March 2027: the year's weekly hours are January's, then the
    version's, in the text and the JSON; the open days count each date by its rules."""
    calendar = BusinessCalendar.default().with_version(
        date(2027, 3, 1), hours={"mon-sat": "08:00-17:00"}
    )
    listing = calendar_year(calendar, 2027)
    assert listing.weekly_hours[0] == ("09:00-18:00",)
    ((day, weekly, holidays, zone),) = listing.changes
    assert (day, weekly[5], holidays["country"]) == (date(2027, 3, 1), ("08:00-17:00",), "BR")
    assert zone == "America/Sao_Paulo"  # the version does not move the desk
    saturdays = sum(
        1
        for n in range(date(2027, 3, 1).toordinal(), date(2027, 12, 31).toordinal() + 1)
        if date.fromordinal(n).weekday() == 5
    )
    plain = calendar_year(BusinessCalendar.default(), 2027)
    holiday_saturdays = 3  # 1 May, 20 Nov, 25 Dec 2027 are Saturdays
    assert listing.open_days == plain.open_days + saturdays - holiday_saturdays
    text = calendar_year_text(listing, "pt")
    assert "a partir de seg 01/03/2027:" in text
    assert listing.to_dict()["versions"][0]["weekly_hours"]["sat"] == ["08:00-17:00"]
    assert calendar_year(BusinessCalendar.default(), 2026).to_dict()["versions"] == []
