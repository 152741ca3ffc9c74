"""Headless tests of the classroom app: presets, controls, charts, export (no browser)."""

from __future__ import annotations

import ipyvuetify as v
import ipywidgets
import numpy as np
import pandas as pd
import pytest
import solara

from sim.cli import build_parser, scenario_from_args
from sim.model import EconomyModel
from sim.viz import app
from sim.viz.charts import AGENT_PANELS, PALETTE, PANELS, VIEWS, panel_rows, panel_spec
from sim.viz.classroom import ClassroomModel
from sim.viz.controller import MOST_MONTHS_VARIABLE, SPEEDS, Pacer, Speed, most_months, play
from sim.viz.controls import CONTROLS, Choice, scenario_overrides
from sim.viz.export import EXPORT_FORMATS, figure_bytes, results_csv, results_frame, run_command
from sim.viz.presets import discover
from sim.viz.verdicts import FIRST_YEAR, jevons_verdict, verdict_lines
from sim.viz.widget import ChartWidget


@pytest.fixture
def rendered():
    """The app rendered headless around a reactive model we can inspect."""
    model = solara.reactive(ClassroomModel())
    _box, rc = solara.render(solara.AppLayout(children=[app.Page(model=model)]), handle_error=False)
    yield model, rc
    rc.close()


TEXT_WIDGETS = (v.Html, v.VuetifyTemplate, v.Alert, v.Select, v.Slider, ipywidgets.HTML)


def _text(rc) -> str:
    """Every piece of text the page shows (markdown, HTML, labels, selections)."""
    parts = []
    widgets = [w for kind in TEXT_WIDGETS for w in rc.find(kind).widgets]
    for widget in widgets:
        for name in ("template", "html", "value", "label", "v_model", "children"):
            value = getattr(widget, name, None)
            if isinstance(value, str):
                parts.append(value)
            elif isinstance(value, list):
                parts += [item for item in value if isinstance(item, str)]
    return "\n".join(parts)


def _shown(control, value) -> str:
    """How the page writes a control's name, value and unit (rendered markdown)."""
    return f"<strong>{control.label}</strong>: {control.shown(value)}"


def _charts(rc) -> dict[str, ChartWidget]:
    return {w.panel: w for w in rc.find(ChartWidget).widgets}


def _click(rc, label: str) -> None:
    rc.find(v.Btn, children=[label]).widget.click()


def _show(rc, view: str) -> None:
    """Choose a view of the main area, as a click on its button does."""
    rc.find(v.BtnToggle).widget.v_model = view


def test_every_control_shows_its_value_and_unit(rendered):
    model, rc = rendered
    text = _text(rc)
    for control in CONTROLS:
        shown = _shown(control, model.value.controls[control.name])
        assert shown in text, shown
    slider = next(c for c in CONTROLS if c.name == "providers")
    sliders = [w for w in rc.find(v.Slider).widgets if w.max == slider.high]
    sliders[0].v_model = 2
    assert _shown(slider, 2) in _text(rc)
    assert "press Reset to apply" in _text(rc)


def test_step_advances_one_month_and_sends_only_that_month(rendered):
    model, rc = rendered
    charts = _charts(rc)
    assert set(charts) == set(VIEWS["AI deflation, human inflation"])
    assert all(w.batch["first"] == 0 and w.batch["months"] == 1 for w in charts.values())
    _click(rc, "Step")
    assert model.value.steps == 1
    assert model.value.twin is not None and model.value.twin.steps == 1
    for widget in _charts(rc).values():
        assert (widget.batch["first"], widget.batch["months"]) == (1, 1)
        assert {row[0] for row in widget.batch["rows"]} == {1}
    assert "Month 1 of 120" in _text(rc)


def test_the_browser_can_ask_for_every_row(rendered):
    _model, rc = rendered
    for _ in range(3):
        _click(rc, "Step")
    widget = _charts(rc)["relative_price"]
    widget.vue_send_all()
    assert widget.batch["first"] == 0 and widget.batch["months"] == 4


