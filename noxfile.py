"""The project's checks, one nox session each: ``nox -s lint tests docs bench``.

Sessions run in the environment that calls nox, not in virtualenvs of their own: install the
project once (``python -m pip install -e ".[dev]"``, see CONTRIBUTING.md) and every session
uses it. ``.ci/run`` makes a fresh virtualenv, installs ``.[test]`` and calls the same
sessions, so what passes here passes in CI.

- ``lint``: ruff (rules and format), ``mypy --strict``, import-linter's contracts.
- ``tests``: the README's test command, ``python -m pytest`` (arguments after ``--`` are
  passed on: ``nox -s tests -- -m "not slow"`` for the quick loop).
- ``docs``: ``mkdocs build --strict`` (needs the ``docs`` extra).
- ``bench``: every benchmark (``-- --quick`` for a smoke run); it prints ratios against the
  peers measured in the same run.
"""

from __future__ import annotations

import os
import tempfile

import nox

nox.options.sessions = ["lint", "tests"]
nox.options.default_venv_backend = "none"
nox.options.error_on_external_run = False

#: The folders ruff checks: everything that is Python in the repository.
PYTHON_FOLDERS = ("src", "tests", "examples", "benchmarks", "scripts", "docs/_griffe", "noxfile.py")


@nox.session(venv_backend="none")
def lint(session: nox.Session) -> None:
    """Ruff's rules and format, mypy --strict, and the import contracts of pyproject.toml."""
    session.run("ruff", "check", *PYTHON_FOLDERS)
    session.run("ruff", "format", "--check", *PYTHON_FOLDERS)
    session.run("mypy", "--strict", "src", "tests/typing_examples.py")
    session.run("lint-imports", "--no-cache")


@nox.session(venv_backend="none")
def tests(session: nox.Session) -> None:
    """The whole suite, as the README runs it; ``-- ARGS`` go to pytest."""
    session.run("python", "-m", "pytest", *session.posargs)


@nox.session(venv_backend="none")
def docs(session: nox.Session) -> None:
    """Build the documentation site; a broken link or reference fails (``--strict``)."""
    site = tempfile.mkdtemp(prefix="sla-clock-site-")
    env = {"NO_MKDOCS_2_WARNING": "1"}
    session.run("mkdocs", "build", "--strict", "--quiet", "--site-dir", site, env=env)
    session.log(f"site built in {site}")


@nox.session(venv_backend="none")
def bench(session: nox.Session) -> None:
    """Every benchmarks/bench_*.py script; ``-- --quick`` for tiny sizes."""
    session.run("python", os.path.join("benchmarks", "run_all.py"), *session.posargs)
