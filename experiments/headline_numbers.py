"""The numbers quoted in the README's opening paragraph, computed from runs.

Runs ``scenarios/baseline.toml`` for 240 months with seeds 3, 7 and 42 and prints, for
each headline claim, its range over the seeds:

- the cheapest tier's price per million tokens at fixed capability: its annual fall
  fitted over the first three years (``exp(-12 b)`` for the least-squares slope ``b`` of
  the log price on the month) and its fall over ten years (``compute_price_basic``);
- tokens used (at fixed capability, and counted as tokens of the newest models) and AI
  spending after ten years, relative to month 1 (Jevons);
- care's and repair's price relative to the CPI after ten years (Baumol);
- care's share of employment at month 1, after ten and after twenty years, and
  software's at month 1 and after ten years;
- the share of the economy's labour AI saves (``ai_labour_saving``) in November 2024
  (month 24) and after ten years;
- unemployment averaged over months 25-240 (after a two-year burn-in, as in
  ``sim validate``).

Usage: ``python experiments/headline_numbers.py [--workers N]``.
"""

from __future__ import annotations

import argparse
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pandas as pd

from sim.run import run_scenario
from sim.scenario import load_scenario

SEEDS = (3, 7, 42)
MONTHS = 240
TEN_YEARS = 120
BURN_IN = 24


def headline(seed: int) -> dict[str, float]:
    """The headline quantities of one baseline run with ``seed``."""
    scenario = load_scenario(
        "scenarios/baseline.toml", overrides={"run.steps": MONTHS, "run.seed": seed}
    )
    frame = run_scenario(scenario).steps
    first, decade = frame.iloc[0], frame.iloc[TEN_YEARS]
    early = np.log(frame["compute_price_basic"].to_numpy()[:36])
    slope = np.polyfit(np.arange(early.size), early, 1)[0]
    return {
        "basic price fall a year, years 1-3 (x)": np.exp(-12 * slope),
        "basic price fall, 10 years (x)": first["compute_price_basic"]
        / decade["compute_price_basic"],
        "tokens, 10 years (x)": decade["tokens"] / first["tokens"],
        "tokens of the newest models, 10 years (x)": decade["tokens_bought"]
        / first["tokens_bought"],
        "AI spending, 10 years (x)": decade["ai_spend"] / first["ai_spend"],
        "care price / CPI, 10 years": decade["relative_price_care"] / first["relative_price_care"],
        "repair price / CPI, 10 years": decade["relative_price_repair"]
        / first["relative_price_repair"],
        "care employment share, month 1": first["employment_share_care"],
        "care employment share, 10 years": decade["employment_share_care"],
        "care employment share, 20 years": frame["employment_share_care"].iloc[-1],
        "software employment share, month 1": first["employment_share_software"],
        "software employment share, 10 years": decade["employment_share_software"],
        "AI labour saving, month 24": frame["ai_labour_saving"].iloc[24],
        "AI labour saving, 10 years": decade["ai_labour_saving"],
        "unemployment, months 25-240 (mean)": frame["unemployment_rate"].iloc[BURN_IN:].mean(),
    }


def main() -> None:
    """Run the seeds and print each quantity's range over them."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=1, help="processes (one run each)")
    args = parser.parse_args()
    with ProcessPoolExecutor(max_workers=args.workers) as pool:
        rows = dict(zip(SEEDS, pool.map(headline, SEEDS), strict=True))
    table = pd.DataFrame(rows)
    table["min"], table["max"] = table.min(axis=1), table.max(axis=1)
    with pd.option_context(
        "display.float_format", "{:,.4g}".format, "display.width", 160, "display.max_columns", 10
    ):
        print(f"scenarios/baseline.toml, seeds {', '.join(map(str, SEEDS))}, {MONTHS} months")
        print(table)


if __name__ == "__main__":
    main()
