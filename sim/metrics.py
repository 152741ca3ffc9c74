"""The reported series: a public contract for the CLI, the app and the lessons.

Core objects: :func:`report_names`, :func:`measure`, :func:`reporters`, :func:`income_distribution`,
:func:`hhi`. Every name, with its unit, is listed in docs/model.md ("Reported each
step"). ``measure`` computes them all once per step; the model's
``mesa.DataCollector`` reads them through :func:`reporters`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

import numba
import numpy as np

from sim.agents.workers import UNEMPLOYED
from sim.economics.price_index import fisher_link, laspeyres_link
from sim.markets.adoption import labour_only_productivity

if TYPE_CHECKING:
    from sim.model import EconomyModel

GINI_SAMPLE = 200_000
"""Above this many households (workers), the income distribution (the median wage)
is estimated on a fixed random sample of this many, drawn once per run."""

SECTOR_SERIES = (
    "price", "relative_price", "output", "employment", "employment_share", "wage",
    "ai_cost_share", "task_content", "tokens", "spending_share", "work_hours", "oversight_share",
    "labour_scale", "labour_displacement", "labour_reinstatement", "markup", "markup_full_cost",
)  # fmt: skip


@dataclass(frozen=True)
class ReportProvider:
    """A module's own reported series, added after the core ones.

    Attributes:
        names: ``names(sectors, tiers)``, the series it reports, in a stable order.
        measure: ``measure(model)``, their current values by name.
    """

    names: Callable[[list[str], list[str]], list[str]]
    measure: Callable[[EconomyModel], dict[str, float]]


REPORT_PROVIDERS: list[ReportProvider] = []
"""Report providers of other modules (compute, energy, hardware), in the order their
series follow the core ones; a module appends its provider when imported."""


def report_names(sectors: list[str], tiers: list[str]) -> list[str]:
    """All reported series, in a stable order: the core ones, then each provider's."""
    names = ["step", "year", "tokens", "ai_spend"]
    names += [f"{series}_{s}" for series in SECTOR_SERIES for s in sectors]
    names += [
        "markup_mean", "markup_full_cost", "cpi", "cpi_laspeyres", "real_gdp", "nominal_gdp",
        "unemployment_rate",
        "sector_moves",
        "oversight_employment", "oversight_wage", "labor_share",
        "profit_share",
        "gini_income", "top1_income_share", "top10_income_share", "ai_owner_income_share",
        "provider_margin", "mean_wage", "median_wage", "government_revenue",
        "compute_tax_revenue", "government_spending", "government_balance", "money_total",
        "base_money", "money_issued", "money_growth",
        "money_error", "firm_exits", "firm_insolvencies",
        "job_finding_rate", "separation_rate", "vacancy_rate", "long_term_unemployment_share",
        "unemployment_benefits", "bankruptcies", "entries", "bad_debt", "bank_equity",
        "bank_loans", "credit_to_gdp", "bank_failures", "mean_interest_rate", "policy_rate",
        "active_firms", "ai_adoption_share", "ai_adoption_employment_share",
        "ai_labour_saving", "productivity_shock",
    ]  # fmt: skip
    for provider in REPORT_PROVIDERS:
        names += provider.names(sectors, tiers)
    return names


@dataclass
class SeriesMemory:
    """What the reported series carry from one month to the next: the chained indices'
    last values, the decomposition's running totals, and the fixed household sample
    for the income distribution (``None``: every household)."""

    income_sample: np.ndarray | None
    worker_sample: np.ndarray | None = None
    cpi: float = 1.0
    cpi_laspeyres: float = 1.0
    real_gdp: float = 0.0
    output: np.ndarray | None = None
    labour_parts: dict | None = None

    @classmethod
    def for_population(
        cls, n_households: int, n_workers: int, rng: np.random.Generator
    ) -> SeriesMemory:
        """Fresh memory; above ``GINI_SAMPLE`` households (workers) a fixed sample of
        them is drawn from ``rng`` for the income distribution (the median wage)."""

        def sample(n: int) -> np.ndarray | None:
            return None if n <= GINI_SAMPLE else np.sort(rng.choice(n, GINI_SAMPLE, replace=False))

        return cls(income_sample=sample(n_households), worker_sample=sample(n_workers))


def read_series(model: EconomyModel, name: str) -> float:
    """The current value of one reported series (a DataCollector reporter via ``partial``)."""
    return model.report[name]


def reporters(names: list[str]) -> dict[str, partial]:
    """Picklable DataCollector model reporters, one per series name."""
    return {name: partial(read_series, name=name) for name in names}


