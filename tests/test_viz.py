"""Headless tests of the classroom app: presets, controls, figures, export (no browser)."""

from __future__ import annotations

import ipyvuetify as v
import ipywidgets
import pytest
import solara

from sim.cli import build_parser, scenario_from_args
from sim.viz import app
from sim.viz.classroom import ClassroomModel
from sim.viz.controls import CONTROLS, Choice, scenario_overrides
from sim.viz.export import results_csv, run_command
from sim.viz.plots import FIGURES, draw, jevons_verdict, oversight_sector
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


def _shown(rc) -> dict[str, object]:
    """Every input of the sidebar: label -> value shown (sliders and drop-downs)."""
    inputs = [*rc.find(v.Slider).widgets, *rc.find(v.Select).widgets]
    return {w.label: w.v_model for w in inputs}


def test_every_control_has_an_input_with_its_label(rendered):
    _model, rc = rendered
    sliders = {w.label for w in rc.find(v.Slider).widgets}
    selects = {w.label for w in rc.find(v.Select).widgets}
    for control in CONTROLS:
        assert control.label in (selects if isinstance(control, Choice) else sliders)
    for label in ("Compute tax ($ per M tokens)", "Transfers go to"):
        assert label in sliders | selects


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
    assert model.value.config.population.providers == 3
    shown = _shown(rc)
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


@pytest.mark.parametrize(
    ("preset", "controls", "scenario_file"),
    [
        ("lesson3_both", {"ai_substitution": 0.5}, "baseline"),
        (
            "lesson3_both",
            {"compute_tax": 0.1, "profit_tax": 0.2, "transfers_to": "unemployed",
             "retraining_subsidy": 1.0, "minimum_wage": 0.8, "oversight": 0.02},
            "baseline",
        ),
        ("lesson5_policy_lab", {"transfers_to": "everyone", "minimum_wage": 0.0}, "policy_lab"),
    ],
)  # fmt: skip
def test_command_reproduces_the_screen(preset, controls, scenario_file):
    model = ClassroomModel(preset=preset, seed=7, **controls)
    for _ in range(5):
        model.step()
    command = run_command(model)
    words = command.split()
    assert words[:3] == [".venv/bin/sim", "run", f"scenarios/{scenario_file}.toml"]
    for name in ("compute_tax", "transfers_to", "minimum_wage"):
        if name in controls:
            assert f"policy.{name}=" in command
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


def test_reset_applies_the_policy_and_oversight_controls(rendered):
    model, rc = rendered
    rc.find(v.Slider, label="Compute tax ($ per M tokens)").widget.v_model = 0.1
    rc.find(v.Slider, label="Minimum wage (x month-0 wage rate)").widget.v_model = 0.8
    rc.find(v.Select, label="Transfers go to").widget.v_model = "unemployed"
    oversight = next(c for c in CONTROLS if c.name == "oversight")
    rc.find(v.Slider, label=oversight.label).widget.v_model = 0.02
    rc.find(v.Btn, children=["Reset"]).widget.click()
    config = model.value.config
    assert config.policy.compute_tax == pytest.approx(0.1)
    assert config.policy.minimum_wage == pytest.approx(0.8)
    assert config.policy.transfers_to == "unemployed"
    assert config.sectors["software"].oversight_per_token == pytest.approx(0.02)
    assert config.sectors["business"].oversight_per_token == pytest.approx(0.02)
    assert config.sectors["care"].oversight_per_token == 0.0


def test_the_new_work_and_policy_view_draws(rendered):
    _model, rc = rendered
    rc.find(v.Btn, children=["New work and policy"]).widget.click()
    before = _images(rc)
    assert len(before) == 2
    rc.find(v.Btn, children=["Step"]).widget.click()
    assert all(a != b for a, b in zip(before, _images(rc), strict=True))


def test_new_work_and_policy_figures_show_their_series():
    model = ClassroomModel(preset="lesson6_new_work", compare="lesson5_policy_lab", months=24)
    for _ in range(24):
        model.step()
    assert oversight_sector(model) == "software"
    assert model.results().oversight_employment.iloc[-1] > 0
    new_work = draw("new_work", model)
    assert len(new_work.axes) == 3
    assert "Software" in new_work.axes[2].get_title()
    assert all(ax.get_ylabel() for ax in new_work.axes)
    revenue = draw("policy", model).axes[0]
    assert max(line.get_ydata().max() for line in revenue.get_lines()) > 0
    shares = draw("distribution", model).axes[0]
    labels = {line.get_label() for line in shares.get_lines()}
    assert {"top 10 % of households", "AI providers' owners"} <= labels


def test_unknown_controls_are_refused():
    with pytest.raises(TypeError, match="unknown controls"):
        ClassroomModel(compute_taxes=0.1)
