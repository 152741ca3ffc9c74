"""Global sensitivity of sweep outcomes: Sobol (Saltelli design) or Morris indices.

Core objects: :func:`sensitivity_indices`, :func:`format_indices`.

The unit-cube sample is redrawn from the manifest's design and seed, exactly as the
sweep drew it; outcomes are averaged over replicates of each point. Sobol indices
(``S1`` first order, ``ST`` total, with 95 % confidence half-widths) say what share
of an outcome's variance a parameter explains; Morris ``mu_star`` is the mean
absolute elementary effect, in the outcome's units per unit-cube step.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from SALib.analyze import morris as morris_analysis
from SALib.analyze import sobol as sobol_analysis

from sim.batch import store
from sim.batch.design import unit_sample
from sim.batch.manifest import read_manifest
from sim.batch.spec import SENSITIVITY_DESIGNS, SweepSpec
from sim.scenario import ScenarioError

DEFAULT_OUTCOMES = ("ai_spend_growth", "care_relative_price", "unemployment_rate")
"""Outcomes analysed when none are named. Growth factors are analysed in logs."""

LOG_OUTCOMES = ("ai_spend_growth", "tokens_growth", "compute_price_change")


def _outcome_by_point(runs: pd.DataFrame, outcome: str, points: int) -> np.ndarray:
    """One value per point: the mean over replicates (log10 for growth factors)."""
    failed = runs[runs["status"] != "ok"]
    if not failed.empty:
        raise ScenarioError(
            f"{len(failed)} runs failed or are missing (e.g. run {failed['run_id'].iloc[0]}); "
            "Sobol and Morris indices need every point: `sim sweep --resume` after fixing"
        )
    if outcome not in runs:
        raise ScenarioError(f"no outcome {outcome!r} in runs.parquet")
    values = runs[outcome].astype(float)
    if outcome in LOG_OUTCOMES:
        values = np.log10(values)
    means = values.groupby(runs["point"]).mean()
    if len(means) != points:
        raise ScenarioError(
            f"runs.parquet covers {len(means)} of {points} points; resume the sweep"
        )
    return means.sort_index().to_numpy()


def sensitivity_indices(out: Path, outcomes: list[str] | None = None) -> pd.DataFrame:
    """Indices of every varied parameter for each outcome, most influential first.

    Returns a frame with columns ``outcome, parameter`` and ``S1, S1_conf, ST,
    ST_conf`` (sobol) or ``mu_star, mu_star_conf, sigma`` (morris).

    Raises:
        ScenarioError: if the sweep's design does not support the analysis.
    """
    manifest = read_manifest(out)
    spec = SweepSpec.model_validate(manifest["sweep"])
    if spec.design not in SENSITIVITY_DESIGNS:
        raise ScenarioError(
            f"{out}: design {spec.design!r} does not support sensitivity indices; use "
            "design = 'sobol' (Saltelli sample, Sobol indices) or 'morris' in [sweep]"
        )
    unit = unit_sample(spec)
    names = list(spec.parameters)
    problem = {"num_vars": len(names), "names": names, "bounds": [[0.0, 1.0]] * len(names)}
    runs = store.read_runs(out)
    tables = []
    for outcome in outcomes or DEFAULT_OUTCOMES:
        y = _outcome_by_point(runs, outcome, len(unit))
        if spec.design == "sobol":
            result = sobol_analysis.analyze(
                problem, y, calc_second_order=spec.second_order, seed=spec.seed
            )
            columns = ["S1", "S1_conf", "ST", "ST_conf"]
            key = "ST"
        else:
            result = morris_analysis.analyze(
                problem, unit, y, num_levels=spec.levels, seed=spec.seed
            )
            columns = ["mu_star", "mu_star_conf", "sigma"]
            key = "mu_star"
        table = pd.DataFrame({c: np.asarray(result[c], dtype=float) for c in columns})
        table.insert(0, "parameter", names)
        table.insert(0, "outcome", outcome)
        tables.append(table.sort_values(key, ascending=False))
    indices = pd.concat(tables, ignore_index=True)
    indices.to_csv(Path(out) / "sensitivity.csv", index=False)
    return indices


def format_indices(indices: pd.DataFrame) -> str:
    """The ranking of parameters for each outcome, as text."""
    blocks = [
        f"{outcome}{' (log10)' if outcome in LOG_OUTCOMES else ''}:\n"
        + group.drop(columns="outcome").to_string(index=False, float_format=lambda v: f"{v:.3f}")
        for outcome, group in indices.groupby("outcome", sort=False)
    ]
    return "\n\n".join(blocks)