def income_distribution(values: np.ndarray) -> dict[str, float]:
    """Gini coefficient (0 = equal, 1 = one holds all) and the shares of the top 1 %
    and top 10 % of non-negative incomes, from one sort."""
    x = sort_non_negative(np.maximum(np.asarray(values, dtype=float), 0.0))
    n = x.size
    total = x.sum()
    if n == 0 or total <= 0.0:
        return {"gini": 0.0, "top1": 0.0, "top10": 0.0}
    ranks = np.arange(1, n + 1)

    def top(share: float) -> float:
        return float(x[n - max(1, round(share * n)) :].sum() / total)

    return {
        "gini": float((2.0 * (ranks * x).sum()) / (n * total) - (n + 1.0) / n),
        "top1": top(0.01),
        "top10": top(0.10),
    }


def sort_non_negative(values: np.ndarray) -> np.ndarray:
    """``np.sort(values)`` for floats that are not negative (NaN sorts last, as there),
    by a radix sort about three times as fast at 200,000 values: the bit patterns of
    such floats, read as unsigned integers, are in the same order as the floats.
    ``-0.0`` is taken as ``0.0``.
    """
    bits = np.ascontiguousarray(values + 0.0, dtype=np.float64).view(np.uint64)  # -0.0 + 0.0 = 0.0
    return _radix_sort(bits).view(np.float64)


@numba.njit(cache=True, nogil=True)
def _radix_sort(keys):
    """Least-significant-digit radix sort of 64-bit keys, 11 bits (2,048 buckets) a pass:
    each pass counts the digits, then moves every key to its bucket, keeping order."""
    source, target = keys.copy(), np.empty_like(keys)
    count = np.empty(2048, dtype=np.int64)
    mask = np.uint64(2047)
    for shift in range(0, 64, 11):
        digit_shift = np.uint64(shift)
        count[:] = 0
        for key in source:
            count[(key >> digit_shift) & mask] += 1
        start = 0
        for digit in range(2048):
            start, count[digit] = start + count[digit], start
        for key in source:
            digit = (key >> digit_shift) & mask
            target[count[digit]] = key
            count[digit] += 1
        source, target = target, source
    return source


RESIDUE = 1e-9
"""A total below this share of the gross amounts it adds up counts as a rounding residue."""


def share_of(part: float, total: float, gross: float) -> float:
    """``part / total``, or 0 when ``total`` is not a positive amount: zero, negative, or
    a rounding residue, below :data:`RESIDUE` of ``gross`` (the sum of the absolute
    values of the terms ``total`` adds up) or of ``|part|``. A share of a residue means
    nothing and may overflow to infinity (an economy with no income left).
    """
    return part / total if total > RESIDUE * max(gross, abs(part)) else 0.0


def hhi(shares: np.ndarray) -> float:
    """Herfindahl-Hirschman index of market shares on the 0-10,000 scale."""
    shares = np.asarray(shares, dtype=float)
    total = shares.sum()
    return float(10_000.0 * ((shares / total) ** 2).sum()) if total > 0 else 0.0


def _revenue_weighted_markup(
    price: np.ndarray, cost: np.ndarray, revenue: np.ndarray, sector: np.ndarray, n_sectors: int
) -> np.ndarray:
    """``sum_i p_i q_i (p_i / c_i - 1)`` over each sector's firms (0 for a firm with no
    cost), dollars; over the sector's revenue, its sales-weighted mean markup over ``c``."""
    with np.errstate(divide="ignore", invalid="ignore"):
        markup = np.where(cost > 0, price / cost - 1.0, 0.0)
    return np.bincount(sector, weights=revenue * markup, minlength=n_sectors)


def ai_labour_saving(
    sector: np.ndarray,
    output: np.ndarray,
    labour: np.ndarray,
    oversight: np.ndarray,
    productivity: np.ndarray,
    adopter: np.ndarray,
    ai_share: np.ndarray,
) -> float:
    """Share of the labour that the firms' technologies without this month's AI would
    need for this month's output that AI saves (Bick, Blandin and Deming's time savings,
    economy-wide):

    ``1 - sum_i (L_i + O_i) / sum_i Y_i / a_i(t)``

    with ``L_i`` and ``O_i`` the firm's production and oversight labour (efficiency
    units), ``Y_i`` its output, and ``a_i(t)`` the output per unit of labour of month 0's
    technology: ``A_s(t)`` for an adopter (at step 0 it makes ``Y = A_s(0) L``, section
    2, so the saving is 0) and ``(1 - s_0) A_s(t)`` for a non-adopter (its labour-only
    technology, section 2b: a firm that uses no AI saves no time by it). 0 when nothing
    is produced.

    Args:
        sector: each firm's sector index.
        output: each firm's output this month.
        labour: each firm's production labour, efficiency units.
        oversight: each firm's oversight labour, efficiency units.
        productivity: ``A_s(t)`` by sector.
        adopter: whether each firm uses AI.
        ai_share: ``s_0`` by sector, an adopter's step-0 AI cost share.
    """
    reference = np.where(
        adopter, productivity[sector], labour_only_productivity(ai_share, productivity)[sector]
    )
    needed = float((output / reference).sum())
    used = float((labour + oversight).sum())
    return 1.0 - used / needed if needed > 0 else 0.0


