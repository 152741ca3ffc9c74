"""Calibration: the file's errors, statistics, loss, samplers, checkpoint and resume."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from sim.calibration import calibrate, load_config
from sim.calibration.moments import msm_loss, msm_standard_errors, series_statistic
from sim.calibration.samplers import halton_points, propose
from sim.cli import main
from sim.scenario import ScenarioError, load_scenario

ROOT = Path(__file__).resolve().parents[1]

TINY = """
description = "tiny calibration for tests"
seed = 3
months = 24
burn_in = 6
replicates = 2

[set]
"population.workers" = 300
"population.firms" = 20

[parameters]
"households.consumer_elasticity" = { min = 0.3, max = 2.5, scale = "log" }
"labour.mobility" = {}

[[moments]]
series = "spending_share_software"
statistic = "mean"

[[moments]]
series = "unemployment_rate"
statistic = "sd"

[synthetic]
parameters = { "households.consumer_elasticity" = 1.2, "labour.mobility" = 0.3 }
replicates = 3
seed = 11

[sampler]
batch_size = 1
initial_points = 3

[budget]
batches = 3
"""


def write(tmp_path: Path, text: str, name: str = "cal.toml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


# --- statistics and loss --------------------------------------------------------


def test_mean_and_sd_of_a_known_series():
    x = np.array([1.0, 2.0, 3.0, 4.0])
    assert series_statistic(x, "mean") == 2.5
    assert series_statistic(x, "sd") == pytest.approx(np.sqrt(5.0 / 3.0), rel=1e-15)


def test_autocorrelation_of_an_ar1_process():
    """ρ_k = φ^k for x_t = φ x_{t−1} + e_t; the estimator's s.e. is about
    sqrt((1 − φ²)/T) ≈ 0.007 at T = 10⁴, so 0.03 is over four standard errors."""
    rng = np.random.default_rng(0)
    phi, x = 0.7, np.zeros(10_000)
    for t in range(1, x.size):
        x[t] = phi * x[t - 1] + rng.normal()
    assert series_statistic(x, "autocorrelation", 1) == pytest.approx(phi, abs=0.03)
    assert series_statistic(x, "autocorrelation", 2) == pytest.approx(phi**2, abs=0.03)
    assert np.isnan(series_statistic(np.ones(10), "autocorrelation", 1))


def test_msm_loss_by_hand():
    simulated = np.array([[1.0, 10.0], [3.0, 14.0]])  # mean (2, 12)
    data, scales = np.array([1.0, 10.0]), np.array([0.5, 4.0])
    # ((2 - 1)/0.5)^2 = 4 and ((12 - 10)/4)^2 = 0.25; mean 2.125
    assert msm_loss(simulated, data, scales) == 2.125
    assert msm_loss(np.array([[np.nan, 1.0]]), data, scales) == np.inf


def test_sandwich_standard_error_by_hand():
    """One moment: se = (σ/|g|) sqrt(1/R). A second, perfectly correlated copy of the
    same moment adds no information, and the sandwich knows it."""
    (se,) = msm_standard_errors(np.array([[2.0]]), np.array([[0.09]]), np.array([0.3]), 4, None)
    assert se == pytest.approx(0.3 / 2.0 * 0.5, rel=1e-12)
    twins = msm_standard_errors(
        np.array([[2.0], [2.0]]), np.full((2, 2), 0.09), np.array([0.3, 0.3]), 4, None
    )
    assert twins[0] == pytest.approx(se, rel=1e-12)
    (with_data_noise,) = msm_standard_errors(
        np.array([[2.0]]), np.array([[0.09]]), np.array([0.3]), 4, 4
    )
    assert with_data_noise == pytest.approx(se * np.sqrt(2.0), rel=1e-12)


# --- samplers -------------------------------------------------------------------


def test_halton_continues_one_sequence():
    whole = halton_points(2, 5, 0, 8)
    np.testing.assert_array_equal(halton_points(2, 5, 5, 3), whole[5:])


@pytest.mark.parametrize("method", ["gaussian_process", "best_batch"])
def test_surrogate_proposals_are_deterministic_and_inside_the_cube(method):
    rng = np.random.default_rng(1)
    unit = rng.random((8, 2))
    losses = ((unit - 0.3) ** 2).sum(axis=1)
    kwargs = {"seed": 4, "halton_start": 8, "candidates": 500, "perturbation": 0.05}
    first = propose(method, 1, 2, unit, losses, 3, **kwargs)
    again = propose(method, 1, 2, unit, losses, 3, **kwargs)
    assert first.shape == (3, 2)
    assert np.array_equal(first, again)
    assert np.all((first >= 0) & (first <= 1))


def test_gaussian_process_proposes_near_the_minimum_of_a_smooth_loss():
    unit = halton_points(1, 0, 0, 12)
    losses = (unit[:, 0] - 0.62) ** 2 + 1e-4
    point = propose(
        "gaussian_process",
        1,
        1,
        unit,
        losses,
        1,
        seed=0,
        halton_start=12,
        candidates=2000,
        perturbation=0.05,
    )
    assert abs(point[0, 0] - 0.62) < 0.05


# --- the calibration file ------------------------------------------------------------


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            ("batch_size = 1", "batch_sise = 1"),
            "unknown key 'sampler.batch_sise'; did you mean 'batch_size'?",
        ),
        (('statistic = "sd"', 'statistic = "variance"'), "moments[1].statistic = 'variance'"),
        (("seed = 11", "seed = 3"), "synthetic.seed must differ from seed"),
        (("burn_in = 6", "burn_in = 23"), "burn_in = 23 leaves fewer than 2 months"),
        (
            ('"labour.mobility" = {}', '"labour.mobilty" = {}'),
            "'labour.mobilty' is not a scenario parameter",
        ),
        (
            ("min = 0.3, max = 2.5", "min = 0.3, max = 20.0"),
            "leave the range the scenario schema allows",
        ),
        (
            ("replicates = 2", "replicates = 0"),
            "replicates = 0: Input should be greater than or equal to 1",
        ),
        (
            ('"labour.mobility" = 0.3 }', '"labour.mobility" = 0.99 }'),
            'synthetic.parameters."labour.mobility" = 0.99 is outside',
        ),
        (('"population.firms" = 20', '"population.firms" = 2'), "set: "),
    ],
)
def test_bad_files_name_the_file_and_the_key(tmp_path, edit, message):
    path = write(tmp_path, TINY.replace(*edit))
    with pytest.raises(ScenarioError) as error:
        load_config(path)
    assert str(path) in str(error.value)
    assert message in str(error.value)


def test_synthetic_truth_must_match_the_estimated_parameters(tmp_path):
    path = write(tmp_path, TINY.replace(', "labour.mobility" = 0.3 }', "}"))
    with pytest.raises(ScenarioError, match=r"missing: \['labour.mobility'\]; not estimated: none"):
        load_config(path)


def test_missing_scenario_file_is_named(tmp_path):
    path = write(tmp_path, "scenario = 'nowhere.toml'\n" + TINY)
    with pytest.raises(ScenarioError, match=r"cal.toml: scenario = 'nowhere.toml': no such file"):
        load_config(path)


def test_data_with_synthetic_runs_is_refused(tmp_path):
    path = write(tmp_path, TINY.replace('statistic = "sd"', 'statistic = "sd"\ndata = 0.01'))
    with pytest.raises(ScenarioError, match=r"moments\[1\] \(sd\(unemployment_rate\)\) needs drop"):
        load_config(path)


def test_unknown_series_is_named_before_anything_is_written(tmp_path):
    path = write(tmp_path, TINY.replace("spending_share_software", "spending_share_sofware"))
    out = tmp_path / "out"
    with pytest.raises(ScenarioError) as error:
        calibrate(load_config(path), out, workers=1, progress=False, report=None)
    assert "moments[0].series = 'spending_share_sofware' is not a reported series" in str(
        error.value
    )
    assert "did you mean 'spending_share_software'?" in str(error.value)
    assert not out.exists()


def test_cli_prints_an_error_and_exits_2(tmp_path, capsys):
    path = write(tmp_path, TINY.replace("[budget]", "[budgett]"))
    assert main(["calibrate", str(path), "--out", str(tmp_path / "out")]) == 2
    assert "unknown key 'budgett'; did you mean 'budget'?" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_example_files_load():
    for path in sorted((ROOT / "scenarios" / "calibration").glob("*.toml")):
        load_config(path)


# --- the loop, the checkpoint and resume --------------------------------------------


def _outputs(out: Path) -> tuple[str, str, str]:
    return (
        (out / "evaluations.csv").read_text(),
        (out / "calibration.json").read_text(),
        (out / "calibrated.toml").read_text(),
    )


def _check_results(result, tmp_path: Path) -> None:
    """What a finished calibration wrote agrees with what it returned."""
    out = result.out
    summary = json.loads((out / "calibration.json").read_text())
    assert summary["best"] == result.best and summary["loss"] == result.best_loss
    assert result.best_loss == result.evaluations["loss"].min()
    # the loss is the mean of the squared scaled distances of the moment table
    assert result.moments["contribution"].sum() == pytest.approx(result.best_loss, rel=1e-12)
    scenario = load_scenario(out / "calibrated.toml")
    assert scenario.households.consumer_elasticity == result.best["households.consumer_elasticity"]
    assert scenario.labour.mobility == result.best["labour.mobility"]
    assert scenario.population.workers == 300

    changed = write(tmp_path, TINY.replace("batches = 3", "batches = 4"), "changed.toml")
    with pytest.raises(ScenarioError, match="holds a calibration of another file"):
        calibrate(load_config(changed), out, workers=1, resume=True, progress=False, report=None)


def test_a_killed_calibration_resumes_to_the_uninterrupted_result(tmp_path):
    config = write(tmp_path, TINY)
    whole = calibrate(
        load_config(config), tmp_path / "whole", workers=1, progress=False, report=None
    )
    assert len(whole.evaluations) == 3 + 3 * 3
    _check_results(whole, tmp_path)

    killed = tmp_path / "killed"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "sim",
            "calibrate",
            str(config),
            "--out",
            str(killed),
            "--workers",
            "1",
            "--quiet",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 300
    while len(list((killed / "points").glob("*.json"))) < 5:
        assert process.poll() is None, "the calibration ended before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    done = len(list((killed / "points").glob("*.json")))
    assert 5 <= done < 12 and not (killed / "calibration.json").exists()

    with pytest.raises(ScenarioError, match="add --resume"):
        calibrate(load_config(config), killed, workers=1, progress=False, report=None)
    resumed = calibrate(
        load_config(config), killed, workers=1, resume=True, progress=False, report=None
    )
    assert resumed.best == whole.best and resumed.best_loss == whole.best_loss
    assert _outputs(killed) == _outputs(whole.out)


# --- moments from the validation target table ------------------------------------------

TARGETS = TINY.replace(
    """[[moments]]
