"""The classroom app: a Mesa visualization laid out for a projector.

Core objects: :func:`Page` (the Solara page), :func:`model_params`, :data:`page`.
Run it with ``sim viz`` (or ``solara run sim/viz/app.py``).

It uses Mesa's update counter (``force_update``: every chart and line of text follows
the model after each redraw); the layout, the controls (each showing its value and
unit), Reset/Play/Step (:mod:`sim.viz.controller`: Step is always one month, Play paces
its redraws to the server's load) and the charts (Vega-Lite, drawn in the browser, see
:mod:`sim.viz.charts`) are its own, because SolaraViz's default page hides slider
values, lets labels squeeze sliders and draws figures on the server. The model still
runs unchanged in stock SolaraViz (``tests/test_mesa_integration.py``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html import escape
from typing import Any

import solara
from mesa.visualization.utils import update_counter

from sim.viz.charts import AGENT_PANELS, COLUMNS, VIEWS, months_recorded, rows_for, screen_spec
from sim.viz.classroom import DEFAULT_PRESET, ClassroomModel
from sim.viz.controller import DEFAULT_SPEED, SPEEDS, PlayControls
from sim.viz.controls import CONTROLS, Choice, Control
from sim.viz.export import EXPORT_FORMATS, figure_bytes, results_csv, run_command
from sim.viz.presets import NO_COMPARISON, Preset, discover
from sim.viz.server import max_workers
from sim.viz.verdicts import verdict_lines
from sim.viz.widget import ChartWidget, LiveText

EXPORT = "Export"
AGENT_VIEW = "The agents"
NO_COMPARISON_TITLE = "No comparison"

CSS = """
html, body { overflow: hidden; }
.v-application--wrap > .v-content, .v-main { padding: 0 !important; }
.sim-app { display: flex; height: 100vh; width: 100vw; overflow: hidden; font-size: 16px; }
.sim-side { flex: none; width: 340px; height: 100vh; overflow-y: auto; overflow-x: hidden;
            padding: 8px 14px 24px 12px; border-right: 1px solid #ccc; box-sizing: border-box; }
.sim-main { flex: 1 1 auto; min-width: 0; height: 100vh; display: flex; flex-direction: column;
            padding: 6px 10px 6px 10px; box-sizing: border-box; overflow: hidden; }
.sim-view { flex: 1 1 auto; min-height: 0; display: flex; flex-direction: column; }
.sim-views { flex: none; display: flex; flex-wrap: wrap; gap: 4px; }
.sim-views .v-btn-group { flex-wrap: wrap; height: auto !important; }
.sim-views .v-btn { font-size: 16px !important; text-transform: none; letter-spacing: 0;
                    padding: 0 10px !important; }
.sim-key { flex: none; font-size: 16px; margin: 2px 0; }
.sim-say { flex: none; font-size: 16px; line-height: 1.35; margin: 4px 0; }
.sim-say p { margin: 0 0 2px 0; }
.sim-grid { flex: 1 1 auto; min-height: 0; display: grid; gap: 8px;
            grid-template-columns: repeat(2, minmax(0, 1fr)); grid-auto-rows: minmax(0, 1fr); }
.sim-cell { min-width: 0; min-height: 0; overflow: hidden; }
.sim-export { overflow-y: auto; flex: 1 1 auto; min-height: 0; }
.sim-control { margin: 2px 0 0 0; }
.sim-control .sim-value { font-size: 16px; line-height: 1.3; }
.sim-control .v-input { margin-top: 0 !important; padding-top: 0 !important; }
.sim-control .v-input__slot { margin-bottom: 0 !important; }
.sim-control .v-messages { display: none; }
.sim-status { font-size: 16px; margin: 6px 0; }
.sim-ended { color: #0a5; font-weight: bold; }
.sim-side h2 { font-size: 20px; margin: 4px 0 6px 0; }
.sim-side .v-select { font-size: 16px; }
@media (max-width: 1100px) { .sim-side { width: 290px; } }
"""


def preset_titles(presets: dict[str, Preset]) -> dict[str, str]:
    """Title -> key of every preset."""
    return {p.title: key for key, p in presets.items()}


def compare_titles(presets: dict[str, Preset]) -> dict[str, str]:
    """Title -> key of every comparison choice ("No comparison" first)."""
    return {NO_COMPARISON_TITLE: NO_COMPARISON, **preset_titles(presets)}


def model_params(model: ClassroomModel, values: dict[str, Any], compare: str) -> dict[str, Any]:
    """Keyword arguments of :class:`ClassroomModel` that Reset rebuilds the model with."""
    return {"preset": model.preset.key, "compare": compare, **values}


def _batch(key: str, model: ClassroomModel, first: int) -> dict[str, Any]:
    """Rows of a panel from month ``first`` on, as the browser chart takes them."""
    months = months_recorded(model)
    snapshot = key in AGENT_PANELS
    first = 0 if snapshot else min(first, months)
    return {
        "model": str(model.run_id), "first": first, "months": 1 if snapshot else months - first,
        "rows": rows_for(key, model, first),
    }  # fmt: skip


def use_every_month(element: Any, update: Callable[[Any], None], dependencies: list) -> None:
    """Call ``update(widget)`` once the widget exists and after every step of the model
    (Mesa's update counter), without re-rendering the page: a month costs a few trait
    updates, not a render. The element's own props never carry the changing values, so
    a later render cannot put stale ones back."""

    def connect() -> Callable[[], None]:
        widget = solara.get_widget(element)
        update(widget)
        return update_counter.subscribe(lambda _count: update(widget))

    solara.use_effect(connect, dependencies)


@solara.component
def Chart(key: str, model: ClassroomModel) -> None:  # noqa: N802 - Solara components are capitalised
    """One panel, drawn in the browser; each month sends only the rows it adds."""
    spec = solara.use_memo(lambda: screen_spec(key, model), [key, model.run_id])
    sent = solara.use_ref(0)

    def push(widget: ChartWidget) -> None:
        widget.batch = _batch(key, model, sent.current)
        sent.current = months_recorded(model)

    element = ChartWidget.element(
        spec=spec, columns=list(COLUMNS), panel=key, source=lambda: _batch(key, model, 0)
    )
    use_every_month(element, push, [key, model.run_id])


@solara.component
def LiveHTML(  # noqa: N802
    html: Callable[[], str], model: ClassroomModel, classes: list[str] | None = None
) -> None:
    """HTML text recomputed after every month (status, verdicts, the command)."""
    element = LiveText.element(box_class=" ".join(classes or []))

    def update(widget) -> None:
        widget.html = html()

    use_every_month(element, update, [model.run_id])


def _bold(text: str) -> str:
    """Markdown bold (``**x**``) as HTML, after escaping the text."""
    return re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", escape(text))


def status_html(model: ClassroomModel) -> str:
    """Where the run is: month and year, or a clear end state."""
    month, months = model.months_done, model.months
    if model.finished:
        return (
            f"<b class='sim-ended'>Finished: month {month} of {months}</b> "
            f"(year {month / 12:.1f}). Press Reset to run again, or raise "
            "<i>Months to simulate</i> and press Reset."
        )
    return f"<b>Month {month} of {months}</b> (year {month / 12:.1f})"


@solara.component
def ControlInput(  # noqa: N802
    control: Control | Choice, value: Any, on_value: Callable[[Any], None]
) -> None:
    """A control with its name, value and unit always written above it."""
    with solara.Column(gap="0px", classes=["sim-control"]):
        solara.Markdown(f"**{control.label}**: {control.shown(value)}", style={"font-size": "16px"})
        if isinstance(control, Choice):
            solara.Select(label="", value=str(value), values=list(control.options),
                          on_value=on_value)  # fmt: skip
        elif control.integer:
            high = int(control.high)
            if control.name == "workers":
                high = min(high, max_workers(high))
            solara.SliderInt(label="", value=int(value), min=int(control.low), max=high,
                             step=int(control.step), on_value=on_value,
                             thumb_label=False)  # fmt: skip
        else:
            solara.SliderFloat(label="", value=float(value), min=control.low, max=control.high,
                               step=control.step, on_value=on_value, thumb_label=False)  # fmt: skip


@solara.component
def Views(model: ClassroomModel, view: solara.Reactive[str]) -> None:  # noqa: N802
    """The chooser of views and the chosen view: charts, words, or export."""
    with solara.Div(classes=["sim-view"]):
        with solara.Div(classes=["sim-views"]):
            solara.ToggleButtonsSingle(value=view, values=[*VIEWS, EXPORT], dense=True)
        if view.value == EXPORT:
            with solara.Div(classes=["sim-export"]):
                ExportPanel(model)
            return
        if view.value == next(iter(VIEWS)):
            LiveHTML(
                lambda: "".join(f"<p>{_bold(line)}</p>" for line in verdict_lines(model)),
                model, ["sim-say"],
            )  # fmt: skip
        if model.twin_preset is not None and view.value != AGENT_VIEW:
            solara.HTML("div", f"Solid lines: this economy. Dashed lines: "
                        f"{escape(model.twin_preset.title)}.", classes=["sim-key"])  # fmt: skip
        with solara.Div(classes=["sim-grid"]):
            for key in VIEWS[view.value]:
                with solara.Div(classes=["sim-cell"]):
                    Chart(key, model).key(f"{key}-{model.run_id}")


@solara.component
def ExportPanel(model: ClassroomModel) -> None:  # noqa: N802
    """Downloads of every chart (PNG, SVG, PDF) and the data (CSV, both economies), and
    the command that reproduces the run."""
    with solara.Column():
        ExportItems(model)


@solara.component
def ExportItems(model: ClassroomModel) -> None:  # noqa: N802
    """The export view's items (see :func:`ExportPanel`)."""
    solara.Markdown(
        "This run, month for month, from a terminal in the project folder "
        "(Windows: `.venv\\Scripts\\sim` in place of `.venv/bin/sim`):"
    )
    LiveHTML(lambda: f"<pre class='sim-command'>{escape(run_command(model))}</pre>", model)
    solara.FileDownload(
        lambda: results_csv(model), filename="economy.csv",
        label="Data of both economies (CSV)", mime_type="text/csv",
    )  # fmt: skip
    for view, keys in VIEWS.items():
        solara.Markdown(f"**{view}**")
        with solara.Row(style={"flex-wrap": "wrap"}):
            for key in keys:
                for fmt, mime in EXPORT_FORMATS.items():
                    solara.FileDownload(
                        lambda key=key, fmt=fmt: figure_bytes(key, model, fmt),
                        filename=f"{key}.{fmt}", label=f"{key} ({fmt.upper()})",
                        mime_type=mime,
                    )  # fmt: skip


@solara.component
def Page(  # noqa: N802 - Solara looks for a component named Page
    model: solara.Reactive[ClassroomModel] | None = None,
) -> None:
    """The whole app. ``model`` may be given (tests); otherwise each visitor gets one."""
    presets = solara.use_memo(discover, [])
    own = solara.use_memo(lambda: solara.reactive(ClassroomModel()) if model is None else None, [])
    current = model if model is not None else own
    economy = current.value
    preset = economy.preset
    compare = economy.twin_preset.key if economy.twin_preset else NO_COMPARISON
    values = solara.use_reactive(dict(economy.controls))
    view = solara.use_reactive(preset.view or next(iter(VIEWS)))
    speed = solara.use_reactive(DEFAULT_SPEED)

    def rebuild(preset_key: str, compare_key: str | None) -> None:
        built = ClassroomModel(preset=preset_key, compare=compare_key)
        values.value = dict(built.controls)
        current.value = built

    def choose_preset(title: str) -> None:
        key = preset_titles(presets)[title]
        if key == preset.key:
            return
        view.value = presets[key].view or view.value
        rebuild(key, None)

    def choose_compare(title: str) -> None:
        if compare_titles(presets)[title] == compare:
            return
        current.value = ClassroomModel(**{**values.value, "preset": preset.key,
                                          "compare": compare_titles(presets)[title]})  # fmt: skip

    def set_control(name: str, value: Any) -> None:
        values.value = {**values.value, name: value}

    solara.Style(CSS)
    solara.Title("AI deflation, human inflation")
    with solara.Div(classes=["sim-app"]):
        with solara.Div(classes=["sim-side"]):
            solara.HTML("h2", "AI deflation, human inflation")
            solara.Select(
                "Lesson or scenario", value=preset.title, values=list(preset_titles(presets)),
                on_value=choose_preset,
            )  # fmt: skip
            titles = {key: title for title, key in compare_titles(presets).items()}
            solara.Select(
                "Compare with (dashed lines)", value=titles[compare],
                values=list(compare_titles(presets)), on_value=choose_compare,
            )  # fmt: skip
            PlayControls(
                current, lambda: ClassroomModel(**model_params(economy, values.value, compare)),
                speed,
            ).key(f"controller-{economy.run_id}")  # fmt: skip
            LiveHTML(lambda: status_html(economy), economy, ["sim-status"])
            solara.Select("Play speed", value=speed, values=list(SPEEDS))
            if values.value != economy.controls:
                solara.Warning("Controls changed: press Reset to apply them.", dense=True)
            with solara.Details("What this preset shows"):
                solara.Markdown(preset.summary)
            for control in CONTROLS:
                ControlInput(
                    control, values.value[control.name],
                    lambda value, name=control.name: set_control(name, value),
                )  # fmt: skip
            with solara.Details("What the controls mean"):
                solara.Markdown("\n".join(f"- **{c.label}**: {c.help}" for c in CONTROLS))
        with solara.Div(classes=["sim-main"]):
            Views(economy, view)


page = Page()
"""The page element, for ``solara run`` and for tests."""

__all__ = ["DEFAULT_PRESET", "Page", "model_params", "page"]
