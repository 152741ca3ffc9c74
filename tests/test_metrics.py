"""The reported series recomputed from the raw state by their definitions in
docs/model.md ("Reported each step"), independently of sim.metrics."""

from __future__ import annotations

import dataclasses
import warnings
from types import SimpleNamespace

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
        assert report[f"markup_full_cost_{name}"] == pytest.approx(expected, rel=1e-12)
    assert report["markup_mean"] == pytest.approx(
        (revenue * markup).sum() / revenue.sum(), rel=1e-12
    )
    # Without capital the full cost is the variable cost.
    assert (firms.capital_cost == 0.0).all()
    assert report["markup_full_cost"] == pytest.approx(report["markup_mean"], rel=1e-12)
    for name in ("sales", "wage_bill", "compute_bill", "compute_tax"):
        getattr(firms, name)[:] = 0.0
    report = measure(model)
    assert report["markup_mean"] == 0.0
    assert report["markup_full_cost"] == 0.0
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


# --- Hand-built states for the guards and edge cases (mutation testing, issue 14) ---


def test_report_names_hands_each_provider_the_sectors_and_tiers(monkeypatch):
    """A report provider's ``names(sectors, tiers)`` gets both lists, in that order."""
    provider = metrics.ReportProvider(
        names=lambda sectors, tiers: [f"x_{s}_{t}" for s in sectors for t in tiers],
        measure=lambda model: {},
    )
    monkeypatch.setattr(metrics, "REPORT_PROVIDERS", [provider])
    assert metrics.report_names(["a", "b"], ["basic"])[-2:] == ["x_a_basic", "x_b_basic"]


def test_samples_are_drawn_above_the_limit_only(monkeypatch):
    """At GINI_SAMPLE households (workers) every one is used (no sample, no draw from
    the model's generator); above it, 50 distinct sorted indices each."""
    monkeypatch.setattr(metrics, "GINI_SAMPLE", 50)
    rng = np.random.default_rng(0)
    state = rng.bit_generator.state
    memory = metrics.SeriesMemory.for_population(50, 50, rng)
    assert memory.income_sample is None and memory.worker_sample is None
    assert rng.bit_generator.state == state
    memory = metrics.SeriesMemory.for_population(40, 90, rng)
    assert memory.income_sample is None
    assert memory.worker_sample.size == 50 and memory.worker_sample.max() < 90
    assert (np.diff(memory.worker_sample) > 0).all()


def test_top_shares_of_a_few_incomes_are_the_top_income_alone():
    """With four incomes 1, 2, 3, 4 the top 1 % and top 10 % are one person (at least
    one): 4 / 10 each."""
    shares = income_distribution(np.array([1.0, 2.0, 3.0, 4.0]))
    assert shares["top1"] == pytest.approx(0.4, rel=1e-15)
    assert shares["top10"] == pytest.approx(0.4, rel=1e-15)


def test_income_shares_and_hhi_are_summed_in_double_precision():
    """Single-precision inputs are converted to float64 first: one income (share) of 1e8
    and three of 1 (exact in float32) total 100,000,003, which float32 cannot hold
    (its spacing there is 8). Top 10 % share 1e8 / 100,000,003; HHI
    10,000 (1e16 + 3) / 100,000,003^2."""
    values = np.array([1.0, 1.0, 1.0, 1e8], dtype=np.float32)
    total = 100_000_003.0
    assert income_distribution(values)["top10"] == pytest.approx(1e8 / total, rel=1e-15)
    assert hhi(values) == pytest.approx(10_000.0 * (1e16 + 3.0) / total**2, rel=1e-15)


def test_share_of_a_residue_is_zero():
    """part / total, but 0 when the total is not positive or is a residue below 1e-9 of
    the gross amounts (or of |part|)."""
    assert metrics.share_of(1.0, 4.0, 4.0) == 0.25
    assert metrics.share_of(0.0, 0.0, 0.0) == 0.0  # nothing at all: no division
    assert metrics.share_of(1.0, 0.0, 1.0) == 0.0
    assert metrics.share_of(1.0, -2.0, 3.0) == 0.0
    assert metrics.share_of(1.0, 1e-6, 1e6) == 0.0  # 1e-12 of the gross amounts
    assert metrics.share_of(1.0, 2e-3, 1e6) == 500.0  # 2e-9 of them: a real total


