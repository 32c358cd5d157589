"""metric_frame: the pandas, Polars and Dask adapters give the rows of metric_statuses.

Dask runs on its synchronous scheduler here (no cluster, no port): the shuffle on ticket and
the per-partition pandas adapter are what is tested; the cluster tests are test_dask.py's.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import dask
import dask.dataframe as dd
import pandas as pd
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings

from histories import histories, two_metrics
from sla_clock import NaiveDatetimeError, TicketError, metric_statuses
from sla_clock.adapters import dask as dask_adapter
from sla_clock.adapters import pandas as pandas_adapter
from sla_clock.adapters import polars as polars_adapter
from support import SP, nov

POLICY = two_metrics()
VALUE = {"opened": "priority", "priority": "priority", "status": "status", "reply": "by"}
#: The issue's example, as CSV carries it (ticket, at, event, value).
T1 = [
    ("T-1", nov(23, 14), "opened", "P1"),
    ("T-1", nov(23, 15), "status", "waiting_on_customer"),
    ("T-2", nov(23, 15), "opened", "P0"),
    ("T-1", nov(24, 10), "status", "open"),
    ("T-1", nov(24, 11), "reply", "agent"),
    ("T-1", nov(24, 12), "priority", "P0"),
    ("T-1", nov(24, 16), "resolved", None),
    ("T-1", nov(25, 10), "reopened", None),
]


def as_dicts(rows: list[tuple[Any, ...]]) -> list[dict[str, Any]]:
    out = []
    for ticket, at, event, value in rows:
        item = {"ticket": ticket, "at": at, "event": event}
        if value is not None:
            item[VALUE[event]] = value
        out.append(item)
    return out


def as_rows(events: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return [
        (e["ticket"], e["at"], e["event"], e.get(VALUE.get(e["event"], ""), None)) for e in events
    ]


def pandas_events(rows: list[tuple[Any, ...]]) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=["ticket", "at", "event", "value"])
    df["at"] = pd.to_datetime(df["at"], utc=True).dt.tz_convert(SP)
    return df


def polars_events(rows: list[tuple[Any, ...]]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "ticket": [r[0] for r in rows],
            "at": pl.Series([r[1] for r in rows], dtype=pl.Datetime("us", "America/Sao_Paulo")),
            "event": [r[2] for r in rows],
            "value": pl.Series([r[3] for r in rows], dtype=pl.String),
        }
    )


def expected(rows: list[tuple[Any, ...]], now: datetime) -> list[dict[str, Any]]:
    return [r.to_dict() for r in metric_statuses(POLICY, as_dicts(rows), now)]


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """A frame's rows in to_dict's shape (ISO times; seconds as int when whole)."""
    out = []
    for row in frame.to_dict("records"):
        for name in ("due_at", "breach_at"):
            row[name] = row[name].isoformat()
        for name in ("used_seconds", "remaining_seconds", "elapsed_seconds"):
            value = row[name]
            row[name] = int(value) if value == int(value) else value
        out.append({k: v.item() if hasattr(v, "item") else v for k, v in row.items()})
    return out


def three(rows: list[tuple[Any, ...]], now: datetime) -> dict[str, list[dict[str, Any]]]:
    with dask.config.set(scheduler="synchronous"):
        lazy = dask_adapter.metric_frame(
            dd.from_pandas(pandas_events(rows), npartitions=2), POLICY, now=now
        )
        computed = lazy.compute()
    order = {t: i for i, t in enumerate(dict.fromkeys(r[0] for r in rows))}
    computed = computed.sort_values("ticket", key=lambda s: s.map(order), kind="stable")
    return {
        "pandas": records(pandas_adapter.metric_frame(pandas_events(rows), POLICY, now=now)),
        "polars": records(
            polars_adapter.metric_frame(polars_events(rows), POLICY, now=now).to_pandas()
        ),
        "dask": records(computed),
    }


def test_the_issue_example_in_pandas_and_polars() -> None:
    want = expected(T1, nov(25, 12))
    got = pandas_adapter.metric_frame(pandas_events(T1), POLICY, now=nov(25, 12))
    assert records(got) == want
    got_pl = polars_adapter.metric_frame(polars_events(T1), POLICY, now=nov(25, 12))
    assert records(got_pl.to_pandas()) == want


@pytest.mark.slow
def test_the_issue_example_in_three_frames() -> None:
    want = expected(T1, nov(25, 12))
    assert [(r["ticket"], r["metric"], r["cycle"]) for r in want] == [
        ("T-1", "first_response", 1),
        ("T-1", "resolution", 1),
        ("T-2", "first_response", 1),
        ("T-2", "resolution", 1),
    ]
    for name, got in three(T1, nov(25, 12)).items():
        assert got == want, name


def test_the_dtypes() -> None:
    out = pandas_adapter.metric_frame(pandas_events(T1), POLICY, now=nov(25, 12))
    assert list(out.columns) == list(expected(T1, nov(25, 12))[0])
    assert str(out["due_at"].dtype) == "datetime64[us, America/Sao_Paulo]"
    assert (out["cycle"].dtype, out["escalation_level"].dtype) == ("int64", "int64")
    assert out["used_seconds"].dtype == "float64"
    pl_out = polars_adapter.metric_frame(polars_events(T1), POLICY, now=nov(25, 12))
    assert pl_out.schema["due_at"] == pl.Datetime("us", "America/Sao_Paulo")
    assert pl_out.schema["cycle"] == pl.Int64


def test_priority_status_by_columns_instead_of_value() -> None:
    df = pd.DataFrame(as_dicts(T1))
    df["at"] = pd.to_datetime(df["at"], utc=True).dt.tz_convert(SP)
    got = records(pandas_adapter.metric_frame(df, POLICY, now=nov(25, 12)))
    assert got == expected(T1, nov(25, 12))


def test_an_empty_frame_has_the_columns() -> None:
    out = pandas_adapter.metric_frame(pandas_events(T1).iloc[:0], POLICY, now=nov(25, 12))
    assert len(out) == 0
    assert str(out["breach_at"].dtype) == "datetime64[us, America/Sao_Paulo]"


@pytest.mark.parametrize(
    ("change", "error", "needle"),
    [
        (lambda df: df.drop(columns="event"), KeyError, r"no column\(s\) \['event'\]"),
        (lambda df: df.drop(columns="value"), KeyError, "no 'value' column"),
        (lambda df: df.assign(at=df["at"].dt.tz_localize(None)), NaiveDatetimeError, "naive"),
        (lambda df: df.assign(at=df["at"].astype(str)), TypeError, "tz-aware"),
        (
            lambda df: df.replace({"event": {"reply": "replied"}}),
            ValueError,
            "row 4: unknown event 'replied'",
        ),
        (lambda df: df.replace({"value": {"agent": "robot"}}), ValueError, "'agent' or 'customer'"),
        (
            lambda df: df.replace({"value": {"P1": None}}),
            ValueError,
            "row 0: a 'opened' event needs",
        ),
        (lambda df: df.iloc[1:], TicketError, "row 1: the history has no 'opened' event"),
    ],
)
def test_a_bad_frame_is_refused(change: Any, error: type[Exception], needle: str) -> None:
    with pytest.raises(error, match=needle):
        pandas_adapter.metric_frame(change(pandas_events(T1)), POLICY, now=nov(25, 12))


def test_polars_and_dask_refuse_bad_frames() -> None:
    df = polars_events(T1)
    with pytest.raises(NaiveDatetimeError, match="naive"):
        polars_adapter.metric_frame(
            df.with_columns(pl.col("at").dt.replace_time_zone(None)), POLICY, now=nov(25, 12)
        )
    with pytest.raises(KeyError, match="ticket"):
        polars_adapter.metric_frame(df.drop("ticket"), POLICY, now=nov(25, 12))
    naive = pandas_events(T1).assign(at=lambda d: d["at"].dt.tz_localize(None))
    with pytest.raises(NaiveDatetimeError, match="naive"):
        dask_adapter.metric_frame(dd.from_pandas(naive, npartitions=1), POLICY, now=nov(25, 12))
    with pytest.raises(TypeError, match="Dask DataFrame"):
        dask_adapter.metric_frame(pandas_events(T1), POLICY, now=nov(25, 12))


@pytest.mark.slow
@settings(deadline=None, max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(histories())
def test_random_histories_in_three_frames(case: tuple[list[dict[str, Any]], datetime]) -> None:
    events, now = case
    rows = as_rows(events)
    want = expected(rows, now)
    for name, got in three(rows, now).items():
        assert got == want, name
