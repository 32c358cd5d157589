"""Where public holidays come from: the only module that imports ``holidays``.

The ``holidays`` package answers a bounded range of years (``start_year`` to ``end_year`` of
its country classes: 1890 to 2100 for Brazil in ``holidays`` 0.109) and silently gives no
holidays outside it. :attr:`HolidaySource.year_range` says which years those are, and every
question outside them is an :class:`~sla_clock.errors.OutOfRangeError`, never a year
without holidays.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date

import holidays

from .errors import CalendarConfigError, OutOfRangeError

#: Only what users need; the rest of this module serves the engine's other rooms.
__all__ = ["HolidaySource"]

#: What to do about a date outside the years the holidays package covers.
RANGE_FIX = (
    'use a date inside them, a calendar without country holidays (country = "none" in a '
    "calendar file, country=None in Python, with your closed dates listed), or a newer "
    "holidays package if it covers more years"
)

# Defaults for a holidays release without start_year/end_year: its data stopped at 2100.
_FALLBACK_RANGE = (1900, 2100)


@functools.cache
def _year_range(country: str, subdiv: str | None, categories: tuple[str, ...]) -> tuple[int, int]:
    found = holidays.country_holidays(country, subdiv=subdiv, categories=categories)
    first = getattr(found, "start_year", _FALLBACK_RANGE[0])
    last = getattr(found, "end_year", _FALLBACK_RANGE[1])
    return int(first), int(last)


@dataclass(frozen=True, slots=True)
class HolidaySource:
    """Holidays of one country (and optionally one subdivision) from the ``holidays`` package.

    Attributes:
        country: ISO 3166 code such as ``"BR"``, or ``None`` for no public holidays.
        subdiv: a subdivision such as ``"SP"`` or ``"São Paulo Capital"``, or ``None``.
        categories: the ``holidays`` categories to close on; ``("public",)`` by default,
            for Brazil add ``"optional"`` for Carnival, Ash Wednesday, Corpus Christi, Public
            Servant's Day (Oct 28), Dec 24 and Dec 31 (whole days; see partial days).

    >>> src = HolidaySource("BR", subdiv="SP")
    >>> date(2026, 7, 9) in src.closed_dates(2026, 2026)
    True
    """

    country: str | None = "BR"
    subdiv: str | None = None
    categories: tuple[str, ...] = ("public",)

    def __post_init__(self) -> None:
        """Check eagerly that ``holidays`` knows the country, subdivision and categories."""
        if self.country is None:
            if self.subdiv is not None:
                msg = f"subdiv {self.subdiv!r} given without a country; set country, e.g. 'BR'"
                raise CalendarConfigError(msg)
            return
        if not self.categories:
            msg = "holiday categories are empty; use ['public'] or set country to none"
            raise CalendarConfigError(msg)
        self._load(())

    def _load(self, years: range | tuple[()]) -> holidays.HolidayBase:
        assert self.country is not None
        try:
            return holidays.country_holidays(
                self.country, subdiv=self.subdiv, categories=self.categories, years=years
            )
        except NotImplementedError as exc:
            supported = holidays.list_supported_countries()
            if self.country not in supported:
                msg = (
                    f"country {self.country!r} is not known to the holidays package; "
                    "use an ISO code such as 'BR' or 'US'"
                )
            else:
                subdivs = ", ".join(str(s) for s in supported[self.country])
                msg = f"{self.country} has no subdivision {self.subdiv!r}; choose one of: {subdivs}"
            raise CalendarConfigError(msg) from exc
        except ValueError as exc:
            msg = (
                f"holiday categories {list(self.categories)!r} are not all supported for "
                f"{self.country}: {exc}; 'public' and 'optional' are the usual ones"
            )
            raise CalendarConfigError(msg) from exc

    @property
    def year_range(self) -> tuple[int, int] | None:
        """The years the ``holidays`` package can answer for this source, both included.

        ``None`` without a country: no holidays, in any year. The range comes from the
        installed ``holidays`` version.

        >>> HolidaySource("BR").year_range[0]
        1890
        >>> HolidaySource(None).year_range is None
        True
        """
        if self.country is None:
            return None
        return _year_range(self.country, self.subdiv, self.categories)

    def describe_range(self) -> str:
        """Say whose years :attr:`year_range` are, to complete "outside the years 1890-2100".

        >>> HolidaySource("BR", subdiv="SP").describe_range()  # doctest: +ELLIPSIS
        'that the holidays package ... covers for BR (subdivision SP)'
        """
        where = f"{self.country}" + (f" (subdivision {self.subdiv})" if self.subdiv else "")
        version = getattr(holidays, "__version__", "")
        return f"that the holidays package {version} covers for {where}".replace("  ", " ")

    def _check_years(self, first_year: int, last_year: int) -> None:
        covered = self.year_range
        if covered is None:
            return
        lo, hi = covered
        if first_year < lo or last_year > hi:
            year = first_year if first_year < lo else last_year
            msg = f"{year} is outside the years {lo}-{hi} {self.describe_range()}; {RANGE_FIX}"
            raise OutOfRangeError(msg)

    def closed_dates(self, first_year: int, last_year: int) -> frozenset[date]:
        """Return the holiday dates from ``first_year`` to ``last_year``, both included.

        Raises:
            OutOfRangeError: a year outside :attr:`year_range`.
        """
        if self.country is None:
            return frozenset()
        self._check_years(first_year, last_year)
        return frozenset(self._load(range(first_year, last_year + 1)).keys())

    def names(self, year: int, *, lang: str = "en") -> dict[date, str]:
        """Return each holiday date of ``year`` with its name, for display.

        Args:
            year: the year.
            lang: ``"en"`` or ``"pt"``; names come in that language where the ``holidays``
                package has it for the country (never from the environment's locale).

        Raises:
            OutOfRangeError: ``year`` is outside :attr:`year_range`.

        >>> HolidaySource("BR").names(2026, lang="pt")[date(2026, 4, 21)]
        'Tiradentes'
        """
        if self.country is None:
            return {}
        self._check_years(year, year)
        supported = getattr(holidays.country_holidays(self.country), "supported_languages", ())
        language = next((code for code in supported if code.split("_")[0] == lang), None)
        if language is None:
            language = next((code for code in supported if code.startswith("en")), None)
        found = holidays.country_holidays(
            self.country,
            subdiv=self.subdiv,
            categories=self.categories,
            years=range(year, year + 1),
            language=language,
        )
        return dict(sorted(found.items()))

    def categories_of(self, year: int) -> dict[date, str]:
        """Return the holiday category of each holiday date of ``year`` (for display).

        A date in several categories takes the first of :attr:`categories` it is in, so a
        public holiday that is also optional somewhere is ``public``.

        >>> src = HolidaySource("BR", categories=("public", "optional"))
        >>> src.categories_of(2026)[date(2026, 2, 16)], src.categories_of(2026)[date(2026, 4, 21)]
        ('optional', 'public')
        """
        if self.country is None:
            return {}
        found: dict[date, str] = {}
        for category in self.categories:
            single = HolidaySource(self.country, subdiv=self.subdiv, categories=(category,))
            for day in single.closed_dates(year, year):
                found.setdefault(day, category)
        return found
