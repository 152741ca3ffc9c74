"""The electricity market (docs/model.md section 4.3): demand by user in TWh, the
calibration to the IEA's data-centre figures, the supply curve and its partial
adjustment."""

import numpy as np
import pytest

from sim.markets.energy import ElectricityMarket, goods_price_index
from sim.model import EconomyModel
from sim.scenario import build_scenario
from tests.conftest import SMALL as SHARED_SMALL

SMALL = SHARED_SMALL
"""The shared small economy (tests/conftest.py): every firm buys AI from month 0, none
needs capital goods and productivity has no aggregate shock: the electricity market alone."""


def test_step_zero_is_the_iea_calibration():
    report = EconomyModel(**SMALL).report
    assert report["compute_electricity_share"] == pytest.approx(0.0019)
    assert report["datacentre_electricity_share"] == pytest.approx(0.0127)
    assert report["electricity_demand_datacentres"] == pytest.approx(331.0)
    assert report["electricity_demand_compute"] == pytest.approx(331.0 * 0.0019 / 0.0127)
    total = sum(report[f"electricity_demand_{u}"] for u in ("compute", "firms", "households"))
    assert total == pytest.approx(331.0 / 0.0127)
    assert report["electricity_demand_households"] == pytest.approx(0.27 * (total - 331.0))
    assert report["electricity_price"] == 0.08 and report["energy_price"] == 1.0


def test_households_pay_their_bills_and_the_cpi_weights_electricity():
    """The bill is omega(t) of the budget, paid to the supplier account and returned to
    owners; at the step-0 calibration the model's households spend about 1.2 % on
    electricity (an outcome of the physical calibration, docs/model.md 4.3), and the
    electricity link enters the CPI with that weight."""
    model = EconomyModel(**SMALL)
    electricity = model.compute_market.electricity
    assert 0.005 < electricity.initial_bill_share < 0.03
    model.step()
    report = model.report
    budget_share = report["household_electricity_share"]
    bill = report["household_electricity_bill"]
    assert bill == pytest.approx(budget_share * model.households.spending.sum(), rel=1e-12)
    kwh = model.compute_market.electricity.sector.household_demand[0]
    assert kwh * report["electricity_price"] == pytest.approx(bill, rel=1e-12)
    assert model.money_error <= 1e-9
    _, p, prev_s, s = electricity.consumer_basket(
        model.previous_sector_price, model.sector_price,
        model.previous_spending_share, model.sector_spending_share,
    )  # fmt: skip
    assert s.sum() == pytest.approx(1.0) and prev_s.sum() == pytest.approx(1.0)
    assert s[-1] == budget_share and p[-1] == report["energy_price"]


def test_budget_share_is_the_ces_upper_nest():
    """omega = omega0 p^(1-e) / (omega0 p^(1-e) + (1 - omega0) P_G^(1-e)): unchanged when
    electricity and goods prices move together; with e < 1 a dearer kWh raises the bill's
    share (demand is inelastic), with e > 1 it lowers it; e = 1 keeps it fixed."""
    market = ElectricityMarket(build_scenario(overrides={"energy.household_elasticity": 0.2}))
    market.initial_bill_share = 0.015
    market.sector.price[0] = 0.08 * 1.5
    assert market.household_budget_share(1.5) == pytest.approx(0.015)
    assert market.household_budget_share(1.0) > 0.015
    expected = 0.015 * 1.5**0.8 / (0.015 * 1.5**0.8 + 0.985)
    assert market.household_budget_share(1.0) == pytest.approx(expected, rel=1e-12)
    market.household_elasticity = 3.0
    assert market.household_budget_share(1.0) < 0.015
    market.household_elasticity = 1.0
    assert market.household_budget_share(1.0) == pytest.approx(0.015)


