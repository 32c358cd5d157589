"""The reader and writer threads of ``batch`` are waited for, whatever interrupts the wait.

A second Ctrl-C while an Arrow run unwound cut the wait for the writer thread short: the
Parquet file was closed while the thread was still writing to it (pyarrow aborted, or the
process crashed) and the temporary file was left behind.
"""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from sla_clock.batch._arrow_writer import ArrowWriter, Background
from sla_clock.batch._prefetch import prefetched
from sla_clock.batch._threads import Worker

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

TIMEOUT = 60


def _interrupt_main(*after: float) -> None:
    """Send Ctrl-C to the main thread ``after`` each delay, from a thread of its own."""

    def run() -> None:
        for delay in after:
            time.sleep(delay)
            signal.pthread_kill(threading.main_thread().ident or 0, signal.SIGINT)

    threading.Thread(target=run, daemon=True).start()


@pytest.mark.slow
def test_an_interrupted_wait_goes_on_until_the_thread_ends_then_raises() -> None:
    """Two Ctrl-C while waiting: the wait goes on, asks the thread to hurry, and raises the
    first interruption only once the thread is done."""
    release = threading.Event()
    ended: list[bool] = []

    def work() -> None:
        release.wait(TIMEOUT)
        time.sleep(0.1)  # a second Ctrl-C comes meanwhile
        ended.append(True)

    worker = Worker(work, "test")
    hurried: list[bool] = []

    def hurry() -> None:
        hurried.append(True)
        release.set()

    _interrupt_main(0.2, 0.05)
    with pytest.raises(KeyboardInterrupt):
        worker.finish(hurry=hurry)
    assert ended == [True]
    assert not worker.running
    assert len(hurried) == 2


@pytest.mark.slow
def test_a_thread_that_does_not_end_is_given_up_after_the_patience() -> None:
    """A thread blocked for good (a pipe nobody reads) does not keep Ctrl-C from working."""
    release = threading.Event()
    worker = Worker(lambda: release.wait(TIMEOUT) and None, "test")
    _interrupt_main(0.2)
    start = time.monotonic()
    try:
        with pytest.raises(KeyboardInterrupt):
            worker.finish(patience=0.3)
        assert worker.running
        assert time.monotonic() - start < 5
    finally:
        release.set()
        worker.finish()
    assert not worker.running


@pytest.mark.slow
def test_a_wait_while_unwinding_is_bounded_without_any_interruption() -> None:
    """Already leaving on Ctrl-C, the run waits at most ``patience`` for a stuck thread."""
    release = threading.Event()
    worker = Worker(lambda: release.wait(TIMEOUT) and None, "test")
    told: list[bool] = []
    start = time.monotonic()
    worker.finish(lambda: told.append(True), patience=0.2, unwinding=True)
    assert told == [True]
    assert worker.running
    assert time.monotonic() - start < 5
    release.set()
    worker.finish()
    assert not worker.running


def _slow_background(done: list[int], release: threading.Event) -> Background:
    def work(item: int) -> None:
        release.wait(TIMEOUT)
        done.append(item)

    return Background(work)


def test_a_finished_background_does_every_item() -> None:
    done: list[int] = []
    release = threading.Event()
    background = _slow_background(done, release)
    for item in range(3):
        background.put(item)
    release.set()
    background.close()
    assert done == [0, 1, 2]
    assert not background.running


def test_an_interrupted_background_stops_at_the_item_under_way() -> None:
    done: list[int] = []
    release = threading.Event()
    background = _slow_background(done, release)
    for item in range(3):
        background.put(item)
    while not background._queue.qsize() < 3:  # the thread has taken the first item
        time.sleep(0.01)
    threading.Timer(0.1, release.set).start()
    background.close(finish=False)
    assert done == [0]
    assert not background.running


def test_a_failure_of_the_work_is_raised_by_a_finished_close() -> None:
    def work(item: int) -> None:
        raise OSError(28, "No space left on device")

    background = Background(work)
    background.put(1)
    with pytest.raises(OSError, match="No space"):
        background.close()


@pytest.mark.slow
def test_an_interrupted_arrow_writer_still_closes_a_readable_file() -> None:
    """Ctrl-C inside the run: the batch under way is finished, then the file is closed."""
    sink = io.BytesIO()
    batch = pa.record_batch({"state": ["met"] * 1000, "used": list(range(1000))})

    def interrupted_run() -> None:
        with ArrowWriter(sink, "parquet") as out:
            for _ in range(5):
                out.write(batch)
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        interrupted_run()
    rows = pq.read_table(io.BytesIO(sink.getvalue())).num_rows
    assert rows % 1000 == 0
    assert rows <= 5000


def test_a_prefetch_left_early_stops_its_thread() -> None:
    """Leaving the loop (an error, Ctrl-C) stops the reader thread at its next item."""
    before = threading.active_count()
    items = prefetched(iter(range(1000)))
    assert next(items) == 0
    items.close()
    assert threading.active_count() == before


_WITH_SIGINT = (
    "import signal, sys; signal.signal(signal.SIGINT, signal.default_int_handler); "
    "from sla_clock.cli import main; sys.exit(main(sys.argv[1:]))"
)


@pytest.mark.slow
@pytest.mark.parametrize("output", ["out.parquet", "out.csv"])
def test_a_double_ctrl_c_during_an_arrow_run_exits_130_and_leaves_no_file(
    tmp_path: Path, output: str
) -> None:
    """Two Ctrl-C in a row while ``batch`` writes Parquet, or a plain CSV file through
    pyarrow: exit 130, one line, no crash, no temporary file (the second one came while the
    run waited for its writer thread)."""
    tickets = tmp_path / "t.csv"
    tickets.write_bytes(b"id,priority,opened\n" + b"T-1,P0,2026-11-23 14:00\n" * 400_000)
    report = tmp_path / output
    command = [
        sys.executable, "-c", _WITH_SIGINT, "batch", str(tickets), "-o", str(report),
        "--now", "2026-11-25", "--chunk-size", "1000",
    ]  # fmt: skip
    process = subprocess.Popen(command, stderr=subprocess.PIPE, cwd=tmp_path)
    try:
        deadline = time.monotonic() + TIMEOUT
        while not any(
            name.startswith(".") and (tmp_path / name).stat().st_size > 0
            for name in os.listdir(tmp_path)
        ):  # the run is under way: its temporary file has rows
            assert process.poll() is None, "the run ended before it was interrupted"
            assert time.monotonic() < deadline
            time.sleep(0.01)
        process.send_signal(signal.SIGINT)
        time.sleep(0.005)
        process.send_signal(signal.SIGINT)
        status = process.wait(TIMEOUT)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(TIMEOUT)
    assert process.stderr is not None
    err = process.stderr.read().decode()
    process.stderr.close()
    assert status in (130, -signal.SIGINT), err  # (the second one after the cleanup: killed by it)
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1, err
    assert sorted(os.listdir(tmp_path)) == ["t.csv"]
