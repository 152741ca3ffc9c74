"""The AI supply chain's producers (docs/model.md section 4.4): they buy a share of their
receipts' worth of output from one goods sector, at posted prices, split by the firms'
planned sales and limited by their stocks; the rest is their owners' income."""

import warnings

import numpy as np
import pytest

from sim.agents.firms import Firms
from sim.markets.supply import SupplierInputs
from sim.model import EconomyModel


def _firms() -> Firms:
    """Five firms; the supplier buys from firms 1-3 (one sector)."""
    firms = Firms(np.array([0, 1, 1, 1, 2]), 1)
    firms.price[:] = [1.0, 2.0, 1.0, 4.0, 1.0]
    firms.expected_demand[:] = [9.0, 10.0, 20.0, 5.0, 9.0]
    firms.inventory[:] = [5.0, 100.0, 100.0, 1.0, 5.0]
    firms.cash[:] = 10.0
    firms.headcount[:] = [3, 4, 6, 2, 3]
    firms.oversight_headcount[:] = [0, 1, 0, 0, 0]
    return firms


def test_purchases_follow_planned_sales_and_stop_at_the_stock():
    """Budget 0.5 x 120 = 60 dollars over planned sales 20, 20 and 20 dollars: 20 each.
    Firm 3 has one unit at 4 dollars, so it sells 4 dollars' worth and counts the 5
    units wanted as demand; the 16 dollars it could not sell stay with the suppliers."""
    firms = _firms()
    supplier = np.array([120.0])
    inputs = SupplierInputs(1, 4, 0.5)
    money_before = firms.cash.sum() + supplier.sum()
    paid = inputs.buy(firms, supplier)
    np.testing.assert_allclose(inputs.paid, [20.0, 20.0, 4.0])
    assert paid == pytest.approx(44.0)
    assert supplier[0] == pytest.approx(76.0)
    assert firms.cash.sum() + supplier.sum() == pytest.approx(money_before, rel=1e-15)
    np.testing.assert_allclose(firms.inventory, [5.0, 90.0, 80.0, 0.0, 5.0])
    np.testing.assert_allclose(firms.sales[1:4], [10.0, 20.0, 1.0])
    np.testing.assert_allclose(firms.demand[1:4], [10.0, 20.0, 5.0])
    assert list(firms.stocked_out) == [False, False, False, True, False]
    np.testing.assert_allclose(firms.revenue[1:4], inputs.paid)
    assert firms.revenue[0] == firms.revenue[4] == 0.0  # other sectors untouched


def test_embodied_employment_is_the_input_output_attribution():
    """Firm 1 sells 20 of its 40 dollars of revenue to the suppliers: half its 5 staff."""
    firms = _firms()
    inputs = SupplierInputs(1, 4, 0.5)
    firms.revenue[1:4] = [20.0, 0.0, 0.0]  # households' purchases before the suppliers'
    inputs.buy(firms, np.array([120.0]))
    expected = 20.0 / 40.0 * 5 + 20.0 / 20.0 * 6 + 4.0 / 4.0 * 2
    assert inputs.embodied_employment(firms) == pytest.approx(expected)


def test_no_input_share_buys_nothing_and_needs_no_sector():
    inputs = SupplierInputs.for_sector(["ai", "rest"], np.array([0, 2, 5]), "manufacturing", 0.0)
    firms = _firms()
    supplier = np.array([120.0])
    assert inputs.buy(firms, supplier) == 0.0
    assert supplier[0] == 120.0


def test_the_suppliers_hire_in_the_economy_and_the_accounts_close():
    """In the baseline economy the suppliers' purchases are paid to manufacturing firms,
    employ workers there, and money is conserved every month (the model's own check)."""
    model = EconomyModel(**{"population.workers": 2000, "population.firms": 60})
    for _ in range(12):
        model.step()
        assert model.money_error <= 1e-9
    frame = model.results()
    assert (frame["supplier_input_purchases"].iloc[1:] >= 0.0).all()
    assert frame["supplier_input_purchases"].iloc[1:].sum() > 0.0
    assert frame["supply_chain_employment"].iloc[1:].max() > 0.0
    manufacturing = model.sector_names.index("manufacturing")
    first, last = model.sector_bounds[manufacturing], model.sector_bounds[manufacturing + 1]
    assert (model.supplier_inputs.first, model.supplier_inputs.last) == (first, last)


def test_for_sector_takes_the_bounds_of_the_named_sector():
    """Three sectors with bounds 0, 2, 5, 9: the middle one is firms 2 to 4, whatever
    the share (1 = the whole account is allowed)."""
    bounds = np.array([0, 2, 5, 9])
    for share in (0.5, 1.0):
        inputs = SupplierInputs.for_sector(["ai", "manufacturing", "care"], bounds,
                                           "manufacturing", share)  # fmt: skip
        assert (inputs.first, inputs.last, inputs.share) == (2, 5, share)
        assert inputs.paid.shape == (3,)
    none = SupplierInputs.for_sector(["ai", "manufacturing"], bounds, "manufacturing", 0.0)
    assert (none.first, none.last, none.share) == (0, 0, 0.0)
    assert none.paid.shape == (0,)


