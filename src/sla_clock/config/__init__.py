"""Calendar and policy files: TOML or JSON, validated with pydantic, errors name the field.

A calendar file::

    timezone = "America/Sao_Paulo"
    closed = ["2026-12-26"]

    [hours]
    mon-fri = ["09:00-12:00", "13:00-18:00"]

    [holidays]
    country = "BR"
    subdiv = "SP"
    categories = ["public", "optional"]

    [partial]
    "2026-02-18" = "14:00-18:00"   # Ash Wednesday opens at 14:00

    [extra_open]
    "2026-11-28" = "09:00-13:00"   # a working Saturday

Dates are ISO ``yyyy-mm-dd`` (a TOML date or text) or the Brazilian ``dd/mm/yyyy`` (text):
``closed = ["2026-12-26", "31/12/2026"]``.

A policy file has ``warning_share``, ``[[priorities]]``, ``[[escalation]]`` and an optional
``[calendar]`` table of the same form. Durations are business hours: ``target_hours = 4``, a
number of seconds, or ISO 8601 hours, minutes and seconds (``target = "PT4H"``). Days, weeks,
months and years (``"P5D"``) are refused: 5 days of 24 hours would silently be 120 business
hours. Every duration is finite and at most ``MAX_BUSINESS_HOURS`` (100,000) hours.

Files are UTF-8, with or without a byte order mark (as Windows Notepad saves); any other
encoding is refused with a message that says to save the file as UTF-8.

This package turns files into validated plain data (:class:`CalendarFile`,
:class:`PolicyFile`) and data back into documents (:func:`calendar_document`,
:func:`policy_document`); it imports no value. The values build themselves from the data
(``BusinessCalendar.from_data``, ``SlaPolicy.from_data``) and give it back (``to_data``),
so the imports point one way: calendar and policy use config, never the other way round.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..errors import CalendarConfigError, PolicyConfigError
from ._defaults import DEFAULT_POLICY_DATA
from ._files import read_document
from ._metrics import (
    DEFAULT_PAUSED_STATUSES,
    METRIC_NAMES,
    DayTargetFile,
    MetricName,
    OnReopen,
    PolicyVersionMode,
)
from ._models import (
    DEFAULT_HOURS,
    DEFAULT_TIMEZONE,
    CalendarFile,
    CalendarVersionFile,
    EscalationFile,
    HolidaysFile,
    MetricFile,
    PolicyFile,
    PolicyVersionFile,
    PriorityChangeMode,
    PriorityFile,
)

__all__ = [
    "DEFAULT_HOURS",
    "DEFAULT_PAUSED_STATUSES",
    "DEFAULT_POLICY_DATA",
    "DEFAULT_TIMEZONE",
    "METRIC_NAMES",
    "CalendarFile",
    "CalendarVersionFile",
    "DayTargetFile",
    "EscalationFile",
    "HolidaysFile",
    "MetricFile",
    "MetricName",
    "OnReopen",
    "PolicyFile",
    "PolicyVersionFile",
    "PolicyVersionMode",
    "PriorityChangeMode",
    "PriorityFile",
    "calendar_document",
    "field_errors",
    "policy_document",
    "policy_json_schema",
    "read_calendar",
    "read_policy",
    "with_calendar_files",
]


def field_errors(file: str | os.PathLike[str], exc: ValidationError) -> str:
    """Say which fields of ``file`` are bad and why, in one line."""
    parts = []
    for err in exc.errors():
        where = ".".join(str(item) for item in err["loc"]) or "(top level)"
        parts.append(f"{where}: {err['msg']}")
    return f"{file}: bad field " + "; ".join(parts)


def read_calendar(path: str | os.PathLike[str]) -> CalendarFile:
    """Read and validate a calendar file (TOML or JSON); ``BusinessCalendar.from_file`` uses it.

    Raises:
        CalendarConfigError: unreadable file, bad syntax, or a bad field (named).

    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "desk.toml"
    >>> _ = path.write_text('closed = ["24/12/2026"]')
    >>> read_calendar(path).closed
    [datetime.date(2026, 12, 24)]
    """
    try:
        data = CalendarFile.model_validate(read_document(path, CalendarConfigError))
    except ValidationError as exc:
        raise CalendarConfigError(field_errors(path, exc)) from None
    return _anchored(data, Path(path).parent)


def _anchored(data: CalendarFile, folder: Path) -> CalendarFile:
    """``data`` with its ``closures_ics`` path relative to ``folder`` (its file's) made whole."""
    if data.closures_ics is None or Path(data.closures_ics).is_absolute():
        return data
    return data.model_copy(update={"closures_ics": str(folder / data.closures_ics)})


def read_policy(path: str | os.PathLike[str]) -> PolicyFile:
    """Read and validate a policy file (TOML or JSON); ``SlaPolicy.from_file`` uses it.

    Raises:
        PolicyConfigError: unreadable file, bad syntax, or a bad field (named).
    """
    try:
        data = PolicyFile.model_validate(read_document(path, PolicyConfigError))
    except ValidationError as exc:
        raise PolicyConfigError(field_errors(path, exc)) from None
    return with_calendar_files(data, Path(path).parent)


def with_calendar_files(data: PolicyFile, folder: Path) -> PolicyFile:
    """Read the calendar files a policy's priorities and metrics name by path.

    A relative path is relative to ``folder`` (the policy file's), and so is the
    ``closures_ics`` of a calendar table in the policy.

    Raises:
        PolicyConfigError: a calendar file is missing or bad; the message names the field.
    """

    def read(where: str, value: CalendarFile | str | None) -> CalendarFile | str | None:
        if isinstance(value, CalendarFile):
            return _anchored(value, folder)
        if value is None:
            return value
        try:
            return read_calendar(folder / value)
        except CalendarConfigError as exc:
            msg = f"{where}.calendar: {exc}"
            raise PolicyConfigError(msg) from None

    priorities = [
        p.model_copy(update={"calendar": read(f"priorities.{i}", p.calendar)})
        for i, p in enumerate(data.priorities)
    ]
    metrics = [
        m.model_copy(update={"calendar": read(f"metrics.{i}", m.calendar)})
        for i, m in enumerate(data.metrics)
    ]
    versions = [
        v.model_copy(
            update={
                "priorities": [
                    p.model_copy(
                        update={"calendar": read(f"versions.{i}.priorities.{k}", p.calendar)}
                    )
                    for k, p in enumerate(v.priorities)
                ]
            }
        )
        for i, v in enumerate(data.versions)
    ]
    calendar = _anchored(data.calendar, folder)
    return data.model_copy(
        update={
            "priorities": priorities,
            "metrics": metrics,
            "calendar": calendar,
            "versions": versions,
        }
    )


def policy_json_schema() -> dict[str, Any]:
    """Return the JSON Schema of policy files (for editors and validation).

    >>> policy_json_schema()["title"]
    'PolicyFile'
    """
    return PolicyFile.model_json_schema()


def _whole(hours: float | None) -> int | float | None:
    """A number of hours as an int when whole (``4``, not ``4.0``), for a file people read."""
    if hours is None:
        return None
    return int(hours) if float(hours).is_integer() else hours


def calendar_document(data: CalendarFile) -> dict[str, Any]:
    """Return a calendar file's contents, JSON-ready (what ``read_calendar`` reads back).

    >>> calendar_document(CalendarFile())["hours"]
    {'mon-fri': '09:00-18:00'}
    """
    return {
        "timezone": data.timezone,
        "hours": dict(data.hours),
        "holidays": {
            "country": data.holidays.country,
            "subdiv": data.holidays.subdiv,
            "categories": list(data.holidays.categories),
        },
        "closed": [day.isoformat() for day in data.closed],
        "partial": {day.isoformat(): hours for day, hours in data.partial.items()},
        "extra_open": {day.isoformat(): hours for day, hours in data.extra_open.items()},
        **({"versions": [_version_document(v) for v in data.versions]} if data.versions else {}),
        **({"closures_ics": data.closures_ics} if data.closures_ics else {}),
    }


def _version_document(version: CalendarVersionFile) -> dict[str, Any]:
    """One ``[[versions]]`` entry, JSON-ready: what it changes."""
    found: dict[str, Any] = {"from": version.start.isoformat()}
    if version.timezone is not None:
        found["timezone"] = version.timezone
    if version.hours is not None:
        found["hours"] = dict(version.hours)
    if version.holidays is not None:
        found["holidays"] = {
            "country": version.holidays.country,
            "subdiv": version.holidays.subdiv,
            "categories": list(version.holidays.categories),
        }
    return found


def policy_document(data: PolicyFile) -> dict[str, Any]:
    """Return a policy file's contents, JSON-ready (what ``read_policy`` reads back).

    Durations are written as hours (``target_hours``, ``offset_hours``), whole when they are.
    """
    return {
        "warning_share": data.warning_share,
        "priority_change": data.priority_change,
        "priorities": [_priority_document(p) for p in data.priorities],
        "escalation": [_level_document(e) for e in data.escalation],
        "calendar": calendar_document(data.calendar),
        **_metrics_document(data),
        **_versions_document(data),
    }


def _priority_document(p: PriorityFile) -> dict[str, Any]:
    return {
        "code": p.code,
        **_target_document(p),
        "name_en": p.name_en,
        "name_pt": p.name_pt,
        "impact": p.impact,
        "impact_pt": p.impact_pt,
        **(
            {"calendar": calendar_document(p.calendar)}
            if isinstance(p.calendar, CalendarFile)
            else {}
        ),
    }


def _level_document(e: EscalationFile) -> dict[str, Any]:
    return {"name": e.name, "name_pt": e.name_pt, "offset_hours": _whole(e.offset_hours)}


def _versions_document(data: PolicyFile) -> dict[str, Any]:
    """The policy's ``[[versions]]`` and ``policy_version``, when it has them."""
    extra: dict[str, Any] = {}
    if data.policy_version != "opened":
        extra["policy_version"] = data.policy_version
    found = []
    for v in data.versions:
        doc: dict[str, Any] = {"from": v.start.isoformat()}
        if v.warning_share is not None:
            doc["warning_share"] = v.warning_share
        if v.warn_at is not None:
            doc["warn_at"] = list(v.warn_at)
        if v.priorities:
            doc["priorities"] = [_priority_document(p) for p in v.priorities]
        if v.escalation is not None:
            doc["escalation"] = [_level_document(e) for e in v.escalation]
        found.append(doc)
    if found:
        extra["versions"] = found
    return extra


def _metrics_document(data: PolicyFile) -> dict[str, Any]:
    """The keys of the metrics part that differ from their defaults.

    A policy without metrics of its own writes the same document as before metrics existed.
    """
    extra: dict[str, Any] = {}
    if data.warn_at is not None:
        extra["warn_at"] = list(data.warn_at)
    if tuple(data.paused_statuses) != DEFAULT_PAUSED_STATUSES:
        extra["paused_statuses"] = list(data.paused_statuses)
    if data.on_reopen != "continue":
        extra["on_reopen"] = data.on_reopen
    if [m.model_dump() for m in data.metrics] != [MetricFile(name="resolution").model_dump()]:
        extra["metrics"] = [_metric_document(m) for m in data.metrics]
    return extra


def _metric_document(m: MetricFile) -> dict[str, Any]:
    doc: dict[str, Any] = {"name": m.name, "pause": m.pauses()}
    if m.targets is not None:
        doc["targets"] = {
            code: target.model_dump() if isinstance(target, DayTargetFile) else _iso(target)
            for code, target in m.targets.items()
        }
    if isinstance(m.calendar, CalendarFile):
        doc["calendar"] = calendar_document(m.calendar)
    return doc


def _iso(value: timedelta) -> str:
    """A business duration as ISO 8601 hours (``PT1H``), or seconds when not whole hours."""
    seconds = value / timedelta(seconds=1)
    if seconds % 3600 == 0:
        return f"PT{int(seconds // 3600)}H"
    return f"PT{seconds:g}S"


def _target_document(p: PriorityFile) -> dict[str, Any]:
    """A priority's target as a file writes it: hours, or business days."""
    if p.target_business_days is not None:
        return {"target_business_days": p.target_business_days, "end_of_day": p.end_of_day}
    hours = p.target_hours if p.target is None else p.target / timedelta(hours=1)
    return {"target_hours": _whole(hours)}
