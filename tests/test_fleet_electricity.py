"""Compute's electricity follows the installed GPU fleet (docs/model.md section 4.3,
"Compute's electricity follows the installed fleet"): full-load power of every vintage
at the efficiency of the month it was ordered in, depreciating with its capacity, times
the load factor ``lambda(u) = iota + (1 - iota) u``. Round parameters as in
test_hardware_market.py: ``e`` = 1e-15 kWh per FLOP run at the target utilisation 0.8
at step 0, falling by e^-0.02 a month; depreciation 1/24 a month; lead time 2 months.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.model import EconomyModel
from sim.scenario import build_scenario
from tests.test_hardware_market import DELTA, gpu_market, providers_with

E0 = 1e-15
GAMMA = 0.02
"""ln g_E / 12 in the round parameters (g_E = e^0.24)."""
TARGET = 0.8


def full_load(idle: float, month: int = 0) -> float:
    """Full-load kWh per FLOP a month of capacity of a GPU ordered in ``month``:
    ``e(t) u* / (iota + (1 - iota) u*)``."""
    return E0 * math.exp(-GAMMA * month) * TARGET / (idle + (1 - idle) * TARGET)


def test_electricity_is_installed_power_times_the_load_factor():
    """Two providers run the same 80 FLOPs on fleets of 100 and 200 with full-load power
    100 and 200 (units of 1e-15 kWh): idle share 0.3 gives 100 (0.3 + 0.7 x 0.8) and
    200 (0.3 + 0.7 x 0.4). The larger fleet uses more electricity for the same work."""
    gpu = gpu_market(**{"hardware.idle_power": 0.3})
    providers = providers_with([100.0, 200.0, 0.0])
    providers.power = providers.capacity * E0
    providers.flops_used = np.array([80.0, 80.0, 0.0])
    kwh = gpu.fleet_kwh(providers, 0)
    np.testing.assert_allclose(
        kwh, [100 * E0 * (0.3 + 0.7 * 0.8), 200 * E0 * (0.3 + 0.7 * 0.4), 0.0], rtol=1e-12
    )


@settings(max_examples=30, deadline=None)
@given(idle=st.floats(0.0, 1.0, allow_subnormal=False), month=st.integers(0, 120))
def test_at_target_utilisation_a_vintage_uses_its_kwh_per_flop(idle, month):
    """A fleet of one vintage v run at the target utilisation uses FLOPs x e(v), whatever
    the idle share: the price's electricity per FLOP. Idle share 0: FLOPs x e(v) at any
    utilisation; idle share 1: its full-load power whatever the load."""
    gpu = gpu_market(**{"hardware.idle_power": idle})
    assert gpu.full_load_kwh_per_flop(month) == pytest.approx(full_load(idle, month), rel=1e-12)
    providers = providers_with([100.0, 50.0, 0.0])
    providers.power = providers.capacity * gpu.full_load_kwh_per_flop(month)
    providers.flops_used = providers.capacity * TARGET
    np.testing.assert_allclose(
        gpu.fleet_kwh(providers, 200), providers.flops_used * gpu.kwh_per_flop(month), rtol=1e-12
    )
    providers.flops_used = np.array([30.0, 50.0, 0.0])
    kwh = gpu.fleet_kwh(providers, 200)
    if idle == 0.0:
        np.testing.assert_allclose(kwh, providers.flops_used * E0 * math.exp(-GAMMA * month))
    if idle == 1.0:
        np.testing.assert_allclose(kwh, providers.power, rtol=1e-12)


def test_a_gpu_keeps_the_efficiency_of_the_month_it_was_ordered_in():
    """An order of 50 FLOPs a month placed in month 10 arrives in month 12 with full-load
    power 50 x 1e-15 e^-0.2 x 0.8 / 0.86 (idle share 0.3), and depreciates with its
    capacity: in month 14 both are (23/24)^3 of what arrived. Its kWh per FLOP is month
    10's, not month 14's."""
    gpu = gpu_market(**{"hardware.idle_power": 0.3})
    providers = providers_with([0.0, 0.0, 0.0])
    gpu.place_orders(np.array([50.0, 0.0, 0.0]), providers, 10)
    for month in (11, 12, 13, 14):
        gpu.open_month(providers, month)
    survival = (1 - DELTA) ** 3
    assert providers.capacity[0] == pytest.approx(50 * survival, rel=1e-12)
    assert providers.power[0] == pytest.approx(50 * full_load(0.3, 10) * survival, rel=1e-12)
    assert providers.power[0] / providers.capacity[0] > gpu.full_load_kwh_per_flop(14)


def test_an_exiting_provider_takes_its_power_on_order_with_it():
    gpu = gpu_market(**{"hardware.idle_power": 0.3})
    providers = providers_with([0.0, 0.0, 0.0])
    gpu.place_orders(np.array([50.0, 20.0, 0.0]), providers, 0)
    gpu.retire(0)
    for month in (1, 2):
        gpu.open_month(providers, month)
    assert providers.power[0] == 0.0
    assert providers.power[1] == pytest.approx(20 * full_load(0.3) * (1 - DELTA), rel=1e-12)


def test_step_zero_fleet_and_pipeline_carry_their_vintages():
    """Step 0: capacity = demand / u*, full-load power = capacity x e(0) u* / lambda(u*),
    so the step-0 fleet uses FLOPs x e(0) (the calibration of docs/model.md 4.3 is
    unchanged); the order arriving in month j (placed in month j - 2) carries its
    order month's efficiency."""
    gpu = gpu_market(**{"hardware.idle_power": 0.3})
    providers = providers_with([0.0, 0.0, 0.0])
    providers.flops_demanded = np.array([80.0, 40.0, 0.0])
    providers.flops_used = providers.flops_demanded.copy()
    gpu.calibrate(providers)
    np.testing.assert_allclose(providers.power, providers.capacity * full_load(0.3), rtol=1e-12)
    np.testing.assert_allclose(gpu.fleet_kwh(providers, 0), providers.flops_used * E0)
    for j in (1, 2):
        np.testing.assert_allclose(
            gpu.power_pipeline[:, j - 1],
            gpu.pipeline[:, j - 1] * full_load(0.3, j - 2),
            rtol=1e-12,
        )


