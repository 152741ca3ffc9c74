"""Step-0 calibration with capital goods, partial AI adoption and the fixed money rule,
on small economies (docs/model.md, "Calibration"; sim/setup.py). Each expected number
is worked out here from the scenario's own parameters, not with the model's helpers:
these are the cases the small test economy (no capital, every firm an adopter,
McCallum's rule) leaves untested.
"""

from __future__ import annotations

import numpy as np
import pytest

from sim.agents.workers import UNEMPLOYED
from sim.markets.adoption import Adoption
from sim.scenario.schema import AdoptionConfig
from tests.conftest import small_model


def expected_firms_per_sector(model, n_firms: int, goods_sector: str | None, adopters0: float):
    """Firms per sector from the labour weights ``l_s ~ d_s h_s``: final demand
    ``d_s = e_s (1 - iota) + iota [s = goods sector]`` with investment, replacement and
    expansion at the trend, ``iota = 12 theta (delta_m + g_m)``, ``delta_m = 1 - (1 -
    delta)^(1/12)``, ``g_m = (1 + g)^(1/12) - 1`` (theta = 1.5, delta = 0.08 and the
    consumer-weighted productivity growth g = 0.1 x 3 % + 0.2 x 1.5 % + 0.3 x 2.5 % +
    0.25 x 0.3 % + 0.15 x 0.5 % = 1.5 % by default), and the human share of costs
    ``h_s = F0 (1 - s0)(1 + o_s) + (1 - F0)`` (non-adopters' cost is all labour); each
    sector gets ``max(1, floor(l_s n))`` firms and the largest the rest."""
    sectors = list(model.config.sectors.values())
    weight = np.array([s.consumer_weight for s in sectors])
    weight = weight / weight.sum()
    if goods_sector is not None:
        theta, delta, growth = 1.5, 0.08, 0.015
        iota = (
            12.0
            * theta
            * (1.0 - (1.0 - delta) ** (1.0 / 12.0) + (1.0 + growth) ** (1.0 / 12.0) - 1.0)
        )
        assert iota == pytest.approx(0.14698, abs=1e-5)
        weight = weight * (1.0 - iota)
        weight[model.sector_names.index(goods_sector)] += iota
    s0 = np.array([s.ai_share for s in sectors])
    oversight = np.array([s.oversight_per_token for s in sectors]) * model.base_tokens
    human = adopters0 * (1.0 - s0) * (1.0 + oversight) + (1.0 - adopters0)
    labour = weight * human
    labour /= labour.sum()
    count = np.maximum(1, np.floor(labour * n_firms).astype(int))
    count[np.argmax(labour)] += n_firms - count.sum()
    return count


@pytest.mark.parametrize("goods_sector", ["manufacturing", "repair"])
def test_firms_per_sector_count_replacement_investment_in_the_capital_goods_sector(goods_sector):
    """With capital, the capital-goods sector also sells replacement investment, a
    share iota of output's value, so it gets more of the firms; any sector can be that
    sector, the last one too."""
    n_firms = 120
    model = small_model(**{
        "population.firms": n_firms, "population.workers": 1200, "capital.enabled": True,
        "capital.goods_sector": goods_sector,
    })  # fmt: skip
    count = expected_firms_per_sector(model, n_firms, goods_sector, 1.0)
    np.testing.assert_array_equal(np.bincount(model.firms.sector), count)
    without = small_model(**{"population.firms": n_firms, "population.workers": 1200})
    k = model.sector_names.index(goods_sector)
    assert np.bincount(model.firms.sector)[k] > np.bincount(without.firms.sector)[k]


def test_firms_per_sector_with_partial_adoption_count_non_adopters_as_all_labour():
    """With 90 % of firms adopting at step 0, the human share of a sector's costs is
    0.9 (1 - s0)(1 + o) + 0.1: software, with an AI share of 0.9, keeps 6 of 120 firms
    (0.19 of its consumer weight's labour, against 0.1 if every firm adopted and 1 if
    none did)."""
    n_firms = 120
    model = small_model(**{
        "population.firms": n_firms, "population.workers": 1200, "adoption.enabled": True,
        "adoption.initial_share": 0.9, "sectors.software.ai_share": 0.9,
        "sectors.software.oversight_per_token": 0.01,
    })  # fmt: skip
    count = expected_firms_per_sector(model, n_firms, None, 0.9)
    assert count[model.sector_names.index("software")] == 6
    np.testing.assert_array_equal(np.bincount(model.firms.sector), count)


