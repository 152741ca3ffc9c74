"""The chained price indices (sim/economics/price_index.py) against hand-worked numbers
and the exact cost-of-living index of CES households, and the model's CPI series."""

import itertools
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sim.economics.price_index import fisher_link, laspeyres_link, paasche_link, tornqvist_link
from sim.model import EconomyModel

P0, P1 = np.array([1.0, 1.0]), np.array([2.0, 1.0])
S0, S1 = np.array([0.5, 0.5]), np.array([0.4, 0.6])


def test_links_match_hand_worked_numbers():
    # Laspeyres 0.5*2 + 0.5*1 = 1.5; Paasche 1/(0.4*0.5 + 0.6*1) = 1.25;
    # Fisher sqrt(1.5*1.25) = 1.369306...; Tornqvist exp(0.45 ln 2) = 2**0.45 = 1.366040...
    assert laspeyres_link(P0, P1, S0) == pytest.approx(1.5, rel=1e-15)
    assert paasche_link(P0, P1, S1) == pytest.approx(1.25, rel=1e-15)
    assert fisher_link(P0, P1, S0, S1) == pytest.approx(1.3693063937629153, rel=1e-14)
    assert tornqvist_link(P0, P1, S0, S1) == pytest.approx(2**0.45, rel=1e-14)


shares = st.lists(st.floats(0.01, 1.0), min_size=3, max_size=3).map(lambda w: np.array(w) / sum(w))
prices = st.lists(st.floats(0.05, 20.0), min_size=3, max_size=3).map(np.array)


@given(prices, prices, shares, shares)
def test_superlative_links_pass_time_reversal(p0, p1, s0, s1):
    """Going there and back gives 1 (Fisher 1922's time-reversal test), which the
    Laspeyres chain fails."""
    assert fisher_link(p0, p1, s0, s1) * fisher_link(p1, p0, s1, s0) == pytest.approx(1.0)
    assert tornqvist_link(p0, p1, s0, s1) * tornqvist_link(p1, p0, s1, s0) == pytest.approx(1.0)


@given(prices, shares)
def test_equal_price_changes_give_that_change(p0, s0):
    for link in (fisher_link, tornqvist_link):
        assert link(p0, 1.7 * p0, s0, s0) == pytest.approx(1.7)


def test_chained_fisher_tracks_the_ces_cost_of_living_where_laspeyres_drifts():
    """CES households (elasticity 1.5) facing one good whose price falls 40-fold over
    120 months: the exact cost-of-living index is (sum w p^(1-e))^(1/(1-e)). The
    chained Fisher index stays within 0.1 % of it; the chained Laspeyres index ends
    above it."""
    weights, elasticity = np.array([0.2, 0.3, 0.5]), 1.5
    path = [np.array([40.0 ** (-t / 120), 1.0 + 0.002 * t, 1.0]) for t in range(121)]

    def exact(p):
        return float(weights @ p ** (1 - elasticity)) ** (1 / (1 - elasticity))

    def share(p):
        terms = weights * p ** (1 - elasticity)
        return terms / terms.sum()

    fisher = laspeyres = 1.0
    for before, after in itertools.pairwise(path):
        fisher *= fisher_link(before, after, share(before), share(after))
        laspeyres *= laspeyres_link(before, after, share(before))
    truth = exact(path[-1]) / exact(path[0])
    assert fisher == pytest.approx(truth, rel=1e-3)
    assert laspeyres > truth * 1.01


def test_model_cpi_is_the_chained_fisher_of_sector_prices():
    """The CPI chains Fisher links over households' basket: the goods sectors at their
    prices and spending shares scaled by 1 - omega, and electricity at its price
    relative to step 0 with its share omega of what households spent."""
    model = EconomyModel(**{"population.workers": 2000, "population.firms": 60})
    electricity = model.compute_market.electricity
    cpi, laspeyres = 1.0, 1.0
    for _ in range(6):
        goods_before = model.sector_price.copy(), model.sector_spending_share.copy()
        energy_before = electricity.price_index, electricity.bill_share
        model.step()
        prices = (
            np.append(goods_before[0], energy_before[0]),
            np.append(model.sector_price, electricity.price_index),
        )
        shares = (
            np.append((1 - energy_before[1]) * goods_before[1], energy_before[1]),
            np.append((1 - electricity.bill_share) * model.sector_spending_share,
                      electricity.bill_share),
        )  # fmt: skip
        assert 0.005 < electricity.bill_share < 0.05
        cpi *= fisher_link(*prices, *shares)
        laspeyres *= laspeyres_link(*prices, shares[0])
        assert model.report["cpi"] == pytest.approx(cpi, rel=1e-12)
        assert model.report["cpi_laspeyres"] == pytest.approx(laspeyres, rel=1e-12)
        assert math.isfinite(model.report["relative_price_care"])
