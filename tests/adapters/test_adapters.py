"""The DataFrame adapters: SLA columns for pandas and Polars frames of tickets.

Every test runs on both adapters, which must give the same values as
:meth:`SlaPolicy.status` row by row. The small frame holds DESIGN.md's P0 example (opened
Mon 2026-11-23 14:00 São Paulo: due Mon 18:00, breached only after Tue 09:00) and a paused
ticket.
"""

from __future__ import annotations

import importlib
import random
import subprocess
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd
import polars as pl
import pytest

from sla_clock import (
    BusinessCalendar,
    NaiveDatetimeError,
    Pause,
    SlaPolicy,
    Ticket,
    TicketError,
    UnknownPriorityError,
)
from sla_clock.adapters import OUTPUT_COLUMNS
from sla_clock.adapters import pandas as pandas_adapter
from sla_clock.adapters import polars as polars_adapter
from sla_clock.policy import DEFAULT_POLICY_DATA
from support import SP, sp

ADAPTERS = ("pandas", "polars")
Frame = Any  # a pandas or a Polars DataFrame


def frame(kind: str, data: dict[str, list[Any]], index: Sequence[Any] | None = None) -> Frame:
    """A pandas or Polars frame of the same columns (pandas may get an index)."""
    if kind == "pandas":
        return pd.DataFrame(data, index=None if index is None else pd.Index(index))
    return pl.DataFrame(data)


def add(kind: str) -> Callable[..., Frame]:
    return pandas_adapter.add_sla_columns if kind == "pandas" else polars_adapter.add_sla_columns


def _py(value: Any) -> Any:
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, pd.Timedelta):
        return value.to_pytimedelta()
    return value.item() if hasattr(value, "item") else value


def records(out: Frame, prefix: str = "") -> list[dict[str, Any]]:
    """The new columns of each row, as plain Python values (datetime, timedelta, str, int)."""
    rows = out.to_dict("records") if isinstance(out, pd.DataFrame) else out.to_dicts()
    return [{c: _py(row[prefix + c]) for c in OUTPUT_COLUMNS} for row in rows]


def expected(policy: SlaPolicy, ticket: Ticket, now: datetime) -> dict[str, Any]:
    s = policy.status(ticket, now)
    return {
        "due_at": s.due_at,
        "breach_at": s.breach_at,
        "used": s.used,
        "used_seconds": s.used.total_seconds(),
        "remaining": s.remaining,
        "state": s.state,
        "escalation_level": s.escalation_level,
    }


# -- the small frame -------------------------------------------------------------------------

NOW = sp(2026, 11, 24, 11)  # Tue 11:00
PAUSE = (sp(2026, 11, 23, 15), sp(2026, 11, 24, 10))  # Mon 15:00 to Tue 10:00


def small(kind: str) -> Frame:
    return frame(
        kind,
        {
            "opened": [sp(2026, 11, 23, 14), sp(2026, 11, 23, 14), sp(2026, 11, 19, 17)],
            "priority": ["P0", "p0", "P1"],
            "pauses": [None, [PAUSE], None],
            "resolved": [None, None, sp(2026, 11, 23, 12)],
        },
        index=["INC-1", "INC-2", "INC-3"],
    )


@pytest.mark.parametrize("kind", ADAPTERS)
def test_p0_example_and_a_paused_ticket(kind: str) -> None:
    """The P0 is breached at Tue 11:00 (due Mon 18:00, breach_at Tue 09:00); the same P0
    paused Mon 15:00-Tue 10:00 has used 2 h and is due Tue 13:00; a P1 resolved in time is met."""
    out = add(kind)(small(kind), now=NOW, pauses="pauses")
    rows = records(out)
    assert rows[0] == {
        "due_at": sp(2026, 11, 23, 18),
        "breach_at": sp(2026, 11, 24, 9),
        "used": timedelta(hours=6),
        "used_seconds": 21600.0,
        "remaining": timedelta(hours=-2),
        "state": "breached",
        "escalation_level": 1,
    }
    assert rows[1] == {
        "due_at": sp(2026, 11, 24, 13),
        "breach_at": sp(2026, 11, 24, 13),
        "used": timedelta(hours=2),
        "used_seconds": 7200.0,
        "remaining": timedelta(hours=2),
        "state": "running",
        "escalation_level": 0,
    }
    assert rows[2]["state"] == "met"
    assert rows[2]["used"] == timedelta(hours=4)  # Thu 17-18 and Mon 09-12 (Nov 20 is off)
    for row in rows:
        assert row["due_at"].tzinfo == SP
        assert row["breach_at"].tzinfo == SP


