"""Baumol map: what makes care dearer and employment shift toward it?

Sweeps households' elasticity across sectors (epsilon) against workers' mobility
between sectors with scenarios/baumol_map.toml on a 2,000-worker economy, and maps
care's price relative to the CPI and care's share of employment after ten years.
Run with ``sim experiments baumol_map``.
"""

from __future__ import annotations

from pathlib import Path

from sim.batch.experiments import heatmap, markdown_table, run_experiment_sweep

EPSILON = "households.consumer_elasticity"
MOBILITY = "labour.mobility"
OUTCOMES = {
    "care_relative_price": "care price / CPI (1 at start)",
    "care_employment_share": "care share of employment",
    "wage_dispersion": "wage dispersion across sectors (CV)",
}


def run(out: Path, workers: int | None = None) -> Path:
    """Run the sweep, write heat maps and README.md under ``out``; return README.md."""
    runs = run_experiment_sweep("baumol_map", out, workers)
    means = runs.groupby([EPSILON, MOBILITY])[list(OUTCOMES)].mean()
    sections = []
    for outcome, label in OUTCOMES.items():
        table = means[outcome].unstack(MOBILITY)
        table.index.name, table.columns.name = "epsilon", "mobility"
        heatmap(table, label, outcome).savefig(out / f"{outcome}.png", dpi=110)
        sections.append(f"## {label}\n\n![{outcome}]({outcome}.png)\n\n{markdown_table(table)}")
    price = means["care_relative_price"]
    share = means["care_employment_share"]
    by_eps_price = price.groupby(level=EPSILON).mean()
    by_eps_share = share.groupby(level=EPSILON).mean()
    by_mob_dispersion = means["wage_dispersion"].groupby(level=MOBILITY).mean()
    body = "\n\n".join(sections)
    text = f"""# Baumol map: care prices, care jobs, epsilon and mobility

{len(runs)} runs ({runs["point"].nunique()} points × {runs["replicate"].nunique()} seeds),
2,000 workers, 120 months; cells are means over seeds.

- Care got dearer against the CPI (relative price > 1) in {int((price > 1).sum())} of
  {price.size} points; averaged over mobility its relative price runs from
  {by_eps_price.iloc[0]:.3f} at epsilon {by_eps_price.index[0]:g} to {by_eps_price.iloc[-1]:.3f}
  at epsilon {by_eps_price.index[-1]:g}.
- Care's employment share ends between {share.min():.3f} and {share.max():.3f}; averaged over
  mobility it runs from {by_eps_share.iloc[0]:.3f} at epsilon {by_eps_share.index[0]:g} to
  {by_eps_share.iloc[-1]:.3f} at epsilon {by_eps_share.index[-1]:g}.
- Wage dispersion across sectors, averaged over epsilon: {by_mob_dispersion.iloc[0]:.3f} at
  mobility {by_mob_dispersion.index[0]:g}, {by_mob_dispersion.iloc[-1]:.3f} at mobility
  {by_mob_dispersion.index[-1]:g}.

{body}
"""
    (out / "README.md").write_text(text)
    return out / "README.md"
