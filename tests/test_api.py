"""The plain-function API: declared parameters, simulate, simulate_batch."""

from __future__ import annotations

import numpy as np
import pytest

from sim.api import (
    CALIBRATABLE,
    DEFAULT_SPACE,
    OUTCOMES,
    OUTPUTS,
    Parameter,
    base_data,
    parameter_space,
    scenario_data,
    simulate,
    simulate_batch,
)
from sim.batch.executors import InProcessExecutor
from sim.run import run_scenario
from sim.scenario import ScenarioError, build_scenario
from sim.scenario.loader import get_dotted

TINY = {"population": {"workers": 300, "firms": 20}}
SPACE = parameter_space(["households.consumer_elasticity", "sectors.*.substitution_elasticity"])


def test_every_default_value_lies_inside_its_declared_bounds():
    defaults = base_data(None)
    for parameter in CALIBRATABLE:
        key = parameter.name.replace("*", "care")
        assert parameter.low <= get_dotted(defaults, key) <= parameter.high, parameter.name


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("households.consumer_elastic", 0.1, 1.0), "is not a scenario parameter"),
        (("population.workers", 100.0, 200.0), "not a real-valued parameter"),
        (
            ("labour.quit_rate", 0.0, 2.0),
            "leave the range the scenario schema allows (>= 0 and <= 1)",
        ),
        (("households.consumer_elasticity", 0.0, 2.0), "(>= 0.05 and <= 10)"),
        (("households.consumer_elasticity", 2.0, 1.0), "min < max"),
        (("labour.mobility", 0.0, 0.5, "log"), "needs min > 0"),
    ],
)
def test_bad_parameter_declarations_are_named(args, message):
    with pytest.raises(ScenarioError, match=None) as error:
        Parameter(*args)
    assert message in str(error.value)
    assert args[0] in str(error.value)


def test_salib_problem_and_unit_cube_round_trip():
    assert SPACE.problem == {
        "num_vars": 2,
        "names": ["households.consumer_elasticity", "sectors.*.substitution_elasticity"],
        "bounds": [[0.1, 3.0], [0.2, 5.0]],
    }
    unit = np.array([[0.0, 1.0], [0.5, 0.25]])
    theta = SPACE.from_unit(unit)
    np.testing.assert_allclose(theta[0], [0.1, 5.0])
    np.testing.assert_allclose(theta[1, 0], np.sqrt(0.1 * 3.0))  # log scale: geometric mean
    np.testing.assert_allclose(SPACE.to_unit(theta), unit, atol=1e-12)


def test_star_sets_every_sector_and_theta_reaches_the_scenario():
    data = scenario_data([1.7, 0.9], 5, 3, base_data(TINY), SPACE)
    assert data["households"]["consumer_elasticity"] == 1.7
    assert {s["substitution_elasticity"] for s in data["sectors"].values()} == {0.9}
    assert (data["run"]["steps"], data["run"]["seed"]) == (5, 3)


def test_simulate_shape_determinism_and_names():
    x = simulate([1.5, 1.0], 12, 7, base=TINY, space=SPACE)
    assert x.shape == (12, len(OUTPUTS))
    assert np.array_equal(x, simulate([1.5, 1.0], 12, 7, base=TINY, space=SPACE))
    by_name = {"households.consumer_elasticity": 1.5, "sectors.*.substitution_elasticity": 1.0}
    assert np.array_equal(x, simulate(by_name, 12, 7, base=TINY, space=SPACE))
    assert not np.array_equal(x, simulate([1.5, 1.0], 12, 8, base=TINY, space=SPACE))
    # row t is month t + 1 of the ordinary run of the same scenario
    scenario = build_scenario(scenario_data([1.5, 1.0], 12, 7, base_data(TINY), SPACE))
    steps = run_scenario(scenario).steps
    np.testing.assert_array_equal(x[:, OUTPUTS.index("cpi")], steps["cpi"].to_numpy()[1:])


def test_simulate_with_all_declared_parameters_and_chosen_outputs():
    defaults = base_data(None)
    theta = [get_dotted(defaults, p.name.replace("*", "care")) for p in CALIBRATABLE]
    theta[-1] = 1.0  # one value for every sector's substitution elasticity
    x = simulate(theta, 6, 1, base=TINY, outputs=["unemployment_rate", "price_care"])
    assert x.shape == (6, 2)
    assert len(DEFAULT_SPACE) == len(CALIBRATABLE)


@pytest.mark.parametrize(
    ("theta", "message"),
    [
        ([5.0, 1.0], "households.consumer_elasticity = 5.0 is outside [0.1, 3.0]"),
        ([1.0], "theta has 1 values; the space has 2"),
        ({"households.consumer_elasticity": 1.0}, "missing ['sectors.*.substitution_elasticity']"),
    ],
)
def test_bad_theta_is_named(theta, message):
    with pytest.raises(ScenarioError) as error:
        simulate(theta, 3, 1, base=TINY, space=SPACE)
    assert message in str(error.value)


def test_unknown_output_lists_the_reported_series():
    with pytest.raises(ScenarioError, match="'unemployment' not reported; available: step"):
        simulate([1.0, 1.0], 2, 1, base=TINY, space=SPACE, outputs=["unemployment"])


def test_simulate_batch_equals_simulate_in_order():
    thetas = np.array([[0.5, 1.0], [2.0, 0.4], [1.0, 2.0]])
    batch = simulate_batch(thetas, 8, [3, 4, 5], InProcessExecutor(), base=TINY, space=SPACE)
    assert batch.shape == (3, 8, len(OUTPUTS))
    for row, seed, result in zip(thetas, [3, 4, 5], batch, strict=True):
        assert np.array_equal(result, simulate(row, 8, seed, base=TINY, space=SPACE))
    with pytest.raises(ScenarioError, match="2 seeds for 3 parameter vectors"):
        simulate_batch(thetas, 8, [1, 2], InProcessExecutor(), base=TINY, space=SPACE)


@pytest.mark.slow
def test_simulate_batch_on_local_processes_matches_one_process():
    thetas = [[0.5, 1.0], [2.0, 0.4]]
    parallel = simulate_batch(thetas, 6, 11, base=TINY, space=SPACE, workers=2)
    serial = simulate_batch(thetas, 6, 11, InProcessExecutor(), base=TINY, space=SPACE)
    assert np.array_equal(parallel, serial)


def test_default_outcomes_are_what_a_run_summarises():
    summary = run_scenario(build_scenario(TINY, {"run.steps": 2})).summary
    assert set(OUTCOMES) <= set(summary)


def test_bounds_without_defaults_need_min_and_max():
    with pytest.raises(ScenarioError, match="has no default bounds"):
        parameter_space(["labour.skill_dispersion"])
    space = parameter_space({"labour.skill_dispersion": {"min": 0.1, "max": 0.5}})
    assert space.names == ["labour.skill_dispersion"]