def test_purchases_add_to_what_households_bought_this_month():
    """Phase 6 runs after households shopped: the suppliers' units, demand and dollars
    are added to the month's sales, demand and revenue, and a stock-out flag set by a
    household stays set. Budget 0.5 x 120 = 60 over planned sales 20, 20, 20 dollars."""
    firms = _firms()
    firms.sales[:] = [1.0, 3.0, 3.0, 3.0, 1.0]
    firms.demand[:] = [1.0, 4.0, 4.0, 4.0, 1.0]
    firms.revenue[:] = [7.0, 6.0, 6.0, 6.0, 7.0]
    firms.stocked_out[:] = [False, True, False, False, False]
    inputs = SupplierInputs(1, 4, 0.5)
    inputs.buy(firms, np.array([120.0]))
    # units: firm 1 buys 20/2 = 10, firm 2 20/1 = 20, firm 3 one unit of the 5 wanted
    np.testing.assert_allclose(firms.sales[1:4], [13.0, 23.0, 4.0])
    np.testing.assert_allclose(firms.demand[1:4], [14.0, 24.0, 9.0])
    np.testing.assert_allclose(firms.revenue[1:4], [26.0, 26.0, 10.0])
    np.testing.assert_allclose(firms.cash[1:4], [30.0, 30.0, 14.0])
    assert list(firms.stocked_out) == [False, True, False, True, False]


def test_small_budgets_and_cheap_goods_are_bought_in_full():
    """Nothing in the rule is scaled to dollars: a budget of 0.5 x 1.5 = 0.75 dollars
    over goods at 0.5 and 0.25 dollars with planned sales 0.5 and 1 unit (weights 0.25
    each, summing to 0.5 < 1) buys 0.375 dollars of each: 0.75 and 1.5 units."""
    firms = Firms(np.array([0, 0]), 1)
    firms.price[:] = [0.5, 0.25]
    firms.expected_demand[:] = [0.5, 1.0]
    firms.inventory[:] = [10.0, 10.0]
    supplier = np.array([1.5])
    inputs = SupplierInputs(0, 2, 0.5)
    assert inputs.buy(firms, supplier) == pytest.approx(0.75)
    np.testing.assert_allclose(inputs.paid, [0.375, 0.375])
    np.testing.assert_allclose(firms.sales, [0.75, 1.5])
    np.testing.assert_allclose(firms.inventory, [9.25, 8.5])
    assert supplier[0] == pytest.approx(0.75)
    assert not firms.stocked_out.any()


def test_inactive_and_zero_priced_firms_get_no_order_and_are_not_stocked_out():
    """Firm 1 has exited and firm 2 posts a zero price (zero planned sales in dollars):
    the whole budget 0.5 x 40 = 20 goes to firm 3 (5 units at 4 dollars). Neither of the
    others is asked for anything, so neither counts as stocked out."""
    firms = _firms()
    firms.active[1] = False
    firms.price[2] = 0.0
    firms.inventory[3] = 10.0
    inputs = SupplierInputs(1, 4, 0.5)
    supplier = np.array([40.0])
    assert inputs.buy(firms, supplier) == pytest.approx(20.0)
    np.testing.assert_allclose(inputs.paid, [0.0, 0.0, 20.0])
    np.testing.assert_allclose(firms.demand[1:4], [0.0, 0.0, 5.0])
    np.testing.assert_allclose(firms.inventory[1:4], [100.0, 100.0, 5.0])
    assert not firms.stocked_out.any()
    assert np.isfinite(firms.sales).all() and np.isfinite(firms.cash).all()


@pytest.mark.parametrize("cash", [-5.0, 0.0])
def test_an_empty_or_overdrawn_account_buys_nothing(cash):
    """Budget ``alpha max(X, 0)`` is 0: nothing bought, the account untouched, last
    month's payments cleared and the reports read zero."""
    firms = _firms()
    inputs = SupplierInputs(1, 4, 0.5)
    inputs.buy(firms, np.array([120.0]))  # a month with purchases
    supplier = np.array([cash])
    sales = firms.sales.copy()
    assert inputs.buy(firms, supplier) == 0.0
    assert supplier[0] == cash
    np.testing.assert_array_equal(firms.sales, sales)
    np.testing.assert_array_equal(inputs.paid, [0.0, 0.0, 0.0])
    assert inputs.reports(firms) == {"supplier_input_purchases": 0.0,
                                     "supply_chain_employment": 0.0}  # fmt: skip


def test_no_active_seller_buys_nothing_and_keeps_the_budget():
    """Every firm of the sector has exited (planned sales sum to 0): nothing is bought,
    no firm's books change and no NaN appears."""
    firms = _firms()
    firms.active[1:4] = False
    supplier = np.array([120.0])
    inputs = SupplierInputs(1, 4, 0.5)
    assert inputs.buy(firms, supplier) == 0.0
    assert supplier[0] == 120.0
    np.testing.assert_array_equal(firms.demand, np.zeros(5))
    np.testing.assert_array_equal(inputs.paid, [0.0, 0.0, 0.0])


def test_embodied_employment_skips_firms_without_revenue_and_counts_small_ones():
    """Firm 1 sold nothing this month (revenue 0: no workers attributed, and no
    division by zero); firm 2 earned 0.5 dollars of which the suppliers paid 0.25 (half
    its 6 staff); firm 3 earned 4 dollars, all from the suppliers (its 2 staff)."""
    firms = _firms()
    inputs = SupplierInputs(1, 4, 0.5)
    inputs.paid = np.array([0.0, 0.25, 4.0])
    firms.revenue[1:4] = [0.0, 0.5, 4.0]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert inputs.embodied_employment(firms) == pytest.approx(0.5 * 6 + 1.0 * 2)
