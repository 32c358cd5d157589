"""Tests of what ``sla-clock batch`` reads: broken CSV quotes, column names, JSON Lines keys.

The accounting rule of issue 9 holds throughout: rows out + rows skipped == records in,
every skipped row is named by its line, nothing is reordered, and what would lose rows (a
quote that is never closed, or closes lines later) stops the run in either mode.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sla_clock import SlaPolicy, TicketError, TimeParseError
from sla_clock.batch._columns import Columns, normal_name, parse_columns
from sla_clock.batch._pipeline import OUTPUT_COLUMNS, BatchSummary, Format, OnError, process
from sla_clock.batch._quotes import BrokenFileError, quote_line
from support import process_text

SP = ZoneInfo("America/Sao_Paulo")
POLICY = SlaPolicy.default()
NOW = datetime(2026, 11, 23, 18, 30, tzinfo=SP)
HEADER = "id,priority,opened,resolved,pauses"
GOOD = "P0,2026-11-23 14:00,,"


def run(
    text: str,
    *,
    input_format: Format = "csv",
    output_format: Format | None = None,
    on_error: OnError = "fail",
    chunk_size: int = 50_000,
    columns: dict[str, str] | None = None,
    summary: BatchSummary | None = None,
) -> tuple[str, str, BatchSummary]:
    """Run :func:`process` on ``text``; return the output, the report and the summary."""
    return process_text(
        text,
        policy=POLICY,
        now=NOW,
        name="t.csv",
        input_format=input_format,
        output_format=output_format,
        on_error=on_error,
        chunk_size=chunk_size,
        columns=columns,
        totals=summary,
    )


def csv_rows(text: str) -> list[dict[str, str]]:
    """Parse CSV output into one dict per row."""
    return list(csv.DictReader(io.StringIO(text, newline="")))


def broken(text: str, *, chunk_size: int = 50_000) -> tuple[str, BatchSummary]:
    """Run ``text`` in both modes; assert each stops alike; return the message and summary."""
    messages = []
    for on_error in ("fail", "skip"):
        summary = BatchSummary()
        with pytest.raises(BrokenFileError) as caught:
            run(text, on_error=on_error, chunk_size=chunk_size, summary=summary)
        assert isinstance(caught.value, TicketError)
        assert summary.stopped_at == caught.value.line
        messages.append(str(caught.value))
    assert messages[0] == messages[1]
    return messages[0], summary


def tickets(*rows: str, header: str = HEADER) -> str:
    """Return a CSV text: ``header``, then ``rows``, one line each."""
    return "\n".join([header, *rows]) + "\n"


# -- quotes that would lose rows (issue 9, "rows lost") ---------------------------------------


def test_the_issue_example_stops_at_the_line_of_the_quote() -> None:
    """The five-ticket file of issue 9 no longer says '2 rows in, 1 out, 1 skipped'."""
    text = tickets(
        f"T-1,{GOOD}",
        'T-2,P0,"2026-11-23 14:00,,',
        f"T-3,{GOOD}",
        f"T-4,{GOOD}",
        f"T-5,{GOOD}",
    )
    message, summary = broken(text)
    assert message.startswith("t.csv line 3: the quote opened on line 3 is never closed")
    assert "(lines 3-6)" in message
    assert (summary.rows_in, summary.rows_out, summary.rows_skipped) == (1, 1, 0)


@pytest.mark.parametrize("chunk_size", [1, 2, 50_000])
def test_a_quote_closed_later_inside_a_ticket_field(chunk_size: int) -> None:
    """A stray quote closing lines later, in the opened column, swallows rows: fatal."""
    text = tickets(
        f"T-1,{GOOD}",
        'T-2,P0,"2026-11-23 14:00,,',
        f"T-3,{GOOD}",
        'T-4,P0,2026-11-23 14:00",,',
        f"T-5,{GOOD}",
    )
    message, summary = broken(text, chunk_size=chunk_size)
    assert message.startswith("t.csv line 3: the quote opened on line 3 runs to line 5, ")
    assert "into the opened field" in message
    assert summary.rows_in == 1


def test_a_stray_character_after_a_late_closing_quote() -> None:
    """A quote that closes lines later, followed by a stray character, names where it opened."""
    text = tickets(f"T-1,{GOOD}", 'T-2,P0,"2026-11-23 14:00,,', f"T-3,{GOOD}", 'T-4,P0,x"y,,')
    message, _ = broken(text)
    assert message.startswith("t.csv line 3: the quote opened on line 3 runs to line 5 and is ")
    assert "',' expected after '\"'" in message


def test_a_quote_in_a_description_that_swallows_rows() -> None:
    """A description whose stray quote closes at a later description swallows rows: fatal."""
    header = HEADER + ",description"
    text = tickets(
        f"T-1,{GOOD},fine",
        f'T-2,{GOOD},"typo',
        f"T-3,{GOOD},a row",
        f'T-4,{GOOD},closing"',
        f"T-5,{GOOD},fine",
        header=header,
    )
    message, _ = broken(text)
    assert message.startswith("t.csv line 3: the quote opened on line 3 runs to line 5, ")
    assert "whole rows of tickets" in message


def test_a_record_over_lines_with_the_wrong_number_of_fields() -> None:
    """A record over several lines that comes out ragged is a quote problem: fatal."""
    text = tickets(f"T-1,{GOOD},x", f'T-2,{GOOD},"a\nb",extra', header=HEADER + ",note")
    message, _ = broken(text)
    assert "so the record has 7 fields, the header 6" in message


def test_a_line_break_in_the_id_is_refused() -> None:
    """Ticket fields are one line of text: a quoted id over two lines is refused."""
    message, _ = broken(tickets(f'"T-1\nT-1b",{GOOD}'))
    assert "into the id field" in message


def test_a_huge_unclosed_quote_hits_the_field_limit() -> None:
    """An unclosed quote followed by more than the csv field limit stops at the quote's line."""
    rows = [f"T-{i},{GOOD}" for i in range(6_000)]
    text = tickets(f"T-0,{GOOD}", 'T-x,P0,"2026-11-23 14:00,,', *rows)
    message, summary = broken(text, chunk_size=1000)
    assert message.startswith("t.csv line 3: a field is longer than 131,072 characters")
    assert summary.stopped_at == 3


