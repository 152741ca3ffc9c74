"""Fault injection for sweeps: nothing is lost, duplicated or changed, whatever happens.

Each test injects one fault (a worker process killed, Ctrl-C to a serial or a
parallel sweep, a record truncated or emptied, a stray record from another sweep, a
second writer, an output directory that cannot be written) and checks that the
sweep either refuses with one clear message before doing anything, or finishes with
every run recorded exactly once and results identical to an undisturbed sweep.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import psutil
import pytest

import sim.batch.manifest as manifest_module
import sim.batch.runner as runner
from sim.batch import plan_from_file, run_sweep
from sim.batch.executors import InProcessExecutor
from sim.batch.runner import SweepInterruptedError
from sim.batch.store import check_records, record_path, steps_path
from sim.batch.timeout import RunTimedOut, deferred_interrupt, signal_behind
from sim.cli import main
from sim.run import run_scenario
from sim.scenario import ScenarioError

ROOT = Path(__file__).resolve().parents[1]

SWEEP = """
description = "fault-injection sweep"
[run]
steps = 6
[population]
workers = 200
firms = 10
[sweep]
design = "grid"
replicates = 3
seed = 11
[sweep.parameters]
"labour.mobility" = { values = [0.1, 0.5, 0.9] }
"""
RUNS = 9


@pytest.fixture
def sweep_file(tmp_path: Path) -> Path:
    path = tmp_path / "faults.toml"
    path.write_text(SWEEP)
    return path


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> pd.DataFrame:
    """runs.parquet of an undisturbed serial sweep (without wall times)."""
    folder = tmp_path_factory.mktemp("reference")
    path = folder / "faults.toml"
    path.write_text(SWEEP)
    outcome = run_sweep(plan_from_file(path), folder / "out", workers=1, progress=False)
    return comparable(outcome.runs)


LONGER = ["run.steps=240"]
"""For the Ctrl-C tests: runs long enough that the sweep is still going when it comes, even
on a loaded machine (with 60 months the nine runs could all finish while the test process
waited for the CPU: one failure in four full CI runs on 2026-11-29)."""


@pytest.fixture(scope="module")
def longer_reference(tmp_path_factory) -> pd.DataFrame:
    """runs.parquet of an undisturbed serial sweep of the longer runs."""
    folder = tmp_path_factory.mktemp("longer")
    path = folder / "faults.toml"
    path.write_text(SWEEP)
    outcome = run_sweep(plan_from_file(path, LONGER), folder / "out", workers=1, progress=False)
    return comparable(outcome.runs)


def comparable(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.drop(columns="wall_time_s").sort_values("run_id", ignore_index=True)


def assert_complete(out: Path, reference: pd.DataFrame) -> None:
    """Every run recorded once, sound, identical to the reference; no temporary file."""
    runs = pd.read_parquet(out / "runs.parquet")
    assert sorted(runs["run_id"]) == list(range(RUNS))
    pd.testing.assert_frame_equal(comparable(runs), reference)
    sound, damaged = check_records(out, remove=False)
    assert len(sound) == RUNS and not damaged
    assert not list(out.rglob("*.tmp"))


def sim_command(*args: str, **popen) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-m", "sim", *args], cwd=ROOT, env=env, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, preexec_fn=_as_from_a_terminal,
        **popen,
    )  # fmt: skip


def _as_from_a_terminal() -> None:
    """Ctrl-C as in a terminal: test runners (pytest-xdist) ignore SIGINT, and a child
    inherits that, so restore the default before ``sim`` starts."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def wait_for_records(out: Path, count: int, timeout: float = 240.0) -> None:
    deadline = time.monotonic() + timeout
    while len(list((out / "records").glob("run_*.json"))) < count:
        assert time.monotonic() < deadline, "the sweep wrote no record in time"
        time.sleep(0.05)


# --- records as each run finishes -------------------------------------------------------


def test_a_serial_sweep_writes_each_record_as_its_run_finishes(sweep_file, tmp_path, monkeypatch):
    out = tmp_path / "out"
    seen = []

    def spy(scenario, progress=None):
        seen.append(len(list((out / "records").glob("run_*.json"))))
        return run_scenario(scenario, progress)

    monkeypatch.setattr(runner, "run_scenario", spy)
    run_sweep(plan_from_file(sweep_file), out, workers=1, progress=False)
    assert seen == list(range(RUNS))  # run k starts with k records on disk


