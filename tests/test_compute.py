"""The AI supply chain in physical units (docs/model.md section 4): FLOPs per token fall
with algorithmic progress at fixed capability, the tier's decline parameter matters,
prices fall at exactly the tier's rate at trend input prices, and the slowdown has its
closed form."""

import numpy as np
import pandas as pd
import pytest

from sim.markets.compute import target_shares
from sim.model import EconomyModel
from sim.scenario import build_scenario

SMALL = {"population.workers": 600, "population.firms": 30, "adoption.enabled": False}

# Trend input prices: no scarcity, competitive prices, electricity in perfectly elastic
# supply and saving electricity per FLOP as fast as hardware saves dollars per FLOP. No
# training cost: at marginal-cost prices a fixed cost is never covered and the market
# would fall to one provider (docs/model.md 5, "Exit"), as in the frictionless scenario.
TREND = {
    "hardware.capacity_binding": False,
    "compute.pricing": "competitive",
    "compute.training_cost": 0.0,
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
    """Up to the electricity price, which still moves as (demand / capacity)^(1/100).
    Each tier falls at its own rate until it meets a less capable tier: the frontier
    ($60, 40x a year) meets the advanced tier ($20, 19x) when 3 = (40/19)^t, at
    t = 1.47 years, and falls at 19x from then on; so in year 2 it falls
    40^0.47 x 19^0.53 and in year 3 19x."""
    prices = _prices(36, **TREND, **{"compute.algorithmic_halflife": 0.0})
    crossing = np.log(3.0) / np.log(40.0 / 19.0)
    frontier_year_2 = 40.0 ** (crossing - 1.0) * 19.0 ** (2.0 - crossing)
    declines = {1: [9.0, 19.0, 40.0], 2: [9.0, 19.0, frontier_year_2], 3: [9.0, 19.0, 19.0]}
    for year in (1, 2, 3):
        measured = prices[12 * (year - 1)] / prices[12 * year]
        np.testing.assert_allclose(measured, declines[year], rtol=1e-3)


def test_a_tier_never_needs_fewer_flops_per_token_than_a_less_capable_one():
    """A model that reaches a capability reaches every lower one. Sustained progress,
    price-performance 1.35: basic $1 falling 2x a year, advanced $2 falling 2x, frontier
    $4 falling 8x. The frontier's own trend meets the advanced tier's when
    4 / 8^t = 2 / 2^t, at t = 0.5 years: at month 3 it is 4 x (2/8)^0.25 = 2.828 times
    the basic tier's FLOPs per token, from month 6 on 2 (the advanced tier's); the basic
    and advanced tiers keep their own trends (advanced / basic = 2)."""
    overrides = {
        "compute.algorithmic_halflife": 0.0,
        "compute.tiers.basic.price": 1.0,
        "compute.tiers.basic.annual_decline": 2.0,
        "compute.tiers.advanced.price": 2.0,
        "compute.tiers.advanced.annual_decline": 2.0,
        "compute.tiers.frontier.price": 4.0,
        "compute.tiers.frontier.annual_decline": 8.0,
    }
    market = EconomyModel(config=build_scenario(overrides=overrides), **SMALL).compute_market
    for month, frontier in ((0, 4.0), (3, 4.0 * 0.25**0.25), (6, 2.0), (12, 2.0), (60, 2.0)):
        flops = market.flops_per_token(month)
        np.testing.assert_allclose(flops / flops[0], [1.0, 2.0, frontier], rtol=1e-12)
    basic = market.flops_per_token(12)[0] / market.flops_per_token(0)[0]
    assert basic == pytest.approx(1.35 / 2.0, rel=1e-12)


def test_tiers_of_equal_capability_keep_their_own_flops_per_token():
    """The floor applies to strictly less capable tiers only: basic and advanced both at
    rank 0, $1 falling 2x a year and $2 falling 8x (sustained progress; FLOPs per token
    start in proportion to price): advanced / basic = 2 at step 0, 2 x 2 / 8 = 0.5 after
    a year and 0.125 after two: the advanced tier falls below the basic tier, not held
    at its level. The frontier (rank 1, $4 falling 8x) is held: its own trend 4 / 8^t
    meets the basic tier's 1 / 2^t at t = 1 year, and after two years it needs as many
    FLOPs per token as the basic tier."""
    overrides = {
        "compute.algorithmic_halflife": 0.0,
        "compute.tiers.basic.price": 1.0,
        "compute.tiers.basic.annual_decline": 2.0,
        "compute.tiers.advanced.rank": 0,
        "compute.tiers.advanced.price": 2.0,
        "compute.tiers.advanced.annual_decline": 8.0,
        "compute.tiers.frontier.rank": 1,
        "compute.tiers.frontier.price": 4.0,
        "compute.tiers.frontier.annual_decline": 8.0,
    }
    market = EconomyModel(config=build_scenario(overrides=overrides), **SMALL).compute_market
    names = market.tier_names
    basic, advanced, frontier = (names.index(t) for t in ("basic", "advanced", "frontier"))
    for month, ratio in ((0, 2.0), (12, 0.5), (24, 0.125)):
        flops = market.flops_per_token(month)
        assert flops[advanced] / flops[basic] == pytest.approx(ratio, rel=1e-12)
    flops = market.flops_per_token(24)
    assert flops[frontier] / flops[basic] == pytest.approx(1.0, rel=1e-12)


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
    # Each tier's own trend (FLOPs per token at step 0 in proportion to its price, $1,
    # $20, $60), never below a less capable tier's.
    start = np.array([1.0, 20.0, 60.0])
    trend = start[None, :] * algorithmic[None, :] ** -years[:, None]
    expected = np.maximum.accumulate(trend, axis=1) / start
    np.testing.assert_allclose(flops / flops[0], expected, rtol=1e-12)
    assert (expected[-1] > algorithmic ** -years[-1]).any()  # the floor binds here


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


def test_the_newest_models_price_per_token_falls_at_its_own_rate():
    """Upgrading (docs/model.md 6): at trend input prices with sustained progress, the
    price per token of each tier's newest model falls by u = 4.5 a year, while the price
    at fixed capability falls by d_k; so U_k grows by d_k / u a year (9 / 4.5 = 2 for the
    basic tier) until the tier meets a less capable one, and the tokens bought are the
    fixed-capability tokens divided by U_k firm by firm."""
    model = EconomyModel(
        **SMALL, **TREND, **{"compute.algorithmic_halflife": 0.0, "run.steps": 12}
    )  # fmt: skip
    for _ in range(12):
        model.step()
    frame = model.results()
    tiers = model.compute_market.tier_names
    newest = frame[[f"token_price_bought_{t}" for t in tiers]].to_numpy()
    np.testing.assert_allclose(newest[0] / newest[12], 4.5, rtol=1e-3)
    upgrade = frame[[f"upgrade_factor_{t}" for t in tiers]].to_numpy()
    np.testing.assert_allclose(upgrade[0], 1.0, rtol=1e-12)
    np.testing.assert_allclose(upgrade[12], np.array([9.0, 19.0, 40.0]) / 4.5, rtol=1e-9)
    firms = model.firms
    expected = (firms.tokens / upgrade[12][firms.tier]).sum()
    assert frame["tokens_bought"].iloc[12] == pytest.approx(expected, rel=1e-12)
    assert frame["tokens_bought"].iloc[12] < frame["tokens"].iloc[12]


def test_a_tier_whose_decline_is_slower_than_the_newest_models_has_nothing_to_upgrade_to():
    """U_k = max(phi_new / phi_k, 1): with u = 20 the basic (9x) and advanced (19x) tiers
    keep U = 1 and the frontier (40x) grows by 2 a year, and tokens bought equal tokens
    when every model is the newest (u at least every tier's decline)."""
    scenario = build_scenario(
        overrides={"compute.newest_model_decline": 20.0, "compute.algorithmic_halflife": 0.0}
    )
    market = EconomyModel(config=scenario, **SMALL).compute_market
    np.testing.assert_allclose(market.upgrade_factor(12), [1.0, 1.0, 2.0], rtol=1e-9)
    scenario = build_scenario(overrides={"compute.newest_model_decline": 40.0})
    model = EconomyModel(config=scenario, **SMALL)
    for _ in range(6):
        model.step()
    assert model.report["tokens_bought"] == pytest.approx(model.report["tokens"], rel=1e-12)


def test_the_newest_model_decline_is_the_median_of_the_record_models_fits():
    """The default of compute.newest_model_decline is recomputed from the shipped data:
    a log-linear fit of the price per token of record-setting models on their release
    dates, one per benchmark, and the median of the fitted annual declines."""
    from sim.data import load
    from sim.scenario.schema import ComputeConfig

    records = load("record_model_prices")
    declines = []
    for _, group in records.groupby("benchmark"):
        years = (pd.to_datetime(group["release"]) - pd.Timestamp("2023-01-01")).dt.days / 365.25
        slope = np.polyfit(years, np.log(group["usd_per_m_tokens"]), 1)[0]
        declines.append(np.exp(-slope))
    assert sorted(np.round(declines, 1)) == [3.9, 4.5, 12.3]
    default = ComputeConfig.model_fields["newest_model_decline"].default
    assert default == pytest.approx(float(np.median(declines)), abs=0.05)
