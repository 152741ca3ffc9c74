"""EMA Workbench 3 runs the economy through sim.api.ema_model."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from sim.api import base_data, ema_model, parameter_space, run_data, run_frame
from sim.batch.design import run_seed
from sim.run import summarize_run
from sim.scenario import ScenarioError, build_scenario

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message="ipyparallel not installed")
    import ema_workbench as ema

TINY = {"population": {"workers": 300, "firms": 20}}
SPACE = parameter_space(["households.consumer_elasticity", "labour.mobility"])


def _direct(values: dict, months: int, seed: int) -> tuple[dict, np.ndarray]:
    data = run_data(base_data(TINY), values, months, seed)
    frame = run_frame(data)
    return summarize_run(frame, build_scenario(data)), frame["unemployment_rate"].to_numpy()


def test_perform_experiments_runs_the_model_at_the_sampled_values():
    model = ema_model(space=SPACE, n_months=10, base=TINY, series=["unemployment_rate"], seed=5)
    experiments, outcomes = ema.perform_experiments(model, 3)
    assert list(experiments.columns[:2]) == ["households__consumer_elasticity", "labour__mobility"]
    assert outcomes["unemployment_rate_monthly"].shape == (3, 11)
    assert len(set(outcomes["care_relative_price"])) == 3  # three different economies
    for i, row in experiments.iterrows():
        values = {"households.consumer_elasticity": row.iloc[0], "labour.mobility": row.iloc[1]}
        assert 0.1 <= values["households.consumer_elasticity"] <= 3.0
        summary, path = _direct(values, 10, 5)
        assert outcomes["care_relative_price"][i] == summary["care_relative_price"]
        assert outcomes["labor_share"][i] == summary["labor_share"]
        np.testing.assert_array_equal(outcomes["unemployment_rate_monthly"][i], path)


def test_replications_average_over_derived_seeds():
    space = parameter_space(["households.consumer_elasticity"])
    model = ema_model(space=space, n_months=8, base=TINY, outcomes=["cpi"], seed=3, replications=2)
    experiments, outcomes = ema.perform_experiments(model, 2)
    for i, value in enumerate(experiments["households__consumer_elasticity"]):
        values = {"households.consumer_elasticity": value}
        runs = [_direct(values, 8, run_seed(3, r))[0]["cpi"] for r in range(2)]
        assert runs[0] != runs[1]
        assert outcomes["cpi"][i] == pytest.approx(np.mean(runs), rel=1e-12)


def test_unknown_outcome_is_named():
    with pytest.raises(ScenarioError, match="unknown \\['gdp'\\]"):
        ema_model(space=SPACE, outcomes=["gdp"])