def decomposition_state(n_sectors, sector):
    """A hand-built model with just what the labour-demand decomposition reads."""
    firms = SimpleNamespace(sector=np.asarray(sector), labour=None, oversight=None)
    return SimpleNamespace(
        sector_names=[f"s{k}" for k in range(n_sectors)],
        firms=firms,
        series_memory=metrics.SeriesMemory(income_sample=None),
    )


def test_labour_decomposition_skips_months_with_a_zero_quantity():
    """Three sectors, one firm each in sectors 0 and 1, none in sector 2. Levels:
    scale Y, displacement L / Y (0 where Y = 0), reinstatement (L + O) / L (0 where
    L = 0); a part adds ln(level / previous) only when both are positive, and amounts
    below 1 count like any other (efficiency units and output are not integers).

    Month 0: Y = (0, 0.5, 0), L = (2, 0.25), O = (1, 0.5): displacement (0, 0.5, 0),
    reinstatement (1.5, 3, 0). Month 1: Y = (1, 0.25, 0), L = (0.5, 0.5), O = (0, 0.5):
    scale adds (0, ln 0.5, 0), displacement (0.5, 2, 0) adds (0, ln 4, 0),
    reinstatement (1, 2, 0) adds (ln(1/1.5), ln(2/3), 0). Month 2: Y = (0, 0.25, 0),
    L = (0.5, 0), O = (0, 0.5): the levels that change fall to 0 (sector 0's output,
    sector 1's production labour), the others stay: nothing is added."""
    model = decomposition_state(3, [0, 1])
    decompose = metrics._labour_demand_decomposition

    def month(output, labour, oversight):
        model.firms.labour, model.firms.oversight = np.array(labour), np.array(oversight)
        return decompose(model, np.array(output))

    totals = month([0.0, 0.5, 0.0], [2.0, 0.25], [1.0, 0.5])
    for part in ("scale", "displacement", "reinstatement"):
        np.testing.assert_array_equal(totals[part], 0.0)
    levels = model.series_memory.labour_parts
    np.testing.assert_array_equal(levels["displacement"][0], [0.0, 0.5, 0.0])
    np.testing.assert_array_equal(levels["reinstatement"][0], [1.5, 3.0, 0.0])
    expected = {
        "scale": [0.0, np.log(0.5), 0.0],
        "displacement": [0.0, np.log(4.0), 0.0],
        "reinstatement": [np.log(1 / 1.5), np.log(2 / 3), 0.0],
    }
    totals = month([1.0, 0.25, 0.0], [0.5, 0.5], [0.0, 0.5])
    for part, values in expected.items():
        np.testing.assert_allclose(totals[part], values, rtol=1e-12, atol=0, err_msg=part)
    totals = month([0.0, 0.25, 0.0], [0.5, 0.0], [0.0, 0.5])
    for part, values in expected.items():
        np.testing.assert_allclose(totals[part], values, rtol=1e-12, atol=0, err_msg=part)
    np.testing.assert_array_equal(levels["displacement"][0], [0.0, 0.0, 0.0])
    np.testing.assert_array_equal(levels["reinstatement"][0], [1.0, 0.0, 0.0])


def flows_state(employer, months_unemployed, labour, oversight, **flows):
    """A hand-built model with just what the labour-flow rates read."""
    return SimpleNamespace(
        labour_flows=SimpleNamespace(**flows),
        workers=SimpleNamespace(
            employer=np.asarray(employer), months_unemployed=np.asarray(months_unemployed)
        ),
        firms=SimpleNamespace(labour=np.asarray(labour), oversight=np.asarray(oversight)),
        government=SimpleNamespace(benefits=12.5),
    )


