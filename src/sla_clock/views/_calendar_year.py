"""One year of a calendar as a desk checks it: weekly hours, closed dates and special days.

Before trusting a calendar, a desk wants to see what it will do: which dates are closed and
why (a public holiday, with its name, or the company's own closed date), which dates have
their own hours, and how much open time the year holds. :func:`calendar_year` answers from
the calendar's own data; ``sla-clock calendar 2026`` prints it.

A calendar keeps every per-date setting as one idea, a date with its own hours (an
*override*, see :class:`~sla_clock.calendar.BusinessCalendar`), so the listing sorts them
back into the three kinds a calendar file names (:func:`override_kind`):

- ``closed``: an override with no hours (the company's closed dates);
- ``extra_open``: an override on a date that would be closed without it (a weekend, a
  weekday without hours, a holiday) that is open at least as long as its weekday usually is
  (a working Saturday, a holiday the desk works);
- ``partial``: any other override, usually a shorter day (Dec 24 until 12:00, Ash Wednesday
  from 14:00).

Holiday names are the ``holidays`` package's, in the language :func:`calendar_year` is given
(never the one the package would pick from the environment).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Literal

from .._overrides import OverrideKind, override_kind
from .._timeline import MAX_YEAR, MIN_YEAR
from ..calendar import BusinessCalendar
from ..errors import OutOfRangeError
from ..hours import DAY_NAMES, format_day_hours
from ._formats import format_date, format_duration, seconds
from ._text import labelled
from ._words import WEEKDAYS, Language, category_name, holiday_label, text

__all__ = [
    "FIRST_LISTED",
    "LAST_LISTED",
    "CalendarYear",
    "ClosedDate",
    "ClosedSource",
    "OverrideKind",
    "SpecialDay",
    "calendar_year",
    "calendar_year_text",
    "holidays_in_force",
    "override_kind",
]

#: Why a date is closed: a public holiday, or the company's own closed date.
ClosedSource = Literal["holiday", "company"]

#: The years :func:`calendar_year` lists: those whose whole span, in every zone a year's
#: first hour in UTC+14 is in the year before in UTC), is inside the years the engine reaches.
FIRST_LISTED, LAST_LISTED = MIN_YEAR + 1, MAX_YEAR - 1


@dataclass(frozen=True, slots=True)
class ClosedDate:
    """A date closed all day.

    Attributes:
        day: the local date.
        source: ``holiday`` (from the holiday source) or ``company`` (a closed override).
        name: the holiday's name, also for a company closed date that is a holiday.
        category: the holiday's category (``public``, ``optional``...), when it is one.
    """

    day: date
    source: ClosedSource
    name: str | None = None
    category: str | None = None


@dataclass(frozen=True, slots=True)
class SpecialDay:
    """A date with its own opening hours (a partial day or an extra open day).

    Attributes:
        day: the local date.
        hours: its opening hours, e.g. ``("09:00-12:00",)``.
        name: the name of the holiday on that date, if any.
    """

    day: date
    hours: tuple[str, ...]
    name: str | None = None


@dataclass(frozen=True, slots=True)
class CalendarYear:
    """What a calendar does in one year.

    Attributes:
        year: the calendar year.
        timezone: the IANA zone in force on 1 January (a version may move the desk later).
        country: the holiday source's country, or ``None`` for no public holidays.
        subdiv: the holiday source's subdivision, or ``None``.
        categories: the holiday categories the desk closes on.
        weekly_hours: for each weekday, Monday first, its hours (empty when closed).
        closed: the dates closed all day by a holiday or the company, in date order.
        partial: the dates with their own, usually shorter, hours.
        extra_open: the dates open though they would be closed without their own hours.
        open_days: how many dates of the year have opening hours.
        open_time: the business time in the year (real elapsed time, DST included).
        changes: the calendar versions that start in the year, as
            ``(date, weekly_hours, holidays, timezone)``: the rules from that date on.
    """

    year: int
    timezone: str
    country: str | None
    subdiv: str | None
    categories: tuple[str, ...]
    weekly_hours: tuple[tuple[str, ...], ...]
    closed: tuple[ClosedDate, ...]
    partial: tuple[SpecialDay, ...]
    extra_open: tuple[SpecialDay, ...]
    open_days: int
    open_time: timedelta
    changes: tuple[tuple[date, tuple[tuple[str, ...], ...], dict[str, Any], str], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict (ISO dates, ``open_seconds`` and ``open_hours``).

        >>> data = calendar_year(BusinessCalendar.default(), 2026).to_dict()
        >>> data["weekly_hours"]["mon"], data["closed"][0]["date"], data["open_hours"]
        (['09:00-18:00'], '2026-01-01', 2268)
        """
        open_seconds = seconds(self.open_time)
        hours = open_seconds / 3600
        return {
            "year": self.year,
            "timezone": self.timezone,
            "holidays": {
                "country": self.country,
                "subdiv": self.subdiv,
                "categories": list(self.categories),
            },
            "weekly_hours": {
                name: list(day) for name, day in zip(DAY_NAMES, self.weekly_hours, strict=True)
            },
            "closed": [
                {
                    "date": d.day.isoformat(),
                    "name": d.name,
                    "source": d.source,
                    "category": d.category,
                }
                for d in self.closed
            ],
            "partial": [_special_dict(d) for d in self.partial],
            "extra_open": [_special_dict(d) for d in self.extra_open],
            "open_days": self.open_days,
            "open_seconds": open_seconds,
            "open_hours": int(hours) if hours.is_integer() else hours,
            "versions": [
                {
                    "from": day.isoformat(),
                    "weekly_hours": dict(zip(DAY_NAMES, map(list, weekly), strict=True)),
                    "holidays": holidays,
                    "timezone": zone,
                }
                for day, weekly, holidays, zone in self.changes
            ],
        }


