"""The compute market on hand-built states: provider choice against ``p^(-beta)``,
Wright's-law learning, tier costs in physical units, Bertrand-Nash markups and the
cheapest eligible tier. Expected numbers are worked out here from the equations of
docs/model.md (sections 4-6), not with the model's helpers. (The electricity market
is tested in tests/test_energy.py.)
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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
    return Providers(np.ones(n), np.zeros(n), n, n_tiers)


# ------------------------------------------------------------------ provider choice


def priced_providers(prices, quality=None):
    """Providers in the market posting ``prices`` (providers x tiers)."""
    prices = np.asarray(prices, dtype=float)
    providers = providers_of(prices.shape[0], prices.shape[1])
    providers.prices = prices
    if quality is not None:
        providers.quality = np.asarray(quality, dtype=float)
    return providers


def test_choice_probabilities_follow_quality_times_price_to_the_minus_beta():
    """beta = 2, offers $1, $2 and $4: equal qualities give 1 : 1/4 : 1/16, i.e. 16/21,
    4/21 and 1/21; qualities 0, ln 8 and 0 give 1 : 2 : 1/16, i.e. 16/49, 32/49, 1/49."""
    market, _ = compute_market(3, (0,), **{"compute.price_sensitivity": 2.0})
    providers = priced_providers([[1.0, 10, 10], [2.0, 20, 20], [4.0, 40, 40]])
    tier = market.sector_tiers(providers)
    np.testing.assert_allclose(
        market.choice_probabilities(providers, tier), [[16 / 21, 4 / 21, 1 / 21]], rtol=1e-12
    )
    providers.quality = np.array([0.0, math.log(8.0), 0.0])
    np.testing.assert_allclose(
        market.choice_probabilities(providers, tier), [[16 / 49, 32 / 49, 1 / 49]], rtol=1e-12
    )


def test_firms_move_lambda_of_their_work_and_sectors_see_their_own_offers():
    """lambda = 0.25, beta = 1. Sector 0 (rank 0) buys tier 0 at $1 and $3 (Pr 3/4 and
    1/4), sector 1 (rank 1) tier 1 at $3 and $1 (1/4 and 3/4). All work starts at
    provider 1: each firm keeps 0.75 there and moves 0.25 to one provider drawn with
    those probabilities, so the share of firms whose new work went to provider 1 is 1/4
    in sector 0 and 3/4 in sector 1 (5 sampling standard deviations at n = 100,000 a
    sector) and every row still adds to 1."""
    market, _ = compute_market(
        2, (0, 1), **{"compute.price_sensitivity": 1.0, "compute.provider_switching": 0.25}
    )
    providers = priced_providers([[1.0, 3.0, 9.0], [3.0, 1.0, 9.0]])
    tier = market.sector_tiers(providers)
    np.testing.assert_array_equal(tier, [0, 1])
    n = 100_000
    sector = np.repeat([0, 1], n)
    start = np.tile([0.0, 1.0], (2 * n, 1))
    mix = market.route_work(sector, start, providers, tier, np.random.default_rng(4))
    np.testing.assert_allclose(mix.sum(axis=1), 1.0, rtol=1e-12)
    assert set(np.round(mix[:, 1], 12)) == {0.75, 1.0}
    for s, expected in ((0, 0.25), (1, 0.75)):
        to_one = (mix[sector == s, 1] == 1.0).mean()
        assert to_one == pytest.approx(expected, abs=5 * math.sqrt(expected * (1 - expected) / n))


def test_zero_price_sensitivity_splits_new_work_by_quality_alone():
    """beta = 0, lambda = 1: whatever the prices, new work goes to provider p with
    probability exp(xi_p) / sum, here 0.1, 0.2, 0.3 and 0.4 (5 sampling standard
    deviations at n = 100,000)."""
    market, _ = compute_market(
        4, (0,), **{"compute.price_sensitivity": 0.0, "compute.provider_switching": 1.0}
    )
    providers = priced_providers([[1.0] * 3, [5.0] * 3, [25.0] * 3, [125.0] * 3])
    providers.quality = np.log([1.0, 2.0, 3.0, 4.0])
    tier = market.sector_tiers(providers)
    n = 100_000
    start = np.full((n, 4), 0.25)
    mix = market.route_work(np.zeros(n, dtype=int), start, providers, tier,
                            np.random.default_rng(5))  # fmt: skip
    expected = np.array([0.1, 0.2, 0.3, 0.4])
    np.testing.assert_allclose(mix.mean(axis=0), expected,
                               atol=5 * math.sqrt(0.25 / n))  # fmt: skip


def test_work_with_a_provider_that_left_moves_and_a_draw_above_the_total_is_safe():
    """lambda = 0, beta = 2, provider 1 has left. A firm with half its work at provider 0
    and half at provider 1 keeps the first half and moves the second to provider 0 or 2;
    a firm all with provider 0 keeps it all. The largest uniform draw, 1 - 2^-53, picks
    the last provider in the market (never the empty slot, also when the added-up
    probabilities round to just under 1)."""
    market, _ = compute_market(
        3, (0,), **{"compute.price_sensitivity": 2.0, "compute.provider_switching": 0.0}
    )
    providers = priced_providers([[1.0] * 3, [0.5] * 3, [2.0] * 3])
    providers.active[1] = False
    tier = market.sector_tiers(providers)
    start = np.array([[0.5, 0.5, 0.0], [1.0, 0.0, 0.0]])
    mix = market.route_work(np.zeros(2, dtype=int), start, providers, tier,
                            FixedDraws(1 - 2**-53))  # fmt: skip
    np.testing.assert_allclose(mix, [[0.5, 0.0, 0.5], [1.0, 0.0, 0.0]], rtol=1e-12, atol=0)


@settings(max_examples=100, deadline=None)
@given(
    st.integers(2, 8),
    st.lists(st.booleans(), min_size=8, max_size=8),
    st.floats(0.0, 1.0, allow_subnormal=False),
    st.floats(0.0, 100.0, allow_subnormal=False),
    st.integers(0, 2**32 - 1),
)
def test_routing_keeps_every_mix_a_distribution_over_providers_in_the_market(
    n_slots, in_market, switching, beta, seed
):
    """Any number of slots, providers in the market, switching share and logit
    sensitivity: after routing, every firm's mix is non-negative, adds to 1, puts nothing
    on an empty slot, and keeps at least ``1 - lambda`` of the work it had with providers
    still in the market."""
    active = np.array(in_market[:n_slots])
    if not active.any():
        active[0] = True
    market, _ = compute_market(
        n_slots, (0, 1),
        **{"compute.price_sensitivity": beta, "compute.provider_switching": switching,
           "compute.max_providers": n_slots},
    )  # fmt: skip
    rng = np.random.default_rng(seed)
    providers = providers_of(n_slots)
    providers.active = active
    providers.prices = np.where(active[:, None], rng.lognormal(0.0, 1.0, (n_slots, 3)), 0.0)
    providers.prices = np.sort(providers.prices, axis=1)  # dearer tiers, as in the model
    providers.quality = np.where(active, rng.normal(0.0, 2.0, n_slots), 0.0)
    mix = rng.dirichlet(np.ones(n_slots), size=50)
    sector = rng.integers(0, 2, 50)
    tier = market.sector_tiers(providers)
    new = market.route_work(sector, mix, providers, tier, rng)
    assert np.all(new >= 0.0)
    np.testing.assert_allclose(new.sum(axis=1), 1.0, rtol=1e-12)
    assert np.all(new[:, ~active] == 0.0)
    assert np.all(new[:, active] >= (1.0 - switching) * mix[:, active] - 1e-15)


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
    """Learning factor 0.5 halves the second provider's marginal cost; at the Bertrand-Nash
    equilibrium it then wins more than half the market and charges the higher markup, so
    its price falls, but by less than half."""
    market, _ = compute_market(2, (0,))
    market.flops_per_token0 = np.array([1e12, 2e12, 3e12])
    providers = providers_of(2)
    providers.learning = np.array([1.0, 0.5])
    cost = market.post_prices(providers, 0)
    np.testing.assert_allclose(cost[1], 0.5 * cost[0], rtol=1e-12)
    assert providers.choice_share[1] > 0.5 and providers.markup[1] > providers.markup[0]
    assert np.all(0.5 * providers.prices[0] < providers.prices[1])
    assert np.all(providers.prices[1] < providers.prices[0])


# ------------------------------------------------------------------ costs, markups, offers


def test_tier_costs_are_flops_times_gpu_rental_and_electricity_per_flop():
    """A year on, FLOPs per token have fallen by d_k / 1.35 (algorithmic progress); a
    GPU delivers 1.25e18 x 1.35 FLOPs an hour and rents for $25,000 x (1/48 + 0.10/12 +
    ln 1.35 / 12) / 730; it uses 1.2 / 1.4 kWh per 1.25e18 FLOPs at $0.08. Provider
    cost factors 1 and 2, learning 1 and 0.5: both pay the same. Step-0 FLOPs per token
    1e12, 2e13 and 6e13 stay in the order of capability a year on (1.5e11, 1.4e12,
    2.0e12), so no tier meets a less capable one."""
    market, _ = compute_market()
    flops0 = np.array([1e12, 2e13, 6e13])
    market.flops_per_token0 = flops0
    providers = providers_of(2)
    providers.cost_factor = np.array([1.0, 2.0])
    providers.learning = np.array([1.0, 0.5])
    rental = 25_000 * (1 / 48 + 0.10 / 12 + math.log(1.35) / 12) / 730
    per_flop = rental / (1.25e18 * 1.35) + 1.2 / 1.25e18 / 1.4 * 0.08
    per_tier = 1e6 * flops0 / (TIER_DECLINE / 1.35) * per_flop
    cost = market.unit_costs(providers, 12)
    np.testing.assert_allclose(cost, np.vstack([per_tier, per_tier]), rtol=1e-12)
    # At step 0 electricity is about 5 % of a token's cost.
    electricity = 1.2 / 1.25e18 * 0.08
    assert 0.04 < electricity / (rental / 1.25e18 + electricity) < 0.06


def quality_for(shares, beta=4.0, eta=1.5):
    """Qualities that make ``shares`` the Bertrand-Nash equilibrium of providers of equal
    cost: ``xi_p = ln s_p + beta ln(1 + mu(s_p))``, ``mu(s) = 1/(beta(1-s) + eta s - 1)``."""
    shares = np.asarray(shares, dtype=float)
    markup = 1.0 / (beta * (1.0 - shares) + eta * shares - 1.0)
    return np.log(shares) + beta * np.log1p(markup)


def test_bertrand_markups_and_prices_are_cost_times_one_plus_markup():
    """beta = 4, eta = 1.5, equal costs and the qualities that make 0.5, 0.3 and 0.2 the
    equilibrium shares: own-price elasticities 2.75, 3.25 and 3.5 and markups 1/1.75,
    1/2.25 and 1/2.5 (solved to 1e-12 in log price); competitive pricing charges cost."""
    market, _ = compute_market(3, (0,))
    market.flops_per_token0 = np.array([1e12, 2e12, 3e12])
    providers = providers_of(3)
    providers.quality = quality_for([0.5, 0.3, 0.2])
    cost = market.post_prices(providers, 0)
    np.testing.assert_allclose(providers.markup, [1 / 1.75, 1 / 2.25, 1 / 2.5], rtol=1e-10)
    np.testing.assert_allclose(providers.choice_share, [0.5, 0.3, 0.2], rtol=1e-10)
    np.testing.assert_allclose(
        providers.prices, cost * (1.0 + providers.markup[:, None]), rtol=1e-12
    )
    competitive, _ = compute_market(3, (0,), **{"compute.pricing": "competitive"})
    competitive.flops_per_token0 = market.flops_per_token0
    cost = competitive.post_prices(providers, 0)
    np.testing.assert_allclose(providers.prices, cost, rtol=1e-12)


def test_each_sector_buys_the_cheapest_tier_it_may_use_and_pays_its_mix_of_prices():
    """Ranks 0, 1, 2; sectors need rank 0, 1 and 2. Provider 0 asks 1, 20, 15 and
    provider 1 twice as much (prices in the same ratio across tiers): sector 0 buys tier
    0, sectors 1 and 2 the frontier (15 < 20). A frontier buyer with a 3:1 mix pays
    0.75 x 15 + 0.25 x 30 = 18.75 per million tokens."""
    market, _ = compute_market()
    providers = priced_providers([[1.0, 20.0, 15.0], [2.0, 40.0, 30.0]])
    tier = market.sector_tiers(providers)
    np.testing.assert_array_equal(tier, [0, 2, 2])
    price = market.mix_price(np.array([[0.75, 0.25]]), providers, tier[[1]])
    np.testing.assert_allclose(price, [18.75], rtol=1e-12)
