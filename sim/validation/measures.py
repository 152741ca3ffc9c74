"""From one simulated run to the value of each validation target.

Core objects: :class:`RunOutput`, :func:`simulate_run`, :func:`measure`,
:func:`not_measurable`, :data:`STATISTICS`, :func:`measure_seed`.

A run is the model's per-month step frame (``steps``, one row per month, row ``t`` =
month ``t``), monthly snapshots of every firm (``firms``) and its scenario. Each
statistic named in ``targets.toml`` is a function ``f(target, run) -> float`` here,
built on the pure functions of :mod:`sim.validation.statistics`. A target whose
series the model does not report (or whose window the run does not reach) is *not
measurable*: :func:`measure` returns NaN and :func:`not_measurable` names what is
missing. Nothing is invented.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.scenario import Scenario, build_scenario
from sim.validation import statistics as st
from sim.validation.targets import Target, ValidationSettings, load_settings, load_targets

FIRM_COLUMNS = ("sector", "headcount", "revenue", "sales", "price", "unit_cost", "age")
"""Firm fields kept in each monthly snapshot."""

TIER_PREFIX = "compute_price_"
MONTHS_PER_YEAR = 12


@dataclass(frozen=True)
class RunOutput:
    """One simulated run, as the statistics see it.

    Attributes:
        steps: the model's step frame, one row per month from month 0.
        firms: one row per firm and month: ``month``, ``firm`` and :data:`FIRM_COLUMNS`.
        scenario: the scenario that was run.
        burn_in_months: months the business-cycle statistics skip.
    """

    steps: pd.DataFrame
    firms: pd.DataFrame
    scenario: Scenario
    burn_in_months: int = 24

    @property
    def last_month(self) -> int:
        """The run's last month ``T``."""
        return int(self.steps["step"].iloc[-1])

    @property
    def sectors(self) -> list[str]:
        """Sector names of the scenario, in order."""
        return list(self.scenario.sectors)

    def series(self, name: str, after_burn_in: bool = False) -> np.ndarray:
        """One column of the step frame as floats (optionally from the burn-in on)."""
        frame = (
            self.steps[self.steps["step"] >= self.burn_in_months] if after_burn_in else self.steps
        )
        return frame[name].to_numpy(dtype=float)

    def at(self, name: str, month: int) -> float:
        """Value of a series at ``month``."""
        return float(self.steps[name].to_numpy(dtype=float)[month])


def _snapshot(model, month: int) -> pd.DataFrame:
    firms = model.firms
    frame = pd.DataFrame({c: np.asarray(getattr(firms, c)) for c in FIRM_COLUMNS})
    frame.insert(0, "firm", np.arange(len(frame), dtype=np.int32))
    frame.insert(0, "month", month)
    return frame


def simulate_run(
    scenario: Scenario, months: int | None = None, burn_in_months: int | None = None
) -> RunOutput:
    """Run ``scenario`` and collect what the statistics need.

    Picklable and self-contained, so a batch executor can run it in a worker process.

    Args:
        scenario: a validated scenario (its ``run.seed`` seeds the model).
        months: months to simulate (default: the target table's ``[settings] months``).
        burn_in_months: months the cycle statistics skip (default: from the table).
    """
    from sim.model import EconomyModel

    settings = load_settings()
    months = settings.months if months is None else months
    burn_in = settings.burn_in_months if burn_in_months is None else burn_in_months
    model = EconomyModel(config=scenario)
    snapshots = [_snapshot(model, 0)]
    for month in range(1, months + 1):
        model.step()
        snapshots.append(_snapshot(model, month))
    names = np.array(list(scenario.sectors))
    firms = pd.concat(snapshots, ignore_index=True)
    firms["sector"] = names[firms["sector"].to_numpy()]
    return RunOutput(model.results(), firms, scenario, burn_in)


# ---------------------------------------------------------------- helpers


def _tiers(run: RunOutput) -> list[str]:
    return [c.removeprefix(TIER_PREFIX) for c in run.steps.columns if c.startswith(TIER_PREFIX)]


