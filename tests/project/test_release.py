"""Release hygiene: the wheel carries every module and py.typed, the CHANGELOG the version.

The wheel is built from this tree with ``python -m build --wheel --no-isolation`` (about half
a second with hatchling installed, as the ``test`` extra does) and run from an unpacked copy,
so a packaging mistake fails here and not on a user's machine. ``.ci/run`` goes further: it
builds the sdist and wheel in an isolated environment and installs the wheel into a fresh
virtualenv.
"""

from __future__ import annotations

import email.parser
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from sla_clock import __version__

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "src" / "sla_clock"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the wheel of this tree into a temporary directory and return its path."""
    out = tmp_path_factory.mktemp("dist")
    result = subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    (built,) = out.glob("*.whl")
    return built


def wheel_names(wheel: Path) -> set[str]:
    with zipfile.ZipFile(wheel) as archive:
        return set(archive.namelist())


def wheel_metadata(wheel: Path) -> email.message.Message:
    with zipfile.ZipFile(wheel) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        return email.parser.Parser().parsestr(archive.read(name).decode("utf-8"))


@pytest.mark.slow
def test_wheel_is_named_after_the_version(wheel: Path) -> None:
    """The wheel's file name and metadata carry the version of _version.py."""
    assert wheel.name == f"sla_clock-{__version__}-py3-none-any.whl"
    assert wheel_metadata(wheel)["Version"] == __version__


def test_wheel_has_py_typed(wheel: Path) -> None:
    """py.typed is in the wheel, so type checkers read sla-clock's hints (PEP 561)."""
    assert "sla_clock/py.typed" in wheel_names(wheel)


def test_wheel_has_every_module(wheel: Path) -> None:
    """Every module of src/sla_clock (subpackages included) is in the wheel."""
    modules = {
        path.relative_to(PACKAGE.parent).as_posix()
        for path in PACKAGE.rglob("*.py")
        if "__pycache__" not in path.parts
    }
    assert "sla_clock/views/figure.py" in modules
    assert modules <= wheel_names(wheel)


def test_wheel_ships_no_tests_or_caches(wheel: Path) -> None:
    """Only the package and its dist-info are in the wheel."""
    tops = {name.split("/")[0] for name in wheel_names(wheel)}
    assert tops == {"sla_clock", f"sla_clock-{__version__}.dist-info"}
    assert not any(name.endswith(".pyc") for name in wheel_names(wheel))


def test_wheel_declares_the_command_and_the_extras(wheel: Path) -> None:
    """The wheel installs the ``sla-clock`` command and offers the docs extra (matplotlib)."""
    with zipfile.ZipFile(wheel) as archive:
        name = next(n for n in archive.namelist() if n.endswith("entry_points.txt"))
        entry_points = archive.read(name).decode("utf-8")
    assert "sla-clock = sla_clock.cli:main" in entry_points
    metadata = wheel_metadata(wheel)
    extras = set(metadata.get_all("Provides-Extra") or [])
    assert {"docs", "fast", "test"} <= extras
    requires = metadata.get_all("Requires-Dist") or []
    assert any(r.startswith("matplotlib") and "extra == 'docs'" in r for r in requires)


@pytest.mark.slow
def test_unpacked_wheel_runs(wheel: Path, tmp_path: Path) -> None:
    """The unpacked wheel (not this tree) answers the README's due-date check."""
    target = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(target)
    env = {**os.environ, "PYTHONPATH": str(target), "TZ": "Asia/Tokyo"}
    code = "import sla_clock, sys; print(sla_clock.__file__); sys.exit(__import__('runpy')"
    code += ".run_module('sla_clock', run_name='__main__'))"
    result = subprocess.run(
        [sys.executable, "-c", code, "due", "P1", "--opened", "2026-11-24 17:30"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert (result.returncode, result.stderr) == (0, "")
    location, due = result.stdout.splitlines()
    assert Path(location).is_relative_to(target)
    assert due == "2026-11-26T11:30:00-03:00"


def test_changelog_has_this_version() -> None:
    """CHANGELOG.md (Keep a Changelog) has an Unreleased section and, first, this version."""
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert changelog.startswith("# Changelog\n")
    assert "## [Unreleased]" in changelog
    entry = re.search(
        rf"^## \[{re.escape(__version__)}\] - (\d{{4}}-\d{{2}}-\d{{2}})$", changelog, re.M
    )
    assert entry is not None, f"CHANGELOG.md has no '## [{__version__}] - YYYY-MM-DD' entry"
    first_release = re.search(r"^## \[\d", changelog, re.M)
    assert first_release is not None
    assert first_release.start() == entry.start(), "the newest release comes first"


@pytest.mark.slow
def test_version_option() -> None:
    """``python -m sla_clock --version`` prints the single-sourced version."""
    result = subprocess.run(
        [sys.executable, "-m", "sla_clock", "--version"],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert (result.returncode, result.stdout) == (0, f"sla-clock {__version__}\n")
    source = (PACKAGE / "_version.py").read_text(encoding="utf-8")
    assert f'__version__ = "{__version__}"' in source
