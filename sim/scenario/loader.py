"""Load scenario files, apply ``--set`` overrides and turn validation errors into plain words.

Core objects: :func:`load_scenario`, :func:`build_scenario`, :class:`ScenarioError`.

A scenario file is merged onto the built-in defaults table by table (so a file only
states what differs), then ``--set key=value`` overrides are applied with the same
dotted paths, and the result is validated by :class:`~sim.scenario.schema.Scenario`.
A sector or tier set to ``false`` is removed (``sectors.business = false``).
"""

from __future__ import annotations

import copy
import difflib
import tomllib
import types
import typing
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from sim.scenario.schema import DEFAULTS, Scenario

REMOVABLE_TABLES = ("sectors", ("compute", "tiers"))

MAX_FILE_BYTES = 1_000_000
"""Largest scenario file read, in bytes (the shipped ones are a few kB)."""

MAX_DEPTH = 8
"""Deepest nesting of tables a scenario may have (the schema needs four)."""

MAX_SHOWN = 80
"""Characters of a value echoed back in an error message."""


class ScenarioError(ValueError):
    """A scenario could not be loaded; the message names the file, the key, the value
    and what is allowed."""


def deep_merge(base: Mapping, update: Mapping) -> dict:
    """Return ``base`` with ``update`` merged in, table by table (neither is modified)."""
    merged = copy.deepcopy(dict(base))
    for key, value in update.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def shown(value: Any) -> str:
    """``repr(value)`` cut to :data:`MAX_SHOWN` characters, so messages stay short."""
    try:
        text = repr(value)
    except ValueError:  # an integer too long to print (over 4,300 digits)
        return f"<an integer of about {value.bit_length() * 0.30103:.0f} digits>"
    if len(text) <= MAX_SHOWN:
        return text
    return f"{text[: MAX_SHOWN - 20]}... ({len(text):,} characters)"


def parse_value(text: str) -> Any:
    """Read an override's value as a TOML value (number, bool, string, array);
    anything TOML cannot read is kept as a plain string."""
    try:
        return tomllib.loads(f"v = {text}")["v"]
    except (tomllib.TOMLDecodeError, ValueError, RecursionError):
        return text


def nesting_depth(data: Any, limit: int = MAX_DEPTH) -> int:
    """Depth of nested tables and arrays in ``data``, counting at most to ``limit + 1``."""
    if limit < 0 or not isinstance(data, Mapping | list):
        return 0
    children = data.values() if isinstance(data, Mapping) else data
    return 1 + max((nesting_depth(child, limit - 1) for child in children), default=0)


def parse_overrides(pairs: Iterable[str], source: str = "--set") -> dict[str, Any]:
    """Turn ``["a.b=1", ...]`` into ``{"a.b": 1, ...}``."""
    overrides: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise ScenarioError(f"{source}: {shown(pair)} is not of the form key=value")
        overrides[key.strip()] = parse_value(value.strip())
    return overrides


def set_dotted(data: dict, dotted_key: str, value: Any) -> None:
    """Set ``data["a"]["b"] = value`` for ``dotted_key = "a.b"``, creating tables."""
    parts = dotted_key.split(".")
    node = data
    for depth, part in enumerate(parts[:-1]):
        child = node.get(part)
        if child is None:
            child = {}
            node[part] = child
        elif not isinstance(child, dict):
            table = ".".join(parts[: depth + 1])
            raise ScenarioError(
                f"cannot set {shown(dotted_key)}: {table} = {shown(child)} is not a table"
            )
        node = child
    node[parts[-1]] = value


def get_dotted(data: Mapping, dotted_key: str) -> Any:
    """Read ``data["a"]["b"]`` for ``"a.b"``; raise KeyError if absent."""
    node: Any = data
    for part in dotted_key.split("."):
        node = node[part]
    return node


def _drop_removed(data: dict) -> None:
    for path in REMOVABLE_TABLES:
        keys = (path,) if isinstance(path, str) else path
        node = data
        for key in keys:
            node = node.get(key, {}) if isinstance(node, dict) else {}
        if isinstance(node, dict):
            for name in [name for name, value in node.items() if value is False]:
                del node[name]