@pytest.mark.parametrize("kind", ADAPTERS)
def test_without_the_pauses_column_the_paused_ticket_counts_fully(kind: str) -> None:
    """pauses=None (the default) ignores pause data: both P0 tickets are breached."""
    df = small(kind)
    out = add(kind)(df.drop(columns=["pauses"]) if kind == "pandas" else df.drop("pauses"), now=NOW)
    assert [row["state"] for row in records(out)] == ["breached", "breached", "met"]


@pytest.mark.parametrize("kind", ADAPTERS)
def test_an_ongoing_pause_is_paused(kind: str) -> None:
    """A pause without an end, going on at now, gives the paused state."""
    df = frame(
        kind,
        {
            "opened": [sp(2026, 11, 23, 14)],
            "priority": ["P1"],
            "pauses": [[(sp(2026, 11, 23, 16), None)]],
        },
    )
    (row,) = records(add(kind)(df, now=NOW, pauses="pauses"))
    assert (row["state"], row["used"]) == ("paused", timedelta(hours=2))


def test_polars_pauses_as_structs() -> None:
    """Polars pauses may be {"start", "end"} structs as well as [start, end] lists."""
    df = pl.DataFrame(
        {
            "opened": [sp(2026, 11, 23, 14)] * 2,
            "priority": ["P0"] * 2,
            "pauses": [[{"start": PAUSE[0], "end": PAUSE[1]}], None],
        }
    )
    rows = records(polars_adapter.add_sla_columns(df, now=NOW, pauses="pauses"))
    assert [r["due_at"] for r in rows] == [sp(2026, 11, 24, 13), sp(2026, 11, 23, 18)]


@pytest.mark.parametrize("kind", ADAPTERS)
def test_custom_prefix(kind: str) -> None:
    """prefix="sla_" names the columns sla_due_at, sla_state...; the input is left as it was."""
    df = small(kind)
    before = list(df.columns)
    out = add(kind)(df, now=NOW, pauses="pauses", prefix="sla_")
    assert list(out.columns) == before + [f"sla_{c}" for c in OUTPUT_COLUMNS]
    assert list(df.columns) == before
    assert records(out, "sla_") == records(add(kind)(df, now=NOW, pauses="pauses"))


@pytest.mark.parametrize("kind", ADAPTERS)
def test_a_clashing_column_asks_for_a_prefix(kind: str) -> None:
    """A frame with its own "state" column (the helpdesk's) is not overwritten silently."""
    df = frame(kind, {"opened": [sp(2026, 11, 23, 14)], "priority": ["P0"], "state": ["open"]})
    with pytest.raises(ValueError, match="prefix='sla_'"):
        add(kind)(df, now=NOW)
    out = add(kind)(df, now=NOW, prefix="sla_")
    assert out["state"].to_list() == ["open"]


def test_pandas_index_is_preserved() -> None:
    """The result keeps the frame's index, here string labels in no particular order."""
    df = small("pandas").iloc[[2, 0, 1]]
    out = pandas_adapter.add_sla_columns(df, now=NOW, pauses="pauses")
    assert out.index.tolist() == ["INC-3", "INC-1", "INC-2"]
    assert out.loc["INC-2", "due_at"] == pd.Timestamp(sp(2026, 11, 24, 13))
    assert out.loc["INC-3", "state"] == "met"
    assert str(out["due_at"].dt.tz) == "America/Sao_Paulo"
    assert out["used"].dtype.kind == "m"


