"""Presets of the app: every shipped scenario plus the lessons' own settings.

Core objects: :class:`Preset`, :func:`discover`, :data:`SCENARIO_DIR`.

Scenario presets are found at run time in ``scenarios/*.toml`` (sweep files, those
with a ``[sweep]`` table, are skipped). Lesson presets are small TOML files in
``sim/viz/presets/``: a scenario name, a title, two or three sentences of summary,
an optional default comparison and control values, for example::

    title = "Lesson 1: the Jevons paradox"
    scenario = "baseline"
    compare = "contrast-complements"
    summary = "..."
    view = "AI deflation, human inflation"   # the view the app opens on
    [controls]
    ai_substitution = 1.0
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from sim.scenario import Scenario, load_scenario
from sim.viz.controls import CONTROL_NAMES, control_values


def find_scenario_dir() -> Path:
    """The scenario files: ``$SIM_SCENARIOS`` if set, else ``scenarios/`` of the source
    tree this package sits in (editable install), else ``./scenarios`` (a ``pip install .``
    run from the project folder)."""
    if "SIM_SCENARIOS" in os.environ:
        return Path(os.environ["SIM_SCENARIOS"]).resolve()
    beside = Path(__file__).resolve().parents[2] / "scenarios"
    return beside if beside.is_dir() else Path.cwd().resolve() / "scenarios"


SCENARIO_DIR = find_scenario_dir()
"""The scenario files the presets are built from."""

LESSON_DIR = Path(__file__).resolve().parent / "presets"
"""The lessons' preset files."""

NO_COMPARISON = "none"


@dataclass(frozen=True)
class Preset:
    """A named starting point: a scenario file plus control values."""

    key: str
    title: str
    summary: str
    scenario_path: Path
    controls: dict[str, float] = field(default_factory=dict)
    compare: str = NO_COMPARISON
    lesson: str = ""
    view: str = ""

    @property
    def scenario(self) -> Scenario:
        """The scenario file, validated, without any control applied."""
        return _load(self.scenario_path)

    def values(self) -> dict[str, float]:
        """Every control's value under this preset."""
        return {**control_values(self.scenario), **self.controls}


@cache
def _load(path: Path) -> Scenario:
    return load_scenario(path)


def _first_sentences(text: str, count: int = 3) -> str:
    sentences = re.split(r"(?<=[.?!])\s+", " ".join(text.split()))
    return " ".join(sentences[:count])


def _scenario_preset(path: Path) -> Preset | None:
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    if "sweep" in data:
        return None
    title = path.stem.replace("_", " ").capitalize()
    return Preset(
        path.stem, f"Scenario: {title}", _first_sentences(data.get("description", "")), path
    )


def _lesson_preset(path: Path, scenario_dir: Path) -> Preset:
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    controls = data.get("controls", {})
    unknown = sorted(set(controls) - set(CONTROL_NAMES))
    if unknown:
        raise ValueError(
            f"{path}: unknown controls {unknown} (allowed: {', '.join(CONTROL_NAMES)})"
        )
    return Preset(
        key=path.stem,
        title=data["title"],
        summary=" ".join(data["summary"].split()),
        scenario_path=scenario_dir / f"{data['scenario']}.toml",
        controls=controls,
        compare=data.get("compare", NO_COMPARISON),
        lesson=data.get("lesson", ""),
        view=data.get("view", ""),
    )


def discover(scenario_dir: Path = SCENARIO_DIR, lesson_dir: Path = LESSON_DIR) -> dict[str, Preset]:
    """Lesson presets first (in file-name order), then every runnable scenario file."""
    if not scenario_dir.is_dir():
        raise FileNotFoundError(
            f"{scenario_dir}: no scenario folder; run from the project folder or set "
            "SIM_SCENARIOS to the folder of scenario TOML files"
        )
    presets = [_lesson_preset(p, scenario_dir) for p in sorted(lesson_dir.glob("*.toml"))]
    presets += filter(None, (_scenario_preset(p) for p in sorted(scenario_dir.glob("*.toml"))))
    found = {p.key: p for p in presets}
    for preset in found.values():
        if preset.compare not in (NO_COMPARISON, *found):
            raise ValueError(f"preset {preset.key}: comparison {preset.compare!r} is not a preset")
    return found
