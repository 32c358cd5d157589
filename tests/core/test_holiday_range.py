"""Years the holiday source cannot answer are a clear error, never a calendar without holidays.

The ``holidays`` package covers a bounded range of years per country (``start_year`` to
``end_year``; 1890-2100 for Brazil in ``holidays`` 0.109). The expected ranges here are read
from the installed package, so the tests follow its upgrades.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from zoneinfo import ZoneInfo

import holidays
import numpy as np
import pytest

from reference import reference_for, to_us
from sla_clock import (
    BusinessCalendar,
    HolidaySource,
    OutOfRangeError,
    SlaPolicy,
    Ticket,
    cli,
)
from sla_clock._ops import range_us
from sla_clock.bulk import add_many_us, elapsed_many_us
from support import sp

H = timedelta(hours=1)
CAL = BusinessCalendar.default()


def covered(country: str, subdiv: str | None = None) -> tuple[int, int]:
    """The years the installed holidays package answers for a country."""
    found = holidays.country_holidays(country, subdiv=subdiv)
    return max(found.start_year, 2), min(found.end_year, 9997)


FIRST, LAST = covered("BR")


def test_the_default_calendar_answers_the_years_holidays_covers() -> None:
    """year_range is the BR range of the installed holidays package (1890-2100 in 0.109)."""
    assert CAL.year_range == (FIRST, LAST)
    assert CAL.holidays.year_range == (FIRST, LAST)
    assert BusinessCalendar.create(subdiv="SP").year_range == covered("BR", "SP")
    assert BusinessCalendar.create(country="JP", timezone="Asia/Tokyo").year_range == (
        covered("JP")
    )


def test_a_calendar_without_country_holidays_keeps_the_full_range() -> None:
    """country=None answers years 2 to 9997, Christmas 2102 included (no holidays at all)."""
    none = BusinessCalendar.create(country=None)
    assert none.year_range == (2, 9997)
    assert HolidaySource(None).year_range is None
    # Fri 22/12/2102 17:00 + 4 h: Christmas (a Monday) is a working day without holidays.
    assert none.add(sp(2102, 12, 22, 17), 4 * H) == sp(2102, 12, 25, 12)
    assert none.day_hours(date(2102, 12, 25)) == ["09:00-18:00"]
    assert none.add(sp(9026, 1, 5, 10), H) == sp(9026, 1, 5, 11)


def test_the_issue_example_is_refused_with_the_year_the_range_and_the_fix() -> None:
    """P0 opened 22/12/2102 17:00: not Christmas counted as a working day, but an error."""
    with pytest.raises(OutOfRangeError) as info:
        CAL.add(sp(2102, 12, 22, 17), 4 * H)
    message = str(info.value)
    assert "2102-12-22T17:00:00-03:00" in message
    assert f"{FIRST}-{LAST}" in message
    assert "holidays package" in message
    assert 'country = "none"' in message  # how to fix it, as a calendar file can say it
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize(
    "call",
    [
        pytest.param(lambda c: c.add(sp(LAST + 2, 12, 22, 17), 4 * H), id="add"),
        pytest.param(lambda c: c.add(sp(LAST + 1, 1, 5, 10), -H), id="add-negative"),
        pytest.param(lambda c: c.elapsed(sp(LAST, 6, 1), sp(LAST + 1, 6, 1)), id="elapsed"),
        pytest.param(lambda c: c.elapsed(sp(LAST + 1, 6, 1), sp(LAST, 6, 1)), id="elapsed-back"),
        pytest.param(lambda c: c.is_open(sp(LAST + 1, 6, 1, 10)), id="is_open"),
        pytest.param(lambda c: c.next_open(sp(LAST + 1, 6, 1)), id="next_open"),
        pytest.param(lambda c: c.next_close(sp(LAST + 1, 6, 1)), id="next_close"),
        pytest.param(
            lambda c: list(c.open_intervals(sp(LAST, 12, 1), sp(LAST + 1, 2, 1))),
            id="open_intervals",
        ),
        pytest.param(lambda c: c.add(sp(FIRST - 1, 6, 1), H), id="before-the-first-year"),
        pytest.param(lambda c: c.day_hours(date(LAST + 2, 12, 25)), id="day_hours"),
    ],
)
def test_every_question_outside_the_years_is_refused(
    call: Callable[[BusinessCalendar], object],
) -> None:
    """Every operation refuses an instant outside the covered years with OutOfRangeError."""
    with pytest.raises(OutOfRangeError, match=f"{FIRST}-{LAST}"):
        call(CAL)


def test_results_past_the_last_year_are_refused() -> None:
    """A deadline that would land after the covered years is refused, both ways in time."""
    with pytest.raises(OutOfRangeError, match=f"after {LAST}"):
        CAL.add(sp(LAST, 12, 31, 17), 4 * H)
    with pytest.raises(OutOfRangeError, match=f"after {LAST}"):
        CAL.next_close(sp(LAST, 12, 31, 19))  # the next opening would be in the next year
    with pytest.raises(OutOfRangeError, match=f"before {FIRST}"):
        CAL.add(sp(FIRST, 1, 2, 10), -8 * H)


def test_questions_near_the_edges_inside_the_range_still_work() -> None:
    """Dec of the year before last and the last year itself answer, with their holidays."""
    ref = reference_for(CAL)
    # The issue's example one year inside the range, and a deadline landing in the last year.
    for start, d in [
        (sp(LAST - 1, 12, 22, 17), 4 * H),
        (sp(LAST - 1, 12, 30, 17), 12 * H),
        (sp(LAST, 12, 22, 17), 4 * H),
        (sp(LAST, 12, 31, 10), 7 * H),  # lands on the last closing time of the range
        (sp(FIRST, 1, 3, 17), -2 * H),
    ]:
        got = CAL.add(start, d)
        assert to_us(got) == ref.add(to_us(start), d // timedelta(microseconds=1))
    # Christmas of the last year is still closed: the holiday source answers it.
    assert CAL.day_hours(date(LAST, 12, 25)) == []
    assert not CAL.is_open(sp(LAST, 12, 25, 10))
    assert CAL.elapsed(sp(LAST - 4, 1, 1), sp(LAST, 12, 31, 23)) > 1000 * H


def test_the_last_year_is_answered_to_its_very_end(capsys: pytest.CaptureFixture[str]) -> None:
    """elapsed and open_intervals may end exactly at the end of the last covered year."""
    ref = reference_for(CAL)
    start, end = sp(LAST, 1, 1), sp(LAST + 1, 1, 1)
    year = CAL.elapsed(start, end)
    assert year // timedelta(microseconds=1) == ref.elapsed(to_us(start), to_us(end))
    assert CAL.elapsed(end, start) == -year
    assert CAL.elapsed(end, end) == timedelta(0)
    assert elapsed_many_us(CAL, [to_us(start)], [to_us(end)]).tolist() == [
        year // timedelta(microseconds=1)
    ]
    assert list(CAL.open_intervals(sp(LAST, 12, 31), end)) == [
        (sp(LAST, 12, 31, 9), sp(LAST, 12, 31, 18))
    ]
    with pytest.raises(OutOfRangeError):
        CAL.is_open(end)  # the first instant of the next year needs that year's holidays
    with pytest.raises(OutOfRangeError):
        CAL.elapsed(start, end + timedelta(microseconds=1))
    # `sla-clock calendar` lists the last covered year (its open time ends there), not the next.
    assert cli.main(["calendar", str(LAST)]) == 0
    assert f"calendar {LAST}" in capsys.readouterr().out
    assert cli.main(["calendar", str(LAST + 1)]) == 2
    assert f"{FIRST}-{LAST}" in capsys.readouterr().err


def test_the_edge_is_the_local_year_not_the_utc_one() -> None:
    """2100-12-31 22:00 in São Paulo is 2101 in UTC but answerable; local 2101 is not."""
    last_local = sp(LAST, 12, 31, 23, 59, 59, 999_999)
    assert last_local.astimezone(ZoneInfo("UTC")).year == LAST + 1
    assert CAL.elapsed(sp(LAST, 12, 31, 22), last_local) == timedelta(0)
    assert CAL.add(last_local, timedelta(0)) == last_local
    assert not CAL.is_open(last_local)
    with pytest.raises(OutOfRangeError):
        CAL.is_open(last_local + timedelta(microseconds=1))
    lo, hi = range_us(CAL)
    assert (lo, hi) == (to_us(sp(FIRST, 1, 1)), to_us(sp(LAST + 1, 1, 1)))


def test_the_vectorised_functions_refuse_the_same_years() -> None:
    """add_many_us and elapsed_many_us refuse instants and results outside the years."""
    inside, outside = to_us(sp(LAST, 12, 1, 10)), to_us(sp(LAST + 2, 12, 22, 17))
    with pytest.raises(OutOfRangeError, match=f"{FIRST}-{LAST}"):
        add_many_us(CAL, np.array([inside, outside]), 3_600_000_000)
    with pytest.raises(OutOfRangeError, match=f"{FIRST}-{LAST}"):
        elapsed_many_us(CAL, np.array([inside]), np.array([outside]))
    with pytest.raises(OutOfRangeError, match=f"after {LAST}"):
        add_many_us(CAL, np.array([to_us(sp(LAST, 12, 31, 17))]), 4 * 3_600_000_000)


def test_a_ticket_in_an_uncovered_year_is_refused() -> None:
    """SlaPolicy.status of a ticket opened in 2102 is an OutOfRangeError, not a status."""
    ticket = Ticket(opened_at=sp(LAST + 2, 12, 22, 17), priority="P0")
    with pytest.raises(OutOfRangeError):
        SlaPolicy.default().status(ticket, sp(LAST + 2, 12, 26, 10))


def test_the_holiday_source_itself_refuses_uncovered_years() -> None:
    """HolidaySource.closed_dates and names refuse years it cannot answer."""
    source = HolidaySource("BR")
    assert date(LAST, 12, 25) in source.closed_dates(LAST, LAST)
    with pytest.raises(OutOfRangeError, match=str(LAST + 1)):
        source.closed_dates(LAST - 1, LAST + 1)
    with pytest.raises(OutOfRangeError, match=str(FIRST - 1)):
        source.names(FIRST - 1)
    assert HolidaySource(None).closed_dates(9000, 9001) == frozenset()


def test_the_command_line_exits_2_with_one_error_line(capsys: pytest.CaptureFixture[str]) -> None:
    """`sla-clock due P0 --opened "22/12/2102 17:00"` exits 2 with one `sla-clock: error:` line."""
    status = cli.main(["due", "P0", "--opened", "22/12/2102 17:00"])
    out, err = capsys.readouterr()
    assert (status, out) == (2, "")
    assert err.startswith("sla-clock: error: ")
    assert err.count("\n") == 1
    assert "2102" in err
    assert f"{FIRST}-{LAST}" in err
