"""``batch`` with Parquet and Arrow files: the same statuses as CSV, typed columns, clear errors.

The CSV pipeline is the twin: the same tickets through ``batch`` to CSV and to Parquet
must give the same instants, durations, states and levels row for row, whether the Parquet
input holds the times as text, as naive timestamps (the calendar's local time) or as
timestamps with a zone.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")
pa_csv = pytest.importorskip("pyarrow.csv")

from support import call, fails  # noqa: E402 (after the skip: needs pyarrow)

NOW = "2026-11-27 12:00"
TICKETS = (
    "id,priority,opened,resolved,pauses\n"
    "A,P0,2026-11-23 14:00,,\n"
    "B,p1,2026-11-23 08:30,2026-11-24 10:00,2026-11-23 15:00/2026-11-24 09:30\n"
    "C,P2,2026-11-20 17:59,,2026-11-25 10:00/\n"
    "D,P3,2026-11-26 23:00,2026-11-27 11:00,\n"
)


@pytest.fixture
def tickets(tmp_path: Path) -> Path:
    path = tmp_path / "tickets.csv"
    path.write_text(TICKETS, encoding="utf-8")
    return path


def csv_statuses(capsys: pytest.CaptureFixture[str], path: Path) -> list[tuple[object, ...]]:
    status, out, _ = call(capsys, "batch", str(path), "--now", NOW)
    assert status == 0
    rows = [line.split(",") for line in out.splitlines()[1:]]
    us = 1_000_000
    return [
        (
            r[0],
            datetime.fromisoformat(r[5]),
            datetime.fromisoformat(r[6]),
            int(Decimal(r[7]) * us),
            int(Decimal(r[8]) * us),
            r[9],
            int(r[10]),
        )
        for r in rows
    ]


def parquet_statuses(path: Path) -> list[tuple[object, ...]]:
    table = pq.read_table(path)
    return [
        (
            r["id"],
            r["due_at"],
            r["breach_at"],
            r["used_seconds"] // timedelta(microseconds=1),
            r["remaining_seconds"] // timedelta(microseconds=1),
            r["state"],
            r["escalation_level"],
        )
        for r in table.to_pylist()
    ]


def test_csv_to_parquet_gives_the_csv_statuses(
    capsys: pytest.CaptureFixture[str], tickets: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out.parquet"
    assert call(capsys, "batch", str(tickets), "--now", NOW, "-o", str(out))[0] == 0
    assert parquet_statuses(out) == csv_statuses(capsys, tickets)
    schema = pq.read_schema(out)
    assert str(schema.field("due_at").type) == "timestamp[us, tz=America/Sao_Paulo]"
    assert str(schema.field("used_seconds").type) == "duration[us]"
    assert pa.types.is_dictionary(schema.field("state").type)
    assert str(schema.field("escalation_level").type) == "int16"
    assert schema.names[:5] == ["id", "priority", "opened", "resolved", "pauses"]


@pytest.mark.parametrize("zone", [None, "America/Sao_Paulo", "UTC"])
def test_typed_timestamps_in_parquet(
    capsys: pytest.CaptureFixture[str], tickets: Path, tmp_path: Path, zone: str | None
) -> None:
    table = pa_csv.read_csv(
        tickets,
        convert_options=pa_csv.ConvertOptions(
            column_types={
                "opened": pa.timestamp("s"),
                "resolved": pa.timestamp("s"),
                "pauses": pa.string(),
                "priority": pa.string(),
                "id": pa.string(),
            }
        ),
    )
    if zone is not None:  # the wall times as instants of São Paulo, shown in ``zone``
        for name in ("opened", "resolved"):
            column = table.column(name).cast(pa.timestamp("s", tz="America/Sao_Paulo"))
            local = pa.compute.assume_timezone(table.column(name), "America/Sao_Paulo")
            column = local.cast(pa.timestamp("us", tz=zone))
            table = table.set_column(table.schema.get_field_index(name), name, column)
    source, out = tmp_path / "in.parquet", tmp_path / "out.parquet"
    pq.write_table(table, source)
    assert call(capsys, "batch", str(source), "--now", NOW, "-o", str(out))[0] == 0
    assert parquet_statuses(out) == csv_statuses(capsys, tickets)


def test_arrow_ipc_in_and_out(
    capsys: pytest.CaptureFixture[str], tickets: Path, tmp_path: Path
) -> None:
    first, second = tmp_path / "a.arrow", tmp_path / "b.feather"
    assert call(capsys, "batch", str(tickets), "--now", NOW, "-o", str(first))[0] == 0
    assert call(capsys, "batch", str(first), "--now", NOW, "-o", str(second))[0] == 0
    table = pa.ipc.open_file(second).read_all()
    assert table.column("state").to_pylist() == [r[5] for r in csv_statuses(capsys, tickets)]


def batch_fails(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    """Run batch expecting bad input (status 2, nothing on stdout); return its stderr."""
    status, out, err = call(capsys, *args)
    assert (status, out) == (2, "")
    assert "Traceback" not in err
    return err


def test_bad_rows_are_named_by_row(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    source = tmp_path / "bad.parquet"
    pq.write_table(
        pa.table(
            {
                "priority": ["P1", "P9", "P1"],
                "opened": ["2026-11-23 10:00", "2026-11-23 10:00", "x"],
            }
        ),
        source,
    )
    out = tmp_path / "out.parquet"
    assert "bad.parquet row 2: unknown priority 'P9'" in batch_fails(
        capsys, "batch", str(source), "--now", NOW, "-o", str(out)
    )
    status, _, err = call(
        capsys, "batch", str(source), "--now", NOW, "-o", str(out), "--on-error", "skip"
    )
    assert status == 0
    assert "row 3: opened" in err
    assert pq.read_table(out).num_rows == 1


def test_mistakes(capsys: pytest.CaptureFixture[str], tickets: Path, tmp_path: Path) -> None:
    junk = tmp_path / "junk.parquet"
    junk.write_bytes(b"not parquet at all")
    out = str(tmp_path / "o.parquet")
    assert "not a Parquet file" in batch_fails(capsys, "batch", str(junk), "--now", NOW, "-o", out)
    no_opened = tmp_path / "n.parquet"
    pq.write_table(pa.table({"priority": ["P1"]}), no_opened)
    assert "no 'opened' column" in batch_fails(
        capsys, "batch", str(no_opened), "--now", NOW, "-o", out
    )
    csv_out = str(tmp_path / "o.csv")
    assert "Parquet or Arrow" in fails(capsys, "batch", str(no_opened), "--now", NOW, "-o", csv_out)
    jsonl = tmp_path / "t.jsonl"
    jsonl.write_text('{"priority": "P1", "opened": "2026-11-23 10:00"}\n', encoding="utf-8")
    assert "JSON Lines" in fails(capsys, "batch", str(jsonl), "--now", NOW, "-o", out)
    assert "not - (stdin)" in fails(capsys, "batch", "-", "--format", "parquet", "-o", out)
    assert not Path(out).exists()


@pytest.mark.parametrize(
    "source_name", ["empty.csv", "no-line-break.csv", "empty.parquet", "empty.arrow"]
)
@pytest.mark.parametrize("output", ["o.parquet", "o.arrow"])
def test_a_file_of_no_rows_gives_a_file_of_no_rows_with_the_columns(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, source_name: str, output: str
) -> None:
    """No tickets in: a readable file with the input columns and the typed status columns
    out, as CSV writes its header (it was a file of 0 bytes, which no reader opens)."""
    source = tmp_path / source_name
    columns = {"id": pa.array([], pa.string()), "priority": pa.array([], pa.string())}
    columns["opened"] = pa.array([], pa.timestamp("us", tz="UTC"))
    if source_name.endswith(".csv"):
        header = "id,priority,opened" + ("" if source_name.startswith("no-") else "\n")
        source.write_text(header, encoding="utf-8")
    elif source_name.endswith(".parquet"):
        pq.write_table(pa.table(columns), source)
    else:
        with pa.ipc.new_file(source, pa.table(columns).schema) as writer:
            writer.write_table(pa.table(columns))
    out = tmp_path / output
    status, _, err = call(capsys, "batch", str(source), "--now", NOW, "-o", str(out))
    assert status == 0, err
    table = pq.read_table(out) if output.endswith(".parquet") else pa.ipc.open_file(out).read_all()
    assert table.num_rows == 0
    assert table.schema.names == [
        "id", "priority", "opened", "due_at", "breach_at", "used_seconds",
        "remaining_seconds", "state", "escalation_level",
    ]  # fmt: skip
    assert table.schema.field("due_at").type == pa.timestamp("us", tz="America/Sao_Paulo")
    assert table.schema.field("used_seconds").type == pa.duration("us")


def test_a_file_of_no_rows_still_needs_its_columns(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    source = tmp_path / "e.csv"
    source.write_text("id,prio,opened\n", encoding="utf-8")
    out = tmp_path / "o.parquet"
    assert "no 'priority' column" in batch_fails(
        capsys, "batch", str(source), "--now", NOW, "-o", str(out)
    )


@pytest.mark.parametrize("size", ["1", "2", "3"])
def test_a_fail_run_counts_the_same_rows_to_parquet_as_to_csv(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, size: str
) -> None:
    """The chunks are ``--chunk-size`` rows whatever the format, so a bad row stops the run
    after the same rows in the summary."""
    source = tmp_path / "t.csv"
    rows = ["A,P0,2026-11-23 14:00,,"] * 4 + ["B,P9,2026-11-23 14:00,,"] + ["C,P0,x,,"]
    source.write_text("\n".join(["id,priority,opened,resolved,pauses", *rows, ""]), "utf-8")
    summaries = []
    for output in ("o.csv", "o.parquet"):
        command = ["batch", str(source), "--now", NOW, "-o", str(tmp_path / output)]
        status, _, err = call(capsys, *command, "--chunk-size", size)
        assert status == 2
        summaries.append(err.strip().splitlines()[-1].replace(output, "OUT"))
    assert summaries[0] == summaries[1].replace("at row 5", "at line 6")  # (data row 5)
    assert "stopped at line 6" in summaries[0]
