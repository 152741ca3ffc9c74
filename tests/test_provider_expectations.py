"""Providers price and exit on the demand they face, not on the luck of a few buyers
(docs/model.md section 5, "Strategic prices" and "Exit").

Each month providers set the Bertrand-Nash equilibrium markups of the logit market at their
costs and qualities: ``mu_p = 1 / (beta (1 - s_p) + eta s_p - 1)`` at the expected share
``s_p = exp(xi_p) pi_p^-beta / sum_q exp(xi_q) pi_q^-beta`` of its own equilibrium prices
(``xi_p`` the provider's quality), and a provider exits on its smoothed expected
economic profit ``R s_p mu_p / (1 + mu_p) - F``, the entrant's formula at its own
expected share.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.agents.providers import Providers, bertrand_markup, equilibrium_markups, logit_shares
from sim.markets.compute import ComputeMarket, target_shares
from sim.model import EconomyModel
from sim.scenario import build_scenario

SMALL = {"population.workers": 600, "population.firms": 30, "adoption.enabled": False}


def test_logit_shares_of_prices_and_qualities():
    """beta = 4, prices 1 and 2: weights 1 and 1/16, shares 16/17 and 1/17; empty slots
    get nothing. A quality of ln 16 for the dearer provider makes the weights equal
    (shares 1/2)."""
    log_price = np.log([1.0, 2.0, 1.0, 1.0])
    active = np.array([True, True, False, False])
    shares = logit_shares(log_price, active, 4.0, np.zeros(4))
    np.testing.assert_allclose(shares, [16 / 17, 1 / 17, 0.0, 0.0], rtol=1e-12)
    quality = np.array([0.0, np.log(16.0), 0.0, 0.0])
    shares = logit_shares(log_price, active, 4.0, quality)
    np.testing.assert_allclose(shares, [0.5, 0.5, 0.0, 0.0], rtol=1e-12)


@settings(max_examples=50, deadline=None)
@given(
    st.lists(st.floats(-5.0, 5.0, allow_subnormal=False), min_size=1, max_size=8),
    st.floats(0.0, 30.0, allow_subnormal=False),
    st.floats(-10.0, 10.0, allow_subnormal=False),
    st.floats(-20.0, 0.0, allow_subnormal=False),
)
def test_logit_shares_add_to_one_fall_with_price_and_ignore_the_price_level(
    log_price, beta, level, gap
):
    """Any prices, sensitivity and price level: shares add to 1, a dearer provider of
    equal quality never gets more, and scaling every price leaves the shares alone; a
    provider whose quality falls by ``gap`` never gains."""
    log_price = np.array(log_price)
    n = log_price.size
    active = np.ones(n, dtype=bool)
    equal = np.zeros(n)
    shares = logit_shares(log_price, active, beta, equal)
    assert shares.sum() == pytest.approx(1.0, rel=1e-12)
    assert np.all(shares >= 0.0)
    order = np.argsort(log_price, kind="stable")
    assert np.all(np.diff(shares[order]) <= 1e-12)  # dearer never gets more
    shifted = logit_shares(log_price + level, active, beta, equal)
    np.testing.assert_allclose(shifted, shares, rtol=1e-9, atol=1e-15)
    worse = equal.copy()
    worse[0] = gap
    assert logit_shares(log_price, active, beta, worse)[0] <= shares[0] + 1e-12


def test_markups_are_the_equilibrium_of_costs_and_qualities_not_of_realised_revenue():
    """Two providers of equal cost and quality; whatever revenue shares the few buyers'
    draws gave them (here all to the second), the equilibrium is symmetric: shares 1/2,
    eps = 4 x 1/2 + 1.5 x 1/2 = 2.75, markups 1/1.75; an empty slot has none. Under
    competitive pricing the markups are 0 and the shares the logit at cost."""
    providers = Providers(np.ones(3), np.zeros(3), 2, 1)
    providers.share = np.array([0.0, 1.0, 0.0])
    providers.update_markups("bertrand", 4.0, 1.5, 3.0, np.zeros(3))
    np.testing.assert_allclose(providers.choice_share, [0.5, 0.5, 0.0], rtol=1e-12)
    np.testing.assert_allclose(providers.markup, [1 / 1.75, 1 / 1.75, 0.0], rtol=1e-10)
    providers.update_markups("competitive", 4.0, 1.5, 3.0, np.log([1.0, 2.0, 1.0]))
    np.testing.assert_array_equal(providers.markup, 0.0)
    np.testing.assert_allclose(providers.choice_share, [16 / 17, 1 / 17, 0.0], rtol=1e-12)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.floats(-3.0, 3.0, allow_subnormal=False),
                  st.floats(-5.0, 5.0, allow_subnormal=False)),
        min_size=1, max_size=12,
    ),
    st.floats(0.0, 100.0, allow_subnormal=False),
    st.floats(0.01, 10.0, allow_subnormal=False),
    st.floats(0.0, 20.0, allow_subnormal=False),
    st.floats(0.0, 20.0, allow_subnormal=False),
)  # fmt: skip
def test_the_equilibrium_is_every_providers_best_response_over_the_whole_parameter_space(
    providers, beta, eta, max_markup, start
):
    """Any log costs and qualities, logit sensitivity (the schema's 0-100), market
    elasticity, markup cap and starting markups: the markups are finite, within
    [0, cap], and each is the Bertrand-Nash markup of the provider's own expected share
    at the equilibrium prices (to 1e-9), which add to 1."""
    log_cost = np.array([cost for cost, _ in providers])
    quality = np.array([xi for _, xi in providers])
    active = np.ones(log_cost.size, dtype=bool)
    markup, shares = equilibrium_markups(
        log_cost, active, quality, beta, eta, max_markup, np.full(log_cost.size, start)
    )
    assert np.all(np.isfinite(markup)) and np.all(markup >= 0.0)
    assert np.all(markup <= max_markup * (1 + 1e-12))
    assert shares.sum() == pytest.approx(1.0, rel=1e-12)
    best = bertrand_markup(shares, beta, eta, max_markup)
    np.testing.assert_allclose(np.log1p(markup), np.log1p(best), rtol=0, atol=1e-9)
    expected = logit_shares(log_cost + np.log1p(markup), active, beta, quality)
    np.testing.assert_allclose(shares, expected, rtol=1e-12, atol=1e-300)


@pytest.mark.parametrize("dispersion", [0.0, 0.3])
def test_the_calibrated_step_zero_is_a_fixed_point_of_the_expected_shares(dispersion):
    """Step-0 qualities make the leader shares of spending the logit-Bertrand equilibrium
    whatever the providers' costs: at the prices posted a month on (no learning), the
    expected shares of work ``q_p`` times the prices give the leader shares again, and the
    markups are those of the ``q_p``."""
    model = EconomyModel(**SMALL, **{"compute.provider_cost_dispersion": dispersion})
    providers = model.providers
    model.compute_market.post_prices(providers, 1)
    active = providers.active
    spending = providers.choice_share[active] * providers.prices[active, 0]
    target = target_shares(4, [0.40, 0.27, 0.21])
    np.testing.assert_allclose(spending / spending.sum(), target, rtol=1e-9)
    np.testing.assert_allclose(  # the equilibrium is solved to 1e-12 in log price
        providers.markup[active],
        bertrand_markup(providers.choice_share[active], 4.0, 1.5, 3.0),
        rtol=1e-10,
    )


def test_expected_profit_is_the_entrants_formula_at_the_expected_share():
    """Industry revenue 1,000, all of it realised by provider 0; provider 1 sold nothing
    but expects 30 % at a markup of 0.5: 1,000 x 0.3 x 0.5/1.5 - F = 100 - 10 = 90, a
    profit, so it stays. F = 0.1 x average step-0 revenue 100."""
    scenario = build_scenario(
        overrides={"population.providers": 2, "compute.max_providers": 4}, source="test"
    )
    market = ComputeMarket(scenario, np.array([0]))
    market.reference_revenue = 100.0
    providers = Providers(np.ones(4), np.zeros(4), 2, 1)
    providers.revenue = np.array([1000.0, 0.0, 0.0, 0.0])
    providers.choice_share = np.array([0.7, 0.3, 0.0, 0.0])
    providers.markup = np.array([0.25, 0.5, 0.0, 0.0])
    profit = market.expected_profit(providers)
    np.testing.assert_allclose(profit, [1000 * 0.7 * 0.2 - 10, 90.0, 0.0, 0.0], rtol=1e-12)
    providers.profit_trend = profit
    providers.age = np.array([24.0, 24.0, 0.0, 0.0])
    market.entry_and_exit(providers, np.zeros(1), np.ones(1), np.zeros(1), 24)
    assert market.exits == 0 and providers.active[:2].all()


def test_no_provider_leaves_for_want_of_early_customers_when_it_expects_a_profit():
    """With adoption diffusing, the first year's AI market is a handful of firms. Without a
    training cost every provider expects a positive profit (its markup over a marginal
    cost that already pays for its GPUs), so none leaves, whatever it sold."""
    model = EconomyModel(
        **{
            "population.workers": 2000,
            "population.firms": 100,
            "compute.training_cost": 0.0,
            "compute.entry_cost": 1e4,
        }
    )
    exits = 0
    for _ in range(37):
        model.step()
        exits += model.compute_market.exits
    assert exits == 0
    assert model.providers.active.sum() == 4