def _quarterly(run: RunOutput, name: str) -> np.ndarray:
    return st.to_quarterly(run.series(name, after_burn_in=True))


def _window(target: Target, run: RunOutput) -> tuple[int, int]:
    start = int(target.params.get("start", 0))
    end = int(target.params.get("end", run.last_month))
    return start, end


def _log_growth(first: float, last: float, months: int) -> float:
    """Average annual log growth ``12 log(last / first) / months`` (NaN if not positive)."""
    if first <= 0 or last <= 0 or months <= 0:
        return float("nan")
    return MONTHS_PER_YEAR * math.log(last / first) / months


def _sector_growth(run: RunOutput, sector: str) -> dict[str, float]:
    """Annual log growth, month 0 to T, of a sector's labour productivity (output per
    employed worker), relative price, absolute price and mean wage."""
    end = run.last_month

    def growth(name: str) -> float:
        return _log_growth(run.at(name, 0), run.at(name, end), end)

    productivity = _log_growth(
        run.at(f"output_{sector}", 0) / max(run.at(f"employment_{sector}", 0), 1e-300),
        run.at(f"output_{sector}", end) / max(run.at(f"employment_{sector}", end), 1e-300),
        end,
    )
    return {
        "productivity": productivity,
        "relative_price": growth(f"relative_price_{sector}"),
        "price": growth(f"price_{sector}"),
        "wage": growth(f"wage_{sector}"),
    }


# ---------------------------------------------------------------- statistics


def mean_after_burn_in(target: Target, run: RunOutput) -> float:
    """Mean of the target's first series over months ``burn_in..T``."""
    return float(run.series(target.required_series()[0], after_burn_in=True).mean())


def quarterly_sd_after_burn_in(target: Target, run: RunOutput) -> float:
    """``scale`` x sample s.d. of the quarterly averages of the first series after the burn-in."""
    scale = float(target.params.get("scale", 1.0))
    return scale * float(_quarterly(run, target.required_series()[0]).std(ddof=1))


def quarterly_correlation(target: Target, run: RunOutput) -> float:
    """Correlation of the quarterly averages of the target's two series after the burn-in."""
    first, second = target.required_series()[:2]
    return st.correlation(_quarterly(run, first), _quarterly(run, second))


def phillips_correlation(target: Target, run: RunOutput) -> float:
    """Correlation, after the burn-in, of quarterly averages of wage inflation
    ``log w_t - log w_{t-12}`` (``mean_wage``) with the unemployment rate."""
    wage = run.series("mean_wage")
    months = run.steps["step"].to_numpy()
    inflation = np.full(wage.size, np.nan)
    inflation[12:] = np.log(wage[12:]) - np.log(wage[:-12])
    keep = months >= max(run.burn_in_months, 12)
    unemployment = run.series("unemployment_rate")[keep]
    return st.correlation(st.to_quarterly(inflation[keep]), st.to_quarterly(unemployment))


def okun_coefficient(target: Target, run: RunOutput) -> float:
    """Okun slope on quarterly averages after the burn-in (:func:`statistics.okun_coefficient`)."""
    return st.okun_coefficient(_quarterly(run, "unemployment_rate"), _quarterly(run, "real_gdp"))


def ratio_growth(target: Target, run: RunOutput) -> float:
    """``(x(T) / x(0))^(horizon_months / T)`` of the target's series: its growth
    compounded to the data's horizon."""
    name = target.required_series()[0]
    end = run.last_month
    first, last = run.at(name, 0), run.at(name, end)
    if first <= 0 or last <= 0:
        return float("nan")
    return float((last / first) ** (float(target.params["horizon_months"]) / end))


def relative_wage_growth(target: Target, run: RunOutput) -> float:
    """``[(w_s(T)/w_s(0)) / (mean_wage(T)/mean_wage(0))]^(horizon_months / T)``."""
    sector_wage, mean_wage = target.required_series()[:2]
    end = run.last_month
    ratio = (run.at(sector_wage, end) / run.at(sector_wage, 0)) / (
        run.at(mean_wage, end) / run.at(mean_wage, 0)
    )
    return float(ratio ** (float(target.params["horizon_months"]) / end))


