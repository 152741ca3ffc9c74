"""What the lesson notebooks call: runs of the app's presets, and the sourced real data.

Core objects: :func:`run`, :func:`sourced`, :func:`ratio`, :func:`times`,
:func:`lesson_scale`, :data:`VERIFIED_FLAGS`.

A lesson runs exactly the economy of an app preset (``run("lesson1_jevons")``), so the
app and the lesson show the same thing; every number a lesson states about the model
is computed from such a run when the notebook executes, so it stays true when the
model changes. ``SIM_LESSON_WORKERS`` and ``SIM_LESSON_MONTHS`` shrink the economies
(the CI runs the notebooks small and fast).
"""

from __future__ import annotations

import os

import pandas as pd

from sim.viz.classroom import ClassroomModel

VERIFIED_FLAGS = ("V", "V2", "D")
"""Flags of data rows a lesson may show students (read in the primary source, read in
a secondary source quoting it, or derived from such rows); anything else is left out."""


def lesson_scale() -> tuple[int, int]:
    """Workers and months of a lesson's economies (2,000 and 120 unless overridden by
    ``SIM_LESSON_WORKERS`` and ``SIM_LESSON_MONTHS``)."""
    workers = int(os.environ.get("SIM_LESSON_WORKERS", "2000"))
    months = int(os.environ.get("SIM_LESSON_MONTHS", "120"))
    return workers, months


def run(preset: str, **controls: float | str) -> pd.DataFrame:
    """Run an app preset (no comparison) for the lesson's months; one row per month.

    Args:
        preset: key of an app preset, e.g. ``"lesson1_jevons"``.
        **controls: app controls to move, as on the app's sliders.
    """
    workers, months = lesson_scale()
    settings = {"workers": workers, "months": months, **controls}
    model = ClassroomModel(preset=preset, compare="none", **settings)
    while not model.finished:
        model.step()
    return model.results()


def ratio(frame: pd.DataFrame, column: str) -> float:
    """Last value of a series over its month-0 value."""
    return float(frame[column].iloc[-1] / frame[column].iloc[0])


def times(multiple: float) -> str:
    """A multiple as a lesson prints it, readable at any size: ``x36,230,711``,
    ``x1.77``, ``x0.00764`` (a multiple below 0.005 would show as ``x0.00`` with two
    decimals)."""
    return f"x{multiple:,.0f}" if multiple >= 1000 else f"x{multiple:.3g}"


def sourced(name: str) -> pd.DataFrame:
    """A data file of :mod:`sim.data` without rows whose flag is not in
    :data:`VERIFIED_FLAGS` (no unverified figure reaches students)."""
    from sim.data import load

    frame = load(name)
    return frame[frame["flag"].isin(VERIFIED_FLAGS)].reset_index(drop=True)
