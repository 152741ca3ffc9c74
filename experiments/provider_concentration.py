"""Why the AI market's concentration at month 37 is what it is (issue 11).

For each seed, runs the baseline (with optional ``--set`` overrides) to month 37 (Dec 2025)
and prints: providers in the market, entries and exits so far, the number of AI-buying
firms and their effective number by spending (1/HHI of firms' compute bills), the HHI by
revenue (the target's statistic) and of the providers' expected (logit) shares, and per
provider its cost factor, quality, markup, price relative to the cheapest, revenue share
and expected share. Firms multi-home (docs/model.md 6), so the revenue shares are
spending-weighted averages of the firms' provider mixes.

Usage::

    PYTHONPATH=$PWD python experiments/provider_concentration.py --seeds 42 7 3 \
        --set population.firms=1000 --set population.workers=50000
"""

from __future__ import annotations

import argparse

import numpy as np

from sim.metrics import hhi
from sim.model import EconomyModel
from sim.scenario.loader import parse_overrides

MONTH = 37


def diagnose(seed: int, overrides: dict) -> dict[str, float]:
    """Run one seed to ``MONTH`` and return the concentration diagnostics."""
    model = EconomyModel(rng=seed, **overrides)
    entries = exits = 0
    for _ in range(MONTH):
        model.step()
        entries += model.compute_market.entries
        exits += model.compute_market.exits
    providers, firms = model.providers, model.firms
    active = providers.active
    buyers = firms.compute_bill > 0
    price = providers.prices[:, 0]
    lowest = price[active & (price > 0)].min()
    row = {
        "seed": seed,
        "providers": int(active.sum()),
        "entries": entries,
        "exits": exits,
        "buyers": int(buyers.sum()),
        "effective_buyers": 10_000.0 / hhi(firms.compute_bill[buyers]),
        "hhi_revenue": hhi(providers.revenue),
        "hhi_expected": hhi(providers.choice_share),
    }
    print(
        f"seed {seed}: {row['providers']} providers ({entries} entries, {exits} exits), "
        f"{row['buyers']} buyers ({row['effective_buyers']:.1f} effective by spending); "
        f"HHI by revenue {row['hhi_revenue']:.0f}, of the expected shares "
        f"{row['hhi_expected']:.0f}"
    )
    for p in np.flatnonzero(active):
        print(
            f"  provider {p}: cost factor {providers.cost_factor[p]:.3f} quality "
            f"{providers.quality[p]:+.2f} markup {providers.markup[p]:.3f} price/lowest "
            f"{price[p] / lowest:.3f} revenue share {providers.share[p]:.3f} expected share "
            f"{providers.choice_share[p]:.3f}"
        )
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[42, 7, 3])
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE")
    args = parser.parse_args()
    overrides = parse_overrides(args.set)
    rows = [diagnose(seed, overrides) for seed in args.seeds]
    keys = ("hhi_revenue", "hhi_expected", "exits", "entries", "effective_buyers")
    for key in keys:
        values = np.array([row[key] for row in rows], dtype=float)
        spread = values.std(ddof=1) if len(values) > 1 else 0.0
        print(f"{key}: mean {values.mean():.1f} sd {spread:.1f}")


if __name__ == "__main__":
    main()
