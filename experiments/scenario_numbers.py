"""The numbers quoted in a scenario file's description, beside the baseline's.

Runs a scenario and ``scenarios/baseline.toml`` with the same seeds (default 42 and 7,
as the descriptions say) for the scenario's ``run.steps`` months and prints one column
per run and one row per quantity the descriptions quote:

- prices of compute: each tier's annual fall fitted over the first three years
  (``exp(-12 b)`` for the least-squares slope ``b`` of the log posted price on the month,
  months 0-35), the basic tier's fitted over each of the first three years (months
  0-12, 12-24, 24-36), and over years six to ten (months 60-120), and its fall over the
  whole run (``compute_price_basic``); the months in which the frontier tier's and the
  advanced tier's FLOPs per token meet the tier below;
- tokens and AI spending at the end relative to month 0, and AI spending's peak and its
  month;
- the AI market: provider entries and exits (with their months), providers and HHI at
  the end, the provider markup; the GPU rental's and the hardware price's peak (month)
  and end, the months in which GPU capacity is fully used;
- electricity: the kWh price's low in the first five years (month) and at the end, AI
  compute's share of electricity at month 72 and at the end, its TWh-equivalent at
  month 72 and at the end, households' bill share at month 0, its peak (month) and at
  the end;
- labour and prices: unemployment averaged over months 1 to the end, its peak (month);
  care's, repair's and software's price against the CPI at the end relative to month 0;
  care's and software's employment shares at month 0 and at the end; the best-paid
  sector's mean wage over the worst-paid's at the end; workers overseeing AI and their
  wage at the end;
- incomes and the government: the mean wage (nominal, and over the CPI) and the income
  Gini at the end and averaged over the last twelve months; government revenue averaged
  over the last twelve months.

Usage: ``python experiments/scenario_numbers.py scenarios/tiers.toml [--seeds 42 7]
[--set KEY=VALUE ...] [--baseline-set KEY=VALUE ...] [--workers 2]``.
"""

from __future__ import annotations

import argparse
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pandas as pd

from sim.arguments import add_overrides_option
from sim.run import run_scenario
from sim.scenario import load_scenario, parse_overrides

BASELINE = "scenarios/baseline.toml"
SECTORS = ("software", "business", "manufacturing", "care", "repair")
TIERS = ("basic", "advanced", "frontier")


def annual_fall(prices: pd.Series, start: int, stop: int) -> float:
    """``exp(-12 b)``, ``b`` the least-squares slope of ``log prices[start:stop]``."""
    log_price = np.log(prices.to_numpy()[start:stop])
    return float(np.exp(-12 * np.polyfit(np.arange(log_price.size), log_price, 1)[0]))


def months_where(mask: pd.Series) -> str:
    """The months in which ``mask`` holds, as text (``-`` for none)."""
    months = np.flatnonzero(mask.to_numpy())
    return ", ".join(map(str, months)) if months.size else "-"


def peak(series: pd.Series) -> str:
    """The series' largest value and its month, as text."""
    month = int(np.argmax(series.to_numpy()))
    return f"{series.iloc[month]:.4g} (month {month})"


