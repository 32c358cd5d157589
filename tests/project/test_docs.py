"""The documentation stays true: API docstrings, links, code blocks and generated tables.

`mkdocs build --strict` (run by CI on its own) checks links between pages and renders the API
reference; it does not fail on a missing docstring, does not run code, and does not look at
README.md. This file does, with the conventions of docs/ (see docs/index.md, "About these
pages"):

- every ```python block runs, and every ```pycon block runs as a doctest (its output is
  checked), in order, one fresh namespace per page, from the repository root, except:
  a python block whose first line is a ``# not run: <reason>`` comment (it needs a cluster,
  a network service...); a block right after a ``<!-- tests/test_x.py runs the next block
  -->`` line, which that test runs with its own set-up; a block that includes an example
  file (``--8<--``), which test_examples.py runs. The test extra installs every optional
  library, so a block that needs one runs (and fails if it is missing);
- in the pages of CONSOLE_PAGES, every ```console block is a transcript: each
  ``$ sla-clock ...`` line runs in process and its output must match the lines below it,
  and ``$ echo $?`` shows the previous command's exit status;
- ```text, ```toml, ```json, ```bash and the other languages are not run.
"""

from __future__ import annotations

import ast
import contextlib
import doctest
import importlib
import importlib.util
import inspect
import io
import re
import shlex
import subprocess
import sys
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
PAGES = sorted(p for p in DOCS.rglob("*.md") if not p.relative_to(DOCS).parts[0].startswith("_"))

#: Modules with an API reference page besides ``sla_clock`` itself (docs/reference/*.md).
REFERENCE_MODULES = [
    "sla_clock.bulk",
    "sla_clock.parsing",
    "sla_clock.views.figure",
    "sla_clock.adapters.pandas",
    "sla_clock.adapters.polars",
    "sla_clock.adapters.dask",
    "sla_clock.config",
    "sla_clock.errors",
]

#: Pages whose ```console blocks are transcripts that are replayed and compared.
CONSOLE_PAGES = ["cli.md"]

#: Languages of fenced blocks that run.
RUN_PYTHON = {"python", "py"}
RUN_DOCTEST = {"pycon"}
#: The first line of a python block that is shown but not run.
NOT_RUN = "# not run:"
#: The line before a block that another test runs (with its own set-up): that test's path.
RUN_ELSEWHERE = re.compile(r"^<!--\s*(tests/[\w/]+\.py) runs the next block\b.*-->$")


# -- reading Markdown ---------------------------------------------------------------------