def test_labour_flow_rates_by_hand():
    """Job finding 3 of 12 unemployed seekers = 0.25, separations 2 of 40 employed = 0.05;
    vacancies 2 over 2 + 0.25 production + 0.5 oversight units = 2 / 2.75; of four
    jobless workers unemployed 7, 6, 6.5 and 1 months, two for more than six months
    (BLS: 27 weeks or more; exactly six is not) = 0.5."""
    model = flows_state(
        [-1, 0, -1, -1, 1, -1], [7.0, 0.0, 6.0, 6.5, 0.0, 1.0], [0.25, 0.0], [0.0, 0.5],
        unemployed_hired=3, unemployed_seekers=12, separations=2, employed=40, vacancies=2.0,
    )  # fmt: skip
    rates = metrics._labour_flows(model, 2)
    assert rates == {
        "job_finding_rate": 0.25,
        "separation_rate": 0.05,
        "vacancy_rate": pytest.approx(2.0 / 2.75, rel=1e-15),
        "long_term_unemployment_share": 0.5,
        "unemployment_benefits": 12.5,
    }


def test_labour_flow_rates_with_one_or_no_one_to_count():
    """One seeker hired of one: 1.0; one separation of one employed: 1.0; nobody jobless:
    long-term share 0 (no division); no seekers, nobody employed: 0."""
    model = flows_state(
        [0, 1], [0.0, 0.0], [1.0, 1.0], [0.0, 0.0],
        unemployed_hired=1, unemployed_seekers=1, separations=1, employed=1, vacancies=0.0,
    )  # fmt: skip
    rates = metrics._labour_flows(model, 2)
    assert rates["job_finding_rate"] == 1.0 and rates["separation_rate"] == 1.0
    assert rates["long_term_unemployment_share"] == 0.0
    assert rates["vacancy_rate"] == 0.0
    model = flows_state(
        [0], [0.0], [1.0], [0.0],
        unemployed_hired=0, unemployed_seekers=0, separations=0, employed=0, vacancies=1.0,
    )  # fmt: skip
    rates = metrics._labour_flows(model, 1)
    assert rates["job_finding_rate"] == 0.0 and rates["separation_rate"] == 0.0


def credit_state(loans, debt, interest_rate):
    """A hand-built model with just what the credit series read."""
    return SimpleNamespace(
        firms=SimpleNamespace(
            debt=np.asarray(debt), interest_rate=np.asarray(interest_rate),
            active=np.array([True, False]),
        ),
        banks=SimpleNamespace(loans=np.asarray(loans), equity=np.array([5.0, 7.0])),
        bankruptcies=2, entries=1, bad_debt=3.5, bank_failures=0,
        central_bank=SimpleNamespace(policy_rate=0.04),
    )  # fmt: skip


def test_credit_series_by_hand():
    """Loans 300 + 60 against annual GDP 12 x 10: credit-to-GDP 3; debts 100 at 1 % and
    300 at 5 %: mean rate (1 + 15) / 400 = 0.04."""
    model = credit_state([300.0, 60.0], [100.0, 300.0], [0.01, 0.05])
    assert metrics._credit(model, 10.0) == {
        "bankruptcies": 2.0, "entries": 1.0, "bad_debt": 3.5, "bank_equity": 12.0,
        "bank_loans": 360.0, "credit_to_gdp": 3.0, "bank_failures": 0.0,
        "mean_interest_rate": pytest.approx(0.04, rel=1e-15), "policy_rate": 0.04,
        "active_firms": 1.0,
    }  # fmt: skip


def test_credit_ratios_with_small_or_no_denominators():
    """Amounts below one dollar are amounts: GDP 0.5 a month gives 360 / 6 = 60, debts
    0.2 at 1 % and 0.3 at 5 % a mean rate of 0.034; no GDP and no debt give 0."""
    series = metrics._credit(credit_state([300.0, 60.0], [0.2, 0.3], [0.01, 0.05]), 0.5)
    assert series["credit_to_gdp"] == pytest.approx(60.0, rel=1e-15)
    assert series["mean_interest_rate"] == pytest.approx(0.034, rel=1e-14)
    series = metrics._credit(credit_state([300.0, 60.0], [0.0, 0.0], [0.01, 0.05]), 0.0)
    assert series["credit_to_gdp"] == 0.0
    assert series["mean_interest_rate"] == 0.0