def gdp_cycle_sd(target: Target, run: RunOutput) -> float:
    """Per-cent s.d. of the HP cycle of log quarterly real GDP after the burn-in."""
    return st.cyclical_sd(_quarterly(run, "real_gdp"))


def _real_consumption(run: RunOutput) -> np.ndarray:
    """Monthly real consumption after the burn-in: households' purchases of goods (the
    ``consumption`` series; firms' revenue also holds the AI supply chain's purchases
    and, with capital, investment) deflated by the CPI."""
    return run.series("consumption", after_burn_in=True) / run.series("cpi", after_burn_in=True)


def consumption_relative_sd(target: Target, run: RunOutput) -> float:
    """s.d. of the HP cycle of log quarterly real consumption over that of real GDP."""
    consumption = st.to_quarterly(_real_consumption(run))
    return st.relative_cyclical_sd(consumption, _quarterly(run, "real_gdp"))


def gdp_cycle_autocorrelation(target: Target, run: RunOutput) -> float:
    """First-order autocorrelation of the HP cycle of log quarterly real GDP."""
    return st.hp_cycle_autocorrelation(_quarterly(run, "real_gdp"))


def recessions_per_20_years(target: Target, run: RunOutput) -> float:
    """Recessions after the burn-in (two or more falling quarters), per 80 quarters."""
    gdp = _quarterly(run, "real_gdp")
    return st.count_recessions(gdp) * 80.0 / max(gdp.size - 1, 1)


def _last_sizes(run: RunOutput) -> np.ndarray:
    last = run.firms[run.firms["month"] == run.last_month]
    return last["headcount"].to_numpy(dtype=float)


def firm_size_tail_index(target: Target, run: RunOutput) -> float:
    """Hill tail index of firm headcount (largest 20 %) at the last month."""
    return st.hill_tail_index(_last_sizes(run), float(target.params.get("tail_share", 0.2)))


def firm_size_mean_over_median(target: Target, run: RunOutput) -> float:
    """Mean over median firm headcount at the last month."""
    return st.mean_over_median(_last_sizes(run))


def firm_growth_rates(run: RunOutput) -> np.ndarray:
    """Annual log growth of firm sales revenue between year ends after the burn-in, for
    firms alive all year (age at least 12 months at the second date; an entrant takes
    over the slot of a firm that exits, with its age reset)."""
    months = list(range(run.burn_in_months, run.last_month + 1, MONTHS_PER_YEAR))
    by_month = run.firms[run.firms["month"].isin(months)]
    revenue = by_month.pivot(index="month", columns="firm", values="revenue").to_numpy()
    age = by_month.pivot(index="month", columns="firm", values="age").to_numpy()
    before, after = revenue[:-1], revenue[1:]
    ok = (before > 0) & (after > 0) & (age[1:] >= MONTHS_PER_YEAR)
    return np.log(after[ok]) - np.log(before[ok])


def firm_growth_excess_kurtosis(target: Target, run: RunOutput) -> float:
    """Excess kurtosis of the pooled annual firm growth rates."""
    return st.excess_kurtosis(firm_growth_rates(run))


def firm_exit_rate(target: Target, run: RunOutput) -> float:
    """Exits a year over the number of firms, after the burn-in."""
    exits = run.series("firm_exits", after_burn_in=True)
    years = exits.size / MONTHS_PER_YEAR
    return float(exits.sum() / years / run.scenario.population.firms)


def markup_sales_weighted(target: Target, run: RunOutput) -> float:
    """``sum(revenue * price / unit_cost) / sum(revenue)`` over firm-months after the burn-in."""
    firms = run.firms[(run.firms["month"] >= run.burn_in_months) & (run.firms["unit_cost"] > 0)]
    revenue = firms["revenue"].to_numpy(dtype=float)
    markup = firms["price"].to_numpy(dtype=float) / firms["unit_cost"].to_numpy(dtype=float)
    return float((revenue * markup).sum() / revenue.sum()) if revenue.sum() > 0 else float("nan")


