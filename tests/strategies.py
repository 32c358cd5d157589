"""Hypothesis strategies: weekly hours, zones, calendars, aware instants and durations.

Instants are drawn to the microsecond between 2015 and 2035, often close to a DST transition
of the calendar's zone or to a wall-clock boundary of its hours. Calendars get date overrides
(closed, partial and extra open dates) near the instants they are tested at, so overrides,
holidays and DST meet in the same few weeks.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from functools import cache
from zoneinfo import ZoneInfo

from hypothesis import strategies as st

from reference import US_PER_HOUR, US_PER_SECOND, from_us, to_us
from sla_clock import BusinessCalendar
from sla_clock.errors import CalendarConfigError
from sla_clock.holiday_source import HolidaySource

__all__ = [
    "COUNTRIES",
    "DAY_NAMES",
    "FIRST_US",
    "LAST_US",
    "POOL_SIZE",
    "SPECIAL_SECONDS",
    "ZONES",
    "Case",
    "as_spec",
    "bounded_durations",
    "calendars",
    "calendars_in",
    "cases",
    "day_hours",
    "durations",
    "instants_near",
    "instants_us",
    "pool_calendar",
    "transitions_us",
    "weekly_hours",
]

ZONES = (
    "America/Sao_Paulo",  # DST until 2019, switching at midnight
    "America/New_York",
    "Europe/London",
    "Australia/Lord_Howe",  # a 30-minute DST shift
    "Asia/Kolkata",  # +05:30, no DST
    "UTC",
)
COUNTRIES = (None, "BR", "US")
DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
FIRST_US = to_us(datetime(2015, 1, 1, tzinfo=UTC))
LAST_US = to_us(datetime(2036, 1, 1, tzinfo=UTC)) - 1
US_PER_DAY = 24 * US_PER_HOUR
DayHours = tuple[tuple[int, int], ...]
#: Wall-clock boundaries worth hitting: midnight both ways, DST switching hours, office hours.
SPECIAL_SECONDS = (0, 1800, 3600, 5400, 7200, 9000, 10800, 32400, 43200, 46800, 64800, 86400)


@cache
def transitions_us(zone_name: str) -> tuple[int, ...]:
    """Return the instants (microseconds) where ``zone_name`` changes offset, 2015-2035."""
    zone = ZoneInfo(zone_name)

    def offset(us: int) -> timedelta | None:
        return from_us(us, zone).utcoffset()

    found: list[int] = []
    step = US_PER_DAY
    t = FIRST_US
    while t + step <= LAST_US:
        if offset(t) != offset(t + step):
            lo, hi = t, t + step  # offset(lo) != offset(hi): bisect to the microsecond
            while hi - lo > 1:
                mid = (lo + hi) // 2
                if offset(mid) == offset(lo):
                    lo = mid
                else:
                    hi = mid
            found.append(hi)
        t += step
    return tuple(found)


# -- hours ---------------------------------------------------------------------------------


def _format(second: int) -> str:
    hour, rest = divmod(second, 3600)
    minute, sec = divmod(rest, 60)
    return f"{hour:02d}:{minute:02d}" + (f":{sec:02d}" if sec else "")


def boundaries(resolution: int) -> st.SearchStrategy[int]:
    """Seconds of the day in ``0..86400`` at ``resolution`` seconds, often a special one."""
    return st.one_of(
        st.sampled_from(SPECIAL_SECONDS),
        st.integers(0, 86400 // resolution).map(lambda n: n * resolution),
    )


def _pair_up(points: list[int]) -> tuple[tuple[int, int], ...]:
    points = sorted(points)
    pairs = [(points[i], points[i + 1]) for i in range(0, len(points) - 1, 2)]
    return tuple((s, e) for s, e in pairs if s < e)


@cache
def day_hours(resolution: int = 60, *, min_size: int = 0) -> st.SearchStrategy[DayHours]:
    """0 to 3 sorted, disjoint (possibly touching) ``(start, end)`` second pairs of one day."""
    count = st.integers(min_size, 3)
    return count.flatmap(
        lambda n: st.lists(boundaries(resolution), min_size=2 * n, max_size=2 * n)
    ).map(_pair_up)


def as_spec(day: DayHours) -> list[str]:
    """Return one day's hours as the ``["HH:MM-HH:MM"]`` strings the public API reads."""
    return [f"{_format(s)}-{_format(e)}" for s, e in day]


