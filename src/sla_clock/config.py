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
"""

from __future__ import annotations

import json
import math
import re
import tomllib
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from .calendar import DEFAULT_HOURS, DEFAULT_TIMEZONE, BusinessCalendar
from .errors import CalendarConfigError, InvalidHoursError, PolicyConfigError, SlaClockError
from .policy import (
    DEFAULT_POLICY_DATA,
    MAX_BUSINESS_HOURS,
    EscalationLevel,
    Priority,
    PriorityChangeMode,
    SlaPolicy,
    check_business_time,
)

__all__ = [
    "CalendarFile",
    "PolicyFile",
    "load_calendar",
    "load_policy",
    "policy_json_schema",
]

HoursValue = str | list[str]

_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_BRAZILIAN_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_SHORT_YEAR = re.compile(r"\d{1,2}[/.-]\d{1,2}[/.-]\d{2}")
_DATE_FORMS = "write yyyy-mm-dd (2026-12-24) or dd/mm/yyyy (24/12/2026)"


def _file_date(value: object) -> date:
    """Read a date of a calendar file: a date, ``yyyy-mm-dd`` or ``dd/mm/yyyy`` text.

    Raises:
        ValueError: anything else (pydantic names the field): a date and time, a two-digit
            year, a month after 12 (``12/25/2026`` is month/day), a day the month lacks.

    >>> _file_date("24/12/2026"), _file_date("2026-12-24")
    (datetime.date(2026, 12, 24), datetime.date(2026, 12, 24))
    """
    if isinstance(value, datetime):
        msg = f"{value.isoformat()} is a date and time; give the date alone: {_DATE_FORMS}"
        raise ValueError(msg)
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        msg = f"expected a date as text, got {type(value).__name__} {value!r}; {_DATE_FORMS}"
        raise ValueError(msg)
    text = value.strip()
    if found := _ISO_DATE.fullmatch(text):
        year, month, day = map(int, found.groups())
    elif found := _BRAZILIAN_DATE.fullmatch(text):
        day, month, year = map(int, found.groups())
        if month > 12 >= day:
            msg = (
                f"{value!r} has month {month}: dates with slashes are dd/mm/yyyy, so write "
                f"{day:02d}/{month:02d}/{year} as {month:02d}/{day:02d}/{year}, or "
                f"{year}-{day:02d}-{month:02d}"
            )
            raise ValueError(msg)
    elif _SHORT_YEAR.fullmatch(text):
        msg = f"{value!r} has a two-digit year, which is ambiguous; {_DATE_FORMS}"
        raise ValueError(msg)
    else:
        msg = f"{value!r} is not a date; {_DATE_FORMS}"
        raise ValueError(msg)
    try:
        return date(year, month, day)
    except ValueError as exc:
        msg = f"{value!r} is not a date ({exc}); {_DATE_FORMS}"
        raise ValueError(msg) from None


#: A date of a calendar file: ``yyyy-mm-dd`` or ``dd/mm/yyyy``.
FileDate = Annotated[
    date,
    BeforeValidator(_file_date),
    WithJsonSchema({"type": "string", "description": "yyyy-mm-dd or dd/mm/yyyy"}),
]


def _one_entry_per_date(value: Any) -> Any:
    """Refuse a table with one date under two spellings (``2026-12-24``, ``24/12/2026``)."""
    if not isinstance(value, dict):
        return value  # pydantic says what is wrong
    seen: dict[date, Any] = {}
    for key in value:
        try:
            day = _file_date(key)
        except ValueError:
            continue  # pydantic reports the key
        if day in seen:
            msg = f"{day.isoformat()} is given twice ({seen[day]!r} and {key!r}); keep one"
            raise ValueError(msg)
        seen[day] = key
    return value


class HolidaysFile(BaseModel):
    """The ``[holidays]`` table of a calendar file."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    country: str | None = Field(
        default="BR",
        description='ISO country code, or "none" (null in JSON) for no public holidays.',
    )
    subdiv: str | None = Field(default=None, description="Subdivision, e.g. 'SP'.")
    categories: list[str] = Field(default_factory=lambda: ["public"])

    @field_validator("country", mode="before")
    @classmethod
    def _no_country(cls, value: Any) -> Any:
        """TOML has no null: ``country = "none"`` (any case) means no public holidays."""
        if isinstance(value, str) and value.strip().lower() == "none":
            return None
        return value


