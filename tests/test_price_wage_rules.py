"""Firms' and households' adaptive rules on hand-built states with fixed random draws:
prices, wages, expectations, production plans and spending plans. Every expected
number is worked out here from the rule's equation, not with the model's helpers.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from sim.agents.firms import Firms
from sim.agents.households import Households
from tests.fixed_draws import FixedDraws


def firms_of(n: int) -> Firms:
    return Firms(np.zeros(n, dtype=int), 1)


# --------------------------------------------------------------------- prices


def test_price_rule_with_a_fixed_draw():
    """Draw u = 0.4, h = 0.1, sector average price 2.0; the rule moves the markup and
    the price is unit cost x (1 + markup). Firm 0 (stocked out, priced 1.8 below the
    average) raises its markup 0.5 by 4 % to 0.52: price 1.0 x 1.52. Firm 1 (unsold,
    priced 2.2 above the average) cuts it to 0.48: price 1.48. Firm 2 stocked out but
    is already dearer than the average: no rise, markup 0.5, price 1.5 (its cost fell
    from where its old price 2.2 was set, and the price follows). Firm 3 has unsold
    stock but is cheaper than the average: no cut; its cost 1.2 gives 1.8. Firm 4 had
    neither signal: markup 0.2 on cost 2.0, price 2.4."""
    firms = firms_of(5)
    firms.price = np.array([1.8, 2.2, 2.2, 1.8, 2.0])
    firms.markup = np.array([0.5, 0.5, 0.5, 0.5, 0.2])
    firms.unit_cost = np.array([1.0, 1.0, 1.0, 1.2, 2.0])
    firms.stocked_out = np.array([True, False, True, False, False])
    firms.unsold = np.array([False, True, False, True, False])
    firms.set_prices(FixedDraws(0.4), 0.1, np.array([2.0]))
    np.testing.assert_allclose(firms.markup, [0.52, 0.48, 0.5, 0.5, 0.2], rtol=1e-12)
    np.testing.assert_allclose(firms.price, [1.52, 1.48, 1.5, 1.8, 2.4], rtol=1e-12)


def test_a_firm_dearer_than_its_sector_never_raises_its_markup():
    """Stocked out at or above the sector's average price: the markup stays, even
    with the largest draw."""
    firms = firms_of(2)
    firms.price = np.array([2.0, 3.0])
    firms.markup = np.array([0.3, 0.3])
    firms.unit_cost = np.array([1.0, 1.0])
    firms.stocked_out = np.ones(2, dtype=bool)
    firms.set_prices(FixedDraws(0.999), 0.1, np.array([2.0]))
    np.testing.assert_allclose(firms.markup, 0.3, rtol=0)


def test_markup_changes_are_uniform_on_zero_to_h():
    """With the model's generator, the relative markup changes of 40,000 stocked-out
    firms priced below their sector's average are U(0, h): mean h/2 and largest below
    h. The mean of n uniforms has standard error h / sqrt(12 n) = 1.4e-4 h; the test
    allows 5 standard errors."""
    n, h = 40_000, 0.08
    firms = firms_of(n)
    firms.price = np.full(n, 3.0)
    firms.markup = np.full(n, 1.0)
    firms.unit_cost = np.full(n, 1.5)
    firms.stocked_out = np.ones(n, dtype=bool)
    firms.set_prices(np.random.default_rng(11), h, np.array([4.0]))
    change = firms.markup - 1.0
    assert change.min() >= 0.0 and change.max() <= h
    assert change.mean() == pytest.approx(h / 2, abs=5 * h / np.sqrt(12 * n))
    np.testing.assert_allclose(firms.price, 1.5 * (1.0 + firms.markup), rtol=1e-12)


def test_cost_plus_price():
    firms = firms_of(2)
    firms.unit_cost = np.array([0.8, 2.0])
    firms.markup = np.full(2, 0.25)
    firms.set_cost_plus_prices()
    np.testing.assert_allclose(firms.price, [1.0, 2.5], rtol=1e-12)


# --------------------------------------------------------------------- wages


def test_wage_rule_with_a_fixed_draw():
    """Draw u = 0.5, rise 0.06, cut 0.02: unfilled vacancies raise the wage by 3 %,
    layoffs cut it by 1 %, both at once count as unfilled, neither keeps it; the floor
    of 1.99 lifts the last firm's cut wage 1.98 to 1.99."""
    firms = firms_of(5)
    firms.wage = np.array([2.0, 2.0, 2.0, 2.0, 2.0])
    firms.unfilled = np.array([True, False, True, False, False])
    firms.laid_off = np.array([False, True, True, False, True])
    firms.oversight_wage = np.full(5, 3.0)
    firms.oversight_unfilled = np.ones(5, dtype=bool)
    firms.update_wages(FixedDraws(0.5), 0.06, 0.02, floor=0.0)
    np.testing.assert_allclose(firms.wage, [2.06, 1.98, 2.06, 2.0, 1.98], rtol=1e-12)
    # Without oversight work the oversight wage stays put.
    np.testing.assert_allclose(firms.oversight_wage, 3.0, rtol=0)
    firms.update_wages(FixedDraws(0.5), 0.06, 0.02, floor=1.99)
    assert firms.wage[4] == pytest.approx(1.99, rel=1e-12)
    assert firms.wage[1] == pytest.approx(1.99, rel=1e-12)


