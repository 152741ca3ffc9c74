"""Compute providers' entry and exit and their owners' funding, on hand-built states
(docs/model.md section 5). A provider exits when its smoothed expected economic profit,
``R s_p mu_p / (1 + mu_p) - F`` at its expected (logit) share ``s_p``, is negative after
``exit_months`` in the market, or when it could not pay its running
costs; the last one never exits. One entrant comes in when

    [R s_e x mu / (1 + mu) - F] x horizon > E,    mu = 1 / (eps - 1),
    eps = beta (1 - s_e) + eta s_e,

``s_e`` the entrant's logit share at its own Bertrand-Nash price against the posted ones
(here the incumbents post the price of a provider with the entrant's cost and quality at
a share of 1/3, so that ``s_e = 1/(N+1) = 1/3`` when N = 2),

with ``F`` the monthly training cost, a multiple of an average provider's step-0
revenue, and ``E`` the entry cost, a multiple of the current average revenue of the
``N`` providers in the market, ``E = entry_cost x R / N``; owners pay ``E`` and the
entrant's first GPUs to the suppliers and one month of ``F`` as its cash. Expected
numbers are worked out here. Round parameters: beta = 4, eta = 1.5, average step-0
revenue 100, F = 0.1 x 100 = 10, entry_cost = 3.5 months, horizon 20 months, exit after
6 months.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from sim.accounting import raise_from_owners
from sim.agents.providers import Providers
from sim.markets.compute import ComputeMarket, target_shares
from sim.model import EconomyModel
from sim.scenario import build_scenario

ROUND = {
    "population.providers": 2,
    "compute.max_providers": 4,
    "compute.pricing": "bertrand",
    "compute.price_sensitivity": 4.0,
    "compute.demand_elasticity": 1.5,
    "compute.max_markup": 3.0,
    "compute.training_cost": 0.1,
    "compute.entry_cost": 3.5,
    "compute.entry_horizon": 20.0,
    "compute.exit_months": 6,
    "hardware.gpu_price": 1.0,
    "hardware.flops_per_gpu_hour": 1e15,
    "hardware.capacity_binding": True,
}
FLOP_MONTH = 1e15 * 730  # FLOPs a month of one GPU at step 0


def market_of(**overrides) -> ComputeMarket:
    scenario = build_scenario(overrides={**ROUND, **overrides}, source="test")
    market = ComputeMarket(scenario, np.array([0]))
    market.reference_revenue = 100.0
    market.flops_per_token0 = np.array([1e12, 2e12, 3e12])
    return market


def single_homing(market: ComputeMarket, tokens, bills, provider, n_slots: int = 4) -> None:
    """Firms that each route all their work to one provider: the tokens it served and the
    bills they paid (firms x provider slots)."""
    rows = np.arange(len(tokens))
    market.routed_tokens = np.zeros((len(tokens), n_slots))
    market.routed_tokens[rows, provider] = tokens
    market.spending = np.zeros((len(tokens), n_slots))
    market.spending[rows, provider] = bills


def two_of_four(market: ComputeMarket) -> Providers:
    """Slots 0 and 1 in the market (cost factors 1 and 2, capacity 300 and 150 GPUs,
    revenue 400 and 200 this month), both of the entrant's quality (0) and posting the
    price of a provider with the entrant's cost factor (the median, 1.5) at a share of
    1/3, ``c x 1.5 x (1 + 6/13)``; slots 2 and 3 empty."""
    providers = Providers(np.array([1.0, 2.0, 1.0, 1.0]), np.zeros(4), 2, 3)
    price = market.industry_unit_costs(0) * 1.5 * 19.0 / 13.0
    providers.prices = np.outer([1.0, 1.0, 0.0, 0.0], price)
    providers.capacity = np.array([300.0, 150.0, 0.0, 0.0]) * FLOP_MONTH
    providers.revenue = np.array([400.0, 200.0, 0.0, 0.0])
    providers.age = np.array([24.0, 24.0, 0.0, 0.0])
    providers.profit_trend = np.array([5.0, 5.0, 0.0, 0.0])
    return providers


def test_an_entrant_comes_in_when_expected_profit_over_the_horizon_covers_the_entry_cost():
    """N = 2: the entrant's share is 1/3, eps = 4 x 2/3 + 1.5 / 3 = 19/6, mu = 6/13 and
    the margin mu / (1 + mu) = 6/19; expected profit 600 / 3 x 6/19 - 10 = 53.16 a
    month, 1,063 over 20 months > E = 3.5 x 600 / 2 = 1,050. Its GPUs are a third of the
    industry's 450, at $1 a GPU: 150. Owners (equity 1/2 each) pay 1,050 + 150 + 10 =
    1,210; the suppliers get 1,200 and the entrant keeps 10. It takes the first free slot with the
    median cost factor of the providers in the market (1 and 2: 1.5), no learning and
    a third of the market."""
    market = market_of()
    providers = two_of_four(market)
    market.learning_stock = np.array([7.0, 8.0, 9.0, 10.0])
    providers.cumulative_tokens[2] = 123.0
    providers.learning[2] = 0.5
    providers.age[2] = 30.0
    providers.profit_trend[2] = -4.0
    providers.cash[2] = -4.0  # the overdraft of the provider that left the slot
    households = np.array([1000.0, 1000.0])
    supplier = np.array([5.0])
    money = households.sum() + providers.cash.sum() + supplier.sum()
    market.entry_and_exit(providers, households, np.array([0.5, 0.5]), supplier, 0)
    assert market.entries == 1 and market.exits == 0
    np.testing.assert_array_equal(providers.active, [True, True, True, False])
    np.testing.assert_allclose(households, [395.0, 395.0], rtol=1e-12)
    assert supplier[0] == pytest.approx(5.0 + 1200.0, rel=1e-12)
    assert providers.cash[2] == pytest.approx(10.0 - 4.0, rel=1e-9)  # the overdraft stays
    assert households.sum() + providers.cash.sum() + supplier.sum() == pytest.approx(money)
    assert providers.capacity[2] == pytest.approx(150.0 * FLOP_MONTH, rel=1e-12)
    assert providers.share[2] == pytest.approx(1 / 3, rel=1e-12)
    assert providers.cost_factor[2] == pytest.approx(1.5, rel=1e-12)
    assert providers.cumulative_tokens[2] == 9.0 and providers.learning[2] == 1.0
    assert providers.age[2] == 0.0 and providers.profit_trend[2] == 0.0


def test_no_entry_when_expected_profit_falls_short_or_owners_cannot_pay():
    """Industry revenue 560: 560 / 3 x 6/19 - 10 = 48.95 a month, 978.9 over the horizon
    < E = 3.5 x 560 / 2 = 980: no entrant. At 600 it would enter, but owners holding
    1,000 and 100 can raise only 605 + 100 = 705 of the 1,210 needed: no entrant and
    nobody pays."""
    market = market_of()
    providers = two_of_four(market)
    providers.revenue = np.array([400.0, 160.0, 0.0, 0.0])
    households = np.array([1000.0, 1000.0])
    supplier = np.zeros(1)
    market.entry_and_exit(providers, households, np.array([0.5, 0.5]), supplier, 0)
    assert market.entries == 0 and providers.active.sum() == 2
    providers = two_of_four(market)
    households = np.array([1000.0, 100.0])
    market.entry_and_exit(providers, households, np.array([0.5, 0.5]), supplier, 0)
    assert market.entries == 0 and providers.active.sum() == 2
    np.testing.assert_array_equal(households, [1000.0, 100.0])
    assert supplier[0] == 0.0
    # An owner in overdraft pays nothing: with 0.8 of the 1,210 owed by one who is
    # overdrawn, the others' 1,209.2 fall short and nobody enters.
    providers = two_of_four(market)
    small = 0.8 / 1210.0
    households = np.array([1000.0, 1000.0, -5.0])
    equity = np.array([0.5, 0.5 - small, small])
    market.entry_and_exit(providers, households, equity, supplier, 0)
    assert market.entries == 0 and providers.active.sum() == 2


@pytest.mark.parametrize("revenue", [6.0, 600.0, 6e8])
def test_without_training_costs_entry_turns_on_the_entry_cost_in_months_of_revenue(revenue):
    """With F = 0 the test is scale-free: R / 3 x 6/19 x 20 > entry_cost x R / 2 exactly
    when entry_cost < 20 x 6/19 x 2/3 = 80/19 = 4.2105 months, whatever the industry's
    revenue R (split 2:1 between the two providers in the market)."""
    for months, entrants in ((4.20, 1), (4.22, 0)):
        market = market_of(**{"compute.training_cost": 0.0, "compute.entry_cost": months})
        providers = two_of_four(market)
        providers.revenue = np.array([2.0, 1.0, 0.0, 0.0]) * revenue / 3.0
        owners = np.array([1e12, 1e12])
        market.entry_and_exit(providers, owners, np.array([0.5, 0.5]), np.zeros(1), 0)
        assert market.entries == entrants


def test_competitive_providers_never_expect_to_recover_an_entry_cost():
    """At marginal-cost prices the margin is 0: expected profit -F < 0 however large the
    market."""
    market = market_of(**{"compute.pricing": "competitive"})
    providers = two_of_four(market)
    providers.revenue = np.array([1e9, 1e9, 0.0, 0.0])
    market.entry_and_exit(providers, np.array([1e12, 1e12]), np.array([0.5, 0.5]), np.zeros(1), 0)
    assert market.entries == 0


def test_without_binding_capacity_an_entrant_buys_no_gpus():
    market = market_of(**{"hardware.capacity_binding": False})
    providers = two_of_four(market)
    households = np.array([1000.0, 1000.0])
    supplier = np.zeros(1)
    market.entry_and_exit(providers, households, np.array([0.5, 0.5]), supplier, 0)
    assert market.entries == 1 and providers.capacity[2] == 0.0
    assert supplier[0] == pytest.approx(1050.0, rel=1e-12)
    np.testing.assert_allclose(households, [470.0, 470.0], rtol=1e-12)


def test_losing_or_insolvent_providers_exit_but_never_the_last_one():
    """Three in the market. Slot 0 has lost money on average (-1) for 6 months: exits.
    Slot 1 has lost money too but for only 5 months: stays. Slot 2 could not pay its
    running costs: exits, though its smoothed profit is positive. Slot 0's cash (30)
    goes to its owners, 15 each; slot 2's overdraft (-4) stays on its account. Their
    capacity and orders are scrapped. No revenue this month: no entrant."""
    market = market_of(**{"population.providers": 3})
    providers = Providers(np.ones(4), np.zeros(4), 3, 3)
    providers.profit_trend = np.array([-1.0, -1.0, 5.0, 0.0])
    providers.age = np.array([6.0, 5.0, 10.0, 0.0])
    providers.cash = np.array([30.0, 7.0, -4.0, 0.0])
    for name in ("capacity", "share", "expected_flops", "flops_growth"):
        setattr(providers, name, np.array([1.0, 2.0, 3.0, 0.0]))
    market.gpu.pipeline[:] = 1.0
    market.insolvent = np.array([False, False, True, False])
    households = np.array([0.0, 0.0])
    market.entry_and_exit(providers, households, np.array([0.5, 0.5]), np.zeros(1), 0)
    assert market.exits == 2 and market.entries == 0
    np.testing.assert_array_equal(providers.active, [False, True, False, False])
    np.testing.assert_allclose(households, [15.0, 15.0], rtol=1e-12)
    np.testing.assert_array_equal(providers.cash, [0.0, 7.0, -4.0, 0.0])
    for name in ("capacity", "share", "expected_flops", "flops_growth"):
        np.testing.assert_array_equal(getattr(providers, name), [0.0, 2.0, 0.0, 0.0])
    np.testing.assert_array_equal(providers.age, [0.0, 5.0, 0.0, 0.0])
    np.testing.assert_array_equal(providers.profit_trend, [0.0, -1.0, 0.0, 0.0])
    np.testing.assert_array_equal(market.gpu.pipeline[[0, 2]], 0.0)
    np.testing.assert_array_equal(market.gpu.pipeline[[1, 3]], 1.0)


def aged_providers(profit_trend, age) -> Providers:
    """The first ``len(profit_trend)`` of four slots in the market, with these smoothed
    expected profits and ages in months; the rest empty."""
    n = len(profit_trend)
    providers = Providers(np.ones(4), np.zeros(4), n, 3)
    providers.profit_trend = np.pad(np.array(profit_trend, dtype=float), (0, 4 - n))
    providers.age = np.pad(np.array(age, dtype=float), (0, 4 - n))
    return providers


def exit_month(market: ComputeMarket, providers: Providers) -> None:
    """A month's entry and exit with no revenue (so no entrant) and owners without cash."""
    market.entry_and_exit(providers, np.zeros(2), np.array([0.5, 0.5]), np.zeros(1), 0)


