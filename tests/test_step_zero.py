"""The step-0 calibration (sim/setup.py) against docs/model.md section 2, "Base compute
units and the step-0 calibration": every firm prices at $1 = (1 + mu0) x unit cost with
``A_s(0) = (1 + mu0) w0 / (1 - s0)`` and ``c0 = s0 w0 / ((1 - s0)(p_min + w0 o_s))``,
uses compute x = L, sells ``D = Y / (1 + tau delta)`` and ends the month with
``tau (1 - delta) D`` in stock (a stationary state), holds
``cash_buffer_months`` of its costs; households earn wages plus their equity share of
profits, providers' revenue and their own electricity bills (the power sector's income,
docs/model.md 4.3) and hold ``household_months`` of it when they shop; each bank has
``bank_capital_months`` of monthly output over the number of banks as equity and no
loans; firms per sector are ``max(1, floor(l_s N_F))`` with the remainder to the
largest sector. The expected values are computed here from the configuration, with the
model's numbers only as the inputs the rule takes (skills, assignments, posted prices).
"""

from __future__ import annotations

import numpy as np
import pytest

from sim.agents.workers import UNEMPLOYED
from tests.conftest import small_model

OVERRIDES = {
    "run.seed": 11,
    "firms.initial_markup": 0.2,
    "labour.initial_wage": 3.0,
    "firms.inventory_target": 0.25,
    "firms.cash_buffer_months": 1.5,
    "money.household_months": 2.0,
    "credit.banks": 3,
    "credit.bank_capital_months": 4.0,
}


