"""The electricity market on hand-built states (docs/model.md, "Electricity"): demand
by user, the trend of demand outside compute and of generating capacity, the supply
curve ``P* = P0 (D / K)^(1/eps)`` with partial adjustment in logs, and the TWh
accounting that scales compute's step-0 use to the IEA's data-centre figure. Round
parameters: compute is 20 % of step-0 demand, demand outside compute grows 20 % a
year, households use a quarter of it, supply elasticity 0.5, adjustment 0.25, price
$0.10 per kWh, data centres 400 TWh a year."""

from __future__ import annotations

import math

import pytest

from sim.markets.energy import ElectricityMarket
from sim.scenario import build_scenario

ROUND = {
    "compute.compute_energy_share": 0.2,
    "compute.energy_supply_elasticity": 0.5,
    "compute.energy_price_adjustment": 0.25,
    "energy.electricity_price": 0.1,
    "energy.other_demand_growth": 0.2,
    "energy.household_share": 0.25,
    "energy.data_centre_twh": 400.0,
}


def electricity() -> ElectricityMarket:
    return ElectricityMarket(build_scenario(overrides=ROUND, source="test"))


def test_step_zero_demand_by_user_and_capacity():
    """Compute uses 100 kWh = 20 % of demand: others use 400 (households 100, firms
    300), capacity is 500, compute's bill 100 x 0.1; reported TWh scale 100 kWh to 400
    TWh a year."""
    market = electricity()
    market.calibrate(100.0)
    sector = market.sector
    assert sector.compute_demand[0] == 100.0
    assert sector.household_demand[0] == pytest.approx(100.0, rel=1e-12)
    assert sector.firm_demand[0] == pytest.approx(300.0, rel=1e-12)
    assert sector.capacity[0] == pytest.approx(500.0, rel=1e-12)
    assert sector.revenue[0] == pytest.approx(10.0, rel=1e-12)
    report = market.reports()
    assert report["electricity_demand_compute"] == pytest.approx(400.0, rel=1e-12)
    assert report["electricity_demand_households"] == pytest.approx(400.0, rel=1e-12)
    assert report["electricity_demand_firms"] == pytest.approx(1200.0, rel=1e-12)
    assert report["compute_electricity_share"] == pytest.approx(0.2, rel=1e-12)
    assert report["electricity_price"] == 0.1 and report["energy_price"] == 1.0


def test_demand_outside_compute_and_capacity_grow_at_trend():
    """A year on, others use 400 x 1.2 = 480 (households 120) and capacity is 600; half a
    year on the factor is 1.2^(1/2)."""
    market = electricity()
    market.calibrate(100.0)
    assert market.trend(6) == pytest.approx(math.sqrt(1.2), rel=1e-12)
    market.record(250.0, 12)
    sector = market.sector
    assert sector.compute_demand[0] == 250.0
    assert sector.household_demand[0] == pytest.approx(120.0, rel=1e-12)
    assert sector.firm_demand[0] == pytest.approx(360.0, rel=1e-12)
    assert sector.capacity[0] == pytest.approx(600.0, rel=1e-12)
    assert sector.revenue[0] == pytest.approx(25.0, rel=1e-12)
    report = market.reports()
    assert report["electricity_demand_compute"] == pytest.approx(1000.0, rel=1e-12)
    assert report["compute_electricity_share"] == pytest.approx(250.0 / 730.0, rel=1e-12)


def test_price_moves_a_quarter_of_the_way_in_logs_toward_the_supply_curve():
    """Demand 250 + 480 = 730 against capacity 600: P* = 0.1 (730/600)^2; the price
    becomes exp(0.75 ln 0.1 + 0.25 ln P*); the next month, at the same demand, exp(0.75
    ln P1 + 0.25 ln P*). Compute's bill uses the price of the month it is recorded in."""
    market = electricity()
    market.calibrate(100.0)
    market.record(250.0, 12)
    market.update_price()
    target = 0.1 * (730.0 / 600.0) ** 2
    first = math.exp(0.75 * math.log(0.1) + 0.25 * math.log(target))
    assert market.price == pytest.approx(first, rel=1e-12)
    assert market.reports()["energy_price"] == pytest.approx(first / 0.1, rel=1e-12)
    market.update_price()
    second = math.exp(0.75 * math.log(first) + 0.25 * math.log(target))
    assert market.price == pytest.approx(second, rel=1e-12)
    market.record(250.0, 12)
    assert market.sector.revenue[0] == pytest.approx(250.0 * second, rel=1e-12)


def test_demand_below_capacity_lowers_the_price():
    """Compute falls to 20: demand 500 against capacity 600 at month 12, P* = 0.1
    (5/6)^2 < 0.1."""
    market = electricity()
    market.calibrate(100.0)
    market.record(20.0, 12)
    market.update_price()
    target = 0.1 * (500.0 / 600.0) ** 2
    assert market.price == pytest.approx(
        math.exp(0.75 * math.log(0.1) + 0.25 * math.log(target)), rel=1e-12
    )


def test_before_calibration_nothing_moves_or_is_reported():
    """No capacity yet: the price stays; no step-0 compute use: TWh are 0."""
    market = electricity()
    market.update_price()
    assert market.price == 0.1
    assert market.twh_a_year(123.0) == 0.0
    assert market.reports()["compute_electricity_share"] == 0.0
