"""The Dask adapter: the pandas adapter mapped over partitions, lazily, on a real cluster.

The reference is always the pandas adapter on the whole frame in this process, which
``test_adapters.py`` checks against :meth:`SlaPolicy.status` row by row. The cluster tests
share one ``distributed.LocalCluster`` of two worker processes (one thread each) for the
module; the documented cluster code is read from ``docs/dask.md`` and run as it is written,
with only its three constants pointed at that cluster and at a temporary folder.
"""

from __future__ import annotations

import importlib
import pickle
import re
import socket
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import cloudpickle
import dask
import dask.dataframe as dd
import numpy as np
import pandas as pd
import pytest
from dask.core import get_dependencies
from distributed import Client, LocalCluster, get_task_stream

from sla_clock import (
    BusinessCalendar,
    NaiveDatetimeError,
    SlaPolicy,
    TicketError,
    UnknownPriorityError,
)
from sla_clock.adapters import OUTPUT_COLUMNS
from sla_clock.adapters import dask as dask_adapter
from sla_clock.adapters import pandas as pandas_adapter
from sla_clock.policy import DEFAULT_POLICY_DATA
from support import SP, sp

NOW = datetime(2026, 11, 24, 11, 0, tzinfo=SP)
DOCS = Path(__file__).resolve().parents[2] / "docs" / "dask.md"
DOC_MARKER = "<!-- tests/adapters/test_dask.py runs the next block: keep it runnable -->"

US = 1_000_000
DAY_US = 86_400 * US
NAT = np.iinfo(np.int64).min
CLUSTER_ROWS = 100_000

#: Pickled-size bounds (measured: policy 1,381 B fresh, 1,618 B once used; calendar 214 B).
POLICY_PICKLE_MAX = 2_048
CALENDAR_PICKLE_MAX = 512


def epoch_us(value: datetime) -> int:
    return (value - datetime(1970, 1, 1, tzinfo=UTC)) // timedelta(microseconds=1)


def random_tickets(n: int, seed: int, *, pause_share: float = 0.10) -> pd.DataFrame:
    """``n`` random tickets: the columns of ``sla-clock batch`` as typed pandas columns.

    Opened uniformly (to the microsecond) from 2018, São Paulo's last DST years included,
    to ``NOW``; P0-P3 (some lowercase); 40 % resolved up to 15 days later (some after
    ``NOW``, which the status ignores); ``pause_share`` with one or two pauses, a fifth of
    the open tickets' last pause still going on. ``opened`` is in São Paulo, ``resolved`` in
    UTC: the adapters take any zone.
    """
    rng = np.random.default_rng(seed)
    opened = rng.integers(epoch_us(sp(2018, 1, 1)), epoch_us(NOW), n)
    is_resolved = rng.random(n) < 0.40
    resolved = np.where(is_resolved, opened + rng.integers(0, 15 * DAY_US, n), NAT)
    pauses: list[Any] = [None] * n
    for i in np.flatnonzero(rng.random(n) < pause_share).tolist():
        start = int(opened[i]) + int(rng.integers(0, 3 * DAY_US))
        items: list[tuple[pd.Timestamp, pd.Timestamp | None]] = []
        for _ in range(int(rng.integers(1, 3))):
            end: int | None = start + int(rng.integers(60 * US, 2 * DAY_US))
            if is_resolved[i]:
                start, end = min(start, int(resolved[i])), min(end, int(resolved[i]))
            elif rng.random() < 0.2:
                end = None
            items.append((stamp(start), None if end is None else stamp(end)))
            if end is None:
                break
            start = end + int(rng.integers(0, DAY_US))
        pauses[i] = items
    index = pd.RangeIndex(10_000, 10_000 + n)
    return pd.DataFrame(
        {
            "id": [f"T-{i}" for i in range(n)],
            "priority": rng.choice(np.array(["P0", "P1", "P2", "P3", "p0", "p3"]), n),
            "opened": pd.to_datetime(opened, unit="us", utc=True).tz_convert(SP),
            "resolved": pd.to_datetime(resolved, unit="us", utc=True),
            "pauses": pd.Series(pauses, index=index, dtype=object),
        },
        index=index,
    )