def test_oversight_wage_follows_its_own_vacancies_and_layoffs():
    firms = firms_of(3)
    firms.wage = np.full(3, 1.0)
    firms.oversight_wage = np.array([4.0, 4.0, 4.0])
    firms.oversight_unfilled = np.array([True, False, False])
    firms.oversight_laid_off = np.array([False, True, False])
    firms.update_wages(FixedDraws(0.25), 0.04, 0.08, floor=0.0, oversight=True)
    np.testing.assert_allclose(firms.oversight_wage, [4.04, 3.92, 4.0], rtol=1e-12)
    np.testing.assert_allclose(firms.wage, 1.0, rtol=0)


# --------------------------------------------------------------------- expectations


def test_expectations_adapt_within_the_cap_and_stock_depreciates():
    """lambda = 0.5, cap 10 %, depreciation 2 %. Firm 0 was asked for 130 against an
    expected 100 and sold 90 (the goods market flagged it stocked out): D_e moves half
    way, to 115, capped at 110. Firm 1 was asked for 96, sold 96 of an expected 100
    (unsold): 98. Firm 2 met its expectation exactly: neither flag, D_e stays 50."""
    firms = firms_of(3)
    firms.expected_demand = np.array([100.0, 100.0, 50.0])
    firms.demand = np.array([130.0, 96.0, 50.0])
    firms.sales = np.array([90.0, 96.0, 50.0])
    firms.stocked_out = np.array([True, False, False])
    firms.inventory = np.array([10.0, 20.0, 0.0])
    firms.update_expectations(0.5, 0.1, 0.02, 0.5)
    np.testing.assert_array_equal(firms.stocked_out, [True, False, False])
    np.testing.assert_array_equal(firms.unsold, [False, True, False])
    np.testing.assert_allclose(firms.expected_demand, [110.0, 98.0, 50.0], rtol=1e-12)
    np.testing.assert_allclose(firms.inventory, [9.8, 19.6, 0.0], rtol=1e-12)


def test_a_firm_with_no_demand_and_no_sales_is_neither_stocked_out_nor_unsold():
    firms = firms_of(1)
    firms.expected_demand = firms.demand = firms.sales = np.zeros(1)
    firms.update_expectations(0.5, 0.1, 0.0, 0.5)
    assert not firms.stocked_out[0] and not firms.unsold[0]


def test_expectations_fall_at_most_by_the_cap():
    firms = firms_of(1)
    firms.expected_demand = np.array([100.0])
    firms.demand = firms.sales = np.array([0.0])
    firms.update_expectations(0.9, 0.25, 0.0, 0.9)
    assert firms.expected_demand[0] == pytest.approx(75.0, rel=1e-12)


# --------------------------------------------------------------------- production plan