def annual_growth(target: Target, run: RunOutput) -> float:
    """``((x/y)(end) / (x/y)(start))^(12 / (end - start)) - 1`` with ``x`` the
    ``numerator`` series and ``y`` the optional ``denominator``."""
    start, end = _window(target, run)

    def level(month: int) -> float:
        value = run.at(target.params["numerator"], month)
        if "denominator" in target.params:
            value /= run.at(target.params["denominator"], month)
        return value

    return st.annualized_change(level(start), level(end), end - start) - 1.0


def series_ratio(target: Target, run: RunOutput) -> float:
    """``x(end) / x(start)`` of the target's series."""
    name = target.required_series()[0]
    start, end = _window(target, run)
    first = run.at(name, start)
    return run.at(name, end) / first if first > 0 else float("nan")


def series_at_month(target: Target, run: RunOutput) -> float:
    """The target's series at month ``month``."""
    return run.at(target.required_series()[0], int(target.params["month"]))


def productivity_gain_at_month(target: Target, run: RunOutput) -> float:
    """The gain in labour productivity at month ``month`` implied by the target's
    labour-saving series ``s`` (share of labour saved at the same output):
    ``1 / (1 - s) - 1``."""
    return 1.0 / (1.0 - series_at_month(target, run)) - 1.0


def max_abs(target: Target, run: RunOutput) -> float:
    """Largest absolute value of the target's series over the run."""
    return float(np.abs(run.series(target.required_series()[0])).max())


def _tier_decline(run: RunOutput, tier: str, start: int, end: int) -> float:
    months = np.arange(start, end + 1)
    prices = run.series(TIER_PREFIX + tier)[start : end + 1]
    return st.annual_decline_factor(prices, months)


def tier_price_decline(target: Target, run: RunOutput) -> float:
    """Annual decline factor (log-linear fit over ``start..end``) of the slowest,
    median or fastest tier (``which``)."""
    start, end = _window(target, run)
    factors = np.array([_tier_decline(run, tier, start, end) for tier in _tiers(run)])
    pick = {"slowest": np.min, "median": np.median, "fastest": np.max}[target.params["which"]]
    return float(pick(factors))


def tier_decline_persistence(target: Target, run: RunOutput) -> float:
    """Median over tiers of ``log F(24..36) / log F(0..12)``, ``F`` the annual decline
    factor fitted over each window."""
    late = np.array([_tier_decline(run, tier, 24, 36) for tier in _tiers(run)])
    early = np.array([_tier_decline(run, tier, 0, 12) for tier in _tiers(run)])
    return float(np.median(np.log(late) / np.log(early)))  # NaN/inf if year 1 is flat


def tier_price_fall(target: Target, run: RunOutput) -> float:
    """``p(start) / p(end)`` of one tier's cheapest offer."""
    name = target.required_series()[0]
    start, end = _window(target, run)
    last = run.at(name, end)
    return run.at(name, start) / last if last > 0 else float("inf")


def _nordhaus(run: RunOutput) -> dict[str, float]:
    growth = [_sector_growth(run, s) for s in run.sectors]
    growth = [g for g in growth if all(math.isfinite(v) for v in g.values())]
    return st.nordhaus_slopes(
        [g["productivity"] for g in growth],
        [g["relative_price"] for g in growth],
        [g["wage"] for g in growth],
    )


def nordhaus_price_slope(target: Target, run: RunOutput) -> float:
    """Cross-sector slope of relative-price growth on productivity growth (Nordhaus 2008)."""
    return _nordhaus(run)["price"]


def nordhaus_wage_slope(target: Target, run: RunOutput) -> float:
    """Cross-sector slope of wage growth on productivity growth (Nordhaus 2008)."""
    return _nordhaus(run)["wage"]


