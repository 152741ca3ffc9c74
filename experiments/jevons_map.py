"""Jevons map: when does cheaper compute raise total AI spending?

Sweeps firms' labour-compute substitution elasticity (sigma, every sector) against
households' elasticity across sectors (epsilon) with scenarios/jevons_map.toml on a
2,000-worker economy, and maps AI spending growth over ten years (final/initial).
Run with ``sim experiments jevons_map``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from sim.batch.experiments import heatmap, markdown_table, run_experiment_sweep

SIGMA = "sectors.*.substitution_elasticity"
EPSILON = "households.consumer_elasticity"


def run(out: Path, workers: int | None = None) -> Path:
    """Run the sweep, write the heat map and README.md under ``out``; return README.md."""
    runs = run_experiment_sweep("jevons_map", out, workers)
    growth = np.log10(runs["ai_spend_growth"]).groupby([runs[SIGMA], runs[EPSILON]]).mean()
    table = (10**growth).unstack(EPSILON)  # geometric mean over replicates
    table.index.name, table.columns.name = "sigma (labour-compute)", "epsilon (across sectors)"
    heatmap(table, "AI spending growth over 10 years", "final / initial").savefig(
        out / "ai_spend_growth.png", dpi=110
    )
    rising = table > 1
    threshold = {
        eps: (f"{rising.index[rising[eps]].min():g}" if rising[eps].any() else "none")
        for eps in table.columns
    }
    thresholds = ", ".join(f"epsilon {e:g}: {s}" for e, s in threshold.items())
    by_sigma = table.mean(axis=1)
    by_epsilon = table.mean(axis=0)
    text = f"""# Jevons map: does cheaper compute raise AI spending?

{len(runs)} runs ({runs["point"].nunique()} points × {runs["replicate"].nunique()} seeds),
2,000 workers, 120 months. Cell = geometric mean of AI spending growth (final/initial)
over seeds; > 1 means total AI spending rose while compute got cheaper (Jevons).

![AI spending growth](ai_spend_growth.png)

{markdown_table(table)}

- Spending rose in {int(rising.to_numpy().sum())} of {rising.size} cells.
- Smallest sigma at which spending rose, by epsilon: {thresholds}.
- Averaged over epsilon, growth runs from {by_sigma.iloc[0]:.3g} at sigma {by_sigma.index[0]:g}
  to {by_sigma.iloc[-1]:.3g} at sigma {by_sigma.index[-1]:g}; averaged over sigma, from
  {by_epsilon.iloc[0]:.3g} at epsilon {by_epsilon.index[0]:g} to {by_epsilon.iloc[-1]:.3g} at
  epsilon {by_epsilon.index[-1]:g}.
- Spread across seeds: the median coefficient of variation of growth within a point is
  {runs.groupby("point")["ai_spend_growth"].agg(lambda s: s.std() / s.mean()).median():.2f}.
"""
    (out / "README.md").write_text(text)
    return out / "README.md"