def stamp(us: int) -> pd.Timestamp:
    return pd.Timestamp(us, unit="us", tz=SP)


def custom_policy() -> SlaPolicy:
    """Not the default: lunch breaks, Saturday mornings, SP holidays, a closed day, 50 % warning."""
    calendar = BusinessCalendar.create(
        hours={"mon-fri": ["09:00-12:00", "13:00-18:00"], "sat": "09:00-13:00"},
        subdiv="SP",
        closed_dates=[date(2025, 12, 24)],
    )
    data = {**DEFAULT_POLICY_DATA, "warning_share": 0.5}
    return SlaPolicy.model_validate(data).with_calendar(calendar)


def new_columns(prefix: str = "") -> list[str]:
    return [f"{prefix}{name}" for name in OUTPUT_COLUMNS]


def to_dask(frame: pd.DataFrame, npartitions: int) -> dd.DataFrame:
    """``dd.from_pandas`` keeping every column as it is, lists of pauses included.

    By default Dask turns object columns into strings (``dataframe.convert-string``), which
    would flatten the lists of pauses into their text; ``docs/dask.md`` says so.
    """
    with dask.config.set({"dataframe.convert-string": False}):
        return dd.from_pandas(frame, npartitions=npartitions)


def assert_same_as_pandas(got: pd.DataFrame, expected: pd.DataFrame) -> None:
    """Same columns, index, dtypes and values, exactly."""
    pd.testing.assert_frame_equal(got, expected, check_exact=True)


# -- laziness and meta -----------------------------------------------------------------------


def _load_partition(number: int) -> pd.DataFrame:
    msg = f"partition {number} was loaded"
    raise AssertionError(msg)


def unloadable(meta: pd.DataFrame, partitions: int) -> dd.DataFrame:
    """A Dask frame of ``meta``'s columns whose partitions raise if they are ever loaded."""
    with dask.config.set({"dataframe.convert-string": False}):
        return dd.from_map(_load_partition, range(partitions), meta=meta)


def _refuse(*args: Any, **kwargs: Any) -> Any:
    msg = "the scheduler was called"
    raise RuntimeError(msg)


def test_building_the_graph_computes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Calling the adapter loads no partition, calls no scheduler, runs no partition's rows."""
    sizes: list[int] = []
    real = pandas_adapter.add_sla_columns

    def counting(df: pd.DataFrame, *args: Any, **kwargs: Any) -> pd.DataFrame:
        sizes.append(len(df))
        return real(df, *args, **kwargs)

    monkeypatch.setattr(pandas_adapter, "add_sla_columns", counting)
    meta = random_tickets(0, seed=0)
    tickets = unloadable(meta, 4)
    with dask.config.set(scheduler=_refuse):
        out = dask_adapter.add_sla_columns(tickets, now=NOW, pauses="pauses")
        late = out[out["state"] == "breached"][["id", "breach_at"]]
        assert list(out.columns) == [*meta.columns, *OUTPUT_COLUMNS]
        assert out.npartitions == late.npartitions == 4
        assert sizes == [0]  # the zero-row _meta, to type the output; no partition
        with pytest.raises(RuntimeError, match="the scheduler was called"):
            late.compute()  # the refusal is live: computing goes through it
    with pytest.raises(AssertionError, match=r"partition \d was loaded"):
        late.compute(scheduler="sync")  # and the graph does read the partitions
    assert sizes == [0]


def test_declared_meta_is_what_the_partitions_return() -> None:
    """The declared dtypes are those the pandas adapter returns on real rows."""
    tickets = to_dask(random_tickets(2_000, seed=1), npartitions=3)
    out = dask_adapter.add_sla_columns(tickets, now=NOW, pauses="pauses", prefix="sla_")
    computed = out.compute(scheduler="sync")
    pd.testing.assert_series_equal(out.dtypes, computed.dtypes)
    for name, dtype in {
        "sla_due_at": pd.DatetimeTZDtype("us", SP),
        "sla_breach_at": pd.DatetimeTZDtype("us", SP),
        "sla_used": np.dtype("timedelta64[us]"),
        "sla_remaining": np.dtype("timedelta64[us]"),
        "sla_escalation_level": np.dtype("int64"),
    }.items():
        assert out.dtypes[name] == dtype, name
    assert out.divisions == tickets.divisions


