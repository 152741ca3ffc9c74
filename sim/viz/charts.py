"""The app's charts: Vega-Lite specifications drawn in the browser, and their data.

Core objects: :class:`Series`, :class:`Panel`, :data:`PANELS`, :data:`VIEWS`,
:func:`panel_spec`, :func:`screen_spec`, :func:`panel_rows`,
:func:`export_spec`.

Each panel is one Vega-Lite chart whose specification is built once (with Altair) and
whose data, a table named ``table`` with columns :data:`COLUMNS`, grows by one month
of rows per redraw: the browser draws, the server only sends numbers. Time runs on a
fixed axis from year 0 to the end of the run, so nothing rescales while the run plays.

Every series has a colour from the Okabe-Ito palette (distinguishable under the common
colour-vision deficiencies; Okabe and Ito 2008, "Color Universal Design") and a marker
shape of its own at every whole year; the compared economy is dashed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from sim.agents.workers import UNEMPLOYED
from sim.model import EconomyModel
from sim.viz.classroom import ClassroomModel

PALETTE = (
    "#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000", "#999999",
)  # fmt: skip
"""Okabe-Ito colours (yellow left out: too pale on white), one per series."""

SHAPES = (
    "circle", "square", "triangle-up", "diamond", "cross", "triangle-down", "triangle-right",
    "triangle-left",
)  # fmt: skip
"""The second cue: marker shape of the k-th series, drawn at every whole year."""

NO_JOB_COLOUR = "#BBBBBB"
THIS_ECONOMY = "this economy"
COLUMNS = ("i", "x", "v", "s", "r")
"""Columns of a chart's table: month, x value, y value, series label, economy label."""

FONT = 16
"""Smallest text in a chart, in CSS pixels (tick labels, legend)."""

LEGEND_LABEL_PIXELS = 150
"""Longest legend label drawn in full (two columns of legend fit a chart a quarter of a
1024-pixel screen); labels are kept under 20 characters."""

TITLE_PIXELS = 300
"""Longest chart title drawn in full: a chart of a two-column grid on a 1024-pixel screen
is 305 pixels wide inside its padding. A title wider than the chart would squeeze the
plot a little more at every redraw (autosize "fit" takes the overhang of the title past
the plot from the plot's width, then the title overhangs further), so titles are kept
shorter and a longer one is cut with an ellipsis."""

_SUPERSCRIPTS = dict(zip("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹", strict=True))


def _power_of_ten_label() -> str:
    """A Vega expression for log-axis labels: whole powers of ten only, as plain numbers
    from 0.001 to 1000 and as 10⁹ or 10⁻⁷ beyond, so that no label is longer than six
    characters; the ticks between them stay unlabelled."""
    power = "log(datum.value) / LN10"
    exponent = f"'' + round({power})"
    for plain, superscript in _SUPERSCRIPTS.items():
        exponent = f"replace({exponent}, regexp('{plain}', 'g'), '{superscript}')"
    return (
        f"abs({power} - round({power})) > 1e-6 ? '' : "
        "datum.value >= 0.001 && datum.value <= 1000 ? format(datum.value, '~g') : "
        f"'10' + {exponent}"
    )


MONTHS_PER_YEAR = 12


@dataclass(frozen=True)
class Series:
    """One line of a panel.

    Attributes:
        label: legend text.
        column: the reported series (a column of ``model.results()``).
        scale: factor applied to every value (100 for per cent, 0.001 for thousands).
        indexed: divide by the month-0 value, so the line starts at exactly 1.
    """

    label: str
    column: str
    scale: float = 1.0
    indexed: bool = False


@dataclass(frozen=True)
class Panel:
    """One chart: a title, a y axis and its series.

    Attributes:
        key: name used in the page and in exported file names.
        title: chart title (``{sector}`` stands for the sector with most oversight).
        y_title: y-axis title with its unit.
        series: the lines to draw for a given model (sectors and tiers vary by scenario).
        log: logarithmic y axis (values that span orders of magnitude).
        rule: a horizontal reference line (1 for indices, 0 for balances), if any.
        domain: fixed y range, if any (shares 0-1, HHI 0-10,000).
        average: months of the trailing moving average drawn (1 = the monthly values).
    """

    key: str
    title: str
    y_title: str
    series: Callable[[EconomyModel], tuple[Series, ...]]
    log: bool = False
    rule: float | None = None
    domain: tuple[float, float] | None = None
    average: int = 1


