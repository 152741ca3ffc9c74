"""Hand-built checks of the CES technology and the textbook benchmarks that the mutation
run (``make mutation``, docs/testing.md) showed untested: input types, the documented
defaults, arrays mixing nested and single-CES firms, and numerical corners.

Every expected number is worked by hand from the equations of docs/model.md (section 3,
"Technology") and the docstrings of sim/economics/ces.py, not from the module's helpers.
"""

import math
import warnings
from fractions import Fraction

import numpy as np
import pytest

from sim.agents.providers import Providers
from sim.economics import ces
from sim.economics.benchmarks import (
    baumol_relative_price_growth,
    hicks_marshall_elasticity,
    ngai_pissarides_employment_drift,
)
from sim.markets.compute import ComputeMarket, report_names, target_shares
from sim.markets.energy import goods_price_index
from sim.scenario import build_scenario
from tests.test_energy_market import ROUND as ELECTRICITY_ROUND
from tests.test_energy_market import electricity
from tests.test_hardware_market import DELTA as HARDWARE_DELTA
from tests.test_hardware_market import ROUND as HARDWARE_ROUND
from tests.test_hardware_market import gpu_market
from tests.test_provider_rules import ROUND as PROVIDER_ROUND
from tests.test_provider_rules import single_homing

F = Fraction


# --- benchmarks: closed forms, with exact fractions as input -------------------------------


def test_benchmarks_accept_exact_fractions_and_return_floats():
    """Inputs read as exact fractions (a parameter file, a symbolic check) are converted
    to float64 like any other number. By hand: Hicks-Marshall with s = 1/4, sigma = 1/2,
    eta = 3 is -(3/4 x 1/2 + 1/4 x 3) = -1.125; Baumol's drift 3/100 - 1/100 = 0.02;
    Ngai-Pissarides (1 - 1/2)(3/100 - 1/100) = 0.01."""

    def exact(value):
        return np.array([value], dtype=object)

    checks = [
        (hicks_marshall_elasticity(exact(F(1, 4)), [0.5], [3.0]), -1.125),
        (hicks_marshall_elasticity([0.25], exact(F(1, 2)), [3.0]), -1.125),
        (hicks_marshall_elasticity([0.25], [0.5], exact(F(3))), -1.125),
        (baumol_relative_price_growth(exact(F(3, 100)), [0.01]), 0.02),
        (baumol_relative_price_growth([0.03], exact(F(1, 100))), 0.02),
        (ngai_pissarides_employment_drift(exact(F(1, 2)), [0.01], [0.03]), 0.01),
        (ngai_pissarides_employment_drift([0.5], [0.01], exact(F(3, 100))), 0.01),
        (ngai_pissarides_employment_drift([0.5], exact(F(1, 100)), [0.03]), 0.01),
    ]
    for value, expected in checks:
        assert value.dtype == np.float64
        assert float(value[0]) == pytest.approx(expected, rel=1e-15)


# --- single CES by hand -----------------------------------------------------------------
# w = 4, q = 1, A = 2, s0 = 0.3, sigma = 2 (1 - sigma = -1):
#   inner = 0.7^2 / 4 + 0.3^2 / 1 = 0.1225 + 0.09 = 0.2125 = 17/80,
#   c = inner^(-1) / A = 40/17,  s_C = 0.09 / 0.2125 = 36/85.
# Output with rho = 1/2 at L = 4, x = 1: A (0.7 x 2 + 0.3 x 1)^2 = 2 x 2.89 = 5.78.


def test_ces_functions_accept_exact_fractions_and_return_floats():
    """Every public function converts its inputs to float64 (arrays of Fractions give
    float arrays with the hand-worked values, not object arrays)."""

    def fractions(*values):
        return [np.array([F(v)], dtype=object) for v in values]

    output = ces.ces_output(*fractions(4, 1, 2, F(3, 10), 2))
    cost = ces.unit_cost(*fractions(4, 1, 2, F(3, 10), 2))
    share = ces.compute_cost_share(*fractions(4, 1, F(3, 10), 2))
    labour, compute = ces.input_demand(*fractions(17, 4, 1, 2, F(3, 10), 2))
    for value, expected in [
        (output, 5.78), (cost, 40 / 17), (share, 36 / 85), (labour, 40 * 49 / 85 / 4),
        (compute, 40 * 36 / 85),
    ]:  # fmt: skip
        assert value.dtype == np.float64
        assert float(value[0]) == pytest.approx(expected, rel=1e-13)
    for given in fractions(17):  # output alone as Fractions
        labour, compute = ces.input_demand(given, 4.0, 1.0, 2.0, 0.3, 2.0)
        assert labour.dtype == compute.dtype == np.float64
    # the nested CES with a given exposed fraction, also as Fractions (numbers below)
    nested = ces.ces_output(
        [1.0], [4.0], 1.0, 0.2, 2.0, 0.5, 0.5, exposed_fraction=fractions(F(1, 2))[0]
    )
    assert nested.dtype == np.float64
    assert float(nested[0]) == pytest.approx(1 / 0.7375, rel=1e-13)


# --- nested CES by hand, with the documented default task elasticity 0.5 ------------------
# s0 = 0.2, exposure x = 0.5: theta = 0.2 + 0.5 x 0.8 = 0.6, s_I = 0.2 / 0.6 = 1/3,
# u = e = 0.5. With w = q = A = 1, sigma = 2:
#   bundle cost C(w e, q; s_I, 2) = [(2/3)^2 / 0.5 + (1/3)^2 / 1]^(-1) = [8/9 + 1/9]^-1 = 1,
#   unit cost C(w u, 1; theta, 0.5) = [sqrt(0.4) sqrt(0.5) + sqrt(0.6)]^2
#                                  = (sqrt(0.2) + sqrt(0.6))^2 = 0.8 + 2 sqrt(0.12),
#   bundle share S_X = sqrt(0.6) / (sqrt(0.2) + sqrt(0.6)) = sqrt(3) / (1 + sqrt(3)),
#   AI's share inside S_I = (1/9) / 1 = 1/9, compute share S_X / 9,
#   exposed labour S_X (8/9) / (S_X (8/9) + 1 - S_X).
# Output at L = 1, x = 4 with half the labour exposed: L_E / e = L_U / u = 1,
#   X = [(2/3) 1 + (1/3) 2]^2 = 16/9, r = (0.5 - 1)/0.5 = -1,
#   Y = [0.4 + 0.6 x 9/16]^(-1) = 1 / 0.7375.

