"""Run one scenario to the end and summarise it: the API under ``sim run`` and sweeps.

Core objects: :func:`run_scenario`, :class:`RunResult`, :func:`summarize_run`,
:func:`check_runnable`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.model import EconomyModel
from sim.scenario import Scenario
from sim.scenario.resources import check_memory


@dataclass(frozen=True)
class RunResult:
    """The per-step series of one run and its summary outcomes."""

    scenario: Scenario
    steps: pd.DataFrame
    summary: dict[str, float]


def _stagnant_sector(scenario: Scenario) -> str:
    """The sector the summaries call 'care': ``care`` if present, else the slowest-growing."""
    if "care" in scenario.sectors:
        return "care"
    return min(scenario.sectors, key=lambda name: scenario.sectors[name].productivity_growth)


def summarize_run(frame: pd.DataFrame, scenario: Scenario) -> dict[str, float]:
    """Outcomes of one run, comparing its last step with its first.

    ``compute_price_change``: final/initial average price paid per million tokens
    (``ai_spend / tokens``); ``ai_spend_growth`` and ``tokens_growth``: final/initial
    (each NaN when a month it divides by has no AI use); ``care_relative_price``: care's
    price relative to CPI at the end (1 at start); ``care_employment_share``;
    ``wage_dispersion``: the coefficient of variation of mean wages across sectors with
    employment;
    ``unemployment_rate``, ``gini_income``, ``labor_share``, ``real_gdp_growth``.
    """
    first, last = frame.iloc[0], frame.iloc[-1]

    def ratio(numerator: float, denominator: float) -> float:
        """``numerator / denominator``, NaN (without a warning) where the denominator is
        0: e.g. the price paid per token in a month in which no firm used AI."""
        return float(numerator / denominator) if denominator != 0 else float("nan")

    care = _stagnant_sector(scenario)
    wages = np.array([last[f"wage_{s}"] for s in scenario.sectors if last[f"employment_{s}"] > 0])
    return {
        "compute_price_change": ratio(
            ratio(last["ai_spend"], last["tokens"]), ratio(first["ai_spend"], first["tokens"])
        ),
        "tokens_growth": ratio(last["tokens"], first["tokens"]),
        "ai_spend_growth": ratio(last["ai_spend"], first["ai_spend"]),
        "care_relative_price": float(last[f"relative_price_{care}"]),
        "care_employment_share": float(last[f"employment_share_{care}"]),
        "wage_dispersion": float(wages.std() / wages.mean()) if wages.size else 0.0,
        "unemployment_rate": float(last["unemployment_rate"]),
        "gini_income": float(last["gini_income"]),
        "labor_share": float(last["labor_share"]),
        "provider_hhi": float(last["provider_hhi"]),
        "real_gdp_growth": float(last["real_gdp"] / first["real_gdp"]),
        "cpi": float(last["cpi"]),
    }


def check_runnable(scenario: Scenario, source: str, max_memory: int | None) -> int:
    """Refuse, before anything is allocated, a scenario that ``sim run`` must not start:
    one whose ``[sweep]`` table is malformed (a single run ignores a valid one) or whose
    estimated memory exceeds ``max_memory`` bytes. Returns the estimate in bytes.

    Raises:
        ScenarioError: naming ``source``, the key and what is allowed.
    """
    if scenario.sweep is not None:
        from sim.batch.design import resolve_paths
        from sim.batch.spec import parse_sweep
        from sim.scenario import scenario_to_dict

        base = scenario_to_dict(scenario)
        base.pop("sweep", None)
        resolve_paths(base, parse_sweep(scenario.sweep, source), source)
    return check_memory(scenario, max_memory, source)


def run_scenario(scenario: Scenario, progress=None) -> RunResult:
    """Build the economy from ``scenario`` and run ``scenario.run.steps`` months.

    Args:
        progress: optional callable ``progress(step)`` called after each month.
    """
    model = EconomyModel(config=scenario)
    for _ in range(scenario.run.steps):
        model.step()
        if progress is not None:
            progress(model.steps)
    frame = model.results()
    return RunResult(scenario=scenario, steps=frame, summary=summarize_run(frame, scenario))
