"""The AI supply chain in physical units (docs/model.md section 4): FLOPs per token fall
with algorithmic progress at fixed capability, the tier's decline parameter matters,
prices fall at exactly the tier's rate at trend input prices, and the slowdown has its
closed form."""

import numpy as np
import pytest

from sim.markets.compute import target_shares
from sim.model import EconomyModel
from sim.scenario import build_scenario

SMALL = {"population.workers": 600, "population.firms": 30}

# Trend input prices: no scarcity, competitive prices, electricity in perfectly elastic
# supply and saving electricity per FLOP as fast as hardware saves dollars per FLOP.
TREND = {
    "hardware.capacity_binding": False,
    "compute.pricing": "competitive",
    "compute.energy_supply_elasticity": 100.0,
    "compute.energy_efficiency_gain": 1.35,
    "hardware.price_performance": 1.35,
}


def _prices(months: int, **overrides) -> np.ndarray:
    model = EconomyModel(**{**SMALL, "run.steps": months, **overrides})
    for _ in range(months):
        model.step()
    frame = model.results()
    return frame[[f"compute_price_{t}" for t in model.compute_market.tier_names]].to_numpy()


def test_halving_a_tiers_decline_changes_its_ten_year_fall_at_least_tenfold():
    """The issue's test: halving the basic tier's algorithmic decline (9 -> 4.5 a year
    at trend, so 6.7 -> 3.3 in FLOPs per token) in the baseline."""
    fast = _prices(120)[:, 0]
    slow = _prices(120, **{"compute.tiers.basic.annual_decline": 4.5})[:, 0]
    ratio = (fast[0] / fast[120]) / (slow[0] / slow[120])
    assert ratio >= 10.0


def test_at_trend_input_prices_every_tier_falls_at_exactly_its_rate():
    """Up to the electricity price, which still moves as (demand / capacity)^(1/100)."""
    prices = _prices(36, **TREND, **{"compute.algorithmic_halflife": 0.0})
    declines = np.array([9.0, 19.0, 40.0])
    for year in (1, 2, 3):
        measured = prices[12 * (year - 1)] / prices[12 * year]
        np.testing.assert_allclose(measured, declines, rtol=1e-3)


def test_slowing_progress_has_the_closed_form_and_a_bound():
    months = np.arange(0, 241, 12)
    scenario = build_scenario(
        overrides={"compute.slowdown_start": 1.0, "compute.algorithmic_halflife": 2.0}
    )
    model = EconomyModel(config=scenario, **SMALL)
    market = model.compute_market
    years = np.array([market.algorithmic_years(int(m)) for m in months])
    t = months / 12.0
    expected = np.where(t <= 1.0, t, 1.0 + 2.0 / np.log(2.0) * (1.0 - 2.0 ** (-(t - 1.0) / 2.0)))
    np.testing.assert_allclose(years, expected, rtol=1e-12)
    assert years[-1] < 1.0 + 2.0 / np.log(2.0)  # progress at fixed capability is bounded
    flops = np.array([market.flops_per_token(int(m)) for m in months])
    algorithmic = np.array([9.0, 19.0, 40.0]) / 1.35
    np.testing.assert_allclose(
        flops / flops[0], algorithmic[None, :] ** -years[:, None], rtol=1e-12
    )


def test_prices_are_calibrated_to_the_tier_prices_and_flops_are_physical():
    model = EconomyModel(**SMALL, **{"compute.provider_cost_dispersion": 0.0})
    providers, market = model.providers, model.compute_market
    shares = target_shares(4, [0.40, 0.27, 0.21])
    weighted = shares @ providers.prices[providers.active]
    np.testing.assert_allclose(weighted, market.initial_price, rtol=1e-9)
    flops = model.report
    assert 1e11 < flops["flops_per_token_basic"] < flops["flops_per_token_frontier"] < 1e15
    assert model.report["gpu_rental_price"] == pytest.approx(
        25_000 * (1 / 48 + 0.10 / 12 + np.log(1.35) / 12) / 730, rel=1e-9
    )


def test_price_per_task_rises_while_price_per_token_falls_with_reasoning():
    """Gundlach et al. (2025): tokens per task growing faster than the per-token price
    falls make the price per task rise."""
    model = EconomyModel(
        **SMALL, **TREND,
        **{"compute.tiers.frontier.tokens_per_task_growth": 60.0, "run.steps": 24},
    )  # fmt: skip
    for _ in range(24):
        model.step()
    frame = model.results()
    assert frame["compute_price_frontier"].iloc[24] < frame["compute_price_frontier"].iloc[0]
    assert frame["task_price_frontier"].iloc[24] > frame["task_price_frontier"].iloc[0]