def _special_dict(day: SpecialDay) -> dict[str, Any]:
    return {"date": day.day.isoformat(), "hours": list(day.hours), "name": day.name}


def holidays_in_force(
    calendar: BusinessCalendar, year: int, lang: str = "en"
) -> tuple[dict[date, str], dict[date, str]]:
    """The public holidays of ``year`` and their categories.

    Each date's come from the holiday source of the calendar version in force on it.

    >>> names, categories = holidays_in_force(BusinessCalendar.default(), 2026)
    >>> names[date(2026, 11, 20)], categories[date(2026, 11, 20)]
    ('National Day of Zumbi and Black Awareness', 'public')
    """
    sources = {calendar.version_on(date(year, 1, 1)).holidays}
    sources.update(
        calendar.version_on(v.start).holidays for v in calendar.versions if v.start.year == year
    )
    names: dict[date, str] = {}
    categories: dict[date, str] = {}
    for source in sources:
        found = source.categories_of(year)
        for day, name in source.names(year, lang=lang).items():
            if calendar.version_on(day).holidays == source:
                names[day] = name
                if day in found:
                    categories[day] = found[day]
    return dict(sorted(names.items())), dict(sorted(categories.items()))


def calendar_year(calendar: BusinessCalendar, year: int, *, lang: str = "en") -> CalendarYear:
    """Return what ``calendar`` does in ``year``: its closed dates, special days and totals.

    Args:
        calendar: the calendar to inspect.
        year: a year from 3 to 9996 (:data:`FIRST_LISTED` to :data:`LAST_LISTED`).
        lang: the language of holiday names, ``"en"`` or ``"pt"``.

    Raises:
        OutOfRangeError: ``year`` is outside the years a calendar covers.

    >>> cal = BusinessCalendar.default().with_day_hours({date(2026, 12, 24): "09:00-12:00"})
    >>> listing = calendar_year(cal, 2026)
    >>> [(d.day.isoformat(), d.source) for d in listing.closed][-1]
    ('2026-12-25', 'holiday')
    >>> listing.partial[0].hours, listing.open_days
    (('09:00-12:00',), 252)
    """
    if not FIRST_LISTED <= year <= LAST_LISTED:
        msg = (
            f"year {year} is outside the years a calendar lists; "
            f"give one from {FIRST_LISTED} to {LAST_LISTED}"
        )
        raise OutOfRangeError(msg)
    names, categories = holidays_in_force(calendar, year, lang)
    overrides = {day: hours for day, hours in calendar.overrides if day.year == year}
    closed: list[ClosedDate] = []
    special: dict[OverrideKind, list[SpecialDay]] = {"partial": [], "extra_open": []}
    for day in sorted(set(names) | set(overrides)):
        name = names.get(day)
        category = categories.get(day) if name is not None else None
        if day not in overrides:
            closed.append(ClosedDate(day, "holiday", name, category))
            continue
        hours = overrides[day]
        kind = override_kind(calendar, day, hours, name)
        if kind == "closed":
            closed.append(ClosedDate(day, "company", name, category))
        else:
            special[kind].append(SpecialDay(day, tuple(format_day_hours(hours)), name))
    first, last = date(year, 1, 1), date(year, 12, 31)
    open_days = 0
    for ordinal in range(first.toordinal(), last.toordinal() + 1):
        day = date.fromordinal(ordinal)
        if day in overrides:
            open_days += bool(overrides[day])
        else:
            weekly = calendar.version_on(day).hours.days
            open_days += day not in names and bool(weekly[day.weekday()])
    start = calendar.localize(datetime(year, 1, 1))  # noqa: DTZ001 (the calendar's wall time)
    end = calendar.localize(datetime.combine(last + timedelta(days=1), datetime.min.time()))
    rules = calendar.version_on(first)
    source = rules.holidays
    return CalendarYear(
        year=year,
        timezone=rules.timezone,
        country=source.country,
        subdiv=source.subdiv,
        categories=source.categories if source.country is not None else (),
        weekly_hours=_weekly(rules.hours.days),
        changes=tuple(
            (v.start, _weekly(v.hours.days), _source_dict(v.holidays), v.timezone)
            for v in (calendar.version_on(w.start) for w in calendar.versions)
            if v.start.year == year
        ),
        closed=tuple(closed),
        partial=tuple(special["partial"]),
        extra_open=tuple(special["extra_open"]),
        open_days=open_days,
        open_time=calendar.elapsed(start, end),
    )