series = "unemployment_rate"
statistic = "sd"
""",
    """[[moments]]
target = "unemployment_rate_mean"
""",
)


def test_target_moments_take_data_and_band_from_the_table(tmp_path):
    from sim.api import run_data
    from sim.batch.design import run_seed
    from sim.calibration.moments import run_moments
    from sim.scenario import build_scenario
    from sim.validation.measures import measure, simulate_run
    from sim.validation.targets import load_targets

    head, tail = TARGETS.split("[synthetic]")  # data from the file and the table only
    text = head + "[sampler]" + tail.split("[sampler]")[1]
    text = text.replace('"mean"', '"mean"\ndata = 0.1').replace("batches = 3", "batches = 0")
    cal = load_config(write(tmp_path, text))
    target = next(t for t in load_targets() if t.id == "unemployment_rate_mean")
    result = calibrate(cal, tmp_path / "out", workers=1, progress=False, report=None)
    data = json.loads((tmp_path / "out" / "data.json").read_text())
    assert data["values"][1] == target.data
    assert data["scales"][1] == pytest.approx((target.band[1] - target.band[0]) / 2)

    values = {"households.consumer_elasticity": 1.0, "labour.mobility": 0.5}
    scenario_data = run_data(cal.base, values, cal.config.months, run_seed(cal.config.seed, 0))
    moments = run_moments(scenario_data, cal.config.moments, cal.config.burn_in)
    run = simulate_run(build_scenario(scenario_data), cal.config.months, cal.config.burn_in)
    assert moments[1] == measure(target, run)
    assert moments[0] == series_statistic(
        run.steps["spending_share_software"].to_numpy()[cal.config.burn_in + 1 :], "mean"
    )
    assert np.isfinite(result.best_loss)


def test_unknown_target_is_named_with_a_guess(tmp_path):
    path = write(tmp_path, TARGETS.replace("unemployment_rate_mean", "unemployment_mean"))
    with pytest.raises(ScenarioError) as error:
        calibrate(load_config(path), tmp_path / "out", workers=1, progress=False, report=None)
    assert "moments[1].target = 'unemployment_mean' is not in the target table" in str(error.value)
    assert "did you mean 'unemployment_rate_mean'?" in str(error.value)
    assert not (tmp_path / "out").exists()
