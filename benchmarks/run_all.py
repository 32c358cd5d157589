"""Run every ``bench_*.py`` script of this folder, one after the other.

Usage: ``python benchmarks/run_all.py [--quick]``. Each script runs in its own process with
the same interpreter, its output going straight to this one's; the exit status is 0 only when
every script succeeded. ``--quick`` is passed through (tiny sizes, for the smoke test).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent


def scripts() -> list[Path]:
    """Return the benchmark scripts of this folder, sorted by name."""
    return sorted(HERE.glob("bench_*.py"))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run every benchmarks/bench_*.py script.")
    parser.add_argument(
        "--quick", action="store_true", help="pass --quick to each script (smoke-test sizes)"
    )
    args = parser.parse_args(argv)
    found = scripts()
    if not found:
        print(f"no bench_*.py script in {HERE}", file=sys.stderr)
        return 1
    failed: list[str] = []
    for script in found:
        command = [sys.executable, str(script)] + (["--quick"] if args.quick else [])
        print(f"=== {script.name} ===", flush=True)
        started = time.perf_counter()
        code = subprocess.run(command, check=False).returncode
        took = time.perf_counter() - started
        status = "ok" if code == 0 else f"FAILED (exit status {code})"
        print(f"=== {script.name}: {status} in {took:.1f} s ===\n", flush=True)
        if code != 0:
            failed.append(script.name)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
