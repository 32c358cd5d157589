"""The public surface: an explicit, sorted __all__ whose names all exist."""

from __future__ import annotations

import sla_clock
from sla_clock import errors


def test_all_is_sorted_and_unique() -> None:
    """__all__ is sorted and has no duplicates, so additions are reviewed as a diff."""
    assert list(sla_clock.__all__) == sorted(set(sla_clock.__all__))


def test_all_names_exist() -> None:
    """Every name in __all__ is importable from the package."""
    for name in sla_clock.__all__:
        assert hasattr(sla_clock, name), name


def test_every_error_is_exported_and_rooted() -> None:
    """Every error class is exported and subclasses SlaClockError and ValueError."""
    for name in errors.__all__:
        cls = getattr(errors, name)
        assert name in sla_clock.__all__
        assert issubclass(cls, sla_clock.SlaClockError)
        if cls is not sla_clock.SlaClockError:
            assert issubclass(cls, ValueError)


def test_version_is_single_sourced() -> None:
    """The package version comes from _version.py and matches the installed metadata."""
    from importlib.metadata import version

    assert sla_clock.__version__ == version("sla-clock")