def test_reset_applies_a_moved_slider(rendered):
    model, rc = rendered
    control = next(c for c in CONTROLS if c.name == "providers")
    slider = next(w for w in rc.find(v.Slider).widgets if w.max == control.high)
    slider.v_model = 2
    _click(rc, "Step")
    _click(rc, "Reset")
    assert model.value.steps == 0
    assert model.value.config.population.providers == 2


def test_presets_and_comparisons_are_chosen_by_title(rendered):
    model, rc = rendered
    presets = discover()
    chosen = presets["lesson4_who_gains"]
    menus = {w.label: w for w in rc.find(v.Select).widgets}
    assert set(menus["Lesson or scenario"].items) == {p.title for p in presets.values()}
    assert set(menus["Compare with (dashed lines)"].items) == {
        app.NO_COMPARISON_TITLE,
        *(p.title for p in presets.values()),
    }
    menus["Lesson or scenario"].v_model = chosen.title
    assert model.value.preset.key == "lesson4_who_gains"
    assert model.value.config.population.providers == 3
    text = _text(rc)
    for control in CONTROLS:
        assert _shown(control, chosen.values()[control.name]) in text
    assert chosen.summary[:40] in text
    assert set(_charts(rc)) == set(VIEWS[chosen.view])
    menus = {w.label: w for w in rc.find(v.Select).widgets}
    menus["Compare with (dashed lines)"].v_model = app.NO_COMPARISON_TITLE
    assert model.value.twin is None


def test_play_stops_at_the_end_and_says_so(rendered):
    model, rc = rendered
    model.value = ClassroomModel(months=12, compare="none")
    for _ in range(12):
        _click(rc, "Step")
    assert model.value.steps == 12 and not model.value.running
    model.value.step()
    assert model.value.months_done == 12
    assert "Finished: month 12 of 12" in _text(rc)
    assert rc.find(v.Btn, children=["Step"]).widget.disabled


def test_every_preset_builds_and_every_panel_has_rows():
    for key in discover():
        model = ClassroomModel(preset=key, compare="none", months=12, workers=400)
        model.step()
        for name in PANELS:
            assert panel_spec(name, model)["layer"], (key, name)
            assert panel_rows(PANELS[name], model), (key, name)


def test_every_panel_is_valid_vega_lite():
    model = ClassroomModel(preset="lesson6_new_work", compare="lesson5_policy_lab", months=12)
    model.step()
    for name in [*PANELS, *AGENT_PANELS]:
        spec = panel_spec(name, model, validate=True)
        assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite"), name


def test_charts_export_as_png_svg_and_pdf():
    model = ClassroomModel(months=12)
    for _ in range(3):
        model.step()
    magic = {"png": b"\x89PNG", "svg": b"<svg", "pdf": b"%PDF"}
    for fmt in EXPORT_FORMATS:
        assert figure_bytes("relative_price", model, fmt).startswith(magic[fmt])
    for key in AGENT_PANELS:
        assert figure_bytes(key, model, "svg").startswith(b"<svg")
    with pytest.raises(ValueError, match="allowed are png, svg, pdf"):
        figure_bytes("relative_price", model, "gif")


def test_indexed_metrics_start_at_one_and_no_verdict_before_a_year():
    model = ClassroomModel(months=24)
    rows = panel_rows(PANELS["work_hours"], model)
    assert rows and all(row[2] == pytest.approx(1.0) for row in rows)
    for _ in range(FIRST_YEAR - 1):
        model.step()
    assert "after the first simulated year" in verdict_lines(model)[0]
    model.step()
    lines = verdict_lines(model)
    assert "Jevons paradox" in lines[0] and "Care" in lines[1]
    assert "Firms using AI" not in lines[0]  # Lesson 1: every firm uses AI from month 0