# --- a lost worker process -------------------------------------------------------------


def kill_a_worker_when(out: Path, records: int, stop: threading.Event, killed: list) -> None:
    """SIGKILL one of this process's pool workers once ``records`` runs are recorded
    (as the kernel's OOM killer would); appends its pid to ``killed``."""
    while not stop.is_set():
        done = len(list((out / "records").glob("run_*.json")))
        workers = [p for p in multiprocessing.active_children() if p.is_alive()]
        if done >= records and workers:
            os.kill(workers[0].pid, signal.SIGKILL)
            killed.append(workers[0].pid)
            return
        time.sleep(0.02)


class BreaksOnce(InProcessExecutor):
    """Runs tasks here, but the first time it sees run 3 the 'pool' breaks, as a
    ProcessPoolExecutor does when a worker process dies."""

    broken = False

    def submit(self, fn, /, *args, **kwargs) -> Future:
        if args[0].run_id == 3 and not BreaksOnce.broken:
            BreaksOnce.broken = True
            future: Future = Future()
            future.set_exception(BrokenProcessPool("a process terminated abruptly"))
            return future
        return super().submit(fn, *args, **kwargs)


def test_a_broken_pool_is_restarted_and_its_runs_retried(sweep_file, tmp_path, monkeypatch,
                                                          reference):  # fmt: skip
    @contextmanager
    def breaking_executor(workers=None, scheduler=None):
        yield BreaksOnce()

    monkeypatch.setattr(runner, "open_executor", breaking_executor)
    outcome = run_sweep(plan_from_file(sweep_file), tmp_path / "out", workers=1, progress=False)
    assert BreaksOnce.broken
    assert (outcome.ran, outcome.failed, outcome.lost) == (RUNS, 0, 0)
    assert_complete(tmp_path / "out", reference)


@pytest.mark.slow
def test_a_killed_worker_process_loses_no_run(sweep_file, tmp_path, reference):
    out = tmp_path / "out"
    stop, killed = threading.Event(), []
    killer = threading.Thread(target=kill_a_worker_when, args=(out, 1, stop, killed))
    killer.start()
    try:
        outcome = run_sweep(plan_from_file(sweep_file), out, workers=2, progress=False)
    finally:
        stop.set()
        killer.join()
    assert killed, "no worker was killed: the fault was not injected"
    assert outcome.failed == 0 and outcome.lost == 0
    assert outcome.ran == RUNS  # nothing recorded as failed, nothing left undone
    assert_complete(out, reference)


def test_a_run_whose_worker_keeps_dying_is_left_for_resume(sweep_file, tmp_path, monkeypatch,
                                                            reference):  # fmt: skip
    out = tmp_path / "out"
    real = runner._completed_runs_on

    def losing_run_4(executor, tasks, out_, on_record, on_lost, timeout=None):
        kept = [t for t in tasks if t.run_id != 4]
        for task in tasks:
            if task.run_id == 4:
                on_lost(task, OSError("worker lost"))
        return real(executor, kept, out_, on_record, on_lost, timeout)

    monkeypatch.setattr(runner, "_completed_runs_on", losing_run_4)
    outcome = run_sweep(plan_from_file(sweep_file), out, workers=1, progress=False)
    assert (outcome.ran, outcome.failed, outcome.lost) == (RUNS - 1, 0, 1)
    lost = json.loads(record_path(out, 4).read_text())  # recorded as outside the model
    assert lost["status"] == "lost" and "lost 3 times (last: OSError: worker lost)" in lost["error"]
    assert any("--resume" in note for note in outcome.notes)
    kept = run_sweep(plan_from_file(sweep_file), out, workers=1, resume=True, progress=False)
    assert (kept.ran, kept.lost) == (0, 1)  # tried again, lost again
    monkeypatch.undo()
    again = run_sweep(plan_from_file(sweep_file), out, workers=1, resume=True, progress=False)
    assert (again.ran, again.skipped) == (1, RUNS - 1)
    assert_complete(out, reference)


