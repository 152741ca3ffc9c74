"""What ``sim run`` prints and draws: a start-and-end table and the standard figures.

Core objects: :func:`summary_table`, :func:`save_figures`, :func:`write_results`,
:func:`check_output_directory`.
Figures are drawn on :class:`matplotlib.figure.Figure` directly (no pyplot state),
so they work headless and in threads.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure

from sim.scenario import Scenario, ScenarioError

FIGURE_DPI = 120


def summary_table(frame: pd.DataFrame, scenario: Scenario) -> pd.DataFrame:
    """Start and end values of the headline series, with their ratio."""
    rows: list[tuple[str, str]] = [
        (f"compute price, {tier} ($/M tokens)", f"compute_price_{tier}")
        for tier in scenario.compute.tiers
    ]
    rows += [
        ("tokens used (M tokens / month)", "tokens"),
        ("tokens of the newest models (M / month)", "tokens_bought"),
        ("AI spending ($ / month)", "ai_spend"),
        ("energy price (index)", "energy_price"),
        ("CPI (index)", "cpi"),
        ("unemployment rate", "unemployment_rate"),
        ("labour share", "labor_share"),
    ]
    for name, sector in scenario.sectors.items():
        rows.append((f"price relative to CPI, {sector.label}", f"relative_price_{name}"))
    for name, sector in scenario.sectors.items():
        rows.append((f"mean wage, {sector.label} ($ / month)", f"wage_{name}"))
    for name, sector in scenario.sectors.items():
        rows.append((f"employment share, {sector.label}", f"employment_share_{name}"))
    first, last = frame.iloc[0], frame.iloc[-1]
    table = pd.DataFrame(
        {
            "series": [label for label, _ in rows],
            "start": [first[col] for _, col in rows],
            "end": [last[col] for _, col in rows],
        }
    )
    table["end / start"] = table["end"] / table["start"].where(table["start"] != 0)
    return table.set_index("series")


def format_table(table: pd.DataFrame) -> str:
    """The summary table as aligned text with 4 significant digits."""
    return table.to_string(float_format=lambda v: f"{v:,.4g}")


def _sector_plot(ax, frame: pd.DataFrame, scenario: Scenario, prefix: str) -> None:
    for name, sector in scenario.sectors.items():
        ax.plot(frame["year"], frame[f"{prefix}_{name}"], label=sector.label, lw=2)


def save_figures(frame: pd.DataFrame, scenario: Scenario, directory: Path) -> list[Path]:
    """Write the standard figures as PNG files; returns their paths."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = []

    fig = Figure(figsize=(11, 4.5), dpi=FIGURE_DPI, layout="constrained")
    left, right = fig.subplots(1, 2)
    for tier in scenario.compute.tiers:
        (line,) = left.plot(
            frame["year"], frame[f"compute_price_{tier}"], label=f"{tier}, fixed capability", lw=2
        )
        left.plot(
            frame["year"], frame[f"token_price_bought_{tier}"], label=f"{tier}, newest model",
            lw=1.5, ls="--", color=line.get_color(),
        )  # fmt: skip
    left.set_yscale("log")
    left.set(title="AI deflation: price of compute", xlabel="year", ylabel="$ per million tokens")
    left.legend(fontsize="small")
    for series, label in (
        ("tokens", "tokens, fixed capability"),
        ("tokens_bought", "tokens, newest models"),
    ):
        right.plot(frame["year"], frame[series] / frame[series].iloc[0], label=label, lw=2)
    right.plot(
        frame["year"], frame["ai_spend"] / frame["ai_spend"].iloc[0], label="AI spending", lw=2
    )
    right.set_yscale("log")
    right.set(title="Jevons: use and spending (step 0 = 1)", xlabel="year", ylabel="index (log)")
    right.legend()
    paths.append(directory / "ai_deflation.png")
    fig.savefig(paths[-1])

    fig = Figure(figsize=(11, 4.5), dpi=FIGURE_DPI, layout="constrained")
    left, right = fig.subplots(1, 2)
    _sector_plot(left, frame, scenario, "relative_price")
    left.axhline(1.0, color="grey", lw=1, ls="--")
    left.set(title="Human inflation: price relative to CPI", xlabel="year", ylabel="price / CPI")
    _sector_plot(right, frame, scenario, "employment_share")
    right.set(title="Where people work", xlabel="year", ylabel="share of employment")
    # One legend for both panels, below them, so that it covers no line.
    fig.legend(*right.get_legend_handles_labels(), loc="outside lower center", ncols=5)
    paths.append(directory / "human_inflation.png")
    fig.savefig(paths[-1])

    fig = Figure(figsize=(11, 4.5), dpi=FIGURE_DPI, layout="constrained")
    left, right = fig.subplots(1, 2)
    _sector_plot(left, frame, scenario, "wage")
    left.set(title="Mean wage by sector", xlabel="year", ylabel="$ per month")
    left.legend(loc="upper left")  # wages rise from the lower left
    right.plot(frame["year"], frame["unemployment_rate"], label="unemployment rate", lw=2)
    right.plot(frame["year"], frame["labor_share"], label="labour share", lw=2)
    right.plot(frame["year"], frame["gini_income"], label="income Gini", lw=2)
    right.set(title="Jobs and distribution", xlabel="year", ylabel="share")
    right.legend()
    paths.append(directory / "wages_and_distribution.png")
    fig.savefig(paths[-1])
    return paths


def write_results(frame: pd.DataFrame, directory: Path) -> list[Path]:
    """Write the per-step series as Parquet and CSV (atomically: temp file, then rename)."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, writer in (("steps.parquet", frame.to_parquet), ("steps.csv", frame.to_csv)):
        path = directory / name
        temporary = path.with_suffix(path.suffix + ".tmp")
        try:
            writer(temporary, index=False)
            temporary.replace(path)
        finally:
            temporary.unlink(missing_ok=True)  # none survives an error or Ctrl-C
        paths.append(path)
    return paths


def check_output_directory(directory: Path, flag: str = "--out") -> None:
    """Refuse an output directory that cannot be written, before anything is computed.

    ``directory`` may not exist yet: its nearest existing ancestor must then be a
    writable directory. Writability is tested by creating and removing a hidden
    temporary file (permission bits alone do not tell, e.g. for root or a read-only
    mount); nothing else is created.

    Raises:
        ScenarioError: naming the flag, the path and the reason.
    """
    directory = Path(directory)
    existing = directory
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        what = "is" if existing == directory else f"is under {existing}, which is"
        raise ScenarioError(f"{flag} {directory}: {what} a file, not a directory")
    try:
        handle, probe = tempfile.mkstemp(prefix=".sim-write-test-", dir=existing)
        os.close(handle)
        os.unlink(probe)
    except OSError as error:
        raise ScenarioError(
            f"{flag} {directory}: cannot write in {existing}: {error.strerror}; "
            "choose a writable directory"
        ) from None
