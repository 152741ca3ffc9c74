"""What the app exports: figures as PNG, the series as CSV, and the reproducing command.

Core objects: :func:`figure_png`, :func:`results_csv`, :func:`run_command`.
"""

from __future__ import annotations

import io
import shlex
from pathlib import Path

from sim.viz.classroom import ClassroomModel
from sim.viz.plots import draw
from sim.viz.presets import SCENARIO_DIR

REPO_ROOT = SCENARIO_DIR.parent


def figure_png(name: str, model: ClassroomModel, dpi: int = 150) -> bytes:
    """One figure of the current screen as PNG bytes."""
    buffer = io.BytesIO()
    draw(name, model).savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


def results_csv(model: ClassroomModel) -> str:
    """Every reported series so far, one row per month (the columns of ``sim run``)."""
    return model.results().to_csv(index=False)


def _format(value: object) -> str:
    return repr(value) if isinstance(value, float) else str(value)


def run_command(model: ClassroomModel) -> str:
    """The ``sim run`` command that reproduces the model's run, step for step: its
    scenario file, a ``--set`` for every control that differs from the file, the seed
    and the number of months simulated so far."""
    path = model.preset.scenario_path
    shown = path.relative_to(REPO_ROOT) if path.is_relative_to(REPO_ROOT) else path
    words = ["sim", "run", str(Path(shown))]
    skip = {"run.seed", "run.steps"}
    for key, value in model.overrides.items():
        if key not in skip:
            words += ["--set", f"{key}={_format(value)}"]
    words += ["--seed", str(model.config.run.seed), "--steps", str(max(model.steps, 1))]
    return shlex.join(words)