def test_pandas_duplicate_index_labels_are_kept_in_place() -> None:
    """Rows are matched by position, not by label: duplicate labels are fine."""
    df = small("pandas")
    df.index = pd.Index([7, 7, 7])
    out = pandas_adapter.add_sla_columns(df, now=NOW, pauses="pauses")
    assert out["state"].tolist() == ["breached", "running", "met"]


@pytest.mark.parametrize("kind", ADAPTERS)
def test_columns_in_another_zone_name_the_same_instants(kind: str) -> None:
    """An opened column in UTC gives the same answers, shown in the calendar's zone."""
    utc = [sp(2026, 11, 23, 14).astimezone(UTC)]
    (row,) = records(add(kind)(frame(kind, {"opened": utc, "priority": ["P0"]}), now=NOW))
    assert row["due_at"] == sp(2026, 11, 23, 18)
    assert row["due_at"].tzinfo == SP


# -- errors ----------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ADAPTERS)
def test_naive_opened_column_is_refused_with_the_fix(kind: str) -> None:
    """A naive datetime column raises NaiveDatetimeError showing how to attach the zone."""
    naive = [datetime(2026, 11, 23, 14)]  # noqa: DTZ001 - the point of the test
    df = frame(kind, {"opened": naive, "priority": ["P0"]})
    fix = ".dt.tz_localize('America/Sao_Paulo')" if kind == "pandas" else "replace_time_zone"
    with pytest.raises(NaiveDatetimeError, match="naive") as info:
        add(kind)(df, now=NOW)
    assert fix in str(info.value)
    assert "'opened'" in str(info.value)


@pytest.mark.parametrize("kind", ADAPTERS)
def test_naive_resolved_column_is_refused(kind: str) -> None:
    """The resolved column must be tz-aware too."""
    naive = [datetime(2026, 11, 23, 15)]  # noqa: DTZ001 - the point of the test
    df = frame(kind, {"opened": [sp(2026, 11, 23, 14)], "priority": ["P0"], "done": naive})
    with pytest.raises(NaiveDatetimeError, match="'done'"):
        add(kind)(df, now=NOW, resolved="done")


@pytest.mark.parametrize("kind", ADAPTERS)
def test_naive_now_and_naive_pause_are_refused(kind: str) -> None:
    """now and pause times are aware datetimes, like everywhere in the Python API."""
    df = small(kind)
    with pytest.raises(NaiveDatetimeError):
        add(kind)(df, now=datetime(2026, 11, 24, 11))  # noqa: DTZ001 - the point of the test
    naive_pause = frame(
        kind,
        {
            "opened": [sp(2026, 11, 23, 14)],
            "priority": ["P0"],
            # Naive on purpose.
            "pauses": [[(datetime(2026, 11, 23, 15), datetime(2026, 11, 23, 16))]],  # noqa: DTZ001
        },
    )
    with pytest.raises(NaiveDatetimeError):
        add(kind)(naive_pause, now=NOW, pauses="pauses")


@pytest.mark.parametrize("kind", ADAPTERS)
def test_text_column_is_refused(kind: str) -> None:
    """A column of strings is not read as times: TypeError saying what to convert."""
    df = frame(kind, {"opened": ["2026-11-23T14:00-03:00"], "priority": ["P0"]})
    with pytest.raises(TypeError, match="'opened'"):
        add(kind)(df, now=NOW)


@pytest.mark.parametrize("kind", ADAPTERS)
def test_missing_columns(kind: str) -> None:
    """A column named in the call must exist; only the default resolved column may be absent."""
    df = frame(kind, {"created": [sp(2026, 11, 23, 14)], "priority": ["P0"]})
    with pytest.raises(KeyError, match="opened="):
        add(kind)(df, now=NOW)
    (row,) = records(add(kind)(df, now=NOW, opened="created"))
    assert row["state"] == "breached"
    with pytest.raises(KeyError, match="'closed'"):
        add(kind)(df, now=NOW, opened="created", resolved="closed")
    with pytest.raises(KeyError, match="'waits'"):
        add(kind)(df, now=NOW, opened="created", pauses="waits")


