"""Run a sweep: every missing run, on any executor, recorded as it completes.

Core objects: :func:`run_sweep`, :func:`execute_run`, :class:`SweepOutcome`,
:class:`SweepInterruptedError`.

The loop keeps a bounded window of small tasks (run id, scenario data, seed) in
flight and waits for the first to finish, so a record is written as each run
finishes whatever the number of processes (one process included). A worker writes
the run's monthly series itself, so only the summary (a few numbers) comes back;
this process then writes the run's record.

Failures are told apart by where they happen:

- *inside the model* (the run raised): :func:`execute_run` returns a record with
  ``status = "failed"`` and the error; the sweep goes on, and ``--resume`` keeps it
  (``--retry-failed`` runs it again on purpose);
- *outside the model* (a worker process lost, e.g. to the kernel's OOM killer; a
  Dask worker gone; memory exhausted): the local pool is restarted and the run
  retried up to :data:`ATTEMPTS` times; a run still not done is recorded with
  ``status = "lost"`` and the last error, and ``--resume`` runs it again;
- *past its time limit* (``timeout``, :mod:`sim.batch.timeout`): recorded with
  ``status = "timeout"`` and the month it reached, not retried in this sweep (it
  would most likely time out again), run again by ``--resume``.

The output directory is locked (``DIR/.lock``, an exclusive ``flock``) for as long as
the sweep runs, so a second ``sim sweep --resume`` on it is refused.
"""

from __future__ import annotations

import fcntl
import os
import time
import traceback
import uuid
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from tqdm import tqdm

from sim.batch import store
from sim.batch.design import RunTask, SweepPlan
from sim.batch.executors import (
    InProcessExecutor,
    check_scheduler,
    default_workers,
    open_executor,
    stop_executor,
)
from sim.batch.manifest import (
    MANIFEST_FILE,
    build_manifest,
    check_resumable,
    code_version,
    read_manifest,
)
from sim.batch.timeout import (
    MAX_TIMEOUT_S,
    RunTimedOut,
    deferred_interrupt,
    format_duration,
    signal_behind,
    time_limit,
)
from sim.run import run_scenario
from sim.scenario import ScenarioError, build_scenario
from sim.scenario.resources import check_memory, default_memory_limit

ATTEMPTS = 3
"""Times a run whose worker was lost is tried in one call of :func:`run_sweep`."""

IN_FLIGHT_PER_WORKER = 2
"""Tasks submitted ahead per worker process (bounds memory for a million-run sweep)."""

LOCK_FILE = ".lock"


class SweepInterruptedError(Exception):
    """Ctrl-C (or SIGTERM) stopped the sweep; finished runs are recorded."""


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
        "steps_bytes": None,
    }


def execute_run(task: RunTask, out: str | Path, timeout: float | None = None) -> dict[str, Any]:
    """Run one task, write its monthly series under ``out/steps`` and return its record.

    Never raises for a failure of the model: the record then has ``status = "failed"``
    and the error's last traceback lines. A run that passes ``timeout`` seconds of
    wall-clock time is stopped and returns a record with ``status = "timeout"``.
    Other failures outside the model (memory exhausted, the process interrupted)
    propagate, so the run is retried.
    """
    started = time.perf_counter()
    try:
        scenario = build_scenario(task.scenario, source=f"run {task.run_id}")
        with (
            deferred_interrupt() as check_interrupt,
            time_limit(timeout, scenario.run.steps) as check_clock,
        ):

            def after_month(month: int) -> None:
                check_interrupt()
                check_clock(month)

            result = run_scenario(scenario, progress=after_month)
        steps_bytes = store.write_steps(Path(out), task.run_id, result.steps)
    except RunTimedOut as stopped:
        return _timed_out(task, stopped, started)
    except (MemoryError, OSError):
        raise  # the machine, not the model: retried
    except Exception as error:
        hidden = signal_behind(error)  # a signal that arrived in compiled code
        if isinstance(hidden, RunTimedOut):
            return _timed_out(task, hidden, started)
        if hidden is not None:
            raise hidden from error
        lines = traceback.format_exception(error)
        text = f"{type(error).__name__}: {error}\n" + "".join(lines[-3:])
        return _record(task, "failed", text, time.perf_counter() - started, {})
    record = _record(task, "ok", "", time.perf_counter() - started, result.summary)
    record["steps_bytes"] = steps_bytes
    return record


def _timed_out(task: RunTask, stopped: RunTimedOut, started: float) -> dict[str, Any]:
    text = f"timeout: {stopped}; outside the model: --resume runs it again"
    return _record(task, "timeout", text, time.perf_counter() - started, {})