def test_cobb_douglas_plan_by_hand():
    """sigma = 1, s0 = 0.25, A = 2, w = 1.5, compute price q = 0.5 (plus oversight
    0.1 units at an oversight wage of 2, so q_AI = 0.7). Unit cost
    c = (w / 0.75)^0.75 (q_AI / 0.25)^0.25 / A. Expected demand 100, inventory target
    0.2, stock 20: desired output 100 x 1.2 - 20 = 100. A firm with ample cash plans
    all of it with labour Y c 0.75 / w and compute Y c 0.25 / q_AI; a firm with cash
    for 40 % of the cost plans 40 % of the output."""
    q_ai = 0.5 + 2.0 * 0.1
    cost = (1.5 / 0.75) ** 0.75 * (q_ai / 0.25) ** 0.25 / 2.0
    firms = firms_of(2)
    firms.wage = np.full(2, 1.5)
    firms.oversight_wage = np.full(2, 2.0)
    firms.expected_demand = np.full(2, 100.0)
    firms.inventory = np.full(2, 20.0)
    firms.cash = np.array([1e9, 0.4 * 100.0 * cost])
    firms.plan(0.2, np.array([2.0]), np.array([0.25]), np.array([1.0]), np.full(2, 0.5),
               np.full(2, 0.1))  # fmt: skip
    np.testing.assert_allclose(firms.unit_cost, cost, rtol=1e-12)
    np.testing.assert_allclose(firms.planned_output, [100.0, 40.0], rtol=1e-12)
    output = np.array([100.0, 40.0])
    np.testing.assert_allclose(firms.labour_target, output * cost * 0.75 / 1.5, rtol=1e-12)
    np.testing.assert_allclose(firms.compute, output * cost * 0.25 / q_ai, rtol=1e-12)
    np.testing.assert_allclose(firms.oversight_target, 0.1 * firms.compute, rtol=1e-12)


def test_plan_with_stock_above_target_or_no_cash_is_zero():
    firms = firms_of(2)
    firms.wage = firms.oversight_wage = np.ones(2)
    firms.expected_demand = np.full(2, 10.0)
    firms.inventory = np.array([50.0, 0.0])
    firms.cash = np.array([100.0, -5.0])
    firms.plan(0.5, np.array([1.0]), np.array([0.3]), np.array([2.0]), np.ones(2), np.zeros(2))
    np.testing.assert_array_equal(firms.planned_output, [0.0, 0.0])
    np.testing.assert_array_equal(firms.labour_target, [0.0, 0.0])


def test_payroll_is_wages_times_staff_in_both_jobs():
    firms = firms_of(2)
    firms.wage, firms.labour = np.array([2.0, 3.0]), np.array([10.0, 1.0])
    firms.oversight_wage, firms.oversight = np.array([5.0, 1.0]), np.array([1.0, 4.0])
    np.testing.assert_allclose(firms.payroll, [25.0, 7.0], rtol=1e-12)


# --------------------------------------------------------------------- households


def test_spending_plan_by_the_buffer_stock_rule():
    """lambda = 0.25, target 3 months, spend 10 % of the excess. Household 0: income 120
    against expected 100 -> expected 105; cash 400 > 315, budget 105 + 8.5 = 113.5.
    Household 1: cash 100, below target -> 105 + 0.1 (100 - 315) = 83.5.
    Household 2: the rule asks 105 + 0.1 (40 - 315) = 77.5, more than its cash 40 ->
    40. Household 3: negative cash -> 0. With spend_excess 1 household 1 would ask
    105 + (100 - 315) < 0 and gets 0."""
    households = Households(np.full(4, 0.25), np.zeros((4, 1)))
    households.income = np.full(4, 120.0)
    households.permanent_income = np.full(4, 100.0)
    households.cash = np.array([400.0, 100.0, 40.0, -10.0])
    budget = households.plan_spending(0.25, 3.0, 0.1)
    np.testing.assert_allclose(households.permanent_income, 105.0, rtol=1e-12)
    np.testing.assert_allclose(budget, [113.5, 83.5, 40.0, 0.0], rtol=1e-12)
    households.income = households.permanent_income = np.full(4, 105.0)
    assert households.plan_spending(0.25, 3.0, 1.0)[1] == 0.0


def test_ces_sector_shares_by_hand():
    """Weights 0.5/0.5, prices 1 and 2, eps = 0.5: shares proportional to
    0.5 x 1^0.5 and 0.5 x 2^0.5, i.e. 1/(1 + sqrt 2) and sqrt 2/(1 + sqrt 2); with
    eps = 2 the dearer sector's share is 2^-1 of the other's: 2/3 and 1/3."""
    root = np.sqrt(2.0)
    shares = Households.sector_shares(np.array([1.0, 2.0]), np.array([0.5, 0.5]), 0.5)
    np.testing.assert_allclose(shares, [1 / (1 + root), root / (1 + root)], rtol=1e-12)
    shares = Households.sector_shares(np.array([1.0, 2.0]), np.array([0.5, 0.5]), 2.0)
    np.testing.assert_allclose(shares, [2 / 3, 1 / 3], rtol=1e-12)
    shares = Households.sector_shares(np.array([3.0, 3.0, 3.0]), np.array([0.2, 0.3, 0.5]), 1.0)
    np.testing.assert_allclose(shares, [0.2, 0.3, 0.5], rtol=1e-12)


