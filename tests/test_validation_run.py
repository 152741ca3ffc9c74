"""Measuring a run: the missing-series path, and `sim validate` end to end (small economy)."""

from __future__ import annotations

import json
import math
from dataclasses import replace
from pathlib import Path

import pytest

from sim.cli import main
from sim.scenario import build_scenario
from sim.validation.measures import RunOutput, measure, not_measurable, simulate_run
from sim.validation.scoring import TargetResult, score
from sim.validation.targets import ValidationSettings, load_targets

SMALL = {"population.workers": 300, "population.firms": 20, "run.seed": 3}


@pytest.fixture(scope="module")
def small_run() -> RunOutput:
    return simulate_run(build_scenario(overrides=SMALL), months=48, burn_in_months=12)


def by_id(target_id: str):
    return next(t for t in load_targets() if t.id == target_id)


def test_run_output_shapes(small_run: RunOutput):
    assert len(small_run.steps) == 49
    assert small_run.last_month == 48
    assert len(small_run.firms) == 49 * 20
    assert set(small_run.firms["sector"]) <= set(small_run.sectors)


def test_missing_series_makes_a_target_not_measurable(small_run: RunOutput):
    target = by_id("job_finding_rate")
    steps = small_run.steps.drop(columns=["job_finding_rate"], errors="ignore")
    run = replace(small_run, steps=steps)
    assert not_measurable(target, run) == ["job_finding_rate"]
    assert math.isnan(measure(target, run))
    result = score([target], [1], [{"values": {target.id: measure(target, run)},
                                     "missing": {target.id: not_measurable(target, run)},
                                     "steps": steps, "firm_sizes": []}],
                   run.scenario, ValidationSettings(48, 12))  # fmt: skip
    (only,) = result.results
    assert not only.measurable and not only.passed and only.passed_share == 0.0
    assert result.score == 0.0


def test_a_window_beyond_the_run_is_not_measurable(small_run: RunOutput):
    target = by_id("token_growth_2025_26")  # needs month 42 and 30: inside 48
    assert not_measurable(target, small_run) == []
    late = by_id("datacentre_electricity_growth")  # needs month 92
    assert "month 92 (the run ends at month 48)" in not_measurable(late, small_run)


def test_measured_values_are_finite_or_explained(small_run: RunOutput):
    for target in load_targets():
        value = measure(target, small_run)
        if not_measurable(target, small_run):
            assert math.isnan(value), target.id
    assert measure(by_id("stock_flow_consistency"), small_run) < 1e-9
    assert measure(by_id("unemployment_rate_mean"), small_run) == pytest.approx(
        small_run.steps["unemployment_rate"][small_run.steps["step"] >= 12].mean()
    )


def test_sim_validate_end_to_end(tmp_path: Path):
    out = tmp_path / "val"
    argv = ["validate", "--seeds", "2", "--workers", "1", "--months", "40", "--out", str(out),
            "--quiet"]  # fmt: skip
    for key, value in SMALL.items():
        argv += ["--set", f"{key}={value}"]
    assert main(argv) == 0
    report = json.loads((out / "validation.json").read_text())
    assert 0.0 <= report["score"] <= 1.0 and 0.0 <= report["seed_pass_rate"] <= 1.0
    assert len(report["seeds"]) == 2 and report["months"] == 40
    rows = {row["id"]: row for row in report["targets"]}
    assert len(rows) == len(load_targets())
    for row in rows.values():
        for key in ("id", "category", "source", "data", "band", "model_mean", "model_sd",
                    "passed_share"):  # fmt: skip
            assert key in row
        if row["missing"]:
            assert row["passed"] is False and row["model_mean"] is None
    passed = sum(row["passed"] for row in rows.values())
    assert report["score"] == pytest.approx(passed / len(rows))
    assert (out / "validation.md").read_text().startswith("# Validation report")
    assert len(list((out / "figures").glob("validation_*.png"))) == 5