def test_a_sector_without_firms_reports_zeros():
    """With every firm of the last sector moved to the first (after one month), the
    per-sector sums still have one entry per sector: the last sector's output, tokens,
    cost shares and markup are 0, and the economy's totals are unchanged."""
    model = small_model()
    model.step()
    firms, last = model.firms, model.sector_names[-1]
    before = measure(model)
    model.series_memory.labour_parts = None  # the decomposition restarts
    firms.sector[firms.sector == len(model.sector_names) - 1] = 0
    report = measure(model)
    for series in ("output", "tokens", "ai_cost_share", "task_content", "markup"):
        assert report[f"{series}_{last}"] == 0.0, series
    for part in ("scale", "displacement", "reinstatement"):
        assert report[f"labour_{part}_{last}"] == 0.0, part
    assert report["markup_mean"] == pytest.approx(before["markup_mean"], rel=1e-12)
    assert report["tokens"] == before["tokens"]


def test_firms_without_a_unit_cost_count_with_markup_zero_and_no_warning():
    """A firm with no planned unit cost has markup 0 in the sales-weighted means (not
    p / 0), and the division raises no floating-point warning. One month on, the first
    firm sells 5 units at $2 with unit cost 0, the second at price and unit cost 0:
    markup_mean = sum(p q mu) / sum(p q) over the others plus 10 x 0."""
    model = small_model()
    model.step()
    firms = model.firms
    firms.unit_cost[0], firms.price[0], firms.sales[0] = 0.0, 2.0, 5.0
    firms.unit_cost[1], firms.price[1] = 0.0, 0.0
    others = np.arange(firms.price.size) >= 2
    revenue = firms.sales * firms.price
    weighted = (revenue * (firms.price / np.where(others, firms.unit_cost, 1.0) - 1.0))[others]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        report = measure(model)
    assert report["markup_mean"] == pytest.approx(weighted.sum() / revenue.sum(), rel=1e-12)


def test_ratios_of_amounts_below_one_dollar_are_ratios():
    """Dollar amounts have no natural unit: with every firm's price, unit cost, wage
    bill and compute bill (and tax) a billionth of a dollar, markups and cost shares are
    computed as at any scale, by their definitions."""
    model = small_model(**OVERRIDES)
    model.step()
    firms = model.firms
    for name in ("price", "unit_cost", "wage_bill", "compute_bill", "compute_tax"):
        setattr(firms, name, getattr(firms, name) * 1e-9)
    report = measure(model)
    revenue = firms.sales * firms.price
    markup = firms.price / firms.unit_cost - 1.0
    assert report["markup_mean"] == pytest.approx(
        (revenue * markup).sum() / revenue.sum(), rel=1e-9
    )
    for k, name in enumerate(model.sector_names):
        mine = firms.sector == k
        compute = (firms.compute_bill + firms.compute_tax)[mine].sum()
        wages = firms.wage_bill[mine].sum()
        assert 0 < compute + wages < 1e-3
        assert report[f"ai_cost_share_{name}"] == pytest.approx(compute / (compute + wages))
        assert report[f"task_content_{name}"] == pytest.approx(wages / (compute + wages))
        expected = (revenue * markup)[mine].sum() / revenue[mine].sum()
        assert report[f"markup_{name}"] == pytest.approx(expected, rel=1e-9)


def test_real_gdp_chains_on_small_amounts_and_restarts_after_nothing():
    """The chained quantity index: real GDP = last value x (this month's output at last
    month's prices) / (last month's output at last month's prices); last month's output
    of a millionth of a unit is a link like any other; with nothing produced last month
    the index restarts at this month's output at last month's prices."""
    model = small_model()
    model.step()
    memory, previous_price = model.series_memory, model.previous_sector_price
    output = np.bincount(model.firms.sector, weights=model.firms.output)
    this_month = output @ previous_price
    memory.real_gdp, memory.output = 7.0, np.full(output.size, 1e-6)
    report = measure(model)
    last_month = 1e-6 * previous_price.sum()
    assert report["real_gdp"] == pytest.approx(7.0 * this_month / last_month, rel=1e-12)
    memory.real_gdp, memory.output = 7.0, np.zeros(output.size)
    assert measure(model)["real_gdp"] == pytest.approx(this_month, rel=1e-12)


