"""Struct-of-arrays populations and read-only views of single agents.

Core objects: :class:`Population`, :class:`AgentView`.

A population keeps one numpy array per field (``firms.price``, ``firms.wage``, ...),
so behaviour is written as whole-array operations. ``population[i]`` returns an
:class:`AgentView`, a frozen snapshot of agent ``i`` for students to inspect.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np


class AgentView:
    """Read-only snapshot of one agent: ``view.wage``, ``view.as_dict()``."""

    __slots__ = ("_fields", "index", "kind")

    def __init__(self, kind: str, index: int, fields: dict[str, Any]) -> None:
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "index", index)
        object.__setattr__(self, "_fields", fields)

    def __getattr__(self, name: str) -> Any:
        try:
            return self._fields[name]
        except KeyError:
            raise AttributeError(f"{self.kind} has no field {name!r}") from None

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{self.kind} {self.index} is a read-only view")

    def as_dict(self) -> dict[str, Any]:
        """All fields of the agent as plain Python values."""
        return dict(self._fields)

    def __repr__(self) -> str:
        body = ", ".join(
            f"{k}={v:.4g}" if isinstance(v, float) else f"{k}={v!r}"
            for k, v in self._fields.items()
        )
        return f"{self.kind}[{self.index}]({body})"


class Population:
    """A population of agents of one kind, stored as parallel numpy arrays.

    Subclasses list their per-agent arrays in ``fields``; each must be an attribute
    of the same length.
    """

    kind: ClassVar[str] = "agent"
    fields: ClassVar[tuple[str, ...]] = ()

    def __len__(self) -> int:
        return len(getattr(self, self.fields[0]))

    def __getitem__(self, index: int) -> AgentView:
        size = len(self)
        if not -size <= index < size:
            raise IndexError(f"{self.kind} index {index} out of range (0..{size - 1})")
        index %= size
        values = {}
        for name in self.fields:
            value = getattr(self, name)[index]
            values[name] = value.tolist() if isinstance(value, np.ndarray) else value.item()
        return AgentView(self.kind, index, values)

    def to_frame(self):
        """All agents as a pandas DataFrame (one row per agent; 2-D fields as lists)."""
        import pandas as pd

        data = {}
        for name in self.fields:
            column = getattr(self, name)
            data[name] = list(column) if column.ndim > 1 else column
        return pd.DataFrame(data)
