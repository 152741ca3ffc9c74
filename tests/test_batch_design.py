"""Sweep specs and designs: counts, bounds, whole numbers, seeds, and clear errors."""

from __future__ import annotations

import numpy as np
import pytest

from sim.batch import plan_from_data
from sim.batch.design import run_seed
from sim.scenario import ScenarioError

BASE = {"run": {"steps": 12}, "population": {"workers": 300, "firms": 15}}


def plan(sweep: dict, source: str = "test.toml"):
    return plan_from_data({**BASE, "sweep": sweep}, source=source)


def sampled(design: str, samples: int, **extra) -> dict:
    return {
        "design": design,
        "samples": samples,
        "seed": 3,
        "parameters": {
            "households.consumer_elasticity": {"min": 0.3, "max": 3.0, "scale": "log"},
            "population.providers": {"min": 2, "max": 6},
            "labour.mobility": {"min": 0.0, "max": 1.0},
        },
        **extra,
    }


@pytest.mark.parametrize(
    ("design", "samples", "extra", "points"),
    [
        ("random", 20, {}, 20),
        ("latin_hypercube", 20, {}, 20),
        ("sobol_sequence", 16, {}, 16),
        ("sobol", 8, {}, 8 * (3 + 2)),
        ("sobol", 8, {"second_order": True}, 8 * (2 * 3 + 2)),
        ("morris", 5, {"levels": 4}, 5 * (3 + 1)),
    ],
)
def test_sampled_designs_have_the_documented_size_and_stay_in_bounds(
    design, samples, extra, points
):
    laid_out = plan(sampled(design, samples, **extra) | {"replicates": 2})
    assert len(laid_out.points) == points
    assert laid_out.n_runs == 2 * points
    elasticity = np.array([p["households.consumer_elasticity"] for p in laid_out.points])
    providers = [p["population.providers"] for p in laid_out.points]
    assert ((elasticity >= 0.3) & (elasticity <= 3.0)).all()
    assert all(isinstance(n, int) and 2 <= n <= 6 for n in providers)


def test_whole_numbers_take_every_value_with_equal_chance():
    laid_out = plan(sampled("latin_hypercube", 500))
    counts = np.bincount([p["population.providers"] for p in laid_out.points])[2:]
    assert len(counts) == 5
    assert counts.min() >= 95  # a Latin hypercube gives each integer 100 of 500


def test_grid_is_every_combination_and_wildcards_set_every_sector():
    laid_out = plan(
        {
            "parameters": {
                "sectors.*.substitution_elasticity": {"values": [0.5, 2.0]},
                "households.consumer_elasticity": {"min": 0.5, "max": 1.5, "points": 3},
            }
        }
    )
    assert len(laid_out.points) == 6
    task = laid_out.task(5)
    sectors = task.scenario["sectors"]
    assert {s["substitution_elasticity"] for s in sectors.values()} == {2.0}
    assert task.scenario["households"]["consumer_elasticity"] == 1.5


def test_seeds_depend_only_on_master_seed_and_run_index():
    small = plan({"seed": 11, "parameters": {"labour.mobility": {"values": [0.1, 0.2]}}})
    large = plan({"seed": 11, "parameters": {"labour.mobility": {"values": [0.1, 0.2, 0.3]}}})
    assert [t.seed for t in small.tasks()] == [t.seed for t in large.tasks()][:2]
    assert run_seed(11, 0) != run_seed(11, 1) != run_seed(12, 1)
    assert all(0 <= t.seed < 2**63 for t in large.tasks())


@pytest.mark.parametrize(
    ("sweep", "message"),
    [
        ({"replicate": 2, "parameters": {"labour.mobility": {"values": [0.1]}}},
         r"unknown key 'sweep.replicate'; did you mean 'replicates'"),
        ({"parameters": {"households.consumer_elastcity": {"values": [1.0]}}},
         r"'households.consumer_elastcity' is not a scenario parameter; did you mean "
         r"'households.consumer_elasticity'"),
        ({"parameters": {"households.consumer_elasticity": {"values": [0.5, 20.0]}}},
         r"test.toml \[point 1: households.consumer_elasticity = 20.0\]: "
         r"households.consumer_elasticity = 20.0: .*less than or equal to 10"),
        ({"design": "latin", "parameters": {"labour.mobility": {"min": 0, "max": 1}}},
         r"sweep.design = 'latin': must be one of grid, random"),
        ({"design": "random", "parameters": {"labour.mobility": {"min": 0, "max": 1}}},
         r"design 'random' needs `samples`"),
        ({"design": "random", "samples": 4, "parameters": {"labour.mobility": {"values": [1]}}},
         r"`values`/`points` are for 'grid' only: labour.mobility"),
        ({"parameters": {"labour.mobility": {"min": 0.5, "max": 0.1, "points": 2}}},
         r"sweep.parameters.\"labour.mobility\" = .*`min` \(0.5\) must be below `max`"),
        ({"parameters": {"labour.mobility": {"valeus": [0.1]}}},
         r"did you mean 'values'"),
        ({"parameters": {"run.seed": {"values": [1, 2]}}},
         r"'run.seed' cannot vary"),
        ({"design": "random", "samples": 4,
          "parameters": {"population.providers": {"min": 1.5, "max": 4}}},
         r"whole-number parameter needs whole-number bounds"),
        ({"parameters": {}}, r"`parameters` is empty"),
    ],
)  # fmt: skip
def test_bad_sweeps_fail_before_any_run_with_a_clear_message(sweep, message):
    with pytest.raises(ScenarioError, match=message) as caught:
        plan(sweep)
    assert "test.toml" in str(caught.value)


def test_a_scenario_without_sweep_table_is_refused():
    with pytest.raises(ScenarioError, match=r"no \[sweep\] table"):
        plan_from_data(BASE, source="test.toml")