@st.composite
def weekly_hours(draw: st.DrawFn, *, need_open: bool = True) -> dict[str, list[str]]:
    """A weekly hours spec for ``BusinessCalendar.create``, with some open time if asked."""
    resolution = draw(st.sampled_from((3600, 60, 1)))
    days = [draw(day_hours(resolution)) for _ in DAY_NAMES]
    if need_open and not any(days):
        fallback = draw(st.integers(0, 6))
        days[fallback] = ((32400, 64800),)
    return {name: as_spec(day) for name, day in zip(DAY_NAMES, days, strict=True) if day}


# -- instants and durations -----------------------------------------------------------------


#: Offsets from a first instant: up to 400 h either way, to the microsecond or whole hours.
NEAR_OFFSETS = st.one_of(
    st.integers(-400 * US_PER_HOUR, 400 * US_PER_HOUR),
    st.integers(-400, 400).map(lambda h: h * US_PER_HOUR),
    st.integers(-10, 10),
)
DST_OFFSETS = st.integers(-3 * US_PER_DAY, 3 * US_PER_DAY)
UNIFORM_US = st.integers(FIRST_US, LAST_US)


@cache
def instants_us(zone_name: str) -> st.SearchStrategy[int]:
    """Instants as epoch microseconds, 2015-2035: uniform, or within 3 days of a DST switch."""
    switches = transitions_us(zone_name)
    if not switches:
        return UNIFORM_US
    near_switch = st.builds(lambda t, off: t + off, st.sampled_from(switches), DST_OFFSETS)
    return st.one_of(UNIFORM_US, near_switch)