S_X = np.sqrt(3.0) / (1.0 + np.sqrt(3.0))
NESTED = {"ai_share": 0.2, "sigma": 2.0, "exposure": 0.5}


def test_nested_ces_uses_the_documented_default_task_elasticity():
    w = q = a = 1.0
    assert float(ces.unit_cost(w, q, a, **NESTED)) == pytest.approx(
        0.8 + 2 * np.sqrt(0.12), rel=1e-13
    )
    assert float(ces.compute_cost_share(w, q, **NESTED)) == pytest.approx(S_X / 9, rel=1e-13)
    exposed = S_X * 8 / 9 / (S_X * 8 / 9 + 1 - S_X)
    assert float(ces.exposed_labour_fraction(w, q, **NESTED)) == pytest.approx(exposed, rel=1e-13)
    cost = 0.8 + 2 * np.sqrt(0.12)
    labour, compute = ces.input_demand(3.0, w, q, a, **NESTED)
    assert float(labour) == pytest.approx(3 * cost * (1 - S_X / 9), rel=1e-13)
    assert float(compute) == pytest.approx(3 * cost * S_X / 9, rel=1e-13)
    output = ces.ces_output(1.0, 4.0, 1.0, **NESTED, exposed_fraction=0.5)
    assert float(output) == pytest.approx(1 / 0.7375, rel=1e-13)


def test_arrays_mixing_nested_and_single_ces_firms():
    """Firm 0 is nested (the numbers above), firm 1 has every task exposed and is the
    single CES (w = 4, q = 1, A = 2, s0 = 0.3, sigma = 2: cost 40/17, share 36/85,
    output 5.78 at L = 4, x = 1). Mixing them in one call changes neither, and the
    output-maximising split is used when none is given (firm 1's output does not
    depend on a split)."""
    w, q, a = np.array([1.0, 4.0]), np.array([1.0, 1.0]), np.array([1.0, 2.0])
    s0, sigma, x = np.array([0.2, 0.3]), np.array([2.0, 2.0]), np.array([0.5, 1.0])
    cost = ces.unit_cost(w, q, a, s0, sigma, x, 0.5)
    np.testing.assert_allclose(cost, [0.8 + 2 * np.sqrt(0.12), 40 / 17], rtol=1e-13)
    share = ces.compute_cost_share(w, q, s0, sigma, x, 0.5)
    np.testing.assert_allclose(share, [S_X / 9, 36 / 85], rtol=1e-13)
    labour, compute = np.array([1.0, 4.0]), np.array([4.0, 1.0])
    given = ces.ces_output(labour, compute, a, s0, sigma, x, 0.5, exposed_fraction=0.5)
    np.testing.assert_allclose(given, [1 / 0.7375, 5.78], rtol=1e-13)
    best = ces.ces_output(labour, compute, a, s0, sigma, x, 0.5)
    assert best.dtype == np.float64
    assert best[1] == pytest.approx(5.78, rel=1e-13)
    assert best[0] >= given[0] * (1 - 1e-12)  # the best split beats the half-half one


def test_best_split_reproduces_output_at_the_base_point():
    """At the base point (L = x, unit prices) the cost-minimising split is the step-0
    one and output is A L: 3 x 2 = 6 (docs/model.md, normalised CES)."""
    output = ces.ces_output(2.0, 2.0, 3.0, 0.2, 2.0, 0.5, 0.5)
    assert output.dtype == np.float64
    assert float(output) == pytest.approx(6.0, rel=1e-9)


def test_best_split_near_all_labour_exposed():
    """Substitutable tasks (task elasticity 10, r = 0.9) and abundant compute (10,000
    base units for 1 unit of labour; s0 = 0.2, x = 0.5: theta = 0.6, s_I = 1/3, u = e =
    1/2, sigma = 2): the best exposed fraction f lies within 1e-10 of 1. By hand,
    Y(f) = [0.4 (2(1 - f))^0.9 + 0.6 X^0.9]^(1/0.9) with
    X = [(2/3)(2f)^0.5 + (1/3) 100]^2, maximised on a grid of 1 - f from 1e-16 to 0.1;
    the bisection must reach that maximum (to 1e-12), not stop short of f = 1."""
    one_minus_f = np.logspace(-16, -1, 4000)
    f = 1.0 - one_minus_f
    bundle = ((2 / 3) * np.sqrt(2 * f) + (1 / 3) * 100.0) ** 2
    best = ((0.4 * (2 * one_minus_f) ** 0.9 + 0.6 * bundle**0.9) ** (1 / 0.9)).max()
    output = ces.ces_output(1.0, 1e4, 1.0, 0.2, 2.0, 0.5, 10.0)
    assert float(output) == pytest.approx(best, rel=1e-12)


@pytest.mark.parametrize("task_sigma", [0.5, 1.0, 2.0])
def test_exposure_one_is_the_single_ces_whatever_the_task_elasticity(task_sigma):
    """With every task exposed the task elasticity plays no part: cost 40/17 for
    w = 4, q = 1, A = 2, s0 = 0.3, sigma = 2 (hand-worked above)."""
    cost = ces.unit_cost(4.0, 1.0, 2.0, 0.3, 2.0, 1.0, task_sigma)
    assert float(cost) == pytest.approx(40 / 17, rel=1e-14)


# --- numerical corners: no warnings, no NaN --------------------------------------------------


