"""One list of bad and edge tickets through every path, with the same verdict from each.

The paths: the Python API (``Ticket`` + ``SlaPolicy.status``), ``sla-clock status``,
``sla-clock batch`` on CSV and on JSON Lines, the vectorised ``status_many_us``, and the
pandas, Polars and Dask adapters. Each one applies the ticket rules of ``sla_clock.ticket``
(the one copy): a verdict is either the same status (state, used, due_at, breach_at, level)
or a :class:`TicketError`.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
from collections.abc import Callable
from datetime import datetime
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

import dask
import dask.dataframe as dd
import numpy as np
import pandas as pd
import polars as pl
import pytest

from sla_clock import Pause, SlaClockError, SlaPolicy, Ticket, TicketError, cli
from sla_clock._zone import seconds
from sla_clock.adapters import dask as dask_adapter
from sla_clock.adapters import pandas as pandas_adapter
from sla_clock.adapters import polars as polars_adapter
from sla_clock.batch._pipeline import process
from sla_clock.bulk import NAT
from sla_clock.bulk._status import status_many_us

SP = ZoneInfo("America/Sao_Paulo")
POLICY = SlaPolicy.default()
CAL = POLICY.calendar


def mon(hour: int, minute: int = 0) -> datetime:
    """Monday 2026-11-23 at ``hour`` São Paulo (``hour`` 24+ runs into Tuesday)."""
    day, hour = divmod(hour, 24)
    return datetime(2026, 11, 23 + day, hour, minute, tzinfo=SP)


class Case(NamedTuple):
    """A ticket (a P1 opened Monday 10:00 unless said) and the instant of its status."""

    name: str
    now: datetime
    opened: datetime = mon(10)
    resolved: datetime | None = None
    pauses: tuple[tuple[datetime, datetime | None], ...] = ()


CASES = [
    Case("plain", now=mon(15)),
    Case("pause before the opening", now=mon(15), pauses=((mon(9), mon(11)),)),
    Case("pause after the resolution", now=mon(17), resolved=mon(14), pauses=((mon(13), mon(16)),)),
    Case(
        "ongoing pause on a resolved ticket",
        now=mon(17),
        resolved=mon(14),
        pauses=((mon(12), None),),
    ),
    Case("pause after now", now=mon(12), pauses=((mon(13), mon(14)),)),
    Case("pause reaching past now", now=mon(12), pauses=((mon(11), mon(14)),)),
    Case("pause starting at now", now=mon(12), pauses=((mon(12), mon(14)),)),
    Case("zero-length pause", now=mon(12), pauses=((mon(11), mon(11)),)),
    Case("pause entirely before the opening", now=mon(12), pauses=((mon(7), mon(8)),)),
    Case("resolution after now", now=mon(12), resolved=mon(16)),
    Case("resolved at the opening", now=mon(12), resolved=mon(10)),
    Case("now at the opening", now=mon(10)),
    Case("late, resolved after close", now=mon(33), resolved=mon(18, 20), opened=mon(9)),
    Case(
        "resolution in year 9999, after now", now=mon(12), resolved=datetime(9999, 1, 1, tzinfo=SP)
    ),
    Case("pause from 1895", now=mon(12), pauses=((datetime(1895, 1, 1, tzinfo=SP), mon(11)),)),
    Case("pause ends before it starts", now=mon(15), pauses=((mon(12), mon(11)),)),
    Case("resolved before opened", now=mon(15), resolved=mon(9)),
    Case("now before opened", now=mon(9)),
]

#: A verdict: ("error",) or (state, used seconds, due_at, breach_at, escalation level).
Verdict = tuple[Any, ...]
ERROR: Verdict = ("error",)


def iso(value: Any) -> str:
    return value.isoformat() if isinstance(value, datetime) else pd.Timestamp(value).isoformat()


def by_api(case: Case) -> Verdict:
    try:
        ticket = Ticket(
            opened_at=case.opened,
            priority="P1",
            resolved_at=case.resolved,
            pauses=tuple(Pause(start=s, end=e) for s, e in case.pauses),
        )
        s = POLICY.status(ticket, case.now)
    except TicketError:
        return ERROR
    return (s.state, seconds(s.used), iso(s.due_at), iso(s.breach_at), s.escalation_level)


def by_cli(case: Case) -> Verdict:
    args = ["status", "P1", "--opened", case.opened.isoformat(), "--now", case.now.isoformat()]
    if case.resolved is not None:
        args += ["--resolved", case.resolved.isoformat()]
    for start, end in case.pauses:
        args += ["--pause", start.isoformat(), "open" if end is None else end.isoformat()]
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main([*args, "--json"])
    if code == 2:
        assert err.getvalue().startswith("sla-clock: error: ")
        return ERROR
    data = json.loads(out.getvalue())
    return (
        data["state"],
        data["used_seconds"],
        data["due_at"],
        data["breach_at"],
        data["escalation_level"],
    )


def _batch(case: Case, input_format: str) -> Verdict:
    pauses = ";".join(f"{s.isoformat()}/{e.isoformat() if e else ''}" for s, e in case.pauses)
    resolved = case.resolved.isoformat() if case.resolved else ""
    if input_format == "csv":
        cells = f"T,P1,{case.opened.isoformat()},{resolved},{pauses}"
        text = f"id,priority,opened,resolved,pauses\n{cells}\n"
    else:
        row = {"id": "T", "priority": "P1", "opened": case.opened.isoformat()}
        text = json.dumps({**row, "resolved": resolved or None, "pauses": pauses}) + "\n"
    out, report = io.StringIO(), io.StringIO()
    summary = process(
        io.StringIO(text, newline=""),
        out,
        POLICY,
        case.now,
        input_format=input_format,  # type: ignore[arg-type]  # a plain str, not the Literal
        output_format="csv",
        on_error="skip",
        report=report,
    )
    if summary.rows_skipped:
        assert "TicketError" not in report.getvalue()  # a message, not an exception's repr
        return ERROR
    (row,) = csv.DictReader(io.StringIO(out.getvalue(), newline=""))
    used = float(row["used_seconds"])
    return (
        row["state"],
        int(used) if used.is_integer() else used,
        row["due_at"],
        row["breach_at"],
        int(row["escalation_level"]),
    )


def by_batch_csv(case: Case) -> Verdict:
    return _batch(case, "csv")


def by_batch_jsonl(case: Case) -> Verdict:
    return _batch(case, "jsonl")


def by_status_many_us(case: Case) -> Verdict:
    try:
        cols = status_many_us(
            POLICY,
            np.array([CAL.to_us(case.opened)]),
            np.array(["P1"]),
            CAL.to_us(case.now),
            resolved=np.array([NAT if case.resolved is None else CAL.to_us(case.resolved)]),
            pauses=[[(CAL.to_us(s), None if e is None else CAL.to_us(e)) for s, e in case.pauses]],
        )
    except TicketError:
        return ERROR
    used = int(cols.used[0])
    return (
        str(cols.state[0]),
        seconds_of(used),
        CAL.from_us(int(cols.due[0])).isoformat(),
        CAL.from_us(int(cols.breach[0])).isoformat(),
        int(cols.escalation_level[0]),
    )


def seconds_of(us: int) -> int | float:
    whole, rest = divmod(us, 1_000_000)
    return whole if rest == 0 else us / 1_000_000


def _row_verdict(row: dict[str, Any]) -> Verdict:
    used = row["used_seconds"]
    return (
        row["state"],
        int(used) if float(used).is_integer() else used,
        iso(row["due_at"]),
        iso(row["breach_at"]),
        int(row["escalation_level"]),
    )


def _pandas_frame(case: Case) -> pd.DataFrame:
    aware = f"datetime64[us, {SP.key}]"
    return pd.DataFrame(
        {
            "opened": pd.Series([case.opened]).astype(aware),
            "priority": ["P1"],
            "resolved": pd.Series([case.resolved or pd.NaT]).astype(aware)
            if case.resolved
            else pd.Series([pd.NaT], dtype=aware),
            "pauses": pd.Series([list(case.pauses)], dtype=object),
        }
    )


def by_pandas(case: Case) -> Verdict:
    try:
        out = pandas_adapter.add_sla_columns(_pandas_frame(case), now=case.now, pauses="pauses")
    except TicketError:
        return ERROR
    return _row_verdict(out.to_dict("records")[0])


def by_polars(case: Case) -> Verdict:
    frame = pl.DataFrame(
        {
            "opened": [case.opened],
            "priority": ["P1"],
            "resolved": pl.Series([case.resolved], dtype=pl.Datetime("us", SP.key)),
            "pauses": [[list(pair) for pair in case.pauses]],
        },
        schema_overrides={"pauses": pl.List(pl.List(pl.Datetime("us", SP.key)))},
    )
    try:
        out = polars_adapter.add_sla_columns(frame, now=case.now, pauses="pauses")
    except TicketError:
        return ERROR
    return _row_verdict(out.to_dicts()[0])


def by_dask(case: Case) -> Verdict:
    with dask.config.set({"dataframe.convert-string": False, "scheduler": "synchronous"}):
        frame = dd.from_pandas(_pandas_frame(case), npartitions=1)
        try:
            out = dask_adapter.add_sla_columns(frame, now=case.now, pauses="pauses").compute()
        except TicketError:
            return ERROR
    return _row_verdict(out.to_dict("records")[0])


PATHS: dict[str, Callable[[Case], Verdict]] = {
    "cli status": by_cli,
    "batch csv": by_batch_csv,
    "batch jsonl": by_batch_jsonl,
    "status_many_us": by_status_many_us,
    "pandas": by_pandas,
    "polars": by_polars,
    "dask": by_dask,
}


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANG", "C.UTF-8")


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
@pytest.mark.parametrize("path", list(PATHS))
def test_every_path_gives_the_api_verdict(case: Case, path: str) -> None:
    """Every path refuses what the Python API refuses and computes what it computes."""
    assert PATHS[path](case) == by_api(case)


def test_the_cases_cover_both_verdicts() -> None:
    """The table holds refused tickets and clipped ones (a table of one kind proves little)."""
    verdicts = [by_api(case) for case in CASES]
    assert verdicts.count(ERROR) == 3
    clipped = [c for c in CASES if "pause" in c.name and by_api(c) != ERROR]
    assert len(clipped) >= 7


def test_a_met_ticket_shows_no_escalation_on_any_path() -> None:
    """Resolved at 18:20 after a 09:00 opening (9 h used of 12), the ticket is met at level 0."""
    case = next(c for c in CASES if c.name == "late, resolved after close")
    assert by_api(case)[0] == "met"
    assert {PATHS[path](case)[4] for path in PATHS} == {0}


def test_errors_are_sla_clock_errors() -> None:
    """The refusals are TicketErrors (SlaClockError and ValueError), never another class."""
    assert issubclass(TicketError, SlaClockError)
    assert issubclass(TicketError, ValueError)