@pytest.mark.slow
@pytest.mark.parametrize(
    "options",
    [
        pytest.param({}, id="defaults"),
        pytest.param({"pauses": "pauses", "prefix": "sla_"}, id="pauses-prefix"),
        pytest.param({"resolved": None, "pauses": "pauses"}, id="resolved-ignored"),
    ],
)
def test_equals_the_pandas_adapter_on_the_local_scheduler(options: dict[str, Any]) -> None:
    """With Dask's default threaded scheduler the result is the pandas adapter's, row for row."""
    frame = random_tickets(3_000, seed=2)
    policy = custom_policy()
    got = dask_adapter.add_sla_columns(
        to_dask(frame, npartitions=4), policy, now=NOW, **options
    ).compute()
    expected = pandas_adapter.add_sla_columns(frame, policy, now=NOW, **options)
    assert_same_as_pandas(got, expected)


def test_renamed_columns_are_passed_to_every_partition() -> None:
    """Column names given to the adapter reach the pandas adapter in each partition."""
    frame = random_tickets(500, seed=3).rename(
        columns={"opened": "aberto", "priority": "prioridade", "resolved": "fechado"}
    )
    names = {"opened": "aberto", "priority": "prioridade", "resolved": "fechado"}
    got = dask_adapter.add_sla_columns(to_dask(frame, npartitions=2), now=NOW, **names).compute()
    assert_same_as_pandas(got, pandas_adapter.add_sla_columns(frame, now=NOW, **names))


def test_the_policy_is_one_task_every_partition_depends_on() -> None:
    """The partitions' tasks share one dependency, the policy: a worker receives it once."""
    tickets = to_dask(random_tickets(400, seed=4), npartitions=4)
    policy = custom_policy()
    out = dask_adapter.add_sla_columns(tickets, policy, now=NOW)
    graph = dict(out.__dask_graph__())
    shared = set.intersection(*(get_dependencies(graph, key) for key in out.__dask_keys__()))
    assert len(shared) == 1
    assert dask.get(graph, shared.pop()) == policy


# -- errors ----------------------------------------------------------------------------------


def test_a_pandas_frame_is_refused_with_the_way_out() -> None:
    """A pandas frame is a TypeError naming the pandas adapter and dd.from_pandas."""
    with pytest.raises(TypeError, match=r"adapters\.pandas\.add_sla_columns.*from_pandas"):
        dask_adapter.add_sla_columns(random_tickets(3, seed=5), now=NOW)


def _schema_mistake(frame: pd.DataFrame, mistake: str) -> pd.DataFrame:
    if mistake == "missing-column":
        return frame.drop(columns="priority")
    if mistake == "naive-opened":
        return frame.assign(opened=frame["opened"].dt.tz_localize(None))
    if mistake == "naive-resolved":
        return frame.assign(resolved=frame["resolved"].dt.tz_localize(None))
    if mistake == "text-opened":
        return frame.assign(opened=frame["opened"].astype(str))
    assert mistake == "column-clash"
    return frame.assign(state="open")


@pytest.mark.parametrize(
    ("mistake", "error", "match"),
    [
        ("missing-column", KeyError, "no column 'priority'"),
        ("naive-opened", NaiveDatetimeError, r"dt\.tz_localize\('America/Sao_Paulo'\)"),
        ("naive-resolved", NaiveDatetimeError, "column 'resolved' holds naive times"),
        ("text-opened", TypeError, "must hold tz-aware datetimes"),
        ("column-clash", ValueError, "prefix='sla_'"),
    ],
)
def test_schema_mistakes_are_raised_when_the_graph_is_built(
    mistake: str, error: type[Exception], match: str
) -> None:
    """A missing column, naive or text times, or a clash are refused before any computing."""
    frame = _schema_mistake(random_tickets(10, seed=6), mistake)
    with pytest.raises(error, match=match):
        dask_adapter.add_sla_columns(unloadable(frame.iloc[:0], 2), now=NOW)


