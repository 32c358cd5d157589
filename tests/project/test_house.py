"""The shape of the house (docs/design.md): import contracts, public names, sizes.

The import contracts live in ``pyproject.toml`` (``[tool.importlinter]``); these tests run
import-linter on the real tree, and on copies of it with one forbidden import added, so a
contract that stopped biting would fail here.
"""

from __future__ import annotations

import ast
import importlib
import os
import re
import shutil
import subprocess
import sys
import types
from collections.abc import Iterable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "src" / "sla_clock"
#: The modules whose ``__all__`` is the public API (docs/reference); the rest are private.
PUBLIC_MODULES = (
    "sla_clock",
    "sla_clock.parsing",
    "sla_clock.config",
    "sla_clock.bulk",
    "sla_clock.adapters",
    "sla_clock.adapters.pandas",
    "sla_clock.adapters.polars",
    "sla_clock.adapters.dask",
    "sla_clock.views.figure",
)
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 80


def _lint_imports(
    src: Path, tmp_path: Path, contracts: tuple[str, ...] = ()
) -> subprocess.CompletedProcess[str]:
    """Run import-linter with the project's contracts (all, or those ids) on ``src``."""
    env = {**os.environ, "PYTHONPATH": str(src)}
    code = "import sys; from importlinter.cli import lint_imports; sys.exit(lint_imports("
    code += f"config_filename={str(ROOT / 'pyproject.toml')!r}, no_cache=True, no_logo=True, "
    code += f"limit_to_contracts={contracts!r}))"
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=120,
        check=False,
    )


def test_the_import_contracts_are_kept(tmp_path: Path) -> None:
    done = _lint_imports(ROOT / "src", tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "4 kept, 0 broken" in done.stdout


@pytest.mark.slow
@pytest.mark.parametrize(
    ("module", "line", "contract"),
    [
        # The core never imports a wing, not even lazily inside a function.
        ("ticket.py", "def _up() -> None:\n    from .cli import main\n", "floors"),
        # A core floor never imports a higher one: status takes the policy's parts.
        ("status.py", "def _up() -> None:\n    from . import policy\n", "floors"),
        # Imports under TYPE_CHECKING count too.
        ("_ops.py", "if TYPE_CHECKING:\n    from .policy import SlaPolicy\n", "floors"),
        # A new module must find its floor (the layers are exhaustive).
        ("_new_room.py", "X = 1\n", "floors"),
        # The CLI reaches the engine only through the public API.
        ("cli/_due.py", "from .._ops import add\n", "cli-public"),
        # Holidays come in through one door, so a holidays upgrade is one module's concern.
        ("calendar.py", "def _door() -> None:\n    import holidays\n", "one-holiday-door"),
        # Two modules of one package importing each other is a cycle.
        ("batch/_quotes.py", "def _back() -> None:\n    from . import _pipeline\n", "no-cycles"),
    ],
)
def test_a_forbidden_import_breaks_a_contract(
    tmp_path: Path, module: str, line: str, contract: str
) -> None:
    src = tmp_path / "src"
    shutil.copytree(PACKAGE, src / "sla_clock", ignore=shutil.ignore_patterns("__pycache__"))
    target = src / "sla_clock" / module
    before = target.read_text(encoding="utf-8") if target.exists() else ""
    target.write_text(before + "\n\n" + line, encoding="utf-8")
    assert _lint_imports(ROOT / "src", tmp_path, (contract,)).returncode == 0
    done = _lint_imports(src, tmp_path, (contract,))
    assert done.returncode == 1, done.stdout + done.stderr
    assert "0 kept, 1 broken" in done.stdout, done.stdout


#: Packages whose ``__init__`` only gathers names from their modules (httpx's test applies).
PUBLIC_PACKAGES = ("sla_clock", "sla_clock.bulk", "sla_clock.adapters")


def _sorted(names: Iterable[str]) -> list[str]:
    """Sorted as ruff's RUF022 sorts ``__all__``: CONSTANTS, then Classes, then functions."""
    return sorted(names, key=lambda n: (0 if n.isupper() else 1 if n[0].isupper() else 2, n))


def _public_names(module: types.ModuleType) -> list[str]:
    """The names a module binds that look public: not private, not a module, not __future__."""
    return _sorted(
        name
        for name, value in vars(module).items()
        if (not name.startswith("_") or name == "__version__")
        and not isinstance(value, types.ModuleType)
        and name != "annotations"  # from __future__ import annotations
    )


@pytest.mark.parametrize("name", PUBLIC_PACKAGES)
def test_all_is_the_sorted_public_names_of_the_package(name: str) -> None:
    """httpx's exported-members test: a name the package binds is in ``__all__`` or private."""
    module = importlib.import_module(name)
    assert module.__all__ == _public_names(module)


def _defined_names(path: Path) -> list[str]:
    """The public names a module defines at its top level: functions, classes, constants."""
    names: list[str] = []
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.FunctionDef | ast.ClassDef):
            names.append(node.name)
        elif isinstance(node, ast.Assign):
            names += [t.id for t in node.targets if isinstance(t, ast.Name)]
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.append(node.target.id)
    return sorted(name for name in names if not name.startswith("_"))