def test_bad_arguments_stop_with_a_message(tmp_path: Path, capsys):
    assert main(["validate", "--seeds", "0", "--out", str(tmp_path / "x")]) == 2
    assert "--seeds must be at least 1" in capsys.readouterr().err
    assert main(["validate", "--months", "10", "--out", str(tmp_path / "y")]) == 2
    assert "must exceed the burn-in" in capsys.readouterr().err
    assert not (tmp_path / "x").exists() and not (tmp_path / "y").exists()


def test_a_seed_measures_the_same_twice():
    from sim.scenario import scenario_to_dict
    from sim.validation.measures import measure_seed

    data = scenario_to_dict(build_scenario(overrides=SMALL))
    settings = ValidationSettings(30, 12)
    first, second = (measure_seed(data, 11, settings, None) for _ in range(2))
    for key, value in first["values"].items():
        other = second["values"][key]
        assert value == other or (math.isnan(value) and math.isnan(other)), key


def test_distance_ranks_failures_in_band_widths():
    target = replace(by_id("unemployment_rate_mean"), band=(0.04, 0.07))
    inside = TargetResult(target, (0.05,), ())
    below = TargetResult(target, (0.004,), ())
    assert inside.distance == 0.0
    assert below.distance == pytest.approx(math.log(10) / math.log(0.07 / 0.04))
    assert TargetResult(target, (float("nan"),), ("x",)).distance == math.inf
    linear = replace(target, band=(-1.0, -0.2))
    assert TargetResult(linear, (0.6,), ()).distance == pytest.approx(1.0)


def test_the_document_has_the_markers_and_a_bad_document_is_untouched(tmp_path: Path):
    from sim.validation.report import BEGIN_MARK, END_MARK, update_document

    text = (Path(__file__).parents[1] / "docs" / "validation.md").read_text()
    assert BEGIN_MARK in text and END_MARK in text
    plain = tmp_path / "plain.md"
    plain.write_text("no markers\n")
    with pytest.raises(ValueError, match="lacks the markers"):
        update_document(plain, None, [])
    assert plain.read_text() == "no markers\n"


def test_figures_draw_every_series_when_the_model_reports_them(tmp_path: Path, small_run):
    """The Beveridge figure with a vacancy rate, as the labour-flows work will report it."""
    import numpy as np

    from sim.validation.report import save_figures
    from sim.validation.scoring import ValidationResult

    steps = small_run.steps.copy()
    steps["vacancy_rate"] = np.linspace(0.03, 0.05, len(steps))
    result = ValidationResult(
        small_run.scenario, (1,), ValidationSettings(48, 12), (), (steps,),
        (np.array([1.0, 2.0, 5.0, 40.0]),),
    )  # fmt: skip
    paths = save_figures(result, tmp_path)
    assert [p.name for p in paths] == [
        f"validation_{n}.png"
        for n in ("ai_prices", "chart_of_the_century", "beveridge", "unemployment", "firm_sizes")
    ]
    assert all(p.stat().st_size > 10_000 for p in paths)


def test_flat_compute_prices_do_not_crash_the_decline_statistics(small_run: RunOutput):
    steps = small_run.steps.copy()
    for column in [c for c in steps.columns if c.startswith("compute_price_")]:
        steps[column] = 1.0
    run = replace(small_run, steps=steps)
    assert measure(by_id("ai_price_decline_slowest_tier"), run) == pytest.approx(1.0)
    assert not math.isfinite(measure(by_id("ai_price_decline_persistence"), run))


def test_the_productivity_gain_is_read_from_the_labour_saving(small_run: RunOutput):
    # Saving 20 % of the labour at the same output is a 25 % gain in output per worker.
    steps = small_run.steps.copy()
    steps["ai_labour_saving"] = 0.0
    steps.loc[steps["step"] == 40, "ai_labour_saving"] = 0.2
    run = replace(small_run, steps=steps)
    target = replace(by_id("ai_productivity_gain_10y"), params={"month": 40})
    assert measure(target, run) == pytest.approx(0.25, rel=1e-12)
    # The 2024 target reads the saving itself.
    saving = replace(by_id("ai_time_savings_2024"), params={"month": 40})
    assert measure(saving, run) == pytest.approx(0.2, rel=1e-12)
    # Beyond the run's last month neither is measurable.
    assert math.isnan(measure(by_id("ai_productivity_gain_10y"), small_run))
