"""The reported series recomputed from the raw state by their definitions in
docs/model.md ("Reported each step"), independently of sim.metrics."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from sim import metrics
from sim.metrics import hhi, income_distribution, measure
from tests.conftest import small_model

OVERRIDES = {
    "policy.compute_tax": 0.1,  # so that compute's cost includes a tax
    "sectors.software.ai_share": 0.3,  # so that oversight of AI employs a few workers
    "sectors.software.oversight_per_token": 0.01,
}


@pytest.fixture  # per test, so that mutation testing sees which test runs measure()
def stepped():
    model = small_model(**OVERRIDES)
    for _ in range(6):
        model.step()
    return model


def test_per_sector_series_by_definition(stepped):
    model, report = stepped, stepped.report
    firms, workers = model.firms, model.workers
    employed = workers.employer >= 0
    total_employed = employed.sum()
    for k, name in enumerate(model.sector_names):
        mine = firms.sector == k
        here = employed & (workers.sector == k)
        compute = (firms.compute_bill + firms.compute_tax)[mine].sum()
        wages = firms.wage_bill[mine].sum()
        assert report[f"output_{name}"] == pytest.approx(firms.output[mine].sum(), rel=1e-12)
        assert report[f"tokens_{name}"] == pytest.approx(firms.tokens[mine].sum(), rel=1e-12)
        assert report[f"employment_{name}"] == here.sum()
        assert report[f"employment_share_{name}"] == pytest.approx(here.sum() / total_employed)
        assert report[f"wage_{name}"] == pytest.approx(workers.wage[here].mean(), rel=1e-12)
        assert report[f"ai_cost_share_{name}"] == pytest.approx(compute / (compute + wages))
        assert report[f"task_content_{name}"] == pytest.approx(wages / (compute + wages))
        overseers = (here & (workers.occupation == 1)).sum()
        assert report[f"oversight_share_{name}"] == pytest.approx(overseers / here.sum())
        assert report[f"relative_price_{name}"] == pytest.approx(
            model.sector_price[k] / report["cpi"], rel=1e-12
        )
        assert report[f"work_hours_{name}"] == pytest.approx(
            model.sector_price[k] * model.initial_productivity[k] / report["median_wage"]
        )
    assert report["oversight_employment"] == (employed & (workers.occupation == 1)).sum()
    assert report["oversight_employment"] > 0


def test_economy_series_by_definition(stepped):
    model, report = stepped, stepped.report
    firms, workers, providers = model.firms, model.workers, model.providers
    employed = workers.employer >= 0
    pay = workers.wage[employed]
    assert report["unemployment_rate"] == pytest.approx(1 - employed.mean(), rel=1e-12)
    assert report["mean_wage"] == pytest.approx(pay.mean(), rel=1e-12)
    assert report["median_wage"] == pytest.approx(np.median(pay), rel=1e-12)
    overseers = employed & (workers.occupation == 1)
    assert report["oversight_wage"] == pytest.approx(workers.wage[overseers].mean(), rel=1e-12)
    wages = pay.sum()
    bank_profit = model.banks.interest.sum() - model.banks.written_off.sum()
    property_income = (
        firms.profit.sum() + providers.profit.sum() + model.upstream_income + bank_profit
    )
    assert report["labor_share"] == pytest.approx(wages / (wages + property_income), rel=1e-12)
    assert report["profit_share"] == pytest.approx(1 - report["labor_share"], rel=1e-9)
    assert report["ai_owner_income_share"] == pytest.approx(
        providers.profit.sum() / (wages + property_income), rel=1e-12
    )
    assert report["tokens"] == pytest.approx(firms.tokens.sum(), rel=1e-12)
    assert report["ai_spend"] == pytest.approx(firms.compute_bill.sum(), rel=1e-12)
    assert report["provider_margin"] == pytest.approx(
        providers.profit.sum() / firms.compute_bill.sum(), rel=1e-12
    )
    shares = providers.revenue / providers.revenue.sum()
    assert report["provider_hhi"] == pytest.approx(10_000 * (shares**2).sum(), rel=1e-12)
    assert report["provider_markup"] == pytest.approx(
        (providers.markup * providers.share).sum() / providers.share.sum(), rel=1e-12
    )
    for k, tier in enumerate(model.compute_market.tier_names):
        assert report[f"compute_price_{tier}"] == providers.prices[providers.active, k].min()
    electricity = model.compute_market.electricity
    assert report["energy_price"] == electricity.price / electricity.initial_price
    money = sum(float(np.sum(b)) for b in (
        model.households.cash, firms.cash, providers.cash, model.upstream_cash,
        model.government.cash))  # fmt: skip
    assert report["money_total"] == pytest.approx(money, rel=1e-12)
    assert report["government_balance"] == model.government.cash[0]
    # The tax is 0.1 a million tokens bought; a firm that exits at the end of the month
    # (phase 7b) has its tokens cleared but its tax already paid.
    assert report["compute_tax_revenue"] == pytest.approx(firms.compute_tax.sum(), rel=1e-9)
    bought = firms.tokens > 0
    np.testing.assert_allclose(firms.compute_tax[bought], 0.1 * firms.tokens[bought], rtol=1e-9)
    assert bought.any()
    assert report["government_revenue"] >= report["compute_tax_revenue"] > 0
    assert report["step"] == 6 and report["year"] == 0.5
    # Shares do not depend on the unit of money: a thousand-millionth of every income.
    shares = {name: report[name] for name in ("labor_share", "ai_owner_income_share")}
    workers.wage *= 1e-9
    firms.profit *= 1e-9
    providers.profit *= 1e-9
    model.upstream_income *= 1e-9
    model.banks.interest *= 1e-9
    model.banks.written_off *= 1e-9
    rescaled = metrics.measure(model)
    for name, value in shares.items():
        assert rescaled[name] == pytest.approx(value, rel=1e-9), name
    income = income_distribution(model.households.income)
    assert report["gini_income"] == income["gini"]
    assert report["top10_income_share"] == income["top10"]


def test_income_distribution_by_hand():
    """Incomes 0, 1, 2, 3, 4 (and a negative one counted as 0): Gini
    = sum_i sum_j |x_i - x_j| / (2 n^2 mean) = 40 / (2 x 25 x 2) = 0.4 for the five;
    with six values (one 0 more) 60 / (2 x 36 x 10/6) = 0.5."""
    assert income_distribution(np.arange(5.0))["gini"] == pytest.approx(0.4, rel=1e-12)
    # Scale-free: incomes summing to less than one dollar have the same Gini.
    assert income_distribution(0.01 * np.arange(5.0))["gini"] == pytest.approx(0.4, rel=1e-12)
    six = np.array([-3.0, 0.0, 1.0, 2.0, 3.0, 4.0])
    assert income_distribution(six)["gini"] == pytest.approx(0.5, rel=1e-12)
    assert income_distribution(np.zeros(3)) == {"gini": 0.0, "top1": 0.0, "top10": 0.0}
    assert income_distribution(np.array([5.0])) == {"gini": 0.0, "top1": 1.0, "top10": 1.0}
    # 200 incomes: the top 1 % is the top 2, the top 10 % the top 20.
    values = np.arange(1.0, 201.0)
    shares = income_distribution(values)
    assert shares["top1"] == pytest.approx((200 + 199) / values.sum(), rel=1e-12)
    assert shares["top10"] == pytest.approx(values[-20:].sum() / values.sum(), rel=1e-12)


def test_hhi_by_hand():
    assert hhi(np.array([50.0, 30.0, 20.0])) == pytest.approx(3800.0, rel=1e-12)
    assert hhi(np.array([7.0])) == 10_000.0
    assert hhi(np.zeros(3)) == 0.0


def test_income_sample_above_the_limit(monkeypatch):
    monkeypatch.setattr(metrics, "GINI_SAMPLE", 50)
    memory = metrics.SeriesMemory.for_population(80, 40, np.random.default_rng(0))
    assert memory.income_sample.size == 50 and memory.worker_sample is None
    assert (np.diff(memory.income_sample) > 0).all() and memory.income_sample.max() < 80


def test_labour_decomposition_adds_up(stepped):
    """Scale + displacement + reinstatement = the log change of production plus
    oversight labour since step 0, each part by its definition."""
    model, report = stepped, stepped.report
    first = small_model(**OVERRIDES)
    for k, name in enumerate(model.sector_names):

        def levels(m, k=k):
            mine = m.firms.sector == k
            y = m.firms.output[mine].sum()
            production = m.firms.labour[mine].sum()
            return y, production / y, (production + m.firms.oversight[mine].sum()) / production

        now, then = levels(model), levels(first)
        for part, a, b in zip(("scale", "displacement", "reinstatement"), now, then, strict=True):
            assert report[f"labour_{part}_{name}"] == pytest.approx(np.log(a / b), abs=1e-9)


def test_markups_are_sales_weighted_over_planned_unit_cost():
    """markup_s = sum(p q mu) / sum(p q) over the sector's firms, mu = p / c - 1 (De
    Loecker, Eeckhout and Unger 2020); with no sales, no input costs, every ratio is 0."""
    model = small_model()
    for _ in range(3):
        model.step()
    firms, report = model.firms, model.report
    revenue = firms.sales * firms.price
    markup = firms.price / firms.unit_cost - 1.0
    for k, name in enumerate(model.sector_names):
        mine = firms.sector == k
        expected = (revenue[mine] * markup[mine]).sum() / revenue[mine].sum()
        assert report[f"markup_{name}"] == pytest.approx(expected, rel=1e-12)
    assert report["markup_mean"] == pytest.approx(
        (revenue * markup).sum() / revenue.sum(), rel=1e-12
    )
    for name in ("sales", "wage_bill", "compute_bill", "compute_tax"):
        getattr(firms, name)[:] = 0.0
    report = measure(model)
    assert report["markup_mean"] == 0.0
    for name in model.sector_names:
        assert report[f"markup_{name}"] == 0.0
        assert report[f"task_content_{name}"] == 0.0
        assert report[f"ai_cost_share_{name}"] == 0.0


def test_report_names_start_with_the_core_series_then_each_sector_and_the_rest():
    names = metrics.report_names(["a", "b"], ["basic"])
    assert names[:4] == ["step", "year", "tokens", "ai_spend"]
    assert "price_a" in names and "price_b" in names and "cpi" in names
    assert "compute_price_basic" in names  # the AI supply chain's series come last
    assert len(names) == len(set(names))


def test_long_term_unemployment_share_counts_spells_over_a_year():
    """Of the jobless, those unemployed for more than LONG_TERM_MONTHS; set by hand on
    a small economy's workers."""
    model = small_model()
    model.step()
    workers = model.workers
    jobless = workers.employer < 0
    months = np.zeros(len(workers.employer))
    months[np.flatnonzero(jobless)[::2]] = metrics.LONG_TERM_MONTHS + 1.0
    workers.months_unemployed = months
    report = measure(model)
    expected = (months[jobless] > metrics.LONG_TERM_MONTHS).sum() / jobless.sum()
    assert 0 < expected < 1
    assert report["long_term_unemployment_share"] == pytest.approx(expected, rel=1e-12)


def test_vacancy_rate_with_less_than_one_unit_of_staff():
    """Vacancies over vacancies plus staff (efficiency units), however small the staff:
    2 vacancies beside 0.25 units employed in all is 2 / 2.25; with no staff at all the
    rate is reported as 0 (no division)."""
    model = small_model()
    model.step()
    firms = model.firms
    firms.labour[:] = 0.0
    firms.oversight[:] = 0.0
    firms.labour[0] = 0.25
    model.labour_flows = dataclasses.replace(model.labour_flows, vacancies=2.0)
    assert measure(model)["vacancy_rate"] == pytest.approx(2.0 / 2.25, rel=1e-12)
    firms.labour[0] = 0.0
    assert measure(model)["vacancy_rate"] == 0.0