def test_the_last_provider_never_exits():
    """Both providers in the market have lost money for a year: the first exits (one a
    month); the next month the second, still losing, stays as the last one."""
    market = market_of()
    providers = aged_providers([-1.0, -1.0], [12.0, 12.0])
    exit_month(market, providers)
    assert market.exits == 1
    np.testing.assert_array_equal(providers.active, [False, True, False, False])
    exit_month(market, providers)
    assert market.exits == 0 and providers.active[1]


def test_owners_pay_their_equity_share_of_a_need_as_far_as_their_deposits_allow():
    """Need 100, equity 0.5, 0.3, 0.2, deposits 80, 10, -5: they pay 50, 10 and 0."""
    cash = np.array([80.0, 10.0, -5.0])
    raised = raise_from_owners(100.0, cash, np.array([0.5, 0.3, 0.2]))
    assert raised == pytest.approx(60.0, rel=1e-12)
    np.testing.assert_allclose(cash, [30.0, 0.0, -5.0], rtol=1e-12)


def test_step_zero_shares_are_the_leaders_and_an_equal_split_of_the_rest():
    """Leaders 0.4, 0.27, 0.21 among five providers: the other two share 0.12 equally.
    With only two providers the two leaders' shares are renormalised (0.4 / 0.67,
    0.27 / 0.67). Leaders summing above 1 are scaled down; a provider left with no share
    gets the 1 % floor before renormalising."""
    np.testing.assert_allclose(
        target_shares(5, [0.4, 0.27, 0.21]), [0.4, 0.27, 0.21, 0.06, 0.06], rtol=1e-12
    )
    np.testing.assert_allclose(
        target_shares(2, [0.4, 0.27, 0.21]), [0.4 / 0.67, 0.27 / 0.67], rtol=1e-12
    )
    floor = np.array([0.7 / 1.3, 0.6 / 1.3, 0.01])
    np.testing.assert_allclose(target_shares(3, [0.7, 0.6]), floor / floor.sum(), rtol=1e-12)