@dataclass(frozen=True)
class SweepOutcome:
    """What a call to :func:`run_sweep` did.

    ``lost`` counts runs not done because their worker was lost :data:`ATTEMPTS`
    times, ``timed_out`` runs stopped at the time limit (both recorded with their
    reason; ``--resume`` does them again); ``damaged`` lists run ids whose
    records were damaged and were run again; ``notes`` are lines worth printing
    (a changed code version, damaged records, leftover temporary files).
    """

    out: Path
    runs: pd.DataFrame
    ran: int
    failed: int
    skipped: int
    lost: int = 0
    damaged: tuple[int, ...] = ()
    notes: tuple[str, ...] = ()
    timed_out: int = 0


@contextmanager
def sweep_lock(out: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``out`` (``out/.lock``) for the duration.

    Raises:
        ScenarioError: if another process holds it.
    """
    path = out / LOCK_FILE
    handle = path.open("a+")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip()[:100] or "another process"
            raise ScenarioError(
                f"{out} is in use by another sweep ({holder}); wait for it to finish, "
                "or choose another --out"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()} on {os.uname().nodename}\n")
        handle.flush()
        yield
    finally:
        handle.close()  # releases the lock


def _prepare(
    plan: SweepPlan, out: Path, resume: bool, retry_failed: bool
) -> tuple[set[int], tuple[int, ...], list[str], str]:
    """Write or check the manifest; return (runs done, damaged run ids, notes, sweep id)."""
    manifest = build_manifest(plan)
    notes: list[str] = []
    if not (out / MANIFEST_FILE).exists():
        leftovers = [name for name in (store.RECORDS_DIR, store.STEPS_DIR, store.RUNS_FILE)
                     if (out / name).exists()]  # fmt: skip
        if leftovers:
            raise ScenarioError(
                f"{out} holds {', '.join(leftovers)} but no {MANIFEST_FILE}: files of an "
                "unknown sweep; choose an empty --out"
            )
        manifest["sweep_id"] = uuid.uuid4().hex
        store.write_json(out / MANIFEST_FILE, manifest)
        return set(), (), notes, manifest["sweep_id"]
    if not resume:
        raise ScenarioError(
            f"{out} already holds a sweep; add --resume to finish it, or choose another --out"
        )
    try:
        old = read_manifest(out)
    except ValueError:
        raise ScenarioError(f"{out}/{MANIFEST_FILE} is damaged; choose a new --out") from None
    check_resumable(old, manifest, out)
    if old.get("code_version") != manifest["code_version"]:
        notes.append(
            f"note: {out} was started with code version {old.get('code_version')}; this is "
            f"{manifest['code_version']}. Runs already done keep their results; each "
            "record names the version that made it."
        )
    records, damaged = store.check_records(out)
    if damaged:
        listed = ", ".join(f"run {i} ({why})" for i, why in list(damaged.items())[:20])
        notes.append(f"damaged records, run again: {listed}")
    redo = set(store.OUTSIDE_MODEL) | ({"failed"} if retry_failed else set())
    done = {i for i, record in records.items() if record["status"] not in redo}
    return done, tuple(damaged), notes, old.get("sweep_id")


def _window(executor) -> int:
    """Tasks to keep in flight: 1 in this process, else two per worker (thread)."""
    if isinstance(executor, InProcessExecutor):
        return 1
    client = getattr(executor, "_client", None)  # a Dask cluster: count its threads
    workers = sum(client.nthreads().values()) if client is not None else executor._max_workers
    return max(1, IN_FLIGHT_PER_WORKER * (workers or default_workers()))


def _completed_runs_on(
    executor, tasks: list[RunTask], out: Path, on_record, on_lost, timeout: float | None = None
) -> list[RunTask]:
    """Run ``tasks`` on ``executor`` (each limited to ``timeout`` seconds), calling
    ``on_record(record)`` as each finishes and ``on_lost(task, error)`` for a run lost
    outside the model. Returns the tasks not started because the executor broke (a
    local worker process died)."""
    queue = iter(tasks)
    in_flight: dict[Future, RunTask] = {}
    limit = _window(executor)
    broken = False

    def refill() -> None:
        while not broken and len(in_flight) < limit:
            task = next(queue, None)
            if task is None:
                return
            in_flight[executor.submit(execute_run, task, str(out), timeout)] = task

    refill()
    while in_flight:
        finished, _ = wait(in_flight, return_when=FIRST_COMPLETED)
        for future in finished:
            task = in_flight.pop(future)
            try:
                record = future.result()
            except BrokenProcessPool as error:
                broken = True
                on_lost(task, error)
            except (KeyboardInterrupt, SystemExit):
                raise
            except BaseException as error:  # outside the model: a lost Dask worker, memory
                on_lost(task, error)
            else:
                on_record(record)
        refill()
    return list(queue)


def run_sweep(
    plan: SweepPlan,
    out: str | Path,
    workers: int | None = None,
    scheduler: str | None = None,
    resume: bool = False,
    progress: bool = True,
    retry_failed: bool = False,
    max_memory: int | None = None,
    timeout: float | None = None,
) -> SweepOutcome:
    """Run every run of ``plan`` that ``out`` does not hold yet, then rebuild runs.parquet.

    Args:
        workers: local processes (default all cores; 1 = in this process).
        scheduler: Dask scheduler address; tasks then run on that cluster.
        resume: continue a sweep in ``out`` (refused if the sweep has changed).
        progress: show a progress bar (done, failed, elapsed, remaining).
        retry_failed: with ``resume``, also run again the runs that failed inside the model.
        max_memory: bytes all local processes together may use (default: half of this
            machine's memory); refused before anything runs if the estimate exceeds it.
        timeout: seconds of wall-clock time each run may take (default: no limit); a
            run past it is stopped and recorded as ``timeout`` (see
            :mod:`sim.batch.timeout`), and ``--resume`` runs it again.

    Raises:
        ScenarioError: if ``out`` cannot be written, is locked by another sweep, holds a
            sweep and ``resume`` is false, holds a different sweep, or the runs would
            not fit in memory.
        SweepInterruptedError: on Ctrl-C; every finished run is recorded.
    """
    from sim.report import check_output_directory

    out = Path(out)
    if timeout is not None and not 0 < timeout <= MAX_TIMEOUT_S:
        raise ScenarioError(f"timeout {timeout!r} is not allowed (above 0 s, at most 30 days)")
    processes = 1 if scheduler else (workers or default_workers())
    limit = max_memory if max_memory is not None else default_memory_limit()
    check_memory(build_scenario(plan.base, source=plan.source), limit, plan.source, processes)
    check_output_directory(out)
    if scheduler is not None:
        check_scheduler(scheduler)
    out.mkdir(parents=True, exist_ok=True)
    with sweep_lock(out):
        store.remove_temporaries(out)
        done, damaged, notes, sweep_id = _prepare(plan, out, resume, retry_failed)
        version = code_version()
        pending = list(plan.tasks(done))
        attempts: dict[int, int] = {}
        counts = {"ran": 0, "failed": 0, "timeout": 0}

        with tqdm(total=len(pending), unit="run", disable=not progress, desc="sweep") as bar:

            def on_record(record: dict) -> None:
                store.write_record(out, {**record, "sweep_id": sweep_id, "code_version": version})
                counts["ran"] += record["status"] not in store.OUTSIDE_MODEL
                counts["failed"] += record["status"] == "failed"
                counts["timeout"] += record["status"] == "timeout"
                bar.set_postfix(failed=counts["failed"], refresh=False)
                bar.update()

            def on_lost(task: RunTask, error: BaseException) -> None:
                attempts[task.run_id] = attempts.get(task.run_id, 0) + 1
                if attempts[task.run_id] < ATTEMPTS:
                    retry.append(task)
                else:
                    reason = f"{type(error).__name__}: {str(error)[:300]}"
                    text = f"lost: its worker was lost {ATTEMPTS} times (last: {reason})"
                    on_record(_record(task, "lost", text, 0.0, {}))

            try:
                while pending:
                    retry: list[RunTask] = []
                    with open_executor(workers, scheduler) as executor:
                        try:
                            unstarted = _completed_runs_on(
                                executor, pending, out, on_record, on_lost, timeout
                            )
                        except BaseException:
                            stop_executor(executor)
                            raise
                    pending = retry + unstarted
            except KeyboardInterrupt:
                store.consolidate(out)
                raise SweepInterruptedError(
                    f"interrupted: {counts['ran']} runs done in this session, "
                    f"{len(store.completed_runs(out))} of {plan.n_runs} in all"
                ) from None
        lost = sum(1 for n in attempts.values() if n >= ATTEMPTS)
        if lost:
            notes.append(
                f"{lost} runs not done: their worker process was lost {ATTEMPTS} times "
                "(out of memory?); recorded as lost, run again with --resume"
            )
        if counts["timeout"]:
            notes.append(
                f"{counts['timeout']} runs passed the time limit of "
                f"{format_duration(timeout)} and were stopped; recorded as timeout, run "
                "again with --resume (and a larger --timeout if they need longer)"
            )
        store.consolidate(out)
        store.remove_temporaries(out)
    return SweepOutcome(
        out, store.read_runs(out), counts["ran"], counts["failed"], len(done), lost,
        damaged, tuple(notes), counts["timeout"],
    )  # fmt: skip
