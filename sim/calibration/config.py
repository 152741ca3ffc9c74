"""The calibration file: its schema, and errors that name the file and the key.

Core objects: :class:`CalibrationConfig`, :func:`load_config`.

A calibration file (TOML) names the scenario to start from, the parameters to
estimate with their bounds, the moments to match, the sampler and the budget::

    description = "Recover the consumer elasticity from the model's own data"
    scenario = "../baseline.toml"   # relative to this file; default: built-in defaults
    seed = 7                        # master seed: sampler draws and every run's seed
    months = 60                     # months per run
    burn_in = 12                    # months left out before series moments
    replicates = 4                  # runs (seeds) per parameter point

    [set]                           # fixed overrides of the scenario
    "population.workers" = 2000

    [parameters]                    # dotted keys; {} takes sim.api's default bounds
    "households.consumer_elasticity" = { min = 0.2, max = 3.0, scale = "log" }

    [[moments]]                     # a statistic of a reported series ...
    series = "spending_share_software"
    statistic = "mean"              # mean | sd | autocorrelation (with lag)
    data = 0.11                     # the data value (not with [synthetic])
    scale = 0.005                   # distance unit (default: see docs/calibration.md)

    [[moments]]                     # ... or a target of the validation table
    target = "unemployment_rate_mean"

    [synthetic]                     # the data are the model's own runs at these values
    parameters = { "households.consumer_elasticity" = 1.5 }
    replicates = 8
    seed = 99

    [sampler]
    methods = ["halton", "gaussian_process", "best_batch"]
    batch_size = 4                  # points each method proposes per batch

    [budget]
    batches = 8                     # batches after the initial Halton batch
"""

from __future__ import annotations

import difflib
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from sim.api import ParameterSpace, base_data, parameter_space
from sim.scenario import ScenarioError, build_scenario
from sim.scenario.loader import read_toml

STATISTICS = ("mean", "sd", "autocorrelation")
"""Statistics of a series a moment can be: the mean, the standard deviation, or the
autocorrelation at ``lag`` months, each over the months after ``burn_in``."""

