"""The electricity market on hand-built states (docs/model.md 4.3, the module docstring
of sim/markets/energy.py): demand by user, the trends of conventional data centres, of
other firms' demand and of generating capacity, the supply curve
``P* = P0 (D / K)^(1/eps)`` with partial adjustment in logs, households' budget share
``omega(t)`` from the CES upper nest, their bills paid to the supplier account, the CPI
basket with electricity appended, and the TWh accounting that scales data centres'
step-0 use to ``energy.data_centre_twh``.

Round parameters: AI compute is 20 % of step-0 electricity and data centres (AI
included) 30 %; conventional data centres double every year, other firms' demand and
capacity grow 20 % a year; households use a fifth of the rest; supply elasticity 0.5,
adjustment 0.25, price $0.10 per kWh; households' elasticity between electricity and
goods 0.5; data centres 600 TWh a year at step 0.

With compute at 100 kWh a month at step 0: world ``W(0) = 100 / 0.2 = 500``,
conventional data centres ``D_V(0) = 500 (0.3 - 0.2) = 50``, the rest
``500 - 100 - 50 = 350`` splits into households ``0.2 x 350 = 70`` and other firms
``280``; capacity ``K(0) = 500``; households' bill ``70 x 0.1 = 7``; a kWh a month
reports as ``600 / (100 + 50) = 4`` TWh a year. Every expected value below is worked
out from these equations, never with the market's own helpers."""

from __future__ import annotations

import math

import numpy as np
import pytest

from sim.markets.energy import ElectricityMarket
from sim.scenario import build_scenario

ROUND = {
    "compute.compute_energy_share": 0.2,
    "energy.datacentre_share": 0.3,
    "compute.energy_supply_elasticity": 0.5,
    "compute.energy_price_adjustment": 0.25,
    "energy.electricity_price": 0.1,
    "energy.other_demand_growth": 0.2,
    "energy.conventional_datacentre_growth": 1.0,
    "energy.household_share": 0.2,
    "energy.household_elasticity": 0.5,
    "energy.data_centre_twh": 600.0,
}


def electricity() -> ElectricityMarket:
    return ElectricityMarket(build_scenario(overrides=ROUND, source="test"))


def calibrated(goods_spending: float = 28.0) -> ElectricityMarket:
    """Step 0 with compute at 100 kWh; households' step-0 spending on goods 28 and their
    bill 7, so ``omega_0 = 7 / (28 + 7) = 0.2``."""
    market = electricity()
    market.calibrate(100.0)
    market.open_household_books(goods_spending)
    return market


def test_step_zero_demand_by_user_and_capacity():
    """Compute 100, conventional data centres 50, other firms 280, households 70;
    capacity 500, compute's bill 100 x 0.1, households' 70 x 0.1. Reported (4 TWh a year
    per kWh a month): compute 400, data centres 4 x 150 = 600, firms (conventional data
    centres included) 4 x 330 = 1320, households 280, adding up to 4 x 500."""
    market = electricity()
    market.calibrate(100.0)
    sector = market.sector
    assert sector.compute_demand[0] == 100.0
    assert sector.datacentre_demand[0] == pytest.approx(50.0, rel=1e-12)
    assert sector.household_demand[0] == pytest.approx(70.0, rel=1e-12)
    assert sector.firm_demand[0] == pytest.approx(280.0, rel=1e-12)
    assert sector.capacity[0] == pytest.approx(500.0, rel=1e-12)
    assert sector.revenue[0] == pytest.approx(10.0, rel=1e-12)
    assert market.household_bill == pytest.approx(7.0, rel=1e-12)
    report = market.reports()
    assert report["electricity_demand_compute"] == pytest.approx(400.0, rel=1e-12)
    assert report["electricity_demand_datacentres"] == pytest.approx(600.0, rel=1e-12)
    assert report["electricity_demand_firms"] == pytest.approx(1320.0, rel=1e-12)
    assert report["electricity_demand_households"] == pytest.approx(280.0, rel=1e-12)
    users = ("compute", "firms", "households")
    assert sum(report[f"electricity_demand_{u}"] for u in users) == pytest.approx(2000.0)
    assert report["compute_electricity_share"] == pytest.approx(0.2, rel=1e-12)
    assert report["datacentre_electricity_share"] == pytest.approx(0.3, rel=1e-12)
    assert report["household_electricity_bill"] == pytest.approx(7.0, rel=1e-12)
    assert report["electricity_price"] == 0.1 and report["energy_price"] == 1.0