def test_a_quote_left_open_on_the_last_line() -> None:
    """An unclosed quote on the last line, without a line end, is never closed: fatal."""
    message, _ = broken(f'{HEADER}\nT-1,{GOOD}\nT-2,P0,"2026-11-23')
    assert message.startswith("t.csv line 3: the quote opened on line 3 is never closed")
    assert "(line 3)" in message


def test_a_header_over_two_lines_is_refused() -> None:
    """A quote opened in the header and closed on the next line is an error, not a header."""
    with pytest.raises(TicketError, match=r"^t.csv line 1: a quote opened in the header"):
        run('id,"priority\n",opened\nT,P0,2026-11-23 14:00\n')


def test_rows_before_the_broken_record_are_reported_first() -> None:
    """In a chunk, a bad row before the broken record is the first error (fail) or skipped."""
    text = tickets("T-1,P0,never,,", 'T-2,P0,"2026-11-23,,', f"T-3,{GOOD}")
    with pytest.raises(TimeParseError, match=r"^t.csv line 2 \(id T-1\): opened: "):
        run(text)
    report = io.StringIO()
    with pytest.raises(BrokenFileError, match=r"^t\.csv line 3: "):
        process(
            io.StringIO(text), io.StringIO(), POLICY, NOW, input_format="csv",
            on_error="skip", name="t.csv", report=report,
        )  # fmt: skip
    assert report.getvalue().startswith("sla-clock batch: skipped t.csv line 2 (id T-1): ")


# -- what is still one bad row, or fine ---------------------------------------------------------


def test_a_stray_quote_on_one_line_is_one_bad_row() -> None:
    """A stray quote that does not run past its line is one row to skip, as before."""
    text = tickets(f"T-1,{GOOD}", 'T-2,P0,"2026-11-23 14:00"x,,', f"T-3,{GOOD}")
    out, report, summary = run(text, on_error="skip")
    assert [row["id"] for row in csv_rows(out)] == ["T-1", "T-3"]
    assert report.startswith("sla-clock batch: skipped t.csv line 3: is not valid CSV")
    assert (summary.rows_in, summary.rows_out, summary.rows_skipped) == (3, 2, 1)


