"""Tables and figures of a finished sweep.

Core objects: :func:`format_plan` (the ``--dry-run`` listing), :func:`outcome_table`,
:func:`outcome_figure`, :func:`paths_figure`, :func:`summarize_sweep`.

Figures are :class:`matplotlib.figure.Figure` objects (no pyplot state), saved as
PNG under ``DIR/figures``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure

from sim.batch import store
from sim.batch.design import SweepPlan
from sim.batch.manifest import read_manifest

KEY_OUTCOMES = (
    "ai_spend_growth", "tokens_growth", "compute_price_change", "care_relative_price",
    "care_employment_share", "unemployment_rate", "real_gdp_growth", "provider_hhi",
)  # fmt: skip
"""Summary outcomes shown in tables and figures (see ``sim.run.summarize_run``)."""

PATH_SERIES = ("ai_spend", "tokens", "relative_price_care", "unemployment_rate")
"""Monthly series drawn with bands across runs, when present."""

BAND = (0.1, 0.9)
"""Quantiles of the shaded band across replicates (10–90 %)."""

MAX_BANDS = 6
"""Points drawn as separate bands; above this, one band across all runs."""

MAX_TABLE_ROWS = 40


def format_plan(plan: SweepPlan, max_rows: int) -> str:
    """The runs of a plan as a table (cut after ``max_rows``) and their count."""
    rows = [
        {"run_id": t.run_id, "point": t.point, "replicate": t.replicate, "seed": t.seed}
        | t.parameters
        for t in (plan.task(i) for i in range(min(plan.n_runs, max_rows)))
    ]
    table = pd.DataFrame(rows).to_string(index=False)
    more = f"\n... and {plan.n_runs - max_rows} more" if plan.n_runs > max_rows else ""
    return (
        f"{table}{more}\n\n{plan.n_runs} runs = {len(plan.points)} points × "
        f"{plan.spec.replicates} replicates (design {plan.spec.design!r}, master seed "
        f"{plan.spec.seed})"
    )


def varied_parameters(out: Path) -> list[str]:
    """Dotted keys of the parameters the sweep in ``out`` varied."""
    return list(read_manifest(out)["sweep"]["parameters"])


def outcome_table(runs: pd.DataFrame, parameters: list[str]) -> pd.DataFrame:
    """Mean and standard deviation of each key outcome across replicates, by point.

    Failed runs are left out; ``runs_ok`` counts the replicates that remain.
    """
    ok = runs[runs["status"] == "ok"]
    outcomes = [name for name in KEY_OUTCOMES if name in ok]
    grouped = ok.groupby(["point", *parameters], dropna=False)[outcomes]
    table = grouped.agg(["mean", "std"])
    table.columns = [f"{name} {stat}" for name, stat in table.columns]
    table.insert(0, "runs_ok", grouped.size())
    return table.reset_index()


def outcome_figure(runs: pd.DataFrame, parameter: str, outcomes: list[str]) -> Figure:
    """Each outcome against one varied parameter: every run as a dot, the mean per
    value of the parameter as a line (for grids)."""
    ok = runs[runs["status"] == "ok"]
    figure = Figure(figsize=(3.2 * len(outcomes), 3.0), layout="constrained")
    for axis, outcome in zip(
        figure.subplots(1, len(outcomes), squeeze=False)[0], outcomes, strict=True
    ):
        axis.scatter(ok[parameter], ok[outcome], s=8, alpha=0.4)
        means = ok.groupby(parameter)[outcome].mean()
        if len(means) <= MAX_TABLE_ROWS:
            axis.plot(means.index, means.to_numpy(), color="black", linewidth=1)
        axis.set(xlabel=parameter, title=outcome)
        if outcome.endswith("_growth") or outcome == "compute_price_change":
            axis.set_yscale("log")
    return figure


def paths_figure(steps: pd.DataFrame, runs: pd.DataFrame, series: str) -> Figure:
    """A monthly series: median and 10–90 % band across runs, per point when few."""
    merged = steps.merge(runs[["run_id", "point"]], on="run_id")
    if merged["point"].nunique() > MAX_BANDS:
        merged["point"] = "all runs"
    figure = Figure(figsize=(6.0, 3.5), layout="constrained")
    axis = figure.subplots()
    for point, group in merged.groupby("point"):
        by_step = group.groupby("step")[series]
        low, mid, high = (by_step.quantile(q) for q in (BAND[0], 0.5, BAND[1]))
        label = point if isinstance(point, str) else f"point {point}"
        axis.plot(mid.index, mid.to_numpy(), label=label)
        axis.fill_between(mid.index, low.to_numpy(), high.to_numpy(), alpha=0.2)
    axis.set(xlabel="month", title=f"{series} (median, {BAND[0]:.0%}–{BAND[1]:.0%} band)")
    if series in ("ai_spend", "tokens"):
        axis.set_yscale("log")
    axis.legend(fontsize="small")
    return figure


def save_figures(out: Path, runs: pd.DataFrame, parameters: list[str]) -> list[Path]:
    """Write every sweep figure as PNG under ``out/figures``; return their paths."""
    folder = Path(out) / "figures"
    folder.mkdir(parents=True, exist_ok=True)
    outcomes = [name for name in KEY_OUTCOMES if name in runs]
    written = []
    for parameter in parameters:
        name = folder / f"outcomes_by_{parameter.replace('*', 'all')}.png"
        outcome_figure(runs, parameter, outcomes).savefig(name, dpi=100)
        written.append(name)
    ok_ids = runs.loc[runs["status"] == "ok", "run_id"]
    if ok_ids.empty:
        return written
    available = set(pd.read_parquet(store.steps_path(out, int(ok_ids.iloc[0]))).columns)
    series = [name for name in PATH_SERIES if name in available]
    steps = store.read_steps(out, ["step", *series], ok_ids)
    for name in series:
        path = folder / f"paths_{name}.png"
        paths_figure(steps, runs, name).savefig(path, dpi=100)
        written.append(path)
    return written


def summarize_sweep(out: Path) -> str:
    """The outcome table of the sweep in ``out`` (also written to ``summary.csv``) and
    its figures; returns the text to print."""
    out = Path(out)
    parameters = varied_parameters(out)
    runs = store.read_runs(out)
    table = outcome_table(runs, parameters)
    table.to_csv(out / "summary.csv", index=False)
    written = save_figures(out, runs, parameters)
    failed = int((runs["status"] != "ok").sum())
    shown = table.head(MAX_TABLE_ROWS).to_string(index=False, float_format=lambda v: f"{v:.4g}")
    more = (
        f"\n... {len(table) - MAX_TABLE_ROWS} more points in summary.csv"
        if len(table) > MAX_TABLE_ROWS
        else ""
    )
    listed = "\n  ".join(str(p) for p in [out / "summary.csv", *written])
    return (
        f"{len(runs)} runs ({failed} failed), {len(table)} points; mean and std across "
        f"replicates:\n{shown}{more}\n\nwritten:\n  {listed}"
    )