def test_an_economy_with_nobody_employed_reports_zero_pay_and_shares():
    """Everyone jobless: per-sector wage and oversight share, mean and median wage and
    hours of work are reported as 0 (nothing to divide), unemployment 1."""
    model = small_model(**OVERRIDES)
    model.step()
    model.workers.employer[:] = -1
    report = measure(model)
    assert report["unemployment_rate"] == 1.0
    assert report["mean_wage"] == 0.0 and report["median_wage"] == 0.0
    for name in model.sector_names:
        for series in ("wage", "oversight_share", "employment_share", "work_hours"):
            assert report[f"{series}_{name}"] == 0.0, (series, name)


def test_one_employed_worker_at_half_a_dollar():
    """One worker employed, paid $0.5: her sector's employment share is 1, the mean and
    median wage 0.5, and each sector's hours of work p_s A_s(0) / 0.5."""
    model = small_model()
    model.step()
    workers = model.workers
    workers.employer[1:] = -1
    workers.employer[0] = 0
    workers.wage[0] = 0.5
    report = measure(model)
    sector = model.sector_names[workers.sector[0]]
    assert report[f"employment_share_{sector}"] == 1.0
    assert report["mean_wage"] == 0.5 and report["median_wage"] == 0.5
    for k, name in enumerate(model.sector_names):
        hours = model.sector_price[k] * model.initial_productivity[k] / 0.5
        assert report[f"work_hours_{name}"] == pytest.approx(hours, rel=1e-15)


def test_counters_and_government_flows_are_reported_as_they_are():
    """The month's counters and the government's flows are copied into the report;
    the top 1 % share is that of the households' incomes (one household of 600)."""
    model = small_model()
    model.step()
    model.sector_moves, model.money_issued = 7, 4.5
    model.government.spending = 123.0
    model.money_rule.growth = 0.031
    income = model.households.income
    report = measure(model)
    assert report["sector_moves"] == 7.0
    assert report["money_issued"] == 4.5
    assert report["money_growth"] == 0.031
    assert report["government_spending"] == 123.0
    assert report["top1_income_share"] == pytest.approx(
        np.sort(np.maximum(income, 0.0))[-6:].sum() / np.maximum(income, 0.0).sum(), rel=1e-12
    )


def test_income_distribution_and_median_wage_use_the_fixed_samples():
    """With samples set (as above GINI_SAMPLE), the Gini is that of the sampled
    households' incomes and the median wage that of the sampled workers' wages."""
    model = small_model()
    model.step()
    households, workers = model.households, model.workers
    households.income[:3] = [1.0, 2.0, 3.0]
    sample = np.array([0, 1, 2])
    model.series_memory.income_sample = sample
    employed = np.flatnonzero(workers.employer >= 0)[:3]
    workers.wage[employed] = [10.0, 30.0, 20.0]
    model.series_memory.worker_sample = employed
    report = measure(model)
    # Gini of 1, 2, 3: sum |x_i - x_j| / (2 n^2 mean) = 8 / (2 x 9 x 2) = 2 / 9.
    assert report["gini_income"] == pytest.approx(2.0 / 9.0, rel=1e-12)
    assert report["median_wage"] == 20.0


def test_bank_write_offs_lower_national_income():
    """Banks' profit is interest less write-offs: with interest 30 and write-offs 50
    (bank profit -20) national income is wages + firms', providers' and upstream
    profit - 20; the labour share is wages over that."""
    model = small_model()
    model.step()
    model.banks.interest[:] = 0.0
    model.banks.written_off[:] = 0.0
    model.banks.interest[0] = 30.0
    model.banks.written_off[0] = 50.0
    report = measure(model)
    workers = model.workers
    wages = workers.wage[workers.employer >= 0].sum()
    other = model.firms.profit.sum() + model.providers.profit.sum() + model.upstream_income
    assert report["labor_share"] == pytest.approx(wages / (wages + other - 20.0), rel=1e-12)


