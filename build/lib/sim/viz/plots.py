"""The app's seven figures, drawn from a model's reported series and its agents.

Core objects: :data:`FIGURES` (name -> title and drawing function), :func:`draw`,
:func:`jevons_verdict`.

Every figure is a :class:`matplotlib.figure.Figure` (no pyplot) with fonts large
enough to read from the back of a classroom, labelled axes with units, and log
scales where values span orders of magnitude. In compare mode the twin economy is
drawn dashed in the same colours.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure

from sim.agents.workers import UNEMPLOYED
from sim.viz.classroom import ClassroomModel

STYLE = {
    "font.size": 15, "axes.titlesize": 16, "axes.labelsize": 15, "legend.fontsize": 12,
    "xtick.labelsize": 13, "ytick.labelsize": 13, "lines.linewidth": 2.6,
    "axes.grid": True, "grid.alpha": 0.3, "axes.spines.top": False, "axes.spines.right": False,
}  # fmt: skip
"""Matplotlib settings for back-row readability."""

PALETTE = ("#1f77b4", "#9467bd", "#2ca02c", "#d62728", "#ff7f0e", "#8c564b", "#e377c2", "#17becf")
"""Colour of the k-th sector (and tier)."""

UNEMPLOYED_COLOUR = "#d9d9d9"
FIGSIZE = (8.0, 10.0)
TWIN_LINE = {"linestyle": "--", "alpha": 0.75}


@dataclass(frozen=True)
class Run:
    """One economy's series and how to draw it (solid for the preset, dashed for the twin)."""

    frame: pd.DataFrame
    dashed: bool


def _runs(model: ClassroomModel) -> list[Run]:
    runs = [Run(model.results(), dashed=False)]
    if model.twin is not None:
        runs.append(Run(model.twin.results(), dashed=True))
    return runs


def _line(ax: Axes, run: Run, column: str, colour: str, label: str) -> None:
    style = TWIN_LINE if run.dashed else {}
    ax.plot(
        run.frame["year"],
        run.frame[column],
        color=colour,
        label=None if run.dashed else label,
        **style,
    )


def _finish(fig: Figure, model: ClassroomModel) -> Figure:
    if model.twin is not None and model.twin_preset is not None:
        fig.supxlabel(f"dashed: {model.twin_preset.title}", fontsize=12)
    return fig


@contextmanager
def _figure(over_time: bool = True, panels: int = 2) -> Iterator[tuple[Figure, list[Axes]]]:
    """Panels one above the other (two by default) in the app's style; time series get
    a "year" axis."""
    with mpl.rc_context(STYLE):
        fig = Figure(figsize=FIGSIZE, layout="constrained")
        axes = list(fig.subplots(panels, 1))
        if over_time:
            for ax in axes:
                ax.set_xlabel("year")
        yield fig, axes


def _sector_colours(model: ClassroomModel) -> dict[str, str]:
    return {name: PALETTE[k % len(PALETTE)] for k, name in enumerate(model.sector_names)}


def _label(model: ClassroomModel, sector: str) -> str:
    return model.config.sectors[sector].label


def jevons_verdict(frame: pd.DataFrame, tier: str) -> tuple[bool, float, float]:
    """Whether AI spending is above its starting value while the compute price is below
    its own, with the spending multiple and the price fall factor."""
    first, last = frame.iloc[0], frame.iloc[-1]
    spend = last["ai_spend"] / first["ai_spend"]
    price_fall = first[f"compute_price_{tier}"] / last[f"compute_price_{tier}"]
    return bool(spend > 1.0 and price_fall > 1.0), float(spend), float(price_fall)


def ai_deflation(model: ClassroomModel) -> Figure:
    """Compute price by tier; tokens and AI spending relative to the start; Jevons marker."""
    tiers = model.compute_market.tier_names
    with _figure() as (fig, (prices, volumes)):
        for run in _runs(model):
            for k, tier in enumerate(tiers):
                _line(prices, run, f"compute_price_{tier}", PALETTE[k], f"{tier} tier")
            frame = run.frame
            indexed = Run(
                frame.assign(
                    tokens=frame.tokens / frame.tokens.iloc[0],
                    ai_spend=frame.ai_spend / frame.ai_spend.iloc[0],
                ),
                run.dashed,
            )
            _line(volumes, indexed, "tokens", "#17becf", "tokens used")
            _line(volumes, indexed, "ai_spend", "#d62728", "AI spending")
        prices.set(yscale="log", ylabel="$ per million tokens", title="Price of AI compute")
        volumes.set(yscale="log", ylabel="times the month-0 level", title="AI use and AI spending")
        volumes.axhline(1.0, color="black", linewidth=1)
        prices.legend(loc="lower left")
        volumes.legend(loc="upper left")
        holds, spend, fall = jevons_verdict(model.results(), tiers[0])
        verdict = "HOLDS" if holds else "does NOT hold"
        fig.suptitle(
            f"Jevons {verdict}: AI spending x{spend:.3g}\n"
            f"while the {tiers[0]} price fell {fall:.3g}-fold",
            color="#2ca02c" if holds else "#d62728",
            fontsize=17,
            fontweight="bold",
        )
    return _finish(fig, model)


