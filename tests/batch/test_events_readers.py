"""The two JSON Lines readers of ``batch --events`` give the same chunks, line for line.

pyarrow's reader (:mod:`sla_clock.batch._events_arrow`) answers for a chunk only when its
answer is the Python reader's; otherwise the chunk is read again by the Python reader. Here
hostile lines (keys in any order, whole-number and text tickets, ``null``, a key twice, at
the top or nested, white space before a colon, escapes, numbers and lists where text is due,
lines that are no object, several objects on a line, non-ASCII text) are read both ways and
must give the same tickets, times, event values and problems.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sla_clock.batch import _events_input
from sla_clock.batch._events_arrow import arrow_columns
from sla_clock.batch._events_input import jsonl_chunks
from sla_clock.batch._lines import LimitedLines

pytestmark = pytest.mark.skipif(arrow_columns is None, reason="needs pyarrow (sla-clock[arrow])")

TEXT = st.text(alphabet=st.sampled_from('aZ09 -_:"\\é\u2028\x00{}'), max_size=6)
VALUE = st.one_of(TEXT, st.none(), st.integers(-5, 10**20), st.booleans(), st.floats(0, 2))
KEYS = ("ticket", "at", "event", "priority", "status", "by", "note")


@st.composite
def lines(draw: st.DrawFn) -> str:
    kind = draw(st.integers(0, 9))
    if kind == 0:
        return draw(st.sampled_from(("[1, 2]", "7", '"x"', "", "{", "{} {}", "null", "{}")))
    pairs: list[tuple[str, Any]] = []
    for key in draw(st.permutations(KEYS))[: draw(st.integers(0, len(KEYS)))]:
        value = draw(st.one_of(TEXT, VALUE)) if draw(st.integers(0, 3)) == 0 else draw(TEXT)
        if key == "event":
            value = draw(st.sampled_from(("opened", "status", "reply", "resolved", "x", None)))
        pairs.append((key, value))
    if kind == 1 and pairs:  # a key twice
        pairs.append((pairs[0][0], draw(VALUE)))
    if kind == 2:
        pairs.append(("meta", {"a": 1, "b": [1, {"c": draw(VALUE)}]}))
    if kind == 3:
        pairs.append(("meta", draw(st.sampled_from(([], [1], {"a": 1}, {"a": [1, 2]})))))
    body = ", ".join(
        f"{json.dumps(k)}{draw(st.sampled_from((':', ' :', ': ')))}"
        f"{json.dumps(v, ensure_ascii=draw(st.booleans()))}"
        for k, v in pairs
    )
    return "{" + body + "}"


def read(text: str, *, arrow: bool) -> list[tuple[Any, ...]]:
    """Every line as (line, ticket, at, value key, problem), by one reader."""
    patch = mock.patch.object(_events_input, "arrow_columns", arrow_columns if arrow else None)
    out = []
    with patch:
        for chunk in jsonl_chunks(LimitedLines(io.StringIO(text), "e"), 7):
            distinct, key_of = chunk.keys
            for row, line in enumerate(chunk.lines):
                key = distinct[key_of[row]]
                out.append((line, chunk.tickets[row], chunk.ats[row], key, chunk.problems.get(row)))
                if chunk.ticket_codes is not None:  # -1: no ticket
                    names, ticket_of = chunk.ticket_codes
                    code = ticket_of[row]
                    assert (names[code] if code >= 0 else None) == chunk.tickets[row]
    return out


@given(st.lists(lines(), max_size=20))
def test_the_readers_agree(texts: list[str]) -> None:
    text = "\n".join(texts) + "\n"
    assert normal(read(text, arrow=True)) == normal(read(text, arrow=False))


def normal(rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """A whole-number ticket as the text it is read as (pyarrow gives the text at once)."""
    return [(line, str(t) if type(t) is int else t, *rest) for line, t, *rest in rows]


def test_plain_lines_take_the_arrow_way() -> None:
    text = "".join(
        json.dumps({"ticket": t, "at": "2026-11-23 14:00", "event": "opened", "priority": "P1"})
        + "\n"
        for t in (7, 8)
    )
    with mock.patch.object(_events_input, "_objects", side_effect=AssertionError):
        got = read(text, arrow=True)
    assert [row[1] for row in got] == ["7", "8"]  # as str(7): the Python reader's ticket id


@pytest.mark.parametrize("text", ["null\n", '{"ticket": "T"}\nnull\n', "{} {}\n", "true\n"])
def test_lines_that_are_no_one_object_never_reach_pyarrow(text: str) -> None:
    # pyarrow 26 reads "null" as a row of nulls, and dies (SIGSEGV) on a chunk of it alone.
    problems = [row[4] or "" for row in read(text, arrow=True)]
    assert any("JSON" in problem for problem in problems)


def _events_run(tmp_path: Path, text: str, *extra: str) -> subprocess.CompletedProcess[str]:
    """``batch --events`` in a child process (a crash of pyarrow's would end it, not the suite)."""
    path = tmp_path / "e.jsonl"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    command = [sys.executable, "-m", "sla_clock", "batch", "--events", str(path)]
    command += ["--now", "2026-11-25 12:00", "-o", str(tmp_path / "o.csv"), *extra]
    return subprocess.run(command, capture_output=True, text=True, check=False)


OPENED = '{"ticket": "T-1", "at": "2026-11-23 14:00", "event": "opened", "priority": "P1"}\n'


@pytest.mark.slow
@pytest.mark.parametrize(
    ("line", "message"),
    [
        # pyarrow overflows its stack on a value some 20,000 deep: it never sees one.
        ('{"ticket": "T-2", "x": ' + "[" * 20_000 + "]" * 20_000 + "}", "nested too deeply"),
        # Python's json refuses a 5,000-digit number; pyarrow would read inf.
        (
            '{"ticket": "T-2", "at": "2026-11-23 14:00", "event": "x", "n": ' + "1" * 5001 + "}",
            "4300 digits",
        ),
    ],
)
def test_lines_pyarrow_cannot_read_alike_go_the_python_way(
    tmp_path: Path, line: str, message: str
) -> None:
    done = _events_run(tmp_path, OPENED + line + "\n", "--on-error", "skip")
    assert done.returncode == 0, done.stderr
    assert message in done.stderr
    assert "T-1" in (tmp_path / "o.csv").read_text(encoding="utf-8")


def test_a_lone_surrogate_never_reaches_pyarrow() -> None:
    text = OPENED.replace("T-1", "T-\udcff")
    assert arrow_columns is not None
    assert arrow_columns([text.strip()]) is None  # Python's json reads it, as before
    assert [row[1] for row in read(text, arrow=True)] == ["T-\udcff"]


def test_one_true_and_one_point_zero_are_three_values(tmp_path: Path) -> None:
    lines = "".join(
        f'{{"ticket": "{t}", "at": "2026-11-23 14:00", "event": {v}}}\n'
        for t, v in (("A", "1"), ("B", "true"), ("C", "1.0"))
    )
    done = _events_run(tmp_path, lines, "--on-error", "skip")
    for shown in ("unknown event 1;", "unknown event True;", "unknown event 1.0;"):
        assert shown in done.stderr
