"""Plain-function API for external tools: names and bounds in, plain arrays out.

Core objects: :data:`CALIBRATABLE`, :class:`Parameter`, :class:`ParameterSpace`,
:func:`simulate`, :func:`simulate_batch`, :func:`ema_model`.

This is the interface black-it, SALib and EMA Workbench expect of a model:

* a parameter vector ``theta`` whose names (dotted scenario keys) and bounds are
  declared once, in :data:`CALIBRATABLE`, and checked against the scenario schema
  (:mod:`sim.scenario.schema`) when declared;
* ``simulate(theta, n_months, seed) -> np.ndarray`` of shape ``(n_months, k)``: row
  ``t`` is month ``t + 1`` (the initial state, month 0, is left out), columns are the
  series named in :data:`OUTPUTS` (or ``outputs``);
* ``simulate_batch`` runs many ``theta`` on an executor from :mod:`sim.batch.executors`
  (local processes, or a Dask cluster's executor);
* ``ema_model()`` wraps the model as an ``ema_workbench.Model`` with uncertainties
  and outcomes.

Example::

    from sim.api import simulate, parameter_space
    space = parameter_space(["households.consumer_elasticity", "labour.wage_adjustment"])
    x = simulate([1.5, 0.02], 60, seed=7, space=space, base={"population": {"workers": 2000}})
    x.shape                # (60, len(OUTPUTS))
    space.problem          # SALib's {"num_vars", "names", "bounds"}
"""

from __future__ import annotations

import functools
import math
import warnings
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import Executor
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from sim.scenario import Scenario, ScenarioError, build_scenario, scenario_to_dict
from sim.scenario.loader import _walk, read_toml

OUTPUTS: tuple[str, ...] = (
    "real_gdp",
    "nominal_gdp",
    "cpi",
    "unemployment_rate",
    "labor_share",
    "mean_wage",
    "tokens",
    "ai_spend",
    "provider_hhi",
    "gini_income",
)
"""Columns of :func:`simulate`'s array when ``outputs`` is not given: series every
scenario reports, whatever its sectors and tiers (units in docs/model.md)."""

OUTCOMES: tuple[str, ...] = (
    "compute_price_change",
    "tokens_growth",
    "ai_spend_growth",
    "care_relative_price",
    "care_employment_share",
    "wage_dispersion",
    "unemployment_rate",
    "gini_income",
    "labor_share",
    "provider_hhi",
    "real_gdp_growth",
    "cpi",
)
"""Scalar outcomes of one run (:func:`sim.run.summarize_run`), the default outcomes
of :func:`ema_model`."""


SERIES_SUFFIX = "_monthly"
"""EMA outcome name of a monthly series: ``unemployment_rate_monthly`` (EMA allows
one outcome class per name, and ``unemployment_rate`` is also a scalar outcome)."""


def _schema_limits(key: str) -> tuple[Any, dict[str, float]]:
    """The schema field of a dotted key and its limits ``{"ge"|"gt"|"le"|"lt": value}``.

    ``*`` may stand for a sector or tier name (``sectors.*.substitution_elasticity``).

    Raises:
        ScenarioError: if ``key`` is not a scenario parameter.
    """
    field_info, model, expects_key = _walk(tuple(key.split(".")))
    if field_info is None or model is not None or expects_key:
        raise ScenarioError(f"'{key}' is not a scenario parameter (see `sim params`)")
    limits = {
        attr: float(getattr(meta, attr))
        for meta in field_info.metadata
        for attr in ("ge", "gt", "le", "lt")
        if getattr(meta, attr, None) is not None
    }
    return field_info, limits


