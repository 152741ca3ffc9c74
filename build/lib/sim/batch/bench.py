"""How fast a sweep of the full economy runs on 1, 2, ... local processes.

Core object: :func:`sweep_benchmark` (called by ``sim bench``).
"""

from __future__ import annotations

import statistics
import tempfile
import time
from concurrent.futures import Executor, wait
from pathlib import Path

from sim.batch.design import SweepPlan, plan_from_data
from sim.batch.executors import open_executor
from sim.batch.runner import execute_run

WARM_UP = {"population.workers": 300, "population.firms": 15, "run.steps": 2}
"""A tiny run per worker before timing, so imports and start-up are not timed."""


def _benchmark_plan(runs: int, overrides: dict | None = None) -> SweepPlan:
    """``runs`` replicates of the default economy (10,000 workers, 120 months)."""
    data = {"sweep": {"replicates": runs, "parameters": {"run.steps": {"values": [120]}}}}
    return plan_from_data(data, overrides, source="benchmark")


def _time_batch(executor: Executor, plan: SweepPlan, out: Path) -> float:
    """Seconds to run every task of ``plan`` with all of them queued at once."""
    started = time.perf_counter()
    futures = [executor.submit(execute_run, task, str(out)) for task in plan.tasks()]
    wait(futures)
    failed = [f.result()["error"] for f in futures if f.result()["status"] != "ok"]
    if failed:
        raise RuntimeError(f"benchmark run failed: {failed[0]}")
    return time.perf_counter() - started


def sweep_benchmark(runs: int, workers: list[int], repeats: int = 3) -> dict:
    """Throughput of a sweep of ``runs`` runs of the 10,000-worker, 120-month economy.

    For each process count the pool is started and warmed up once, then the batch is
    timed ``repeats`` times with every run queued (the pool is never idle waiting).

    Returns:
        ``{"runs": runs, "repeats": repeats, "results": {n: {"seconds": median wall
        time of the batch, "runs_per_s": runs / seconds}}, "speedup": {n: runs_per_s
        relative to the first process count}}``.
    """
    plan = _benchmark_plan(runs)
    warm_up = _benchmark_plan(max(workers), WARM_UP)
    results = {}
    with tempfile.TemporaryDirectory(prefix="sim-bench-") as scratch:
        for count in workers:
            with open_executor(count) as executor:
                _time_batch(executor, warm_up, Path(scratch))
                seconds = statistics.median(
                    _time_batch(executor, plan, Path(scratch)) for _ in range(repeats)
                )
            results[count] = {"seconds": seconds, "runs_per_s": runs / seconds}
    reference = results[workers[0]]["runs_per_s"]
    speedup = {n: r["runs_per_s"] / reference for n, r in results.items()}
    return {"runs": runs, "repeats": repeats, "results": results, "speedup": speedup}
