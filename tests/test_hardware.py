"""GPU capacity and the hardware sector (docs/model.md section 4.2): the rental price is
the user cost of capital, a demand surge against capacity raises rental and hardware
prices and rations buyers until new capacity arrives, and the money accounts close."""

import numpy as np
import pytest

from sim.model import EconomyModel
from tests.conftest import SMALL as SHARED_SMALL

SMALL = SHARED_SMALL
"""The shared small economy (tests/conftest.py): every firm buys AI from month 0, none
needs capital goods and productivity has no aggregate shock: the GPU market alone."""


def _frame(months: int, **overrides):
    model = EconomyModel(**{**SMALL, "run.steps": months, **overrides})
    for _ in range(months):
        model.step()
    return model, model.results()


def test_without_binding_capacity_there_is_no_scarcity():
    _, frame = _frame(24, **{"hardware.capacity_binding": False})
    assert frame["gpu_rental_price"].nunique() == 1
    assert (frame["hardware_price"] == 1.0).all()
    np.testing.assert_allclose(frame["gpu_utilisation"].iloc[1:], 0.8, rtol=1e-9)


def test_a_demand_surge_raises_gpu_and_hardware_prices_until_capacity_arrives():
    """Providers expect no growth and GPUs take a year to arrive: the surge of demand as
    tokens get cheaper meets fixed capacity (150 firms, 3,000 workers)."""
    surge = {
        "hardware.initial_demand_growth": 1.0,
        "hardware.lead_time": 12,
        "population.firms": 150,
        "population.workers": 3000,
    }
    _, calm = _frame(36, **{key: surge[key] for key in ("population.firms", "population.workers")})
    _, short = _frame(36, **surge)
    assert short["gpu_rental_price"].max() > 1.5 * calm["gpu_rental_price"].iloc[0]
    assert short["gpu_rental_price"].max() > calm["gpu_rental_price"].max()
    assert short["hardware_price"].max() > 1.0
    assert short["gpu_utilisation"].iloc[1:13].max() > 0.95  # (short providers ration)
    # New capacity arrives and the scarcity unwinds.
    assert short["gpu_rental_price"].iloc[-1] < short["gpu_rental_price"].max()


def test_rationing_gives_every_customer_of_a_short_provider_the_same_share():
    """Provider 0 has half the GPUs its demand needs, the others enough: each firm gets
    half of the work it routes to provider 0 and all the rest, ``1 - m_i0 / 2`` of its
    plan, and provider 0 serves half of what it was asked."""
    model = EconomyModel(**SMALL)
    providers, market, firms = model.providers, model.compute_market, model.firms
    providers.capacity[:] = 2.0 * providers.flops_demanded
    providers.capacity[0] = 0.5 * providers.flops_demanded[0]
    ratio = market.ration(firms.tokens, firms.tier, firms.provider_mix, providers, 0)
    np.testing.assert_allclose(ratio, 1.0 - 0.5 * firms.provider_mix[:, 0], rtol=1e-9)
    served = market.routed_tokens.sum(axis=0)
    asked = (firms.tokens[:, None] * firms.provider_mix).sum(axis=0)
    np.testing.assert_allclose(served[0], 0.5 * asked[0], rtol=1e-9)
    np.testing.assert_allclose(served[1:], asked[1:], rtol=1e-9)


def test_investment_is_paid_for_inside_the_money_accounts():
    model, frame = _frame(24)
    # Providers invest in most months from month 2 (in month 1 firms whose cash buffer
    # is under a month of costs buy less compute while their loans and staff adjust);
    # in a month when demand falls short of capacity a provider orders nothing.
    assert (frame["gpu_investment"].iloc[2:] > 0.0).mean() > 0.8
    assert frame["money_error"].max() <= 1e-9
    assert model.compute_market.gpu.sector.revenue[0] == pytest.approx(
        frame["gpu_investment"].iloc[-1]
    )