def test_settlement_pays_running_costs_first_and_cuts_gpu_orders_owners_cannot_fund():
    """Step 0, capacity not binding, cost factors 1. Tokens of a tier take 1e12 FLOPs
    each; a GPU does 1e15 FLOPs an hour on 1 kWh at $0.1/kWh. Provider 0 sells 2 + 3 M
    tokens for 700, provider 1 sells 5 M tokens for 900: 5e18 FLOPs each, 5,000 kWh,
    electricity 500, training 10. GPUs: a FLOP-month of capacity costs 1 / (1e15 x 730);
    provider 0 has none and wants 5e18 / 0.8 (value V0), provider 1 has 5e18 and wants 1.25e18 more
    (V1). Cash 515 and 100 leaves shortfalls 510 + V0 - 515 and 510 + V1 - 100; owners
    with 1,000 and 100 (equity 1/2 each) raise 1/2 x need from the first and all 100
    from the second, split in proportion to the shortfalls. Provider 0 then pays its
    510 and spends the rest on GPUs (its order cut to what it can pay); provider 1
    cannot pay its running costs: it pays what it has, orders nothing and is flagged
    insolvent. Money is conserved between owners, providers and suppliers."""
    market = market_of(
        **{
            "hardware.capacity_binding": False,
            "hardware.kwh_per_gpu_hour": 1.0,
            "hardware.life_years": 2.0,
            "energy.electricity_price": 0.1,
            "compute.exit_months": 4,
        }
    )
    market.flops_per_token0 = np.array([1e12] * 3)
    providers = two_of_four(market)
    providers.cost_factor[:] = 1.0
    providers.capacity = np.array([0.0, 5e18, 0.0, 0.0])
    providers.cash = np.array([515.0, 100.0, 0.0, 0.0])
    providers.profit_trend = np.array([8.0, 8.0, 0.0, 0.0])
    providers.markup = np.array([0.5, 0.25, 0.0, 0.0])
    providers.choice_share = np.array([0.6, 0.4, 0.0, 0.0])
    providers.age = np.array([3.0, 3.0, 0.0, 0.0])
    providers.cumulative_tokens = np.array([100.0, 100.0, 0.0, 0.0])
    households = np.array([1000.0, 100.0])
    supplier = np.zeros(1)
    money = households.sum() + providers.cash.sum()
    single_homing(market, [2.0, 3.0, 5.0], [300.0, 400.0, 900.0], [0, 0, 1])
    market.settle(np.zeros(3, dtype=int), providers, supplier, households, np.array([0.5, 0.5]), 0)
    price = 1.0 / (1e15 * 730)
    v0, v1 = 6.25e18 * price, 1.25e18 * price
    short = np.array([510 + v0 - 515, 510 + v1 - 100])
    need = short.sum()
    raised = 0.5 * need + 100.0
    cash0 = 515 + raised * short[0] / need - 510
    cash1 = 100 + raised * short[1] / need
    np.testing.assert_allclose(providers.flops_used, [5e18, 5e18, 0, 0], rtol=1e-12)
    np.testing.assert_allclose(providers.tokens, [5.0, 5.0, 0, 0], rtol=1e-12)
    np.testing.assert_allclose(providers.revenue, [700.0, 900.0, 0, 0], rtol=1e-12)
    np.testing.assert_allclose(providers.share, [700 / 1600, 900 / 1600, 0, 0], rtol=1e-12)
    np.testing.assert_allclose(providers.cumulative_tokens, [105.0, 105.0, 0, 0], rtol=1e-12)
    np.testing.assert_allclose(providers.energy_bill, [500.0, 500.0, 0, 0], rtol=1e-12)
    np.testing.assert_allclose(households, [1000 - 0.5 * need, 0.0], rtol=1e-12)
    np.testing.assert_array_equal(market.insolvent, [False, True, False, False])
    np.testing.assert_allclose(providers.investment, [cash0, 0.0, 0.0, 0.0], rtol=1e-9)
    np.testing.assert_allclose(providers.cash, 0.0, atol=1e-9)
    np.testing.assert_allclose(supplier, [510 + cash0 + cash1], rtol=1e-12)
    assert households.sum() + providers.cash.sum() + supplier.sum() == pytest.approx(money)
    cost = np.array([510 + cash0, 510.0])
    np.testing.assert_allclose(providers.cost[:2], cost, rtol=1e-9)
    np.testing.assert_allclose(providers.profit[:2], [700, 900] - cost, rtol=1e-9)
    # Expected economic profit: industry revenue 1,600 at the expected shares 0.6 and 0.4
    # times the margins 0.5/1.5 and 0.25/1.25, less the training cost 10 (not the realised
    # revenue of 700 and 900): 310 and 118, smoothed with weight 1/4.
    economic = np.array([1600 * 0.6 / 3 - 10, 1600 * 0.4 * 0.2 - 10])
    np.testing.assert_allclose(
        providers.profit_trend[:2], 8.0 + 0.25 * (economic - 8.0), rtol=1e-12
    )
    np.testing.assert_array_equal(providers.age, [4.0, 4.0, 0.0, 0.0])
    assert market.electricity.sector.compute_demand[0] == pytest.approx(1e4, rel=1e-12)