def test_a_firm_priced_exactly_at_its_sector_average_cuts_after_unsold_stock():
    """The only firm of its sector is priced at the average by construction: with
    unsold stock it cuts (``p >= P_s``), markup 0.5 x (1 - 0.1 x 0.4) = 0.48."""
    firms = firms_of(1)
    firms.price = np.array([2.0])
    firms.markup = np.array([0.5])
    firms.unit_cost = np.array([1.0])
    firms.unsold = np.array([True])
    firms.set_prices(FixedDraws(0.4), 0.1, np.array([2.0]))
    np.testing.assert_allclose(firms.markup, [0.48], rtol=1e-12)


def test_each_firm_draws_its_own_wage_change():
    """With the model's generator each job gets its own draw: the new wages are
    ``w (1 + rise u_i)`` with ``u_i`` the generator's first draws, in order."""
    firms = firms_of(3)
    firms.wage = np.full(3, 2.0)
    firms.unfilled = np.ones(3, dtype=bool)
    firms.update_wages(np.random.default_rng(7), 0.1, 0.05, floor=0.0)
    draws = np.random.default_rng(7).random(3)
    np.testing.assert_allclose(firms.wage, 2.0 * (1.0 + 0.1 * draws), rtol=1e-12)
    assert len(set(firms.wage.tolist())) == 3


def test_without_a_minimum_wage_a_small_wage_can_be_cut():
    """No floor given means none: a wage of 0.5 a unit cut by 2 % x 0.5 gives 0.495."""
    firms = firms_of(1)
    firms.wage = np.array([0.5])
    firms.laid_off = np.array([True])
    firms.update_wages(FixedDraws(0.5), 0.06, 0.02)
    np.testing.assert_allclose(firms.wage, [0.495], rtol=1e-12)