def test_a_quote_inside_an_unquoted_field_is_text() -> None:
    """A quote in the middle of an unquoted field is a character (RFC 4180 readers agree)."""
    out, _, _ = run(tickets(f'T-1,{GOOD},5" screen', header=HEADER + ",note"))
    assert csv_rows(out)[0]["note"] == '5" screen'


def test_a_description_over_several_lines_is_kept() -> None:
    """A quoted multi-line description (another column) is accepted and written as it was."""
    description = '"Cliente: ""não consigo emitir""\nLinha 2, com vírgula\n\nfim"'
    text = tickets(
        f"T-1,{GOOD},{description}", f"T-2,{GOOD},ok", "T-3,P0,never,,,x",
        header=HEADER + ",description",
    )  # fmt: skip
    for chunk_size in (1, 2, 50):
        out, report, summary = run(text, on_error="skip", chunk_size=chunk_size)
        rows = csv_rows(out)
        assert [row["id"] for row in rows] == ["T-1", "T-2"]
        assert (
            rows[0]["description"] == 'Cliente: "não consigo emitir"\nLinha 2, com vírgula\n\nfim'
        )
        assert description in out
        assert report.startswith("sla-clock batch: skipped t.csv line 7 (id T-3): ")
        assert (summary.rows_in, summary.rows_out, summary.rows_skipped) == (3, 2, 1)


def test_a_description_quoting_a_partial_line_is_kept() -> None:
    """A description line with commas but not a whole ticket row is text, not a lost row."""
    text = tickets(f'T-1,{GOOD},"see T-0,P0 from\n2026-11-20,,,,"', header=HEADER + ",note")
    out, _, _ = run(text)
    assert csv_rows(out)[0]["note"] == "see T-0,P0 from\n2026-11-20,,,,"


@pytest.mark.parametrize(
    ("raw", "line"),
    [
        ('a,"b\nc\n', 0),
        ('a,"b"\n,"c\nd\ne', 1),
        ('a,"b\r\nc""d\r\ne"x', 0),
        ('a,b"c\nd,"e', 1),
    ],
)
def test_quote_line(raw: str, line: int) -> None:
    """The line a bad record's open quote started on is found, \\r\\n counted once."""
    assert quote_line(raw, ",") == line


_CELLS = {
    "good": f"{GOOD},fine",
    "bad_time": "P0,not a time,,,x",
    "stray": 'P0,"2026-11-23 14:00"x,,,x',
    "ragged": f"{GOOD},a,b",
    "multi": f'{GOOD},"two\nlines, here"',
}


@pytest.mark.slow
@given(
    st.lists(st.sampled_from([*_CELLS, "blank"]), max_size=30),
    st.integers(1, 8),
)
def test_rows_are_accounted_for(kinds: list[str], chunk_size: int) -> None:
    """Whatever the mix of rows and chunk size: out + skipped == in, lines named, in order."""
    lines = [HEADER + ",note"]
    expected_out: list[str] = []
    expected_skipped: list[int] = []
    records = 0
    for i, kind in enumerate(kinds):
        line = len(lines) + 1
        if kind == "blank":
            lines.append("")
            continue
        records += 1
        lines.extend(f"T-{i},{_CELLS[kind]}".split("\n"))
        if kind in ("good", "multi"):
            expected_out.append(f"T-{i}")
        else:
            expected_skipped.append(line)
    out, report, summary = run("\n".join(lines) + "\n", on_error="skip", chunk_size=chunk_size)
    assert summary.rows_in == records
    assert summary.rows_out + summary.rows_skipped == records
    assert [row["id"] for row in csv_rows(out)] == expected_out
    named = [int(entry.split(" line ")[1].split()[0].rstrip(":")) for entry in report.splitlines()]
    assert named == expected_skipped


# -- column names: Portuguese headers and --columns ------------------------------------------------


