"""Capital goods, investment and capacity (docs/model.md, section 13b) on hand-built
states, with the expected numbers worked out here from the section's equations, and
the capital accounts checked every month of a run.

Hand-worked constants: with ``delta = 1 - 0.99^12`` a year the monthly rate is
``delta_m = 0.01``; with ``theta = 1.25`` years and ``u* = 0.8``, ``kappa = 1 / (12 x
1.25 x 0.8) = 1/12`` and desired capital ``K* = D_e / (kappa u*) = 15 D_e``.
"""

from __future__ import annotations

import numpy as np
import pytest

from sim.accounting import CapitalCheck
from sim.agents.banks import Banks
from sim.agents.firms import Firms
from sim.markets.credit import amortise, charge_interest
from sim.markets.investment import CapitalGoods, investment_orders, split_purchase
from sim.markets.turnover import exiting_firms
from sim.model import EconomyModel
from sim.scenario import ScenarioError, build_scenario
from sim.scenario.schema import CapitalConfig, CreditConfig, monthly_capital_rates

CAPITAL = CapitalConfig(
    enabled=True, goods_sector="manufacturing", capital_output_ratio=1.25,
    depreciation=1.0 - 0.99**12, normal_utilisation=0.8, adjustment_months=12.0,
    loan_maturity_months=24.0,
)  # fmt: skip
SECTORS = ["care", "manufacturing"]
BOUNDS = np.array([0, 1, 3])
SMALL = {
    "population.workers": 600, "population.firms": 25, "run.steps": 24, "capital.enabled": True,
}  # fmt: skip


def test_orders_replace_wear_and_close_a_twelfth_of_the_gap():
    # 0.01 x 100 + (130 - 100) / 12 = 3.5; an entrant closes its whole gap: 0 + 120 = 120;
    # a firm with too much capital orders nothing: 0.01 x 100 + (50 - 100) / 12 < 0.
    orders = investment_orders(
        np.array([100.0, 0.0, 100.0]), np.array([130.0, 120.0, 50.0]), 0.01, 12.0,
        np.array([False, True, False]),
    )  # fmt: skip
    np.testing.assert_allclose(orders, [3.5, 120.0, 0.0])


def test_capital_equips_more_output_as_the_bundle_gets_cheaper_against_capital_goods():
    goods = CapitalGoods(CAPITAL, SECTORS, BOUNDS)
    firms = Firms(np.zeros(3, dtype=int), 1)
    firms.unit_cost = np.array([0.5, 0.5, 0.5])
    firms.expected_sales = np.array([10.0, 10.0, 10.0])
    goods.open_books(firms)
    np.testing.assert_allclose(firms.capital_productivity, np.full(3, 1.0 / 12.0))
    np.testing.assert_allclose(firms.capital, [150.0, 150.0, 150.0])
    # kappa_i = kappa (p_K / c_i) / (1 / c_0): unit cost halved -> twice the capacity;
    # capital goods twice as dear (p_K = 2) -> twice for every firm.
    firms.unit_cost = np.array([0.25, 0.5, 1.0])
    goods.update_capacity(firms, 2.0)
    np.testing.assert_allclose(firms.capital_productivity, np.array([4.0, 2.0, 1.0]) / 12.0)
    np.testing.assert_allclose(firms.capacity, np.array([600.0, 300.0, 150.0]) / 12.0)
    # So capital's cost per unit stays a fixed share of the variable cost:
    # c_K / c = (r / 12 + delta_m) / (kappa u*) x p_K / (kappa_i / kappa) / c = 0.15 / 0.5.
    cost = goods.unit_cost(2.0, 0.06, firms.capital_productivity)
    np.testing.assert_allclose(cost / firms.unit_cost, 0.015 * 15.0 / 0.5)


def test_a_pooled_purchase_is_shared_in_proportion_to_spending():
    units, paid = split_purchase(np.array([10.0, 30.0, 0.0]), 8.0, 36.0)
    np.testing.assert_allclose(units, [2.0, 6.0, 0.0])
    np.testing.assert_allclose(paid, [9.0, 27.0, 0.0])