def test_firms_start_at_price_one_on_their_cost_minimising_plan():
    model = small_model(**OVERRIDES)
    sc, firms, workers = model.config, model.firms, model.workers
    sectors = list(sc.sectors.values())
    s0 = np.array([s.ai_share for s in sectors])
    oversight = np.array([s.oversight_per_token for s in sectors])
    tier_price = np.array([sc.compute.tiers[s.min_tier].price for s in sectors])
    productivity = 1.2 * 3.0 / (1.0 - s0)
    base_tokens = s0 * 3.0 / ((1.0 - s0) * (tier_price + 3.0 * oversight))
    np.testing.assert_allclose(model.initial_productivity, productivity, rtol=1e-12)
    np.testing.assert_allclose(model.base_tokens, base_tokens, rtol=1e-12)

    k = firms.sector
    efficiency = workers.skill * (
        1.0 - sc.labour.retraining_penalty * np.exp(-240.0 / sc.labour.retraining_months)
    )
    employed = workers.employer != UNEMPLOYED
    labour = np.bincount(workers.employer[employed], weights=efficiency[employed], minlength=30)
    np.testing.assert_allclose(firms.labour, labour, rtol=1e-12)
    np.testing.assert_array_equal(firms.price, 1.0)
    np.testing.assert_array_equal(firms.markup, 0.2)
    np.testing.assert_array_equal(firms.wage, 3.0)
    np.testing.assert_allclose(firms.unit_cost, 1 / 1.2, rtol=1e-12)
    np.testing.assert_allclose(firms.output, productivity[k] * labour, rtol=1e-12)
    np.testing.assert_allclose(firms.compute, labour, rtol=1e-12)
    np.testing.assert_allclose(firms.tokens, labour * base_tokens[k], rtol=1e-12)
    # Stationary stocks: sales D, output D (1 + tau delta), stock tau (1 - delta) D.
    delta = sc.firms.inventory_depreciation
    assert delta > 0
    sales = firms.output / (1.0 + 0.25 * delta)
    np.testing.assert_allclose(firms.inventory, 0.25 * (1.0 - delta) * sales, rtol=1e-12)
    np.testing.assert_allclose(firms.planned_output, firms.output, rtol=1e-12)
    for name in ("expected_demand", "expected_sales", "sales", "demand"):
        np.testing.assert_allclose(getattr(firms, name), sales, rtol=1e-12)
    wage_bill = np.bincount(workers.employer[employed], weights=3.0 * efficiency[employed],
                            minlength=30)  # fmt: skip
    np.testing.assert_allclose(firms.wage_bill, wage_bill, rtol=1e-12)
    # Each firm pays its mix of its providers' posted prices of its tier.
    posted = (firms.provider_mix * model.providers.prices[:, firms.tier].T).sum(axis=1)
    np.testing.assert_allclose(firms.compute_bill, firms.tokens * posted, rtol=1e-12)
    np.testing.assert_allclose(firms.revenue, sales, rtol=1e-12)
    costs = wage_bill + firms.compute_bill
    np.testing.assert_allclose(firms.profit, sales - costs, rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(firms.cash, 1.5 * costs, rtol=1e-12)
    # Cost shares are s0 up to the providers' posted prices against the tier price.
    share = firms.compute_bill / costs
    expected_share = s0[k] * (posted / tier_price[k])
    np.testing.assert_allclose(share, expected_share / (expected_share + 1 - s0[k]), rtol=1e-9)


def test_firms_per_sector_follow_the_human_share_of_costs():
    """l_s proportional to e_s (1 - s0) (1 + o_s c0_s); each sector gets floor(l_s 30)
    firms, at least 1, and the largest sector the rest."""
    model = small_model(**OVERRIDES)
    sectors = list(model.config.sectors.values())
    weight = np.array([s.consumer_weight for s in sectors])
    s0 = np.array([s.ai_share for s in sectors])
    oversight = np.array([s.oversight_per_token for s in sectors]) * model.base_tokens
    labour_weight = weight / weight.sum() * (1 - s0) * (1 + oversight)
    labour_weight /= labour_weight.sum()
    count = np.maximum(1, np.floor(labour_weight * 30).astype(int))
    count[np.argmax(labour_weight)] += 30 - count.sum()
    np.testing.assert_array_equal(np.bincount(model.firms.sector), count)
    np.testing.assert_array_equal(model.sector_bounds, np.concatenate(([0], np.cumsum(count))))
    # Every worker's firm is in her sector; about 4 % start unemployed (5 binomial sd).
    workers = model.workers
    employed = workers.employer != UNEMPLOYED
    np.testing.assert_array_equal(
        model.firms.sector[workers.employer[employed]], workers.sector[employed]
    )
    n = workers.employer.size
    assert abs((~employed).mean() - 0.04) < 5 * np.sqrt(0.04 * 0.96 / n)


def test_households_and_banks_start_with_their_configured_months():
    model = small_model(**OVERRIDES)
    firms, households, workers = model.firms, model.households, model.workers
    assert households.equity.sum() == pytest.approx(1.0, rel=1e-12)
    assert (households.equity > 0).all()
    wages = np.bincount(workers.household, weights=workers.wage, minlength=len(households))
    # Households' step-0 electricity bill (docs/model.md 4.3): W(0) = D_C(0) / theta_AI,
    # data centres take theta_DC of it, households a share h of the rest, at P_E(0).
    sc, electricity = model.config, model.compute_market.electricity
    world = electricity.sector.compute_demand[0] / sc.compute.compute_energy_share
    bill = (
        sc.energy.electricity_price
        * sc.energy.household_share
        * world
        * (1.0 - sc.energy.datacentre_share)
    )
    assert bill > 0.0
    assert electricity.household_bill == pytest.approx(bill, rel=1e-12)
    property_income = firms.profit.sum() + model.providers.revenue.sum() + bill
    income = wages + property_income * households.equity
    np.testing.assert_allclose(households.income, income, rtol=1e-12)
    np.testing.assert_allclose(households.spending, income, rtol=1e-12)
    np.testing.assert_allclose(households.permanent_income, income, rtol=1e-12)
    # Money at the end of month 0: m y - w (wages come before the shops open).
    np.testing.assert_allclose(
        households.cash, np.maximum(2.0 * np.maximum(income, 0.0) - wages, 0.0), rtol=1e-12
    )
    # omega_0 = step-0 bill over step-0 spending (below the 0.5 guard); the supplier's
    # step-0 income is providers' costs plus the bill.
    assert electricity.initial_bill_share == pytest.approx(bill / income.sum(), rel=1e-12)
    assert 0.0 < electricity.initial_bill_share < 0.5
    assert model.upstream_income == pytest.approx(model.providers.cost.sum() + bill, rel=1e-12)
    np.testing.assert_allclose(model.banks.equity, 4.0 * firms.revenue.sum() / 3, rtol=1e-12)
    np.testing.assert_array_equal(model.banks.loans, 0.0)
    assert set(np.unique(firms.bank)) == {0, 1, 2}  # 30 firms: all 3 banks used
    assert model.report["oversight_employment"] == 0.0
    assert model.report["oversight_wage"] == 0.0
    assert model.money_issued == 0.0 and model.issued_this_step == 0.0
    np.testing.assert_array_equal(model.sector_price, 1.0)
    np.testing.assert_allclose(model.sector_spending_share, model.consumer_weights, rtol=1e-12)


def test_overseers_at_step_zero_are_the_oversight_share_of_each_sectors_staff():
    """With AI share 0.5 and oversight o = 10 per million tokens in the first sector, its
    staff split into overseers with probability o c0 / (1 + o c0) each (the oversight
    part of the AI bundle over the human share of costs); 5 binomial standard
    deviations. The firms per sector follow l_s ~ e_s (1 - s0)(1 + o c0)."""
    first = next(iter(small_model().config.sectors))
    model = small_model(
        **{
            **OVERRIDES,
            "population.workers": 4000,  # some 270 in the sector: 5 sd is 0.13
            f"sectors.{first}.oversight_per_token": 10.0,
            f"sectors.{first}.ai_share": 0.5,
        }
    )
    workers = model.workers
    ratio = 10.0 * model.base_tokens[0]
    share = ratio / (1 + ratio)
    assert 0.2 < share < 0.8  # a share the test can tell from 0 and from 1 (n > 200)
    mine = workers.sector == 0
    n = int(mine.sum())
    assert n > 200
    assert abs(workers.occupation[mine].mean() - share) < 5 * np.sqrt(share * (1 - share) / n)
    assert (workers.occupation[~mine] == 0).all()
    sectors = list(model.config.sectors.values())
    weight = np.array([s.consumer_weight for s in sectors])
    s0 = np.array([s.ai_share for s in sectors])
    oversight = np.array([s.oversight_per_token for s in sectors]) * model.base_tokens
    labour_weight = weight * (1 - s0) * (1 + oversight)
    labour_weight /= labour_weight.sum()
    count = np.maximum(1, np.floor(labour_weight * 30).astype(int))
    count[np.argmax(labour_weight)] += 30 - count.sum()
    np.testing.assert_array_equal(np.bincount(model.firms.sector), count)


def test_workers_are_spread_over_fewer_households_uniformly():
    """With 50 households for 600 workers each worker joins a uniformly drawn one: all
    indices below 50, and every household gets someone (the chance that one is left out
    is 50 x (49/50)^600, 3e-4)."""
    model = small_model(**{**OVERRIDES, "population.households": 50})
    household = model.workers.household
    assert household.min() >= 0 and household.max() < 50
    assert np.unique(household).size == 50


def test_skills_are_lognormal_with_mean_one():
    """skill ~ lognormal(-sigma^2 / 2, sigma): mean 1 and variance e^(sigma^2) - 1; the
    sample mean of 600 draws is within 5 of its standard errors of 1."""
    model = small_model(**OVERRIDES)
    sigma = model.config.labour.skill_dispersion
    skill = model.workers.skill
    assert sigma > 0
    error = np.sqrt((np.exp(sigma**2) - 1.0) / skill.size)
    assert abs(skill.mean() - 1.0) < 5 * error
    assert np.log(skill).std() == pytest.approx(sigma, rel=5 / np.sqrt(2 * skill.size))


def test_a_capped_electricity_bill_is_the_one_households_are_paid_and_pay():
    """With AI compute a tiny share of electricity (1e-5), households' uncapped bill would
    exceed their spending on goods; the guard caps it at half their spending, and that
    capped bill is both the power sector's step-0 income (in households' incomes and in
    ``upstream_income``) and half of what households spend (docs/model.md 4.3)."""
    model = small_model(**OVERRIDES, **{"compute.compute_energy_share": 1e-5})
    firms, households, workers = model.firms, model.households, model.workers
    electricity = model.compute_market.electricity
    assert electricity.initial_bill_share == 0.5
    goods = workers.wage.sum() + firms.profit.sum() + model.providers.revenue.sum()
    bill = electricity.household_bill
    assert bill == pytest.approx(goods, rel=1e-12)  # b = G x 0.5 / (1 - 0.5)
    assert households.spending.sum() == pytest.approx(goods + bill, rel=1e-12)
    assert model.upstream_income == pytest.approx(model.providers.cost.sum() + bill, rel=1e-12)


def test_five_firms_for_five_sectors_give_each_sector_one():
    """Two big sectors (consumer weights 0.45 and 0.47) and three small ones, five firms:
    ``max(1, floor(5 l_s))`` = (2, 1, 1, 2, 1) is seven firms, and giving the remainder
    -2 to the largest sector would leave it none. The guard (docs/model.md section 2)
    re-splits ``N_F - S`` = 0 firms by weight on top of one firm each: one per sector."""
    weights = {"software": 0.45, "business": 0.05, "manufacturing": 0.01, "care": 0.47,
               "repair": 0.02}  # fmt: skip
    overrides = {f"sectors.{name}.consumer_weight": w for name, w in weights.items()}
    model = small_model(**overrides, **{"population.firms": 5})
    np.testing.assert_array_equal(model.sector_bounds, np.arange(6))
    np.testing.assert_array_equal(model.firms.sector, np.arange(5))
    model.step()  # every sector's one firm hires and sells
    assert (model.firms.headcount > 0).all()


# --- Hand-built cases for the calibration's remaining branches (mutation testing) ---

SECTOR_NAMES = ("software", "business", "manufacturing", "care", "repair")


def equal_ai_shares(weights, ai_share=0.01):
    """Overrides giving every sector the same AI share and no oversight, so that the
    labour weights l_s are the consumer weights normalised (human share 1 - s0 each)."""
    overrides = {}
    for name, weight in zip(SECTOR_NAMES, weights, strict=False):
        overrides[f"sectors.{name}.consumer_weight"] = weight
        overrides[f"sectors.{name}.ai_share"] = ai_share
    return overrides


def test_consumer_weights_are_normalised():
    """Weights 2, 4, 6, 5, 3 (summing to 20) are the shares 0.1, 0.2, 0.3, 0.25, 0.15."""
    model = small_model(**equal_ai_shares([2.0, 4.0, 6.0, 5.0, 3.0]))
    np.testing.assert_allclose(model.consumer_weights, [0.1, 0.2, 0.3, 0.25, 0.15], rtol=1e-15)


def test_a_small_sector_gets_exactly_one_firm():
    """Labour weights 0.53, 0.27, 0.11, 0.06, 0.03 and 30 firms: floor(30 l) = (15, 8,
    3, 1, 0), at least one each (15, 8, 3, 1, 1) = 28, the remaining 2 to the largest
    sector: (17, 8, 3, 1, 1). No sector is left without a firm, so no re-split."""
    model = small_model(**equal_ai_shares([0.53, 0.27, 0.11, 0.06, 0.03]))
    np.testing.assert_array_equal(np.bincount(model.firms.sector), [17, 8, 3, 1, 1])


def test_many_small_sectors_share_the_firms_left_after_one_each():
    """Ten sectors with consumer weights (1, 3, 1, 5, 30, 2, 32, 23, 1, 1) / 99 and 14
    firms: floor(14 l) = (0, 0, 0, 0, 4, 0, 4, 3, 0, 0), at least one each is 18 firms
    and the remainder -4 would leave the largest sector (index 6) none. The guard
    gives each sector 1 + floor(l (14 - 10)) = 1 + (0, 0, 0, 0, 1, 0, 1, 0, 0, 0) = 12
    firms and the remaining 2 to the largest: (1, 1, 1, 1, 2, 1, 4, 1, 1, 1)."""
    weights = (1, 3, 1, 5, 30, 2, 32, 23, 1, 1)
    names = [*SECTOR_NAMES, *(f"extra{k}" for k in range(5))]
    overrides = {"population.firms": 14}
    for name, weight in zip(names, weights, strict=True):
        overrides |= {
            f"sectors.{name}.label": name, f"sectors.{name}.ai_share": 0.01,
            f"sectors.{name}.substitution_elasticity": 1.0,
            f"sectors.{name}.min_tier": "basic", f"sectors.{name}.productivity_growth": 0.0,
            f"sectors.{name}.exposure": 0.1, f"sectors.{name}.consumer_weight": float(weight),
        }  # fmt: skip
    model = small_model(**overrides)
    expected = [1, 1, 1, 1, 2, 1, 4, 1, 1, 1]
    np.testing.assert_array_equal(np.bincount(model.firms.sector, minlength=10), expected)


def test_workers_are_drawn_into_sectors_by_labour_weight():
    """Each worker's sector is drawn with probability l_s (0.53, 0.27, 0.11, 0.06,
    0.03): the shares of 600 workers are within 5 binomial sd of them."""
    model = small_model(**equal_ai_shares([0.53, 0.27, 0.11, 0.06, 0.03]))
    share = np.bincount(model.workers.sector, minlength=5) / 600
    weight = np.array([0.53, 0.27, 0.11, 0.06, 0.03])
    assert (np.abs(share - weight) < 5 * np.sqrt(weight * (1 - weight) / 600)).all()


def test_oversight_calibration_with_a_monthly_decline_and_its_targets():
    """Sector 0 with AI share 0.5, oversight o = 10 worker-months per million tokens,
    declining 8-fold a year: monthly log decline ln(8) / 12; base tokens
    c0 = s0 w0 / ((1 - s0)(p + w0 o)) with p = 60 (frontier), w0 = 3; each firm's
    oversight target o x its tokens. Other sectors need no oversight."""
    model = small_model(**{
        **OVERRIDES, "sectors.software.oversight_per_token": 10.0,
        "sectors.software.ai_share": 0.5, "sectors.software.oversight_decline": 8.0,
    })  # fmt: skip
    assert model.log_oversight_decline[0] == pytest.approx(np.log(8.0) / 12.0, rel=1e-15)
    np.testing.assert_array_equal(model.log_oversight_decline[1:], 0.0)
    assert model.base_tokens[0] == pytest.approx(0.5 * 3.0 / (0.5 * (60.0 + 30.0)), rel=1e-15)
    firms = model.firms
    o = np.where(firms.sector == 0, 10.0, 0.0)
    np.testing.assert_allclose(firms.oversight_target, o * firms.tokens, rtol=1e-12, atol=0)
    assert (firms.oversight_target[firms.sector == 0] > 0).all()


def test_overseers_are_drawn_with_the_oversight_share():
    """With w0 = $4,000, AI share 0.5 and o = 10 in sector 0, c0 = w0 / (60 + 10 w0) and
    the ratio r = o c0 is close to 1: each of the sector's workers oversees with
    probability r / (1 + r), about 1/2; some 1,500 of 20,000 workers are there, so 5
    binomial sd is about 0.065."""
    model = small_model(**{
        "population.workers": 20_000, "sectors.software.oversight_per_token": 10.0,
        "sectors.software.ai_share": 0.5,
    })  # fmt: skip
    ratio = 10.0 * 4000.0 / (60.0 + 10.0 * 4000.0)
    share = ratio / (1.0 + ratio)
    mine = model.workers.sector == 0
    n = int(mine.sum())
    assert n > 1000
    error = abs(model.workers.occupation[mine].mean() - share)
    assert error < 5 * np.sqrt(share * (1 - share) / n)


def test_skill_mean_is_one_for_a_wide_dispersion():
    """skill ~ lognormal(-sigma^2 / 2, sigma) has mean 1; with sigma = 0.5 and 20,000
    workers the sample mean's standard error is sqrt(e^0.25 - 1) / sqrt(20,000) =
    0.0038; within 5 of them of 1 (a location of -sigma^3 / 2 would give e^0.0625)."""
    model = small_model(**{"population.workers": 20_000, "labour.skill_dispersion": 0.5})
    error = np.sqrt((np.exp(0.25) - 1.0) / 20_000)
    assert abs(model.workers.skill.mean() - 1.0) < 5 * error


def test_equity_shares_follow_a_pareto_tail():
    """Holdings are classical Pareto with scale 1 and tail index alpha (numpy's Lomax
    draw plus 1), so ln(holding / smallest holding) is exponential with mean 1 / alpha
    (the smallest of n is 1 + O(1 / (n alpha))): the Hill estimate from the shares
    alone, 1 / mean ln(share / min share), is alpha = 3 within 5 standard errors
    (alpha / sqrt(n) = 0.0095 for n = 100,000)."""
    from sim.setup import _equity_shares

    shares = _equity_shares(100_000, 3.0, np.random.default_rng(5))
    assert shares.sum() == pytest.approx(1.0, rel=1e-12)
    hill = 1.0 / np.log(shares / shares.min()).mean()
    assert abs(hill - 3.0) < 5 * 3.0 / np.sqrt(100_000)


def test_one_household_per_worker_is_the_workers_own():
    """With as many households as workers, worker i belongs to household i."""
    model = small_model(**{"population.households": 600})
    np.testing.assert_array_equal(model.workers.household, np.arange(600))


def test_households_shop_first_at_a_firm_of_each_sector_drawn_uniformly():
    """Each household's first firm in sector s lies in that sector's block of firms;
    600 households draw every firm of a sector (the chance that one of at most 30 is
    left out is below 30 x (29/30)^600, 4e-8)."""
    model = small_model()
    bounds, loyal = model.sector_bounds, model.households.loyal
    for s in range(len(model.sector_names)):
        assert (loyal[:, s] >= bounds[s]).all() and (loyal[:, s] < bounds[s + 1]).all()
        np.testing.assert_array_equal(np.unique(loyal[:, s]), np.arange(bounds[s], bounds[s + 1]))


def test_a_training_subsidy_shrinks_the_retraining_penalty():
    """Penalty 0.4 with a subsidy of half: movers lose 0.4 x (1 - 0.5) = 0.2."""
    model = small_model(**{"labour.retraining_penalty": 0.4, "policy.retraining_subsidy": 0.5})
    assert model.labour_rules.retraining_penalty == pytest.approx(0.2, rel=1e-15)
    assert model.config.labour.retraining_penalty == 0.4


def test_step_zero_prices_are_the_tier_prices_scaled_by_provider_cost():
    """Under competitive pricing (no markup) the posted price at step 0 is the
    provider's cost factor times the configured tier price ($1, $20, $60 per million
    tokens): no month of progress has passed (docs/model.md, compute market)."""
    model = small_model(**{"compute.pricing": "competitive"})
    providers, n = model.providers, model.compute_market.n_initial
    expected = providers.cost_factor[:n, None] * np.array([1.0, 20.0, 60.0])[None, :]
    np.testing.assert_allclose(providers.prices[:n], expected, rtol=1e-12)


def test_firms_and_households_without_workers_have_no_wages():
    """40 workers for 30 firms and 2,000 households: the last firm and the last
    household have nobody; wage bills and incomes still have one entry each (wages
    by firm and by household summed from the workers, 0 for them)."""
    model = small_model(**{"population.workers": 40, "population.households": 2000})
    workers, firms, households = model.workers, model.firms, model.households
    employed = workers.employer >= 0
    assert firms.wage_bill.size == 30 and households.income.size == 2000
    assert not (workers.employer == 29).any() and not (workers.household == 1999).any()
    for firm in range(30):
        mine = workers.employer == firm
        assert firms.wage_bill[firm] == pytest.approx(workers.wage[mine].sum(), abs=1e-9)
    assert firms.wage_bill[29] == 0.0
    wages = np.bincount(workers.household[employed], weights=workers.wage[employed],
                        minlength=2000)  # fmt: skip
    property_income = households.income - wages
    np.testing.assert_allclose(property_income / households.equity, property_income[0]
                               / households.equity[0], rtol=1e-9)  # fmt: skip
    assert wages[1999] == 0.0


def test_step_zero_report_starts_every_counter_at_zero():
    """Before any month: no moves, exits, insolvencies, bankruptcies, entries, bank
    failures or bad debt, and no money error; the central bank remembers a CPI of 1
    and the step-0 unemployment rate (the share of workers without a job)."""
    model = small_model()
    for name in ("sector_moves", "firm_exits", "firm_insolvencies", "bankruptcies", "entries",
                 "bank_failures", "bad_debt", "money_error"):  # fmt: skip
        assert model.report[name] == 0.0, name
    bank = model.central_bank
    assert bank.cpi_history == [1.0]
    jobless = (model.workers.employer == UNEMPLOYED).mean()
    assert 0 < jobless < 0.2
    assert bank.unemployment_sum / bank.months_observed == pytest.approx(jobless, rel=1e-15)


def test_step_zero_is_a_stationary_state_for_firms_plans_and_households_budgets():
    """Month 1 starts where step 0 stands still (docs/model.md, "Calibration"): a firm's
    desired output D_e (1 + tau) - S = D (1 + tau) - tau (1 - delta) D equals what it
    made, D (1 + tau delta); and a household that receives its wages w before shopping
    holds m y - w + w = m y, so with m = buffer_months the buffer-stock rule
    y + phi (cash - m y) budgets exactly its income y."""
    model = small_model(**{**OVERRIDES, "money.household_months": 3.0})
    sc, firms, households = model.config, model.firms, model.households
    np.testing.assert_allclose(
        firms.desired_output(sc.firms.inventory_target), firms.output, rtol=1e-12
    )
    assert sc.households.buffer_months == 3.0
    wages = np.bincount(
        model.workers.household, weights=model.workers.wage, minlength=len(households)
    )
    households.cash += wages  # this month's pay arrives (phase 4)
    budget = households.plan_spending(
        sc.households.income_smoothing, sc.households.buffer_months, sc.households.spend_excess
    )
    paid = households.cash > 0  # households whose cash floor at zero does not bind
    assert paid.mean() > 0.9
    np.testing.assert_allclose(budget[paid], households.income[paid], rtol=1e-12)


def test_the_largest_equity_share_is_its_stratum_midpoint_quantile():
    """Shares are the Pareto quantiles at stratum midpoints (no sampling error in the
    tail): with n = 50,000 and alpha = 1.16 the largest holding is (0.5 / n)^(-1/alpha)
    and no household's share depends on the draw, only which household gets it."""
    from sim.setup import _equity_shares

    n, alpha = 50_000, 1.16
    a = _equity_shares(n, alpha, np.random.default_rng(1))
    b = _equity_shares(n, alpha, np.random.default_rng(2))
    np.testing.assert_allclose(np.sort(a), np.sort(b), rtol=1e-12)
    holdings = (1.0 - (np.arange(n) + 0.5) / n) ** (-1.0 / alpha)
    assert a.max() == pytest.approx((0.5 / n) ** (-1.0 / alpha) / holdings.sum(), rel=1e-12)
    assert a.max() < 0.1
