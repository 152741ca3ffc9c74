"""Compute's demand for electricity and households' bills (docs/model.md section 4.3).

Three runs of ten years (seed 42, 10,000 workers):

- ``baseline``: ``scenarios/baseline.toml``;
- ``inelastic supply``: the baseline with ``energy_bound``'s electricity supply (elasticity
  0.2) and other demand (4 % a year), compute's chips as in the baseline;
- ``energy bound``: ``scenarios/energy_bound.toml`` (the same supply, and chips that use
  3.3 times the electricity per GPU-hour and save it 1.2 times a year instead of 1.4).

The second and third differ only in compute's electricity, so the gap between them is
compute's effect on households' bills. Prints, for each run, the electricity price, AI
compute's and data centres' shares of electricity and households' bill share at months
0, 20, 36, 60 and 120, and their peaks, and draws ``--out`` (a PNG of households' bill
share and the kWh price against the month).

Usage: ``python experiments/household_bills.py [--out docs/figures/household_bills.png]``.
"""

from __future__ import annotations

import argparse

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd

from sim.run import run_scenario
from sim.scenario import load_scenario

INELASTIC = {"compute.energy_supply_elasticity": 0.2, "energy.other_demand_growth": 0.04}
RUNS = {
    "baseline": ("scenarios/baseline.toml", {}),
    "inelastic supply": ("scenarios/baseline.toml", INELASTIC),
    "energy bound": ("scenarios/energy_bound.toml", {}),
}
MONTHS = (0, 20, 36, 60, 120)
SERIES = (
    "electricity_price", "compute_electricity_share", "datacentre_electricity_share",
    "household_electricity_share",
)  # fmt: skip


def run(path: str, overrides: dict) -> pd.DataFrame:
    """One ten-year run's reported series."""
    return run_scenario(load_scenario(path, overrides={"run.steps": 120, **overrides})).steps


def main() -> None:
    """Run the three cases, print the table and draw the figure."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=None, help="PNG to draw (nothing drawn if omitted)")
    args = parser.parse_args()
    frames = {name: run(*spec) for name, spec in RUNS.items()}
    for name, frame in frames.items():
        print(name)
        print(frame.loc[list(MONTHS), list(SERIES)].to_string(float_format="{:.4f}".format))
        peaks = {series: (frame[series].max(), int(frame[series].idxmax())) for series in SERIES}
        print("  peaks:", ", ".join(f"{s} {v:.4f} (month {m})" for s, (v, m) in peaks.items()))
    if args.out:
        figure, (bills, price) = plt.subplots(1, 2, figsize=(10, 3.8))
        for name, frame in frames.items():
            bills.plot(frame["step"], 100 * frame["household_electricity_share"], label=name)
            price.plot(frame["step"], frame["electricity_price"], label=name)
        bills.set(xlabel="month (0 = Nov 2022)", ylabel="% of household spending",
                  title="Households' electricity bills")  # fmt: skip
        price.set(xlabel="month (0 = Nov 2022)", ylabel="$ per kWh", title="Electricity price")
        bills.legend()
        figure.tight_layout()
        figure.savefig(args.out, dpi=120)
        print(f"written: {args.out}")


if __name__ == "__main__":
    main()