def test_demand_outside_compute_and_capacity_grow_at_trend():
    """Half a year on, conventional data centres use 50 x 2^(1/2) and other firms
    280 x 1.2^(1/2), capacity is 500 x 1.2^(1/2); a year on, 100, 336 and 600.
    Households' kWh are not on a trend: they stay at 70 until their next bill."""
    market = electricity()
    market.calibrate(100.0)
    assert market.trend(6) == pytest.approx(math.sqrt(1.2), rel=1e-12)
    sector = market.sector
    market.record(180.0, 6)
    assert sector.datacentre_demand[0] == pytest.approx(50.0 * math.sqrt(2.0), rel=1e-12)
    assert sector.firm_demand[0] == pytest.approx(280.0 * math.sqrt(1.2), rel=1e-12)
    assert sector.capacity[0] == pytest.approx(500.0 * math.sqrt(1.2), rel=1e-12)
    market.record(250.0, 12)
    assert sector.compute_demand[0] == 250.0
    assert sector.datacentre_demand[0] == pytest.approx(100.0, rel=1e-12)
    assert sector.firm_demand[0] == pytest.approx(336.0, rel=1e-12)
    assert sector.household_demand[0] == pytest.approx(70.0, rel=1e-12)
    assert sector.capacity[0] == pytest.approx(600.0, rel=1e-12)
    assert sector.revenue[0] == pytest.approx(25.0, rel=1e-12)
    report = market.reports()
    assert report["electricity_demand_compute"] == pytest.approx(1000.0, rel=1e-12)
    assert report["electricity_demand_datacentres"] == pytest.approx(1400.0, rel=1e-12)
    assert report["electricity_demand_firms"] == pytest.approx(4 * 436.0, rel=1e-12)
    total = 250.0 + 100.0 + 336.0 + 70.0
    assert report["compute_electricity_share"] == pytest.approx(250.0 / total, rel=1e-12)
    assert report["datacentre_electricity_share"] == pytest.approx(350.0 / total, rel=1e-12)


def test_price_moves_a_quarter_of_the_way_in_logs_toward_the_supply_curve():
    """Demand 250 + 100 + 336 + 70 = 756 against capacity 600: P* = 0.1 (756/600)^2; the
    price becomes exp(0.75 ln 0.1 + 0.25 ln P*); the next month, at the same demand,
    exp(0.75 ln P1 + 0.25 ln P*). Compute's bill uses the price of the month it is
    recorded in."""
    market = electricity()
    market.calibrate(100.0)
    market.record(250.0, 12)
    market.update_price()
    target = 0.1 * (756.0 / 600.0) ** 2
    first = math.exp(0.75 * math.log(0.1) + 0.25 * math.log(target))
    assert market.price == pytest.approx(first, rel=1e-12)
    assert market.reports()["energy_price"] == pytest.approx(first / 0.1, rel=1e-12)
    market.update_price()
    second = math.exp(0.75 * math.log(first) + 0.25 * math.log(target))
    assert market.price == pytest.approx(second, rel=1e-12)
    assert market.previous_price_index == pytest.approx(first / 0.1, rel=1e-12)
    market.record(250.0, 12)
    assert market.sector.revenue[0] == pytest.approx(250.0 * second, rel=1e-12)


def test_demand_below_capacity_lowers_the_price():
    """Compute falls to 20: demand 20 + 100 + 336 + 70 = 526 against capacity 600 at
    month 12, P* = 0.1 (526/600)^2 < 0.1, and the price falls a quarter of the way."""
    market = electricity()
    market.calibrate(100.0)
    market.record(20.0, 12)
    market.update_price()
    target = 0.1 * (526.0 / 600.0) ** 2
    expected = math.exp(0.75 * math.log(0.1) + 0.25 * math.log(target))
    assert market.price == pytest.approx(expected, rel=1e-12)
    assert market.price < 0.1


def test_before_calibration_nothing_moves_or_is_reported():
    """No capacity yet: the price stays; no step-0 data-centre use: TWh are 0; no demand:
    every share and the bill are 0."""
    market = electricity()
    market.update_price()
    assert market.price == 0.1
    assert market.twh_a_year(123.0) == 0.0
    report = market.reports()
    for key in (
        "compute_electricity_share", "datacentre_electricity_share",
        "household_electricity_bill", "household_electricity_share",
        "electricity_demand_compute", "electricity_demand_households",
    ):  # fmt: skip
        assert report[key] == 0.0, key


def test_households_budget_share_is_the_ces_upper_nest():
    """omega_0 = 7 / 35 = 0.2. At P_E = 0.4 (p = 4) and eps_H = 0.5:
    omega = 0.2 x 4^0.5 / (0.2 x 4^0.5 + 0.8 x P_G^0.5), i.e. 0.4 / 1.2 = 1/3 at P_G = 1,
    0.4 / 2.0 = 0.2 at P_G = 4 (both prices fourfold: unchanged), 0.4 / 0.8 = 1/2 at
    P_G = 1/4. At step-0 prices omega is omega_0."""
    market = calibrated()
    assert market.initial_bill_share == pytest.approx(0.2, rel=1e-12)
    assert market.household_budget_share(1.0) == pytest.approx(0.2, rel=1e-12)
    market.sector.price[0] = 0.4
    assert market.household_budget_share(1.0) == pytest.approx(1.0 / 3.0, rel=1e-12)
    assert market.household_budget_share(4.0) == pytest.approx(0.2, rel=1e-12)
    assert market.household_budget_share(0.25) == pytest.approx(0.5, rel=1e-12)