def baumol_pass_through(target: Target, run: RunOutput) -> float:
    """``[g(p_s) - g(p_m)] / [g(A_m) - g(A_s)]`` with ``g`` annual log growth, ``s`` the
    target's sector, ``m`` manufacturing and ``A`` output per employed worker."""
    stagnant = _sector_growth(run, target.params["sector"])
    progressive = _sector_growth(run, "manufacturing")
    gap = progressive["productivity"] - stagnant["productivity"]
    if gap == 0 or not math.isfinite(gap):
        return float("nan")
    return (stagnant["price"] - progressive["price"]) / gap


STATISTICS: dict[str, Callable[[Target, RunOutput], float]] = {
    f.__name__: f
    for f in (
        mean_after_burn_in, quarterly_sd_after_burn_in, quarterly_correlation,
        phillips_correlation, okun_coefficient, ratio_growth, relative_wage_growth,
        gdp_cycle_sd, consumption_relative_sd, gdp_cycle_autocorrelation,
        recessions_per_20_years, firm_size_tail_index, firm_size_mean_over_median,
        firm_growth_excess_kurtosis, firm_exit_rate, markup_sales_weighted, annual_growth,
        series_ratio, series_at_month, productivity_gain_at_month, max_abs, tier_price_decline,
        tier_decline_persistence, tier_price_fall, nordhaus_price_slope, nordhaus_wage_slope,
        baumol_pass_through,
    )
}  # fmt: skip
"""Every statistic a target may name, by name."""

PARAM_SERIES = ("numerator", "denominator")
"""Parameters that name a series the statistic reads."""


def not_measurable(target: Target, run: RunOutput) -> list[str]:
    """What stops ``target`` being measured on ``run``: missing series (by name), no
    compute tiers, or a window beyond the run's last month. Empty if measurable."""
    columns = set(run.steps.columns)
    needed = target.required_series(run.sectors)
    needed += [target.params[key] for key in PARAM_SERIES if key in target.params]
    if target.statistic.startswith("tier_") and not _tiers(run):
        needed.append(TIER_PREFIX + "<tier>")
    reasons = [name for name in dict.fromkeys(needed) if name not in columns]
    last = run.last_month
    for key in ("start", "end", "month", "horizon_months"):
        month = target.params.get(key)
        if key != "horizon_months" and month is not None and month > last:
            reasons.append(f"month {month} (the run ends at month {last})")
    if target.statistic == "tier_decline_persistence" and last < 36:
        reasons.append(f"month 36 (the run ends at month {last})")
    return reasons


def measure(target: Target, run: RunOutput) -> float:
    """The value of ``target``'s statistic on ``run``; NaN if it is not measurable
    (see :func:`not_measurable`).

    Raises:
        KeyError: if the target names a statistic that does not exist.
    """
    if target.statistic not in STATISTICS:
        raise KeyError(
            f"target {target.id!r}: unknown statistic {target.statistic!r}; "
            f"known: {', '.join(sorted(STATISTICS))}"
        )
    if not_measurable(target, run):
        return float("nan")
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(STATISTICS[target.statistic](target, run))


FIGURE_PREFIXES = (TIER_PREFIX, "relative_price_", "price_")
FIGURE_SERIES = ("step", "cpi", "unemployment_rate", "vacancy_rate", "real_gdp", "tokens")


def measure_seed(
    scenario_data: dict, seed: int, settings: ValidationSettings, targets_path: str | None
) -> dict:
    """Worker task of ``sim validate``: run one seed and measure every target.

    Returns plain data: ``values`` and ``missing`` by target id, and what the report's
    figures need (a few step series and the last month's firm sizes).
    """
    scenario = build_scenario(scenario_data, {"run.seed": seed}, source=f"seed {seed}")
    run = simulate_run(scenario, settings.months, settings.burn_in_months)
    values, missing = {}, {}
    for target in load_targets(targets_path):
        missing[target.id] = not_measurable(target, run)
        values[target.id] = measure(target, run)
    columns = [c for c in run.steps.columns if c in FIGURE_SERIES or c.startswith(FIGURE_PREFIXES)]
    return {
        "seed": seed,
        "values": values,
        "missing": missing,
        "steps": run.steps[columns].copy(),
        "firm_sizes": _last_sizes(run),
    }