def human_inflation(model: ClassroomModel) -> Figure:
    """Each sector's price relative to the CPI, and hours of median wage per unit."""
    colours = _sector_colours(model)
    with _figure() as (fig, (relative, hours)):
        for run in _runs(model):
            for name, colour in colours.items():
                _line(relative, run, f"relative_price_{name}", colour, _label(model, name))
                _line(hours, run, f"work_hours_{name}", colour, _label(model, name))
        relative.axhline(1.0, color="black", linewidth=1)
        relative.set(ylabel="price / CPI (month 0 = 1)", title="Sector prices against the CPI")
        hours.set(
            ylabel="hours of median wage",
            title="Hours of median wage to buy what\n1 hour of work made at month 0",
        )
        relative.legend(loc="upper left")
    return _finish(fig, model)


def labour(model: ClassroomModel) -> Figure:
    """Mean wage and employment share by sector."""
    colours = _sector_colours(model)
    with _figure() as (fig, (wages, shares)):
        for run in _runs(model):
            percent = {
                f"employment_share_{n}": 100.0 * run.frame[f"employment_share_{n}"] for n in colours
            }
            shown = Run(run.frame.assign(**percent), run.dashed)
            for name, colour in colours.items():
                _line(wages, shown, f"wage_{name}", colour, _label(model, name))
                _line(shares, shown, f"employment_share_{name}", colour, _label(model, name))
        wages.set(ylabel="$ per month", title="Mean wage by sector")
        shares.set(ylabel="% of employed workers", title="Where people work")
        shares.legend(loc="upper left")
    return _finish(fig, model)


def distribution(model: ClassroomModel) -> Figure:
    """Income shares (labour, profits, top 10 %, AI owners) and the Gini; AI providers'
    concentration (HHI)."""
    with _figure() as (fig, (shares, power)):
        for run in _runs(model):
            _line(shares, run, "gini_income", "#9467bd", "income Gini")
            _line(shares, run, "labor_share", "#1f77b4", "labour share of income")
            _line(shares, run, "profit_share", "#ff7f0e", "profit share of income")
            _line(shares, run, "top10_income_share", "#8c564b", "top 10 % of households")
            _line(shares, run, "ai_owner_income_share", "#d62728", "AI providers' owners")
            _line(power, run, "provider_hhi", "#d62728", "HHI of AI providers")
        shares.set(ylim=(0, 1), ylabel="share (0-1)", title="Who gets the income")
        power.set(ylim=(0, 10_500), ylabel="HHI (0-10,000)", title="AI market concentration")
        shares.legend(loc="center left", fontsize=11)
    return _finish(fig, model)


def _note_if_off(ax: Axes, model: ClassroomModel, columns: tuple[str, ...], note: str) -> None:
    """Write ``note`` across the panel when every run's ``columns`` are all zero (the
    part of the model the panel shows is switched off)."""
    if all((run.frame[list(columns)] == 0).all(axis=None) for run in _runs(model)):
        ax.text(0.5, 0.5, note, transform=ax.transAxes, ha="center", va="center",
                fontsize=15, color="#555555")  # fmt: skip


def oversight_sector(model: ClassroomModel) -> str:
    """The sector with the largest average share of oversight workers so far (the
    first sector, usually software, when nobody oversees AI)."""
    frame = model.results()
    means = {name: frame[f"oversight_share_{name}"].mean() for name in model.sector_names}
    best = max(means, key=lambda name: means[name])
    return best if means[best] > 0 else model.sector_names[0]


DECOMPOSITION = (
    ("labour_scale", "#2ca02c", "scale (more output)"),
    ("labour_displacement", "#d62728", "displacement (AI replaces)"),
    ("labour_reinstatement", "#1f77b4", "reinstatement (new oversight work)"),
)
"""Acemoglu-Restrepo parts of a sector's labour change: series prefix, colour, label."""


def _in_log_points(run: Run, sector: str) -> Run:
    """The run with its sector's decomposition (and their sum) in log points (x100)."""
    columns = {f"{prefix}_{sector}": 100.0 * run.frame[f"{prefix}_{sector}"]
               for prefix, _c, _l in DECOMPOSITION}  # fmt: skip
    return Run(run.frame.assign(**columns, labour_total=sum(columns.values())), run.dashed)


