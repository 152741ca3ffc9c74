"""Validation statistics on synthetic series with known answers."""

from __future__ import annotations

import numpy as np
import pytest

from sim.validation import statistics as st


def test_ar1_autocorrelation_is_recovered():
    rng = np.random.default_rng(1)
    phi, n = 0.8, 20_000
    x = np.zeros(n)
    shocks = rng.normal(size=n)
    for t in range(1, n):
        x[t] = phi * x[t - 1] + shocks[t]
    assert st.autocorrelation(x, 1) == pytest.approx(phi, abs=0.02)
    assert st.autocorrelation(x, 2) == pytest.approx(phi**2, abs=0.03)


def test_hill_estimator_recovers_a_pareto_tail():
    rng = np.random.default_rng(2)
    alpha = 1.5
    sizes = rng.pareto(alpha, 50_000) + 1.0  # P(X > x) = x^-alpha, x >= 1
    assert st.hill_tail_index(sizes, 0.1) == pytest.approx(alpha, rel=0.06)
    zipf = rng.pareto(1.0, 50_000) + 1.0
    assert st.hill_tail_index(zipf, 0.1) == pytest.approx(1.0, rel=0.06)


def test_ccdf_of_a_known_sample():
    x, p = st.ccdf([3, 1, 2, 0, 4])
    assert list(x) == [1, 2, 3, 4]
    assert list(p) == [1.0, 0.75, 0.5, 0.25]


def test_hp_filter_keeps_a_linear_trend_and_finds_a_cycle():
    t = np.arange(200, dtype=float)
    line = 0.5 + 0.01 * t
    trend, cycle = st.hp_filter(line)
    assert np.abs(cycle).max() < 1e-8  # a straight line has no second difference
    assert np.allclose(trend, line)
    wave = 0.02 * np.sin(2 * np.pi * t / 12)  # a 3-year cycle in quarters
    _trend, cycle = st.hp_filter(0.01 * t + wave)
    inner = slice(12, -12)
    assert np.corrcoef(cycle[inner], wave[inner])[0, 1] > 0.99
    assert cycle[inner].std() == pytest.approx(wave[inner].std(), rel=0.1)


def test_hp_filter_solves_its_first_order_condition():
    rng = np.random.default_rng(3)
    y = np.cumsum(rng.normal(size=80))
    trend, _ = st.hp_filter(y, 1600.0)
    d2 = np.diff(trend, 2)
    # (I + lamb D'D) tau = y  <=>  y - tau = lamb D'(D tau)
    penalty = np.zeros(80)
    penalty[:-2] += d2
    penalty[1:-1] -= 2 * d2
    penalty[2:] += d2
    assert np.allclose(y - trend, 1600.0 * penalty, atol=1e-8)


def test_hp_filter_matches_statsmodels():
    statsmodels = pytest.importorskip("statsmodels.tsa.filters.hp_filter")
    y = np.cumsum(np.random.default_rng(4).normal(size=120))
    _cycle_sm, trend_sm = statsmodels.hpfilter(y, 1600)
    trend, _cycle = st.hp_filter(y, 1600)
    assert np.allclose(trend, trend_sm, atol=1e-8)


def test_cyclical_sd_of_a_sine_around_a_trend():
    t = np.arange(400, dtype=float)
    y = np.exp(0.005 * t + 0.01 * np.sin(2 * np.pi * t / 10))
    assert st.cyclical_sd(y) == pytest.approx(100 * 0.01 / np.sqrt(2), rel=0.05)


@pytest.mark.parametrize(
    ("output", "expected"),
    [
        ([1, 2, 3, 4, 5], 0),
        ([1, 2, 1, 0.5, 0.7, 0.6, 0.5, 1], 2),  # two runs of two falls
        ([5, 4, 5, 4, 5], 0),  # single-quarter dips are not recessions
        ([5, 4, 3, 2, 1], 1),  # one long recession
    ],
)
def test_recession_count(output, expected):
    assert st.count_recessions(output) == expected


def test_two_sector_nordhaus_slopes():
    """One wage growing at g in both sectors, prices at unit labour cost p_i = w / A_i:
    the relative price falls one for one with productivity, wages do not follow it."""
    g, productivity = 0.03, np.array([0.0, 0.02, 0.05])
    price = g - productivity
    cpi = price.mean()
    slopes = st.nordhaus_slopes(productivity, price - cpi, np.full(3, g))
    assert slopes["price"] == pytest.approx(-1.0)
    assert slopes["wage"] == pytest.approx(0.0, abs=1e-12)


def test_okun_coefficient_recovered():
    rng = np.random.default_rng(5)
    growth = rng.normal(0.5, 1.0, 400)  # per cent a quarter
    du = -0.4 * growth + rng.normal(0, 0.05, 400)  # points
    gdp = np.exp(np.concatenate(([0.0], np.cumsum(growth / 100))))
    u = 0.05 + np.concatenate(([0.0], np.cumsum(du))) / 100
    assert st.okun_coefficient(u, gdp) == pytest.approx(-0.4, abs=0.02)


def test_laplace_versus_normal_growth_rates():
    rng = np.random.default_rng(6)
    laplace = rng.laplace(0.0, 0.1, 200_000)
    normal = rng.normal(0.0, 0.1, 200_000)
    assert st.excess_kurtosis(laplace) == pytest.approx(3.0, abs=0.2)
    assert st.excess_kurtosis(normal) == pytest.approx(0.0, abs=0.1)
    assert st.laplace_fit(laplace)["scale"] == pytest.approx(0.1, rel=0.02)
    assert (
        st.laplace_fit(laplace)["log_likelihood_ratio"]
        > 0
        > st.laplace_fit(normal)["log_likelihood_ratio"]
    )


def test_price_decline_and_growth_helpers():
    months = np.arange(37)
    prices = 20.0 * 10.0 ** (-months / 12)
    assert st.annual_decline_factor(prices, months) == pytest.approx(10.0)
    assert st.annualized_change(1.0, 4.0, 24) == pytest.approx(2.0)
    assert st.to_quarterly([1, 2, 3, 4, 5, 6, 7]).tolist() == [2.0, 5.0]
    assert st.to_quarterly([1, 2, 3], how="sum").tolist() == [6.0]
    assert st.mean_over_median([1, 1, 1, 5]) == pytest.approx(2.0)
    growth = st.log_growth_rates(np.array([[1.0, 2.0, 0.0], [2.0, 2.0, 1.0]]))
    assert growth.tolist() == pytest.approx([np.log(2.0), 0.0])
