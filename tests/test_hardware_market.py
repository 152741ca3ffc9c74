"""The GPU market on hand-built states (docs/model.md section 4.2, after Hall &
Jorgenson 1967 for the rental and Hobbhahn & Besiroglu 2022 for price-performance):
the rental price as the user cost of capital times scarcity, the hardware price along
its supply curve with partial adjustment, the lead time of orders, depreciation,
providers' demand expectations and orders, and the step-0 pipeline. Expected numbers
are worked out here from the equations, with round parameters: a GPU costs $24,000,
lives 2 years (depreciation 1/24 a month), owners want 12 % a year (1 % a month) and
price-performance grows by e^0.12 a year (ln g_H / 12 = 1 % a month).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from sim.agents.providers import Providers
from sim.markets.hardware import GPUMarket
from sim.scenario import build_scenario

ROUND = {
    "hardware.gpu_price": 24_000.0,
    "hardware.life_years": 2.0,
    "hardware.cost_of_capital": 0.12,
    "hardware.price_performance": math.exp(0.12),
    "hardware.flops_per_gpu_hour": 1e15,
    "hardware.kwh_per_gpu_hour": 1.0,
    "compute.energy_efficiency_gain": math.exp(0.24),
    "hardware.lead_time": 2,
    "hardware.target_utilisation": 0.8,
    "hardware.scarcity_elasticity": 2.0,
    "hardware.supply_elasticity": 0.5,
    "hardware.price_adjustment": 0.5,
    "hardware.production_growth": math.exp(0.12),
    "hardware.production_headroom": 0.25,
    "hardware.initial_demand_growth": math.exp(0.12),
    "hardware.capacity_binding": True,
}
DELTA = 1.0 / 24.0


def gpu_market(n_slots: int = 3, **overrides) -> GPUMarket:
    scenario = build_scenario(overrides={**ROUND, **overrides}, source="test")
    return GPUMarket(scenario, n_slots)


def providers_with(capacity, active=(True, True, False)) -> Providers:
    providers = Providers(np.ones(len(capacity)), np.zeros(len(capacity)), sum(active), 3)
    providers.active = np.array(active)
    providers.capacity = np.array(capacity, dtype=float)
    return providers


def test_rental_is_the_user_cost_of_capital_and_flops_follow_the_trend():
    """R = P_GPU (delta + r + ln g_H) / 730 per GPU-hour (monthly rates): 24,000 x
    (1/24 + 0.01 + 0.01) / 730. A year on a GPU delivers 1e15 e^0.12 FLOPs an hour and
    uses 1 / 1e15 e^-0.24 kWh per FLOP."""
    gpu = gpu_market()
    rental = 24_000 * (1 / 24 + 0.01 + 0.01) / 730
    assert gpu.rental_price() == pytest.approx(rental, rel=1e-12)
    assert gpu.flops_per_gpu_hour(12) == pytest.approx(1e15 * math.exp(0.12), rel=1e-12)
    assert gpu.kwh_per_flop(12) == pytest.approx(1e-15 * math.exp(-0.24), rel=1e-12)
    assert gpu.capital_cost_per_flop(12) == pytest.approx(
        rental / (1e15 * math.exp(0.12)), rel=1e-12
    )
    per_flop_month = 24_000 / (1e15 * math.exp(0.12) * 730)
    assert gpu.capacity_price(12) == pytest.approx(per_flop_month, rel=1e-12)
    assert gpu.gpus(730e15 * math.exp(0.12) * 5, 12) == pytest.approx(5.0, rel=1e-12)
    gpu.sector.price_index[0] = 2.0
    gpu.scarcity = 1.5
    assert gpu.gpu_price() == pytest.approx(48_000.0, rel=1e-12)
    assert gpu.rental_price() == pytest.approx(rental * 2.0 * 1.5, rel=1e-12)


def test_orders_arrive_after_the_lead_time_and_capacity_depreciates():
    """Lead time 2: an order of 50 placed in month 0 is in use from month 2. Capacity
    100 wears out by 1/24 a month: 100 x 23/24 in month 1, (100 x 23/24 + 50) x 23/24
    in month 2."""
    gpu = gpu_market()
    providers = providers_with([100.0, 0.0, 0.0])
    gpu.sector.orders[0] = gpu.sector.production_capacity[0] = 1.0
    spend = gpu.place_orders(np.array([50.0, 0.0, 0.0]), providers, 0)
    np.testing.assert_allclose(gpu.pipeline, [[0.0, 50.0], [0.0, 0.0], [0.0, 0.0]])
    assert spend[0] == pytest.approx(50 * 24_000 / (1e15 * 730), rel=1e-12)
    assert gpu.sector.revenue[0] == pytest.approx(spend.sum(), rel=1e-12)
    assert gpu.sector.orders[0] == pytest.approx(50 / (1e15 * 730), rel=1e-12)
    gpu.sector.orders[0] = gpu.sector.production_capacity[0] = 1.0
    gpu.open_month(providers, 1)
    assert providers.capacity[0] == pytest.approx(100 * (1 - DELTA), rel=1e-12)
    gpu.sector.orders[0] = gpu.sector.production_capacity[0] = 1.0
    gpu.open_month(providers, 2)
    assert providers.capacity[0] == pytest.approx((100 * (1 - DELTA) + 50) * (1 - DELTA))
    np.testing.assert_array_equal(gpu.pipeline, 0.0)


def test_without_a_lead_time_an_order_is_capacity_at_once():
    gpu = gpu_market(**{"hardware.lead_time": 0})
    providers = providers_with([100.0, 10.0, 0.0])
    gpu.place_orders(np.array([50.0, 1.0, 0.0]), providers, 0)
    np.testing.assert_allclose(providers.capacity, [150.0, 11.0, 0.0])
    gpu.sector.orders[0] = gpu.sector.production_capacity[0] = 1.0
    gpu.open_month(providers, 1)
    np.testing.assert_allclose(providers.capacity, [150 * (1 - DELTA), 11 * (1 - DELTA), 0.0])


def test_hardware_price_moves_half_way_in_logs_toward_its_supply_curve():
    """Orders 4 times production with supply elasticity 0.5: chi* = 4^2 = 16; with
    lambda = 0.5 the index goes 1 -> 4 -> 8 (ln chi = 0.5 ln 4 + 0.5 ln 16), then with
    orders below production (target 1) back to sqrt(8). Production capacity grows by
    e^0.12 a year from its step-0 level."""
    gpu = gpu_market()
    providers = providers_with([100.0, 0.0, 0.0])
    gpu.initial_production = 3.0
    for month, expected in ((1, 4.0), (2, 8.0)):
        gpu.sector.production_capacity[0] = 1.0
        gpu.sector.orders[0] = 4.0
        gpu.open_month(providers, month)
        assert gpu.sector.price_index[0] == pytest.approx(expected, rel=1e-12)
    assert gpu.sector.production_capacity[0] == pytest.approx(3.0 * math.exp(0.02), rel=1e-12)
    gpu.sector.orders[0] = 0.5
    gpu.open_month(providers, 12)
    assert gpu.sector.price_index[0] == pytest.approx(math.sqrt(8.0), rel=1e-12)
    assert gpu.sector.production_capacity[0] == pytest.approx(3.0 * math.exp(0.12), rel=1e-12)


def test_scarcity_raises_the_rental_when_expected_demand_outruns_planned_use():
    """Capacity 100 depreciates to 100 x 23/24; providers plan to use 0.8 of it and
    expect 160: ratio r = 160 / (0.8 x 100 x 23/24), S* = r^2 and S = exp(0.5 ln S*)
    = r. Then with expected demand below planned use S* = 1 and S halves its log."""
    gpu = gpu_market()
    providers = providers_with([100.0, 0.0, 0.0])
    providers.expected_flops = np.array([160.0, 0.0, 0.0])
    gpu.sector.orders[0] = gpu.sector.production_capacity[0] = 1.0
    gpu.open_month(providers, 1)
    ratio = 160 / (0.8 * 100 * (1 - DELTA))
    assert gpu.scarcity == pytest.approx(ratio, rel=1e-12)
    assert gpu.rental_price() == pytest.approx(24_000 * (1 / 24 + 0.02) / 730 * ratio, rel=1e-12)
    providers.expected_flops[0] = 1.0
    gpu.sector.orders[0] = gpu.sector.production_capacity[0] = 1.0
    gpu.open_month(providers, 2)
    assert gpu.scarcity == pytest.approx(math.sqrt(ratio), rel=1e-12)


def test_price_targets_are_capped_at_a_million_times_their_start():
    """Supply elasticity 0.01, full adjustment: orders 1,000 times production would ask
    for chi* = 1000^100; the target is capped at 1e6. Likewise scarcity with zeta = 20
    and demand 1e3 times planned use."""
    gpu = gpu_market(
        **{
            "hardware.supply_elasticity": 0.01,
            "hardware.price_adjustment": 1.0,
            "hardware.scarcity_elasticity": 20.0,
        }
    )
    providers = providers_with([100.0, 0.0, 0.0])
    providers.expected_flops = np.array([8e4 * (1 - DELTA), 0.0, 0.0])
    gpu.sector.orders[0] = 1000.0
    gpu.sector.production_capacity[0] = 1.0
    gpu.open_month(providers, 1)
    assert gpu.sector.price_index[0] == pytest.approx(1e6, rel=1e-9)
    assert gpu.scarcity == pytest.approx(1e6, rel=1e-9)


def test_without_binding_capacity_nothing_is_scarce_and_capacity_follows_demand():
    gpu = gpu_market(**{"hardware.capacity_binding": False})
    providers = providers_with([100.0, 10.0, 5.0])
    providers.flops_demanded = np.array([200.0, 4.0, 0.0])
    providers.expected_flops = np.array([1e9, 0.0, 0.0])
    gpu.sector.orders[0] = 10.0
    gpu.sector.production_capacity[0] = 1.0
    gpu.open_month(providers, 1)
    assert gpu.scarcity == 1.0 and gpu.sector.price_index[0] == 1.0
    np.testing.assert_array_equal(providers.capacity, [100.0, 10.0, 5.0])
    np.testing.assert_array_equal(gpu.capacity_ratio(providers), [1.0, 1.0, 1.0])
    providers.expected_flops = np.array([190.0, 5.0, 0.0])
    order = gpu.plan_orders(providers, 1)
    # Wanted = demand / 0.8 = 250 and 5: orders 250 - 100 and 0 (capacity 10 is enough).
    np.testing.assert_allclose(order, [150.0, 0.0, 0.0], rtol=1e-12)
    gpu.place_orders(order, providers, 1)
    np.testing.assert_allclose(providers.capacity, [250.0, 5.0, 0.0], rtol=1e-12)
    np.testing.assert_array_equal(gpu.pipeline, 0.0)


def test_capacity_ratio_is_the_share_of_demand_capacity_can_serve():
    gpu = gpu_market()
    providers = providers_with([50.0, 300.0, 0.0])
    providers.flops_demanded = np.array([100.0, 200.0, 0.0])
    np.testing.assert_allclose(gpu.capacity_ratio(providers), [0.5, 1.0, 1.0])


def test_providers_order_for_expected_demand_grown_over_the_lead_time():
    """Expected demand E moves 0.3 of the way to demand; the growth estimate moves 0.3
    of the way to ln(demand / E) clipped to +-0.05. Provider 0: demand 110 against 100,
    ln 1.1 clipped to 0.05, g = 0.015, E = 103; it wants 103 e^(0.015 x 3) / 0.8 and
    has 100 x 23/24 in use next month and 15 on order. Provider 1: demand 50 against
    100, g = -0.015, E = 85, wants 85 e^-0.045 / 0.8 < 200 x 23/24: no order. Slot 2 is
    empty: no order."""
    gpu = gpu_market()
    providers = providers_with([100.0, 200.0, 0.0])
    providers.flops_demanded = np.array([110.0, 50.0, 10.0])
    providers.expected_flops = np.array([100.0, 100.0, 10.0])
    gpu.pipeline[0] = [10.0, 5.0]
    order = gpu.plan_orders(providers, 1)
    np.testing.assert_allclose(providers.flops_growth, [0.015, -0.015, 0.0], atol=1e-15)
    np.testing.assert_allclose(providers.expected_flops, [103.0, 85.0, 10.0], rtol=1e-12)
    wanted = 103 * math.exp(0.015 * 3) / 0.8
    np.testing.assert_allclose(order, [wanted - 100 * (1 - DELTA) - 15, 0.0, 0.0], rtol=1e-12)


def test_a_provider_without_demand_keeps_its_growth_estimate_decaying():
    """Zero demand (or zero expectation) gives no growth reading: the estimate moves
    0.3 of the way to 0."""
    gpu = gpu_market()
    providers = providers_with([100.0, 100.0, 0.0])
    providers.flops_growth = np.array([0.02, 0.02, 0.0])
    providers.flops_demanded = np.array([0.0, 100.0, 1.0])
    providers.expected_flops = np.array([100.0, 0.0, 0.5])
    gpu.plan_orders(providers, 1)
    # Slot 2: demand 1 against 0.5 expected, ln 2 clipped to 0.05: 0.3 x 0.05.
    np.testing.assert_allclose(providers.flops_growth, [0.014, 0.014, 0.015], rtol=1e-12)


def test_step_zero_capacity_pipeline_and_hardware_production():
    """Demand 80 and 40 at utilisation 0.8: capacity 100 and 50. Demand is expected to
    grow at g = 0.01 a month; the order arriving in a months is capacity x (e^(g a)
    (1 - e^-g) + delta). The hardware sector makes 1.25 times the latest month's orders
    (in GPUs: FLOPs a month / (1e15 x 730))."""
    gpu = gpu_market()
    providers = providers_with([0.0, 0.0, 0.0])
    providers.flops_demanded = np.array([80.0, 40.0, 0.0])
    gpu.calibrate(providers)
    np.testing.assert_allclose(providers.capacity, [100.0, 50.0, 0.0], rtol=1e-12)
    np.testing.assert_allclose(providers.expected_flops, [80.0, 40.0, 0.0], rtol=1e-12)
    np.testing.assert_allclose(providers.flops_growth, [0.01, 0.01, 0.0], rtol=1e-12)
    step = [math.exp(0.01 * a) * (1 - math.exp(-0.01)) + DELTA for a in (1, 2)]
    np.testing.assert_allclose(gpu.pipeline[0], 100 * np.array(step), rtol=1e-12)
    np.testing.assert_allclose(gpu.pipeline[1], 50 * np.array(step), rtol=1e-12)
    np.testing.assert_array_equal(gpu.pipeline[2], 0.0)
    latest = 150 * step[1] / (1e15 * 730)
    assert gpu.sector.orders[0] == pytest.approx(latest, rel=1e-12)
    assert gpu.initial_production == pytest.approx(1.25 * latest, rel=1e-12)
    assert gpu.sector.production_capacity[0] == pytest.approx(1.25 * latest, rel=1e-12)
    gpu.retire(0)
    np.testing.assert_array_equal(gpu.pipeline[0], 0.0)
    np.testing.assert_allclose(gpu.pipeline[1], 50 * np.array(step), rtol=1e-12)


def test_without_capacity_scarcity_does_not_move():
    """No capacity at all (planned use 0): the ratio of demand to planned use is taken as
    1, so the scarcity factor stays where it was."""
    gpu = gpu_market()
    providers = providers_with([0.0, 0.0, 0.0])
    providers.expected_flops = np.array([50.0, 0.0, 0.0])
    gpu.sector.orders[0] = gpu.sector.production_capacity[0] = 1.0
    gpu.open_month(providers, 1)
    assert gpu.scarcity == 1.0


def test_a_one_month_lead_time_delivers_next_month():
    gpu = gpu_market(**{"hardware.lead_time": 1})
    providers = providers_with([100.0, 0.0, 0.0])
    gpu.place_orders(np.array([50.0, 0.0, 0.0]), providers, 0)
    gpu.sector.orders[0] = gpu.sector.production_capacity[0] = 1.0
    gpu.open_month(providers, 1)
    assert providers.capacity[0] == pytest.approx(150.0 * (1 - DELTA), rel=1e-12)
    np.testing.assert_array_equal(gpu.pipeline, 0.0)
