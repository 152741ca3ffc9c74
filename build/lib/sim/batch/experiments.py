"""Experiments: one script per question in ``experiments/``, run by ``sim experiments``.

Core objects: :func:`run_experiments`, :func:`run_experiment_sweep`,
:func:`heatmap`, :func:`markdown_table`.

Each script ``experiments/NAME.py`` defines ``run(out: Path, workers: int | None) ->
Path``: it runs a sweep through :func:`run_experiment_sweep`, writes figures and a
Markdown summary (``out/README.md``, numbers computed from the results) and returns
the summary's path. Output goes to ``out/experiments/NAME/``.
"""

from __future__ import annotations

import importlib.util
import shutil
from collections.abc import Mapping
from pathlib import Path
from types import ModuleType
from typing import Any

import pandas as pd
from matplotlib.figure import Figure

from sim.batch.design import plan_from_file
from sim.batch.runner import run_sweep

REPO_ROOT = Path(__file__).resolve().parents[2]
EXPERIMENTS_DIR = REPO_ROOT / "experiments"
SCENARIOS_DIR = REPO_ROOT / "scenarios"
OUT_ROOT = Path("out") / "experiments"

SMALL_ECONOMY = {"population.workers": 2000, "population.firms": 60}
"""Experiments use a 2,000-worker economy so each takes a couple of minutes on 2 cores."""


def run_experiment_sweep(
    scenario: str,
    out: Path,
    workers: int | None,
    overrides: Mapping[str, Any] | None = None,
) -> pd.DataFrame:
    """Run ``scenarios/SCENARIO.toml``'s sweep afresh on the small economy; return
    runs.parquet. Earlier results in ``out/sweep`` are replaced."""
    target = Path(out) / "sweep"
    shutil.rmtree(target, ignore_errors=True)
    plan = plan_from_file(
        SCENARIOS_DIR / f"{scenario}.toml", {**SMALL_ECONOMY, **(overrides or {})}
    )
    outcome = run_sweep(plan, target, workers)
    if outcome.failed:
        raise RuntimeError(f"{outcome.failed} runs of {scenario} failed; see {target}/runs.parquet")
    return outcome.runs


def heatmap(table: pd.DataFrame, title: str, label: str) -> Figure:
    """A pivot table (rows × columns of two varied parameters) as a coloured grid with
    each cell's value written in it."""
    figure = Figure(figsize=(5.5, 4.5), layout="constrained")
    axis = figure.subplots()
    image = axis.imshow(table.to_numpy(), origin="lower", aspect="auto", cmap="viridis")
    axis.set_xticks(range(len(table.columns)), [f"{v:g}" for v in table.columns])
    axis.set_yticks(range(len(table.index)), [f"{v:g}" for v in table.index])
    axis.set(xlabel=table.columns.name, ylabel=table.index.name, title=title)
    for (row, column), value in pd.DataFrame(table.to_numpy()).stack().items():
        axis.text(column, row, f"{value:.3g}", ha="center", va="center", color="white", size=8)
    figure.colorbar(image, ax=axis, label=label)
    return figure


def markdown_table(frame: pd.DataFrame, digits: int = 3) -> str:
    """A frame as a GitHub Markdown table (index included)."""
    corner = " \\ ".join(str(n) for n in (frame.index.name, frame.columns.name) if n)
    frame = frame.reset_index()
    cells = [[f"{v:.{digits}g}" if isinstance(v, float) else str(v) for v in row]
             for row in frame.itertuples(index=False)]  # fmt: skip
    header = [corner or str(frame.columns[0]), *map(str, frame.columns[1:])]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in cells])


def available() -> list[str]:
    """Names of the experiment scripts."""
    return sorted(p.stem for p in EXPERIMENTS_DIR.glob("*.py") if not p.stem.startswith("_"))


def _load(name: str) -> ModuleType:
    path = EXPERIMENTS_DIR / f"{name}.py"
    if not path.exists():
        raise SystemExit(f"no experiment {name!r}; available: {', '.join(available())}")
    spec = importlib.util.spec_from_file_location(f"experiments.{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run_experiments(names: list[str] | None = None, workers: int | None = None) -> list[Path]:
    """Run the named experiments (default: all); return the summaries written."""
    return [_load(name).run(OUT_ROOT / name, workers) for name in names or available()]
