"""What the app exports: every chart as PNG, SVG or PDF, the series of both economies
as CSV, and the reproducing command.

Core objects: :data:`EXPORT_FORMATS`, :func:`figure_bytes`, :func:`results_csv`,
:func:`run_command`.

Charts are rendered from the same Vega-Lite specification as on screen, with the data
inline, by ``vl-convert`` (no browser needed; ``pip install ".[viz]"``).
"""

from __future__ import annotations

import shlex
from pathlib import Path

import pandas as pd

from sim.viz.charts import THIS_ECONOMY, compared_label, export_spec
from sim.viz.classroom import ClassroomModel
from sim.viz.presets import SCENARIO_DIR

REPO_ROOT = SCENARIO_DIR.parent

SIM_COMMAND = ".venv/bin/sim"
"""How the printed commands call ``sim``: as installed by ``make run`` or the README's
pip recipe, run from the project folder (Windows: ``.venv\\Scripts\\sim``)."""


EXPORT_FORMATS = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf"}
"""File formats of the chart downloads and their MIME types."""


def figure_bytes(key: str, model: ClassroomModel, fmt: str = "png") -> bytes:
    """One chart (a key of :data:`sim.viz.charts.PANELS` or an agents panel) as it is
    now, as PNG (twice the screen resolution), SVG or PDF."""
    import vl_convert

    spec = export_spec(key, model)
    if fmt == "png":
        return vl_convert.vegalite_to_png(spec, scale=2)
    if fmt == "svg":
        return vl_convert.vegalite_to_svg(spec).encode()
    if fmt == "pdf":
        return vl_convert.vegalite_to_pdf(spec)
    raise ValueError(f"export format {fmt!r}: allowed are {', '.join(EXPORT_FORMATS)}")


def results_frame(model: ClassroomModel) -> pd.DataFrame:
    """Every reported series so far, one row per month and economy: the column
    ``economy`` ("this economy", or "compared: <preset title>") then the columns of
    ``sim run``."""
    frames = [model.results().assign(economy=THIS_ECONOMY)]
    if model.twin is not None:
        frames.append(model.twin.results().assign(economy=compared_label(model)))
    frame = pd.concat(frames, ignore_index=True)
    return frame[["economy", *frame.columns.drop("economy")]]


def results_csv(model: ClassroomModel) -> str:
    """:func:`results_frame` as CSV text."""
    return results_frame(model).to_csv(index=False)


def _format(value: object) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    return repr(value) if isinstance(value, float) else str(value)


def run_command(model: ClassroomModel) -> str:
    """The ``sim run`` command that reproduces the model's run, step for step: its
    scenario file, a ``--set`` for every control that differs from the file, the seed
    and the number of months simulated so far."""
    path = model.preset.scenario_path
    shown = path.relative_to(REPO_ROOT) if path.is_relative_to(REPO_ROOT) else path
    words = [SIM_COMMAND, "run", str(Path(shown))]
    skip = {"run.seed", "run.steps"}
    for key, value in model.overrides.items():
        if key not in skip:
            words += ["--set", f"{key}={_format(value)}"]
    words += ["--seed", str(model.config.run.seed), "--steps", str(max(model.months_done, 1))]
    return shlex.join(words)