@pytest.mark.parametrize("sigma", [0.05, 0.5, 1.0, 2.0, 10.0])
def test_corners_give_finite_results_without_floating_point_warnings(sigma):
    """Zero inputs (complements give zero output), extreme price ratios (the share's
    logistic form never overflows), and arrays mixing nested and single-CES firms are
    handled inside the functions: no RuntimeWarning escapes, and every result is finite.
    Tiny inputs (1e-30) overflow ``L^rho`` for complements without a warning either.
    Hand-known values: zero labour or compute with sigma <= 1 gives zero output; a
    compute price 1e-250 of the wage gives AI's cost share 1 for sigma > 1 and 0 (to 1e-100) for
    sigma < 1 (log-odds (1 - sigma) ln(q / w) beyond +-700)."""
    labour = np.array([0.0, 1.0, 0.0, 2.0, 1.0, 0.0, 1e-30, 1.0])
    compute = np.array([1.0, 0.0, 0.0, 2.0, 1.0, 3.0, 1.0, 1e-30])
    exposure = np.array([1.0, 1.0, 1.0, 0.5, 0.3, 0.5, 1.0, 0.5])
    wage = np.ones(8)
    price = np.array([1.0, 1.0, 1e-250, 1e250, 1.0, 1.0, 1.0, 1.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for x in (1.0, exposure):
            for task_sigma in (0.5, 1.0, 2.0):
                args = (0.3, sigma, x, task_sigma)
                out = ces.ces_output(labour, compute, 1.0, *args)
                cost = ces.unit_cost(wage, price, 1.0, *args)
                share = ces.compute_cost_share(wage, price, *args)
                demand = ces.input_demand(1.0, wage, price, 1.0, *args)
                for value in (out, cost, share, *demand):
                    assert np.isfinite(value).all()
        single = ces.ces_output(labour[:3], compute[:3], 1.0, 0.3, sigma)
        share = ces.compute_cost_share(1.0, np.array([1e-250, 1e250]), 0.3, sigma)
    if sigma <= 1.0:
        np.testing.assert_array_equal(single, [0.0, 0.0, 0.0])
    if sigma != 1.0:
        expected = [1.0, 0.0] if sigma > 1.0 else [0.0, 1.0]
        np.testing.assert_allclose(share, expected, atol=1e-100)


# --- electricity (sim/markets/energy.py) -------------------------------------------------
# Round parameters of tests/test_energy_market.py: AI compute 20 % of step-0 electricity,
# data centres 30 %, households a fifth of the rest, supply elasticity 0.5, adjustment
# 0.25, $0.10 a kWh, households' elasticity 0.5, data centres 600 TWh a year at step 0.

ELECTRICITY = ELECTRICITY_ROUND


def test_goods_price_index_by_hand():
    """Prices 1 and 4 with weights 1/2: the geometric mean 2 at elasticity 1;
    (0.5 + 0.5/4)^(-1) = 1.6 at 2; (0.5 + 0.5 x 2)^2 = 2.25 at 1/2;
    (0.5 + 0.5/16)^(-1/2) at 3."""
    prices, weights = np.array([1.0, 4.0]), np.array([0.5, 0.5])
    for elasticity, expected in [(1.0, 2.0), (2.0, 1.6), (0.5, 2.25),
                                 (3.0, 0.53125**-0.5)]:  # fmt: skip
        assert goods_price_index(prices, weights, elasticity) == pytest.approx(expected, rel=1e-14)


def test_an_uncalibrated_electricity_market_is_empty():
    """Before step 0 is calibrated there is no other demand, no capacity and no bill:
    households' budget share is 0, compute is all the demand recorded, the price does
    not move (no capacity) and the CPI basket gives electricity no weight and its
    step-0 price."""
    market = electricity()
    assert market.household_budget_share(1.0) == 0.0
    market.record(5.0, 0)
    assert market.sector.firm_demand[0] == 0.0
    assert market.sector.capacity[0] == 0.0
    market.update_price()
    assert market.price == 0.1
    report = market.reports()
    assert report["compute_electricity_share"] == 1.0
    assert report["datacentre_electricity_share"] == 1.0
    previous_price, price, previous_share, share = market.consumer_basket(
        np.array([1.0]), np.array([1.1]), np.array([1.0]), np.array([1.0])
    )
    np.testing.assert_array_equal(previous_price, [1.0, 1.0])
    np.testing.assert_array_equal(price, [1.1, 1.0])
    np.testing.assert_array_equal(previous_share, [1.0, 0.0])
    np.testing.assert_array_equal(share, [1.0, 0.0])


def test_the_cpi_basket_at_step_zero_uses_the_step_zero_price():
    """Calibrated (compute 100 kWh, households' bill 7 beside goods 28: omega_0 = 0.2),
    no price update yet: last month's electricity price index is 1 and its share 0.2."""
    market = electricity()
    market.calibrate(100.0)
    market.open_household_books(28.0)
    previous_price, _, previous_share, _ = market.consumer_basket(
        np.array([1.0]), np.array([1.0]), np.array([1.0]), np.array([1.0])
    )
    np.testing.assert_allclose(previous_price, [1.0, 1.0], rtol=1e-15)
    np.testing.assert_allclose(previous_share, [0.8, 0.2], rtol=1e-12)


def test_a_thousandth_of_the_round_market_behaves_the_same():
    """Nothing in the electricity rules is scaled to units: with compute at 0.1 kWh
    (a thousandth of tests/test_energy_market.py's market) world demand is 0.5,
    conventional data centres 0.05, other firms 0.28, households 0.07 (bill 0.007;
    with goods spending 0.028, omega_0 = 0.2); a kWh a month is 600 / 0.15 = 4000 TWh
    a year; shares are 0.2 and 0.3. Compute jumps to 0.6: demand 1.0 against capacity
    0.5, P* = 0.1 x 2^2 and the price 0.1 x 4^(1/4). Households who spend 0.035 in
    all have an electricity share 0.007 / 0.035 = 0.2."""
    market = electricity()
    market.calibrate(0.1)
    market.open_household_books(0.028)
    assert market.initial_bill_share == pytest.approx(0.2, rel=1e-12)
    assert market.twh_a_year(0.1) == pytest.approx(400.0, rel=1e-12)
    report = market.reports()
    assert report["compute_electricity_share"] == pytest.approx(0.2, rel=1e-12)
    assert report["datacentre_electricity_share"] == pytest.approx(0.3, rel=1e-12)
    market.record(0.6, 0)
    market.update_price()
    assert market.price == pytest.approx(0.1 * 4**0.25, rel=1e-12)
    market.record_household_spending(0.035)
    assert market.bill_share == pytest.approx(0.2, rel=1e-12)


def test_no_spending_gives_electricity_no_weight():
    """Households bought nothing this month: electricity's share of spending is 0."""
    market = electricity()
    market.calibrate(100.0)
    market.open_household_books(28.0)
    market.record_household_spending(0.0)
    assert market.bill_share == 0.0
    assert market.previous_bill_share == pytest.approx(0.2, rel=1e-12)


def test_the_supply_curve_stays_within_a_million_times_the_step_zero_price():
    """A month without any demand: the target is P0 / 1e6 (not 0, and no log of zero is
    taken), so the price moves a quarter of the way, to 0.1 x 1e6^(-1/4). Demand 2000
    times capacity: P* = P0 x 2000^2 is capped at P0 x 1e6, and the price becomes
    0.1 x 1e6^(1/4)."""
    market = electricity()
    market.calibrate(100.0)
    sector = market.sector
    for name in ("compute_demand", "datacentre_demand", "firm_demand", "household_demand"):
        getattr(sector, name)[0] = 0.0
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        market.update_price()
    assert market.price == pytest.approx(0.1 * 1e6**-0.25, rel=1e-12)
    market = electricity()
    market.calibrate(100.0)
    market.sector.compute_demand[0] = 1e6 - 400.0  # demand 1e6 against capacity 500
    market.update_price()
    assert market.price == pytest.approx(0.1 * 1e6**0.25, rel=1e-12)


def test_output_never_exceeds_its_largest_nest_input():
    """A CES aggregate is a weighted power mean: it lies between its smallest and its
    largest input. A large firm (1e5 efficiency units, half of them in exposed tasks:
    L_U / u = L_E / e = 1e5) without compute has exposed bundle
    X = (1 - s_I)^2 L_E / e <= 1e5, so output <= A x 1e5 whatever the task elasticity."""
    for task_sigma in (0.01, 0.5, 2.0):
        output = ces.ces_output(1e5, 0.0, 1.0, 0.3, 2.0, 0.5, task_sigma, exposed_fraction=0.5)
        assert 0.0 <= float(output) <= 1e5


def test_base_point_output_for_a_large_firm_with_nearly_leontief_tasks():
    """Normalised CES: at the base point (L = x, the step-0 split e = exposure) output
    is A L whatever the elasticities: 1e4 for L = x = 1e4, A = 1. With task elasticity
    0.01 (r = -99) the unscaled bracket 0.5 (1e4)^-99 + ... underflowed to 0 and output
    came out 0 (found by the mutation work, issue 14)."""
    output = ces.ces_output(1e4, 1e4, 1.0, 0.2, 2.0, 0.5, 0.01, exposed_fraction=0.5)
    assert float(output) == pytest.approx(1e4, rel=1e-9)


def test_output_is_homogeneous_of_degree_one_for_tiny_and_lopsided_firms():
    """The single CES (exposure 1), A = 1, AI weight s0 = 0.2, worked by hand:

    - nearly Leontief (sigma = 0.01, r = -99) at the base point L = x = 1e-4: output
      1e-4 (degree one; unscaled, (1e-4)^-99 overflows and output came out 0);
    - nearly Leontief with L = 1e4 and x = 1: labour's term 0.8 (1e4)^-99 is nothing
      beside 0.2 x 1^-99, so Y = 0.2^(-1/99) = 1.0164 (scaling by the larger input,
      (1/1e4)^-99 overflows);
    - near-perfect substitutes (sigma = 100, r = 0.99) with L = 1e10 and a speck of
      compute, x = 1e-305: Y = (0.8 L^r)^(1/r) = 0.8^(1/0.99) 1e10 (scaling by the
      smaller input, (1e10 / 1e-305)^0.99 overflows)."""
    tiny = ces.ces_output(1e-4, 1e-4, 1.0, 0.2, 0.01)
    assert float(tiny) == pytest.approx(1e-4, rel=1e-9)
    leontief = ces.ces_output(1e4, 1.0, 1.0, 0.2, 0.01)
    assert float(leontief) == pytest.approx(np.exp(-np.log(0.2) / 99.0), rel=1e-12)
    substitutes = ces.ces_output(1e10, 1e-305, 1.0, 0.2, 100.0)
    assert float(substitutes) == pytest.approx(np.exp(np.log(0.8) / 0.99) * 1e10, rel=1e-12)


# --- GPUs (sim/markets/hardware.py) -------------------------------------------------------
# Round parameters of tests/test_hardware_market.py: a GPU costs $24,000 and lives 2 years
# (depreciation 1/24 a month), 1e15 FLOPs an hour growing by e^0.12 a year (1 % a month),
# 730 hours a month, target utilisation 0.8, scarcity elasticity 2, supply elasticity 0.5,
# price adjustment 0.5, production headroom 0.25, expected demand growth e^0.12 a year.

HARDWARE = HARDWARE_ROUND
GPU_DELTA = HARDWARE_DELTA


def gpu_providers(capacity, demanded=None, expected=None, active=None) -> Providers:
    n = len(capacity)
    active = [True] * n if active is None else active
    providers = Providers(np.ones(n), np.zeros(n), sum(active), 3)
    providers.active = np.array(active)
    providers.capacity = np.array(capacity, dtype=float)
    if demanded is not None:
        providers.flops_demanded = np.array(demanded, dtype=float)
    if expected is not None:
        providers.expected_flops = np.array(expected, dtype=float)
    providers.flops_growth = np.zeros(n)
    return providers


def test_step_zero_pipeline_and_production_with_a_three_month_lead_time():
    """Demand 8e17 and 1.6e18 FLOPs a month at utilisation 0.8: capacity 1e18 and 2e18.
    Demand grows 1 % a month, so the order placed a months before arrival is
    K (e^(0.01 a)(1 - e^-0.01) + 1/24); the latest (a = 3) totals 3e18 times that, i.e.
    3e18 (...) / (1e15 x 730) GPUs at step-0 performance, and production capacity is
    1.25 times the latest month's orders."""
    gpu = gpu_market(**{"hardware.lead_time": 3})
    providers = gpu_providers([0.0, 0.0, 0.0], demanded=[8e17, 1.6e18, 0.0],
                              active=[True, True, False])  # fmt: skip
    gpu.calibrate(providers)
    step_up = [math.exp(0.01 * a) * (1 - math.exp(-0.01)) + GPU_DELTA for a in (1, 2, 3)]
    np.testing.assert_allclose(gpu.pipeline[1], [2e18 * s for s in step_up], rtol=1e-12)
    orders = 3e18 * step_up[2] / (1e15 * 730)
    assert gpu.sector.orders[0] == pytest.approx(orders, rel=1e-12)
    assert gpu.initial_production == pytest.approx(1.25 * orders, rel=1e-12)
    assert gpu.sector.production_capacity[0] == pytest.approx(1.25 * orders, rel=1e-12)


def test_an_uncalibrated_gpu_market_has_no_production_and_a_steady_price():
    """No orders and no production capacity (0 / 0): the hardware price stays at 1 and
    production capacity stays 0, without a floating-point warning. Orders against no
    capacity at all: the pressure is infinite and the target is capped at 1e6, so the
    price moves half way in logs, to 1e3."""
    gpu = gpu_market()
    providers = gpu_providers([0.0, 0.0, 0.0], expected=[0.0, 0.0, 0.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        gpu.open_month(providers, 1)
    assert gpu.sector.price_index[0] == 1.0
    assert gpu.sector.production_capacity[0] == 0.0
    gpu.sector.orders[0] = 5.0
    gpu.open_month(providers, 2)
    assert gpu.sector.price_index[0] == pytest.approx(1e3, rel=1e-12)


def test_without_a_lead_time_the_step_zero_pipeline_is_not_capacity_or_on_order():
    """Lead time 0: calibration fills the (one-column) pipeline with step-0 orders for
    the record, but orders are capacity at once, so next month capacity only
    depreciates (1e18 x 23/24) and nothing counts as on order: provider 0 with demand
    and expected demand 8e17, no growth, wants 8e17 / 0.8 = 1e18 and orders
    1e18 - 1e18 x (23/24)^2."""
    gpu = gpu_market(2, **{"hardware.lead_time": 0})
    providers = gpu_providers([0.0, 0.0], demanded=[8e17, 0.0], active=[True, False])
    gpu.calibrate(providers)
    providers.flops_growth[:] = 0.0
    gpu.open_month(providers, 1)
    assert providers.capacity[0] == pytest.approx(1e18 * (1 - GPU_DELTA), rel=1e-12)
    order = gpu.plan_orders(providers, 1)
    expected = 1e18 - 1e18 * (1 - GPU_DELTA) ** 2
    np.testing.assert_allclose(order, [expected, 0.0], rtol=1e-9)


def test_orders_net_out_each_providers_own_pipeline():
    """Small numbers, no growth (demand = expected demand): wanted 80 / 0.8 = 100 and
    160 / 0.8 = 200; next month's capacity 48 x 23/24 = 46 and 96 x 23/24 = 92. With a
    one-month lead time 10 and 20 are on order: orders 44 and 88; with no lead time
    nothing is: 54 and 108."""
    for lead, on_order, expected in ((1, [[10.0], [20.0]], [44.0, 88.0]),
                                     (0, [[0.0], [0.0]], [54.0, 108.0])):  # fmt: skip
        gpu = gpu_market(2, **{"hardware.lead_time": lead})
        gpu.pipeline[:] = on_order
        providers = gpu_providers([48.0, 96.0], demanded=[80.0, 160.0], expected=[80.0, 160.0])
        np.testing.assert_allclose(gpu.plan_orders(providers, 1), expected, rtol=1e-12)


def test_an_order_with_a_one_month_lead_time_waits_in_the_pipeline():
    gpu = gpu_market(2, **{"hardware.lead_time": 1})
    providers = gpu_providers([10.0, 20.0])
    gpu.place_orders(np.array([5.0, 7.0]), providers, 0)
    np.testing.assert_array_equal(providers.capacity, [10.0, 20.0])
    np.testing.assert_array_equal(gpu.pipeline, [[5.0], [7.0]])
    gpu.open_month(providers, 1)
    np.testing.assert_allclose(providers.capacity, [15 * (1 - GPU_DELTA), 27 * (1 - GPU_DELTA)])


def test_providers_without_demand_or_expectations_raise_no_warning():
    """Demand without expectations, expectations without demand, neither: the growth
    estimate is 0 for all three and capacity serves all of a zero demand; small
    demands (0.5 FLOPs against capacity 0.25) are rationed like large ones."""
    gpu = gpu_market(4)
    providers = gpu_providers(
        [1.0, 1.0, 0.0, 0.25], demanded=[2.0, 0.0, 0.0, 0.5], expected=[0.0, 3.0, 0.0, 0.5]
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ratio = gpu.capacity_ratio(providers)
        gpu.plan_orders(providers, 1)
    np.testing.assert_allclose(ratio, [0.5, 1.0, 1.0, 0.5])
    np.testing.assert_array_equal(providers.flops_growth, [0.0, 0.0, 0.0, 0.0])


def test_scarcity_with_small_capacity():
    """Nothing is scaled to FLOP units: capacity 0.5 + 0.5 depreciates to 23/24, planned
    use is 0.8 x 23/24 and expected demand 1.6, so the scarcity factor moves half way in
    logs to (1.6 / (0.8 x 23/24))^2, i.e. to the ratio itself."""
    gpu = gpu_market(2, **{"hardware.lead_time": 0})
    providers = gpu_providers([0.5, 0.5], expected=[0.8, 0.8])
    gpu.open_month(providers, 1)
    assert gpu.scarcity == pytest.approx(1.6 / (0.8 * (1 - GPU_DELTA)), rel=1e-12)


# --- the compute market (sim/markets/compute.py) ------------------------------------------
# Round parameters of tests/test_provider_rules.py: beta = 4, eta = 1.5, average step-0
# revenue 100, training F = 0.1 x 100 = 10 a month, entry cost 10 months of current revenue,
# horizon 20 months, exit after 6 months; a GPU costs $1 and does 1e15 FLOPs an hour.

PROVIDERS = {
    **PROVIDER_ROUND,
    "compute.entry_cost": 10.0,
    "hardware.kwh_per_gpu_hour": 1.0,
    "energy.electricity_price": 0.1,
}


def compute_market(reference_revenue: float = 100.0, **overrides) -> ComputeMarket:
    scenario = build_scenario(overrides={**PROVIDERS, **overrides}, source="test")
    market = ComputeMarket(scenario, np.array([0]))
    market.reference_revenue = reference_revenue
    return market


def providers_in(
    market: ComputeMarket,
    n_active: int = 2,
    revenue=(400.0, 200.0, 0.0, 0.0),
    entrant_share: float | None = None,
) -> Providers:
    """Four slots, the first ``n_active`` in the market, no GPUs, two years old, with
    a positive profit trend, all of cost factor 1 and quality 0 and posting the price of
    a provider at a share of ``entrant_share`` (``1 / (n_active + 1)`` unless given): an
    entrant (cost factor 1, quality 0) facing that many rivals expects exactly that
    share."""
    providers = Providers(np.ones(4), np.zeros(4), n_active, 3)
    if not market.flops_per_token0.any():
        market.flops_per_token0 = np.array([1e12] * 3)
    share = 1.0 / (n_active + 1) if entrant_share is None else entrant_share
    markup = market._markups(np.array([share]))[0]
    price = market.industry_unit_costs(0) * (1.0 + markup)
    providers.prices = np.outer(providers.active, price)
    providers.capacity = np.zeros(4)
    providers.revenue = np.array(revenue, dtype=float)
    providers.age = np.where(providers.active, 24.0, 0.0)
    providers.profit_trend = np.where(providers.active, 5.0, 0.0)
    return providers


def test_step_zero_shares_from_integer_leaders_and_without_others():
    """Leaders 3 and 1 (integers) for two providers: renormalised to 3/4 and 1/4.
    Three providers and three leaders 0.5, 0.2, 0.1: nobody shares a remainder (no
    division by the zero number of others), renormalised to 0.625, 0.25, 0.125."""
    np.testing.assert_allclose(target_shares(2, [3, 1, 0]), [0.75, 0.25], rtol=1e-15)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        shares = target_shares(3, [0.5, 0.2, 0.1])
    np.testing.assert_allclose(shares, [0.625, 0.25, 0.125], rtol=1e-15)


def test_a_fresh_compute_market_has_no_books_yet():
    """Before step 0: no reference revenue (training costs nothing), no entries or exits,
    no FLOPs per token."""
    scenario = build_scenario(overrides=PROVIDERS, source="test")
    market = ComputeMarket(scenario, np.array([0]))
    assert market.training_cost() == 0.0
    assert market.entries == 0 and market.exits == 0
    np.testing.assert_array_equal(market.flops_per_token(0), [0.0, 0.0, 0.0])


def test_tokens_per_task_grow_at_their_annual_rate_and_price_a_task():
    """A tier's tokens per task grow by its annual factor g_k: g_k after 12 months,
    g_k^(1/2) after 6. A task of the cheapest tier costs its posted price per M tokens
    times tokens per task (at month 12: tokens_per_task x g_k) / 1e6. Basic tasks take 4
    times the tokens a year on, frontier ones a quarter."""
    growing = {"compute.tiers.basic.tokens_per_task_growth": 4.0,
               "compute.tiers.frontier.tokens_per_task_growth": 0.25}  # fmt: skip
    market = compute_market(**growing)
    market.flops_per_token0 = np.array([1e12, 2e12, 3e12])
    tiers = build_scenario(overrides={**PROVIDERS, **growing}, source="test").compute.tiers
    tiers = [tiers[name] for name in market.tier_names]
    growth = np.array([tier.tokens_per_task_growth for tier in tiers])
    per_task = np.array([tier.tokens_per_task for tier in tiers])
    np.testing.assert_allclose(growth, [4.0, 1.0, 0.25])
    np.testing.assert_allclose(market.task_ratio(12), growth, rtol=1e-12)
    np.testing.assert_allclose(market.task_ratio(6), np.sqrt(growth), rtol=1e-12)
    providers = Providers(np.ones(2), np.zeros(2), 2, 3)
    providers.prices = np.array([[2.0, 30.0, 70.0], [1.5, 40.0, 80.0]])
    report = market.reports(providers, 12)
    for k, tier in enumerate(market.tier_names):
        lowest = [1.5, 30.0, 70.0][k]
        expected = lowest * per_task[k] * growth[k] / 1e6
        assert report[f"task_price_{tier}"] == pytest.approx(expected, rel=1e-12)


def test_algorithmic_progress_without_a_slowdown_or_with_a_one_year_half_life():
    """Half-life 0: no slowdown, 5 years of progress after 5 years. Half-life 1 year
    from year 3: 3 + (1 / ln 2)(1 - 2^-2) after 5 years."""
    market = compute_market(**{"compute.slowdown_start": 3.0, "compute.algorithmic_halflife": 0.0})
    assert market.algorithmic_years(60) == 5.0
    market = compute_market(**{"compute.slowdown_start": 3.0, "compute.algorithmic_halflife": 1.0})
    expected = 3.0 + 1.0 / math.log(2.0) * (1.0 - 2.0**-2)
    assert market.algorithmic_years(60) == pytest.approx(expected, rel=1e-12)


def test_step_zero_qualities_give_the_leader_shares_at_marginal_cost_prices():
    """Competitive pricing (no markups), no cost dispersion: every provider has the same
    cost and price, so its quality alone carries its share, xi_p = ln(s_p / s_0): shares
    3/4 and 1/4 give xi_1 = ln(1/3); shares 0.95 and 0.05 give ln(1/19), with no cap."""
    common = {"compute.pricing": "competitive", "compute.provider_cost_dispersion": 0.0,
              "compute.price_sensitivity": 0.5}  # fmt: skip
    market = compute_market(**common, **{"compute.leader_share_1": 0.6,
                                         "compute.leader_share_2": 0.2})  # fmt: skip
    providers = market.create_providers(np.random.default_rng(0))
    np.testing.assert_allclose(providers.cost_factor[:2], [1.0, 1.0], rtol=1e-12)
    np.testing.assert_allclose(providers.quality[:2], [0.0, math.log(1 / 3)], atol=1e-12)
    market = compute_market(**common, **{"compute.leader_share_1": 0.95,
                                         "compute.leader_share_2": 0.05})  # fmt: skip
    providers = market.create_providers(np.random.default_rng(0))
    np.testing.assert_allclose(providers.quality[:2], [0.0, math.log(1 / 19)], atol=1e-12)
    assert market.entrant_quality == pytest.approx(math.log(1 / 19), rel=1e-12)


def test_step_zero_cost_draws_are_lognormal_and_quality_offsets_them():
    """Dispersion 0.3: provider p's cost is exp(z_p) times a common factor, z_p ~ N(0,
    0.3^2) drawn from the generator (one draw per provider); with shares 3/4 and 1/4,
    beta = 1/2 and no markups, the quality gap is ln(q_1 / q_0) + beta ln(c_1 / c_0),
    q_p ~ s_p / c_p: ln(1/3) + (beta - 1)(z_1 - z_0). An entrant's quality is 0.7 above the
    lower one (``entrant_quality``)."""
    market = compute_market(**{
        "compute.pricing": "competitive", "compute.price_sensitivity": 0.5,
        "compute.provider_cost_dispersion": 0.3, "compute.leader_share_1": 0.6,
        "compute.leader_share_2": 0.2, "compute.entrant_quality": 0.7,
    })  # fmt: skip
    providers = market.create_providers(np.random.default_rng(7))
    z = np.random.default_rng(7).normal(0.0, 0.3, 2)
    ratio = providers.cost_factor[1] / providers.cost_factor[0]
    assert ratio == pytest.approx(math.exp(z[1] - z[0]), rel=1e-12)
    gap = providers.quality[1] - providers.quality[0]
    assert gap == pytest.approx(math.log(1 / 3) - 0.5 * (z[1] - z[0]), rel=1e-12)
    lowest = providers.quality[:2].min()
    assert market.entrant_quality == pytest.approx(lowest + 0.7, rel=1e-12)


def test_step_zero_learning_stock_of_fractional_token_volumes():
    """Firms buy 0.1, 0.2, 0.3, 0.4 M tokens from providers 0, 1, 2, 0: volumes 0.5, 0.2
    and 0.3, learning stocks 12 months of them (6, 2.4, 3.6), an empty slot the mean 4."""
    market = compute_market(**{"population.providers": 3})
    providers = market.create_providers(np.random.default_rng(3))
    mix = np.zeros((4, 4))
    mix[np.arange(4), [0, 1, 2, 0]] = 1.0
    market.open_books(np.array([0.1, 0.2, 0.3, 0.4]), np.zeros(4, dtype=int), mix, providers)
    np.testing.assert_allclose(market.learning_stock, [6.0, 2.4, 3.6, 4.0], rtol=1e-12)


def test_choice_probabilities_survive_extreme_price_levels():
    """beta = 100 (the schema's largest): offers 1e-3 and 1.001e-3 for sector 0's tier and
    1e4 and 1.001e4 for sector 1's both give Pr(provider 1) = 1.001^-100 / (1 +
    1.001^-100) = 0.4753 (utilities are taken relative to each sector's best, so nothing
    overflows or underflows)."""
    scenario = build_scenario(
        overrides={**PROVIDERS, "compute.price_sensitivity": 100.0}, source="test"
    )
    market = ComputeMarket(scenario, np.array([0, 1]))
    providers = Providers(np.ones(4), np.zeros(4), 2, 3)
    providers.prices = np.array([[1e-3, 1e4, 1e9], [1.001e-3, 1.001e4, 1e9], [0.0] * 3, [0.0] * 3])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        tier = market.sector_tiers(providers)
        probability = market.choice_probabilities(providers, tier)
    np.testing.assert_array_equal(tier, [0, 1])
    p = 1.001**-100 / (1 + 1.001**-100)
    np.testing.assert_allclose(probability[:, 1], [p, p], rtol=1e-12)
    np.testing.assert_array_equal(probability[:, 2:], 0.0)


def test_shares_follow_small_revenues_and_stay_when_nothing_is_sold():
    """Bills of 0.3 and 0.1 dollars: shares 3/4 and 1/4. A month without any sales
    leaves last month's shares (no division by zero)."""
    market = compute_market()
    market.flops_per_token0 = np.array([1e12] * 3)
    providers = providers_in(market)
    tier = np.zeros(2, dtype=int)
    single_homing(market, [1.0, 1.0], [0.3, 0.1], [0, 1])
    market._record_sales(tier, providers, 1)
    np.testing.assert_allclose(providers.share, [0.75, 0.25, 0.0, 0.0], rtol=1e-12)
    single_homing(market, [1.0, 1.0], [0.0, 0.0], [0, 1])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        market._record_sales(tier, providers, 2)
    np.testing.assert_allclose(providers.share, [0.75, 0.25, 0.0, 0.0], rtol=1e-12)


def settle_month(market, providers, households, tokens=(5.0, 5.0)):
    market.flops_per_token0 = np.array([1e12] * 3)
    providers.cost_factor[:] = 1.0
    single_homing(market, tokens, [700.0, 900.0], [0, 1])
    market.settle(np.zeros(2, dtype=int), providers, np.zeros(1), households,
                  np.array([0.5, 0.5]), 0)  # fmt: skip


def test_a_provider_exactly_able_to_pay_is_solvent():
    """Capacity not binding. 5 M tokens of 1e12 FLOPs each: 5e18 FLOPs, 5,000 kWh at
    $0.1 = 500 dollars of electricity, plus training 10: running costs 510. Provider 1
    holds 510 (to 1e-13) and needs no GPUs (capacity 5e18 / 0.8): it pays and stays
    solvent."""
    market = compute_market(**{"hardware.capacity_binding": False})
    providers = providers_in(market)
    providers.capacity = np.array([6.25e18, 6.25e18, 0.0, 0.0])
    providers.cash = np.array([1e6, 510.0 * (1 + 1e-13), 0.0, 0.0])
    settle_month(market, providers, np.zeros(2))
    assert not market.insolvent.any()
    assert providers.cash[1] == pytest.approx(0.0, abs=1e-9)


def test_an_order_worth_under_a_dollar_is_cut_to_the_cash_left():
    """Provider 0 wants 0.25e18 FLOPs a month more capacity (5e18 / 0.8 against 6e18),
    worth 0.25e18 / (1e15 x 730) = 0.342 dollars, and keeps 0.2 after its running costs
    of 510: it buys 0.2 dollars of GPUs."""
    market = compute_market(**{"hardware.capacity_binding": False})
    providers = providers_in(market)
    providers.capacity = np.array([6e18, 6.25e18, 0.0, 0.0])
    providers.cash = np.array([510.2, 1e6, 0.0, 0.0])
    settle_month(market, providers, np.zeros(2))
    assert providers.investment[0] == pytest.approx(0.2, rel=1e-9)


def test_small_running_costs_and_small_shortfalls():
    """No training cost. Provider 0 sells 0.001 M tokens: 1e15 FLOPs, 1 kWh, 0.1 dollars
    of electricity, holds 0.05 and has no owners' money to call on: it is insolvent.
    Provider 1 runs 500 dollars of electricity and holds 499.5: its owners (100 each,
    equity 1/2) put in the missing 0.5 and it stays solvent."""
    market = compute_market(**{"hardware.capacity_binding": False, "compute.training_cost": 0.0})
    providers = providers_in(market)
    providers.capacity = np.array([1.25e15, 6.25e18, 0.0, 0.0])
    providers.cash = np.array([0.05, 1e6, 0.0, 0.0])
    settle_month(market, providers, np.zeros(2), tokens=(0.001, 5.0))
    np.testing.assert_array_equal(market.insolvent, [True, False, False, False])
    providers = providers_in(market)
    providers.capacity = np.array([1.25e15, 6.25e18, 0.0, 0.0])
    providers.cash = np.array([1e6, 499.5, 0.0, 0.0])
    households = np.array([100.0, 100.0])
    settle_month(market, providers, households, tokens=(0.001, 5.0))
    assert not market.insolvent.any()
    assert households.sum() == pytest.approx(200.0 - 0.5, rel=1e-9)


def test_a_zero_or_small_profit_trend_is_not_a_loss():
    """Exit needs a negative smoothed profit: trends 0 and 0.5 after two years stay."""
    market = compute_market()
    providers = providers_in(market)
    providers.profit_trend[:2] = [0.0, 0.5]
    market.entry_and_exit(providers, np.zeros(2), np.array([0.5, 0.5]), np.zeros(1), 0)
    assert market.exits == 0 and providers.active[:2].all()


def test_when_the_last_provider_cannot_exit_an_entrant_may_still_come():
    """Both providers lose money; provider 0 exits, provider 1 is the last and stays.
    Entry is still weighed: one rival, entrant share 1/2, eps = 4 x 1/2 + 1.5 x 1/2 =
    2.75, mu = 1/1.75, margin mu / (1 + mu) = 4/11; revenue 600: 600 / 2 x 4/11 - 10 =
    99.1 a month, 1,982 over 20 months > the entry cost 3 x 600 / 1 = 1,800. Owners
    (1,000 each) pay 1,800 + 10."""
    market = compute_market(**{"compute.entry_cost": 3.0})
    providers = providers_in(market, entrant_share=0.5)  # one rival once one exits
    providers.profit_trend[:2] = -1.0
    households = np.array([1000.0, 1000.0])
    market.entry_and_exit(providers, households, np.array([0.5, 0.5]), np.zeros(1), 0)
    assert market.exits == 1 and market.entries == 1
    np.testing.assert_array_equal(providers.active, [True, True, False, False])
    assert households.sum() == pytest.approx(2000.0 - 1810.0, rel=1e-12)


def test_entry_into_the_last_free_slot_and_none_when_every_slot_is_taken():
    """Three of four slots taken, revenue 1,000: entrant share 1/4, eps = 4 x 3/4 + 1.5
    x 1/4 = 3.375, margin (1/2.375)/(1 + 1/2.375) = 8/27; 1,000 / 4 x 8/27 - 10 = 64.1
    a month, 1,281 over the horizon > the entry cost 3 x 1,000 / 3 = 1,000: the entrant
    takes slot 3. With all four taken nobody enters and nobody pays."""
    market = compute_market(**{"compute.entry_cost": 3.0})
    providers = providers_in(market, 3, revenue=(400.0, 300.0, 300.0, 0.0))
    market.entry_and_exit(providers, np.full(2, 1000.0), np.array([0.5, 0.5]), np.zeros(1), 0)
    assert market.entries == 1 and providers.active.all()
    providers = providers_in(market, 4, revenue=(400.0, 300.0, 300.0, 0.0))
    households = np.full(2, 1000.0)
    market.entry_and_exit(providers, households, np.array([0.5, 0.5]), np.zeros(1), 0)
    assert market.entries == 0
    np.testing.assert_array_equal(households, [1000.0, 1000.0])


def test_entry_needs_a_positive_reference_revenue():
    """No reference revenue (no step-0 books): no entry, although the numbers below would
    admit one. A reference revenue of 0.5: F = 0.1 x 0.5 = 0.05; two in the market,
    entrant share 1/3, eps = 4 x 2/3 + 1.5 x 1/3 = 19/6, mu = 6/13, margin 6/19;
    600 / 3 x 6/19 - 0.05 = 63.1 a month, 1,263 over 20 months > the entry cost
    3 x 600 / 2 = 900: an entrant."""
    market = compute_market(reference_revenue=0.0, **{"compute.entry_cost": 3.0})
    providers = providers_in(market)
    market.entry_and_exit(providers, np.full(2, 1000.0), np.array([0.5, 0.5]), np.zeros(1), 0)
    assert market.entries == 0
    market = compute_market(reference_revenue=0.5, **{"compute.entry_cost": 3.0})
    market.flops_per_token0 = np.array([1e12] * 3)
    market.entry_and_exit(providers, np.full(2, 1000.0), np.array([0.5, 0.5]), np.zeros(1), 0)
    assert market.entries == 1


def test_no_entry_on_zero_expected_profit():
    """Marginal-cost pricing, no training and no entry cost: an entrant expects exactly
    0 = the entry cost; it does not enter for nothing."""
    market = compute_market(**{"compute.pricing": "competitive", "compute.training_cost": 0.0,
                               "compute.entry_cost": 0.0})  # fmt: skip
    providers = providers_in(market)
    market.entry_and_exit(providers, np.full(2, 1000.0), np.array([0.5, 0.5]), np.zeros(1), 0)
    assert market.entries == 0


def test_owners_who_can_just_pay_fund_the_entrant():
    """Capacity not binding: the entrant needs E + F = 1 x 600 / 2 + 10 = 310 (it would
    earn 1,263 over the horizon, as above) and its one owner holds 310 (1 - 1e-9), the
    least the rule accepts: it enters."""
    market = compute_market(**{"hardware.capacity_binding": False, "compute.entry_cost": 1.0})
    providers = providers_in(market)
    households = np.array([310.0 * (1 - 1e-9)])
    market.entry_and_exit(providers, households, np.array([1.0]), np.zeros(1), 0)
    assert market.entries == 1


def test_report_names_cover_the_report_and_small_revenues_rank():
    """The report has exactly the names report_names declares (three leader shares), and
    revenues of 0.3 and 0.1 dollars rank as shares 3/4 and 1/4."""
    market = compute_market()
    market.flops_per_token0 = np.array([1e12] * 3)
    providers = providers_in(market, revenue=(0.3, 0.1, 0.0, 0.0))
    report = market.reports(providers, 0)
    report.update({"supplier_input_purchases": 0.0, "supply_chain_employment": 0.0})
    assert set(report) <= set(report_names(["care"], market.tier_names))
    shares = [report[f"provider_share_{rank}"] for rank in (1, 2, 3)]
    np.testing.assert_allclose(shares, [0.75, 0.25, 0.0], rtol=1e-12)


def test_exposed_labour_fraction_when_ai_takes_the_whole_cost():
    """sigma = 0.5 (complements) at a compute price 1e250 times the wage: AI's share
    inside the bundle and the bundle's share of cost both round to 1, so the formula is
    0/0; the limit along S_I -> 1 is 0 (labour works only unexposed tasks), with no
    warning. A firm that is not nested keeps 1."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fraction = ces.exposed_labour_fraction(
            [1.0, 1.0], [1e250, 1e250], 0.2, 0.5, [0.5, 1.0], 0.5
        )
    np.testing.assert_array_equal(fraction, [0.0, 1.0])