def test_without_binding_capacity_electricity_is_flops_times_todays_kwh_per_flop():
    """The textbook limit: capacity is what demand needs at u*, all of this month's
    vintage, so electricity is FLOPs run x e(t)."""
    gpu = gpu_market(**{"hardware.capacity_binding": False, "hardware.idle_power": 0.3})
    providers = providers_with([1.0, 1.0, 0.0])
    providers.flops_used = np.array([80.0, 40.0, 0.0])
    np.testing.assert_allclose(
        gpu.fleet_kwh(providers, 24), providers.flops_used * E0 * math.exp(-GAMMA * 24)
    )


def test_the_economy_reports_the_fleet_identity_every_month():
    """In a small economy (capacity binding), every month: electricity demand of compute =
    sum over providers of M_p lambda(u_p), and no provider runs more FLOPs than it has
    installed (checked in months without an exit, whose GPUs are scrapped after the
    month's electricity is recorded)."""
    scenario = build_scenario(
        overrides={"population.workers": 400, "population.firms": 20, "run.steps": 30},
        source="test",
    )
    model = EconomyModel(scenario)
    idle = scenario.hardware.idle_power
    for _ in range(30):
        model.step()
        if model.compute_market.exits:
            continue
        providers = model.providers
        used, capacity = providers.flops_used, providers.capacity
        assert np.all(used <= capacity * (1 + 1e-9))
        utilisation = np.where(capacity > 0, used / np.where(capacity > 0, capacity, 1), 0.0)
        expected = float((providers.power * (idle + (1 - idle) * utilisation)).sum())
        sector = model.compute_market.electricity.sector
        assert sector.compute_demand[0] == pytest.approx(expected, rel=1e-12)