def test_only_model_failures_are_kept_and_retry_failed_reruns_them(
    sweep_file, tmp_path, monkeypatch, reference
):
    out = tmp_path / "out"

    def fragile(scenario, progress=None):
        if scenario.labour.mobility == 0.5:
            raise FloatingPointError("diverged")
        return run_scenario(scenario, progress)

    monkeypatch.setattr(runner, "run_scenario", fragile)
    first = run_sweep(plan_from_file(sweep_file), out, workers=1, progress=False)
    assert first.failed == 3
    kept = run_sweep(plan_from_file(sweep_file), out, workers=1, resume=True, progress=False)
    assert kept.ran == 0  # a failure inside the model stays failed
    monkeypatch.undo()
    retried = run_sweep(plan_from_file(sweep_file), out, workers=1, resume=True,
                        retry_failed=True, progress=False)  # fmt: skip
    assert (retried.ran, retried.failed) == (3, 0)
    assert_complete(out, reference)


def _numba_style(signal_error: BaseException):
    """A run that fails as numba's dispatcher reports a signal arriving in compiled code:
    ``SystemError(... returned a result with an exception set)`` caused by it."""

    def run(scenario, progress=None):
        raise SystemError("CPUDispatcher(<function _separate>) returned a result with an "
                          "exception set") from signal_error  # fmt: skip

    return run


def test_a_ctrl_c_in_compiled_code_interrupts_the_sweep_not_the_run(
    sweep_file, tmp_path, monkeypatch
):
    """Found in CI: a Ctrl-C landing in a numba loop came back as a SystemError, was
    recorded as a failure of the model and the sweep went on (exit 1 instead of 130)."""
    monkeypatch.setattr(runner, "run_scenario", _numba_style(KeyboardInterrupt()))
    with pytest.raises(SweepInterruptedError):
        run_sweep(plan_from_file(sweep_file), tmp_path / "out", workers=1, progress=False)
    assert not list((tmp_path / "out" / "records").glob("run_*.json"))
    # `sim run` says "interrupted" and exits 130, as for a Ctrl-C in Python code.
    import sim.run

    monkeypatch.setattr(sim.run, "run_scenario", _numba_style(KeyboardInterrupt()))
    code = main(["run", str(ROOT / "scenarios/baseline.toml"), "--steps", "2",
                 "--out", str(tmp_path / "single")])  # fmt: skip
    assert code == 130


def test_a_time_limit_in_compiled_code_is_a_timeout_not_a_failure(
    sweep_file, tmp_path, monkeypatch
):
    monkeypatch.setattr(runner, "run_scenario", _numba_style(RunTimedOut(1.0, 3, 6)))
    outcome = run_sweep(
        plan_from_file(sweep_file), tmp_path / "out", workers=1, progress=False, timeout=60.0
    )
    assert (outcome.timed_out, outcome.failed) == (RUNS, 0)


def test_a_ctrl_c_during_a_month_stops_the_run_at_the_end_of_that_month(
    sweep_file, tmp_path, monkeypatch
):
    """The run holds a Ctrl-C until its month ends (so that it is never raised inside
    compiled code); then the sweep stops as for any Ctrl-C."""
    months_done = []

    def run(scenario, progress=None):
        for month in range(1, scenario.run.steps + 1):
            if month == 2:
                os.kill(os.getpid(), signal.SIGINT)  # arrives mid-month: held
            months_done.append(month)
            progress(month)
        pytest.fail("the run went on after the month of the Ctrl-C")

    monkeypatch.setattr(runner, "run_scenario", run)
    with pytest.raises(SweepInterruptedError):
        run_sweep(plan_from_file(sweep_file), tmp_path / "out", workers=1, progress=False)
    assert months_done == [1, 2]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_a_second_ctrl_c_stops_a_run_at_once():
    with pytest.raises(KeyboardInterrupt), deferred_interrupt():
        os.kill(os.getpid(), signal.SIGINT)  # held
        os.kill(os.getpid(), signal.SIGINT)  # raises here
        time.sleep(1.0)
        pytest.fail("the second Ctrl-C did not stop the block")
    with pytest.raises(KeyboardInterrupt), deferred_interrupt():  # held to the block's end
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(0.05)
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_signal_behind_finds_the_signal_in_a_chain_and_nothing_in_a_plain_error():
    try:
        try:
            raise KeyboardInterrupt
        except KeyboardInterrupt as interrupt:
            raise ValueError("while handling") from interrupt
    except ValueError as error:
        assert isinstance(signal_behind(error), KeyboardInterrupt)
    assert signal_behind(FloatingPointError("diverged")) is None
    looped = ValueError("a")
    looped.__context__ = ValueError("b")
    looped.__context__.__context__ = looped
    assert signal_behind(looped) is None


