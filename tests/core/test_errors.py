"""The error tree: every error is a SlaClockError and the fitting built-in."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest

import sla_clock
from sla_clock import errors

VALUE_ERRORS = [
    errors.NaiveDatetimeError,
    errors.InvalidHoursError,
    errors.CalendarConfigError,
    errors.OutOfRangeError,
    errors.TimeParseError,
    errors.UnknownPriorityError,
    errors.PolicyConfigError,
    errors.TicketError,
    errors.DayTargetError,
]


@pytest.mark.parametrize("cls", VALUE_ERRORS)
def test_every_error_is_a_sla_clock_error_and_a_value_error(cls: type[Exception]) -> None:
    """Each error subclasses SlaClockError and ValueError, so `except ValueError` keeps working."""
    assert issubclass(cls, errors.SlaClockError)
    assert issubclass(cls, ValueError)
    with pytest.raises(ValueError, match="boom"):
        raise cls("boom")


def test_the_root_is_a_plain_exception() -> None:
    """SlaClockError is an Exception and not itself a ValueError."""
    assert issubclass(errors.SlaClockError, Exception)
    assert not issubclass(errors.SlaClockError, ValueError)


def test_the_tree_is_complete_and_exported() -> None:
    """errors.__all__ lists exactly the tree, and every name is exported by the package."""
    assert sorted(errors.__all__) == sorted(["SlaClockError", *(c.__name__ for c in VALUE_ERRORS)])
    for name in errors.__all__:
        assert getattr(sla_clock, name) is getattr(errors, name)
        assert name in (errors.__doc__ or "")


def test_engine_errors_are_caught_by_the_root() -> None:
    """Errors raised by the calendar are caught by `except SlaClockError`."""
    cal = sla_clock.BusinessCalendar.default()
    calls: list[Callable[[], object]] = [
        # Naive on purpose.
        lambda: cal.add(datetime(2026, 11, 24, 10), timedelta(hours=1)),  # noqa: DTZ001
        lambda: sla_clock.BusinessCalendar.create(hours={"mon": "18:00-09:00"}),
        lambda: sla_clock.BusinessCalendar.create(timezone="Nowhere/Land"),
    ]
    for call in calls:
        with pytest.raises(errors.SlaClockError):
            call()