def test_at_step_zero_only_adopters_employ_overseers():
    """Software (AI share 0.5, a large oversight need) with half its firms adopting.
    Among the first seeds, one where the economy's first firm does not adopt and the
    second does: the first firm's staff are all production workers, and adopters'
    staff include overseers. Unemployed workers are no one's staff."""
    overrides = {
        "adoption.enabled": True, "adoption.initial_share": 0.5,
        "sectors.software.ai_share": 0.5, "sectors.software.oversight_per_token": 1.0,
    }  # fmt: skip
    for seed in range(40):
        model = small_model(**overrides, **{"run.seed": seed})
        adopter = model.firms.adopter
        if not adopter[0] and adopter[1] and model.firms.sector[1] == 0:
            break
    else:
        pytest.fail("no seed with a non-adopting first firm and an adopting second one")
    workers = model.workers
    employed = workers.employer != UNEMPLOYED
    at = np.maximum(workers.employer, 0)
    first_staff = employed & (workers.employer == 0)
    assert first_staff.sum() >= 10
    assert not workers.occupation[first_staff].any()
    at_adopter = employed & adopter[at]
    assert workers.occupation[at_adopter & (workers.sector == 0)].any()
    assert not workers.occupation[employed & ~adopter[at]].any()


def test_the_fixed_money_rule_grows_money_at_the_configured_rate():
    """``money.rule = "fixed"`` with 5 % a year: the first month's growth is 5 % (McCallum's
    rule would set its own)."""
    model = small_model(**{"money.rule": "fixed", "money.growth": 0.05})
    model.step()
    assert model.report["money_growth"] == 0.05
    mccallum = small_model(**{"money.growth": 0.05})
    mccallum.step()
    assert mccallum.report["money_growth"] != 0.05


def test_with_capital_step_zero_income_is_what_households_spend():
    """With capital, firms retain the replacement investment they buy from the
    capital-goods sector, so households' step-0 income (wages and every profit paid
    out, by equity) is the revenue of firms less that investment, which is what they
    buy as consumers, plus their electricity bill, which comes back to them as the
    power sector's income; the step-0 report's consumption is that revenue less the
    investment."""
    model = small_model(**{"capital.enabled": True})
    firms = model.firms
    investment = float(firms.investment_spending.sum())
    assert investment > 0.0
    consumption = float(firms.revenue.sum()) - investment
    bill = model.compute_market.electricity.household_bill
    assert model.households.income.sum() == pytest.approx(consumption + bill, rel=1e-12)
    assert model.report["consumption"] == pytest.approx(consumption, rel=1e-12)


def test_the_power_sector_is_sized_from_every_firms_potential_use_of_compute():
    """With adoption on, the electricity market's step-0 world is sized from what every
    firm would use as an adopter (docs/model.md 2b). When every firm adopts at step 0
    (F0 = 1) that is what they use, so the market is the one of the same economy with
    adoption off (equal to rounding); with 30 % adopting, compute's own step-0 demand is
    well below (under 0.6 of) its share of that world."""

    def electricity(**overrides):
        return small_model(**overrides).compute_market.electricity

    off = electricity()
    everyone = electricity(**{"adoption.enabled": True, "adoption.initial_share": 1.0})
    for name in ("initial_compute_demand", "initial_datacentre_demand",
                 "initial_household_demand", "initial_firm_demand", "household_bill"):  # fmt: skip
        assert getattr(everyone, name) == pytest.approx(getattr(off, name), rel=1e-12), name
    few = electricity(**{"adoption.enabled": True, "adoption.initial_share": 0.3})
    world = few.initial_datacentre_demand / (few.datacentre_share - few.compute_share)
    assert few.initial_compute_demand < 0.6 * few.compute_share * world


def test_an_economy_without_firms_has_no_adopters():
    """With diffusion on, at least one firm adopts at step 0, but with no firm there is
    none to make an adopter: the answer is an empty array, not an error."""
    adoption = Adoption(AdoptionConfig(enabled=True, initial_share=0.01))
    assert adoption.initial_adopters(np.zeros(0), np.random.default_rng(0)).size == 0
    some = adoption.initial_adopters(np.ones(5), np.random.default_rng(0))
    assert some.sum() >= 1