def _sector_label(model: EconomyModel, name: str) -> str:
    """The sector's label up to its first space or '&' ("Software & media" -> "Software"),
    so that legends fit a chart a quarter of a projector wide."""
    return model.config.sectors[name].label.replace("&", " ").split()[0]


def _per_sector(prefix: str, scale: float = 1.0, indexed: bool = False):
    def series(model: EconomyModel) -> tuple[Series, ...]:
        return tuple(
            Series(_sector_label(model, n), f"{prefix}_{n}", scale, indexed)
            for n in model.sector_names
        )

    return series


def _fixed(*items: Series):
    return lambda _model: items


def _tiers(model: EconomyModel) -> tuple[Series, ...]:
    return tuple(
        Series(f"{tier} tier", f"compute_price_{tier}") for tier in model.compute_market.tier_names
    )


def oversight_sector(model: EconomyModel) -> str:
    """The sector whose firms need most oversight work per token (the first sector
    when no sector needs any); its labour demand is split into three forces."""
    needs = {n: model.config.sectors[n].oversight_per_token for n in model.sector_names}
    best = max(needs, key=lambda n: needs[n])
    return best if needs[best] > 0 else model.sector_names[0]


def _forces(model: EconomyModel) -> tuple[Series, ...]:
    sector = oversight_sector(model)
    return (
        Series("scale", f"labour_scale_{sector}", 100.0),
        Series("displacement", f"labour_displacement_{sector}", 100.0),
        Series("reinstatement", f"labour_reinstatement_{sector}", 100.0),
    )


PANELS: dict[str, Panel] = {
    p.key: p
    for p in (
        Panel("compute_price", "Price of AI compute", "$ per million tokens", _tiers, log=True),
        Panel(
            "ai_use", "AI use and AI spending", "times the month-0 level",
            _fixed(Series("tokens used", "tokens", indexed=True),
                   Series("tokens (newest)", "tokens_bought", indexed=True),
                   Series("AI spending", "ai_spend", indexed=True)),
            log=True, rule=1.0,
        ),
        Panel(
            "relative_price", "Sector prices against the CPI", "price / CPI (month 0 = 1)",
            _per_sector("relative_price", indexed=True), rule=1.0,
        ),
        Panel(
            "work_hours", "Work-time price of each sector",
            "hours of median wage (month 0 = 1)", _per_sector("work_hours", indexed=True), rule=1.0,
        ),
        Panel("wages", "Mean wage by sector", "$ per month", _per_sector("wage")),
        Panel(
            "employment", "Where people work", "% of employed workers",
            _per_sector("employment_share", 100.0),
        ),
        Panel(
            "income", "Who gets the income", "share of income (0-1)",
            _fixed(Series("labour", "labor_share"), Series("profits", "profit_share"),
                   Series("top 10 %", "top10_income_share"),
                   Series("AI owners", "ai_owner_income_share"),
                   Series("Gini of income", "gini_income")),
            domain=(0.0, 1.0),
        ),
        Panel(
            "concentration", "AI market concentration", "HHI (10,000 = one provider)",
            _fixed(Series("HHI of AI providers", "provider_hhi")), domain=(0.0, 10_000.0),
        ),
        Panel(
            "oversight_staff", "New work: people overseeing AI", "workers",
            _fixed(Series("overseeing AI", "oversight_employment")),
        ),
        Panel(
            "oversight_pay", "Mean pay", "$ per month",
            _fixed(Series("overseers", "oversight_wage"), Series("all employed", "mean_wage")),
        ),
        Panel(
            "forces", "Labour in {sector}: three forces",
            "log points since month 0", _forces, rule=0.0,
        ),
        Panel(
            "government_flows", "Government revenue and spending",
            "$ thousand per month (12-month mean)",
            _fixed(Series("all taxes", "government_revenue", 0.001),
                   Series("compute tax", "compute_tax_revenue", 0.001),
                   Series("transfers, training", "government_spending", 0.001)),
            average=12,
        ),
        Panel(
            "government_account", "Government account (below 0: debt)", "$ thousand",
            _fixed(Series("government account", "government_balance", 0.001)), rule=0.0,
        ),
    )
}  # fmt: skip
"""Every time-series panel of the app."""

