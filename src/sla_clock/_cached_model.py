"""A frozen pydantic model that keeps what it computes from its fields, never copied nor pickled."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, Self

from pydantic import BaseModel

__all__ = ["CachingModel"]


class CachingModel(BaseModel):
    """A model whose ``functools.cached_property`` values named in ``cached`` stay its own.

    A copy or an unpickled model computes them again from its own fields.
    """

    cached: ClassVar[tuple[str, ...]] = ()

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Self:
        """Return a copy, as pydantic does, without the values cached from the original."""
        copy = super().model_copy(update=update, deep=deep)
        for name in self.cached:
            copy.__dict__.pop(name, None)
        return copy

    def __getstate__(self) -> dict[Any, Any]:
        """Pickle the model's data only; what it caches is rebuilt where it is used."""
        state = super().__getstate__()
        values = {k: v for k, v in state["__dict__"].items() if k not in self.cached}
        return {**state, "__dict__": values}