def test_step_zero_budget_share_is_capped_at_one_half():
    """A bill of 7 beside goods spending of 3 would be 7 / 10 = 70 % of spending: the
    share is capped at 0.5, so the bill equals goods spending, 3 = 3 x 0.5 / (1 - 0.5),
    and households' kWh are 30 at $0.10. No spending on goods: no share."""
    market = calibrated(goods_spending=3.0)
    assert market.initial_bill_share == 0.5 and market.bill_share == 0.5
    assert market.initial_household_demand == pytest.approx(30.0, rel=1e-12)
    assert market.sector.household_demand[0] == pytest.approx(30.0, rel=1e-12)
    assert market.household_bill == pytest.approx(3.0, rel=1e-12)
    assert calibrated(goods_spending=0.0).initial_bill_share == 0.0


def test_bills_move_household_cash_to_the_supplier_and_conserve_money():
    """At omega = 1/3 (P_E = 0.4, P_G = 1), budgets 3, 6, 12 pay bills 1, 2, 4 out of
    cash 50 each into a supplier account holding 3: cash 49, 48, 46 and 10; the money
    total 153 is unchanged. Households buy 7 / 0.4 = 17.5 kWh and the power sector's
    revenue is compute's 10 plus the 7."""
    market = calibrated()
    market.sector.price[0] = 0.4
    household_cash = np.full(3, 50.0)
    supplier_cash = np.array([3.0])
    bills = market.bill_households(np.array([3.0, 6.0, 12.0]), 1.0, household_cash, supplier_cash)
    np.testing.assert_allclose(bills, [1.0, 2.0, 4.0], rtol=1e-12)
    np.testing.assert_allclose(household_cash, [49.0, 48.0, 46.0], rtol=1e-12)
    assert supplier_cash[0] == pytest.approx(10.0, rel=1e-12)
    assert household_cash.sum() + supplier_cash.sum() == pytest.approx(153.0, rel=1e-12)
    assert market.household_bill == pytest.approx(7.0, rel=1e-12)
    assert market.sector.household_demand[0] == pytest.approx(17.5, rel=1e-12)
    assert market.sector.revenue[0] == pytest.approx(17.0, rel=1e-12)
    assert market.reports()["electricity_demand_households"] == pytest.approx(70.0)


def test_cpi_basket_appends_electricity_with_its_share_of_spending():
    """Compute jumps to 600 at step 0: demand 600 + 50 + 280 + 70 = 1000 against capacity
    500, P* = 0.1 x 2^2 = 0.4 and the price 0.1 x 4^(1/4) = 0.1 x 2^(1/2). At P_G = 1,
    omega = 0.2 x 2^(1/4) / (0.2 x 2^(1/4) + 0.8); budgets 20 and 40 pay 60 omega, and
    with 50 of goods bought electricity's share of spending is s = 60 omega / (60 omega
    + 50). The basket: last month's goods prices and 1 for electricity, with shares
    0.8 x (0.5, 0.5) and 0.2; this month's goods prices and 2^(1/2), with shares
    (1 - s) x (0.4, 0.6) and s."""
    market = calibrated()
    market.record(600.0, 0)
    market.update_price()
    assert market.price == pytest.approx(0.1 * math.sqrt(2.0), rel=1e-12)
    omega = 0.2 * 2**0.25 / (0.2 * 2**0.25 + 0.8)
    bills = market.bill_households(np.array([20.0, 40.0]), 1.0, np.full(2, 100.0), np.zeros(1))
    np.testing.assert_allclose(bills, [20.0 * omega, 40.0 * omega], rtol=1e-12)
    market.record_household_spending(60.0 * omega + 50.0)
    share = 60.0 * omega / (60.0 * omega + 50.0)
    assert market.reports()["household_electricity_share"] == pytest.approx(share, rel=1e-12)
    previous_price, price, previous_share, now_share = market.consumer_basket(
        np.array([1.0, 1.0]), np.array([1.2, 0.9]), np.array([0.5, 0.5]), np.array([0.4, 0.6])
    )
    np.testing.assert_allclose(previous_price, [1.0, 1.0, 1.0], rtol=1e-12)
    np.testing.assert_allclose(price, [1.2, 0.9, math.sqrt(2.0)], rtol=1e-12)
    np.testing.assert_allclose(previous_share, [0.4, 0.4, 0.2], rtol=1e-12)
    expected = [(1.0 - share) * 0.4, (1.0 - share) * 0.6, share]
    np.testing.assert_allclose(now_share, expected, rtol=1e-12)
    assert now_share.sum() == pytest.approx(1.0, rel=1e-12)