def test_the_capital_cost_of_a_unit_is_the_user_cost_of_the_capital_it_needs():
    goods = CapitalGoods(CAPITAL, SECTORS, BOUNDS)
    assert goods.monthly_depreciation == pytest.approx(0.01, rel=1e-12)
    assert goods.capacity_per_unit == pytest.approx(1.0 / 12.0)
    # p_K (r / 12 + delta_m) / (kappa u*) = 2 x (0.005 + 0.01) x 15 = 0.45.
    kappa = np.array([1.0 / 12.0, 1.0 / 6.0])
    # A firm whose capital is twice as productive needs half the capital per unit: 0.225.
    np.testing.assert_allclose(goods.unit_cost(2.0, 0.06, kappa), [0.45, 0.225])
    np.testing.assert_allclose(goods.desired_capital(np.array([8.0, 8.0]), kappa), [120.0, 60.0])
    # Investment at step 0 without trend growth: 12 theta delta_m = 12 x 1.25 x 0.01 = 0.15
    # of output; with the sectors growing 2 % a year, 12 x 1.25 x (0.01 + g_m).
    still = {f"sectors.{s}.productivity_growth": 0.0 for s in build_scenario().sectors}
    capital = {"capital.capital_output_ratio": 1.25, "capital.depreciation": 1.0 - 0.99**12}
    assert build_scenario(overrides={**capital, **still}).initial_investment_share() == (
        pytest.approx(0.15, rel=1e-12)
    )
    growing = dict.fromkeys(still, 0.02)
    assert build_scenario(overrides={**capital, **growing}).initial_investment_share() == (
        pytest.approx(15.0 * (0.01 + 1.02 ** (1 / 12) - 1.0), rel=1e-12)
    )


def test_trend_growth_is_the_consumer_weighted_productivity_growth_and_never_shrinks_capital():
    """Defaults: 0.1 x 3 % + 0.2 x 1.5 % + 0.3 x 2.5 % + 0.25 x 0.3 % + 0.15 x 0.5 % = 1.5 %.
    A trend below -delta (sectors shrinking 5 % a year, -0.43 % a month, against
    depreciation of 0.3 % a month) gives g_m = -delta_m: steady investment is zero, never
    negative."""
    assert build_scenario().trend_growth() == pytest.approx(0.015, rel=1e-12)
    delta_m, growth_m = monthly_capital_rates(1.0 - 0.997**12, -0.05)
    assert delta_m == pytest.approx(0.003, rel=1e-12)
    assert growth_m == -delta_m
    assert monthly_capital_rates(1.0 - 0.99**12, 0.0) == (pytest.approx(0.01, rel=1e-12), 0.0)


def test_investment_that_would_take_most_of_output_is_refused():
    """theta = 5 years with sectors growing 20 % a year needs 12 x 5 x (delta_m + g_m) of
    output (about 1.3) at step 0: refused, naming the keys, before anything runs."""
    fast = {f"sectors.{s}.productivity_growth": 0.2 for s in build_scenario().sectors}
    with pytest.raises(ScenarioError, match=r"capital\.capital_output_ratio = 5 .*below 0\.9"):
        build_scenario(
            overrides={**fast, "capital.capital_output_ratio": 5.0, "capital.depreciation": 0.01}
        )


def _market(buyer_cash: float) -> tuple[Firms, Banks, CapitalGoods]:
    """Firm 0 (care) holds 108 units of capital (book value 150) and expects to sell 8 a
    month, so it wants 15 x 8 = 120; firms 1 and 2 make capital goods at price 2, hold 5
    and 0.5 units, expect demand 10 each and have far more capital than they need."""
    firms = Firms(np.array([0, 1, 1]), 1)
    firms.price = np.array([1.0, 2.0, 2.0])
    firms.unit_cost = np.ones(3)
    firms.expected_demand = np.array([8.0, 10.0, 10.0])
    firms.expected_sales = firms.expected_demand.copy()
    firms.inventory = np.array([0.0, 5.0, 0.5])
    firms.capital = np.array([108.0, 1000.0, 1000.0])
    firms.capital_value = np.array([150.0, 1000.0, 1000.0])
    firms.cash = np.array([buyer_cash, 0.0, 0.0])
    firms.age = np.array([5, 5, 5])
    firms.capital_productivity = np.full(3, 1.0 / 12.0)
    return firms, Banks(np.array([1e6])), CapitalGoods(CAPITAL, SECTORS, BOUNDS)