@dataclass(frozen=True)
class Parameter:
    """One calibratable parameter: a real-valued scenario key with bounds.

    The bounds must lie inside the range the scenario schema allows (checked when the
    parameter is made). ``scale = "log"`` means samplers spread points evenly in
    ``log(value)`` (for factors and elasticities spanning orders of magnitude).

    Raises:
        ScenarioError: for an unknown key, a whole-number or text parameter, bounds
            in the wrong order, or bounds outside the schema's range.
    """

    name: str
    low: float
    high: float
    scale: Literal["linear", "log"] = "linear"
    description: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        field_info, limits = _schema_limits(self.name)
        if field_info.annotation is not float:
            raise ScenarioError(
                f"'{self.name}' is not a real-valued parameter "
                f"({getattr(field_info.annotation, '__name__', field_info.annotation)}); "
                "only real-valued parameters can be calibrated"
            )
        if not (math.isfinite(self.low) and math.isfinite(self.high) and self.low < self.high):
            raise ScenarioError(
                f"'{self.name}': bounds [{self.low}, {self.high}] must be finite with min < max"
            )
        if self.scale == "log" and self.low <= 0:
            raise ScenarioError(f"'{self.name}': scale = 'log' needs min > 0 (got {self.low})")
        checks = {
            "ge": (">=", self.low >= limits.get("ge", -math.inf)),
            "gt": (">", self.low > limits.get("gt", -math.inf)),
            "le": ("<=", self.high <= limits.get("le", math.inf)),
            "lt": ("<", self.high < limits.get("lt", math.inf)),
        }
        if not all(ok for _, ok in checks.values()):
            allowed = " and ".join(f"{checks[a][0]} {v:g}" for a, v in limits.items())
            raise ScenarioError(
                f"'{self.name}': bounds [{self.low}, {self.high}] leave the range the "
                f"scenario schema allows ({allowed})"
            )
        if self.description == "":
            object.__setattr__(self, "description", field_info.description or "")

    @property
    def identifier(self) -> str:
        """The name as a Python identifier (``.`` → ``__``, ``*`` → ``all``), for EMA."""
        return self.name.replace("*", "all").replace(".", "__")

    def from_unit(self, unit: np.ndarray) -> np.ndarray:
        """Map points of [0, 1] onto the bounds: ``low + u (high - low)``, or
        ``exp(log low + u (log high - log low))`` on a log scale."""
        unit = np.asarray(unit, dtype=float)
        if self.scale == "log":
            low, high = math.log(self.low), math.log(self.high)
            return np.clip(np.exp(low + unit * (high - low)), self.low, self.high)
        return self.low + unit * (self.high - self.low)

    def to_unit(self, value: np.ndarray) -> np.ndarray:
        """The inverse of :meth:`from_unit`."""
        value = np.asarray(value, dtype=float)
        if self.scale == "log":
            low, high = math.log(self.low), math.log(self.high)
            return (np.log(value) - low) / (high - low)
        return (value - self.low) / (self.high - self.low)


CALIBRATABLE: tuple[Parameter, ...] = (
    Parameter("households.consumer_elasticity", 0.1, 3.0, "log"),
    Parameter("households.spend_excess", 0.02, 0.5),
    Parameter("households.income_smoothing", 0.05, 0.9),
    Parameter("households.loyalty", 0.0, 0.2),
    Parameter("labour.on_the_job_search", 0.0, 0.3),
    Parameter("labour.mobility", 0.05, 0.95),
    Parameter("labour.quit_rate", 0.0, 0.05),
    Parameter("labour.offer_rate", 0.02, 1.0),
    Parameter("labour.wage_adjustment", 0.001, 0.1),
    Parameter("labour.wage_cut", 0.0, 0.05),
    Parameter("labour.max_layoff_rate", 0.005, 0.3),
    Parameter("firms.expectation_adjustment", 0.05, 0.95),
    Parameter("firms.max_expansion", 0.01, 0.5),
    Parameter("firms.inventory_depreciation", 0.0, 0.8),
    Parameter("firms.price_adjustment", 0.002, 0.2),
    Parameter("firms.initial_markup", 0.0, 1.0),
    Parameter("compute.demand_elasticity", 0.5, 5.0),
    Parameter("compute.entry_cost", 0.0, 24.0),
    Parameter("compute.price_sensitivity", 0.5, 20.0, "log"),
    Parameter("compute.learning_exponent", 0.0, 0.5),
    Parameter("compute.energy_supply_elasticity", 0.2, 10.0, "log"),
    Parameter("sectors.*.substitution_elasticity", 0.2, 5.0, "log"),
)
"""Every parameter the calibration clients may vary, with default bounds: declared
once here. The bounds are economically plausible ranges inside the schema's limits
(e.g. a consumer elasticity of substitution between 0.1 and 3; Baumol's condition
is below 1). ``*`` sets every sector to the same value."""