def test_the_supply_chain_report_of_a_hand_built_month():
    """Slots 0-2 are in the market, slot 2 an entrant that has not posted prices yet,
    slot 3 empty: the lowest posted prices are 1.5, 30 and 70 per M tokens, a task of
    1,000 tokens costs a thousandth of that. Capacity 10 GPUs, 4 in use; revenue 50, 30
    and 20 (HHI 10,000 x (0.25 + 0.09 + 0.04) = 3,800, leader shares 0.5, 0.3, 0.2);
    the markup is the share-weighted mean 0.5 x 0.4 + 0.3 x 0.5 + 0.2 x 0.6 = 0.47.
    Without revenue the markup is the plain mean over providers in the market."""
    market = market_of()
    market.flops_per_token0 = np.array([1e12, 2e12, 3e12])
    providers = Providers(np.ones(4), np.zeros(4), 3, 3)
    providers.prices = np.array(
        [[2.0, 30.0, 70.0], [1.5, 40.0, 80.0], [0.0, 0.0, 0.0], [0.1, 0.1, 0.1]]
    )
    providers.capacity = np.array([2.0, 3.0, 5.0, 0.0]) * FLOP_MONTH
    providers.flops_used = np.array([1.0, 2.0, 1.0, 0.0]) * FLOP_MONTH
    providers.investment = np.array([1.0, 2.0, 0.0, 0.0])
    providers.revenue = np.array([50.0, 30.0, 20.0, 0.0])
    providers.share = np.array([0.5, 0.3, 0.2, 0.0])
    providers.markup = np.array([0.4, 0.5, 0.6, 9.0])
    providers.profit = np.array([1.0, -2.0, 3.0, 0.0])
    market.gpu.sector.price_index[0] = 1.5
    market.entries, market.exits = 1, 2
    report = market.reports(providers, 0)
    for k, tier in enumerate(market.tier_names):
        lowest = [1.5, 30.0, 70.0][k]
        assert report[f"compute_price_{tier}"] == lowest
        assert report[f"task_price_{tier}"] == pytest.approx(lowest * 1000 / 1e6, rel=1e-12)
        assert report[f"flops_per_token_{tier}"] == pytest.approx((k + 1) * 1e12, rel=1e-12)
    assert report["gpu_capacity"] == pytest.approx(10.0, rel=1e-12)
    assert report["gpu_utilisation"] == pytest.approx(0.4, rel=1e-12)
    assert report["hardware_price"] == 1.5 and report["gpu_investment"] == 3.0
    assert report["providers_active"] == 3.0
    assert report["provider_entries"] == 1.0 and report["provider_exits"] == 2.0
    assert report["provider_hhi"] == pytest.approx(3800.0, rel=1e-12)
    assert report["provider_markup"] == pytest.approx(0.47, rel=1e-12)
    assert report["provider_profits"] == 2.0
    shares = [report[f"provider_share_{rank}"] for rank in (1, 2, 3)]
    np.testing.assert_allclose(shares, [0.5, 0.3, 0.2], rtol=1e-12)
    assert report["gpu_rental_price"] == market.gpu.rental_price()
    providers.revenue[:] = 0.0
    providers.share[:] = 0.0
    providers.capacity[:] = 0.0
    report = market.reports(providers, 0)
    assert report["provider_markup"] == pytest.approx(0.5, rel=1e-12)
    assert [report[f"provider_share_{rank}"] for rank in (1, 2, 3)] == [0.0, 0.0, 0.0]
    assert report["gpu_utilisation"] == 0.0