_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^`]*)$")


@dataclass(frozen=True)
class Block:
    """A fenced code block of a page."""

    page: Path
    line: int  # 1-based line of the first line of code (after the opening fence)
    lang: str
    info: str
    code: str
    before: str  # the last non-blank line before the opening fence

    @property
    def where(self) -> str:
        return f"{self.page.relative_to(ROOT)}:{self.line}"


def fenced_blocks(page: Path) -> list[Block]:
    """Return the fenced code blocks of ``page``, dedented, in order."""
    blocks: list[Block] = []
    lines = page.read_text(encoding="utf-8").splitlines()
    i = 0
    while i < len(lines):
        match = _FENCE.match(lines[i])
        if match is None:
            i += 1
            continue
        indent, fence, info = match["indent"], match["fence"], match["info"].strip()
        body: list[str] = []
        j = i + 1
        while j < len(lines):
            line = lines[j]
            if line.strip().startswith(fence[0] * len(fence)) and not line.strip().strip(fence[0]):
                break
            body.append(line[len(indent) :] if line.startswith(indent) else line.lstrip())
            j += 1
        lang = info.split()[0].lower() if info else ""
        before = next((line.strip() for line in reversed(lines[:i]) if line.strip()), "")
        blocks.append(Block(page, i + 2, lang, info, "\n".join(body) + "\n", before))
        i = j + 1
    return blocks


def prose(page: Path) -> str:
    """Return the text of ``page`` without fenced blocks and inline code."""
    text = page.read_text(encoding="utf-8")
    out: list[str] = []
    fence: str | None = None
    for line in text.splitlines():
        match = _FENCE.match(line)
        if fence is None and match is not None:
            fence = match["fence"]
            out.append("")
            continue
        if fence is not None:
            if line.strip().startswith(fence) and not line.strip().strip(fence[0]):
                fence = None
            out.append("")
            continue
        out.append(re.sub(r"`+[^`]*`+", "", line))
    return "\n".join(out)


def slugify(text: str) -> str:
    """Python-Markdown's ``toc`` slug of a heading's text (what mkdocs uses as its id)."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)  # links: keep the text
    text = text.replace("`", "").replace("*", "")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^\w\s-]", "", text).strip().lower()
    return re.sub(r"[-\s]+", "-", text)


def anchors(page: Path) -> set[str]:
    """Return the ids a link can point at in ``page``: headings and ``{#id}`` attributes."""
    found: set[str] = set()
    seen: dict[str, int] = {}
    for line in prose(page).splitlines():
        found.update(re.findall(r"\{[^}]*#([\w-]+)[^}]*\}", line))
        heading = re.match(r"^#{1,6}\s+(.*?)\s*#*\s*$", line)
        if heading is None:
            continue
        title = heading[1]
        explicit = re.search(r"\{[^}]*#([\w-]+)[^}]*\}\s*$", title)
        if explicit:
            continue
        slug = slugify(title)
        if slug in seen:
            seen[slug] += 1
            slug = f"{slug}_{seen[slug]}"
        else:
            seen[slug] = 0
        found.add(slug)
    # mkdocstrings directives give each documented object an id: its dotted path.
    for block in re.findall(r"^::: *([\w.]+)", page.read_text(encoding="utf-8"), re.M):
        found.add(block)
    return found


_LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")


def relative_links(page: Path) -> Iterator[tuple[int, str]]:
    """Yield ``(line, target)`` for each relative Markdown link or image of ``page``."""
    for number, line in enumerate(prose(page).splitlines(), start=1):
        for target in _LINK.findall(line):
            if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I):  # https:, mailto:...
                continue
            yield number, target


# -- the public API has docstrings --------------------------------------------------------


def public_objects(module_name: str) -> Iterator[tuple[str, Any]]:
    """Yield ``(qualified name, object)`` for the module, its ``__all__`` and their methods."""
    module = importlib.import_module(module_name)
    yield module_name, module
    for name in module.__all__:
        obj = getattr(module, name)
        if inspect.isclass(obj):
            yield f"{module_name}.{name}", obj
            for attr, value in vars(obj).items():
                if attr.startswith("_"):
                    continue
                func = value
                if isinstance(value, classmethod | staticmethod):
                    func = value.__func__
                elif isinstance(value, property):
                    func = value.fget
                elif isinstance(value, cached_property):
                    func = value.func
                if inspect.isfunction(func):
                    yield f"{module_name}.{name}.{attr}", func
        elif inspect.isfunction(obj):
            yield f"{module_name}.{name}", obj


@pytest.mark.parametrize("module_name", ["sla_clock", *REFERENCE_MODULES])
def test_public_api_has_docstrings(module_name: str) -> None:
    """Every public module, class, function and method has a docstring (the reference needs it)."""
    missing = [name for name, obj in public_objects(module_name) if not (obj.__doc__ or "").strip()]
    assert not missing, f"no docstring: {missing}"


def reference_directives() -> set[str]:
    """Return the identifiers of the ``::: identifier`` directives of docs/reference/."""
    found: set[str] = set()
    for page in (DOCS / "reference").glob("*.md"):
        found.update(re.findall(r"^::: *([\w.]+)", page.read_text(encoding="utf-8"), re.M))
    return found


def test_reference_covers_the_public_api() -> None:
    """Each reference module, and each name of ``sla_clock.__all__`` (or its module), has a
    ``:::`` directive in docs/reference/."""
    import sla_clock

    directives = reference_directives()
    missing = [module for module in REFERENCE_MODULES if module not in directives]
    for name in sla_clock.__all__:
        home = getattr(getattr(sla_clock, name), "__module__", "")
        documented_module = home in directives and name in importlib.import_module(home).__all__
        if (
            name != "__version__"
            and f"sla_clock.{name}" not in directives
            and not documented_module
        ):
            missing.append(f"sla_clock.{name}")
    assert not missing, f"not in docs/reference/*.md: {missing}"


def test_reference_directives_resolve() -> None:
    """Every ``::: identifier`` of the reference names an importable object."""
    for identifier in sorted(reference_directives()):
        module_name, _, attr = identifier.rpartition(".")
        try:
            importlib.import_module(identifier)
        except ImportError:
            assert hasattr(importlib.import_module(module_name), attr), identifier


# -- links ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "page", [*PAGES, ROOT / "README.md"], ids=lambda p: str(p.relative_to(ROOT))
)
def test_relative_links_resolve(page: Path) -> None:
    """Each relative link points at an existing file (inside docs/ for a page) and anchor."""
    problems = []
    for line, target in relative_links(page):
        path_part, _, anchor = target.partition("#")
        path_part = path_part.split("?")[0]
        dest = (page.parent / path_part).resolve() if path_part else page
        where = f"{page.relative_to(ROOT)}:{line}: {target}"
        if not dest.exists():
            problems.append(f"{where}: no such file")
            continue
        if page.is_relative_to(DOCS) and not dest.is_relative_to(DOCS):
            problems.append(f"{where}: outside docs/, which mkdocs cannot link to")
            continue
        if anchor and dest.suffix == ".md" and anchor not in anchors(dest):
            problems.append(f"{where}: no heading or id #{anchor} in {dest.name}")
    assert not problems, "\n".join(problems)


