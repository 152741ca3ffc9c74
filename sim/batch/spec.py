"""The ``[sweep]`` table of a scenario file: its schema and plain-word validation errors.

Core objects: :class:`SweepSpec`, :class:`ParameterRange`, :func:`parse_sweep`.

A sweep says which scenario parameters vary, how the points are chosen, how many
replicates (independent random seeds) each point gets and the master seed::

    [sweep]
    design = "grid"          # grid | random | latin_hypercube | sobol_sequence | sobol | morris
    replicates = 3
    seed = 2025

    [sweep.parameters]
    "households.consumer_elasticity" = { values = [0.3, 0.5, 1.0, 2.0] }
    "labour.mobility" = { min = 0.05, max = 0.9, points = 4 }
    "sectors.*.substitution_elasticity" = { min = 0.3, max = 3.0, scale = "log" }

Keys may be quoted dotted paths or nested tables; ``*`` stands for every sector or
tier and sets them all to the same value.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Mapping
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from sim.scenario import ScenarioError
from sim.scenario.loader import shown

DESIGNS = ("grid", "random", "latin_hypercube", "sobol_sequence", "sobol", "morris")
"""``grid``: every combination of the listed values; ``random``, ``latin_hypercube``,
``sobol_sequence``: ``samples`` points in the bounds (scipy.stats.qmc); ``sobol``:
Saltelli's design for Sobol indices (SALib, ``samples`` = base sample N, giving
N(D+2) points, or N(2D+2) with ``second_order``); ``morris``: ``samples`` Morris
trajectories of D+1 points on a ``levels``-level grid (SALib)."""

SENSITIVITY_DESIGNS = ("sobol", "morris")
"""Designs whose points ``sim sensitivity`` can analyse."""

MAX_RUNS = 1_000_000
"""Most runs (points x replicates) one sweep may have; counted before any point is drawn."""

MAX_VALUES = 10_000
"""Longest ``values`` list of one parameter."""

MAX_PARAMETERS = 200
"""Most parameters one sweep may vary."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False, str_max_length=1000)


class ParameterRange(_Strict):
    """How one scenario parameter varies: a list of values, or bounds.

    ``scale = "log"`` spreads points evenly in the logarithm (for factors such as a
    tier's annual price decline, where 3x→9x matters as much as 30x→90x).
    """

    values: list[float | int | str | bool] | None = Field(
        None, max_length=MAX_VALUES, description="Values to try (grid design only)."
    )
    min: float | None = Field(None, description="Lower bound.")
    max: float | None = Field(None, description="Upper bound.")
    points: int | None = Field(
        None, ge=2, le=1000, description="Evenly spaced values between the bounds (grid only)."
    )
    scale: Literal["linear", "log"] = Field("linear", description="Spacing of points.")

    @model_validator(mode="after")
    def _values_or_bounds(self) -> ParameterRange:
        has_bounds = self.min is not None or self.max is not None
        if self.values is not None and (has_bounds or self.points is not None):
            raise ValueError("give either `values` or `min`/`max`, not both")
        if self.values is None and (self.min is None or self.max is None):
            raise ValueError("give `values = [...]` or both `min` and `max`")
        if self.values is not None and not self.values:
            raise ValueError("`values` is empty")
        if has_bounds and not self.min < self.max:
            raise ValueError(f"`min` ({self.min}) must be below `max` ({self.max})")
        if self.scale == "log" and has_bounds and self.min <= 0:
            raise ValueError(f"scale = 'log' needs min > 0 (got {self.min})")
        return self