def _inner_model(annotation: Any) -> tuple[type[BaseModel] | None, bool]:
    """For a field annotation return (model class, is_dict_of_models)."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            model, is_dict = _inner_model(arg)
            if model is not None:
                return model, is_dict
        return None, False
    if origin is dict:
        value_type = typing.get_args(annotation)[1]
        model, _ = _inner_model(value_type)
        return model, model is not None
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation, False
    return None, False


def _walk(loc: tuple) -> tuple[Any, type[BaseModel] | None, bool]:
    """Follow ``loc`` through the schema; return (last field, its model, expects a dict key)."""
    model: type[BaseModel] | None = Scenario
    expect_key = False
    field = None
    for part in loc:
        if model is None:
            return None, None, False
        if expect_key:
            expect_key = False
            continue
        field = model.model_fields.get(str(part))
        if field is None:
            return None, None, False
        model, expect_key = _inner_model(field.annotation)
    return field, model, expect_key


def allowed_keys(loc: tuple) -> list[str]:
    """Names of the keys allowed in the table at ``loc`` (for "did you mean")."""
    _, model, expect_key = _walk(loc)
    return list(model.model_fields) if model is not None and not expect_key else []


def _describe_allowed(loc: tuple) -> str:
    """The documented range of the field at ``loc``, e.g. ``'>= 0 and <= 1; description'``."""
    field, _, _ = _walk(loc) if loc else (None, None, False)
    if field is None:
        return ""
    bounds = [
        f"{word} {getattr(meta, attr)}"
        for meta in field.metadata
        for attr, word in (("ge", ">="), ("gt", ">"), ("le", "<="), ("lt", "<"))
        if getattr(meta, attr, None) is not None
    ]
    text = " and ".join(bounds)
    if field.description:
        text = f"{text}; {field.description}" if text else field.description
    return text


def format_errors(error: ValidationError, source: str, data: Mapping) -> str:
    """One line per problem: ``file: key = value: what is wrong (allowed: ...)``."""
    lines = []
    for item in error.errors():
        loc = tuple(item["loc"])
        key = ".".join(str(part) for part in loc) or "(top level)"
        if item["type"] == "extra_forbidden":
            choices = allowed_keys(loc[:-1])
            guess = difflib.get_close_matches(str(loc[-1]), choices, n=1)
            hint = f"; did you mean '{'.'.join([*map(str, loc[:-1]), guess[0]])}'?" if guess else ""
            lines.append(
                f"{source}: unknown key '{key}'{hint} (allowed here: {', '.join(choices)})"
            )
            continue
        try:
            value = f" = {shown(get_dotted(data, key))}"
        except (KeyError, TypeError):
            value = ""
        message = item["msg"]
        if message.startswith("Value error, "):
            message = message.removeprefix("Value error, ")
        allowed = _describe_allowed(loc)
        leaf = loc and _walk(loc)[1] is None
        suffix = f" (allowed: {allowed})" if allowed and leaf else ""
        lines.append(f"{source}: {key}{value}: {message}{suffix}")
    return "\n".join(lines)


def build_scenario(
    data: Mapping | None = None,
    overrides: Mapping[str, Any] | None = None,
    source: str = "<scenario>",
) -> Scenario:
    """Merge ``data`` onto the defaults, apply dotted ``overrides`` and validate.

    Raises:
        ScenarioError: with one line per problem, naming ``source``, the key, the value
            and the allowed range.
    """
    for label, table in (("file", data or {}), ("overrides", overrides or {})):
        if nesting_depth(table) > MAX_DEPTH:
            raise ScenarioError(
                f"{source}: tables nested more than {MAX_DEPTH} deep in the {label} "
                "(a scenario needs at most 4, e.g. [compute.tiers.basic])"
            )
    merged = deep_merge(DEFAULTS, data or {})
    for key, value in (overrides or {}).items():
        try:
            set_dotted(merged, key, value)
        except ScenarioError as error:
            raise ScenarioError(f"{source}: {error}") from None
    _drop_removed(merged)
    try:
        return Scenario.model_validate(merged)
    except ValidationError as error:
        raise ScenarioError(format_errors(error, source, merged)) from None


def read_toml(path: str | Path) -> dict:
    """Read a TOML file, turning syntax errors into a :class:`ScenarioError`."""
    path = Path(path)
    try:
        if not path.is_file():
            raise FileNotFoundError if not path.exists() else IsADirectoryError
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ScenarioError(
                f"{path}: {size:,} bytes; a scenario file may have at most {MAX_FILE_BYTES:,}"
            )
        text = path.read_bytes().decode("utf-8")
        return tomllib.loads(text)
    except FileNotFoundError:
        raise ScenarioError(f"{path}: no such scenario file") from None
    except IsADirectoryError:
        raise ScenarioError(f"{path}: not a file (a scenario is a TOML file)") from None
    except OSError as error:
        raise ScenarioError(f"{path}: cannot be read: {error.strerror}") from None
    except UnicodeDecodeError as error:
        raise ScenarioError(
            f"{path}: not UTF-8 text (byte {error.start}); TOML files must be UTF-8 "
            "(save it as UTF-8 without a byte-order mark)"
        ) from None
    except tomllib.TOMLDecodeError as error:
        raise ScenarioError(f"{path}: not valid TOML: {str(error)[:200]}") from None
    except RecursionError:
        raise ScenarioError(f"{path}: tables or arrays nested too deep") from None
    except ValueError as error:  # e.g. an integer of more than 4,300 digits
        raise ScenarioError(f"{path}: a value cannot be read: {str(error)[:200]}") from None


def load_scenario(
    path: str | Path, overrides: Mapping[str, Any] | Iterable[str] | None = None
) -> Scenario:
    """Load and validate a scenario file, with optional ``--set`` style overrides.

    Args:
        path: TOML file.
        overrides: ``{"sectors.care.ai_share": 0.1}`` or ``["sectors.care.ai_share=0.1"]``.
    """
    if overrides is not None and not isinstance(overrides, Mapping):
        overrides = parse_overrides(overrides)
    return build_scenario(read_toml(path), overrides, source=str(path))


def scenario_to_dict(scenario: Scenario) -> dict:
    """The full parameter set as plain data (for manifests and TOML round trips)."""
    return scenario.model_dump(mode="json", exclude_none=True)