def test_snippet_includes_exist() -> None:
    """Each ``--8<-- "path"`` include names a file of the repository (paths from its root)."""
    for page in PAGES:
        for path in re.findall(r'--8<--\s+"([^"]+)"', page.read_text(encoding="utf-8")):
            assert (ROOT / path).is_file(), f"{page.name}: {path}"


# -- code blocks run --------------------------------------------------------------------------


def _imported_modules(code: str) -> set[str]:
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return set()
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def _doctest_source(code: str) -> str:
    return "".join(example.source for example in doctest.DocTestParser().get_examples(code))


def run_blocks(page: Path) -> list[str]:
    """Run the python and pycon blocks of ``page``; return what was skipped, and why."""
    namespace: dict[str, Any] = {"__name__": "__docs__"}
    skipped: list[str] = []
    parser = doctest.DocTestParser()
    flags = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    for block in fenced_blocks(page):
        if block.lang not in RUN_PYTHON | RUN_DOCTEST or "--8<--" in block.code:
            continue
        if block.code.lstrip().lower().startswith(NOT_RUN):
            skipped.append(f"{block.where}: {block.code.lstrip().splitlines()[0]}")
            continue
        runner_test = RUN_ELSEWHERE.match(block.before)
        if runner_test:
            assert (ROOT / runner_test[1]).is_file(), f"{block.where}: no {runner_test[1]}"
            skipped.append(f"{block.where}: run by {runner_test[1]}")
            continue
        if block.lang in RUN_PYTHON:
            padded = "\n" * (block.line - 1) + block.code  # tracebacks show the page's lines
            exec(compile(padded, str(block.page), "exec"), namespace)
            continue
        test = parser.get_doctest(
            block.code, namespace, block.where, str(block.page), block.line - 1
        )
        runner = doctest.DocTestRunner(optionflags=flags)
        report = io.StringIO()
        runner.run(test, out=report.write, clear_globs=False)
        assert not runner.failures, report.getvalue()
        namespace.update(test.globs)  # DocTest works on a copy: later blocks see its names
    return skipped


PAGES_WITH_CODE = [
    page for page in PAGES if any(b.lang in RUN_PYTHON | RUN_DOCTEST for b in fenced_blocks(page))
]


def test_some_pages_have_code() -> None:
    """The code-running test below has pages to run (a broken fence parser would find none)."""
    assert len(PAGES_WITH_CODE) >= 5


