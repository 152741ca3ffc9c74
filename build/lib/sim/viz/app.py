"""The classroom app: Mesa's SolaraViz with presets, explained controls, seven figures,
compare mode and export.

Core objects: :func:`Page` (the Solara page), :func:`model_params`, :data:`page`.
Run it with ``sim viz`` (or ``solara run sim/viz/app.py``).

Choosing a preset builds a new economy and re-mounts SolaraViz with that preset's
control values, so every slider shows the preset's setting; moving a slider takes
effect on Reset, as everywhere in SolaraViz.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import solara
from mesa.visualization import SolaraViz
from mesa.visualization.utils import update_counter

from sim.viz.classroom import DEFAULT_PRESET, ClassroomModel
from sim.viz.controls import CONTROLS, Choice, Control
from sim.viz.export import figure_png, results_csv, run_command
from sim.viz.plots import FIGURES, draw
from sim.viz.presets import NO_COMPARISON, Preset, discover

PLAY_INTERVAL_MS = 20
RENDER_INTERVAL = 12
"""Months simulated between two redraws while playing (the sidebar slider changes it)."""

TABS = {
    "AI deflation, human inflation": ("ai_deflation", "human_inflation"),
    "Wages, distribution, power": ("labour", "distribution"),
    "New work and policy": ("new_work", "policy"),
    "The agents": ("agents",),
}
"""Views of the main area and the figures (keys of ``FIGURES``) each shows side by side."""
EXPORT = "Export"


def control_param(control: Control | Choice, value: float | str) -> dict[str, Any]:
    """SolaraViz's description of one control's input: a drop-down for a choice, an
    integer or float slider otherwise, at ``value``."""
    if isinstance(control, Choice):
        return {
            "type": "Select", "label": control.label,
            "value": str(value), "values": list(control.options),
        }  # fmt: skip
    kind = int if control.integer else float
    return {
        "type": "SliderInt" if control.integer else "SliderFloat",
        "label": control.label,
        "value": kind(value),
        "min": kind(control.low),
        "max": kind(control.high),
        "step": kind(control.step),
    }


def model_params(preset: Preset, presets: dict[str, Preset]) -> dict[str, Any]:
    """SolaraViz parameters: one input per control at the preset's value, the
    comparison choice, and the preset itself as a fixed value."""
    values = preset.values()
    params: dict[str, Any] = {"preset": preset.key}
    params["compare"] = {
        "type": "Select", "label": "Compare with (dashed lines)",
        "value": preset.compare, "values": [NO_COMPARISON, *presets],
    }  # fmt: skip
    for control in CONTROLS:
        params[control.name] = control_param(control, values[control.name])
    return params


def export_panel(model: ClassroomModel) -> None:
    """Downloads of the figures and the data, and the command that reproduces the run."""
    solara.Markdown(
        f"This run, step for step, from a terminal:\n\n```bash\n{run_command(model)}\n```"
    )
    solara.FileDownload(lambda: results_csv(model), filename="economy.csv", label="Data (CSV)")
    for name, (title, _draw) in FIGURES.items():
        solara.FileDownload(
            lambda name=name: figure_png(name, model),
            filename=f"{name}.png",
            label=f"Figure {title} (PNG)",
            mime_type="image/png",
        )


@solara.component
def Figures(model: ClassroomModel) -> None:  # noqa: N802 - Solara components are capitalised
    """The main area: a chooser of views (groups of figures, or export) and the view.

    SolaraViz's own draggable grid needs a Vue 2 front end (it fails with ipyvue 3), so
    the figures are laid out here and redrawn on SolaraViz's update counter.
    """
    update_counter.get()
    shown = solara.use_reactive(next(iter(TABS)))
    solara.ToggleButtonsSingle(value=shown, values=[*TABS, EXPORT])
    if shown.value == EXPORT:
        export_panel(model)
        return
    with solara.Columns([1] * len(TABS[shown.value])):
        for name in TABS[shown.value]:
            solara.FigureMatplotlib(draw(name, model), format="png")


@solara.component
def PresetCard(  # noqa: N802 - Solara components are capitalised
    presets: dict[str, Preset], current: Preset, on_choose: Callable[[str], None]
) -> None:
    """Preset chooser, what the preset shows, and what every control means."""
    titles = {p.title: key for key, p in presets.items()}
    with solara.Card("Preset"):
        solara.Select(
            "Lesson or scenario", value=current.title, values=list(titles),
            on_value=lambda title: on_choose(titles[title]),
        )  # fmt: skip
        solara.Markdown(current.summary)
        if current.lesson:
            solara.Markdown(f"Guide: `{current.lesson}`")
        with solara.Details("What the controls mean"):
            solara.Markdown(
                "Sliders take effect when you press **Reset**.\n\n"
                + "\n".join(f"- **{c.label}**: {c.help}" for c in CONTROLS)
            )


@solara.component
def Page(  # noqa: N802 - Solara looks for a component named Page
    model: solara.Reactive[ClassroomModel] | None = None,
) -> None:
    """The whole app. ``model`` may be given (tests); otherwise each visitor gets one."""
    presets = solara.use_memo(discover, [])
    own = solara.use_reactive(
        solara.use_memo(lambda: None if model is not None else ClassroomModel(), [])
    )
    current = model if model is not None else own

    def choose(key: str) -> None:
        current.value = ClassroomModel(preset=key)

    preset = current.value.preset
    with solara.Sidebar():
        PresetCard(presets, preset, choose)
    SolaraViz(
        current,
        components=[],
        model_params=model_params(preset, presets),
        name="AI deflation, human inflation",
        play_interval=PLAY_INTERVAL_MS,
        render_interval=RENDER_INTERVAL,
    ).key(f"viz-{preset.key}")
    Figures(current.value)


page = Page()
"""The page element, for ``solara run`` and for tests."""

__all__ = ["DEFAULT_PRESET", "Page", "model_params", "page"]