def test_goods_price_index_is_the_ces_ideal_index():
    weights = np.array([0.2, 0.3, 0.5])
    assert goods_price_index(np.ones(3), weights, 0.5) == pytest.approx(1.0)
    prices = np.array([0.5, 1.0, 2.0])
    geometric = np.exp(weights @ np.log(prices))
    assert goods_price_index(prices, weights, 1.0) == pytest.approx(geometric)
    assert goods_price_index(prices, weights, 0.5) == pytest.approx((weights @ prices**0.5) ** 2)


def test_compute_demand_raises_households_bills():
    """Compute's electricity raises the kWh price, and with inelastic household demand
    the share of their budgets they spend on electricity: chips whose electricity per
    FLOP does not fall against the baseline's 1.4 times a year (same step 0, same seed).
    AI compute is given 5 % of the world's electricity at step 0 (data centres 6 %)
    instead of 0.19 %, so that three years of the difference move the kWh price by
    6-11 % (seeds 1-5 and 42), well beyond the noise of a 30-firm economy's paths (at
    0.19 % the effect is within it). Installed GPUs keep the efficiency of the month they
    were ordered in (docs/model.md 4.3), so the difference builds up as the fleet turns
    over: after two years it is 0-6 %. Money grows on a fixed path in both runs,
    so that the comparison holds other things equal: McCallum's rule would answer the
    two economies' different nominal GDP with different money growth, and goods prices
    with it."""
    world = {"compute.compute_energy_share": 0.05, "energy.datacentre_share": 0.06}

    def bill_share(**overrides):
        model = EconomyModel(
            **{**SMALL, **world, "run.steps": 36, "money.rule": "fixed", **overrides}
        )
        for _ in range(36):
            model.step()
        return model.report["household_electricity_share"], model.report["electricity_price"]

    base_share, base_price = bill_share()
    hungry_share, hungry_price = bill_share(**{"compute.energy_efficiency_gain": 1.0})
    assert hungry_price > base_price
    assert hungry_share > base_share


def test_price_follows_the_supply_curve_with_partial_adjustment():
    scenario = build_scenario(
        overrides={
            "compute.energy_supply_elasticity": 0.5, "compute.energy_price_adjustment": 0.25,
            "energy.conventional_datacentre_growth": 0.025,
        }
    )  # fmt: skip
    market = ElectricityMarket(scenario)
    market.calibrate(19.0)  # 0.19 % of 10,000
    market.record(19.0 + 1000.0, 0)  # demand 10 % above capacity
    market.update_price()
    target = 0.08 * 1.1 ** (1 / 0.5)
    assert market.price == pytest.approx(np.exp(0.75 * np.log(0.08) + 0.25 * np.log(target)))
    # Demand back on trend: the price converges back to its step-0 level.
    for month in range(1, 200):
        market.record(19.0 * market.trend(month), month)
        market.sector.household_demand[0] = market.initial_household_demand * market.trend(month)
        market.update_price()
    assert market.price == pytest.approx(0.08, rel=1e-6)


def test_energy_bound_raises_the_electricity_price_and_slows_compute():
    def run(**overrides):
        model = EconomyModel(**{**SMALL, "run.steps": 60, **overrides})
        for _ in range(60):
            model.step()
        return model.results().iloc[-1]

    # More of the economy's tasks open to AI than by default (docs/model.md section 1),
    # so that compute's electricity is large enough for the bound to show within five
    # years in a 600-worker economy.
    exposed = {
        "sectors.software.exposure": 0.6, "sectors.business.exposure": 0.5,
        "sectors.manufacturing.exposure": 0.3,
    }  # fmt: skip
    base = run(**exposed)
    bound = run(
        **exposed,
        **{"compute.energy_supply_elasticity": 0.2, "energy.other_demand_growth": 0.04,
           "hardware.kwh_per_gpu_hour": 4.0, "compute.energy_efficiency_gain": 1.2},
    )  # fmt: skip
    assert bound["electricity_price"] > 1.15 * base["electricity_price"]
    assert bound["compute_price_basic"] > base["compute_price_basic"]