def test_step_zero_prices_average_to_the_tier_price():
    """Three providers with leader shares and cost dispersion 0.3: whatever their cost
    draws, the share-weighted posted price of each tier at step 0 is the configured
    tier price ($1, $20, $60 a million tokens)."""
    market = market_of(**{"population.providers": 3, "compute.provider_cost_dispersion": 0.3})
    providers = market.create_providers(np.random.default_rng(5))
    market.post_prices(providers, 0)
    assert len(set(np.round(providers.cost_factor[:3], 9))) == 3  # the draws differ
    weighted = providers.share[:3] @ providers.prices[:3]
    np.testing.assert_allclose(weighted, [1.0, 20.0, 60.0], rtol=1e-12)
    np.testing.assert_array_equal(providers.prices[3], 0.0)  # the empty slot posts nothing


def test_step_zero_books_of_the_providers():
    """Four firms buy 1, 2, 3 and 4 M tokens of the basic tier, each all from one
    provider (0, 1, 2 and 0), at the posted step-0 prices pi_p. Provider p runs
    tokens x 1e6 x phi_0 x z_p FLOPs, at 1 kWh per 1e15 FLOPs: that is compute's step-0
    electricity. Bills are tokens x pi_p; the reference revenue is the average
    provider's; each provider starts with a month's revenue as cash and a learning stock
    of 12 months of its tokens (an empty slot: the average); its costs are electricity at
    $0.1/kWh, training 0.1 x the reference revenue and the GPUs of the latest order."""
    market = market_of(
        **{
            "population.providers": 3,
            "hardware.kwh_per_gpu_hour": 1.0,
            "energy.electricity_price": 0.1,
        }
    )
    providers = market.create_providers(np.random.default_rng(3))
    market.post_prices(providers, 0)
    tokens = np.array([1.0, 2.0, 3.0, 4.0])
    mix = np.zeros((4, 4))
    mix[np.arange(4), [0, 1, 2, 0]] = 1.0
    bills = market.open_books(tokens, np.zeros(4, dtype=int), mix, providers)
    price = providers.prices[:, 0]
    np.testing.assert_allclose(bills, tokens * price[[0, 1, 2, 0]], rtol=1e-12)
    revenue = np.array([5.0 * price[0], 2.0 * price[1], 3.0 * price[2], 0.0])
    np.testing.assert_allclose(providers.revenue, revenue, rtol=1e-12)
    z, phi = providers.cost_factor, market.flops_per_token0[0]
    flops = np.array([5.0 * z[0], 2.0 * z[1], 3.0 * z[2], 0.0]) * 1e6 * phi
    np.testing.assert_allclose(providers.flops_used, flops, rtol=1e-12)
    assert market.electricity.initial_compute_demand == pytest.approx(flops.sum() / 1e15, rel=1e-12)
    reference = revenue.sum() / 3
    assert market.reference_revenue == pytest.approx(reference, rel=1e-12)
    np.testing.assert_allclose(providers.cash, revenue, rtol=1e-12)
    np.testing.assert_allclose(market.learning_stock, [60.0, 24.0, 36.0, 40.0], rtol=1e-12)
    np.testing.assert_allclose(providers.cumulative_tokens, market.learning_stock, rtol=1e-12)
    replacement = market.gpu.pipeline[:, -1] * 1.0 / (1e15 * 730)  # $1 a GPU
    running = flops / 1e15 * 0.1 + 0.1 * reference * providers.active
    np.testing.assert_allclose(providers.cost, running + replacement, rtol=1e-12)
    np.testing.assert_allclose(providers.profit, providers.revenue - providers.cost, rtol=1e-12)


