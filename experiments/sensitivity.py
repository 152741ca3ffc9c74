"""Sensitivity: which of five main parameters drive the headline outcomes?

Runs the Saltelli design of scenarios/sensitivity.toml on a 2,000-worker economy
and ranks parameters by total Sobol index (SALib) for AI spending growth, care's
relative price and unemployment. Run with ``sim experiments sensitivity``.
"""

from __future__ import annotations

from pathlib import Path

from matplotlib.figure import Figure

from sim.batch.experiments import markdown_table, run_experiment_sweep
from sim.batch.sensitivity import sensitivity_indices


def indices_figure(indices) -> Figure:
    """Total (ST) and first-order (S1) Sobol indices per outcome, with confidence bars."""
    outcomes = list(dict.fromkeys(indices["outcome"]))
    figure = Figure(figsize=(4.0 * len(outcomes), 3.8), layout="constrained")
    for axis, outcome in zip(figure.subplots(1, len(outcomes)), outcomes, strict=True):
        rows = indices[indices["outcome"] == outcome].iloc[::-1]
        axis.barh(rows["parameter"], rows["ST"], xerr=rows["ST_conf"], label="ST", alpha=0.6)
        axis.barh(rows["parameter"], rows["S1"], height=0.4, label="S1")
        axis.set(title=outcome, xlabel="Sobol index")
        axis.tick_params(axis="y", labelsize=7)
    figure.axes[0].legend()
    return figure


def run(out: Path, workers: int | None = None) -> Path:
    """Run the sweep and the analysis; write the figure and README.md under ``out``."""
    runs = run_experiment_sweep("sensitivity", out, workers)
    indices = sensitivity_indices(out / "sweep")
    indices_figure(indices).savefig(out / "sobol_indices.png", dpi=110)
    top = indices.groupby("outcome", sort=False).first()
    findings = "\n".join(
        f"- {outcome}: {row.parameter} (ST {row.ST:.2f} ± {row.ST_conf:.2f}, S1 {row.S1:.2f})"
        for outcome, row in top.iterrows()
    )
    interactions = indices.assign(gap=indices["ST"] - indices["S1"]).groupby("outcome")["gap"].sum()
    text = f"""# Sensitivity: what drives the headline outcomes?

Saltelli design, {len(runs)} runs on a 2,000-worker economy over 120 months; growth
factors are analysed in log10. ST = total index (share of variance the parameter
explains with its interactions), S1 = first-order index; ± is the 95 % half-width.

Most influential parameter per outcome:
{findings}

Sum over parameters of ST − S1 (variance due to interactions):
{", ".join(f"{o}: {v:.2f}" for o, v in interactions.items())}.

![Sobol indices](sobol_indices.png)

{markdown_table(indices.set_index(["outcome", "parameter"]), digits=2)}
"""
    (out / "README.md").write_text(text)
    return out / "README.md"