def test_a_firm_pays_its_capital_from_cash_above_its_buffer():
    firms, banks, goods = _market(buyer_cash=10.0)
    goods.invest(firms, banks, CreditConfig(), 0.05, 2.0, np.array([2.0, 0.0, 0.0]))
    # I* = 0.01 x 108 + (120 - 108) / 12 = 2.08 units, 4.16 dollars, within the 8 dollars
    # above the buffer. Equal weights: 1.04 units asked of each seller; the second has
    # 0.5, so 1.54 units are bought for 3.08 dollars. Capital wears by 1 % first.
    np.testing.assert_allclose(firms.investment, [1.54, 0.0, 0.0])
    np.testing.assert_allclose(firms.investment_spending, [3.08, 0.0, 0.0])
    np.testing.assert_allclose(firms.capital, [106.92 + 1.54, 990.0, 990.0])
    np.testing.assert_allclose(firms.capital_value, [148.5 + 3.08, 990.0, 990.0])
    np.testing.assert_allclose(firms.cash, [10.0 - 3.08, 2.08, 1.0])
    np.testing.assert_allclose(firms.inventory, [0.0, 5.0 - 1.04, 0.0], atol=1e-12)
    np.testing.assert_array_equal(firms.stocked_out, [False, False, True])
    assert firms.debt.sum() == 0.0
    assert goods.paid == pytest.approx(goods.spending)


def test_what_internal_funds_do_not_cover_is_borrowed_as_an_investment_loan():
    firms, banks, goods = _market(buyer_cash=3.0)
    goods.invest(firms, banks, CreditConfig(), 0.05, 2.0, np.array([2.0, 0.0, 0.0]))
    # Internal funds 3 - 2 = 1; loan 4.16 - 1 = 3.16, a new deposit; 3.08 is spent.
    np.testing.assert_allclose(firms.debt, [3.16, 0.0, 0.0])
    np.testing.assert_allclose(firms.capital_debt, [3.16, 0.0, 0.0])
    np.testing.assert_allclose(banks.lent, [3.16])
    np.testing.assert_allclose(firms.cash, [3.0 + 3.16 - 3.08, 2.08, 1.0])


def test_without_credit_a_firm_invests_only_what_its_cash_above_the_buffer_pays():
    firms, banks, goods = _market(buyer_cash=3.0)
    goods.invest(firms, banks, CreditConfig(enabled=False), 0.05, 2.0, np.array([2.0, 0, 0]))
    # One dollar above the buffer buys 0.5 units (the sellers have enough for it).
    np.testing.assert_allclose(firms.investment_spending, [1.0, 0.0, 0.0])
    np.testing.assert_allclose(firms.investment, [0.5, 0.0, 0.0])
    assert banks.lent.sum() == 0.0


def test_each_part_of_the_debt_is_repaid_over_its_own_maturity():
    firms = Firms(np.zeros(2, dtype=int), 1)
    firms.debt = np.array([120.0, 120.0])
    firms.capital_debt = np.array([60.0, 60.0])
    firms.cash = np.array([100.0, 3.0])
    banks = Banks(np.array([1e6]))
    banks.loans[:] = 240.0
    # Working capital 60 over 12 months: 5; investment loans 60 over 24: 2.5; no cash
    # above the buffer. The second firm has 3 of the 7.5 due: 40 % of each part.
    amortise(firms, banks, CreditConfig(maturity_months=12), firms.cash.copy(), 24.0)
    np.testing.assert_allclose(firms.debt, [112.5, 117.0])
    np.testing.assert_allclose(firms.capital_debt, [57.5, 59.0])
    np.testing.assert_allclose(firms.cash, [92.5, 0.0])


def test_cash_above_the_buffer_prepays_working_capital_but_not_investment_loans():
    firms = Firms(np.zeros(1, dtype=int), 1)
    firms.debt, firms.capital_debt, firms.cash = (np.array([v]) for v in (120.0, 60.0, 200.0))
    banks = Banks(np.array([1e6]))
    banks.loans[:] = 120.0
    # Spare 200 - 100 = 100 clears the 60 of working capital; the investment loan is paid
    # on schedule only, 60 / 24 = 2.5.
    amortise(firms, banks, CreditConfig(maturity_months=12), np.array([100.0]), 24.0)
    np.testing.assert_allclose(firms.capital_debt, [57.5])
    np.testing.assert_allclose(firms.debt, [57.5])
    np.testing.assert_allclose(firms.cash, [200.0 - 62.5])