class SweepSpec(_Strict):
    """The validated ``[sweep]`` table."""

    design: Literal[DESIGNS] = Field("grid", description="How points are chosen.")
    parameters: dict[str, ParameterRange] = Field(
        max_length=MAX_PARAMETERS, description="Varied parameters by dotted scenario key."
    )
    samples: int | None = Field(
        None,
        ge=1,
        le=1_000_000,
        description="Points (random, latin_hypercube, sobol_sequence), base sample N (sobol) "
        "or trajectories (morris).",
    )
    replicates: int = Field(1, ge=1, le=10_000, description="Seeds per point.")
    seed: int = Field(
        0, ge=0, le=2**63 - 1, description="Master seed for the design and every run's seed."
    )
    second_order: bool = Field(False, description="sobol: also estimate second-order indices.")
    levels: int = Field(4, ge=2, le=100, description="morris: levels of the grid.")

    @model_validator(mode="after")
    def _fits_design(self) -> SweepSpec:
        if not self.parameters:
            raise ValueError("`parameters` is empty: name at least one parameter to vary")
        if self.design == "grid":
            if self.samples is not None:
                raise ValueError("`samples` is not used by design 'grid' (the grid sets the count)")
            missing = [k for k, r in self.parameters.items() if r.values is None and not r.points]
            if missing:
                raise ValueError(
                    f"design 'grid' needs `values` or `points` for: {', '.join(missing)}"
                )
            return self
        if self.samples is None:
            raise ValueError(f"design {self.design!r} needs `samples`")
        listed = [key for key, r in self.parameters.items() if r.values is not None or r.points]
        if listed:
            raise ValueError(
                f"design {self.design!r} samples between `min` and `max`; "
                f"`values`/`points` are for 'grid' only: {', '.join(listed)}"
            )
        return self

    @model_validator(mode="after")
    def _not_too_many_runs(self) -> SweepSpec:
        runs = self.expected_points() * self.replicates
        if runs > MAX_RUNS:
            raise ValueError(
                f"the sweep would have {runs:,} runs ({self.expected_points():,} points x "
                f"{self.replicates:,} replicates); at most {MAX_RUNS:,} are allowed"
            )
        return self

    def expected_points(self) -> int:
        """Points the design will have, counted without drawing them (an upper bound
        for a grid of whole numbers, whose repeated values are dropped)."""
        dims = len(self.parameters)
        match self.design:
            case "grid":
                return math.prod(
                    len(r.values) if r.values is not None else r.points or 1
                    for r in self.parameters.values()
                )
            case "sobol":
                return (self.samples or 0) * ((2 * dims if self.second_order else dims) + 2)
            case "morris":
                return (self.samples or 0) * (dims + 1)
        return self.samples or 0


RANGE_KEYS = frozenset(ParameterRange.model_fields)


def flatten_parameters(table: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Turn nested TOML tables (``households.consumer_elasticity = {...}`` unquoted)
    into dotted keys; a table holding any of ``values/min/max/points/scale``, or no
    table at all, is one parameter's range."""
    flat: dict[str, Any] = {}
    for key, value in table.items():
        path = f"{prefix}{key}"
        nested = isinstance(value, Mapping) and any(isinstance(v, Mapping) for v in value.values())
        if nested and not RANGE_KEYS & set(value):
            flat.update(flatten_parameters(value, f"{path}."))
        else:
            flat[path] = value
    return flat


def _format_errors(error: ValidationError, source: str, data: Mapping) -> str:
    """One line per problem, naming the file, ``sweep.<key>``, the value and what is allowed."""
    lines = []
    for item in error.errors():
        loc = [str(part) for part in item["loc"]]
        # parameters are keyed by dotted paths: keep them as one quoted segment
        if loc[:1] == ["parameters"] and len(loc) > 1:
            loc = ["parameters", f'"{loc[1][:80]}"', *loc[2:]]
        key = ".".join(["sweep", *loc])
        if item["type"] == "extra_forbidden":
            model = ParameterRange if loc[:1] == ["parameters"] else SweepSpec
            choices = list(model.model_fields)
            guess = difflib.get_close_matches(loc[-1], choices, n=1)
            hint = f"; did you mean '{guess[0]}'?" if guess else ""
            lines.append(f"{source}: unknown key '{key}'{hint} (allowed: {', '.join(choices)})")
            continue
        value = data
        for part in item["loc"]:
            value = value.get(part) if isinstance(value, Mapping) else None
        echoed = f" = {shown(value)}" if value is not None else ""
        message = item["msg"].removeprefix("Value error, ")
        if item["type"] == "literal_error":
            message = f"must be one of {', '.join(DESIGNS)}"
        lines.append(f"{source}: {key}{echoed}: {message}")
    return "\n".join(lines)


def parse_sweep(table: Mapping[str, Any] | None, source: str) -> SweepSpec:
    """Validate a ``[sweep]`` table.

    Raises:
        ScenarioError: naming ``source``, the key, the value and what is allowed.
    """
    if not table:
        raise ScenarioError(
            f"{source}: no [sweep] table; a sweep file needs one (see docs/batch.md)"
        )
    if not isinstance(table, Mapping):
        raise ScenarioError(
            f"{source}: sweep = {shown(table)}: must be a table ([sweep], see docs/batch.md)"
        )
    data = dict(table)
    if isinstance(data.get("parameters"), Mapping):
        data["parameters"] = flatten_parameters(data["parameters"])
    try:
        return SweepSpec.model_validate(data)
    except ValidationError as error:
        raise ScenarioError(_format_errors(error, source, data)) from None