def test_with_gradual_adoption_the_jevons_line_names_the_new_users():
    model = ClassroomModel(preset="baseline", compare="none", workers=400, months=FIRST_YEAR)
    for _ in range(FIRST_YEAR):
        model.step()
    assert "Firms using AI: " in verdict_lines(model)[0]


def test_sector_colours_stay_apart_for_colour_blind_viewers():
    """Okabe-Ito colours simulated for deuteranopia and protanopia (Viénot, Brettel and
    Mollon 1999, in linear RGB) stay at least 0.1 apart (of 1.73) in every pair."""
    dichromacy = {
        "deuteranopia": np.array([[0.29275, 0.70725, 0.0], [0.29275, 0.70725, 0.0],
                                  [-0.02234, 0.02234, 1.0]]),
        "protanopia": np.array([[0.11238, 0.88762, 0.0], [0.11238, 0.88762, 0.0],
                                [0.00401, -0.00401, 1.0]]),
    }  # fmt: skip
    colours = np.array([[int(c[k : k + 2], 16) / 255 for k in (1, 3, 5)] for c in PALETTE[:6]])
    linear = np.where(colours <= 0.04045, colours / 12.92, ((colours + 0.055) / 1.055) ** 2.4)
    for matrix in dichromacy.values():
        seen = linear @ matrix.T
        gaps = [np.linalg.norm(seen[a] - seen[b]) for a in range(6) for b in range(a)]
        assert min(gaps) > 0.1


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
        ("lesson1_jevons", {}, "baseline"),  # adoption.enabled = false, a TOML bool
        ("lesson1_jevons", {"adoption": "gradual"}, "baseline"),
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
        "adoption.enabled": False,
        "population.workers": 2000,
        "population.firms": 40,
    }
    gradual = {**preset.values(), "adoption": "gradual"}
    assert "adoption.enabled" not in scenario_overrides(preset.scenario, gradual)


def test_the_adoption_control_refuses_an_unknown_option():
    with pytest.raises(ValueError, match="AI adoption: 'sometimes' is not allowed"):
        ClassroomModel(adoption="sometimes", compare="none", workers=400, months=1)


def test_csv_has_both_economies_one_row_per_month():
    model = ClassroomModel(months=3)
    for _ in range(3):
        model.step()
    frame = results_frame(model)
    assert list(frame.economy.unique()) == ["this economy", f"compared: {model.twin_preset.title}"]
    assert (frame.groupby("economy").size() == 4).all()
    lines = results_csv(model).strip().splitlines()
    assert len(lines) == 1 + 8 and lines[0].startswith("economy,step,year")


def test_jevons_verdict_follows_the_lesson_contrast():
    runs = {}
    for key in ("lesson1_jevons", "lesson1b_complements"):
        model = ClassroomModel(preset=key, compare="none", months=36)
        for _ in range(36):
            model.step()
        runs[key] = jevons_verdict(model)[0]
    assert runs == {"lesson1_jevons": True, "lesson1b_complements": False}


def test_reset_applies_the_policy_and_oversight_controls(rendered):
    model, rc = rendered
    by_name = {c.name: c for c in CONTROLS}
    for name, value in (("compute_tax", 0.1), ("minimum_wage", 0.8), ("oversight", 0.02)):
        control = by_name[name]
        limits = (control.low, control.high, control.step)
        slider = next(w for w in rc.find(v.Slider).widgets if (w.min, w.max, w.step) == limits)
        slider.v_model = value
    select = next(w for w in rc.find(v.Select).widgets if w.items == ["everyone", "unemployed"])
    select.v_model = "unemployed"
    _click(rc, "Reset")
    config = model.value.config
    assert config.policy.compute_tax == pytest.approx(0.1)
    assert config.policy.minimum_wage == pytest.approx(0.8)
    assert config.policy.transfers_to == "unemployed"
    assert config.sectors["software"].oversight_per_token == pytest.approx(0.02)
    assert config.sectors["business"].oversight_per_token == pytest.approx(0.02)
    assert config.sectors["care"].oversight_per_token == 0.0


