"""The compute market on hand-built states: provider choice against ``p^(-beta)``,
Wright's-law learning, the energy price's partial adjustment, tier costs, markups,
the cheapest eligible tier and energy use. Expected numbers are worked out here from
the equations of docs/model.md (compute market), not with the model's helpers.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from sim.agents.providers import Providers
from sim.markets.compute import ComputeMarket
from sim.scenario import build_scenario
from tests.fixed_draws import FixedDraws

# The default tiers: basic (rank 0, $1), advanced (rank 1, $20), frontier (rank 2, $60),
# falling 9x, 19x and 40x a year.
TIER_PRICE = np.array([1.0, 20.0, 60.0])
TIER_DECLINE = np.array([9.0, 19.0, 40.0])


def compute_market(n_providers=2, sector_min_rank=(0, 1, 2), **overrides):
    scenario = build_scenario(
        overrides={"population.providers": n_providers, **overrides}, source="test"
    )
    return ComputeMarket(scenario, np.array(sector_min_rank)), scenario.compute


def providers_of(n, n_tiers=3):
    return Providers(np.ones(n), n_tiers)


# ------------------------------------------------------------------ provider choice


def test_choice_shares_follow_price_to_the_minus_beta():
    """beta = 2, every firm reconsiders, offers $1, $2 and $4: choice probabilities
    1 : 1/4 : 1/16, i.e. 16/21, 4/21 and 1/21. With n = 200,000 firms each share has
    sampling standard deviation sqrt(p (1 - p) / n) <= 0.0011; the test allows 5 of
    them (a false alarm about once in 3 million runs)."""
    market, _ = compute_market(
        3, (0,), **{"compute.price_sensitivity": 2.0, "compute.provider_switching": 1.0}
    )
    n = 200_000
    offer = np.array([[1.0, 2.0, 4.0]])
    choice = market.choose_providers(np.zeros(n, dtype=int), np.zeros(n, dtype=int), offer,
                                     np.random.default_rng(3))  # fmt: skip
    expected = np.array([16.0, 4.0, 1.0]) / 21.0
    shares = np.bincount(choice, minlength=3) / n
    assert (np.abs(shares - expected) <= 5 * np.sqrt(expected * (1 - expected) / n)).all()


def test_only_firms_that_reconsider_change_provider_and_sectors_see_their_own_offers():
    """Switching probability 0.25, beta = 1. Sector 0's offers are $1 and $3 (Pr 3/4 and
    1/4), sector 1's $3 and $1 (1/4 and 3/4). All firms start at provider 1, so the
    share still at provider 1 is 0.75 + 0.25 Pr(1): 0.8125 in sector 0 and 0.9375 in
    sector 1. Tolerance: 5 sampling standard deviations at n = 100,000 each."""
    market, _ = compute_market(
        2, (0, 0), **{"compute.price_sensitivity": 1.0, "compute.provider_switching": 0.25}
    )
    n = 100_000
    sector = np.repeat([0, 1], n)
    offer = np.array([[1.0, 3.0], [3.0, 1.0]])
    choice = market.choose_providers(sector, np.ones(2 * n, dtype=int), offer,
                                     np.random.default_rng(4))  # fmt: skip
    for s, expected in ((0, 0.8125), (1, 0.9375)):
        stay = (choice[sector == s] == 1).mean()
        assert stay == pytest.approx(expected, abs=5 * math.sqrt(expected * (1 - expected) / n))


def test_zero_price_sensitivity_chooses_at_random():
    market, _ = compute_market(
        4, (0,), **{"compute.price_sensitivity": 0.0, "compute.provider_switching": 1.0}
    )
    n = 100_000
    choice = market.choose_providers(np.zeros(n, dtype=int), np.zeros(n, dtype=int),
                                     np.array([[1.0, 5.0, 25.0, 125.0]]),
                                     np.random.default_rng(5))  # fmt: skip
    shares = np.bincount(choice, minlength=4) / n
    np.testing.assert_allclose(shares, 0.25, atol=5 * math.sqrt(0.25 * 0.75 / n))


# ------------------------------------------------------------------ learning


def test_wrights_law_sign_and_size():
    """b = 0.3, cap 20: at 1, 2, 4 and 0.5 times the initial volume the cost factor is
    1, 2^-0.3 = 0.812, 4^-0.3 = 0.660 and 1 (no forgetting below the start); at a
    billion times the volume the cap 1/20 binds."""
    providers = providers_of(5)
    initial = np.full(5, 7.0)
    providers.cumulative_tokens = initial * np.array([1.0, 2.0, 4.0, 0.5, 1e9])
    providers.update_learning(initial, 0.3, 20.0)
    np.testing.assert_allclose(providers.learning, [1.0, 2**-0.3, 4**-0.3, 1.0, 1 / 20], rtol=1e-12)
    # Each doubling of volume cuts cost by the same factor, 1 - 2^-b = 18.8 %.
    assert providers.learning[2] / providers.learning[1] == pytest.approx(2**-0.3, rel=1e-12)


def test_learning_lowers_the_provider_cost_and_price():
    market, _ = compute_market(2, (0,))
    providers = providers_of(2)
    providers.learning = np.array([1.0, 0.5])
    market.set_prices(providers, 0)
    np.testing.assert_allclose(providers.prices[1], 0.5 * providers.prices[0], rtol=1e-12)


# ------------------------------------------------------------------ energy


def test_energy_price_moves_part_of_the_way_to_its_supply_curve():
    """theta = 0.015, eps_E = 1.5, lambda = 0.1. Compute's energy use at 11 times its
    step-0 level moves demand to 0.985 + 0.015 x 11 = 1.15, the supply-curve price to
    1.15^(1/1.5); the price moves 10 % of the way in logs each month."""
    market, cfg = compute_market()
    assert (cfg.compute_energy_share, cfg.energy_supply_elasticity,
            cfg.energy_price_adjustment) == (0.015, 1.5, 0.1)  # fmt: skip
    market.initial_energy_use, market.energy_use = 0.5, 5.5
    target = math.log(1.15) / 1.5
    market.update_energy_price()
    assert market.energy_price == pytest.approx(math.exp(0.1 * target), rel=1e-12)
    market.update_energy_price()
    expected = math.exp(0.9 * 0.1 * target + 0.1 * target)
    assert market.energy_price == pytest.approx(expected, rel=1e-12)


def test_energy_price_stays_at_one_before_any_use_is_recorded():
    market, _ = compute_market()
    market.update_energy_price()
    assert market.energy_price == 1.0


def test_energy_use_is_tokens_times_energy_per_token():
    """Energy per million tokens of tier k at month t is e_k(0) g_E^(-t/12) times the
    provider's efficiency; e_k(0) is the energy share 0.02 of the step-0 cost
    price_k / (1 + mu0), mu0 = 0.2 + 1.0 / 2 providers. The first record is the
    reference level."""
    market, _ = compute_market()
    providers = providers_of(2)
    providers.cost_factor = np.array([1.0, 2.0])
    providers.learning = np.array([1.0, 0.5])
    energy0 = 0.02 * TIER_PRICE / 1.7
    tokens, tier, provider = np.array([10.0, 5.0, 1.0]), np.array([0, 2, 1]), np.array([0, 1, 1])
    market.record_energy_use(tokens, tier, provider, providers, 12)
    expected = (10.0 * energy0[0] + 5.0 * energy0[2] + 1.0 * energy0[1]) / 1.4
    assert market.energy_use == pytest.approx(expected, rel=1e-12)
    assert market.initial_energy_use == pytest.approx(expected, rel=1e-12)
    market.record_energy_use(2 * tokens, tier, provider, providers, 12)
    assert market.energy_use == pytest.approx(2 * expected, rel=1e-12)
    assert market.initial_energy_use == pytest.approx(expected, rel=1e-12)


# ------------------------------------------------------------------ costs, markups, offers


def test_tier_costs_fall_by_their_annual_factor_plus_the_energy_part():
    """Step-0 cost of tier k: price_k / (1 + mu0), mu0 = 0.2 + 1/2; 98 % hardware that
    falls d_k a year, 2 % energy that falls 1.4 a year and is priced at P_E. A year on,
    with P_E = 1.3, provider cost factors 1 and 2, learning 1 and 0.5."""
    market, _ = compute_market()
    providers = providers_of(2)
    providers.cost_factor = np.array([1.0, 2.0])
    providers.learning = np.array([1.0, 0.5])
    market.energy_price = 1.3
    base = TIER_PRICE / 1.7
    per_tier = 0.98 * base / TIER_DECLINE + 0.02 * base / 1.4 * 1.3
    cost = market.unit_costs(providers, 12)
    np.testing.assert_allclose(cost, np.vstack([per_tier, per_tier]), rtol=1e-12)
    np.testing.assert_allclose(market.unit_costs(providers, 0)[0], base * (0.98 + 0.02 * 1.3),
                               rtol=1e-12)  # fmt: skip


def test_markups_rise_with_market_share_and_prices_are_cost_times_one_plus_markup():
    """base 0.2, sensitivity 1.0: shares 0.5, 0.3, 0.2 give markups 0.7, 0.5, 0.4."""
    market, _ = compute_market(3, (0,))
    providers = providers_of(3)
    providers.share = np.array([0.5, 0.3, 0.2])
    cost = market.set_prices(providers, 0)
    np.testing.assert_allclose(providers.markup, [0.7, 0.5, 0.4], rtol=1e-12)
    np.testing.assert_allclose(providers.prices, cost * np.array([[1.7], [1.5], [1.4]]),
                               rtol=1e-12)  # fmt: skip
    # At equal shares the step-0 price is the tier's listed price.
    providers.share = np.full(3, 1 / 3)
    market.set_prices(providers, 0)
    np.testing.assert_allclose(providers.prices, np.tile(TIER_PRICE, (3, 1)), rtol=1e-12)


def test_each_sector_buys_the_cheapest_tier_it_may_use():
    """Ranks 0, 1, 2; sectors need rank 0, 1 and 2. Provider 0 asks 1, 20, 15 and
    provider 1 asks 2, 10, 30: sector 0 buys tier 0 from both; sector 1 buys frontier
    (15) from provider 0 and advanced (10) from provider 1; sector 2 only frontier."""
    market, _ = compute_market()
    providers = providers_of(2)
    providers.prices = np.array([[1.0, 20.0, 15.0], [2.0, 10.0, 30.0]])
    price, tier = market.best_offers(providers)
    np.testing.assert_array_equal(price, [[1.0, 2.0], [15.0, 10.0], [15.0, 30.0]])
    np.testing.assert_array_equal(tier, [[0, 0], [2, 1], [2, 2]])


def test_a_draw_above_the_rounded_total_still_picks_the_last_provider():
    """With these ten offers and beta = 1 the choice probabilities, added up in floating
    point, reach only 1 - 2^-52; a uniform draw of 1 - 2^-53 lies above that total and
    must still pick a provider that exists: the last one."""
    market, _ = compute_market(
        10, (0,), **{"compute.price_sensitivity": 1.0, "compute.provider_switching": 1.0}
    )
    offer = np.array([[2.85, 2.94, 1.03, 2.73, 2.96, 2.91, 1.3, 2.95, 2.78, 2.64]])
    weight = offer[0].min() / offer[0]  # price^-1, relative to the cheapest
    assert np.cumsum(weight / weight.sum())[-1] < 1 - 2**-53
    choice = market.choose_providers(np.zeros(1, dtype=int), np.zeros(1, dtype=int), offer,
                                     FixedDraws(1 - 2**-53))  # fmt: skip
    assert choice[0] == 9
