"""Every parameter with its default, allowed range and meaning, read from the schema.

Core object: :func:`parameter_table` (Markdown), used by ``sim params`` and to
generate docs/parameters.md (a test keeps that file in step with the schema).
"""

from __future__ import annotations

from pydantic import BaseModel

from sim.scenario.loader import _describe_allowed, _inner_model, build_scenario
from sim.scenario.schema import Scenario


def _rows(model: type[BaseModel], prefix: str, defaults: dict) -> list[tuple[str, str, str]]:
    rows = []
    for name, field in model.model_fields.items():
        key = f"{prefix}{name}"
        inner, is_dict = _inner_model(field.annotation)
        if inner is not None and is_dict:
            for item, values in defaults.get(name, {}).items():
                for sub_name in inner.model_fields:
                    sub_key = f"{key}.{item}.{sub_name}"
                    allowed = _describe_allowed(tuple(sub_key.split(".")))
                    rows.append((sub_key, repr(values[sub_name]), allowed))
        elif inner is not None:
            rows += _rows(inner, f"{key}.", defaults.get(name, {}))
        elif name != "sweep":
            rows.append((key, repr(field.default), _describe_allowed(tuple(key.split(".")))))
    return rows


def parameter_table() -> str:
    """A Markdown table of every scenario key, its default and what is allowed."""
    lines = ["| key | default | allowed; meaning |", "|---|---|---|"]
    defaults = build_scenario().model_dump(mode="json")
    for key, default, allowed in _rows(Scenario, "", defaults):
        lines.append(f"| `{key}` | `{default}` | {allowed.replace('|', '/')} |")
    return "\n".join(lines) + "\n"