AGENT_PANELS = ("workers", "firms")
"""The agents view's two panels (snapshots, not time series)."""

VIEWS: dict[str, tuple[str, ...]] = {
    "AI deflation, human inflation": ("compute_price", "ai_use", "relative_price", "work_hours"),
    "Wages, distribution, power": ("wages", "employment", "income", "concentration"),
    "New work": ("oversight_staff", "oversight_pay", "forces"),
    "Policy": ("government_flows", "government_account"),
    "The agents": AGENT_PANELS,
}
"""Views of the main area: the panels each shows."""


def compared_label(model: ClassroomModel) -> str:
    """Legend text of the compared (dashed) economy."""
    return f"compared: {model.twin_preset.title}" if model.twin_preset else ""


def _runs(model: ClassroomModel) -> list[tuple[str, dict[str, list], int]]:
    """(economy label, reported series, months to show) of each economy drawn."""
    runs = [(THIS_ECONOMY, model.datacollector.model_vars, months_recorded(model))]
    if model.twin is not None:
        runs.append((compared_label(model), model.twin.values, model.twin.months))
    return runs


def months_recorded(model: ClassroomModel) -> int:
    """Months with reported values, month 0 included."""
    return len(model.datacollector.model_vars["year"])


SIGNIFICANT_DIGITS = 6
"""Digits sent to the browser: more than a chart can show, and an indexed series that
sits at 1 up to rounding (1 - 1e-16) then draws a flat line at 1, not an axis from
0.99999999999999989 to 1.00000000000000000."""


def _shown(value: float) -> float:
    return float(f"{value:.{SIGNIFICANT_DIGITS}g}")


def panel_rows(panel: Panel, model: ClassroomModel, first: int = 0) -> list[list[Any]]:
    """The panel's rows from month ``first`` on: ``[month, year, value, series, economy]``
    for each month, series and economy. Indexed series are divided by their month-0
    value; values are rounded to :data:`SIGNIFICANT_DIGITS` digits; values that are not
    finite are left out."""
    rows: list[list[Any]] = []
    for run, values, months in _runs(model):
        years = values["year"]
        for series in panel.series(model):
            column = values.get(series.column)
            if column is None:
                continue
            base = column[0] if series.indexed else 1.0
            if series.indexed and not base:
                continue
            factor = series.scale / base
            for i in range(first, min(len(column), months)):
                value = float(column[i]) * factor
                if np.isfinite(value):
                    rows.append([i, float(years[i]), _shown(value), series.label, run])
    return rows


