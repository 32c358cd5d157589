"""What many test modules share: São Paulo wall times, CLI calls in and out of process, batch runs.

One copy each, so that a change of the CLI's error line or of the batch pipeline's signature is
made here once. Test modules import these by name (``tests/`` is on ``sys.path``; see
``[tool.pytest.ini_options]`` in ``pyproject.toml``).
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections.abc import Mapping
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from sla_clock import SlaPolicy, cli
from sla_clock._zone import to_us
from sla_clock.batch._pipeline import BatchSummary, Format, OnError, process

__all__ = [
    "ERROR_PREFIX",
    "SP",
    "as_json",
    "call",
    "fails",
    "nov",
    "process_text",
    "run_module",
    "sp",
    "sp_us",
    "summary",
]

SP = ZoneInfo("America/Sao_Paulo")
#: The start of the one line the CLI prints for bad input.
ERROR_PREFIX = "sla-clock: error: "


def sp(
    year: int,
    month: int,
    day: int,
    hour: int = 0,
    minute: int = 0,
    second: int = 0,
    microsecond: int = 0,
) -> datetime:
    """A São Paulo wall time (``fold=0``: a time in a DST gap or overlap takes the first reading).

    >>> sp(2026, 11, 24, 17, 30).isoformat()
    '2026-11-24T17:30:00-03:00'
    """
    return datetime(year, month, day, hour, minute, second, microsecond, tzinfo=SP)


def nov(day: int, hour: int, minute: int = 0, second: int = 0, microsecond: int = 0) -> datetime:
    """A São Paulo wall time in November 2026 (Mon 23 .. Fri 27, Mon 30), the desk's test week.

    >>> nov(23, 14).isoformat()
    '2026-11-23T14:00:00-03:00'
    """
    return sp(2026, 11, day, hour, minute, second, microsecond)


def sp_us(*args: int) -> int:
    """A São Paulo wall time as microseconds since the epoch.

    >>> sp_us(2026, 11, 23, 9)
    1795435200000000
    """
    return to_us(sp(*args))


def call(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Call ``cli.main`` in-process and return its status, stdout and stderr."""
    status = cli.main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def fails(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    """Call ``cli.main`` expecting bad input and return the message of its one stderr line."""
    status, out, err = call(capsys, *args)
    assert (status, out) == (2, "")
    assert err.count("\n") == 1
    assert err.startswith(ERROR_PREFIX)
    return err.removeprefix(ERROR_PREFIX).strip()


def summary(capsys: pytest.CaptureFixture[str], *args: str, status: int = 0) -> dict[str, str]:
    """Call ``cli.main`` expecting ``status`` and return the printed ``label: value`` lines."""
    code, out, err = call(capsys, *args)
    assert (code, err) == (status, "")
    lines = [line.split(":", 1) for line in out.splitlines()]
    return {label: value.strip() for label, value in lines}


def as_json(capsys: pytest.CaptureFixture[str], *args: str, status: int = 0) -> dict[str, object]:
    """Call ``cli.main`` with ``--json`` expecting ``status`` and return the parsed object."""
    code, out, err = call(capsys, *args, "--json")
    assert (code, err) == (status, "")
    assert out.count("\n") == 1
    data: dict[str, object] = json.loads(out)
    return data


def run_module(
    *args: str,
    tz: str = "Asia/Tokyo",
    lang: str | None = None,
    encoding: str | None = "utf-8",
    **variables: str,
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m sla_clock`` in a child process with a system zone far from São Paulo's.

    With ``lang``, every ``LC_*`` and ``LANG*`` variable is removed and ``LANG`` is ``lang``;
    ``variables`` are set last (``LANGUAGE="en"``, ``LC_ALL="pt_BR.UTF-8"``...).
    """
    env = dict(os.environ)
    if lang is not None:
        env = {k: v for k, v in env.items() if not k.startswith(("LC_", "LANG"))}
        env["LANG"] = lang
    env.update(TZ=tz, **variables)
    return subprocess.run(
        [sys.executable, "-m", "sla_clock", *args],
        capture_output=True,
        text=True,
        encoding=encoding,
        env=env,
        check=False,
        timeout=60,
    )


def process_text(
    text: str,
    *,
    policy: SlaPolicy,
    now: datetime,
    name: str,
    input_format: Format = "csv",
    output_format: Format | None = None,
    on_error: OnError = "fail",
    chunk_size: int = 50_000,
    columns: Mapping[str, str] | None = None,
    totals: BatchSummary | None = None,
) -> tuple[str, str, BatchSummary]:
    """Run the batch pipeline on ``text``; return the output, the report and the summary."""
    out, report = io.StringIO(), io.StringIO()
    result = process(
        io.StringIO(text, newline=""),
        out,
        policy,
        now,
        input_format=input_format,
        output_format=output_format,
        on_error=on_error,
        chunk_size=chunk_size,
        name=name,
        report=report,
        summary=totals,
        columns=columns,
    )
    return out.getvalue(), report.getvalue(), result