def test_an_order_worth_less_than_a_dollar_is_still_placed():
    """One provider with ample cash wants 0.25e18 FLOPs a month of capacity more (demand
    5e18 at utilisation 0.8 against 6e18): at $1 a GPU that is 0.25e18 / (1e15 x 730) =
    0.34 dollars, paid in full."""
    market = market_of(**{"hardware.capacity_binding": False})
    market.flops_per_token0 = np.array([1e12] * 3)
    providers = two_of_four(market)
    providers.cost_factor[:] = 1.0
    providers.capacity = np.array([6e18, 6.25e18, 0.0, 0.0])
    providers.cash = np.array([1e6, 0.5, 0.0, 0.0])  # provider 1 pays its last 0.5
    single_homing(market, [5.0, 5.0], [1.0, 1.0], [0, 1])
    market.settle(
        np.zeros(2, dtype=int), providers, np.zeros(1), np.zeros(2), np.array([0.5, 0.5]), 0
    )
    np.testing.assert_allclose(
        providers.investment, [0.25e18 / (1e15 * 730), 0.0, 0.0, 0.0], rtol=1e-12
    )
    assert providers.cash[1] == 0.0 and market.insolvent[1]


def test_algorithmic_progress_slows_with_its_half_life():
    """Years of progress at the initial rate: calendar years until the slowdown starts
    (T = 3), then T + (H / ln 2)(1 - 2^(-(t/12 - T)/H)) with H = 1.5: after 5 calendar
    years, 3 + 1.5 / ln 2 x (1 - 2^(-4/3))."""
    market = market_of(**{"compute.slowdown_start": 3.0, "compute.algorithmic_halflife": 1.5})
    assert market.algorithmic_years(24) == 2.0
    expected = 3.0 + 1.5 / math.log(2.0) * (1.0 - 2.0 ** (-2.0 / 1.5))
    assert market.algorithmic_years(60) == pytest.approx(expected, rel=1e-12)


