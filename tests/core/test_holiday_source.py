"""HolidaySource: which dates the holidays package closes, per country, state and category."""

from __future__ import annotations

from datetime import date

import pytest

from sla_clock import CalendarConfigError, HolidaySource

#: DESIGN.md: Jan 1, Good Friday, Apr 21, May 1, Sep 7, Oct 12, Nov 2, Nov 15, Nov 20 (from
#: 2024), Dec 25. Easter 2026 is Apr 5, so Good Friday is Apr 3.
BR_PUBLIC_2026 = {
    date(2026, 1, 1),
    date(2026, 4, 3),
    date(2026, 4, 21),
    date(2026, 5, 1),
    date(2026, 9, 7),
    date(2026, 10, 12),
    date(2026, 11, 2),
    date(2026, 11, 15),
    date(2026, 11, 20),
    date(2026, 12, 25),
}


def test_brazil_public_holidays_are_the_design_list() -> None:
    """The default source closes exactly the national holidays DESIGN.md lists (2026)."""
    assert HolidaySource().closed_dates(2026, 2026) == BR_PUBLIC_2026


def test_black_awareness_day_is_national_from_2024() -> None:
    """Nov 20 is a national holiday from 2024 on, not before."""
    assert date(2023, 11, 20) not in HolidaySource().closed_dates(2023, 2023)
    assert date(2024, 11, 20) in HolidaySource().closed_dates(2024, 2024)


def test_closed_dates_span_several_years() -> None:
    """closed_dates(first, last) covers both years and everything between, and nothing else."""
    dates = HolidaySource().closed_dates(2025, 2027)
    assert {d.year for d in dates} == {2025, 2026, 2027}
    assert {d for d in dates if d.year == 2026} == BR_PUBLIC_2026


def test_state_adds_its_holiday() -> None:
    """subdiv SP adds the Constitutionalist Revolution, July 9."""
    assert HolidaySource("BR", "SP").closed_dates(2026, 2026) == BR_PUBLIC_2026 | {date(2026, 7, 9)}


def test_sao_paulo_capital_adds_the_city_days() -> None:
    """The city adds Jan 25, Corpus Christi and, before 2024, Nov 20."""
    city_2023 = HolidaySource("BR", "São Paulo Capital").closed_dates(2023, 2023)
    # Easter 2023 is Apr 9, so Corpus Christi (Easter + 60) is Jun 8.
    assert {date(2023, 1, 25), date(2023, 6, 8), date(2023, 11, 20)} <= city_2023


def test_optional_days() -> None:
    """The optional category has Carnival Mon/Tue, Ash Wednesday, Corpus Christi, Dec 24, Dec 31."""
    optional = HolidaySource("BR", categories=("optional",)).closed_dates(2026, 2026)
    # Easter 2026 is Apr 5: Carnival is Feb 16-17, Ash Wednesday Feb 18, Corpus Christi Jun 4.
    expected = {date(2026, 2, 16), date(2026, 2, 17), date(2026, 2, 18), date(2026, 6, 4)}
    assert expected | {date(2026, 12, 24), date(2026, 12, 31)} <= optional
    assert not (BR_PUBLIC_2026 & optional)


def test_no_country_means_no_holidays() -> None:
    """country=None closes nothing and has no names."""
    source = HolidaySource(None)
    assert source.closed_dates(2000, 2040) == frozenset()
    assert source.names(2026) == {}


def test_names_are_sorted_by_date() -> None:
    """names(year) maps each holiday date of that year to a name, in date order."""
    names = HolidaySource().names(2026)
    assert set(names) == BR_PUBLIC_2026
    assert list(names) == sorted(names)
    assert all(isinstance(name, str) and name for name in names.values())


def test_other_countries() -> None:
    """Another country code works too: the US closes July 4 (a Saturday in 2026 is observed Fri)."""
    us = HolidaySource("US").closed_dates(2026, 2026)
    assert date(2026, 7, 4) in us or date(2026, 7, 3) in us
    assert date(2026, 12, 25) in us


@pytest.mark.parametrize(
    ("args", "shown"),
    [
        (("XX",), "XX"),
        (("BR", "ZZ"), "ZZ"),
        (("BR", None, ("nonsense",)), "nonsense"),
        (("BR", None, ()), "categories"),
        ((None, "SP"), "SP"),
    ],
)
def test_bad_sources_are_refused_eagerly(args: tuple[object, ...], shown: str) -> None:
    """An unknown country, subdivision or category raises CalendarConfigError at construction."""
    with pytest.raises(CalendarConfigError) as info:
        HolidaySource(*args)  # type: ignore[arg-type]  # bad values on purpose
    assert shown in str(info.value)
    assert isinstance(info.value, ValueError)


def test_sources_are_hashable_values() -> None:
    """Equal sources compare equal and hash alike."""
    assert HolidaySource("BR", "SP") == HolidaySource("BR", "SP")
    assert hash(HolidaySource("BR", "SP")) == hash(HolidaySource("BR", "SP"))
    assert HolidaySource("BR", "SP") != HolidaySource("BR")


def test_holiday_names_follow_the_language_asked_not_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """names() gives Portuguese or English names as asked, whatever LANG/LANGUAGE say."""
    monkeypatch.setenv("LANGUAGE", "pt_BR")
    monkeypatch.setenv("LANG", "pt_BR.UTF-8")
    source = HolidaySource("BR")
    assert source.names(2026, lang="en")[date(2026, 9, 7)] == "Independence Day"
    assert source.names(2026, lang="pt")[date(2026, 9, 7)] == "Independência do Brasil"
    assert source.names(2026)[date(2026, 9, 7)] == "Independence Day"