@st.composite
def instants_near(draw: st.DrawFn, zone_name: str, near: int) -> int:
    """An instant near ``near``: an offset, a special wall-clock time (give or take 1 µs) of a
    date within 10 days, or (one time in ten) any instant at all."""
    how = draw(st.sampled_from(("offset",) * 9 + ("wall",) * 9 + ("anywhere",) * 2))
    if how == "offset":
        return near + draw(NEAR_OFFSETS)
    if how == "anywhere":
        return draw(instants_us(zone_name))
    zone = ZoneInfo(zone_name)
    day = from_us(near, zone).date() + timedelta(days=draw(st.integers(-10, 10)))
    second = draw(st.sampled_from(SPECIAL_SECONDS))
    if second == 86400:
        day, second = day + timedelta(days=1), 0
    wall = datetime(day.year, day.month, day.day, second // 3600, second // 60 % 60, tzinfo=zone)
    return to_us(wall) + draw(st.sampled_from((-1, 0, 0, 1)))


TZINFOS = (UTC, timezone(timedelta(hours=-3)), timezone(timedelta(hours=9, minutes=30)))


def as_datetime(us: int, tz: tzinfo) -> datetime:
    """Return the instant ``us`` as an aware datetime in ``tz``."""
    return from_us(us, tz)


@cache
def durations(*, max_us: int = 300 * US_PER_HOUR, negative: bool = True) -> st.SearchStrategy[int]:
    """Durations in microseconds up to ``max_us``: any microsecond count, or whole minutes/hours."""
    lo = -max_us if negative else 0
    options = [
        st.integers(lo, max_us),
        st.integers(lo // (60 * US_PER_SECOND), max_us // (60 * US_PER_SECOND)).map(
            lambda m: m * 60 * US_PER_SECOND
        ),
        st.integers(lo // US_PER_HOUR, max_us // US_PER_HOUR).map(lambda h: h * US_PER_HOUR),
        st.sampled_from((-1, 0, 1) if negative else (0, 1)),
    ]
    return st.one_of(options)


# -- calendars and test cases -----------------------------------------------------------------


@st.composite
def overrides(
    draw: st.DrawFn, around: date
) -> tuple[list[date], dict[date, list[str]], dict[date, list[str]]]:
    """Closed dates, partial days and extra open days, all distinct, within 3 weeks of a date."""
    offsets = draw(st.lists(st.integers(-21, 21), unique=True, max_size=6))
    days = [around + timedelta(days=o) for o in offsets]
    kinds = [draw(st.sampled_from(("closed", "partial", "extra"))) for _ in days]
    closed = [d for d, k in zip(days, kinds, strict=True) if k == "closed"]
    partial: dict[date, list[str]] = {}
    extra: dict[date, list[str]] = {}
    for day, kind in zip(days, kinds, strict=True):
        if kind == "partial":
            partial[day] = as_spec(draw(day_hours(60)))
        elif kind == "extra":
            extra[day] = as_spec(draw(day_hours(60, min_size=1)))
    return closed, partial, extra


@st.composite
def calendars(
    draw: st.DrawFn, *, around: date | None = None, need_open: bool = True
) -> BusinessCalendar:
    """A random calendar; with ``around``, its date overrides fall near that date."""
    zone = draw(st.sampled_from(ZONES))
    return draw(calendars_in(zone, around=around, need_open=need_open))


@st.composite
def calendars_in(
    draw: st.DrawFn, zone: str, *, around: date | None = None, need_open: bool = True
) -> BusinessCalendar:
    """A random calendar in ``zone``."""
    hours = draw(weekly_hours(need_open=need_open))
    country = draw(st.sampled_from(COUNTRIES))
    closed: list[date] = []
    partial: dict[date, list[str]] = {}
    extra: dict[date, list[str]] = {}
    if around is not None:
        closed, partial, extra = draw(overrides(around))
    return BusinessCalendar.create(
        hours=hours,
        timezone=zone,
        country=country,
        closed_dates=closed,
        partial_days=partial,
        extra_open_days=extra,
    )


@st.composite
def versioned(draw: st.DrawFn, calendar: BusinessCalendar, around: date) -> BusinessCalendar:
    """``calendar`` with 1 to 3 versions from dates within 10 days of ``around``: other
    weekly hours, another holiday source, another zone, or some of them (what is not drawn
    carries over)."""
    for _ in range(draw(st.integers(1, 3))):
        start = around + timedelta(days=draw(st.integers(-10, 10)))
        hours = draw(st.one_of(st.none(), weekly_hours()))
        country = draw(st.sampled_from(("same", *COUNTRIES)))
        holidays = None if country == "same" else HolidaySource(country)
        zone = draw(st.one_of(st.none(), st.none(), st.sampled_from(ZONES)))
        if hours is None and holidays is None and zone is None:
            hours = draw(weekly_hours())
        try:
            calendar = calendar.with_version(start, hours=hours, holidays=holidays, timezone=zone)
        except CalendarConfigError:  # a move east that would start before the version before
            continue
    return calendar


@dataclass(frozen=True)
class Case:
    """A calendar with a few instants near each other, to the microsecond."""

    calendar: BusinessCalendar
    instants: tuple[int, ...]
    tzinfos: tuple[tzinfo, ...]

    @property
    def weekly_open_us(self) -> int:
        """The open wall-clock microseconds in a week without holidays (the least of the
        calendar's versions)."""
        weeks = [self.calendar.version_on(v.start).hours for v in self.calendar.versions]
        weeks.append(self.calendar.hours)
        return min(sum(e - s for day in w.days for s, e in day) for w in weeks) * US_PER_SECOND

    def dt(self, index: int) -> datetime:
        """Return instant ``index`` as an aware datetime in its drawn tzinfo."""
        return as_datetime(self.instants[index], self.tzinfos[index])


POOL_SIZE = 40


@cache
def pool_calendar(index: int) -> tuple[BusinessCalendar, int]:
    """Calendar ``index`` of a fixed pool, and the instant its date overrides are near.

    Built from a seeded ``random.Random`` with the same ingredients as :func:`calendars_in`.
    Pool calendars are shared by every test of the session, so their compiled timelines are
    reused (and grow in many orders); fresh calendars from hypothesis add breadth.
    """
    rng = random.Random(f"sla-clock pool {index}")
    zone = ZONES[index % len(ZONES)]
    resolution = rng.choice((3600, 60, 1))

    def boundary() -> int:
        if rng.random() < 0.4:
            return rng.choice(SPECIAL_SECONDS)
        return rng.randrange(86400 // resolution + 1) * resolution

    def day(min_count: int = 0) -> DayHours:
        return _pair_up([boundary() for _ in range(2 * rng.randint(min_count, 3))])

    days = [day() for _ in DAY_NAMES]
    if not any(days):
        days[rng.randrange(7)] = ((32400, 64800),)
    switches = transitions_us(zone)
    if switches and rng.random() < 0.5:
        anchor = rng.choice(switches) + rng.randrange(-3 * US_PER_DAY, 3 * US_PER_DAY)
    else:
        anchor = rng.randrange(FIRST_US, LAST_US)
    around = from_us(anchor, ZoneInfo(zone)).date()
    offsets = rng.sample(range(-21, 22), rng.randint(0, 6))
    closed: list[date] = []
    partial: dict[date, list[str]] = {}
    extra: dict[date, list[str]] = {}
    for offset in offsets:
        when = around + timedelta(days=offset)
        kind = rng.choice(("closed", "partial", "extra"))
        if kind == "closed":
            closed.append(when)
        elif kind == "partial":
            partial[when] = as_spec(day())
        else:
            extra[when] = as_spec(day(1))
    calendar = BusinessCalendar.create(
        hours={name: as_spec(d) for name, d in zip(DAY_NAMES, days, strict=True) if d},
        timezone=zone,
        country=rng.choice(COUNTRIES),
        closed_dates=closed,
        partial_days=partial,
        extra_open_days=extra,
    )
    return calendar, anchor


@st.composite
def cases(draw: st.DrawFn, *, size: int = 3) -> Case:
    """A calendar and ``size`` instants: the first near the calendar's overrides or anywhere,
    the others near the first.

    Five times in six the calendar comes from the shared pool, else it is a fresh one.
    """
    if draw(st.integers(0, 5)) > 0:
        calendar, anchor = pool_calendar(draw(st.integers(0, POOL_SIZE - 1)))
        zone = calendar.timezone
        first = draw(instants_near(zone, anchor))
    else:
        zone = draw(st.sampled_from(ZONES))
        first = draw(instants_us(zone))
        calendar = draw(calendars_in(zone, around=from_us(first, ZoneInfo(zone)).date()))
    if draw(st.integers(0, 2)) == 0:  # rules that change near the instants
        calendar = draw(versioned(calendar, from_us(first, ZoneInfo(zone)).date()))
    instants = [first]
    for _ in range(size - 1):
        instants.append(draw(instants_near(zone, first)))
    tzinfos = [draw(st.sampled_from((*TZINFOS, ZoneInfo(zone)))) for _ in instants]
    return Case(calendar, tuple(instants), tuple(tzinfos))


@st.composite
def bounded_durations(draw: st.DrawFn, case: Case, *, negative: bool = True) -> int:
    """A duration short enough that ``add`` ends within a couple of months for ``case``.

    At most 300 h and at most four weeks of the calendar's weekly open time.
    """
    cap = min(300 * US_PER_HOUR, 4 * case.weekly_open_us)
    d = draw(durations(negative=negative))
    if abs(d) > cap:
        d = draw(st.integers(-cap if negative else 0, cap))
    return d
