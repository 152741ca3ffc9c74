"""Sweeps: planning, determinism across process counts, resume, failures, the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

import sim.batch.runner as runner
from sim.batch import plan_from_file, run_sweep
from sim.batch.store import completed_runs, consolidate, record_path, steps_path
from sim.cli import main
from sim.run import run_scenario
from sim.scenario import ScenarioError

TINY_SWEEP = """
description = "tiny test sweep"
[run]
steps = 12
[population]
workers = 300
firms = 15
[sweep]
design = "grid"
replicates = 2
seed = 7
[sweep.parameters]
households.consumer_elasticity = { values = [0.5, 2.0] }
"population.providers" = { min = 2, max = 4, points = 2 }
"""
TINY_RUNS = 2 * 2 * 2


@pytest.fixture
def sweep_file(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.toml"
    path.write_text(TINY_SWEEP)
    return path


def outcomes(frame: pd.DataFrame) -> pd.DataFrame:
    """runs.parquet without the wall time (the only column that may differ)."""
    return frame.drop(columns="wall_time_s")


def test_dry_run_lists_every_run_and_counts_them(sweep_file, capsys):
    assert main(["sweep", str(sweep_file), "--dry-run"]) == 0
    printed = capsys.readouterr().out
    assert f"{TINY_RUNS} runs = 4 points × 2 replicates" in printed
    assert "population.providers" in printed
    assert not (sweep_file.parent / "out").exists()


@pytest.mark.slow  # a process pool
def test_results_do_not_depend_on_the_number_of_processes(sweep_file, tmp_path):
    plan = plan_from_file(sweep_file)
    serial = run_sweep(plan, tmp_path / "one", workers=1, progress=False)
    parallel = run_sweep(plan, tmp_path / "two", workers=2, progress=False)
    assert serial.failed == parallel.failed == 0
    assert len(serial.runs) == TINY_RUNS
    pd.testing.assert_frame_equal(outcomes(serial.runs), outcomes(parallel.runs))
    # replicates of a point have different seeds and so different outcomes
    first_point = serial.runs[serial.runs["point"] == 0]
    assert first_point["seed"].nunique() == 2
    assert first_point["tokens_growth"].nunique() == 2
    steps = pd.read_parquet(steps_path(tmp_path / "two", 3))
    assert len(steps) == 12 + 1  # month 0 and twelve steps


def count_runs(monkeypatch) -> list[int]:
    """Record the seed of every run executed in this process from now on."""
    seeds: list[int] = []

    def counting(scenario, progress=None):
        seeds.append(scenario.run.seed)
        return run_scenario(scenario, progress)

    monkeypatch.setattr(runner, "run_scenario", counting)
    return seeds


def test_resume_runs_exactly_the_missing_runs(sweep_file, tmp_path, monkeypatch):
    out = tmp_path / "out"
    plan = plan_from_file(sweep_file)
    first = run_sweep(plan, out, workers=1, progress=False)
    record_path(out, 5).unlink()
    (out / "runs.parquet").unlink()
    seeds = count_runs(monkeypatch)
    resumed = run_sweep(plan, out, workers=1, resume=True, progress=False)
    assert seeds == [plan.task(5).seed]
    assert (resumed.ran, resumed.skipped) == (1, TINY_RUNS - 1)
    pd.testing.assert_frame_equal(outcomes(first.runs), outcomes(resumed.runs))
    again = run_sweep(plan, out, workers=1, resume=True, progress=False)
    assert again.ran == 0 and len(seeds) == 1


def test_an_existing_sweep_needs_resume(sweep_file, tmp_path):
    out = tmp_path / "out"
    run_sweep(plan_from_file(sweep_file), out, workers=1, progress=False)
    with pytest.raises(ScenarioError, match="--resume"):
        run_sweep(plan_from_file(sweep_file), out, workers=1, progress=False)


def test_changed_scenario_refuses_resume_and_names_the_change(sweep_file, tmp_path):
    out = tmp_path / "out"
    run_sweep(plan_from_file(sweep_file), out, workers=1, progress=False)
    sweep_file.write_text(TINY_SWEEP.replace("firms = 15", "firms = 16"))
    with pytest.raises(ScenarioError, match=r"scenario\.population\.firms: 15 -> 16"):
        run_sweep(plan_from_file(sweep_file), out, workers=1, resume=True, progress=False)
    changed_override = plan_from_file(sweep_file.parent / "tiny.toml", ["labour.mobility=0.5"])
    with pytest.raises(ScenarioError, match=r"labour\.mobility"):
        run_sweep(changed_override, out, workers=1, resume=True, progress=False)


def test_a_failing_run_is_recorded_and_the_sweep_goes_on(sweep_file, tmp_path, monkeypatch):
    def fragile(scenario, progress=None):
        if scenario.households.consumer_elasticity == 2.0:
            raise FloatingPointError("demand diverged")
        return run_scenario(scenario, progress)

    monkeypatch.setattr(runner, "run_scenario", fragile)
    outcome = run_sweep(plan_from_file(sweep_file), tmp_path / "out", workers=1, progress=False)
    runs = outcome.runs
    failed = runs[runs["status"] == "failed"]
    assert outcome.failed == len(failed) == TINY_RUNS // 2
    assert (failed["households.consumer_elasticity"] == 2.0).all()
    assert failed["error"].str.contains("FloatingPointError: demand diverged").all()
    assert failed["tokens_growth"].isna().all()
    assert runs.loc[runs["status"] == "ok", "tokens_growth"].notna().all()
    assert not steps_path(tmp_path / "out", int(failed["run_id"].iloc[0])).exists()


def test_runs_table_is_rebuilt_from_the_records(sweep_file, tmp_path):
    out = tmp_path / "out"
    first = run_sweep(plan_from_file(sweep_file), out, workers=1, progress=False)
    (out / "runs.parquet").unlink()
    pd.testing.assert_frame_equal(consolidate(out), first.runs)
    assert completed_runs(out) == set(range(TINY_RUNS))
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["runs"] == TINY_RUNS
    assert manifest["scenario"]["population"]["firms"] == 15
    assert set(manifest["packages"]) >= {"mesa", "numpy", "pandas"}


def test_sweep_command_writes_results(sweep_file, tmp_path, capsys):
    out = tmp_path / "cli"
    code = main(["sweep", str(sweep_file), "--out", str(out), "--workers", "1",
                 "--set", "run.steps=6"])  # fmt: skip
    assert code == 0
    assert f"{TINY_RUNS} runs done (0 failed)" in capsys.readouterr().out
    assert len(pd.read_parquet(steps_path(out, 0))) == 6 + 1