@dataclass(frozen=True)
class ParameterSpace:
    """An ordered set of parameters: the meaning of each position of ``theta``."""

    parameters: tuple[Parameter, ...]

    def __post_init__(self) -> None:
        if not self.parameters:
            raise ScenarioError("a parameter space needs at least one parameter")
        names = [p.name for p in self.parameters]
        repeated = sorted({n for n in names if names.count(n) > 1})
        if repeated:
            raise ScenarioError(f"parameter named twice: {', '.join(repeated)}")

    @property
    def names(self) -> list[str]:
        """Dotted scenario keys, in ``theta`` order."""
        return [p.name for p in self.parameters]

    @property
    def bounds(self) -> np.ndarray:
        """``(k, 2)`` array of ``[low, high]``."""
        return np.array([[p.low, p.high] for p in self.parameters], dtype=float)

    @property
    def problem(self) -> dict[str, Any]:
        """SALib's problem dictionary."""
        return {"num_vars": len(self), "names": self.names, "bounds": self.bounds.tolist()}

    def __len__(self) -> int:
        return len(self.parameters)

    def from_unit(self, unit: np.ndarray) -> np.ndarray:
        """Rows of [0, 1]^k → rows of ``theta``."""
        unit = np.atleast_2d(np.asarray(unit, dtype=float))
        return np.column_stack([p.from_unit(unit[:, j]) for j, p in enumerate(self.parameters)])

    def to_unit(self, theta: np.ndarray) -> np.ndarray:
        """Rows of ``theta`` → rows of [0, 1]^k."""
        theta = np.atleast_2d(np.asarray(theta, dtype=float))
        return np.column_stack([p.to_unit(theta[:, j]) for j, p in enumerate(self.parameters)])

    def vector(self, theta: Sequence[float] | Mapping[str, float] | np.ndarray) -> np.ndarray:
        """``theta`` as a checked vector; a mapping is read by name.

        Raises:
            ScenarioError: wrong length, unknown or missing names, or a value outside
                its bounds.
        """
        if isinstance(theta, Mapping):
            unknown = sorted(set(theta) - set(self.names))
            missing = [n for n in self.names if n not in theta]
            if unknown or missing:
                raise ScenarioError(
                    f"theta: unknown {unknown or 'none'}, missing {missing or 'none'} "
                    f"(parameters: {', '.join(self.names)})"
                )
            theta = [theta[n] for n in self.names]
        vector = np.asarray(theta, dtype=float).reshape(-1)
        if vector.shape != (len(self),):
            raise ScenarioError(
                f"theta has {vector.size} values; the space has {len(self)}: "
                + ", ".join(self.names)
            )
        for value, p in zip(vector, self.parameters, strict=True):
            if not p.low <= value <= p.high:
                raise ScenarioError(f"theta: {p.name} = {value} is outside [{p.low}, {p.high}]")
        return vector


DEFAULT_SPACE = ParameterSpace(CALIBRATABLE)
"""All of :data:`CALIBRATABLE`, in declaration order."""


def parameter_space(
    names: Iterable[str] | Mapping[str, Mapping[str, Any]],
) -> ParameterSpace:
    """A space of the named parameters, with default bounds from :data:`CALIBRATABLE`.

    Args:
        names: dotted keys; or a mapping from key to ``{"min", "max", "scale"}`` (each
            optional when the key is in :data:`CALIBRATABLE`), for other keys or
            narrower bounds.

    Raises:
        ScenarioError: for an unknown key, or a key without default bounds given
            without ``min``/``max``, or bounds the schema does not allow.
    """
    declared = {p.name: p for p in CALIBRATABLE}
    specs = names if isinstance(names, Mapping) else {name: {} for name in names}
    parameters = []
    for name, spec in specs.items():
        default = declared.get(name)
        low = spec.get("min", default.low if default else None)
        high = spec.get("max", default.high if default else None)
        if low is None or high is None:
            _schema_limits(name)  # an unknown key is named as such
            raise ScenarioError(
                f"'{name}' has no default bounds (sim.api.CALIBRATABLE): give min and max"
            )
        scale = spec.get("scale", default.scale if default else "linear")
        parameters.append(Parameter(name, float(low), float(high), scale))
    return ParameterSpace(tuple(parameters))


def base_data(base: Scenario | Mapping | str | Path | None) -> dict:
    """The full scenario data of ``base``: a scenario, raw scenario data (merged onto
    the defaults), a scenario file, or ``None`` for the defaults."""
    match base:
        case None:
            scenario = build_scenario()
        case Scenario():
            scenario = base
        case str() | Path():
            scenario = build_scenario(read_toml(base), source=str(base))
        case _:
            scenario = build_scenario(base, source="base")
    data = scenario_to_dict(scenario)
    data.pop("sweep", None)
    return data