def test_an_entrant_of_lower_quality_expects_less_at_a_fixed_point_of_its_price():
    """The entrant's expected share solves s_e = w_e / (w_e + W) at its own Bertrand-Nash
    price: at the entrant's quality (0) the symmetric 1/3; a quality ln 4 lower gives a
    share that satisfies the same equation at its own markup, smaller than 1/3, and the
    entrant's expected profit then no longer covers the entry cost."""
    market = market_of()
    providers = two_of_four(market)
    share, markup = market.entrant_prospects(providers, 1.5, 0)
    assert share == pytest.approx(1 / 3, rel=1e-12) and markup == pytest.approx(6 / 13)
    market.entrant_quality = -math.log(4.0)
    share, markup = market.entrant_prospects(providers, 1.5, 0)
    price = market.industry_unit_costs(0)[0] * 1.5 * (1.0 + markup)
    own = 0.25 * price**-4.0
    rivals = 2.0 * providers.prices[0, 0] ** -4.0
    assert share == pytest.approx(own / (own + rivals), rel=1e-9)
    assert markup == pytest.approx(1.0 / (4.0 * (1.0 - share) + 1.5 * share - 1.0), rel=1e-12)
    assert 0.0 < share < 1 / 3
    households = np.array([1000.0, 1000.0])
    market.entry_and_exit(providers, households, np.array([0.5, 0.5]), np.zeros(1), 0)
    assert market.entries == 0