def test_every_view_shows_its_panels(rendered):
    model, rc = rendered
    for view, panels in VIEWS.items():
        _show(rc, view)
        assert set(_charts(rc)) == set(panels), view
    _click(rc, "Step")
    workers = _charts(rc)["workers"]
    assert workers.batch["first"] == 0 and len(workers.batch["rows"]) == 400
    _show(rc, app.EXPORT)
    assert ".venv/bin/sim run scenarios/baseline.toml" in _text(rc)
    assert model.value.steps == 1


def test_unknown_controls_are_refused():
    with pytest.raises(TypeError, match="unknown controls"):
        ClassroomModel(compute_taxes=0.1)


def test_every_choice_has_options():
    assert all(c.options for c in CONTROLS if isinstance(c, Choice))


def test_sessions_share_the_compared_economy_and_each_sees_its_own_month():
    first, second = ClassroomModel(months=6), ClassroomModel(months=6)
    assert first.twin.run is second.twin.run
    for _ in range(3):
        first.step()
    second.step()
    assert first.twin.run.months_done == 3
    compared = [row for row in panel_rows(PANELS["ai_use"], second) if row[4] != "this economy"]
    assert {row[0] for row in compared} == {0, 1}
    assert len(results_frame(second).query("economy != 'this economy'")) == 2
    alone = EconomyModel(config=first.twin.run.model.config)
    for _ in range(3):
        alone.step()
    pd.testing.assert_frame_equal(first.twin.results(), alone.results())
    other_seed = ClassroomModel(months=6, seed=7)
    assert other_seed.twin.run is not first.twin.run


def test_play_draws_every_month_while_the_server_keeps_up_and_paces_when_behind(monkeypatch):
    pacer = Pacer(most=6)
    assert [pacer.after_frame(0.2) for _ in range(8)] == [2, 3, 4, 5, 6, 6, 6, 6]
    assert [pacer.after_frame(0.04) for _ in range(2)] == [6, 6]
    assert [pacer.after_frame(0.01) for _ in range(6)] == [5, 4, 3, 2, 1, 1]
    assert Pacer(most=1).after_frame(5.0) == 1
    lowered = Pacer(most=6, months=6)
    lowered.most = 1
    assert lowered.after_frame(1.0) == 1
    model = ClassroomModel(months=14, compare="none", workers=400)
    frames: list[int] = []
    slow = Speed(pause_ms=0, most_months=4)
    play(model, lambda: True, lambda: slow, Pacer(),
         sleep=lambda _s: frames.append(model.months_done))  # fmt: skip
    assert model.finished and model.months_done == 14 and frames[-1] == 14
    steps = np.diff([0, *frames])
    assert steps.max() <= 4 and steps.min() >= 1
    monkeypatch.setenv(MOST_MONTHS_VARIABLE, "1")
    assert most_months(SPEEDS["as fast as it goes"]) == 1
    monkeypatch.setenv(MOST_MONTHS_VARIABLE, "0")
    with pytest.raises(ValueError, match="SIM_MOST_MONTHS_PER_REDRAW='0': a whole number"):
        most_months(SPEEDS["normal"])
    monkeypatch.delenv(MOST_MONTHS_VARIABLE)
    stopped = ClassroomModel(months=14, compare="none", workers=400)
    play(stopped, lambda: stopped.months_done < 3, lambda: SPEEDS["normal"], Pacer(),
         sleep=lambda _s: None)  # fmt: skip
    assert stopped.months_done == 3


def test_load_test_students_target_this_machine_only_and_count_months():
    from sim.viz.student import Student, run_class

    with pytest.raises(ValueError, match="this machine only"):
        run_class("http://192.0.2.1:8765/", students=1, play_for=1.0)
    student = Student("http://127.0.0.1:8765/")
    student.months = [(0.0, 0), (1.0, 3), (2.0, 10), (3.0, 15)]
    assert student.rate(since=1.0) == pytest.approx(6.0)
    assert student.rate(since=3.0) == 0.0
