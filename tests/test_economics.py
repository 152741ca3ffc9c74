"""The textbook formulas in sim.economics, checked against their definitions."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.economics import (
    baumol_relative_price_growth,
    ces_output,
    compute_cost_share,
    exposed_labour_fraction,
    hicks_marshall_elasticity,
    input_demand,
    jevons_condition_holds,
    ngai_pissarides_employment_drift,
    unit_cost,
)

shares = st.floats(0.001, 0.9)
sigmas = st.floats(0.1, 5.0)
prices = st.floats(0.01, 100.0)
no_deadline = settings(deadline=None)  # pure arithmetic; a shared machine can stall any example


@no_deadline
@given(s0=shares, sigma=sigmas)
def test_base_point_reproduces_base_cost_share(s0, sigma):
    # At w = 1 and q = s0/(1-s0) (the base compute price) compute's share is s0.
    assert compute_cost_share(1.0, s0 / (1 - s0), s0, sigma) == pytest.approx(s0, rel=1e-9)


@no_deadline
@given(s0=shares, sigma=sigmas, w=prices, q=prices, y=st.floats(0.1, 1e4))
def test_input_demand_produces_output_at_unit_cost(s0, sigma, w, q, y):
    labour, compute = input_demand(y, w, q, 2.0, s0, sigma)
    assert ces_output(labour, compute, 2.0, s0, sigma) == pytest.approx(y, rel=1e-7)
    assert w * labour + q * compute == pytest.approx(y * unit_cost(w, q, 2.0, s0, sigma), rel=1e-9)


@no_deadline
@given(s0=shares, sigma=sigmas, w=prices, q=prices)
def test_cost_minimum_beats_nearby_mixes(s0, sigma, w, q):
    labour, compute = input_demand(1.0, w, q, 1.0, s0, sigma)
    best = w * labour + q * compute
    for tilt in (0.9, 1.1):
        # Same output with more or less compute costs more.
        other_compute = compute * tilt
        rho = (sigma - 1) / sigma
        if abs(rho) < 1e-6:
            continue
        inner = (1.0 - s0 * other_compute**rho) / (1 - s0)
        if inner <= 0:
            continue
        other_labour = inner ** (1 / rho)
        assert w * other_labour + q * other_compute >= best * (1 - 1e-9)


@no_deadline
@given(s0=shares, sigma=sigmas, q=prices)
def test_compute_share_elasticity_is_one_minus_sigma_times_labour_share(s0, sigma, q):
    step = 1e-5
    share = compute_cost_share(1.0, q, s0, sigma)
    up = compute_cost_share(1.0, q * np.exp(step), s0, sigma)
    slope = (np.log(up) - np.log(share)) / step
    assert slope == pytest.approx((1 - sigma) * (1 - share), abs=1e-4)


def test_cobb_douglas_limit_is_continuous():
    for sigma in (1.0 - 1e-4, 1.0, 1.0 + 1e-4):
        assert unit_cost(2.0, 3.0, 1.0, 0.2, sigma) == pytest.approx(
            unit_cost(2.0, 3.0, 1.0, 0.2, 1.0), rel=1e-3
        )
        assert ces_output(2.0, 3.0, 1.0, 0.2, sigma) == pytest.approx(
            ces_output(2.0, 3.0, 1.0, 0.2, 1.0), rel=1e-3
        )


def test_complements_need_both_inputs():
    assert ces_output(0.0, 5.0, 1.0, 0.3, 0.5) == 0.0
    assert ces_output(5.0, 0.0, 1.0, 0.3, 0.5) == 0.0
    assert ces_output(0.0, 5.0, 1.0, 0.3, 2.0) > 0.0


@pytest.mark.parametrize(
    ("s_c", "sigma", "eta", "expected", "jevons"),
    [  # The test cases of economics.md, section B1.
        (0.05, 1.5, 1.0, -1.475, True),
        (0.05, 0.5, 0.8, -0.515, False),
        (0.30, 0.8, 1.5, -1.01, True),
    ],
)
def test_hicks_marshall_reference_cases(s_c, sigma, eta, expected, jevons):
    assert hicks_marshall_elasticity(s_c, sigma, eta) == pytest.approx(expected, abs=1e-9)
    assert bool(jevons_condition_holds(s_c, sigma, eta)) is jevons


@no_deadline
@given(s0=shares, sigma=sigmas, eta=st.floats(0.1, 3.0), q=prices)
def test_hicks_marshall_matches_numerical_derived_demand(s0, sigma, eta, q):
    # Competitive industry: p = unit cost, output demand Y = p^-eta, wage fixed at 1.
    def compute_demand(price):
        p = unit_cost(1.0, price, 1.0, s0, sigma)
        return input_demand(p**-eta, 1.0, price, 1.0, s0, sigma)[1]

    step = 1e-5
    numerical = (np.log(compute_demand(q * np.exp(step))) - np.log(compute_demand(q))) / step
    share = compute_cost_share(1.0, q, s0, sigma)
    assert numerical == pytest.approx(hicks_marshall_elasticity(share, sigma, eta), abs=1e-3)


def test_jevons_condition_is_strict_at_unit_elasticity():
    """With no compute share and sigma = 1 the elasticity is exactly -1: spending on
    compute stays put, so the Jevons condition (spending rises) does not hold."""
    assert hicks_marshall_elasticity(0.0, 1.0, 2.0) == -1.0
    assert not jevons_condition_holds(0.0, 1.0, 2.0)


def test_baumol_and_ngai_pissarides_by_hand():
    """Relative price growth is g_p - g_s: 0.05 - 0.01 = 0.04; the employment drift of
    i against j is (1 - eps)(g_j - g_i): (1 - 0.5)(0.05 - 0.01) = 0.02, and with
    eps = 1.5 it is -0.02."""
    assert baumol_relative_price_growth(0.05, 0.01) == pytest.approx(0.04, rel=1e-12)
    assert ngai_pissarides_employment_drift(0.5, 0.01, 0.05) == pytest.approx(0.02, rel=1e-12)
    assert ngai_pissarides_employment_drift(1.5, 0.01, 0.05) == pytest.approx(-0.02, rel=1e-12)


def test_with_every_task_exposed_all_labour_is_exposed():
    """Exposure 1 is the single CES: the exposed bundle is all of production, so the
    exposed share of labour is 1 at any prices."""
    fraction = exposed_labour_fraction([1.0, 2.0], [0.5, 3.0], 0.2, 1.5, exposure=1.0)
    np.testing.assert_array_equal(fraction, [1.0, 1.0])


def test_input_demand_defaults_to_the_single_ces():
    """Without an exposure argument every task is exposed (exposure 1)."""
    args = (2.0, 1.5, 0.7, 1.2, 0.3, 1.5)
    np.testing.assert_array_equal(input_demand(*args), input_demand(*args, exposure=1.0))