def test_ai_labour_saving_by_hand():
    # Two sectors, A = (2, 4), s0 = (0.2, 0.5). Firm 0 (an adopter) makes 10 with 4
    # units of labour and 1 of oversight (month 0's adopter technology would need
    # 10 / 2 = 5); firm 1 (an adopter) makes 8 with 1 unit (would need 2); an empty slot
    # makes nothing. Saving = 1 - 6 / 7.
    s0 = np.array([0.2, 0.5])
    adopters = np.array([True, True, True])
    saving = metrics.ai_labour_saving(
        sector=np.array([0, 1, 1]),
        output=np.array([10.0, 8.0, 0.0]),
        labour=np.array([4.0, 1.0, 0.0]),
        oversight=np.array([1.0, 0.0, 0.0]),
        productivity=np.array([2.0, 4.0]),
        adopter=adopters,
        ai_share=s0,
    )
    assert saving == pytest.approx(1.0 - 6.0 / 7.0, rel=1e-12)
    # Firm 0 (adopter) makes 10 with 4 + 1 units (needs 10 / 2 = 5); firm 1, a
    # non-adopter, makes 8 with 4 units, which its labour-only technology, (1 - 0.5) x 4 =
    # 2 per unit, needs: saving 1 - 9 / 9 = 0 (measured against the adopters' technology,
    # 8 / 4 = 2, it would count as 1 - 9 / 7 < 0).
    no_ai = metrics.ai_labour_saving(
        np.array([0, 1]), np.array([10.0, 8.0]), np.array([4.0, 4.0]), np.array([1.0, 0.0]),
        np.array([2.0, 4.0]), np.array([True, False]), s0,
    )  # fmt: skip
    assert no_ai == pytest.approx(0.0, abs=1e-12)
    nothing = metrics.ai_labour_saving(
        np.array([0]), np.zeros(1), np.zeros(1), np.zeros(1), np.array([2.0]),
        np.array([True]), np.array([0.1]),
    )  # fmt: skip
    assert nothing == 0.0
    # Less than one unit of labour needed is still a ratio (0.25 used of 0.5 needed).
    tiny = metrics.ai_labour_saving(
        np.array([0]), np.ones(1), np.array([0.25]), np.zeros(1), np.array([2.0]),
        np.array([True]), np.array([0.1]),
    )  # fmt: skip
    assert tiny == pytest.approx(0.5, rel=1e-12)


def test_a_firm_without_ai_saves_nothing_at_step_0():
    """With diffusion on, non-adopters produce with their labour-only technology at step
    0, which is their reference: the economy's saving at step 0 is 0 (it was -0.28 %,
    seed 42, when they were measured against the adopters' technology)."""
    model = small_model(**{"adoption.enabled": True, "adoption.initial_share": 0.3})
    assert 0 < model.firms.adopter.sum() < len(model.firms)
    assert model.report["ai_labour_saving"] == pytest.approx(0.0, abs=1e-9)


def test_ai_labour_saving_is_zero_at_step_zero_and_rises_as_compute_gets_cheaper():
    # Step 0 makes Y = A_s(0) L in every firm (docs/model.md section 2), so nothing is
    # saved; as tokens get cheaper the AI-using firms need less labour per unit.
    model = small_model(**{"adoption.enabled": False})
    assert model.report["ai_labour_saving"] == pytest.approx(0.0, abs=1e-9)
    for _ in range(24):
        model.step()
    assert model.report["ai_labour_saving"] > 0.01
    firms = model.firms
    needed = (firms.output / model.productivity()[firms.sector]).sum()
    used = (firms.labour + firms.oversight).sum()
    assert model.report["ai_labour_saving"] == pytest.approx(1.0 - used / needed, rel=1e-12)