def _labour_demand_decomposition(model: EconomyModel, output: np.ndarray) -> dict[str, np.ndarray]:
    """Cumulative log change of each sector's labour (production L plus oversight O,
    efficiency units) since step 0, split after Acemoglu & Restrepo (2019):
    ``d ln(L + O) = d ln Y  +  d ln(L / Y)  +  d ln((L + O) / L)``, that is scale,
    displacement (production labour per unit of output) and reinstatement (the new
    oversight work relative to production work). Months in which a quantity is zero
    add nothing."""
    n = len(model.sector_names)
    production = np.bincount(model.firms.sector, weights=model.firms.labour, minlength=n)
    oversight = np.bincount(model.firms.sector, weights=model.firms.oversight, minlength=n)
    levels = {
        "scale": output,
        "displacement": np.divide(production, output, out=np.zeros(n), where=output > 0),
        "reinstatement": np.divide(
            production + oversight, production, out=np.zeros(n), where=production > 0
        ),
    }
    memory = model.series_memory
    if memory.labour_parts is None:
        memory.labour_parts = {part: (level, np.zeros(n)) for part, level in levels.items()}
    state = memory.labour_parts
    result = {}
    for part, level in levels.items():
        previous, total = state[part]
        defined = (level > 0) & (previous > 0)
        # A difference of logs, not the log of a ratio, stays finite for tiny values.
        change = np.log(np.where(defined, level, 1.0)) - np.log(np.where(defined, previous, 1.0))
        total = total + change
        state[part] = (level, total)
        result[part] = total
    return result


@numba.njit(cache=True, nogil=True)
def _worker_totals(employer, occupation, sector, wage, n_sectors):
    """One pass over workers: employment and wage sums by sector, overseers by sector and
    their total pay."""
    employment = np.zeros(n_sectors, dtype=np.int64)
    wage_sum = np.zeros(n_sectors)
    overseers = np.zeros(n_sectors, dtype=np.int64)
    overseer_pay = 0.0
    for worker in range(employer.size):
        if employer[worker] < 0:
            continue
        s = sector[worker]
        employment[s] += 1
        wage_sum[s] += wage[worker]
        if occupation[worker] == 1:
            overseers[s] += 1
            overseer_pay += wage[worker]
    return employment, wage_sum, overseers, overseer_pay


LONG_TERM_MONTHS = 6.0
"""Unemployment longer than this many months is long-term (BLS: 27 weeks or more)."""


def _labour_flows(model: EconomyModel, n_employed: int) -> dict[str, float]:
    """This month's labour-market flow rates (docs/model.md, "Labour market")."""
    flows, workers = model.labour_flows, model.workers
    jobless = workers.employer == UNEMPLOYED
    n_jobless = int(jobless.sum())
    long_term = int((workers.months_unemployed[jobless] > LONG_TERM_MONTHS).sum())
    staff = float(model.firms.labour.sum() + model.firms.oversight.sum())
    return {
        "job_finding_rate": flows.unemployed_hired / max(flows.unemployed_seekers, 1),
        "separation_rate": flows.separations / max(flows.employed, 1),
        "vacancy_rate": flows.vacancies / (flows.vacancies + staff) if staff > 0 else 0.0,
        "long_term_unemployment_share": long_term / n_jobless if n_jobless else 0.0,
        "unemployment_benefits": model.government.benefits,
    }