class CalendarFile(BaseModel):
    """The contents of a calendar file (or of a policy file's ``[calendar]`` table)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    timezone: str = Field(default=DEFAULT_TIMEZONE, description="IANA zone of the desk.")
    hours: dict[str, HoursValue] = Field(
        default_factory=lambda: dict(DEFAULT_HOURS),  # type: ignore[arg-type]
        description="Weekly hours: {'mon-fri': ['09:00-12:00', '13:00-18:00']}.",
    )
    holidays: HolidaysFile = Field(default_factory=HolidaysFile)
    closed: list[FileDate] = Field(default_factory=list, description="Company closed dates.")
    partial: dict[FileDate, HoursValue] = Field(
        default_factory=dict, description="Dates open part of the day."
    )
    extra_open: dict[FileDate, HoursValue] = Field(
        default_factory=dict, description="Dates open though normally closed."
    )

    @field_validator("partial", "extra_open", mode="before")
    @classmethod
    def _dates_once(cls, value: Any) -> Any:
        return _one_entry_per_date(value)

    def to_calendar(self) -> BusinessCalendar:
        """Build the :class:`BusinessCalendar` this file describes."""
        return BusinessCalendar.create(
            hours=self.hours,
            timezone=self.timezone,
            country=self.holidays.country,
            subdiv=self.holidays.subdiv,
            categories=self.holidays.categories,
            closed_dates=self.closed,
            partial_days=self.partial,
            extra_open_days=self.extra_open,
        )


_ISO_DATE_PART = re.compile(r"^[+-]?P(?P<date>[^T]*)")
_DAYS_WORD = re.compile(r"\d\s*d", re.IGNORECASE)
_TIMEDELTA = TypeAdapter(timedelta)


def _hours_text(value: object, field: str) -> object:
    """Refuse what a file may write for an hour duration but should not mean hours.

    Text with day, week, month or year components (``"P5D"``, ``"P1W"``, ``"1 day, 2:00:00"``)
    would be read as days of 24 hours; booleans and non-finite numbers are no durations.
    Everything else goes on to pydantic (integer seconds, ``"PT4H"``, ``"04:00:00"``).
    """
    example = (
        'target = "PT40H" or target_hours = 40'
        if field == "target"
        else ('offset = "PT4H" or offset_hours = 4')
    )
    if isinstance(value, bool):
        msg = f"{field} = {str(value).lower()} is not a duration; write e.g. {example}"
        raise ValueError(msg)
    if isinstance(value, float) and not math.isfinite(value):
        why = " (TOML and JSON read a number as large as 1e400 as inf)" if value > 0 else ""
        msg = f"{field} = {value} is not a finite number of seconds{why}; write e.g. {example}"
        raise ValueError(msg)
    if not isinstance(value, str):
        return value
    iso = _ISO_DATE_PART.match(value.strip())
    if (iso is not None and iso["date"]) or (iso is None and _DAYS_WORD.search(value)):
        try:
            meant = _TIMEDELTA.validate_python(value) / timedelta(hours=1)
        except ValidationError:
            meaning = ""
        else:
            meaning = (
                f": it would mean {meant:g} business hours, about {meant / 9:.0f} working "
                "days of 9 hours"
            )
        msg = (
            f"{field} {value!r} counts days of 24 hours (or weeks, months, years){meaning}; "
            f"write business hours instead, e.g. {example}. A target in business days such "
            'as "5 dias úteis" is not supported yet (it will be target_business_days)'
        )
        raise ValueError(msg)
    return value


def _hours_number(value: object, field: str) -> object:
    """Refuse booleans and non-finite numbers of hours (TOML reads ``1e400`` as ``inf``)."""
    if isinstance(value, bool) or (isinstance(value, float) and not math.isfinite(value)):
        shown = str(value).lower()
        why = " (TOML and JSON read a number as large as 1e400 as inf)" if shown == "inf" else ""
        msg = (
            f"{field} = {shown} is not a finite number of hours{why}; write e.g. "
            f"{field} = 40 (at most {MAX_BUSINESS_HOURS:,})"
        )
        raise ValueError(msg)
    return value


def _bounded_hours(value: float | None, field: str) -> float | None:
    if value is not None and value > MAX_BUSINESS_HOURS:
        msg = (
            f"{field} = {value:g} is more than the {MAX_BUSINESS_HOURS:,} business hours that "
            "sla-clock accepts (about 44 years of a 9-hour weekday desk); check the value"
        )
        raise ValueError(msg)
    return value


def _bounded_time(value: timedelta | None, field: str) -> timedelta | None:
    return None if value is None else check_business_time(value, field)


class PriorityFile(BaseModel):
    """A ``[[priorities]]`` entry: ``target`` (hours as ISO 8601, or seconds) or ``target_hours``.

    Both are business hours, finite and at most ``MAX_BUSINESS_HOURS``; a ``target`` with
    days, weeks, months or years (``"P5D"``) is refused.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str
    target: timedelta | None = None
    target_hours: float | None = Field(default=None, gt=0)
    name_en: str | None = None
    name_pt: str | None = None
    impact: str = ""
    impact_pt: str = ""

    @field_validator("target", mode="before")
    @classmethod
    def _target_text(cls, value: object) -> object:
        return _hours_text(value, "target")

    @field_validator("target_hours", mode="before")
    @classmethod
    def _target_number(cls, value: object) -> object:
        return _hours_number(value, "target_hours")

    @field_validator("target")
    @classmethod
    def _target_bound(cls, value: timedelta | None) -> timedelta | None:
        return _bounded_time(value, "target")

    @field_validator("target_hours")
    @classmethod
    def _target_hours_bound(cls, value: float | None) -> float | None:
        return _bounded_hours(value, "target_hours")

    @model_validator(mode="after")
    def _one_target(self) -> PriorityFile:
        if (self.target is None) == (self.target_hours is None):
            msg = f"priority {self.code!r} needs exactly one of target or target_hours"
            raise ValueError(msg)
        return self

    def to_priority(self) -> Priority:
        """Build the runtime :class:`Priority`."""
        target = self.target if self.target is not None else timedelta(hours=self.target_hours or 0)
        return Priority(
            code=self.code,
            target=target,
            name_en=self.name_en or self.code,
            name_pt=self.name_pt or self.name_en or self.code,
            impact=self.impact,
            impact_pt=self.impact_pt,
        )


