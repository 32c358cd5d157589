"""A custom calendar, in Python and from a TOML file, and what it changes."""

from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sla_clock import BusinessCalendar

SP = ZoneInfo("America/Sao_Paulo")

# One expression: hours with a lunch break, state holidays, a company's own dates.
lunch = BusinessCalendar.create(
    hours={"mon-fri": ["09:00-12:00", "13:00-18:00"]},
    subdiv="SP",
    closed_dates=[date(2026, 12, 26)],
    partial_days={date(2026, 12, 24): "09:00-12:00"},
    extra_open_days={date(2026, 11, 28): "09:00-13:00"},
)
from_file = BusinessCalendar.from_file(str(Path(__file__).with_name("calendar.toml")))

monday = datetime(2026, 11, 23, 9, 0, tzinfo=SP)
forty = timedelta(hours=40)
print("default: Mon 09:00 + 40 h =", BusinessCalendar.default().add(monday, forty).isoformat())
print("lunch:   Mon 09:00 + 40 h =", lunch.add(monday.replace(day=30), forty).isoformat())
print("Sat 28/11 hours (file):", from_file.day_hours(date(2026, 11, 28)))
print("Ash Wednesday hours (file):", from_file.day_hours(date(2026, 2, 18)))
print("Jul 9 open in SP?", from_file.day_hours(date(2026, 7, 9)) != [])