def test_step_zero_runs_at_normal_utilisation_and_prices_cover_capital():
    model = EconomyModel(**SMALL)
    firms, sc = model.firms, model.config
    theta = sc.capital.capital_output_ratio
    # The capital expected sales need (a stationary start: month 1 orders only the
    # replacement of wear); output is sales times 1 + tau delta, so utilisation is
    # u* (1 + tau delta).
    np.testing.assert_allclose(firms.capital, 12.0 * theta * firms.expected_sales)
    stock_loss = sc.firms.inventory_target * sc.firms.inventory_depreciation
    assert stock_loss > 0
    assert model.report["capacity_utilisation"] == pytest.approx(
        sc.capital.normal_utilisation * (1.0 + stock_loss)
    )
    orders = model.capital_goods.desired_capital(firms.expected_sales, firms.capital_productivity)
    np.testing.assert_allclose(orders, firms.capital, rtol=1e-12)
    np.testing.assert_allclose(
        (firms.unit_cost + firms.capital_cost) * (1.0 + sc.firms.initial_markup), 1.0
    )
    # Price over variable cost: 1 / c(0) with c(0) = 1 / (1 + mu0) - c_K0.
    c_k0 = sc.initial_capital_cost()
    assert model.report["markup_mean"] == pytest.approx(
        1.0 / (1.0 / (1.0 + sc.firms.initial_markup) - c_k0) - 1.0
    )
    # Price over full cost (capital's user cost included) is the initial markup itself.
    assert model.report["markup_full_cost"] == pytest.approx(sc.firms.initial_markup)
    for name in model.sector_names:
        assert model.report[f"markup_full_cost_{name}"] == pytest.approx(sc.firms.initial_markup)


def test_every_month_revenue_is_consumption_plus_supplier_purchases_plus_investment():
    model = EconomyModel(**SMALL)
    for _ in range(24):
        model.step()
        spent = (
            model.report["consumption"] + model.report["supplier_input_purchases"]
            + model.report["investment"]
        )  # fmt: skip
        assert model.firms.revenue.sum() == pytest.approx(spent, rel=1e-12)
        # Output never exceeds capacity, and the capital accounts closed (the step
        # raises otherwise).
        assert np.all(model.firms.output <= model.firms.capacity * (1 + 1e-12) + 1e-12)
        assert model.money_error <= 1e-9
    assert model.report["investment"] > 0.0
    assert 0.0 < model.report["capacity_utilisation"] <= 1.0


def test_the_capital_check_fails_when_capital_appears_from_nowhere():
    model = EconomyModel(**SMALL)
    model.step()
    model.firms.capital[0] += 1.0
    with pytest.raises(AssertionError, match="capital = "):
        model.step()


def test_the_capital_check_never_passes_nan():
    firms = Firms(np.zeros(1, dtype=int), 1)
    check = CapitalCheck(firms.capital, firms.capital_value)
    firms.capital_value[0] = np.nan
    with pytest.raises(AssertionError, match="book value"):
        check.verify(firms, CapitalGoods(CAPITAL, SECTORS, BOUNDS))


def test_an_exiting_firms_plant_stays_in_its_slot_and_the_entrant_takes_it_over():
    """Empty slots hold no book value and their plant only wears out (no one buys for
    them); an entrant keeps what it needs of the plant it found, worn for the month,
    and the rest is scrapped (it buys the capital it lacks next month)."""
    model = EconomyModel(**{**SMALL, "run.steps": 60})
    keep = 1.0 - model.capital_goods.monthly_depreciation
    takeovers = 0
    for _ in range(60):
        before, was_active = model.firms.capital.copy(), model.firms.active.copy()
        model.step()
        firms = model.firms
        empty = ~firms.active
        assert np.all(firms.capital_value[empty] == 0.0)
        idle = empty & ~was_active
        np.testing.assert_allclose(firms.capital[idle], keep * before[idle], rtol=1e-12)
        entrants = firms.active & ~was_active
        if entrants.sum() != model.entries:
            continue  # a slot emptied and refilled this month: its plant also bought
        found = keep * before[entrants]
        assert np.all(firms.capital[entrants] <= found * (1.0 + 1e-12))
        assert model.capital_goods.scrapped == pytest.approx(
            float((found - firms.capital[entrants]).sum()), rel=1e-9, abs=1e-6
        )
        takeovers += int((entrants & (before > 0.0)).sum())
    assert takeovers > 0  # the 60 months had exits and entries into the freed slots