def test_a_naive_now_is_refused_when_the_graph_is_built() -> None:
    """A naive now is a NaiveDatetimeError at once, as in the pandas adapter."""
    tickets = unloadable(random_tickets(0, seed=6), 2)
    naive = datetime(2026, 11, 24, 11)  # noqa: DTZ001 - the mistake under test
    with pytest.raises(NaiveDatetimeError, match="has no timezone"):
        dask_adapter.add_sla_columns(tickets, now=naive)


def test_an_all_missing_resolved_column_of_any_dtype_is_accepted() -> None:
    """A resolved column with no value yet (object dtype) is fine, as for the pandas adapter."""
    frame = random_tickets(50, seed=13).assign(resolved=None)
    got = dask_adapter.add_sla_columns(to_dask(frame, npartitions=2), now=NOW).compute()
    assert_same_as_pandas(got, pandas_adapter.add_sla_columns(frame, now=NOW))


def test_a_pauses_column_dask_turned_into_text_is_refused() -> None:
    """Pauses that Dask's string conversion made text are refused at once, with the fix."""
    frame = random_tickets(300, seed=12)
    tickets = dd.from_pandas(frame, npartitions=2)  # Dask's default: object -> string
    assert pd.api.types.is_string_dtype(tickets.dtypes["pauses"])
    with pytest.raises(TypeError, match=r"'dataframe\.convert-string': False"):
        dask_adapter.add_sla_columns(tickets, now=NOW, pauses="pauses")
    # Without pauses= the column is only carried along, as any other column.
    got = dask_adapter.add_sla_columns(tickets, now=NOW).compute()
    assert got["state"].tolist() == pandas_adapter.add_sla_columns(frame, now=NOW)["state"].tolist()


def test_row_errors_are_raised_when_their_partition_is_computed() -> None:
    """Bad rows pass the graph building and raise the pandas adapter's error on compute."""
    frame = random_tickets(20, seed=7)
    frame.loc[10_015, "priority"] = "P9"
    lazy = dask_adapter.add_sla_columns(to_dask(frame, npartitions=2), now=NOW)
    with pytest.raises(UnknownPriorityError, match="'P9'"):
        lazy.compute(scheduler="sync")
    frame = random_tickets(20, seed=7)
    frame.loc[10_013, "resolved"] = frame.loc[10_013, "opened"] - timedelta(hours=1)
    lazy = dask_adapter.add_sla_columns(to_dask(frame, npartitions=2), now=NOW)
    with pytest.raises(TicketError, match="first row 10013"):
        lazy.compute(scheduler="sync")


