"""From a sweep file to the list of runs: sampled points, replicates and seeds.

Core objects: :func:`plan_from_file`, :func:`plan_from_data`, :class:`SweepPlan`,
:class:`RunTask`, :func:`run_seed`, :func:`unit_sample`.

Every design is first drawn in the unit cube [0, 1]^D (scipy.stats.qmc or SALib) and
then mapped onto each parameter's bounds, so ``sim sensitivity`` can redraw the same
unit sample from the manifest. Each run's seed is derived from the master seed and
the run's index alone (``SeedSequence(master, spawn_key=(index,))``), so results
never depend on how many processes ran them or in which order.
"""

from __future__ import annotations

import copy
import difflib
import hashlib
import itertools
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from SALib.sample import morris as morris_sample
from SALib.sample import sobol as saltelli_sample
from scipy.stats import qmc

from sim.batch.spec import ParameterRange, SweepSpec, parse_sweep
from sim.scenario import ScenarioError, build_scenario, parse_overrides, scenario_to_dict
from sim.scenario.loader import get_dotted, read_toml, set_dotted

FIXED_BY_SWEEP = ("run.seed",)
"""Keys a sweep may not vary: each run's seed is derived from ``sweep.seed``."""


def run_seed(master: int, index: int) -> int:
    """The model seed of run ``index``: a 63-bit integer from ``SeedSequence(master,
    spawn_key=(index,))``, independent of every other run's."""
    state = np.random.SeedSequence(master, spawn_key=(index,)).generate_state(1, np.uint64)
    return int(state[0] >> np.uint64(1))


@dataclass(frozen=True)
class RunTask:
    """Everything a worker needs for one run; small enough to send to a cluster.

    ``scenario`` is the full parameter set (plain data) with this run's values and
    seed; ``parameters`` the varied values alone, for the results table.
    """

    run_id: int
    point: int
    replicate: int
    seed: int
    parameters: dict[str, Any]
    scenario: dict


def _expand(data: Any, parts: list[str], done: tuple[str, ...] = ()) -> list[str]:
    """Concrete dotted paths matching ``parts`` (``*`` = every key of that table)."""
    if not parts:
        return [".".join(done)]
    head, rest = parts[0], parts[1:]
    if not isinstance(data, Mapping):
        return []
    keys = list(data) if head == "*" else [head] if head in data else []
    return [path for key in keys for path in _expand(data[key], rest, (*done, key))]


def _missing_path_message(base: Mapping, key: str, source: str) -> str:
    """Explain which segment of ``key`` does not exist, with a did-you-mean."""
    node: Any = base
    for depth, part in enumerate(key.split(".")):
        if not isinstance(node, Mapping):
            break
        if part != "*" and part not in node:
            prefix = ".".join(key.split(".")[:depth])
            guess = difflib.get_close_matches(part, list(node), n=1)
            hint = (
                f"; did you mean '{'.'.join(filter(None, [prefix, guess[0]]))}'?" if guess else ""
            )
            allowed = ", ".join(map(str, node))
            return (
                f"{source}: sweep.parameters: '{key}' is not a scenario parameter{hint} "
                f"(allowed under '{prefix or '(top level)'}': {allowed})"
            )
        node = node[next(iter(node))] if part == "*" and node else node.get(part)
    return f"{source}: sweep.parameters: '{key}' is not a scenario parameter (see `sim params`)"


def resolve_paths(base: Mapping, spec: SweepSpec, source: str) -> dict[str, list[str]]:
    """Map each varied key to the concrete scenario paths it sets; reject unknown keys."""
    resolved = {}
    for key in spec.parameters:
        if key in FIXED_BY_SWEEP:
            raise ScenarioError(
                f"{source}: sweep.parameters: '{key}' cannot vary: each run's seed is "
                "derived from sweep.seed (use `replicates` for more seeds)"
            )
        paths = _expand(base, key.split("."))
        if not paths or any(isinstance(get_dotted(base, p), Mapping) for p in paths):
            raise ScenarioError(_missing_path_message(base, key, source))
        resolved[key] = paths
    return resolved


def _is_integer(base: Mapping, paths: list[str]) -> bool:
    value = get_dotted(base, paths[0])
    return isinstance(value, int) and not isinstance(value, bool)


def unit_sample(spec: SweepSpec) -> np.ndarray | None:
    """The design's points in [0, 1]^D (rows = points), or ``None`` for a grid."""
    dims = len(spec.parameters)
    rng = np.random.default_rng(spec.seed)
    problem = {"num_vars": dims, "names": list(spec.parameters), "bounds": [[0.0, 1.0]] * dims}
    match spec.design:
        case "grid":
            return None
        case "random":
            return rng.random((spec.samples, dims))
        case "latin_hypercube":
            return qmc.LatinHypercube(dims, rng=rng).random(spec.samples)
        case "sobol_sequence":
            return qmc.Sobol(dims, scramble=True, rng=rng).random(spec.samples)
        case "sobol":
            return saltelli_sample.sample(
                problem, spec.samples, calc_second_order=spec.second_order, seed=spec.seed
            )
        case "morris":
            return morris_sample.sample(
                problem, spec.samples, num_levels=spec.levels, seed=spec.seed
            )
    raise AssertionError(spec.design)  # unreachable: the schema lists every design


