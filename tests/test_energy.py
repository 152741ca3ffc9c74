"""The electricity market (docs/model.md section 4.3): demand by user in TWh, the
calibration to the IEA's data-centre figures, the supply curve and its partial
adjustment."""

import numpy as np
import pytest

from sim.markets.energy import ElectricityMarket
from sim.model import EconomyModel
from sim.scenario import build_scenario

SMALL = {"population.workers": 600, "population.firms": 30}


def test_step_zero_is_the_iea_calibration():
    report = EconomyModel(**SMALL).report
    assert report["compute_electricity_share"] == pytest.approx(0.015)
    assert report["electricity_demand_compute"] == pytest.approx(415.0)
    total = sum(report[f"electricity_demand_{u}"] for u in ("compute", "firms", "households"))
    assert total == pytest.approx(415.0 / 0.015)
    assert report["electricity_demand_households"] == pytest.approx(0.27 * (total - 415.0))
    assert report["electricity_price"] == 0.08 and report["energy_price"] == 1.0


def test_price_follows_the_supply_curve_with_partial_adjustment():
    scenario = build_scenario(
        overrides={"compute.energy_supply_elasticity": 0.5, "compute.energy_price_adjustment": 0.25}
    )
    market = ElectricityMarket(scenario)
    market.calibrate(150.0)  # 1.5 % of 10,000
    market.record(150.0 + 1000.0, 0)  # demand 10 % above capacity
    market.update_price()
    target = 0.08 * 1.1 ** (1 / 0.5)
    assert market.price == pytest.approx(np.exp(0.75 * np.log(0.08) + 0.25 * np.log(target)))
    # Demand back on trend: the price converges back to its step-0 level.
    for month in range(1, 200):
        market.record(150.0 * market.trend(month), month)
        market.update_price()
    assert market.price == pytest.approx(0.08, rel=1e-6)


def test_energy_bound_raises_the_electricity_price_and_slows_compute():
    def run(**overrides):
        model = EconomyModel(**SMALL, **{"run.steps": 60, **overrides})
        for _ in range(60):
            model.step()
        return model.results().iloc[-1]

    base = run()
    bound = run(
        **{"compute.energy_supply_elasticity": 0.2, "energy.other_demand_growth": 0.04,
           "hardware.kwh_per_gpu_hour": 4.0, "compute.energy_efficiency_gain": 1.2}
    )  # fmt: skip
    assert bound["electricity_price"] > 1.15 * base["electricity_price"]
    assert bound["compute_price_basic"] > base["compute_price_basic"]