class EscalationFile(BaseModel):
    """An ``[[escalation]]`` entry: ``offset`` (hours as ISO 8601, or seconds) or ``offset_hours``.

    The same rules as a priority's target: business hours, finite, at most
    ``MAX_BUSINESS_HOURS``, and no days, weeks, months or years in text.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    name_pt: str | None = None
    offset: timedelta | None = None
    offset_hours: float | None = Field(default=None, ge=0)

    @field_validator("offset", mode="before")
    @classmethod
    def _offset_text(cls, value: object) -> object:
        return _hours_text(value, "offset")

    @field_validator("offset_hours", mode="before")
    @classmethod
    def _offset_number(cls, value: object) -> object:
        return _hours_number(value, "offset_hours")

    @field_validator("offset")
    @classmethod
    def _offset_bound(cls, value: timedelta | None) -> timedelta | None:
        return _bounded_time(value, "offset")

    @field_validator("offset_hours")
    @classmethod
    def _offset_hours_bound(cls, value: float | None) -> float | None:
        return _bounded_hours(value, "offset_hours")

    @model_validator(mode="after")
    def _one_offset(self) -> EscalationFile:
        if self.offset is not None and self.offset_hours is not None:
            msg = f"escalation level {self.name!r} has both offset and offset_hours; keep one"
            raise ValueError(msg)
        return self

    def to_level(self) -> EscalationLevel:
        """Build the runtime :class:`EscalationLevel`."""
        offset = self.offset if self.offset is not None else timedelta(hours=self.offset_hours or 0)
        return EscalationLevel(name=self.name, name_pt=self.name_pt, offset=offset)


class PolicyFile(BaseModel):
    """The contents of a policy file."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    warning_share: float = Field(default=0.75, gt=0, le=1)
    priorities: list[PriorityFile] = Field(min_length=1)
    escalation: list[EscalationFile] = Field(default_factory=list)
    priority_change: PriorityChangeMode = "recompute"
    calendar: CalendarFile = Field(default_factory=CalendarFile)

    def to_policy(self) -> SlaPolicy:
        """Build the runtime :class:`SlaPolicy`."""
        return SlaPolicy(
            priorities=tuple(p.to_priority() for p in self.priorities),
            warning_share=self.warning_share,
            escalation=tuple(level.to_level() for level in self.escalation),
            priority_change=self.priority_change,
            calendar=self.calendar.to_calendar(),
        )


#: A calendar or policy file is a few kilobytes; a bigger one is the wrong file (/dev/zero).
MAX_FILE_BYTES = 4 * 1024 * 1024
#: Byte order marks of encodings other than UTF-8, longest first.
_OTHER_BOMS = (
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"),
    (b"\xfe\xff", "UTF-16"),
)
_SAVE_AS_UTF8 = "save it as UTF-8 (in Notepad: File, Save as, Encoding: UTF-8)"