def _credit(model: EconomyModel, nominal_gdp: float) -> dict[str, float]:
    """Banks, credit and firm turnover this month (docs/model.md, "Banks and credit")."""
    firms, banks = model.firms, model.banks
    loans = float(banks.loans.sum())
    debt = firms.debt.sum()
    return {
        "bankruptcies": float(model.bankruptcies),
        "entries": float(model.entries),
        "bad_debt": model.bad_debt,
        "bank_equity": float(banks.equity.sum()),
        "bank_loans": loans,
        "credit_to_gdp": loans / (12.0 * nominal_gdp) if nominal_gdp > 0 else 0.0,
        "bank_failures": float(model.bank_failures),
        "mean_interest_rate": float(firms.interest_rate @ firms.debt / debt) if debt > 0 else 0.0,
        "policy_rate": model.central_bank.policy_rate,
        "active_firms": float(firms.active.sum()),
    }


def measure(model: EconomyModel) -> dict[str, float]:
    """Compute every reported series for the model's current state."""
    firms, workers, households, providers = (
        model.firms,
        model.workers,
        model.households,
        model.providers,
    )
    sectors = model.sector_names
    n_sectors = len(sectors)
    sector = firms.sector
    report: dict[str, float] = {"step": float(model.steps), "year": model.steps / 12.0}

    report["tokens"] = float(firms.tokens.sum())
    report["ai_spend"] = float(firms.compute_bill.sum())
    report["ai_adoption_share"] = model.adoption.share(firms)
    report["ai_adoption_employment_share"] = model.adoption.employment_share(firms)
    report["ai_labour_saving"] = ai_labour_saving(
        sector, firms.output, firms.labour, firms.oversight, model.productivity(),
        firms.adopter, model.ai_share,
    )  # fmt: skip

    employment, wage_sum, oversight_staff, oversight_pay = _worker_totals(
        workers.employer, workers.occupation, workers.sector, workers.wage, n_sectors
    )
    n_employed = int(employment.sum())
    output = np.bincount(sector, weights=firms.output, minlength=n_sectors)
    tokens = np.bincount(sector, weights=firms.tokens, minlength=n_sectors)
    compute_bill = np.bincount(
        sector, weights=firms.compute_bill + firms.compute_tax, minlength=n_sectors
    )
    wage_bill = np.bincount(sector, weights=firms.wage_bill, minlength=n_sectors)
    input_cost = compute_bill + wage_bill
    decomposition = _labour_demand_decomposition(model, output)
    # Markups over planned unit cost (marginal cost under constant returns), weighted
    # by sales revenue (De Loecker, Eeckhout and Unger 2020), and over the full unit
    # cost, capital's user cost included (section 13b): the margin left for profit once
    # capital is paid for.
    revenue = firms.sales * firms.price
    sector_revenue = np.bincount(sector, weights=revenue, minlength=n_sectors)
    total_revenue = sector_revenue.sum()
    markups = {
        "markup": _revenue_weighted_markup(
            firms.price, firms.unit_cost, revenue, sector, n_sectors
        ),
        "markup_full_cost": _revenue_weighted_markup(
            firms.price, firms.unit_cost + firms.capital_cost, revenue, sector, n_sectors
        ),
    }
    for series, weighted in markups.items():
        name = "markup_mean" if series == "markup" else series
        report[name] = float(weighted.sum() / total_revenue) if total_revenue > 0 else 0.0

    memory = model.series_memory
    # Consumer price index: chained Fisher (superlative) on last and this month's
    # spending shares, goods and electricity; the chained Laspeyres index on last
    # month's shares alongside.
    if model.steps == 0:
        cpi = cpi_laspeyres = 1.0
    else:
        basket = model.compute_market.electricity.consumer_basket(
            model.previous_sector_price, model.sector_price,
            model.previous_spending_share, model.sector_spending_share,
        )  # fmt: skip
        previous_price, price, previous_share, share = basket
        cpi = memory.cpi * fisher_link(previous_price, price, previous_share, share)
        cpi_laspeyres = memory.cpi_laspeyres * laspeyres_link(previous_price, price, previous_share)
    memory.cpi, memory.cpi_laspeyres = cpi, cpi_laspeyres
    # Chained Laspeyres quantity index of output: each month's link values this and
    # last month's output at last month's prices; in step-0 dollars.
    nominal = float(output @ model.sector_price)
    if model.steps == 0:
        real_gdp = nominal
    else:
        this_month = float(output @ model.previous_sector_price)
        last_month = float(memory.output @ model.previous_sector_price)
        # With nothing produced last month there is no link: restart from this month.
        real_gdp = memory.real_gdp * this_month / last_month if last_month > 0 else this_month
    memory.real_gdp, memory.output = real_gdp, output

    with np.errstate(divide="ignore", invalid="ignore"):
        for k, name in enumerate(sectors):
            report[f"price_{name}"] = float(model.sector_price[k])
            report[f"relative_price_{name}"] = float(model.sector_price[k] / cpi)
            report[f"output_{name}"] = float(output[k])
            report[f"employment_{name}"] = float(employment[k])
            report[f"employment_share_{name}"] = float(employment[k] / max(employment.sum(), 1))
            report[f"wage_{name}"] = float(wage_sum[k] / employment[k]) if employment[k] else 0.0
            report[f"ai_cost_share_{name}"] = (
                float(compute_bill[k] / input_cost[k]) if input_cost[k] > 0 else 0.0
            )
            report[f"task_content_{name}"] = (
                float(wage_bill[k] / input_cost[k]) if input_cost[k] > 0 else 0.0
            )
            report[f"tokens_{name}"] = float(tokens[k])
            report[f"spending_share_{name}"] = float(model.sector_spending_share[k])
            report[f"oversight_share_{name}"] = (
                float(oversight_staff[k] / employment[k]) if employment[k] else 0.0
            )
            for series, weighted in markups.items():
                report[f"{series}_{name}"] = (
                    float(weighted[k] / sector_revenue[k]) if sector_revenue[k] > 0 else 0.0
                )
            for part in ("scale", "displacement", "reinstatement"):
                report[f"labour_{part}_{name}"] = float(decomposition[part][k])

    wages = float(wage_sum.sum())
    bank_profit = float(model.banks.interest.sum() - model.banks.written_off.sum())
    income_terms = (
        wages, firms.profit.sum(), providers.profit.sum(), model.upstream_income, bank_profit
    )  # fmt: skip
    property_income = float(sum(income_terms[1:]))
    national_income = wages + property_income
    gross_income = float(sum(abs(term) for term in income_terms))
    report["cpi"] = cpi
    report["cpi_laspeyres"] = cpi_laspeyres
    report["real_gdp"] = real_gdp
    report["productivity_shock"] = model.productivity_shock.factor
    report["nominal_gdp"] = nominal
    report["unemployment_rate"] = 1.0 - n_employed / len(workers)
    report["oversight_employment"] = float(oversight_staff.sum())
    report["oversight_wage"] = (
        oversight_pay / oversight_staff.sum() if oversight_staff.sum() else 0.0
    )
    report["sector_moves"] = float(model.sector_moves)
    report["labor_share"] = share_of(wages, national_income, gross_income)
    report["profit_share"] = share_of(property_income, national_income, gross_income)
    sample = memory.income_sample
    distribution = income_distribution(
        households.income if sample is None else households.income[sample]
    )
    report["gini_income"] = distribution["gini"]
    report["top1_income_share"] = distribution["top1"]
    report["top10_income_share"] = distribution["top10"]
    # AI providers' profit: what their owners receive out of national income and out
    # of every dollar spent on AI (the rest pays for chips and energy).
    provider_profit = float(providers.profit.sum())
    report["ai_owner_income_share"] = share_of(provider_profit, national_income, gross_income)
    report["provider_margin"] = share_of(provider_profit, report["ai_spend"], report["ai_spend"])
    report["mean_wage"] = wages / n_employed if n_employed else 0.0
    who = memory.worker_sample
    employer = workers.employer if who is None else workers.employer[who]
    wage = workers.wage if who is None else workers.wage[who]
    employed_wage = wage[employer != UNEMPLOYED]
    # employed_wage is a copy (boolean indexing), so the median may reorder it in place.
    median_wage = (
        float(np.median(employed_wage, overwrite_input=True)) if employed_wage.size else 0.0
    )
    report["median_wage"] = median_wage
    # Hours of median work that buy what one hour of the sector's work made at step 0.
    for k, name in enumerate(sectors):
        step0_hour_value = model.sector_price[k] * model.initial_productivity[k]
        report[f"work_hours_{name}"] = step0_hour_value / median_wage if median_wage > 0 else 0.0
    government = model.government
    report["government_revenue"] = government.revenue
    report["compute_tax_revenue"] = government.compute_tax_revenue
    report["government_spending"] = government.spending
    report["government_balance"] = float(government.cash[0])
    report["money_total"] = model.money_total
    report["base_money"] = model.base_money
    report["money_issued"] = model.money_issued
    report["money_growth"] = model.money_rule.growth
    report["money_error"] = model.money_error
    report["firm_exits"] = float(model.exits)
    report["firm_insolvencies"] = float(model.insolvencies)
    report.update(_labour_flows(model, n_employed))
    report.update(_credit(model, nominal))
    for provider in REPORT_PROVIDERS:
        report.update(provider.measure(model))
    return report