def _scale(bounds: ParameterRange, unit: np.ndarray, integer: bool) -> list[Any]:
    """Map unit-cube coordinates onto a parameter's bounds.

    Whole-number parameters (e.g. ``population.providers``) take each integer in
    [min, max] with equal probability (floor of a uniform on [min, max + 1)), or the
    nearest integer on a log scale.
    """
    low, high = bounds.min, bounds.max
    if bounds.scale == "log":
        values = np.clip(np.exp(np.log(low) + unit * (np.log(high) - np.log(low))), low, high)
        return [int(v) for v in np.rint(values)] if integer else [float(v) for v in values]
    if integer:
        values = np.minimum(np.floor(low + unit * (high - low + 1)), high)
        return [int(v) for v in values]
    return [float(v) for v in low + unit * (high - low)]


def _grid_values(bounds: ParameterRange, integer: bool) -> list[Any]:
    if bounds.values is not None:
        return list(bounds.values)
    unit = np.linspace(0.0, 1.0, bounds.points)
    spaced = _scale(bounds, unit, False)
    return sorted({round(v) for v in spaced}) if integer else spaced  # each integer once


@dataclass(frozen=True)
class SweepPlan:
    """A validated sweep: the base scenario, the points and how runs are numbered.

    Run ``i`` is point ``i // replicates``, replicate ``i % replicates``.
    """

    source: str
    source_hash: str
    spec: SweepSpec
    base: dict
    overrides: dict[str, Any]
    paths: dict[str, list[str]]
    points: list[dict[str, Any]]

    @property
    def n_runs(self) -> int:
        """Number of runs: points × replicates."""
        return len(self.points) * self.spec.replicates

    def point_overrides(self, point: Mapping[str, Any]) -> dict[str, Any]:
        """The dotted-key overrides that set one point's values (``*`` expanded)."""
        return {path: point[key] for key, paths in self.paths.items() for path in paths}

    def task(self, run_id: int) -> RunTask:
        """The task for run ``run_id``."""
        point_index, replicate = divmod(run_id, self.spec.replicates)
        point = self.points[point_index]
        seed = run_seed(self.spec.seed, run_id)
        scenario = copy.deepcopy(self.base)
        for path, value in {**self.point_overrides(point), "run.seed": seed}.items():
            set_dotted(scenario, path, value)
        return RunTask(run_id, point_index, replicate, seed, dict(point), scenario)

    def tasks(self, skip: set[int] | frozenset[int] = frozenset()) -> Iterator[RunTask]:
        """Tasks of every run not in ``skip``, in run order."""
        return (self.task(i) for i in range(self.n_runs) if i not in skip)


def _sample_points(spec: SweepSpec, base: Mapping, paths: dict[str, list[str]]) -> list[dict]:
    integer = {key: _is_integer(base, p) for key, p in paths.items()}
    for key, bounds in spec.parameters.items():
        if (
            integer[key]
            and bounds.min is not None
            and not (float(bounds.min).is_integer() and float(bounds.max).is_integer())
        ):
            raise ScenarioError(
                f'sweep.parameters."{key}": a whole-number parameter needs whole-number '
                f"bounds (got min = {bounds.min}, max = {bounds.max})"
            )
    keys = list(spec.parameters)
    unit = unit_sample(spec)
    if unit is None:
        axes = [_grid_values(spec.parameters[k], integer[k]) for k in keys]
        return [dict(zip(keys, combo, strict=True)) for combo in itertools.product(*axes)]
    columns = [_scale(spec.parameters[k], unit[:, j], integer[k]) for j, k in enumerate(keys)]
    return [dict(zip(keys, row, strict=True)) for row in zip(*columns, strict=True)]


def plan_from_data(
    data: Mapping,
    overrides: Mapping[str, Any] | None = None,
    source: str = "<sweep>",
    source_hash: str | None = None,
) -> SweepPlan:
    """Validate a scenario with a ``sweep`` table and lay out every run.

    Each point is validated by building its scenario, so a value out of range stops
    the sweep before any run starts, with the point's values in the message.

    Raises:
        ScenarioError: for a bad scenario, sweep table, parameter path or value.
    """
    overrides = dict(overrides or {})
    scenario = build_scenario(data, overrides, source=source)
    spec = parse_sweep(scenario.sweep, source)
    base = scenario_to_dict(scenario)
    base.pop("sweep", None)
    paths = resolve_paths(base, spec, source)
    try:
        points = _sample_points(spec, base, paths)
    except ScenarioError as error:
        raise ScenarioError(f"{source}: {error}") from None
    plan = SweepPlan(
        source=source,
        source_hash=source_hash or content_hash(json.dumps(data, sort_keys=True).encode()),
        spec=spec,
        base=base,
        overrides=overrides,
        paths=paths,
        points=points,
    )
    for index, point in enumerate(points):
        shown = ", ".join(f"{k} = {v!r}" for k, v in point.items())
        build_scenario(
            base, plan.point_overrides(point), source=f"{source} [point {index}: {shown}]"
        )
    return plan


def content_hash(content: bytes) -> str:
    """SHA-256 of a file's bytes, as hex."""
    return hashlib.sha256(content).hexdigest()


def plan_from_file(path: str | Path, overrides: Mapping | list[str] | None = None) -> SweepPlan:
    """Read a sweep file (a scenario with a ``[sweep]`` table) and lay out its runs.

    Args:
        overrides: ``--set`` style overrides of the base scenario, as a mapping or
            ``["key=value", ...]``.
    """
    if overrides is not None and not isinstance(overrides, Mapping):
        overrides = parse_overrides(overrides)
    path = Path(path)
    data = read_toml(path)
    return plan_from_data(data, overrides, str(path), content_hash(path.read_bytes()))