def quantities(frame: pd.DataFrame) -> dict[str, float | str]:
    """The quantities the scenario descriptions quote, from one run's monthly frame."""
    first, last, year = frame.iloc[0], frame.iloc[-1], frame.iloc[-12:]
    low = frame["electricity_price"].iloc[:61]
    wages = pd.Series({s: last[f"wage_{s}"] for s in SECTORS if last[f"employment_{s}"] > 0})
    six_years = frame.iloc[min(72, len(frame) - 1)]
    numbers: dict[str, float | str] = {
        f"{tier} price fall a year, months 0-35 (x)": annual_fall(
            frame[f"compute_price_{tier}"], 0, 36
        )
        for tier in TIERS
    }
    for year_number in (1, 2, 3):
        numbers[f"basic price fall, year {year_number} (x)"] = annual_fall(
            frame["compute_price_basic"], 12 * (year_number - 1), 12 * year_number + 1
        )
    numbers["basic price fall a year, months 60-120 (x)"] = annual_fall(
        frame["compute_price_basic"], 60, 121
    )
    numbers["basic price fall, whole run (x)"] = (
        first["compute_price_basic"] / last["compute_price_basic"]
    )
    for upper, lower in (("frontier", "advanced"), ("advanced", "basic")):
        meets = frame[f"flops_per_token_{upper}"] <= frame[f"flops_per_token_{lower}"] * (1 + 1e-9)
        numbers[f"{upper} meets {lower} (first month)"] = months_where(meets).split(", ")[0]
    spending = frame["ai_spend"] / first["ai_spend"]
    numbers |= {
        "tokens, end / month 0 (x)": last["tokens"] / first["tokens"],
        "AI spending, end / month 0 (x)": spending.iloc[-1],
        "AI spending peak / month 0 (x)": peak(spending),
        "provider entries (months)": months_where(frame["provider_entries"] > 0),
        "provider exits (months)": months_where(frame["provider_exits"] > 0),
        "provider exits (number)": frame["provider_exits"].sum(),
        "providers, end": last["providers_active"],
        "provider HHI, end": last["provider_hhi"],
        "provider markup, end": last["provider_markup"],
        "GPU rental, month 0 ($/h)": first["gpu_rental_price"],
        "GPU rental peak ($/h)": peak(frame["gpu_rental_price"]),
        "GPU rental, end ($/h)": last["gpu_rental_price"],
        "hardware price peak / month 0": peak(frame["hardware_price"] / first["hardware_price"]),
        "hardware price, end / month 0": last["hardware_price"] / first["hardware_price"],
        "GPU capacity fully used (months)": months_where(frame["gpu_utilisation"] >= 1 - 1e-9),
        "kWh price, month 0 ($)": first["electricity_price"],
        "kWh price low, months 0-60 ($)": f"{low.min():.4g} (month {int(np.argmin(low))})",
        "kWh price, end ($)": last["electricity_price"],
        "AI compute share of electricity, month 72": six_years["compute_electricity_share"],
        "AI compute share of electricity, end": last["compute_electricity_share"],
        "AI compute TWh-equivalent, month 72": six_years["electricity_demand_compute"],
        "AI compute TWh-equivalent, end": last["electricity_demand_compute"],
        "households' bill share, month 0": first["household_electricity_share"],
        "households' bill share peak": peak(frame["household_electricity_share"]),
        "households' bill share, end": last["household_electricity_share"],
        "unemployment, mean from month 1": frame["unemployment_rate"].iloc[1:].mean(),
        "unemployment peak": peak(frame["unemployment_rate"]),
    }
    for sector in ("care", "repair", "software"):
        numbers[f"{sector} price / CPI, end / month 0"] = (
            last[f"relative_price_{sector}"] / first[f"relative_price_{sector}"]
        )
    for sector in ("care", "software"):
        numbers[f"{sector} employment share, month 0"] = first[f"employment_share_{sector}"]
        numbers[f"{sector} employment share, end"] = last[f"employment_share_{sector}"]
    return numbers | {
        "best-paid / worst-paid sector's wage, end": (
            f"{wages.max() / wages.min():.4g} ({wages.idxmax()} / {wages.idxmin()})"
        ),
        "workers overseeing AI, end": last["oversight_employment"],
        "oversight wage, end ($/month)": last["oversight_wage"],
        "mean wage, end ($/month)": last["mean_wage"],
        "mean wage / CPI, end": last["mean_wage"] / last["cpi"],
        "mean wage, last 12 months ($/month)": year["mean_wage"].mean(),
        "income Gini, end": last["gini_income"],
        "income Gini, last 12 months": year["gini_income"].mean(),
        "government revenue, last 12 months ($/month)": year["government_revenue"].mean(),
    }


def run(job: tuple[str, int, dict]) -> dict[str, float | str]:
    """The quantities of one run: ``(scenario path, seed, overrides)``."""
    path, seed, overrides = job
    scenario = load_scenario(path, overrides={**overrides, "run.seed": seed})
    return quantities(run_scenario(scenario).steps)


def main() -> None:
    """Run the scenario and the baseline with each seed and print the quantities."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario", help="scenario TOML file")
    parser.add_argument("--seeds", type=int, nargs="+", default=[42, 7])
    add_overrides_option(parser, "override for the scenario's runs")
    add_overrides_option(
        parser, "override for the baseline's", flag="--baseline-set", dest="baseline_overrides"
    )
    parser.add_argument("--workers", type=int, default=1, help="processes (one run each)")
    args = parser.parse_args()
    scenario_overrides = parse_overrides(args.overrides)
    steps = load_scenario(args.scenario, overrides=scenario_overrides).run.steps
    baseline_overrides = {"run.steps": steps} | parse_overrides(args.baseline_overrides)
    jobs = [(args.scenario, seed, scenario_overrides) for seed in args.seeds]
    jobs += [(BASELINE, seed, baseline_overrides) for seed in args.seeds]
    names = [f"seed {seed}" for seed in args.seeds]
    names += [f"baseline {seed}" for seed in args.seeds]
    with ProcessPoolExecutor(max_workers=args.workers) as pool:
        table = pd.DataFrame(dict(zip(names, pool.map(run, jobs), strict=True)))
    print(f"{args.scenario} against {BASELINE}, {steps} months")
    text = table.map(lambda value: value if isinstance(value, str) else f"{value:,.4g}")
    with pd.option_context("display.width", 250, "display.max_columns", None):
        print(text)


if __name__ == "__main__":
    main()
