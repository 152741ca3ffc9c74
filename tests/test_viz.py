"""Headless tests of the classroom app: presets, controls, figures, export (no browser)."""

from __future__ import annotations

import ipyvuetify as v
import ipywidgets
import pytest
import solara

from sim.cli import build_parser, scenario_from_args
from sim.viz import app
from sim.viz.classroom import ClassroomModel
from sim.viz.controls import CONTROLS, scenario_overrides
from sim.viz.export import results_csv, run_command
from sim.viz.plots import FIGURES, draw, jevons_verdict
from sim.viz.presets import discover


@pytest.fixture
def rendered():
    """The app rendered headless around a reactive model we can inspect."""
    model = solara.reactive(ClassroomModel())
    _box, rc = solara.render(solara.AppLayout(children=[app.Page(model=model)]), handle_error=False)
    yield model, rc
    rc.close()


def _images(rc) -> list[bytes]:
    return [w.value for w in rc.find(ipywidgets.Image).widgets]


def test_every_control_has_a_slider_with_its_label(rendered):
    _model, rc = rendered
    labels = {w.label for w in rc.find(v.Slider).widgets}
    assert {c.label for c in CONTROLS} <= labels


def test_step_advances_the_economy_and_redraws(rendered):
    model, rc = rendered
    before = _images(rc)
    assert len(before) == 2
    rc.find(v.Btn, children=["Step"]).widget.click()
    assert model.value.steps == app.RENDER_INTERVAL
    assert model.value.twin is not None and model.value.twin.steps == model.value.steps
    assert all(a != b for a, b in zip(before, _images(rc), strict=True))


def test_reset_applies_a_moved_slider(rendered):
    model, rc = rendered
    slider = rc.find(v.Slider, label="AI providers (firms)").widget
    slider.v_model = 2
    rc.find(v.Btn, children=["Step"]).widget.click()
    rc.find(v.Btn, children=["Reset"]).widget.click()
    assert model.value.steps == 0
    assert model.value.config.population.providers == 2


def test_choosing_a_preset_sets_every_control(rendered):
    model, rc = rendered
    presets = discover()
    chosen = presets["lesson4_who_gains"]
    rc.find(v.Select, label="Lesson or scenario").widget.v_model = chosen.title
    assert model.value.preset.key == "lesson4_who_gains"
    assert model.value.config.population.providers == 1
    shown = {w.label: w.v_model for w in rc.find(v.Slider).widgets}
    for control in CONTROLS:
        assert shown[control.label] == pytest.approx(chosen.values()[control.name])
    cards = rc.find(v.Card).widgets
    assert any(chosen.summary[:40] in repr(card) for card in cards)


def test_every_preset_builds_and_draws_every_figure():
    for key in discover():
        model = ClassroomModel(preset=key, months=2)
        model.step()
        for name in FIGURES:
            assert draw(name, model).axes, (key, name)


def test_command_reproduces_the_screen():
    model = ClassroomModel(preset="lesson3_both", ai_substitution=0.5, seed=7)
    for _ in range(5):
        model.step()
    words = run_command(model).split()
    assert words[:3] == ["sim", "run", "scenarios/baseline.toml"]
    args = build_parser().parse_args(words[1:])
    scenario = scenario_from_args(args)
    assert (
        scenario.model_dump() == model.config.model_copy(update={"run": scenario.run}).model_dump()
    )
    assert (scenario.run.seed, scenario.run.steps) == (7, 5)


def test_overrides_only_name_what_differs():
    preset = discover()["lesson1_jevons"]
    assert scenario_overrides(preset.scenario, preset.values()) == {
        "population.workers": 2000,
        "population.firms": 40,
    }


def test_csv_has_one_row_per_month():
    model = ClassroomModel(months=3)
    for _ in range(3):
        model.step()
    lines = results_csv(model).strip().splitlines()
    assert len(lines) == 1 + 4 and lines[0].startswith("step,year")


def test_jevons_marker_follows_the_lesson_contrast():
    runs = {}
    for key in ("lesson1_jevons", "lesson1b_complements"):
        model = ClassroomModel(preset=key, compare="none", months=36)
        for _ in range(36):
            model.step()
        runs[key] = jevons_verdict(model.results(), "basic")[0]
    assert runs == {"lesson1_jevons": True, "lesson1b_complements": False}