def test_compute_electricity_is_spending_net_of_markups_times_kwh_per_dollar():
    """docs/model.md 4.3, "What compute's electricity follows": FLOPs run by a provider are
    its revenue over (1 + mu_p) times the cost per FLOP c_F = R/f + e P_E, so with a fleet
    of the month's hardware at target utilisation (the textbook limit) compute's kWh are
    sum_p revenue_p / (1 + mu_p) x e(t) / c_F(t), whatever the tiers bought and their FLOPs
    per token."""
    scenario = build_scenario(
        overrides={
            "population.workers": 400, "population.firms": 20, "run.steps": 24,
            "hardware.capacity_binding": False,
        },
        source="test",
    )  # fmt: skip
    model = EconomyModel(scenario)
    market = model.compute_market
    for _ in range(24):
        model.step()
        providers, month = model.providers, model.month
        net = float((providers.revenue / (1.0 + providers.markup)).sum())
        expected = net * market.gpu.kwh_per_flop(month) / market.cost_per_flop(month)
        assert market.electricity.sector.compute_demand[0] == pytest.approx(expected, rel=1e-9)


def test_providers_expecting_shrinking_demand_have_no_negative_orders_at_step_zero():
    """With expected demand falling 10-fold a year, the step-0 pipeline's orders for
    growth, ``K (e^(g j) (1 - e^-g) + delta)``, would be negative for early arrivals; a
    provider cannot un-order GPUs, so they are zero, and no capacity, installed power or
    electricity bill goes negative (found by the thorough property test)."""
    gpu = gpu_market(**{"hardware.initial_demand_growth": 0.1, "hardware.idle_power": 1.0})
    providers = providers_with([0.0, 0.0, 0.0])
    providers.flops_demanded = np.array([80.0, 40.0, 0.0])
    gpu.calibrate(providers)
    assert np.all(gpu.pipeline >= 0.0) and np.all(gpu.power_pipeline >= 0.0)
    growth = math.log(0.1) / 12
    first = math.exp(growth) * (1 - math.exp(-growth)) + DELTA
    assert first < 0.0 and np.all(gpu.pipeline[:, 0] == 0.0)
    for month in (1, 2, 3):
        gpu.open_month(providers, month)
        assert np.all(providers.capacity >= 0.0) and np.all(providers.power >= 0.0)


def test_ai_outside_the_models_firms_keeps_its_place_among_data_centres():
    """With adoption diffusing, the world is sized from every firm's potential compute P
    (W = P / theta_AI); the model's firms buy D_C(0) < P, and the rest of AI's step-0 share,
    P - D_C(0), is data-centre demand outside the model's firms. So at step 0 data centres
    are theta_DC of all electricity and the users add up to W; a year on that AI has grown
    with conventional data centres (g_V)."""
    scenario = build_scenario(
        overrides={
            "population.workers": 600, "population.firms": 30, "adoption.enabled": True,
            "adoption.initial_share": 0.2,
        },
        source="test",
    )  # fmt: skip
    model = EconomyModel(scenario)
    market = model.compute_market.electricity
    compute, other = market.initial_compute_demand, market.initial_other_ai_demand
    assert other > 0.0
    world = (compute + other) / scenario.compute.compute_energy_share
    sector = market.sector
    users = (sector.compute_demand[0] + sector.datacentre_demand[0] + sector.firm_demand[0]
             + sector.household_demand[0])  # fmt: skip
    assert users == pytest.approx(world, rel=1e-9)
    assert model.report["datacentre_electricity_share"] == pytest.approx(
        scenario.energy.datacentre_share, rel=1e-9
    )
    assert model.report["electricity_demand_other_ai"] == pytest.approx(
        market.twh_a_year(other), rel=1e-12
    )
    market.record(compute, 12)
    growth = 1.0 + scenario.energy.conventional_datacentre_growth
    assert sector.datacentre_demand[0] == pytest.approx(
        (market.initial_datacentre_demand + other) * growth, rel=1e-12
    )
    assert market.reports()["electricity_demand_other_ai"] == pytest.approx(
        market.twh_a_year(other * growth), rel=1e-12
    )