@pytest.mark.parametrize("name", PUBLIC_MODULES)
def test_a_public_module_defines_nothing_public_outside_all(name: str) -> None:
    """Every public def, class or constant of a public module is in ``__all__``, which is sorted.

    A helper that is not API has an underscore; an imported name is not re-exported by
    accident (only what ``__all__`` lists is, and it must exist).
    """
    module = importlib.import_module(name)
    path = Path(module.__file__ or "")
    assert module.__all__ == _sorted(module.__all__)
    assert [n for n in _defined_names(path) if n not in module.__all__] == []
    assert [n for n in module.__all__ if not hasattr(module, n)] == []


def _python_files() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", _python_files(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_is_over_400_lines(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_MODULE_LINES, f"{path.name} has {lines} lines: split it by job"


@pytest.mark.parametrize("path", _python_files(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_function_is_over_80_lines(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    long = [
        (node.name, node.end_lineno - node.lineno + 1)
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno is not None
        and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES
    ]
    assert long == [], f"{path.name}: functions over {MAX_FUNCTION_LINES} lines: {long}"


#: A suppression comment (noqa with its codes, or type-ignore with its codes) and what follows it.
SUPPRESSION = re.compile(
    r"#\s*(?:noqa(?::\s*[A-Z]+[0-9]+(?:\s*,\s*[A-Z]+[0-9]+)*)?|type:\s*ignore(?:\[[^\]]*\])?)(.*)"
)


def _python_files() -> list[Path]:
    tracked = subprocess.run(
        ["git", "ls-files", "*.py"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    if tracked.returncode == 0 and tracked.stdout:
        return [ROOT / name for name in tracked.stdout.split()]
    folders = ("src", "tests", "examples", "benchmarks", "scripts", "docs")
    return [path for folder in folders for path in sorted((ROOT / folder).rglob("*.py"))]


def unexplained_suppressions(lines: list[str]) -> list[int]:
    """The 1-based numbers of the lines whose ``noqa`` or ``type: ignore`` gives no reason.

    A reason is a comment after the suppression on its line, or a comment on the line above.

    >>> unexplained_suppressions(["x = 1  # noqa: E501", "y = 2  # noqa: E501  # a URL"])
    [1]
    >>> unexplained_suppressions(["# a str on purpose", "f(1)  # type: ignore[arg-type]"])
    []
    """
    bare = []
    for number, line in enumerate(lines, start=1):
        match = SUPPRESSION.search(line)
        if match is None or match[1].strip(" #-—:()"):
            continue
        above = lines[number - 2] if number > 1 else ""
        if "#" in above and not SUPPRESSION.search(above):
            continue
        bare.append(number)
    return bare


def test_every_noqa_and_type_ignore_gives_its_reason() -> None:
    """A suppression without a reason hides a decision from the next reader (issue 10)."""
    found = []
    for path in _python_files():
        lines = path.read_text(encoding="utf-8").splitlines()
        found += [f"{path.relative_to(ROOT)}:{n}" for n in unexplained_suppressions(lines)]
    assert found == [], "give each suppression its reason:\n" + "\n".join(found)
