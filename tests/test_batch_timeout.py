"""Fault injection for the per-run time limit (``--timeout``, ``sim.batch.timeout``).

A run made to hang (it sleeps far past the limit) is stopped at the limit, in this
process (``--workers 1``), in a local worker process, and on a Dask worker's thread;
it is recorded as ``timeout`` (outside the model) with the month it reached, the
other runs are untouched, no process is left behind, and ``--resume`` runs it again
to the same results as an undisturbed sweep. A run stuck where no signal handler
can run ends its own worker process.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
import test_batch_faults as faults
from test_batch_faults import RUNS, assert_complete

import sim.batch.runner as runner
from sim.batch import plan_from_file, run_sweep
from sim.batch.store import record_path
from sim.batch.timeout import parse_duration
from sim.cli import main
from sim.run import run_scenario

ROOT = Path(__file__).resolve().parents[1]
SLOW_RUNS = (4,)
"""The runs made to hang."""
SLOW_SEEDS = "SIM_TEST_SLOW_SEEDS"
"""Environment variable naming the seeds of the runs that hang (read in worker processes)."""

sweep_file = faults.sweep_file  # the fault-injection sweep and its undisturbed results
reference = faults.reference


def slow_seeds(sweep: Path) -> str:
    plan = plan_from_file(sweep)
    return ",".join(str(plan.task(run_id).seed) for run_id in SLOW_RUNS)


def hanging(real, month_seconds: float):
    """``run_scenario`` in which the runs whose seed is in ``$SIM_TEST_SLOW_SEEDS`` take
    ``month_seconds`` a month (reporting each month), the others run as usual."""

    def run(scenario, progress=None):
        if str(scenario.run.seed) not in os.environ.get(SLOW_SEEDS, "").split(","):
            return real(scenario, progress)
        for month in range(1, scenario.run.steps + 1):
            time.sleep(month_seconds)
            if progress is not None:
                progress(month)
        pytest.fail("the hanging run was not stopped")

    return run


def execute_slowly(task, out, timeout=None):
    """``execute_run`` in a worker process whose slow runs hang (fault injection: this
    function is sent to the worker in place of ``execute_run``)."""
    import sim.batch.runner as here

    if not getattr(here.run_scenario, "hangs", False):
        here.run_scenario = hanging(here.run_scenario, 600.0)
        here.run_scenario.hangs = True
    return here.execute_run(task, out, timeout)


def check_timed_out(out: Path, outcome, limit: float) -> None:
    assert (outcome.ran, outcome.failed, outcome.timed_out, outcome.lost) == (RUNS - 1, 0, 1, 0)
    assert any("time limit" in note and "--resume" in note for note in outcome.notes)
    for run_id in range(RUNS):
        record = json.loads(record_path(out, run_id).read_text())
        assert record["status"] == ("timeout" if run_id in SLOW_RUNS else "ok")
    stopped = json.loads(record_path(out, SLOW_RUNS[0]).read_text())
    assert f"time limit of {limit:g} s" in stopped["error"] and "months" in stopped["error"]
    assert limit <= stopped["wall_time_s"] < limit + 10  # stopped at the limit, not later
    runs = outcome.runs.set_index("run_id")
    assert runs.loc[SLOW_RUNS[0], "status"] == "timeout"


def no_children_left() -> None:
    """No worker process outlives the sweep (multiprocessing's resource tracker, one per
    parent process for its lifetime, is not a worker)."""
    time.sleep(0.5)
    alive = [p for p in psutil.Process().children(recursive=True)
             if p.status() != psutil.STATUS_ZOMBIE
             and "resource_tracker" not in " ".join(p.cmdline())]  # fmt: skip
    assert not alive, f"orphan processes: {[(p.pid, p.cmdline()) for p in alive]}"


def test_a_hanging_run_is_stopped_in_a_serial_sweep_and_resume_redoes_it(
    sweep_file, tmp_path, monkeypatch, reference
):
    out = tmp_path / "out"
    monkeypatch.setenv(SLOW_SEEDS, slow_seeds(sweep_file))
    monkeypatch.setattr(runner, "run_scenario", hanging(run_scenario, 600.0))  # SIGALRM stops it
    started = time.monotonic()
    outcome = run_sweep(plan_from_file(sweep_file), out, workers=1, progress=False, timeout=3)
    assert time.monotonic() - started < 60
    check_timed_out(out, outcome, 3)
    kept = run_sweep(plan_from_file(sweep_file), out, workers=1, resume=True, progress=False,
                     timeout=3)  # fmt: skip
    assert (kept.ran, kept.timed_out) == (0, 1)  # still too slow: timed out again
    monkeypatch.undo()
    again = run_sweep(plan_from_file(sweep_file), out, workers=1, resume=True, progress=False)
    assert (again.ran, again.skipped, again.timed_out) == (1, RUNS - 1, 0)
    assert_complete(out, reference)


@pytest.mark.slow  # a pool of worker processes
def test_a_hanging_run_in_a_worker_process_is_stopped_without_losing_the_process(
    sweep_file, tmp_path, monkeypatch, reference
):
    out = tmp_path / "out"
    monkeypatch.setenv(SLOW_SEEDS, slow_seeds(sweep_file))
    monkeypatch.setattr(runner, "execute_run", execute_slowly)
    outcome = run_sweep(plan_from_file(sweep_file), out, workers=2, progress=False, timeout=8)
    check_timed_out(out, outcome, 8)
    no_children_left()
    monkeypatch.undo()
    again = run_sweep(plan_from_file(sweep_file), out, workers=2, resume=True, progress=False)
    assert (again.ran, again.timed_out) == (1, 0)
    assert_complete(out, reference)
    no_children_left()


def test_a_hanging_run_on_a_dask_thread_is_abandoned_at_a_month_boundary(
    sweep_file, tmp_path, monkeypatch, reference
):
    distributed = pytest.importorskip("distributed")
    out = tmp_path / "out"
    monkeypatch.setenv(SLOW_SEEDS, slow_seeds(sweep_file))
    monkeypatch.setattr(runner, "run_scenario", hanging(run_scenario, 1.0))  # 1 s a month
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                  protocol="tcp://", host="127.0.0.1",
                                  dashboard_address=None) as cluster:  # fmt: skip
        outcome = run_sweep(plan_from_file(sweep_file), out, scheduler=cluster.scheduler_address,
                            progress=False, timeout=3)  # fmt: skip
    check_timed_out(out, outcome, 3)
    monkeypatch.undo()
    again = run_sweep(plan_from_file(sweep_file), out, workers=1, resume=True, progress=False)
    assert again.ran == 1
    assert_complete(out, reference)


def test_a_run_stuck_where_no_signal_reaches_ends_its_worker_process():
    """Layer 3: a run that never returns to Python (here: SIGALRM blocked, as in compiled
    code) ends its local worker process a grace period after the limit."""
    code = (
        "import signal, time\n"
        "import sim.batch.timeout as t\n"
        "t.GRACE_S = 1.0\n"
        "t.mark_pool_worker()\n"
        "signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})\n"
        "with t.time_limit(1.0, 6):\n"
        "    time.sleep(60)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                          timeout=50)  # fmt: skip
    assert done.returncode == 70, done.stderr
    assert "past its time limit of 1 s" in done.stderr and "ending worker process" in done.stderr
    assert time.monotonic() - started < 30


def test_a_sweep_within_its_limit_leaves_no_alarm_behind(sweep_file, tmp_path, reference):
    before = signal.getsignal(signal.SIGALRM)
    outcome = run_sweep(plan_from_file(sweep_file), tmp_path / "out", workers=1, progress=False,
                        timeout=600)  # fmt: skip
    assert (outcome.ran, outcome.timed_out) == (RUNS, 0)
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGALRM) is before
    assert_complete(tmp_path / "out", reference)


# --- the command line -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("90", 90.0), ("90s", 90.0), ("15m", 900.0), ("2h", 7200.0), ("0.5", 0.5), ("1.5d", 129600.0)],
)
def test_durations_are_read_in_seconds(text, seconds):
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["0", "-5", "nan", "inf", "31d", "5 years", "", "9" * 500])
def test_bad_timeouts_are_refused_with_one_short_message(text, sweep_file, tmp_path, capsys):
    out = tmp_path / "out"
    with pytest.raises(SystemExit) as stop:
        main(["sweep", str(sweep_file), "--out", str(out), "--timeout", text])
    assert stop.value.code == 2
    error = capsys.readouterr().err
    assert "a duration above 0 and at most 30 days" in error and len(error) < 1000
    assert "Traceback" not in error and not out.exists()


def test_sim_run_stops_at_its_timeout_and_writes_nothing(tmp_path, monkeypatch, capsys):
    import sim.run

    monkeypatch.setenv(SLOW_SEEDS, "5")
    monkeypatch.setattr(sim.run, "run_scenario", hanging(sim.run.run_scenario, 600.0))
    out = tmp_path / "out"
    started = time.monotonic()
    code = main(["run", str(ROOT / "scenarios/baseline.toml"), "--steps", "6", "--seed", "5",
                 "--set", "population.workers=200", "--timeout", "1", "--out", str(out),
                 "--quiet"])  # fmt: skip
    assert code == 1 and time.monotonic() - started < 30
    error = capsys.readouterr().err
    assert "time limit of 1 s" in error and "nothing written" in error
    assert not out.exists()


def test_resume_command_keeps_the_timeout(sweep_file, tmp_path):
    from sim.batch.commands import resume_command
    from sim.cli import build_parser

    args = build_parser().parse_args(["sweep", str(sweep_file), "--timeout", "15m"])
    assert "--timeout 900" in resume_command(args, tmp_path)