METHODS = ("halton", "gaussian_process", "best_batch")
"""Samplers: ``halton`` (scrambled Halton low-discrepancy sequence), ``gaussian_process``
(expected improvement of a Gaussian-process surrogate of the log loss),
``best_batch`` (perturbations of the best points so far)."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Bounds(_Strict):
    """Bounds of one estimated parameter (each optional for a key of ``sim.api.CALIBRATABLE``)."""

    min: float | None = Field(None, description="Lower bound.")
    max: float | None = Field(None, description="Upper bound.")
    scale: Literal["linear", "log"] | None = Field(None, description="Spacing of samples.")


class Moment(_Strict):
    """One moment to match: a statistic of a series, or a validation target."""

    series: str | None = Field(None, description="A reported series (docs/model.md).")
    statistic: Literal[STATISTICS] = Field("mean", description="Statistic of the series.")
    lag: int = Field(1, ge=1, le=120, description="Lag in months (autocorrelation).")
    target: str | None = Field(None, description="Id of a target of the validation table.")
    data: float | None = Field(None, description="The data value.")
    scale: float | None = Field(None, gt=0.0, description="Unit of distance for the loss.")

    @model_validator(mode="after")
    def _series_or_target(self) -> Moment:
        if (self.series is None) == (self.target is None):
            raise ValueError("give either `series` (with `statistic`) or `target`")
        if self.target is not None and self.data is not None:
            raise ValueError("a target's data value comes from the target table; drop `data`")
        return self

    @property
    def label(self) -> str:
        """A short name: ``mean(unemployment_rate)``, ``acf1(real_gdp)`` or the target id."""
        if self.target is not None:
            return self.target
        name = f"acf{self.lag}" if self.statistic == "autocorrelation" else self.statistic
        return f"{name}({self.series})"


class Synthetic(_Strict):
    """Data made by the model itself at known parameter values (a recovery test)."""

    parameters: dict[str, float] = Field(description="The true values, by dotted key.")
    replicates: int = Field(8, ge=1, le=10_000, description="Runs averaged into the data.")
    seed: int = Field(1, ge=0, le=2**63 - 1, description="Master seed of the data runs.")


class Sampler(_Strict):
    """How new parameter points are proposed."""

    methods: list[Literal[METHODS]] = Field(
        ["halton", "gaussian_process", "best_batch"], description="Samplers used in each batch."
    )
    batch_size: int = Field(4, ge=1, le=10_000, description="Points per method per batch.")
    initial_points: int | None = Field(
        None, ge=2, le=100_000, description="Halton points of batch 0 (default: a full batch)."
    )
    candidates: int = Field(
        2000, ge=10, le=1_000_000, description="Random candidates the surrogate scores."
    )
    perturbation: float = Field(
        0.05, gt=0.0, le=0.5, description="best_batch: s.d. of steps in the unit cube."
    )


class Budget(_Strict):
    """When to stop."""

    batches: int = Field(8, ge=0, le=100_000, description="Batches after batch 0.")
    target_loss: float | None = Field(
        None, ge=0.0, description="Stop after the batch where the best loss is this or lower."
    )


class CalibrationConfig(_Strict):
    """A validated calibration file."""

    description: str = Field("", description="What the calibration estimates and why.")
    scenario: str | None = Field(None, description="Scenario file, relative to this file.")
    seed: int = Field(0, ge=0, le=2**63 - 1, description="Master seed.")
    months: int = Field(60, ge=2, le=2400, description="Months per run.")
    burn_in: int = Field(12, ge=0, le=2400, description="Months left out of series moments.")
    replicates: int = Field(4, ge=1, le=10_000, description="Runs per parameter point.")
    set: dict[str, Any] = Field({}, description="Fixed overrides of the scenario.")
    parameters: dict[str, Bounds] = Field(description="Parameters to estimate.")
    moments: list[Moment] = Field(description="Moments to match.")
    synthetic: Synthetic | None = Field(None, description="Make the data with the model.")
    sampler: Sampler = Sampler()
    budget: Budget = Budget()

    @model_validator(mode="after")
    def _consistent(self) -> CalibrationConfig:
        if not self.parameters:
            raise ValueError("`parameters` is empty: name at least one parameter to estimate")
        if not self.moments:
            raise ValueError("`moments` is empty: name at least one moment to match")
        if self.burn_in + 2 > self.months:
            raise ValueError(
                f"burn_in = {self.burn_in} leaves fewer than 2 months of months = {self.months}"
            )
        for index, moment in enumerate(self.moments):
            if moment.series is not None and (moment.data is None) == (self.synthetic is None):
                need = "drop `data` (the [synthetic] runs make it)" if self.synthetic else "`data`"
                raise ValueError(f"moments[{index}] ({moment.label}) needs {need}")
            if moment.series is not None and moment.data == 0.0 and moment.scale is None:
                raise ValueError(f"moments[{index}] ({moment.label}) has data = 0: give `scale`")
            if moment.statistic == "autocorrelation" and moment.lag >= self.months - self.burn_in:
                raise ValueError(f"moments[{index}]: lag {moment.lag} is too long for the run")
        if self.synthetic is not None and self.synthetic.seed == self.seed:
            raise ValueError(
                "synthetic.seed must differ from seed: the data runs must not share "
                "random numbers with the calibration runs"
            )
        return self


@dataclass(frozen=True)
class Calibration:
    """A loaded calibration: the validated file, its parameter space and base scenario."""

    path: Path
    config: CalibrationConfig
    space: ParameterSpace
    base: dict
    raw_scenario: dict
    content_hash: str


def _flatten(table: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested tables of dotted keys written unquoted → ``{"a.b": value}``; a table that
    holds any of ``min/max/scale`` (or nothing) is one parameter's bounds."""
    flat: dict[str, Any] = {}
    for key, value in table.items():
        path = f"{prefix}{key}"
        if isinstance(value, Mapping) and value and not set(value) & set(Bounds.model_fields):
            flat.update(_flatten(value, f"{path}."))
        else:
            flat[path] = value
    return flat


def _model_at(loc: list[str]) -> type[BaseModel] | None:
    """The schema class of the table at ``loc`` (for listing allowed keys)."""
    model: type[BaseModel] | None = CalibrationConfig
    skip = False
    for part in loc:
        if skip or model is None:
            skip = False
            continue
        if part in ("parameters", "moments"):
            model, skip = (Bounds if part == "parameters" else Moment), True
            continue
        field = model.model_fields.get(part)
        annotation = field.annotation if field else None
        model = (
            annotation
            if isinstance(annotation, type) and issubclass(annotation, BaseModel)
            else None
        )
    return model