def test_importing_the_adapter_without_dask_names_the_extra(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Without Dask, importing the adapter says: pip install 'sla-clock[dask]'."""
    monkeypatch.setitem(sys.modules, "dask", None)  # makes `import dask...` fail
    monkeypatch.setitem(sys.modules, "dask.dataframe", None)
    monkeypatch.delitem(sys.modules, "sla_clock.adapters.dask")
    with pytest.raises(ImportError, match=r"pip install 'sla-clock\[dask\]'"):
        importlib.import_module("sla_clock.adapters.dask")


# -- pickled sizes ---------------------------------------------------------------------------


def compile_a_decade(policy: SlaPolicy) -> None:
    """Make the policy's calendar compile 2018-2030 and fill the policy's own caches."""
    frame = random_tickets(200, seed=8)
    frame.loc[10_000, "opened"] = pd.Timestamp(2018, 1, 2, 10, tz=SP)
    pandas_adapter.add_sla_columns(frame, policy, now=sp(2030, 6, 1), pauses="pauses")
    policy.calendar.add(sp(2030, 12, 20), timedelta(hours=8))


@pytest.mark.parametrize("dumps", [pickle.dumps, cloudpickle.dumps], ids=["pickle", "cloudpickle"])
def test_the_default_policy_pickles_small_after_compiling_years(dumps: Any) -> None:
    """SlaPolicy.default() stays under 2 KB pickled once its calendar has compiled 13 years."""
    policy = SlaPolicy.default()
    compile_a_decade(policy)
    assert policy.calendar._cache.current.last_year >= 2030  # the timeline really grew
    data = dumps(policy)
    assert len(data) < POLICY_PICKLE_MAX, len(data)
    copy = pickle.loads(data)
    assert copy == policy
    frame = random_tickets(300, seed=9)
    pd.testing.assert_frame_equal(
        pandas_adapter.add_sla_columns(frame, copy, now=NOW, pauses="pauses"),
        pandas_adapter.add_sla_columns(frame, policy, now=NOW, pauses="pauses"),
    )


@pytest.mark.parametrize(
    "calendar",
    [
        pytest.param(BusinessCalendar.default, id="default"),
        pytest.param(lambda: custom_policy().calendar, id="custom"),
    ],
)
def test_a_calendar_pickles_its_definition_only(calendar: Any) -> None:
    """A calendar's pickle is the same bytes before and after it compiles a timeline."""
    fresh = calendar()
    before = pickle.dumps(fresh)
    fresh.add(sp(2018, 1, 2, 10), timedelta(days=4000))
    assert fresh._cache.current.last_year >= 2028
    after = pickle.dumps(fresh)
    assert after == before
    assert len(after) < CALENDAR_PICKLE_MAX, len(after)
    assert len(cloudpickle.dumps(fresh)) < CALENDAR_PICKLE_MAX


# -- on a cluster ----------------------------------------------------------------------------


#: Dask's default ports: the scheduler's, and its HTTP server's (dashboard or not).
DEFAULT_PORTS = (8786, 8787)
#: Two worker processes with one thread each, and no fixed port anywhere. The scheduler's HTTP
#: server starts even without the dashboard, and ``dashboard_address=None`` leaves it on 8787
#: (with a warning, an error under ``filterwarnings = error``, when that port is taken): it
#: gets a random loopback port instead, with the dashboard itself turned off.
CLUSTER_OPTIONS: dict[str, Any] = {
    "n_workers": 2,
    "processes": True,
    "threads_per_worker": 1,
    "scheduler_port": 0,
    "dashboard_address": "127.0.0.1:0",
    "scheduler_kwargs": {"dashboard": False},
}


@pytest.fixture(scope="module")
def default_ports_held() -> Iterator[tuple[int, ...]]:
    """Hold Dask's default ports on the loopback while the cluster tests run; yield those held.

    A port another process already uses is left alone (two runs of the suite at once): the
    cluster tests run all the same, only the proof that they do not need it is skipped.
    """
    held: list[socket.socket] = []
    for port in DEFAULT_PORTS:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            sock.bind(("127.0.0.1", port))
            sock.listen()
        except OSError:
            sock.close()
            continue
        held.append(sock)
    try:
        yield tuple(sock.getsockname()[1] for sock in held)
    finally:
        for sock in held:
            sock.close()


@pytest.fixture(scope="module")
def cluster(default_ports_held: tuple[int, ...]) -> Iterator[LocalCluster]:
    """The module's cluster (:data:`CLUSTER_OPTIONS`), started while the default ports are held."""
    with LocalCluster(**CLUSTER_OPTIONS) as local:
        yield local


@pytest.mark.slow
def test_the_cluster_binds_no_fixed_port(
    cluster: LocalCluster, default_ports_held: tuple[int, ...]
) -> None:
    """The scheduler and its HTTP server are on random ports, so a taken 8786 or 8787 is no matter.

    ``dashboard_address=None`` used to put the HTTP server on 8787: the suite failed whenever
    anything listened there.
    """
    scheduler_port = int(cluster.scheduler_address.rsplit(":", 1)[1])
    http_port = cluster.scheduler.http_server.port
    assert scheduler_port not in DEFAULT_PORTS
    assert http_port not in DEFAULT_PORTS
    assert cluster.scheduler.http_server.address == "127.0.0.1"
    with Client(cluster) as client:
        assert client.submit(sum, [1, 2]).result() == 3
    if default_ports_held != DEFAULT_PORTS:
        pytest.skip(f"another process uses some of {DEFAULT_PORTS}: they could not be held")
    # The cluster started, and computed, while this process held both default ports.


@pytest.mark.slow
def test_a_cluster_equals_one_process_on_100k_random_tickets(cluster: LocalCluster) -> None:
    """On two worker processes, 100 000 random tickets get the one-process result, row for row."""
    frame = random_tickets(CLUSTER_ROWS, seed=10)
    policy = custom_policy()
    compile_a_decade(policy)  # the cluster gets the definition, not this compiled timeline
    lazy = dask_adapter.add_sla_columns(
        to_dask(frame, npartitions=8), policy, now=NOW, pauses="pauses"
    )
    with Client(cluster) as client, get_task_stream(client) as tasks:
        assert len(client.scheduler_info()["workers"]) == 2
        got = lazy.compute()
    expected = pandas_adapter.add_sla_columns(frame, policy, now=NOW, pauses="pauses")
    assert_same_as_pandas(got, expected)
    workers = {t["worker"] for t in tasks.data if "sla-columns" in str(t["key"])}
    assert len(workers) == 2  # both processes computed partitions
    assert set(got["state"]) == {"running", "at_risk", "paused", "breached", "met", "missed"}


def documented_code() -> str:
    """The Python block of docs/dask.md that follows the marker, as written."""
    after = DOCS.read_text(encoding="utf-8").split(DOC_MARKER, 1)[1]
    match = re.match(r"\s*```python\n(.*?)\n```", after, re.DOTALL)
    assert match is not None, "no python block after the marker in docs/dask.md"
    return match.group(1)


def with_constant(code: str, name: str, value: str) -> str:
    code, count = re.subn(rf'^{name} = "[^"\n]*"', f"{name} = {value!r}", code, flags=re.M)
    assert count == 1, f"docs/dask.md: no single `{name} = ...` line"
    return code


def parquet_tickets(frame: pd.DataFrame, folder: Path, files: int) -> None:
    """Write the tickets as Parquet files, pauses as ``list<struct<start, end>>``."""
    frame = frame.assign(
        pauses=[
            None if items is None else [{"start": s, "end": e} for s, e in items]
            for items in frame["pauses"]
        ]
    ).reset_index(drop=True)
    folder.mkdir()
    for number, part in enumerate(np.array_split(np.arange(len(frame)), files)):
        frame.iloc[part].to_parquet(folder / f"part-{number}.parquet", index=False)


@pytest.mark.slow
def test_the_documented_code_runs_on_a_cluster(
    cluster: LocalCluster, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The docs' cluster block, run on the LocalCluster, writes the one-process result."""
    parquet_tickets(random_tickets(CLUSTER_ROWS, seed=11), tmp_path / "tickets", files=6)
    code = documented_code()
    code = with_constant(code, "SCHEDULER", cluster.scheduler_address)
    code = with_constant(code, "TICKETS", str(tmp_path / "tickets"))
    code = with_constant(code, "STATUSES", str(tmp_path / "statuses"))
    namespace: dict[str, Any] = {"__name__": "docs_dask"}
    exec(compile(code, str(DOCS), "exec"), namespace)

    tickets = pd.read_parquet(tmp_path / "tickets")
    expected = pandas_adapter.add_sla_columns(
        tickets, SlaPolicy.default(), now=namespace["now"], pauses="pauses"
    )
    written = pd.read_parquet(tmp_path / "statuses")
    got = written.sort_values("id", key=lambda ids: ids.str[2:].astype(int), ignore_index=True)
    expected = expected.sort_values(
        "id", key=lambda ids: ids.str[2:].astype(int), ignore_index=True
    )
    new = new_columns()
    pd.testing.assert_frame_equal(got[new], expected[new], check_exact=True)
    # The input's columns come back too (Dask reads text as its own string dtype).
    pd.testing.assert_frame_equal(got, expected.drop(columns="pauses"), check_dtype=False)
    counts = expected["state"].value_counts().to_dict()
    assert namespace["counts"].to_dict() == counts
    assert {"paused", "breached", "met", "missed"} <= set(counts)
    assert capsys.readouterr().out.strip() == str(namespace["counts"].to_dict())