def test_nested_plan_by_hand_with_small_and_zero_plans():
    """Task-exposure nest (docs/model.md, production): s0 = 0.5, exposure x = 0.5, so
    the exposed tasks' weight is theta = 0.5 + 0.5 x 0.5 = 0.75, AI's share inside
    them 0.5 / 0.75 = 2/3, labour's step-0 shares u = e = 0.5. Inner nest Cobb-Douglas
    (sigma = 1) at w e = 0.5 and q = 2: bundle price
    b = (0.5 / (1/3))^(1/3) (2 / (2/3))^(2/3). Outer nest CES with tau = 2 at w u = 0.5
    and b: c = (0.25^2 x 0.5^-1 + 0.75^2 x b^-1)^-1 (A = 1). The single CES (no
    nest) would give 2 sqrt 2 = 2.83, the nest with tau = 1 2.83 too; this is 2.77.
    Firm 0 wants half a unit (expected demand 0.5, no stock, no target) and has cash
    for half of that: it plans 0.25. Firms 1 and 2 want nothing (stock 10); one has
    cash, one none: plans 0, with no 0 / 0 or x / 0 warning."""
    b = (0.5 / (1 / 3)) ** (1 / 3) * (2.0 / (2 / 3)) ** (2 / 3)
    cost = 1.0 / (0.25**2 / 0.5 + 0.75**2 / b)
    firms = firms_of(3)
    firms.wage = np.ones(3)
    firms.expected_demand = np.array([0.5, 1.0, 1.0])
    firms.inventory = np.array([0.0, 10.0, 10.0])
    firms.cash = np.array([0.25 * cost, 5.0, 0.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        firms.plan(0.0, np.array([1.0]), np.array([0.5]), np.array([1.0]), np.full(3, 2.0),
                   np.zeros(3), np.array([0.5]), np.array([2.0]))  # fmt: skip
    assert cost == pytest.approx(2.7683, abs=1e-4)
    np.testing.assert_allclose(firms.unit_cost, cost, rtol=1e-12)
    np.testing.assert_allclose(firms.planned_output, [0.25, 0.0, 0.0], rtol=1e-12)


def test_ces_shares_stay_finite_at_prices_far_from_one():
    """eps = 0: shares proportional to w_s P_s, 1/3 and 2/3, whether prices are near
    10^200 or 10^-200 (the exponent is taken relative to the largest term)."""
    for scale in (1e200, 1e-200):
        shares = Households.sector_shares(np.array([1.0, 2.0]) * scale, np.array([0.5, 0.5]), 0.0)
        np.testing.assert_allclose(shares, [1 / 3, 2 / 3], rtol=1e-9)


# --------------------------------------------------------------------- capital, sales, adoption


def test_prices_cover_the_capital_cost_of_a_unit_too():
    """Unit cost 1.0, capital cost 0.5 a unit, markup 0.2: ``p = (c + c_K)(1 + mu) =
    1.5 x 1.2 = 1.8`` with the cost-plus rule and with the adaptive rule when the markup
    does not move; a firm without capital (c_K = 0) prices at 1.2."""
    for rule in ("cost_plus", "adaptive"):
        firms = firms_of(2)
        firms.unit_cost = np.array([1.0, 1.0])
        firms.capital_cost = np.array([0.5, 0.0])
        firms.markup = np.full(2, 0.2)
        firms.price = np.full(2, 1.0)
        if rule == "cost_plus":
            firms.set_cost_plus_prices()
        else:
            firms.set_prices(FixedDraws(0.5), 0.1, np.array([1.0]))  # no signal: no change
        np.testing.assert_allclose(firms.price, [1.8, 1.2], rtol=1e-12, err_msg=rule)


def test_expected_sales_move_part_way_to_this_months_sales():
    """lambda_K = 1/4 (a planning horizon of four months), whatever the demand
    expectation's lambda (0.5): expected sales 100 with sales 90 -> 97.5; with sales 120
    -> 105; sales equal to the expectation leave it at 40."""
    firms = firms_of(3)
    firms.expected_sales = np.array([100.0, 100.0, 40.0])
    firms.sales = np.array([90.0, 120.0, 40.0])
    firms.expected_demand = firms.demand = np.full(3, 100.0)
    firms.update_expectations(0.5, 0.1, 0.0, 0.25)
    np.testing.assert_allclose(firms.expected_sales, [97.5, 105.0, 40.0], rtol=1e-12)


def non_adopter_beside_adopter() -> Firms:
    """A non-adopter (firm 0) and an adopter (firm 1): wage 1, ample cash, expected
    demand 16 each."""
    firms = firms_of(2)
    firms.adopter = np.array([False, True])
    firms.wage[:] = 1.0
    firms.cash[:] = 1e9
    firms.expected_demand[:] = 16.0
    return firms


def test_a_non_adopter_does_not_gain_from_cheaper_compute():
    """A = 10, s0 = 0.2: the labour-only technology has A_N = (1 - 0.2) x 10 = 8 (given
    here by hand). Compute at a tenth of the step-0 price (q = 0.025 at w = 1, against
    s0 w / (1 - s0) = 0.25): the adopter's unit cost falls below the step-0 cost
    w / A_N = 0.125, the non-adopter's stays w / A_N = 0.125 and it plans labour
    Y* / A_N = 16 / 8 = 2 and no compute."""
    firms = non_adopter_beside_adopter()
    firms.plan(0.0, np.array([10.0]), np.array([0.2]), np.array([1.5]), np.full(2, 0.025),
               np.zeros(2), labour_only_productivity=np.array([8.0]))  # fmt: skip
    assert firms.unit_cost[0] == pytest.approx(0.125, rel=1e-12)
    assert firms.unit_cost[1] < 0.12
    assert firms.labour_target[0] == pytest.approx(2.0, rel=1e-12)
    assert firms.compute[0] == 0.0 and firms.compute[1] > 0.0


def test_without_a_labour_only_technology_every_firm_plans_with_compute():
    """``labour_only_productivity`` omitted (as when adoption is off, where every firm
    adopts): the adopter flag is not consulted, and a firm flagged as a non-adopter
    plans exactly as the adopter beside it."""
    firms = non_adopter_beside_adopter()
    firms.plan(0.0, np.array([10.0]), np.array([0.2]), np.array([1.5]), np.full(2, 0.025),
               np.zeros(2))  # fmt: skip
    assert firms.unit_cost[0] == firms.unit_cost[1] < 0.12
    assert firms.labour_target[0] == firms.labour_target[1]
    assert firms.compute[0] == firms.compute[1] > 0.0
