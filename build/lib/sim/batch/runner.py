"""Run a sweep: every missing run, on any executor, recorded as it completes.

Core objects: :func:`run_sweep`, :func:`execute_run`, :class:`SweepOutcome`.

The loop is a plain ``concurrent.futures.as_completed`` over small tasks (run id,
scenario data, seed). A worker writes the run's monthly series itself, so only the
summary (a few numbers) comes back; this process then writes the run's record. A
run that raises is recorded as ``failed`` with its error and the sweep goes on.
"""

from __future__ import annotations

import time
import traceback
from concurrent.futures import Future, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from tqdm import tqdm

from sim.batch import store
from sim.batch.design import RunTask, SweepPlan
from sim.batch.executors import open_executor
from sim.batch.manifest import MANIFEST_FILE, build_manifest, check_resumable, read_manifest
from sim.run import run_scenario
from sim.scenario import ScenarioError, build_scenario


def _record(task: RunTask, status: str, error: str, wall_time: float, summary: dict) -> dict:
    return {
        "run_id": task.run_id,
        "point": task.point,
        "replicate": task.replicate,
        "seed": task.seed,
        "parameters": task.parameters,
        "status": status,
        "error": error,
        "wall_time_s": wall_time,
        "summary": summary,
    }


def execute_run(task: RunTask, out: str | Path) -> dict[str, Any]:
    """Run one task, write its monthly series under ``out/steps`` and return its record.

    Never raises for a failure of the model: the record then has ``status = "failed"``
    and the error's last traceback lines.
    """
    started = time.perf_counter()
    try:
        scenario = build_scenario(task.scenario, source=f"run {task.run_id}")
        result = run_scenario(scenario)
        store.write_steps(Path(out), task.run_id, result.steps)
    except Exception as error:
        lines = traceback.format_exception(error)
        text = f"{type(error).__name__}: {error}\n" + "".join(lines[-3:])
        return _record(task, "failed", text, time.perf_counter() - started, {})
    return _record(task, "ok", "", time.perf_counter() - started, result.summary)


@dataclass(frozen=True)
class SweepOutcome:
    """What a call to :func:`run_sweep` did."""

    out: Path
    runs: pd.DataFrame
    ran: int
    failed: int
    skipped: int


def _prepare(plan: SweepPlan, out: Path, resume: bool) -> set[int]:
    """Write or check the manifest; return the ids of runs already done."""
    manifest = build_manifest(plan)
    if (out / MANIFEST_FILE).exists():
        if not resume:
            raise ScenarioError(
                f"{out} already holds a sweep; add --resume to finish it, or choose another --out"
            )
        check_resumable(read_manifest(out), manifest, out)
        return store.completed_runs(out)
    store.write_json(out / MANIFEST_FILE, manifest)
    return set()


def run_sweep(
    plan: SweepPlan,
    out: str | Path,
    workers: int | None = None,
    scheduler: str | None = None,
    resume: bool = False,
    progress: bool = True,
) -> SweepOutcome:
    """Run every run of ``plan`` that ``out`` does not hold yet, then rebuild runs.parquet.

    Args:
        workers: local processes (default all cores; 1 = in this process).
        scheduler: Dask scheduler address; tasks then run on that cluster.
        resume: continue a sweep in ``out`` (refused if the sweep has changed).
        progress: show a progress bar (done, failed, elapsed, remaining).

    Raises:
        ScenarioError: if ``out`` holds a sweep and ``resume`` is false, or holds a
            different sweep.
    """
    out = Path(out)
    done = _prepare(plan, out, resume)
    todo = plan.n_runs - len(done)
    failed = 0
    with (
        tqdm(total=todo, unit="run", disable=not progress, desc="sweep") as bar,
        open_executor(workers, scheduler) as executor,
    ):
        futures: dict[Future, RunTask] = {
            executor.submit(execute_run, task, str(out)): task for task in plan.tasks(done)
        }
        try:
            for future in as_completed(futures):
                task = futures[future]
                try:
                    record = future.result()
                except Exception as error:  # the worker itself died or was lost
                    record = _record(task, "failed", f"{type(error).__name__}: {error}", 0.0, {})
                store.write_record(out, record)
                failed += record["status"] == "failed"
                bar.set_postfix(failed=failed, refresh=False)
                bar.update()
        except KeyboardInterrupt:
            for future in futures:
                future.cancel()
            raise
        finally:
            store.consolidate(out)
    return SweepOutcome(out, store.read_runs(out), todo, failed, len(done))
