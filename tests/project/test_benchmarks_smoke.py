"""Smoke test: the benchmarks run end to end, with and without the peer libraries.

The benchmarks are scripts, not part of the package, so they run in a subprocess exactly as
a user runs them: ``python benchmarks/run_all.py --quick``. No test here is skipped when a
peer is missing: the second test hides the peers on purpose and checks that the benchmark
still runs and reports them as "not installed".
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RUN_ALL = ROOT / "benchmarks" / "run_all.py"
HEADER_WORDS = ("library", "operation", "calls", "µs/call", "calls/s", "vs sla-clock")
PEER_PACKAGES = ("pandas", "businesstime", "business_duration")


def run_quick(extra_env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", **(extra_env or {})}
    return subprocess.run(
        [sys.executable, str(RUN_ALL), "--quick"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
        check=False,
    )


def table(output: str) -> list[str]:
    """Return the lines of the table: after the header and its rule, up to a blank line."""
    lines = output.splitlines()
    starts = [i for i, line in enumerate(lines) if line.startswith("library ")]
    assert starts, output
    body: list[str] = []
    for line in lines[starts[0] + 2 :]:
        if not line.strip():
            break
        body.append(line)
    return body


def rows_of(output: str, library: str) -> list[str]:
    return [line for line in table(output) if line.startswith(f"{library} ")]


def assert_table(result: subprocess.CompletedProcess[str]) -> None:
    assert result.returncode == 0, result.stdout + result.stderr
    header = [line for line in result.stdout.splitlines() if line.startswith("library ")]
    assert len(header) == 1, result.stdout
    assert all(word in header[0] for word in HEADER_WORDS), header[0]
    sla_rows = rows_of(result.stdout, "sla-clock")
    assert {row.split()[1] for row in sla_rows} >= {"add", "elapsed"}, result.stdout
    assert all("baseline" in row for row in sla_rows), sla_rows


@pytest.mark.slow
def test_run_all_quick_prints_the_table() -> None:
    result = run_quick()
    assert_table(result)
    assert "=== bench_scalar.py: ok" in result.stdout


@pytest.mark.slow
def test_runs_and_says_not_installed_without_the_peers(tmp_path: Path) -> None:
    # Shadow each peer with a package that fails to import, first on the path of every
    # child process: the benchmark must report them, not crash.
    for name in PEER_PACKAGES:
        package = tmp_path / name
        package.mkdir()
        (package / "__init__.py").write_text(
            f"raise ImportError('{name} hidden by the smoke test')\n", encoding="utf-8"
        )
    path = os.pathsep.join(p for p in (str(tmp_path), os.environ.get("PYTHONPATH")) if p)
    result = run_quick({"PYTHONPATH": path})
    assert_table(result)
    for library in ("pandas CBH", "businesstime", "business-duration"):
        rows = rows_of(result.stdout, library)
        assert rows, result.stdout
        assert any("not installed" in row for row in rows), rows
    assert "sla-clock is" not in result.stdout  # no ratio against a missing peer