def test_a_portuguese_header_needs_no_option() -> None:
    """Chamado, Prioridade, Aberto em, Resolvido_em, Pausas: any case, accents and spaces."""
    header = "Chamado;PRIORIDADE;Aberto em;resolvido_em;Pausas;Descrição"
    text = f"{header}\nT-1;P0;23/11/2026 14:00;;;é\nT-2;P0;23/11/2026 14:00;23/11/2026 18:30;;\n"
    out, report, _ = run(text)
    assert report == ""
    assert out.splitlines()[0] == header + ";" + ";".join(OUTPUT_COLUMNS)
    rows = list(csv.DictReader(io.StringIO(out), delimiter=";"))
    assert [(r["Chamado"], r["state"]) for r in rows] == [("T-1", "at_risk"), ("T-2", "met")]
    out, _, _ = run("chamado,prioridade,abertura,pausas\nT,P0,2026-11-23 14:00,\n")
    assert csv_rows(out)[0]["due_at"] == "2026-11-23T18:00:00-03:00"


def test_an_accented_header_name() -> None:
    """Accents are tolerated: 'Prioridáde' and 'ABERTURA' name priority and opened."""
    out, _, _ = run("Prioridáde,ABERTURA\nP0,2026-11-23 14:00\n")
    assert csv_rows(out)[0]["state"] == "at_risk"


def test_columns_map_custom_names() -> None:
    """--columns names the columns of a Brazilian export; errors name the mapped column."""
    text = (
        "Chamado,Prioridade,Data de abertura,Data de fechamento,opened\n"
        "T-1,P0,23/11/2026 14:00,23/11/2026 18:30,ignored\n"
        "T-2,P0,nunca,,\n"
    )
    columns = parse_columns(
        'id=Chamado,priority=Prioridade,opened="Data de abertura",resolved=Data de fechamento'
    )
    out, report, _ = run(text, columns=columns, on_error="skip")
    (row,) = csv_rows(out)
    assert (row["Chamado"], row["opened"], row["state"]) == ("T-1", "ignored", "met")
    assert report.startswith("sla-clock batch: skipped t.csv line 3 (id T-2): opened: ")


def test_columns_in_json_lines() -> None:
    """Portuguese keys and --columns work the same way for JSON Lines."""
    lines = [
        {"chamado": "T-1", "prioridade": "P0", "aberto_em": "2026-11-23T14:00",
         "pausas": [["2026-11-23T15:00", "2026-11-23T16:00"]]},
        {"Chamado": "T-2", "Prioridade": "P0", "abertura": "2026-11-23T14:00"},
    ]  # fmt: skip
    text = "".join(json.dumps(line) + "\n" for line in lines)
    out, report, _ = run(text, input_format="jsonl", output_format="csv")
    assert report == ""
    first, second = csv_rows(out)
    assert first["pausas"] == "2026-11-23T15:00/2026-11-23T16:00"
    assert (first["used_seconds"], second["used_seconds"]) == ("10800", "14400")
    text = '{"Nº": "T-9", "Prio": "P0", "Data de abertura": "2026-11-23T14:00"}\n'
    columns = {"id": "Nº", "priority": "Prio", "opened": "Data de abertura"}
    out, _, _ = run(text, input_format="jsonl", columns=columns)
    assert json.loads(out)["state"] == "at_risk"
    out, report, _ = run('{"Prio": "P0"}\n', input_format="jsonl", columns=columns, on_error="skip")
    assert "has no 'Data de abertura' key, which --columns names for opened" in report


def test_two_keys_for_one_field_in_json_is_a_bad_row() -> None:
    """An object with both 'opened' and 'aberto_em' is ambiguous: that row is bad."""
    text = (
        '{"priority": "P0", "opened": "2026-11-23T14:00"}\n'
        '{"priority": "P0", "opened": "2026-11-23T14:00", "aberto_em": "2026-11-23T15:00"}\n'
    )
    _, report, summary = run(text, input_format="jsonl", on_error="skip")
    assert report == (
        "sla-clock batch: skipped t.csv line 2: has both 'aberto_em' and 'opened' for the "
        "opened field; keep one\n"
    )
    assert (summary.rows_out, summary.rows_skipped) == (1, 1)


