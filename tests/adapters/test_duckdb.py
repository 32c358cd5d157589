"""The DuckDB SQL functions against the pandas adapter, row for row, and their mistakes."""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

duckdb = pytest.importorskip("duckdb")
pytest.importorskip("pyarrow")

from sla_clock import SlaPolicy  # noqa: E402 (after the skips)
from sla_clock.adapters import pandas as sla_pandas  # noqa: E402 (after the skips)
from sla_clock.adapters.duckdb import register  # noqa: E402 (after the skips: needs duckdb)

ZONE = "America/Sao_Paulo"
NOW = pd.Timestamp("2026-12-01 12:00", tz=ZONE)
MINUTES = st.integers(0, 60 * 24 * 90)


@pytest.fixture(scope="module")
def con() -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect()
    register(connection)
    return connection


def frame(rows: list[tuple[str, int, int | None]]) -> pd.DataFrame:
    start = pd.Timestamp("2026-09-01", tz=ZONE)
    return pd.DataFrame(
        {
            "priority": [p for p, _, _ in rows],
            "opened": pd.Series(
                [start + pd.Timedelta(minutes=m) for _, m, _ in rows],
                dtype=f"datetime64[us, {ZONE}]",
            ),
            "resolved": pd.Series(
                [pd.NaT if r is None else start + pd.Timedelta(minutes=m + r) for _, m, r in rows],
                dtype=f"datetime64[us, {ZONE}]",
            ),
        }
    )


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(("P0", "P1", "p2", "P3")),
            MINUTES,
            st.one_of(st.none(), st.integers(0, 60 * 24 * 5)),
        ),
        min_size=1,
        max_size=30,
    )
)
def test_the_sql_functions_equal_the_pandas_adapter(
    rows: list[tuple[str, int, int | None]],
) -> None:
    connection = duckdb.connect()
    register(connection)
    tickets = frame(rows)
    tickets["resolved"] = tickets["resolved"].where(
        tickets["resolved"] <= NOW, pd.NaT
    )  # a resolution after now is not known yet
    expected = sla_pandas.add_sla_columns(tickets, now=NOW.to_pydatetime())
    connection.register("tickets", tickets)
    got = connection.execute(
        "SELECT sla_due(priority, opened) AS due, sla_breach_at(priority, opened) AS breach, "
        "sla_state(priority, opened, resolved, ?) AS state FROM tickets",
        [NOW.to_pydatetime()],
    ).df()
    assert got["state"].tolist() == expected["state"].tolist()
    assert (got["due"].dt.tz_convert(ZONE) == expected["due_at"]).all()
    assert (got["breach"].dt.tz_convert(ZONE) == expected["breach_at"]).all()


def test_add_and_elapsed(con: duckdb.DuckDBPyConnection) -> None:
    policy = SlaPolicy.default()
    start = pd.Timestamp("2026-11-23 14:00", tz=ZONE).to_pydatetime()
    added, elapsed = con.execute(
        "SELECT sla_add(?, INTERVAL 4 HOUR), sla_elapsed(?, ? + INTERVAL 1 DAY)", [start] * 3
    ).fetchone()
    assert added == policy.calendar.add(start, timedelta(hours=4))
    assert elapsed == timedelta(hours=9)


def test_nulls_give_nulls_and_mistakes_are_named(con: duckdb.DuckDBPyConnection) -> None:
    row = con.execute(
        "SELECT sla_due(NULL, now()), sla_due('P1', NULL), sla_state('P1', NULL, NULL, now()), "
        "sla_elapsed(NULL, now())"
    ).fetchone()
    assert row == (None, None, None, None)
    with pytest.raises(duckdb.Error, match="unknown priority 'P9'"):
        con.execute("SELECT sla_due('P9', now())").fetchall()
    with pytest.raises(duckdb.Error, match="no fixed length"):
        con.execute("SELECT sla_add(now(), INTERVAL 1 MONTH)").fetchall()
    with pytest.raises(duckdb.Error, match="now"):
        con.execute("SELECT sla_state('P1', now() + INTERVAL 1 DAY, NULL, now())").fetchall()
