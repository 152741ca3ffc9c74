"""How the economy answers one aggregate productivity shock (docs/model.md, section 3b).

For each seed, two runs of ``scenarios/baseline.toml`` with the shock process switched
off (``shocks.productivity_sd = 0``): in the second, the common log productivity is set
to ``+size`` at month ``--month`` and then decays at the monthly persistence
``rho_m = 0.979^(1/3)``, as an innovation of the shock process would. Every other
random draw of the two runs is the same up to the month of the impulse (the shock has
its own stream), so their difference is the response to the impulse plus the noise of
two economies that part ways; averaging over seeds leaves the response.

Prints, for months after the impulse, the mean over seeds (and its standard error) of
the difference in: log real GDP, the unemployment rate (points), log CPI and the log
real mean wage, each in per cent (unemployment in percentage points).

With ``--plot FILE`` it also draws the four responses month by month, with bands of two
standard errors.

Usage: ``python experiments/productivity_impulse.py [--seeds 20] [--size 0.01]
[--month 96] [--workers 2] [--set KEY=VALUE ...] [--plot FILE]``.
"""

from __future__ import annotations

import argparse
from concurrent.futures import ProcessPoolExecutor

import numpy as np

from sim.arguments import add_overrides_option
from sim.model import EconomyModel
from sim.scenario import load_scenario

HORIZONS = (0, 1, 3, 6, 12, 24, 36)
SERIES = ("real_gdp", "unemployment_rate", "cpi", "real_wage")
LABELS = {
    "real_gdp": "real GDP (%)",
    "unemployment_rate": "unemployment rate (points)",
    "cpi": "CPI (%)",
    "real_wage": "real mean wage (%)",
}


def paths(
    seed: int, size: float, month: int, overrides: tuple[str, ...] = ()
) -> dict[str, np.ndarray]:
    """Differences (impulse minus none) of each series from the impulse month on."""
    runs = []
    for impulse in (0.0, size):
        scenario = load_scenario(
            "scenarios/baseline.toml",
            [f"run.seed={seed}", "shocks.productivity_sd=0", *overrides],
        )
        model = EconomyModel(config=scenario)
        for step in range(1, month + max(HORIZONS) + 1):
            if step == month:
                # The shock phase of this month leaves rho_m times the level set here.
                model.productivity_shock.level = impulse / model.productivity_shock.persistence
            model.step()
        frame = model.results().iloc[month:]
        frame = frame.assign(real_wage=frame["mean_wage"] / frame["cpi"])
        runs.append(frame)
    none, shocked = runs
    out = {}
    for name in SERIES:
        if name == "unemployment_rate":
            out[name] = 100 * (shocked[name].to_numpy() - none[name].to_numpy())
        else:
            out[name] = 100 * np.log(shocked[name].to_numpy() / none[name].to_numpy())
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument("--size", type=float, default=0.01)
    parser.add_argument("--month", type=int, default=96)
    parser.add_argument("--workers", type=int, default=2)
    add_overrides_option(parser, "override for both runs of every seed")
    parser.add_argument("--plot", help="draw the responses into this image file")
    args = parser.parse_args()
    seeds = range(1, args.seeds + 1)
    with ProcessPoolExecutor(args.workers) as pool:
        n = len(seeds)
        overrides = [tuple(args.overrides)] * n
        results = list(pool.map(paths, seeds, [args.size] * n, [args.month] * n, overrides))
    print(
        f"impulse of {100 * args.size:.1f} % to every sector's productivity at month "
        f"{args.month}; baseline{' with ' + ', '.join(args.overrides) if args.overrides else ''}, "
        f"{args.seeds} seeds; mean (standard error) of the difference"
    )
    header = "months after".ljust(14) + "".join(f"{name:>22s}" for name in SERIES)
    print(header)
    for h in HORIZONS:
        cells = []
        for name in SERIES:
            values = np.array([r[name][h] for r in results])
            cells.append(f"{values.mean():+9.3f} ({values.std(ddof=1) / np.sqrt(values.size):.3f})")
        print(f"{h:<14d}" + "".join(f"{c:>22s}" for c in cells))
    if args.plot:
        plot(results, args.plot, args.size, args.seeds)


def plot(results: list[dict[str, np.ndarray]], path: str, size: float, n_seeds: int) -> None:
    """The mean response of each series with a band of two standard errors."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, len(SERIES), figsize=(13, 3.2), layout="constrained")
    for ax, name in zip(axes, SERIES, strict=True):
        values = np.array([r[name] for r in results])
        mean = values.mean(axis=0)
        band = 2.0 * values.std(axis=0, ddof=1) / np.sqrt(len(values))
        months = np.arange(mean.size)
        ax.fill_between(months, mean - band, mean + band, alpha=0.25)
        ax.plot(months, mean)
        ax.axhline(0.0, color="grey", linewidth=0.8)
        ax.set(title=LABELS[name], xlabel="months after the shock")
    fig.suptitle(
        f"Response to a {100 * size:.0f} % productivity shock (mean of {n_seeds} seeds, "
        "bands of two standard errors)"
    )
    fig.savefig(path, dpi=110)
    print(f"written: {path}")


if __name__ == "__main__":
    main()
