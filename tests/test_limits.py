"""Textbook limits: in the frictionless configuration (scenarios/frictionless.toml)
the simulated economy reproduces the closed-form results of sim.economics.benchmarks.

Tolerances, and why they are not tighter:
- Baumol (1967): relative price growth within 3 % of the productivity gap. Prices are
  unit cost times a fixed markup, so only the small wage differences between sectors
  that mobility does not erase remain.
- Ngai-Pissarides (2007): employment-ratio drift within 15 % of (1 - eps)(g_p - g_s).
  Employment is counted in workers while technology uses efficiency units, and
  job-to-job moves add noise.
- Hicks-Marshall: the formula is integrated month by month along the simulated
  relative price of compute (with the cost-minimising compute share and the
  uncompensated CES output elasticity eta = eps + (1 - eps) w_s); regressing the
  simulated log tokens of a small sector on that path must give a slope within 0.15
  of 1. Slopes seen: 0.89-0.98 (seeds 1-3, the four cases): the model responds a
  little less than the formula, as expected demand and hiring adjust with lags, and
  a sector of ~500 workers is noisy. The Jevons condition (AI spending rises iff
  |eps_CC| > 1) holds exactly.
"""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim.economics import (
    baumol_relative_price_growth,
    compute_cost_share,
    hicks_marshall_elasticity,
    ngai_pissarides_employment_drift,
)
from sim.model import EconomyModel
from sim.scenario import load_scenario

FRICTIONLESS = Path(__file__).parents[1] / "scenarios" / "frictionless.toml"
DEFAULT_SECTORS = ("software", "business", "manufacturing", "care", "repair")


def _two_sectors(first: dict, second: dict, **overrides) -> tuple[pd.DataFrame, EconomyModel]:
    """Run the frictionless economy with only the two given sectors."""
    removed = {f"sectors.{name}": False for name in DEFAULT_SECTORS}
    added = {f"sectors.{key}": value for key, value in {**first, **second}.items()}
    scenario = load_scenario(FRICTIONLESS, {**removed, **added, **overrides})
    model = EconomyModel(config=scenario)
    for _ in range(scenario.run.steps):
        model.step()
    return model.results(), model


def _sector(name: str, growth: float, weight: float, ai_share=1e-6, sigma=1.0) -> dict:
    return {
        name: {
            "label": name, "ai_share": ai_share, "substitution_elasticity": sigma,
            "min_tier": "basic", "productivity_growth": growth, "consumer_weight": weight,
        }
    }  # fmt: skip


def _mid(values: np.ndarray) -> np.ndarray:
    """Mid-month values between consecutive months."""
    return 0.5 * (values[1:] + values[:-1])


def _trend(frame: pd.DataFrame, series: pd.Series) -> float:
    """Least-squares growth per year of a log series, after a two-year burn-in."""
    late = frame["year"] >= 2
    return float(np.polyfit(frame["year"][late], series[late], 1)[0])


@pytest.fixture(scope="module", params=[0.5, 1.5], ids=["eps=0.5", "eps=1.5"])
def unbalanced_growth(request):
    """A progressive sector (5 % a year) and a stagnant one (0 %)."""
    frame, _ = _two_sectors(
        _sector("progressive", 0.05, 0.5),
        _sector("stagnant", 0.0, 0.5),
        **{"households.consumer_elasticity": request.param, "population.workers": 20_000},
    )
    return request.param, frame


def test_baumol_stagnant_relative_price_grows_at_the_productivity_gap(unbalanced_growth):
    _, frame = unbalanced_growth
    simulated = _trend(frame, np.log(frame["price_stagnant"] / frame["price_progressive"]))
    expected = float(baumol_relative_price_growth(np.log(1.05), np.log(1.0)))
    assert simulated == pytest.approx(expected, rel=0.03)


def test_baumol_wages_grow_uniformly(unbalanced_growth):
    _, frame = unbalanced_growth
    ratio = frame["wage_stagnant"] / frame["wage_progressive"]
    assert ratio[frame["year"] >= 2].between(0.97, 1.03).all()


def test_ngai_pissarides_employment_drift(unbalanced_growth):
    elasticity, frame = unbalanced_growth
    simulated = _trend(
        frame, np.log(frame["employment_stagnant"] / frame["employment_progressive"])
    )
    expected = float(ngai_pissarides_employment_drift(elasticity, np.log(1.0), np.log(1.05)))
    assert np.sign(simulated) == np.sign(expected)
    assert simulated == pytest.approx(expected, rel=0.15)


def hicks_marshall_check(
    sigma: float, elasticity: float, ai_share: float, tax: float = 0.0
) -> tuple[float, bool, bool]:
    """Run the frictionless economy with one small AI-using sector (5 % of spending)
    whose compute gets twice as cheap a year, and compare it with Hicks-Marshall.

    Returns the slope of its simulated log tokens on the formula integrated month by
    month along the simulated tax-inclusive compute price relative to its wage (1 if
    the model follows the formula), whether pre-tax AI spending rose, and whether the
    formula says it should: ``|eps_CC| p / (p + t) > 1``.
    """
    frame, model = _two_sectors(
        _sector("ai", 0.0, 0.05, ai_share=ai_share, sigma=sigma),
        _sector("rest", 0.0, 0.95),
        **{
            "households.consumer_elasticity": elasticity,
            "run.steps": 72,
            "compute.tiers.advanced": False,
            "compute.tiers.frontier": False,
            "compute.tiers.basic.annual_decline": 2.0,
            "population.providers": 1,
            "compute.max_providers": 1,
            "policy.compute_tax": tax,
        },
    )
    window = frame[frame["year"] >= 1]
    price = (window["ai_spend"] / window["tokens"]).to_numpy()
    taxed = price + tax
    wage = window["wage_ai"].to_numpy()
    # Compute's cost share at the cost minimum for these prices (the formula's s_C).
    share = compute_cost_share(wage, taxed * model.base_tokens[0], ai_share, sigma)
    eta = elasticity + (1.0 - elasticity) * _mid(window["spending_share_ai"].to_numpy())
    local = hicks_marshall_elasticity(_mid(share), sigma, eta)
    path = np.concatenate(([0.0], np.cumsum(local * np.diff(np.log(taxed / wage)))))
    tokens = np.log(window["tokens_ai"].to_numpy())
    slope = float(np.polyfit(path, tokens - tokens[0], 1)[0])
    spending_rises = bool(window["ai_spend"].iloc[-1] > window["ai_spend"].iloc[0])
    condition = float(np.mean(-local * _mid(price / taxed))) > 1.0
    return slope, spending_rises, condition


@pytest.mark.parametrize(
    ("sigma", "elasticity", "ai_share"),
    [(1.5, 0.8, 0.05), (0.5, 0.8, 0.05), (2.0, 1.5, 0.2), (0.8, 1.5, 0.3)],
)
def test_hicks_marshall_compute_demand_and_jevons_condition(sigma, elasticity, ai_share):
    slope, spending_rises, condition = hicks_marshall_check(sigma, elasticity, ai_share)
    assert slope == pytest.approx(1.0, abs=0.15)
    # Jevons: spending on compute rises as its price falls exactly when |eps_CC| > 1.
    assert spending_rises == condition