def expand_overrides(base: Mapping, values: Mapping[str, float]) -> dict[str, float]:
    """Dotted-key overrides for ``values`` keyed by parameter name, ``*`` expanded to
    every sector or tier present in the scenario data ``base``."""
    from sim.batch.design import _expand

    return {
        path: float(value)
        for name, value in values.items()
        for path in _expand(base, name.split("."))
    }


def scenario_data(
    theta,
    n_months: int,
    seed: int,
    base: Mapping,
    space: ParameterSpace = DEFAULT_SPACE,
) -> dict:
    """Validated scenario data for one run: ``base`` with ``theta``, months and seed set."""
    values = dict(zip(space.names, space.vector(theta).tolist(), strict=True))
    return run_data(base, values, n_months, seed)


def run_data(base: Mapping, values: Mapping[str, float], n_months: int, seed: int) -> dict:
    """Validated scenario data: ``base`` with parameter ``values`` (by name), months
    and seed set.

    Raises:
        ScenarioError: if a value is outside what the schema allows.
    """
    overrides = {
        **expand_overrides(base, values),
        "run.steps": int(n_months),
        "run.seed": int(seed),
    }
    return scenario_to_dict(build_scenario(base, overrides, source="theta"))


def run_frame(data: Mapping) -> pd.DataFrame:
    """Run validated scenario data; the monthly series, row ``t`` = month ``t``."""
    from sim.run import run_scenario

    return run_scenario(build_scenario(data, source="theta")).steps


def select_outputs(frame: pd.DataFrame, outputs: Sequence[str]) -> np.ndarray:
    """Months 1..T of the named columns as a float array ``(T, k)``.

    Raises:
        ScenarioError: for a name the run does not report, listing those it does.
    """
    unknown = [name for name in outputs if name not in frame.columns]
    if unknown:
        raise ScenarioError(
            f"outputs: {', '.join(map(repr, unknown))} not reported; "
            f"available: {', '.join(frame.columns)}"
        )
    return frame.loc[1:, list(outputs)].to_numpy(dtype=float)


def _simulate_data(data: dict, outputs: tuple[str, ...]) -> np.ndarray:
    """Worker task of :func:`simulate_batch` (top level, so it pickles)."""
    return select_outputs(run_frame(data), outputs)


def simulate(
    theta: Sequence[float] | Mapping[str, float] | np.ndarray,
    n_months: int,
    seed: int,
    *,
    base: Scenario | Mapping | str | Path | None = None,
    outputs: Sequence[str] | None = None,
    space: ParameterSpace = DEFAULT_SPACE,
) -> np.ndarray:
    """Run the economy at ``theta`` for ``n_months`` months with ``seed``.

    Args:
        theta: one value per parameter of ``space`` (in its order), or a mapping by name.
        n_months: months to simulate (``T``).
        seed: the model's random seed; the same ``(theta, n_months, seed, base)``
            always gives the same array.
        base: the scenario ``theta`` is applied to (default: the built-in defaults).
        outputs: columns to return (default :data:`OUTPUTS`; any series of
            docs/model.md, "Reported each step").
        space: the meaning of ``theta`` (default: all of :data:`CALIBRATABLE`).

    Returns:
        Array ``(n_months, len(outputs))``; row ``t`` is month ``t + 1``.
    """
    data = scenario_data(theta, n_months, seed, base_data(base), space)
    return _simulate_data(data, tuple(outputs or OUTPUTS))


def simulate_batch(
    thetas: Sequence | np.ndarray,
    n_months: int,
    seeds: int | Sequence[int],
    executor: Executor | None = None,
    *,
    base: Scenario | Mapping | str | Path | None = None,
    outputs: Sequence[str] | None = None,
    space: ParameterSpace = DEFAULT_SPACE,
    workers: int | None = None,
) -> np.ndarray:
    """:func:`simulate` for many ``theta``, in parallel.

    Args:
        thetas: ``(n, k)`` array or a list of vectors or mappings.
        seeds: one seed for every run (common random numbers), or one per ``theta``.
        executor: any :class:`concurrent.futures.Executor` (e.g. from
            :func:`sim.batch.executors.open_executor`, or a Dask client's
            ``get_executor()``); by default local processes (``workers``, default
            all cores; 1 runs here).

    Returns:
        Array ``(n, n_months, len(outputs))`` in the order of ``thetas``.
    """
    from sim.batch.executors import open_executor

    rows = list(thetas)
    seed_list = [int(seeds)] * len(rows) if np.ndim(seeds) == 0 else [int(s) for s in seeds]
    if len(seed_list) != len(rows):
        raise ScenarioError(f"{len(seed_list)} seeds for {len(rows)} parameter vectors")
    base_dict = base_data(base)
    tasks = [
        scenario_data(t, n_months, s, base_dict, space)
        for t, s in zip(rows, seed_list, strict=True)
    ]
    columns = tuple(outputs or OUTPUTS)
    with nullcontext(executor) if executor is not None else open_executor(workers) as pool:
        futures = [pool.submit(_simulate_data, task, columns) for task in tasks]
        return np.stack([future.result() for future in futures])