def _decode(file: Path, data: bytes, error: type[SlaClockError]) -> str:
    """Return the text of a UTF-8 file, without its byte order mark if it has one."""
    for mark, name in _OTHER_BOMS:
        if data.startswith(mark):
            msg = f"{file} is {name} text, not UTF-8; {_SAVE_AS_UTF8}"
            raise error(msg)
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        msg = (
            f"{file} has NUL bytes (line {line}), as UTF-16 text without a byte order mark "
            f"has; {_SAVE_AS_UTF8}"
        )
        raise error(msg)
    try:
        return data.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
    except UnicodeDecodeError as exc:
        start = exc.start + (3 if data.startswith(b"\xef\xbb\xbf") else 0)
        line = data[:start].count(b"\n") + 1
        bad = data[start : start + 1]
        msg = (
            f"{file} is not UTF-8 text (byte {bad!r} on line {line}; it may be cp1252 or "
            f"latin-1); {_SAVE_AS_UTF8}, or convert it: iconv -f cp1252 -t utf-8"
        )
        raise error(msg) from None


def _read(path: str | Path, error: type[SlaClockError]) -> Any:
    file = Path(path)
    try:
        with file.open("rb") as stream:
            data = stream.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        msg = f"cannot read {file}: {exc.strerror or exc}; check the path"
        raise error(msg) from exc
    if len(data) > MAX_FILE_BYTES:
        msg = (
            f"{file} is larger than {MAX_FILE_BYTES // 1024 // 1024} MiB, far more than a "
            "calendar or policy file; check the path"
        )
        raise error(msg)
    text = _decode(file, data, error)
    kind = "JSON" if file.suffix.lower() == ".json" else "TOML"
    try:
        parsed: Any = json.loads(text) if kind == "JSON" else tomllib.loads(text)
    except (json.JSONDecodeError, tomllib.TOMLDecodeError) as exc:
        msg = f"{file} is not valid {kind}: {exc}"
        raise error(msg) from exc
    except RecursionError:
        parsed = None
    if parsed is None or _depth(parsed) > MAX_DEPTH:
        msg = (
            f"{file} nests its {kind} tables or lists more than {MAX_DEPTH} levels deep, far "
            "more than a calendar or policy file does; check the file"
        )
        raise error(msg)
    return parsed


#: A calendar or policy file nests a few levels (a policy's calendar's partial days: 4).
MAX_DEPTH = 16


def _depth(value: Any) -> int:
    """Return how deep lists and tables nest in ``value`` (without recursion)."""
    deepest = 0
    todo: list[tuple[Any, int]] = [(value, 0)]
    while todo:
        item, level = todo.pop()
        deepest = max(deepest, level)
        if deepest > MAX_DEPTH:
            break
        if isinstance(item, dict):
            todo.extend((child, level + 1) for child in item.values())
        elif isinstance(item, list):
            todo.extend((child, level + 1) for child in item)
    return deepest


def _field_errors(file: str | Path, exc: ValidationError) -> str:
    parts = []
    for err in exc.errors():
        where = ".".join(str(item) for item in err["loc"]) or "(top level)"
        parts.append(f"{where}: {err['msg']}")
    return f"{file}: bad field " + "; ".join(parts)


def load_calendar(path: str | Path) -> BusinessCalendar:
    """Load a :class:`BusinessCalendar` from a TOML or JSON calendar file.

    Raises:
        CalendarConfigError: unreadable file, bad syntax, or a bad field (named).
    """
    data = _read(path, CalendarConfigError)
    try:
        return CalendarFile.model_validate(data).to_calendar()
    except ValidationError as exc:
        raise CalendarConfigError(_field_errors(path, exc)) from None
    except (InvalidHoursError, CalendarConfigError) as exc:
        msg = f"{path}: {exc}"
        raise CalendarConfigError(msg) from None


def load_policy(path: str | Path) -> SlaPolicy:
    """Load an :class:`SlaPolicy` from a TOML or JSON policy file.

    Raises:
        PolicyConfigError: unreadable file, bad syntax, or a bad field (named).
    """
    data = _read(path, PolicyConfigError)
    try:
        return PolicyFile.model_validate(data).to_policy()
    except ValidationError as exc:
        raise PolicyConfigError(_field_errors(path, exc)) from None
    except (InvalidHoursError, CalendarConfigError) as exc:
        msg = f"{path}: calendar: {exc}"
        raise PolicyConfigError(msg) from None


def policy_json_schema() -> dict[str, Any]:
    """Return the JSON Schema of policy files (for editors and validation)."""
    return PolicyFile.model_json_schema()


def default_policy_file() -> PolicyFile:
    """Return the default policy in file form (what ``sla-clock policy --json`` prints)."""
    data = dict(DEFAULT_POLICY_DATA)
    return PolicyFile.model_validate(data)