@pytest.mark.parametrize("page", PAGES_WITH_CODE, ids=lambda p: str(p.relative_to(DOCS)))
def test_code_blocks_run(page: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The python blocks of the page run and its pycon blocks give the output they show."""
    monkeypatch.chdir(ROOT)
    run_blocks(page)


# -- console transcripts ------------------------------------------------------------------


def replay(block: Block, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Replay a console transcript; return a description of each difference."""
    from sla_clock.cli import main

    problems: list[str] = []
    status = 0
    lines = block.code.splitlines()
    i = 0
    while i < len(lines):
        command = lines[i]
        assert command.startswith("$ "), f"{block.where}: expected a '$ ' line, got {command!r}"
        expected: list[str] = []
        i += 1
        while i < len(lines) and not lines[i].startswith("$ "):
            expected.append(lines[i])
            i += 1
        words = shlex.split(command[2:], comments=True)
        with monkeypatch.context() as env:
            env.setenv("LANG", "C.UTF-8")  # English text; holidays reads these too
            for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
                env.delenv(name, raising=False)
            while words and re.match(r"^[A-Z_]+=", words[0]):
                name, _, value = words.pop(0).partition("=")
                env.setenv(name, value)
            if words == ["echo", "$?"]:
                got = [str(status)]
            else:
                assert words[:1] == ["sla-clock"], f"{block.where}: cannot replay {command!r}"
                buffer = io.StringIO()
                with contextlib.redirect_stdout(buffer), contextlib.redirect_stderr(buffer):
                    status = main(words[1:])
                got = buffer.getvalue().splitlines()
        if [g.rstrip() for g in got] != [e.rstrip() for e in expected]:
            problems.append(
                f"{block.where}: {command}\n--- page\n"
                + "\n".join(expected)
                + "\n--- actual\n"
                + "\n".join(got)
            )
    return problems


@pytest.mark.parametrize("name", CONSOLE_PAGES)
def test_console_transcripts(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every command of the page's console blocks prints what the page shows."""
    monkeypatch.chdir(ROOT)
    blocks = [b for b in fenced_blocks(DOCS / name) if b.lang == "console"]
    assert blocks, f"{name} has no console block"
    problems = [problem for block in blocks for problem in replay(block, monkeypatch)]
    assert not problems, "\n\n".join(problems)


# -- example scripts shown with their output ------------------------------------------------


def example_outputs() -> list[tuple[str, str]]:
    """Return ``(script, shown output)`` for each example of examples.md shown with its output."""
    text = (DOCS / "examples.md").read_text(encoding="utf-8")
    pattern = r'--8<--\s+"(examples/[\w.]+\.py)"\s*\n```\s*\n+```text title="Output"\n(.*?)\n```'
    return re.findall(pattern, text, re.S)


def test_examples_page_shows_every_example() -> None:
    """examples.md includes every examples/*.py, each followed by its output."""
    shown = sorted(script for script, _ in example_outputs())
    assert shown == sorted(f"examples/{p.name}" for p in (ROOT / "examples").glob("*.py"))


@pytest.mark.slow
@pytest.mark.parametrize(("script", "output"), example_outputs(), ids=lambda v: str(v)[:40])
def test_example_output_is_current(script: str, output: str) -> None:
    """The output shown under an example is what the script prints now."""
    done = subprocess.run(
        [sys.executable, str(ROOT / script)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.rstrip("\n") == output.rstrip("\n")


# -- the holiday tables are the holidays package's --------------------------------------------

HOLIDAY_YEAR = 2026
#: The columns of the generated table: (heading, subdivision).
HOLIDAY_COLUMNS = [("BR", None), ("SP", "SP"), ("São Paulo Capital", "São Paulo Capital")]


def holiday_table(year: int = HOLIDAY_YEAR) -> str:
    """Render the Markdown table of Brazil's holidays of ``year``: category per subdivision."""
    import holidays

    names: dict[Any, tuple[str, str]] = {}
    cells: dict[Any, list[list[str]]] = {}
    for column, (_, subdiv) in enumerate(HOLIDAY_COLUMNS):
        for category in ("public", "optional"):
            found = {
                language: holidays.country_holidays(
                    "BR", subdiv=subdiv, categories=(category,), years=year, language=language
                )
                for language in ("pt_BR", "en_US")
            }
            for day in found["en_US"]:
                names.setdefault(day, (found["pt_BR"][day], found["en_US"][day]))
                cells.setdefault(day, [[] for _ in HOLIDAY_COLUMNS])[column].append(category)
    heads = " | ".join(head for head, _ in HOLIDAY_COLUMNS)
    lines = [
        f"| date | day | name (pt) | name (en) | {heads} |",
        "| --- | --- | --- | --- |" + " --- |" * len(HOLIDAY_COLUMNS),
    ]
    for day in sorted(names):
        row = " | ".join(" + ".join(c) if c else "-" for c in cells[day])
        lines.append(
            f"| {day.isoformat()} | {day:%a} | {names[day][0]} | {names[day][1]} | {row} |"
        )
    return "\n".join(lines)


def test_holiday_table_matches_the_holidays_package() -> None:
    """docs/holidays.md shows exactly what the installed ``holidays`` package says for 2026."""
    text = (DOCS / "holidays.md").read_text(encoding="utf-8")
    match = re.search(r"<!-- generated: holidays -->\n(.*?)\n<!-- end -->", text, flags=re.S)
    assert match, "docs/holidays.md has no <!-- generated: holidays --> block"
    expected = holiday_table()
    assert match[1].strip() == expected, (
        f"regenerate: python tests/project/test_docs.py\n{expected}"
    )


if __name__ == "__main__":  # python tests/project/test_docs.py: print the holiday table to paste
    print(f"<!-- generated: holidays -->\n{holiday_table()}\n<!-- end -->")  # noqa: T201 (its job)