def test_economic_profit_is_profit_less_depreciation_at_the_current_price_averaged():
    # H = 12, delta_m = 0.01, p_K = 2: firm 0 earns 30 with 100 units -> economic 28,
    # from 0 its expectation moves 28 / 12; firm 1 earns 1 with 100 units -> -1, from
    # 5 to 5 + (-1 - 5) / 12 = 4.5.
    goods = CapitalGoods(CAPITAL, SECTORS, BOUNDS)
    firms = Firms(np.zeros(2, dtype=int), 1)
    firms.profit = np.array([30.0, 1.0])
    firms.capital = np.array([100.0, 100.0])
    firms.economic_profit = np.array([0.0, 5.0])
    goods.update_economic_profit(firms, 2.0)
    np.testing.assert_allclose(firms.economic_profit, [28.0 / 12.0, 4.5], rtol=1e-12)


def test_firms_expecting_losses_leave_after_their_first_loss_horizon():
    # loss_months = 12: an old firm with expected losses leaves; an old profitable one
    # stays; a young one with losses stays (it is still learning its costs: Jovanovic).
    goods = CapitalGoods(CAPITAL, SECTORS, BOUNDS)
    firms = Firms(np.zeros(3, dtype=int), 1)
    firms.economic_profit = np.array([-1.0, 1.0, -1.0])
    firms.age = np.array([13, 13, 12])
    np.testing.assert_array_equal(goods.unprofitable(firms), [True, False, False])
    off = CapitalGoods(CapitalConfig(enabled=False), SECTORS, BOUNDS)
    assert off.unprofitable(firms) is None


def test_without_capital_nothing_limits_output_and_prices_carry_no_capital_cost():
    model = EconomyModel(**{**SMALL, "capital.enabled": False})
    for _ in range(3):
        model.step()
    assert np.all(np.isinf(model.firms.capacity))
    assert np.all(model.firms.capital_cost == 0.0)
    assert model.report["investment"] == 0.0
    assert model.report["capital_stock"] == 0.0


def test_a_capital_sector_that_is_not_a_sector_is_refused():
    with pytest.raises(ScenarioError, match=r"capital\.goods_sector"):
        build_scenario(overrides={"capital.enabled": True, "capital.goods_sector": "mining"})


def test_capital_too_costly_for_the_step_zero_price_is_refused():
    with pytest.raises(ScenarioError, match=r"capital\.capital_output_ratio"):
        build_scenario(
            overrides={
                "capital.enabled": True,
                "capital.capital_output_ratio": 5.0,
                "capital.depreciation": 0.3,
            }
        )


def test_a_firm_in_default_on_its_debt_service_is_bankrupt_despite_its_capital():
    """Firm 0: cash 1, debt 48 (all investment loans, 24 months: 2 due), capital worth
    100; net worth 1 + 100 - 48 = 53 > 0, but it pays only 1 of the 2 due: default.
    Firm 1 pays its 2 in full."""
    firms = Firms(np.zeros(2, dtype=int), 1)
    firms.cash = np.array([1.0, 5.0])
    firms.debt = np.array([48.0, 48.0])
    firms.capital_debt = firms.debt.copy()
    firms.capital_value = np.array([100.0, 100.0])
    firms.expected_demand = np.ones(2)
    banks = Banks(np.array([1e6]))
    banks.loans[:] = 96.0
    unpaid = amortise(firms, banks, CreditConfig(), np.zeros(2), 24.0)
    np.testing.assert_allclose(unpaid, [1.0, 0.0])
    exiting, bankrupt = exiting_firms(firms, np.zeros(2, dtype=bool), 1, unpaid > 0)
    np.testing.assert_array_equal(exiting, [0])
    np.testing.assert_array_equal(bankrupt, [True, False])


def test_interest_a_firm_cannot_pay_is_reported_as_unpaid():
    firms = Firms(np.zeros(2, dtype=int), 1)
    firms.cash = np.array([0.5, 5.0])
    firms.debt = np.array([120.0, 120.0])
    firms.interest_rate = np.array([0.1, 0.1])
    banks = Banks(np.array([1e6]))
    banks.loans[:] = 240.0
    # 0.1 / 12 x 120 = 1 due; the first firm pays 0.5.
    np.testing.assert_allclose(charge_interest(firms, banks), [0.5, 0.0])