@dataclass(frozen=True)
class _EmaRun:
    """The function EMA Workbench calls: keyword values by dotted key (and ``seed``)
    → a dict of scalar outcomes and monthly series. A class, so it pickles for
    EMA's ``MultiprocessingEvaluator``."""

    base: dict
    n_months: int
    outcomes: tuple[str, ...]
    series: tuple[str, ...]

    def __call__(self, seed: int, **values: float) -> dict[str, Any]:
        from sim.run import summarize_run

        data = run_data(self.base, values, self.n_months, seed)
        frame = run_frame(data)
        summary = summarize_run(frame, build_scenario(data, source="theta"))
        result: dict[str, Any] = {name: summary[name] for name in self.outcomes}
        result.update(
            {f"{name}{SERIES_SUFFIX}": frame[name].to_numpy(dtype=float) for name in self.series}
        )
        return result


def ema_model(
    name: str = "economy",
    *,
    space: ParameterSpace = DEFAULT_SPACE,
    n_months: int = 60,
    base: Scenario | Mapping | str | Path | None = None,
    outcomes: Sequence[str] = OUTCOMES,
    series: Sequence[str] = (),
    seed: int = 42,
    replications: int | None = None,
):
    """The economy as an EMA Workbench 3 model.

    Uncertainties are the parameters of ``space`` (``RealParameter`` named by
    :attr:`Parameter.identifier`, e.g. ``households__consumer_elasticity``, with the
    dotted key as its ``variable_name``); outcomes are the scalar ``outcomes`` of
    :func:`sim.run.summarize_run` and the monthly ``series`` (``TimeSeriesOutcome``
    named ``<series>_monthly``, months 0..n_months). EMA samples log-scale
    parameters uniformly too.

    Args:
        seed: the model seed of every experiment (a ``Constant``), when
            ``replications`` is ``None``.
        replications: if given, a ``ReplicatorModel`` running each experiment with
            that many seeds derived from ``seed``; each outcome is then the mean over
            the replications (month by month for a series).

    Raises:
        ImportError: if EMA Workbench is not installed (``pip install
            'ai-deflation-sim[ema]'``).
    """
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="ipyparallel not installed")
            import ema_workbench as ema
    except ImportError as error:
        raise ImportError(
            "sim.api.ema_model needs EMA Workbench 3: pip install 'ai-deflation-sim[ema]'"
        ) from error
    from sim.batch.design import run_seed

    unknown = sorted(set(outcomes) - set(OUTCOMES))
    if unknown:
        raise ScenarioError(f"outcomes: unknown {unknown} (allowed: {', '.join(OUTCOMES)})")
    function = _EmaRun(base_data(base), int(n_months), tuple(outcomes), tuple(series))
    if replications is None:
        model = ema.Model(name, function=function)
        model.constants = [ema.Constant("seed", int(seed))]
    else:
        model = ema.ReplicatorModel(name, function=function)
        model.replications = [{"seed": run_seed(seed, i)} for i in range(replications)]
    model.uncertainties = [
        ema.RealParameter(p.identifier, p.low, p.high, variable_name=p.name)
        for p in space.parameters
    ]
    average = None if replications is None else functools.partial(np.mean, axis=0)
    model.outcomes = [ema.ScalarOutcome(o, function=average) for o in outcomes] + [
        ema.TimeSeriesOutcome(f"{s}{SERIES_SUFFIX}", function=average) for s in series
    ]
    return model


__all__ = [
    "CALIBRATABLE",
    "DEFAULT_SPACE",
    "OUTCOMES",
    "OUTPUTS",
    "Parameter",
    "ParameterSpace",
    "base_data",
    "ema_model",
    "parameter_space",
    "simulate",
    "simulate_batch",
]