@pytest.mark.parametrize("kind", ADAPTERS)
def test_an_all_empty_resolved_column_means_all_open(kind: str) -> None:
    """A resolved column of nothing but missing values (no datetime dtype) is all open."""
    df = frame(kind, {"opened": [sp(2026, 11, 23, 14)], "priority": ["P0"], "resolved": [None]})
    (row,) = records(add(kind)(df, now=NOW))
    assert row["state"] == "breached"


@pytest.mark.parametrize("kind", ADAPTERS)
def test_inconsistent_tickets_are_refused(kind: str) -> None:
    """A missing opening, a resolution before the opening or a pause ending before it starts
    is a TicketError naming the row, worded by the one ticket rule set."""
    no_opening = frame(kind, {"opened": [sp(2026, 11, 23, 14), None], "priority": ["P0", "P0"]})
    with pytest.raises(TicketError, match="first row 1: opened is empty"):
        add(kind)(no_opening, now=NOW)
    early = frame(
        kind,
        {"opened": [sp(2026, 11, 23, 14)], "priority": ["P0"], "resolved": [sp(2026, 11, 23, 13)]},
    )
    with pytest.raises(TicketError, match=r"resolved 2026-11-23T13:00:00-03:00 is before opened"):
        add(kind)(early, now=NOW)
    backwards = frame(
        kind,
        {
            "opened": [sp(2026, 11, 23, 14)],
            "priority": ["P0"],
            "pauses": [[(sp(2026, 11, 23, 16), sp(2026, 11, 23, 15))]],
        },
    )
    with pytest.raises(TicketError, match="ends"):
        add(kind)(backwards, now=NOW, pauses="pauses")


@pytest.mark.parametrize("kind", ADAPTERS)
def test_unknown_priority_is_refused(kind: str) -> None:
    """A priority the policy does not define raises UnknownPriorityError."""
    df = frame(kind, {"opened": [sp(2026, 11, 23, 14)], "priority": ["P7"]})
    with pytest.raises(UnknownPriorityError, match="P7"):
        add(kind)(df, now=NOW)


@pytest.mark.parametrize("kind", ADAPTERS)
def test_empty_frame(kind: str) -> None:
    """No tickets: the new columns are there, with no rows."""
    df = frame(kind, {"opened": [sp(2026, 11, 23, 14)], "priority": ["P0"]})
    empty = df.iloc[:0] if kind == "pandas" else df.head(0)
    out = add(kind)(empty, now=NOW)
    assert len(out) == 0
    assert set(OUTPUT_COLUMNS) <= set(out.columns)


# -- agreement with SlaPolicy.status ---------------------------------------------------------


def random_tickets(policy: SlaPolicy, now: datetime, n: int, seed: int) -> list[Ticket]:
    """Tickets opened in the 15 days before now; a quarter with pauses, a third resolved."""
    rng = random.Random(seed)
    day = 86_400_000_000
    tz = ZoneInfo(policy.calendar.timezone)

    def at(us: int) -> datetime:
        return (now + timedelta(microseconds=us)).astimezone(rng.choice((tz, UTC)))

    tickets = []
    for _ in range(n):
        opened = -rng.randrange(15 * day)
        if rng.random() < 0.5:
            opened -= opened % (30 * 60_000_000)  # on a half hour: openings and closings
        resolved = opened + rng.randrange(12 * day) if rng.random() < 0.33 else None
        pauses = []
        if rng.random() < 0.25:
            for _ in range(rng.randint(1, 2)):
                start = opened + rng.randrange(4 * day)
                end: int | None = start + rng.randrange(2 * day)
                if resolved is not None:
                    if start > resolved:
                        continue
                    end = min(end, resolved) if end is not None else None
                elif rng.random() < 0.3:
                    end = None
                pauses.append(Pause(start=at(start), end=None if end is None else at(end)))
        tickets.append(
            Ticket(
                opened_at=at(opened),
                priority=rng.choice(policy.codes),
                pauses=tuple(pauses),
                resolved_at=None if resolved is None else at(resolved),
            )
        )
    return tickets


NEW_YORK = SlaPolicy.model_validate(
    {
        **DEFAULT_POLICY_DATA,
        "calendar": BusinessCalendar.create(
            hours={"mon-fri": ["08:30-12:00", "13:00-17:30"]},
            timezone="America/New_York",
            country="US",
        ),
    }
)