def new_work(model: ClassroomModel) -> Figure:
    """Workers overseeing AI, their pay against the average, and the decomposition of
    labour demand in the sector with most oversight (Acemoglu and Restrepo 2019)."""
    sector = oversight_sector(model)
    with _figure(panels=3) as (fig, (staff, pay, parts)):
        for run in _runs(model):
            _line(staff, run, "oversight_employment", "#1f77b4", "workers overseeing AI")
            paid = Run(
                run.frame.assign(oversight_wage=run.frame.oversight_wage.replace(0.0, np.nan)),
                run.dashed,
            )
            _line(pay, paid, "oversight_wage", "#1f77b4", "overseers")
            _line(pay, run, "mean_wage", "#7f7f7f", "all employed")
            shown = _in_log_points(run, sector)
            for prefix, colour, label in DECOMPOSITION:
                _line(parts, shown, f"{prefix}_{sector}", colour, label)
            _line(parts, shown, "labour_total", "black", "total change")
        staff.set(ylabel="workers", title="New work: people overseeing AI")
        _note_if_off(staff, model, ("oversight_employment",),
                     "AI needs no oversight:\nmove the oversight slider, press Reset")  # fmt: skip
        pay.set(ylabel="$ per month", title="Mean pay")
        parts.set(ylabel="log points since month 0",
                  title=f"Labour demand in {_label(model, sector)}: three forces")  # fmt: skip
        parts.axhline(0.0, color="black", linewidth=1)
        pay.legend(loc="upper left")
        parts.legend(loc="lower left", fontsize=11)
    return _finish(fig, model)


def policy(model: ClassroomModel) -> Figure:
    """The government's revenue (and the compute tax's part), spending, and account."""
    with _figure() as (fig, (flows, account)):
        for run in _runs(model):
            thousands = {
                name: run.frame[name] / 1_000.0
                for name in ("government_revenue", "compute_tax_revenue",
                             "government_spending", "government_balance")
            }  # fmt: skip
            shown = Run(run.frame.assign(**thousands), run.dashed)
            _line(flows, shown, "government_revenue", "#2ca02c", "all taxes")
            _line(flows, shown, "compute_tax_revenue", "#17becf", "compute tax")
            _line(flows, shown, "government_spending", "#d62728", "transfers and training")
            _line(account, shown, "government_balance", "#9467bd", "government account")
        flows.set(ylabel="$ thousand per month", title="Government: revenue and spending")
        _note_if_off(flows, model, ("government_revenue", "government_spending"),
                     "No tax or subsidy is on:\nmove a policy slider, press Reset")  # fmt: skip
        account.set(ylabel="$ thousand", title="Government account (below 0: debt)")
        account.axhline(0.0, color="black", linewidth=1)
        flows.legend(loc="upper left")
    return _finish(fig, model)


def agents(model: ClassroomModel) -> Figure:
    """A fixed sample of workers coloured by sector (grey: unemployed), and every firm's
    AI cost share against its size."""
    colours = _sector_colours(model)
    names = list(colours)
    cmap = ListedColormap([*colours.values(), UNEMPLOYED_COLOUR])
    sample = model.worker_sample
    code = np.where(
        model.workers.employer[sample] == UNEMPLOYED, len(names), model.workers.sector[sample]
    )
    side = int(np.ceil(np.sqrt(sample.size)))
    grid = np.full(side * side, np.nan)
    grid[: sample.size] = code
    firms = model.firms
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(
            firms.compute_bill + firms.wage_bill > 0,
            firms.compute_bill / (firms.compute_bill + firms.wage_bill), np.nan,
        )  # fmt: skip
    with _figure(over_time=False) as (fig, (people, firm_ax)):
        people.imshow(grid.reshape(side, side), cmap=cmap, vmin=-0.5, vmax=len(names) + 0.5)
        people.set(
            xticks=[], yticks=[], title=f"{sample.size} workers: colour = sector, grey = no job"
        )
        people.grid(False)
        for k, name in enumerate(names):
            mine = firms.sector == k
            firm_ax.scatter(
                firms.headcount[mine],
                100.0 * np.maximum(share[mine], 1e-4),
                s=90,
                color=colours[name],
                label=_label(model, name),
                alpha=0.85,
            )
        firm_ax.set(
            yscale="log",
            xlabel="workers employed by the firm",
            ylabel="AI share of costs (%)",
            title="Firms: AI cost share against size",
        )
        firm_ax.legend(loc="lower right", fontsize=11)
    return _finish(fig, model)


FIGURES: dict[str, tuple[str, Callable[[ClassroomModel], Figure]]] = {
    "ai_deflation": ("1. AI deflation", ai_deflation),
    "human_inflation": ("2. Human inflation", human_inflation),
    "labour": ("3. Wages and employment", labour),
    "distribution": ("4. Distribution and power", distribution),
    "agents": ("5. The agents", agents),
    "new_work": ("6. New work", new_work),
    "policy": ("7. Policy", policy),
}
"""Every figure of the app: key -> (title, drawing function)."""


def draw(name: str, model: ClassroomModel) -> Figure:
    """Draw one figure of :data:`FIGURES` for the model's current state."""
    return FIGURES[name][1](model)
