"""Tasks by exposure (docs/model.md section 1): the nested CES is normalised like the
single one, its primal and dual agree, the plan's labour split maximises output, and
labour per unit of output has a positive floor however cheap compute gets."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.economics import (
    ces_output,
    compute_cost_share,
    exposed_labour_fraction,
    input_demand,
    unit_cost,
)

nests = st.tuples(
    st.floats(0.001, 0.3),  # s0
    st.floats(0.2, 4.0),  # sigma inside exposed tasks
    st.floats(0.35, 0.99),  # exposure
    st.floats(0.2, 3.0),  # task elasticity
)


@settings(deadline=None)
@given(nests, st.floats(0.2, 5.0), st.floats(1e-4, 5.0), st.floats(0.1, 10.0))
def test_plan_produces_its_output_at_its_unit_cost(nest, wage, price, output):
    s0, sigma, exposure, rho = nest
    labour, compute = input_demand(output, wage, price, 2.0, s0, sigma, exposure, rho)
    split = exposed_labour_fraction(wage, price, s0, sigma, exposure, rho)
    produced = ces_output(labour, compute, 2.0, s0, sigma, exposure, rho, exposed_fraction=split)
    assert produced == pytest.approx(output, rel=1e-7)
    cost = output * unit_cost(wage, price, 2.0, s0, sigma, exposure, rho)
    assert wage * labour + price * compute == pytest.approx(cost, rel=1e-9)
    # The plan's split is the output-maximising one.
    assert ces_output(labour, compute, 2.0, s0, sigma, exposure, rho) == pytest.approx(
        produced, rel=1e-6
    )


@settings(deadline=None)
@given(nests)
def test_base_point_is_normalised_like_the_single_ces(nest):
    s0, sigma, exposure, rho = nest
    assert unit_cost(1 - s0, s0, 1.0, s0, sigma, exposure, rho) == pytest.approx(1.0)
    assert compute_cost_share(1 - s0, s0, s0, sigma, exposure, rho) == pytest.approx(s0)
    assert ces_output(1.0, 1.0, 3.0, s0, sigma, exposure, rho) == pytest.approx(3.0)


def test_full_exposure_is_the_single_ces():
    args = (1.3, 0.07, 2.0, 0.01, 2.5)
    assert unit_cost(*args, 1.0, 0.5) == unit_cost(*args)
    assert ces_output(1.0, 2.0, 2.0, 0.01, 2.5, 1.0, 0.5) == ces_output(1.0, 2.0, 2.0, 0.01, 2.5)


def test_labour_has_a_floor_when_only_some_tasks_are_exposed():
    s0, sigma = 0.01, 2.5
    prices = s0 / (1 - s0) * np.array([1.0, 1e-3, 1e-6, 1e-9])
    single = input_demand(1.0, 1.0, prices, 1.0, s0, sigma)[0]
    nested = input_demand(1.0, 1.0, prices, 1.0, s0, sigma, 0.6, 0.5)[0]
    assert single[-1] < 1e-6  # one CES with sigma > 1: labour vanishes
    assert nested[-1] > 0.1  # unexposed work stays
    assert nested[-1] == pytest.approx(nested[-2], rel=1e-2)


@pytest.mark.parametrize("split", [None, np.array([0.3, 0.4, 0.5])])
def test_sectors_with_and_without_a_nest_in_one_call_match_separate_calls(split):
    """The model computes every firm's output in one call, single-CES sectors (exposure
    1) beside nested ones: each element must be what a call of its own gives, with or
    without the plan's labour split (the split is ignored where there is no nest)."""
    labour, compute = np.array([3.0, 2.0, 1.0]), np.array([1.5, 4.0, 0.5])
    productivity, s0 = np.array([2.0, 1.5, 1.0]), np.array([0.3, 0.2, 0.1])
    sigma, exposure = np.array([0.5, 2.0, 1.5]), np.array([1.0, 0.6, 0.8])
    together = ces_output(labour, compute, productivity, s0, sigma, exposure, 0.7, split)
    alone = [
        ces_output(labour[k], compute[k], productivity[k], s0[k], sigma[k], exposure[k], 0.7,
                   None if split is None else split[k])
        for k in range(3)
    ]  # fmt: skip
    np.testing.assert_allclose(together, np.array(alone, dtype=float), rtol=1e-12)
    assert np.all(together > 0.0)