def test_firms_start_with_the_step_zero_choice_shares_and_spend_the_leader_shares():
    """Every firm routes its step-0 work by the providers' step-0 choice probabilities;
    spending at step-0 prices then gives the leader shares (40/27/21/12 %)."""
    model = EconomyModel(**{"population.workers": 600, "population.firms": 30})
    providers = model.providers
    np.testing.assert_allclose(
        model.firms.provider_mix, np.broadcast_to(providers.choice_share, (30, 8)), rtol=1e-12
    )
    np.testing.assert_allclose(providers.share[:4], target_shares(4, [0.40, 0.27, 0.21]), rtol=1e-9)


def test_a_market_of_two_slots_reports_no_third_provider():
    market = market_of(**{"population.providers": 2, "compute.max_providers": 2})
    market.flops_per_token0 = np.array([1e12] * 3)
    providers = Providers(np.ones(2), np.zeros(2), 2, 3)
    providers.revenue = np.array([3.0, 1.0])
    report = market.reports(providers, 0)
    assert report["provider_share_1"] == 0.75 and report["provider_share_2"] == 0.25
    assert report["provider_share_3"] == 0.0


def test_at_most_one_provider_leaves_for_losses_in_a_month_the_worst():
    """Three in the market, two losing for long enough (smoothed expected profits -1 and
    -3): only the worse (-3) leaves this month; the other weighs its prospects again
    next month, with the leaver's buyers to share. Next month the remaining loser leaves
    beside an insolvent provider, which then is the last and stays."""
    market = market_of(**{"population.providers": 3})
    providers = aged_providers([-1.0, -3.0, 5.0], [12.0, 12.0, 12.0])
    exit_month(market, providers)
    assert market.exits == 1
    np.testing.assert_array_equal(providers.active, [True, False, True, False])
    market.insolvent = np.array([False, False, True, False])
    exit_month(market, providers)
    assert market.exits == 1
    np.testing.assert_array_equal(providers.active, [False, False, True, False])