@pytest.mark.parametrize("kind", ADAPTERS)
@pytest.mark.parametrize(
    ("policy", "now"),
    [
        (SlaPolicy.default(), sp(2026, 11, 30, 10, 15)),
        (NEW_YORK, datetime(2026, 11, 9, 16, 45, tzinfo=ZoneInfo("America/New_York"))),
    ],
    ids=["default", "new-york"],
)
def test_agrees_with_policy_status_row_by_row(kind: str, policy: SlaPolicy, now: datetime) -> None:
    """On 200 random tickets every new column equals SlaPolicy.status, row by row."""
    tickets = random_tickets(policy, now, 200, seed=len(kind))
    zone = policy.calendar.timezone
    data = {
        "opened": [t.opened_at.astimezone(UTC) for t in tickets],
        "priority": [t.priority for t in tickets],
        "resolved": [t.resolved_at for t in tickets],
        "pauses": [[(p.start, p.end) for p in t.pauses] or None for t in tickets],
    }
    if kind == "polars":  # a Polars column has one zone; pandas keeps each pause's own
        data["pauses"] = [
            None if ps is None else [tuple(v and v.astimezone(UTC) for v in p) for p in ps]
            for ps in data["pauses"]
        ]
    df = frame(kind, data, index=list(range(1000, 1200)))
    if kind == "pandas":
        df["resolved"] = pd.to_datetime(df["resolved"], utc=True)
    else:
        df = df.with_columns(pl.col("resolved").dt.convert_time_zone("UTC"))
    out = add(kind)(df, policy, now=now, pauses="pauses")
    got = records(out)
    assert len(got) == len(tickets)
    for i, ticket in enumerate(tickets):
        assert got[i] == expected(policy, ticket, now), (i, ticket)
        assert str(got[i]["due_at"].tzinfo) == zone
    states = {row["state"] for row in got}
    assert {"running", "breached", "met", "paused"} <= states


# -- packaging -------------------------------------------------------------------------------


@pytest.mark.slow
def test_the_adapters_package_imports_neither_pandas_nor_polars() -> None:
    """import sla_clock.adapters stays light: pandas and Polars load only with a submodule."""
    code = "import sys, sla_clock.adapters; print(sorted({'pandas', 'polars'} & set(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


@pytest.mark.parametrize(
    ("module", "library", "extra"),
    [
        ("sla_clock.adapters.pandas", "pandas", "sla-clock[pandas]"),
        ("sla_clock.adapters.polars", "polars", "sla-clock[polars]"),
    ],
)
def test_importing_an_adapter_without_its_library_names_the_extra(
    monkeypatch: pytest.MonkeyPatch, module: str, library: str, extra: str
) -> None:
    """Without the library, importing its adapter says which extra to install."""
    monkeypatch.setitem(sys.modules, library, None)  # makes `import library` fail
    monkeypatch.delitem(sys.modules, module)
    with pytest.raises(ImportError, match=f"pip install '{extra}'".replace("[", r"\[")):
        importlib.import_module(module)


@pytest.mark.parametrize("kind", ADAPTERS)
def test_tickets_a_century_apart_are_each_answered(kind: str) -> None:
    """A frame with a ticket of 1925 next to one of 2026 spans more years than one question
    may; each fits alone, so each gets SlaPolicy.status of its own (it was an error)."""
    opened = [sp(2026, 11, 23, 14), sp(1925, 3, 2, 10)]
    resolved = [None, sp(1925, 3, 30, 10)]
    out = records(
        add(kind)(
            frame(kind, {"opened": opened, "priority": ["P0", "P2"], "resolved": resolved}),
            now=NOW,
            resolved="resolved",
        )
    )
    policy = SlaPolicy.default()
    for row, when, end, code in zip(out, opened, resolved, ["P0", "P2"], strict=True):
        status = policy.status(Ticket(opened_at=when, priority=code, resolved_at=end), NOW)
        assert (row["state"], _py(row["due_at"])) == (status.state, status.due_at)
