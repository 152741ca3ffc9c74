"""The AI supply chain's producers (docs/model.md section 4.4): they buy a share of their
receipts' worth of output from one goods sector, at posted prices, split by the firms'
planned sales and limited by their stocks; the rest is their owners' income."""

import numpy as np
import pytest

from sim.agents.firms import Firms
from sim.markets.supply import SupplierInputs
from sim.model import EconomyModel


def _firms() -> Firms:
    """Five firms; the supplier buys from firms 1-3 (one sector)."""
    firms = Firms(np.array([0, 1, 1, 1, 2]), 1, np.random.default_rng(0))
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