def agent_rows(panel: str, model: ClassroomModel) -> list[list[Any]]:
    """The agents view now: ``workers`` places the app's fixed sample of workers on a
    grid by sector ("no job" when unemployed); ``firms`` is every firm's size against
    its AI share of costs (per cent)."""
    labels = [_sector_label(model, n) for n in model.sector_names]
    if panel == "workers":
        sample = model.worker_sample
        side = int(np.ceil(np.sqrt(sample.size)))
        jobless = model.workers.employer[sample] == UNEMPLOYED
        sector = model.workers.sector[sample]
        return [
            [0, float(k % side), float(k // side),
             "no job" if jobless[k] else labels[sector[k]], THIS_ECONOMY]
            for k in range(sample.size)
        ]  # fmt: skip
    firms = model.firms
    cost = firms.compute_bill + firms.wage_bill
    share = np.divide(100.0 * firms.compute_bill, cost, out=np.zeros_like(cost), where=cost > 0)
    return [
        [0, float(firms.headcount[k]), max(float(share[k]), 0.01), labels[firms.sector[k]],
         THIS_ECONOMY]
        for k in range(len(firms.sector))
    ]  # fmt: skip


def _config(chart):
    return (
        chart.configure_axis(labelFontSize=FONT, titleFontSize=FONT, titleFontWeight="normal")
        .configure_legend(
            labelFontSize=FONT,
            titleFontSize=FONT,
            symbolSize=150,
            symbolStrokeWidth=3,
            orient="top",
            direction="horizontal",
            columns=2,
            labelLimit=LEGEND_LABEL_PIXELS,
            title=None,
        )
        .configure_title(fontSize=FONT + 2, anchor="start", limit=TITLE_PIXELS)
        .configure_view(stroke=None)
    )


def _legend_scales(labels: list[str], extra: tuple[str, ...] = ()) -> tuple[dict, dict]:
    names = [*labels, *extra]
    colours = [*PALETTE[: len(labels)], *[NO_JOB_COLOUR] * len(extra)]
    shapes = [SHAPES[k % len(SHAPES)] for k in range(len(names))]
    return {"domain": names, "range": colours}, {"domain": names, "range": shapes}


def panel_spec(
    key: str, model: ClassroomModel, size: tuple[int, int] | None = None, validate: bool = False
) -> dict:
    """The Vega-Lite specification of a panel for this model's sectors, run length and
    comparison, without data (the table ``table`` is streamed in). ``size`` (width,
    height in pixels) fixes the size for export; by default the chart fills its box.
    ``validate`` checks it against the Vega-Lite schema (slow; the tests do)."""
    import altair as alt

    data = alt.Data(name="table")
    if key in AGENT_PANELS:
        chart = _agents_chart(key, model, data)
    else:
        chart = _series_chart(PANELS[key], model, data, dash_legend=size is not None)
    width, height = size if size else ("container", "container")
    spec = _config(chart.properties(width=width, height=height)).to_dict(validate=validate)
    spec["autosize"] = {"type": "fit", "contains": "padding", "resize": True}
    return spec


_SCREEN_SPECS: dict[tuple, dict] = {}
"""Specifications already built, shared by every session of the server (read-only)."""

_MOST_SPECS = 512


def screen_spec(key: str, model: ClassroomModel) -> dict:
    """:func:`panel_spec` as on screen, built once per server for each distinct chart
    (building one takes about a tenth of a second; a class opens the same few)."""
    signature = (
        key, tuple((n, _sector_label(model, n)) for n in model.sector_names),
        tuple(model.compute_market.tier_names), oversight_sector(model),
        compared_label(model), model.config.run.steps, model.worker_sample.size,
    )  # fmt: skip
    spec = _SCREEN_SPECS.get(signature)
    if spec is None:
        if len(_SCREEN_SPECS) >= _MOST_SPECS:
            _SCREEN_SPECS.clear()
        spec = _SCREEN_SPECS[signature] = panel_spec(key, model)
    return spec


def _series_chart(panel: Panel, model: ClassroomModel, data, dash_legend: bool):
    """Lines (dashed for the compared economy) with a marker at every whole year. On
    screen the page says once which economy is dashed; an exported chart says it in a
    legend of its own."""
    import altair as alt

    labels = [s.label for s in panel.series(model)]
    runs = [THIS_ECONOMY] + ([compared_label(model)] if model.twin is not None else [])
    colour, shape = _legend_scales(labels)
    years = model.config.run.steps / MONTHS_PER_YEAR
    base = alt.Chart(data)
    if panel.log:
        base = base.transform_filter("datum.v > 0")
    if panel.average > 1:
        base = base.transform_window(
            y="mean(v)", frame=[1 - panel.average, 0], groupby=["s", "r"], sort=[{"field": "i"}]
        )
    else:
        base = base.transform_calculate(y="datum.v")
    y_scale = alt.Scale(type="log" if panel.log else "linear", zero=False)
    if panel.domain is not None:
        y_scale = alt.Scale(domain=list(panel.domain))
    whole_years = list(range(int(years) + 1))
    x = alt.X(
        "x:Q", title="year", scale=alt.Scale(domain=[0, years], nice=False),
        axis=alt.Axis(values=whole_years if len(whole_years) <= 21 else alt.Undefined,
                      tickMinStep=1, format="d", labelOverlap=True, labelSeparation=6),
    )  # fmt: skip
    y_title = re.split(r" (?=\()", panel.y_title, maxsplit=1)  # the unit on a line of its own
    axis = alt.Axis(labelExpr=_power_of_ten_label()) if panel.log else alt.Axis()
    y = alt.Y("y:Q", title=y_title, scale=y_scale, axis=axis)
    color = alt.Color("s:N", scale=alt.Scale(**colour), sort=labels)
    dash = alt.StrokeDash(
        "r:N", scale=alt.Scale(domain=runs, range=[[1, 0], [8, 5]]), sort=runs,
        legend=alt.Legend(symbolStrokeColor="#333", orient="bottom", columns=1, labelLimit=0)
        if dash_legend and len(runs) > 1 else None,
    )  # fmt: skip
    lines = base.mark_line(strokeWidth=3, clip=True).encode(
        x=x, y=y, color=color, strokeDash=dash, detail="r:N", order="i:Q"
    )
    markers = (
        base.transform_filter(f"datum.i % {MONTHS_PER_YEAR} == 0")
        .mark_point(size=110, filled=True, opacity=1, clip=True)
        .encode(
            x=x, y=y, color=color, shape=alt.Shape("s:N", scale=alt.Scale(**shape), sort=labels)
        )
    )
    layers = [lines, markers]
    if panel.rule is not None:
        rule = alt.Chart(alt.Data(values=[{"y": panel.rule}])).mark_rule(color="#444")
        layers.append(rule.encode(y="y:Q"))
    title = panel.title.format(sector=_sector_label(model, oversight_sector(model)))
    return alt.layer(*layers).properties(title=title)


def _agents_chart(key: str, model: ClassroomModel, data):
    import altair as alt

    labels = [_sector_label(model, n) for n in model.sector_names]
    colour, shape = _legend_scales(labels, ("no job",) if key == "workers" else ())
    color = alt.Color("s:N", scale=alt.Scale(**colour))
    marker = alt.Shape("s:N", scale=alt.Scale(**shape))
    points = alt.Chart(data).mark_point(filled=True, opacity=0.9, size=120)
    if key == "workers":
        # The grid has no axes, so its title starts where the plot does; a title limited
        # to the plot's width can never make "fit" narrow the plot (see TITLE_PIXELS).
        title = alt.TitleParams(
            f"{model.worker_sample.size} workers by sector", limit=alt.ExprRef("width")
        )
        return points.encode(
            x=alt.X("x:Q", axis=None), y=alt.Y("v:Q", axis=None, sort="descending"),
            color=color, shape=marker,
        ).properties(title=title)  # fmt: skip
    return points.encode(
        x=alt.X("x:Q", title="workers employed by the firm"),
        y=alt.Y("v:Q", title="AI share of costs (%)", scale=alt.Scale(type="log")),
        color=color, shape=marker,
    ).properties(title="Firms: AI cost share against size")  # fmt: skip


def rows_for(key: str, model: ClassroomModel, first: int = 0) -> list[list[Any]]:
    """The rows of any panel (time series from month ``first``, or an agents snapshot)."""
    if key in AGENT_PANELS:
        return agent_rows(key, model)
    return panel_rows(PANELS[key], model, first)


def export_spec(key: str, model: ClassroomModel) -> dict:
    """A self-contained specification of the panel as on screen (data inline, 900 x 520
    pixels), for export as PNG, SVG or PDF."""
    spec = panel_spec(key, model, size=(900, 520))
    rows = rows_for(key, model)
    values = [dict(zip(COLUMNS, row, strict=True)) for row in rows]
    return _with_values(spec, values)


def _with_values(spec: dict, values: list[dict]) -> dict:
    """Replace every reference to the named table by the inline values."""
    if isinstance(spec, dict):
        if spec.get("data") == {"name": "table"}:
            spec = {**spec, "data": {"values": values}}
        return {k: _with_values(v, values) for k, v in spec.items()}
    if isinstance(spec, list):
        return [_with_values(item, values) for item in spec]
    return spec