# --- damaged and foreign records ---------------------------------------------------------


def test_truncated_and_empty_records_are_reported_and_redone(sweep_file, tmp_path, reference):
    out = tmp_path / "out"
    run_sweep(plan_from_file(sweep_file), out, workers=1, progress=False)
    text = record_path(out, 2).read_text()
    record_path(out, 2).write_text(text[: len(text) // 2])
    record_path(out, 5).write_text("")
    record = json.loads(record_path(out, 7).read_text())
    record["summary"]["cpi"] = 123.0  # a changed number: the checksum catches it
    record_path(out, 7).write_text(json.dumps(record))
    steps_path(out, 8).unlink()  # a record whose series is gone
    outcome = run_sweep(plan_from_file(sweep_file), out, workers=1, resume=True, progress=False)
    assert outcome.damaged == (2, 5, 7, 8)
    assert (
        "run 2 (unreadable" in outcome.notes[0] and "run 7 (checksum mismatch)" in outcome.notes[0]
    )
    assert outcome.ran == 4
    assert_complete(out, reference)


def test_a_record_from_another_sweep_never_enters_runs_parquet(sweep_file, tmp_path, reference):
    first, second = tmp_path / "first", tmp_path / "second"
    run_sweep(plan_from_file(sweep_file), first, workers=1, progress=False)
    run_sweep(plan_from_file(sweep_file), second, workers=1, progress=False)
    record_path(second, 3).write_text(record_path(first, 3).read_text())  # same run, other sweep
    outcome = run_sweep(plan_from_file(sweep_file), second, workers=1, resume=True,
                        progress=False)  # fmt: skip
    assert outcome.damaged == (3,) and "belongs to another sweep" in outcome.notes[0]
    assert_complete(second, reference)


def test_a_directory_with_files_of_an_unknown_sweep_is_refused(sweep_file, tmp_path):
    out = tmp_path / "out"
    (out / "records").mkdir(parents=True)
    (out / "records" / "run_000000.json").write_text("{}")
    with pytest.raises(ScenarioError, match="unknown sweep; choose an empty --out"):
        run_sweep(plan_from_file(sweep_file), out, workers=1, progress=False)
    assert not (out / "manifest.json").exists()


def test_leftover_temporary_files_do_not_survive(sweep_file, tmp_path, reference):
    out = tmp_path / "out"
    run_sweep(plan_from_file(sweep_file), out, workers=1, progress=False)
    (out / "records" / ".run_000001.json.dead.tmp").write_text("{")
    (out / "steps" / "run_id=000001" / ".part.parquet.dead.tmp").write_bytes(b"PAR")
    run_sweep(plan_from_file(sweep_file), out, workers=1, resume=True, progress=False)
    assert_complete(out, reference)


def test_resume_says_when_the_code_version_changed(sweep_file, tmp_path, monkeypatch):
    out = tmp_path / "out"
    run_sweep(plan_from_file(sweep_file), out, workers=1, progress=False)
    monkeypatch.setattr(manifest_module, "code_version", lambda: "v-next")
    outcome = run_sweep(plan_from_file(sweep_file), out, workers=1, resume=True, progress=False)
    assert any("this is v-next" in note for note in outcome.notes)


# --- a second writer and an unwritable --out ---------------------------------------------


def test_a_second_writer_is_refused_while_a_sweep_holds_the_directory(sweep_file, tmp_path):
    out = tmp_path / "out"
    run_sweep(plan_from_file(sweep_file), out, workers=1, progress=False)
    with runner.sweep_lock(out), pytest.raises(ScenarioError, match="in use by another sweep"):
        run_sweep(plan_from_file(sweep_file), out, workers=1, resume=True, progress=False)


@pytest.mark.slow
def test_two_resumes_at_once_run_each_run_once(sweep_file, tmp_path, capsys):
    out = tmp_path / "out"
    longer = ["--workers", "1", "--set", "run.steps=240"]  # so the two overlap
    first = sim_command("sweep", str(sweep_file), "--out", str(out), *longer)
    wait_for_records(out, 1)
    assert first.poll() is None, "the first sweep ended too soon to test a second writer"
    code = main(["sweep", str(sweep_file), "--out", str(out), *longer, "--resume"])
    assert code == 2 and "in use by another sweep" in capsys.readouterr().err
    assert first.wait(timeout=900) == 0
    sound, damaged = check_records(out, remove=False)
    assert sorted(sound) == list(range(RUNS)) and not damaged


def unwritable_directory(tmp_path: Path) -> Path:
    """A directory this process cannot write in (root ignores permission bits)."""
    if os.geteuid() == 0:
        return Path("/proc/self/sim-out")
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    return locked / "out"


def test_an_unwritable_out_is_refused_before_any_run(sweep_file, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(runner, "run_scenario", lambda *a, **k: pytest.fail("simulated"))
    out = unwritable_directory(tmp_path)
    assert main(["sweep", str(sweep_file), "--out", str(out), "--workers", "1"]) == 2
    assert "cannot write" in capsys.readouterr().err
    file_out = tmp_path / "a-file"
    file_out.write_text("x")
    assert main(["sweep", str(sweep_file), "--out", str(file_out), "--workers", "1"]) == 2
    assert "is a file, not a directory" in capsys.readouterr().err


def test_sim_run_refuses_an_unwritable_out_before_simulating(tmp_path, monkeypatch, capsys):
    import sim.run

    monkeypatch.setattr(sim.run, "run_scenario", lambda *a, **k: pytest.fail("simulated"))
    out = unwritable_directory(tmp_path)
    code = main(["run", str(ROOT / "scenarios/baseline.toml"), "--steps", "2", "--out", str(out)])
    assert code == 2
    assert "cannot write" in capsys.readouterr().err


# --- Ctrl-C ------------------------------------------------------------------------------


def interrupt_and_check(sweep_file: Path, out: Path, workers: str) -> None:
    """Ctrl-C as a terminal sends it (to the whole process group) after the first record:
    a prompt stop, exit 130, one line saying how to resume, no traceback, no orphan."""
    process = sim_command("sweep", str(sweep_file), "--out", str(out), "--workers", workers,
                          "--set", LONGER[0], start_new_session=True)  # fmt: skip
    wait_for_records(out, 1)
    group = os.getpgid(process.pid)
    members = [process.pid, *(c.pid for c in psutil.Process(process.pid).children(True))]
    started = time.monotonic()
    os.killpg(group, signal.SIGINT)
    _, error = process.communicate(timeout=60)
    assert time.monotonic() - started < 30
    assert process.returncode == 130, "the sweep ended before Ctrl-C: make the runs longer"
    assert "Traceback" not in error and "KeyboardInterrupt" not in error
    lines = [line for line in error.strip().splitlines() if line.strip() and "sweep:" not in line]
    assert len(lines) == 1 and "--resume" in lines[0], error
    time.sleep(1.0)
    alive = [pid for pid in members if psutil.pid_exists(pid)
             and psutil.Process(pid).status() != psutil.STATUS_ZOMBIE]  # fmt: skip
    assert not alive, f"orphan processes: {alive}"


def test_ctrl_c_stops_a_serial_sweep_that_resumes_to_the_same_results(
    sweep_file, tmp_path, longer_reference
):
    out = tmp_path / "out"
    interrupt_and_check(sweep_file, out, "1")
    assert len(list((out / "records").glob("run_*.json"))) < RUNS
    plan = plan_from_file(sweep_file, LONGER)
    resumed = run_sweep(plan, out, workers=1, resume=True, progress=False)
    assert resumed.ran + resumed.skipped == RUNS
    assert_complete(out, longer_reference)


@pytest.mark.slow
def test_ctrl_c_stops_a_parallel_sweep_that_resumes_to_the_same_results(
    sweep_file, tmp_path, longer_reference
):
    out = tmp_path / "out"
    interrupt_and_check(sweep_file, out, "2")
    plan = plan_from_file(sweep_file, LONGER)
    run_sweep(plan, out, workers=2, resume=True, progress=False)
    assert_complete(out, longer_reference)


@pytest.mark.slow
@pytest.mark.parametrize("records", range(RUNS))
def test_kill_9_at_any_moment_loses_nothing(sweep_file, tmp_path, reference, records):
    out = tmp_path / "out"
    process = sim_command("sweep", str(sweep_file), "--out", str(out), "--workers", "2",
                          start_new_session=True)  # fmt: skip
    if records:
        wait_for_records(out, records)
    else:
        time.sleep(3.0)
    os.killpg(os.getpgid(process.pid), signal.SIGKILL)
    process.communicate(timeout=60)
    run_sweep(plan_from_file(sweep_file), out, workers=2, resume=True, progress=False)
    assert_complete(out, reference)
