"""Which zone names a calendar accepts: IANA names only, never the machine's own zone.

``zoneinfo`` loads whatever file of the system's zone folder a name points to, so
``ZoneInfo("localtime")`` is the machine's zone and ``ZoneInfo("posixrules")`` a copy the
system chose: the same input would mean another zone on another machine. ``load_zone``
accepts the IANA database's names (tzdata's list) and nothing else.
"""

from __future__ import annotations

import zoneinfo
from datetime import datetime, timedelta

import pytest

from sla_clock import BusinessCalendar, CalendarConfigError, cli
from sla_clock._zone import NOT_PLACES, iana_names, load_zone


@pytest.mark.parametrize("name", ["localtime", "posixrules", "Factory"])
def test_the_machine_zone_and_placeholders_are_refused(name: str) -> None:
    """``localtime``, ``posixrules`` and ``Factory`` are refused with the zone to name instead."""
    with pytest.raises(CalendarConfigError) as info:
        load_zone(name)
    message = str(info.value)
    assert message.startswith(f"timezone {name!r} ")
    assert "'America/Sao_Paulo'" in message


def test_localtime_is_refused_by_the_cli(capsys: pytest.CaptureFixture[str]) -> None:
    """``--tz localtime`` (accepted before, as the machine's zone) is one error line, exit 2."""
    status = cli.main(["due", "P0", "--opened", "2026-11-23 10:00", "--tz", "localtime"])
    out, err = capsys.readouterr()
    assert (status, out) == (2, "")
    assert err == (
        "sla-clock: error: timezone 'localtime' is this machine's own zone, which sla-clock "
        "never uses; name the desk's zone: an IANA name such as 'America/Sao_Paulo' or "
        "'America/New_York'\n"
    )


def test_a_calendar_file_cannot_name_localtime() -> None:
    """The rule holds for every way a calendar gets its zone, not only ``--tz``."""
    with pytest.raises(CalendarConfigError, match="'localtime'"):
        BusinessCalendar.create(timezone="localtime")
    with pytest.raises(CalendarConfigError, match="'localtime'"):
        BusinessCalendar.default().with_timezone("localtime")


@pytest.mark.parametrize(
    "name", ["posix/America/Sao_Paulo", "right/UTC", "zone.tab", "America", "/etc/localtime"]
)
def test_files_of_the_zone_folder_are_not_zones(name: str) -> None:
    """Other files and folders of the system's zone folder are unknown zones."""
    with pytest.raises(CalendarConfigError, match=f"unknown timezone {name!r}"):
        load_zone(name)


@pytest.mark.parametrize(
    ("name", "spelt"), [("america/sao_paulo", "America/Sao_Paulo"), (" UTC", "UTC")]
)
def test_a_misspelt_name_gets_the_right_spelling(name: str, spelt: str) -> None:
    """A name that differs only in case or spaces is refused with the IANA spelling."""
    with pytest.raises(CalendarConfigError, match=f"did you mean {spelt!r}"):
        load_zone(name)


@pytest.mark.parametrize(
    "name", ["America/Sao_Paulo", "UTC", "Etc/GMT+3", "US/Eastern", "Brazil/East", "EST5EDT"]
)
def test_iana_names_and_links_load(name: str) -> None:
    """IANA names, old links among them, load as themselves."""
    assert load_zone(name).key == name


def test_the_names_are_the_iana_list() -> None:
    """The accepted names are the machine-independent tzdata list, less the placeholders."""
    names = iana_names()
    assert "America/Sao_Paulo" in names
    assert not {"localtime", "posixrules"} & names
    assert names <= zoneinfo.available_timezones()
    assert set(NOT_PLACES) == {"localtime", "posixrules", "Factory"}


def test_every_accepted_name_loads() -> None:
    """Every IANA name but the placeholders gives a zone with an offset."""
    for name in sorted(iana_names() - set(NOT_PLACES)):
        offset = load_zone(name).utcoffset(datetime(2026, 1, 1))  # noqa: DTZ001 (a wall time)
        assert offset is not None
        assert abs(offset) <= timedelta(hours=14), name