def test_two_columns_for_one_field_in_csv_is_refused() -> None:
    """A header with 'opened' and 'Aberto em' is refused, pointing at --columns."""
    with pytest.raises(TicketError, match="both 'opened' and 'Aberto em' for the opened column"):
        run("priority,opened,Aberto em\nP0,2026-11-23 14:00,2026-11-23 15:00\n")
    out, _, _ = run(
        "priority,opened,Aberto em\nP0,2026-11-23 14:00,2026-11-23 15:00\n",
        columns={"opened": "Aberto em"},
    )
    assert csv_rows(out)[0]["used_seconds"] == "10800"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "--columns is empty"),
        ("   ", "--columns is empty"),
        ("opened", "'opened' is not field=column"),
        ("opened=", "'opened=' is not field=column"),
        ('opened=""', "is not field=column"),
        ("=Data", "'=Data' is not field=column"),
        ("opened=A,opened=B", "gives the opened column twice ('A', 'B')"),
        ('opened="Data', "has a quote that is not closed"),
        ("5", "'5' is not field=column"),
    ],
)
def test_bad_columns_values(text: str, message: str) -> None:
    """A --columns value that does not read says what is wrong and shows an example."""
    with pytest.raises(TicketError, match="--columns") as caught:
        parse_columns(text)
    assert message in str(caught.value)


@pytest.mark.parametrize(
    ("mapping", "message"),
    [
        ({"chamado": "Chamado"}, "unknown field 'chamado'; the fields are id, priority, opened"),
        ({"id": "X", "priority": " x "}, "names the column ' x ' for both id and priority"),
        ({"opened": " "}, "the opened column has an empty name"),
    ],
)
def test_bad_column_mappings(mapping: dict[str, str], message: str) -> None:
    """Unknown fields and one column for two fields are refused."""
    with pytest.raises(TicketError) as caught:
        Columns(mapping)
    assert message in str(caught.value)


def test_a_mapped_column_missing_from_the_header() -> None:
    """A column --columns names must be in the header; the message shows the header."""
    with pytest.raises(TicketError) as caught:
        run("Chamado,priority,opened\nT,P0,2026-11-23 14:00\n", columns={"id": "Ticket"})
    assert str(caught.value) == (
        "t.csv line 1: the header has no column 'Ticket', which --columns names for id (it "
        "has 'Chamado', 'priority', 'opened'); check the spelling"
    )


def test_a_huge_columns_value_is_refused_quickly() -> None:
    """A megabyte of --columns is read in linear time and refused (no such field)."""
    with pytest.raises(TicketError, match="unknown field"):
        Columns(parse_columns("x" * 1_000_000 + "=y"))


def test_missing_columns_mention_the_portuguese_names() -> None:
    """The error of a header without an opened column lists the names it may have."""
    with pytest.raises(TicketError) as caught:
        run("chamado,prioridade,criado\nT,P0,2026-11-23 14:00\n")
    message = str(caught.value)
    assert "'opened' or 'opened_at' or 'aberto_em' or 'abertura'" in message
    assert "--columns" in message


def test_normal_name() -> None:
    """Case, accents, spaces, hyphens and a byte order mark do not count in names."""
    assert normal_name("\ufeff Data-de  Abertura ") == "data_de_abertura"
    assert normal_name("PRIORIDÁDE") == "prioridade"


# -- JSON Lines to CSV: every key gets a column ----------------------------------------------------


class _Unseekable(io.StringIO):
    """A text stream that cannot seek back, as stdin from a pipe."""

    def seekable(self) -> bool:
        return False

    def seek(self, offset: int, whence: int = 0, /) -> int:
        raise io.UnsupportedOperation("seek")