def _weekly(days: Sequence[Any]) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(format_day_hours(day)) for day in days)


def _source_dict(source: Any) -> dict[str, Any]:
    return {
        "country": source.country,
        "subdiv": source.subdiv,
        "categories": list(source.categories) if source.country is not None else [],
    }


def _holidays_text(listing: CalendarYear, lang: Language) -> str:
    return _source_text(listing.country, listing.subdiv, listing.categories, lang)


def _source_text(
    country: str | None, subdiv: str | None, categories: Sequence[str], lang: Language
) -> str:
    if country is None:
        return text("none", lang)
    where = country + (f"-{subdiv}" if subdiv else "")
    return f"{where} ({', '.join(category_name(c, lang) for c in categories)})"


def _weekly_lines(weekly: tuple[tuple[str, ...], ...], lang: Language) -> list[str]:
    return [
        f"  {weekday}  {', '.join(hours) or text('closed', lang)}"
        for weekday, hours in zip(WEEKDAYS[lang], weekly, strict=True)
    ]


def _closed_label(closed: ClosedDate, lang: Language) -> str:
    """Return why a date is closed: its holiday category's label, or ``company``."""
    if closed.source == "company":
        return text("company", lang)
    return holiday_label(closed.category, lang)


def _special_lines(days: tuple[SpecialDay, ...], lang: Language) -> list[str]:
    width = max((len(", ".join(d.hours)) for d in days), default=0)
    return [
        f"  {format_date(d.day, lang)}  {', '.join(d.hours):<{width}}  {d.name or ''}".rstrip()
        for d in days
    ]


def calendar_year_text(listing: CalendarYear, lang: Language) -> str:
    """Return the human listing ``sla-clock calendar`` prints, in ``lang``.

    >>> cal = BusinessCalendar.default().with_closed(date(2026, 12, 28))
    >>> print(calendar_year_text(calendar_year(cal, 2026), "en"))  # doctest: +ELLIPSIS
    calendar 2026
    time zone: America/Sao_Paulo
    holidays:  BR (public)
    weekly hours:
      Mon  09:00-18:00
    ...
      Sun  closed
    closed dates (11):
      Thu 2026-01-01  holiday  ...
    ...
      Mon 2026-12-28  company
    partial days (0):
    extra open days (0):
    open days: 251
    open time: 2259:00:00
    """
    lines = [
        f"{text('calendar', lang)} {listing.year}",
        labelled(
            [
                (text("timezone", lang), listing.timezone),
                (text("holidays", lang), _holidays_text(listing, lang)),
            ]
        ),
        f"{text('weekly_hours', lang)}:",
    ]
    lines.extend(_weekly_lines(listing.weekly_hours, lang))
    zone = listing.timezone
    for day, weekly, rules, moved in listing.changes:
        lines.append(f"{text('rules_from', lang)} {format_date(day, lang)}:")
        if moved != zone:
            lines.append(f"  {text('timezone', lang)}: {moved}")
            zone = moved
        where = _source_text(rules["country"], rules["subdiv"], rules["categories"], lang)
        lines.append(f"  {text('holidays', lang)}: {where}")
        lines.extend(_weekly_lines(weekly, lang))
    lines.append(f"{text('closed_dates', lang)} ({len(listing.closed)}):")
    width = max((len(_closed_label(d, lang)) for d in listing.closed), default=0)
    for closed in listing.closed:
        source = f"{_closed_label(closed, lang):<{width}}"
        lines.append(f"  {format_date(closed.day, lang)}  {source}  {closed.name or ''}".rstrip())
    lines.append(f"{text('partial', lang)} ({len(listing.partial)}):")
    lines.extend(_special_lines(listing.partial, lang))
    lines.append(f"{text('extra_open', lang)} ({len(listing.extra_open)}):")
    lines.extend(_special_lines(listing.extra_open, lang))
    totals = [
        (text("open_days", lang), str(listing.open_days)),
        (text("open_time", lang), format_duration(listing.open_time)),
    ]
    lines.append(labelled(totals))
    return "\n".join(lines)