def _format_errors(error: ValidationError, source: str, data: Mapping) -> str:
    """One line per problem: ``file: key = value: what is wrong (allowed: ...)``."""
    lines = []
    for item in error.errors():
        loc = [str(part) for part in item["loc"]]
        if loc[:1] in (["parameters"], ["set"]) and len(loc) > 1:
            loc = [loc[0], f'"{loc[1]}"', *loc[2:]]
        if loc[:1] == ["moments"] and len(loc) > 1:
            loc = [f"moments[{loc[1]}]", *loc[2:]]
        key = ".".join(loc) or "(top level)"
        if item["type"] == "extra_forbidden":
            model = _model_at([str(p) for p in item["loc"][:-1]])
            choices = list(model.model_fields) if model else []
            guess = difflib.get_close_matches(str(item["loc"][-1]), choices, n=1)
            hint = f"; did you mean '{guess[0]}'?" if guess else ""
            lines.append(f"{source}: unknown key '{key}'{hint} (allowed: {', '.join(choices)})")
            continue
        value: Any = data
        for part in item["loc"]:
            if isinstance(value, Mapping):
                value = value.get(part)
            elif isinstance(value, list) and isinstance(part, int) and part < len(value):
                value = value[part]
            else:
                value = None
        shown = f" = {value!r}" if value is not None and not isinstance(value, Mapping) else ""
        message = item["msg"].removeprefix("Value error, ")
        lines.append(f"{source}: {key}{shown}: {message}" if loc else f"{source}: {message}")
    return "\n".join(lines)


def _resolve_scenario(config: CalibrationConfig, path: Path) -> tuple[dict, dict]:
    """The raw scenario file data (for writing the calibrated file) and the full base."""
    if config.scenario and not (path.parent / config.scenario).is_file():
        raise ScenarioError(
            f"{path}: scenario = {config.scenario!r}: no such file "
            f"(looked for {path.parent / config.scenario}; the path is relative to {path.name})"
        )
    raw = read_toml(path.parent / config.scenario) if config.scenario else {}
    raw.pop("sweep", None)
    source = str(path.parent / config.scenario) if config.scenario else str(path)
    try:
        base = base_data(build_scenario(raw, config.set, source=source))
    except ScenarioError as error:
        raise ScenarioError(f"{path}: set: {error}") from None
    return raw, base


def load_config(path: str | Path) -> Calibration:
    """Read and validate a calibration file, its scenario and its parameters.

    Raises:
        ScenarioError: one line per problem, naming the file, the key, the value and
            what is allowed.
    """
    path = Path(path)
    data = read_toml(path)
    if isinstance(data.get("parameters"), Mapping):
        data["parameters"] = _flatten(data["parameters"])
    if isinstance(data.get("set"), Mapping):
        data["set"] = _flatten(data["set"])
    if isinstance(data.get("synthetic"), Mapping) and isinstance(
        data["synthetic"].get("parameters"), Mapping
    ):
        data["synthetic"] = {
            **data["synthetic"],
            "parameters": _flatten(data["synthetic"]["parameters"]),
        }
    try:
        config = CalibrationConfig.model_validate(data)
    except ValidationError as error:
        raise ScenarioError(_format_errors(error, str(path), data)) from None
    raw, base = _resolve_scenario(config, path)
    try:
        space = parameter_space(
            {key: bounds.model_dump(exclude_none=True) for key, bounds in config.parameters.items()}
        )
    except ScenarioError as error:
        raise ScenarioError(f"{path}: parameters: {error}") from None
    if config.synthetic is not None:
        truths = config.synthetic.parameters
        missing = [name for name in space.names if name not in truths]
        extra = [name for name in truths if name not in space.names]
        if missing or extra:
            raise ScenarioError(
                f"{path}: synthetic.parameters must give the true value of each estimated "
                f"parameter and nothing else (missing: {missing or 'none'}; not estimated: "
                f"{extra or 'none'}; fixed values belong in [set])"
            )
        for key, value in truths.items():
            if key in space.names:
                low, high = space.bounds[space.names.index(key)]
                if not low <= value <= high:
                    raise ScenarioError(
                        f'{path}: synthetic.parameters."{key}" = {value} is outside the '
                        f'bounds [{low:g}, {high:g}] of parameters."{key}"'
                    )
    return Calibration(
        path=path,
        config=config,
        space=space,
        base=base,
        raw_scenario=raw,
        content_hash=hashlib.sha256(path.read_bytes()).hexdigest(),
    )