@pytest.mark.parametrize("stream", [io.StringIO, _Unseekable])
def test_every_json_key_gets_a_csv_column(stream: type[io.StringIO]) -> None:
    """Keys first seen in later chunks are columns too, first seen first, even from a pipe."""
    lines = [
        {"priority": "P0", "opened": "2026-11-23T14:00"},
        {"team": "billing", "priority": "P0", "opened": "2026-11-23T14:00"},
        "not json",
        {"priority": "P0", "opened": "2026-11-23T14:00", "tags": ["a"], "team": None},
    ]
    text = "".join((json.dumps(line) if isinstance(line, dict) else line) + "\n" for line in lines)
    out, report = io.StringIO(), io.StringIO()
    summary = process(
        stream(text), out, POLICY, NOW, input_format="jsonl", output_format="csv",
        chunk_size=1, on_error="skip", report=report,
    )  # fmt: skip
    rows = csv_rows(out.getvalue())
    assert list(rows[0]) == ["priority", "opened", "team", "tags", *OUTPUT_COLUMNS]
    assert [(r["team"], r["tags"]) for r in rows] == [("", ""), ("billing", ""), ("", '["a"]')]
    assert (summary.rows_in, summary.rows_out, summary.rows_skipped) == (4, 3, 1)
    assert "line 3: is not valid JSON" in report.getvalue()


def test_an_empty_json_lines_file_to_csv() -> None:
    """No object at all: a CSV of only the status columns, and 0 rows."""
    out, _, summary = run("\n\n", input_format="jsonl", output_format="csv")
    assert (out, summary.rows_in) == (",".join(OUTPUT_COLUMNS) + "\n", 0)


@pytest.mark.parametrize(
    "opened",
    ["20261123T1400", "2026-W48-1T14:00", "now", "23/11/2026 14:00-03:00", "2026-11-23T17:00Z"],
)
def test_a_swallowed_row_is_seen_whatever_form_its_time_takes(opened: str) -> None:
    """A quote in a description that swallows rows stops the run whatever form of time the
    swallowed rows use: every form batch reads (basic ISO, week dates, now, offsets) counts,
    not only yyyy-mm-dd and dd/mm/yyyy (the review of issue 9 found rows lost silently)."""
    text = tickets(
        'T-1,P0,2026-11-23 14:00,"oops',
        f"T-2,P0,{opened},x",
        f'T-3,P0,{opened},y"',
        "T-4,P0,2026-11-23 14:00,z",
        header="id,priority,opened,desc",
    )
    message, _ = broken(text)
    assert message.startswith("t.csv line 2: the quote opened on line 2 runs to line 4")


def test_a_swallowed_row_in_a_portuguese_semicolon_file() -> None:
    """The same with Brazilian spreadsheet habits: semicolons and Portuguese headers."""
    text = tickets(
        '1;P0;20261123T140000;"cliente disse: ',
        "2;P1;20261123T150000;x",
        '3;P1;20261123T160000;y"',
        header="chamado;prioridade;aberto_em;descricao",
    )
    message, _ = broken(text)
    assert "line 2" in message


def test_a_json_key_given_twice_is_a_bad_row() -> None:
    """JSON readers disagree on a repeated key; batch took the last one silently in 0.1.0's
    review of issue 9. Such a line is now a bad row under its line number."""
    text = (
        '{"id": "J", "priority": "P0", "opened": "2026-11-23 14:00", '
        '"opened": "2026-11-23 15:00"}\n'
        '{"id": "K", "priority": "P0", "opened": "2026-11-23 14:00"}\n'
        '{"id": "L", "priority": "P0", "opened": "2026-11-23 14:00", "pauses": '
        '[{"start": "2026-11-23 15:00", "start": "2026-11-23 16:00"}]}\n'
    )
    out, report, summary = run(text, input_format="jsonl", on_error="skip")
    assert [json.loads(line)["id"] for line in out.splitlines()] == ["K"]
    lines = report.splitlines()
    assert lines[0].startswith("sla-clock batch: skipped t.csv line 1: has the key 'opened' twice")
    assert lines[1].startswith("sla-clock batch: skipped t.csv line 3: has the key 'start' twice")
    assert (summary.rows_in, summary.rows_out, summary.rows_skipped) == (3, 1, 2)


def test_a_deeply_nested_json_line_is_a_bad_row() -> None:
    """A line nested too deeply for the JSON reader is one bad row, not a crash of the run."""
    deep = '{"id": ' + "[" * 100_000 + "]" * 100_000 + "}"
    text = deep + '\n{"id": "K", "priority": "P0", "opened": "2026-11-23 14:00"}\n'
    _, report, summary = run(text, input_format="jsonl", on_error="skip")
    assert "line 1: is nested too deeply" in report
    assert (summary.rows_out, summary.rows_skipped) == (1, 1)
