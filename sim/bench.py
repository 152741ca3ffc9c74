"""``sim bench``: reproducible speed and memory measurements.

Core objects: :func:`measure_model` (one configuration in a fresh process),
:func:`profile_model` (where a month's time goes), :func:`fingerprint` (a run's
results in two hashes, to check that a speed-up changed nothing), :func:`register`. Each
configuration runs in its own process so that peak memory (max resident set size)
belongs to that run alone. We report medians over repeats and the time per simulated
month; no test asserts on these numbers.
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import io
import json
import multiprocessing
import platform
import pstats
import resource
import statistics
import time
from pathlib import Path

import numpy as np

CONFIGURATIONS = {
    "classroom": {"population.workers": 2_000, "population.firms": 60},
    "default": {"population.workers": 10_000, "population.firms": 200},
    "million": {"population.workers": 1_000_000, "population.firms": 10_000},
}
"""Named economies: the app's classroom size, the baseline, and the issue's 10^6 target."""

SCENARIO_DIR = Path(__file__).resolve().parents[1] / "scenarios"

FINGERPRINT_RUNS = {
    f"{name}-{seed}": (file, {**overrides, "run.seed": seed})
    for seed in (42, 3)
    for name, file, overrides in (
        ("baseline", "baseline.toml", {}),
        ("credit-off", "baseline.toml", {"credit.enabled": False}),
        ("frictionless", "frictionless.toml", {}),
    )
}
"""The runs whose results a speed-up must leave bit-identical (``sim bench --fingerprint``)."""


def _run(overrides: dict, steps: int, queue) -> None:
    from sim.model import EconomyModel

    started = time.perf_counter()
    model = EconomyModel(**{**overrides, "run.steps": steps})
    built = time.perf_counter()
    step_times = []
    for _ in range(steps):
        tick = time.perf_counter()
        model.step()
        step_times.append(time.perf_counter() - tick)
    finished = time.perf_counter()
    queue.put(
        {
            "build_s": built - started,
            "run_s": finished - built,
            "median_step_ms": 1e3 * statistics.median(step_times),
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        }
    )


def measure_model(overrides: dict, steps: int) -> dict:
    """Build and run one economy in a fresh process; returns its timings and memory."""
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=_run, args=(overrides, steps, queue))
    process.start()
    result = queue.get()
    process.join()
    return result


def profile_model(overrides: dict, warm_up: int, months: int, top: int = 15) -> str:
    """Profile ``months`` months after ``warm_up`` months of one economy.

    Returns a table of the functions with the most time of their own (compiled
    numba loops count in the Python function that calls them), in ms per month.
    """
    from sim.model import EconomyModel

    model = EconomyModel(**{**overrides, "run.steps": warm_up + months})
    for _ in range(warm_up):
        model.step()
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(months):
        model.step()
    profiler.disable()
    stats = pstats.Stats(profiler).stats
    total = sum(entry[2] for entry in stats.values())  # own time of every function
    rows = sorted(stats.items(), key=lambda item: item[1][2], reverse=True)[:top]
    table = io.StringIO()
    table.write(f"{'ms/month':>9} {'share':>6}  function\n")
    for (path, line, name), entry in rows:
        where = f"{Path(path).name}:{line} {name}" if line else name
        table.write(f"{1e3 * entry[2] / months:9.1f} {entry[2] / total:6.1%}  {where}\n")
    table.write(f"{1e3 * total / months:9.1f} {1:6.1%}  all ({months} months after {warm_up})\n")
    return table.getvalue()


def fingerprint(
    scenario_file: Path, overrides: dict, months: int = 60, workers: int = 10_000
) -> dict[str, str]:
    """Run a scenario and hash what it produced: the step frame (every reported series,
    printed with 17 significant digits) and every field of the firms after every month.

    Two code versions that give the same hashes on the same machine and libraries
    computed the same numbers to the last bit. The hashes are not meant to agree across
    numpy or numba versions (their elementary functions may round differently).
    """
    from sim.model import EconomyModel
    from sim.scenario import load_scenario

    settings = {**overrides, "run.steps": months, "population.workers": workers}
    model = EconomyModel(config=load_scenario(scenario_file, settings))
    firms = hashlib.sha256()
    for _ in range(months):
        model.step()
        for name in model.firms.fields:
            values = np.ascontiguousarray(getattr(model.firms, name))
            firms.update(f"{name}:{values.dtype}".encode())
            firms.update(values.tobytes())
    steps = model.results().to_csv(float_format="%.17g").encode()
    return {"steps": hashlib.sha256(steps).hexdigest()[:16], "firms": firms.hexdigest()[:16]}


def command_bench(args: argparse.Namespace) -> int:
    """Run the named configurations ``repeats`` times and print medians (or, with
    ``--profile``, where a month's time goes; with ``--fingerprint``, the hashes of the
    runs a speed-up must leave unchanged)."""
    if args.fingerprint:
        for name, (file, overrides) in FINGERPRINT_RUNS.items():
            hashes = fingerprint(SCENARIO_DIR / file, overrides)
            print(f"{name:>16}: steps {hashes['steps']}  firms {hashes['firms']}")
        return 0
    if args.profile:
        for name in args.configs:
            print(f"{name}: own time per simulated month")
            print(profile_model(CONFIGURATIONS[name], args.warm_up, args.profile))
        return 0
    results: dict[str, dict] = {
        "machine": {"python": platform.python_version(), "processor": platform.machine(),
                    "numpy": np.__version__, "cpus": multiprocessing.cpu_count()},
    }  # fmt: skip
    for name in args.configs:
        runs = [measure_model(CONFIGURATIONS[name], args.steps) for _ in range(args.repeats)]
        summary = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
        summary["steps"] = args.steps
        summary["steps_per_s"] = args.steps / summary["run_s"]
        summary["repeats"] = args.repeats
        results[name] = summary
        print(
            f"{name:>10}: {CONFIGURATIONS[name]['population.workers']:>9,} workers, "
            f"{args.steps} months: build {summary['build_s']:.2f} s, run {summary['run_s']:.1f} s "
            f"({summary['median_step_ms']:.1f} ms/month median, {summary['steps_per_s']:.0f} "
            f"months/s), peak memory {summary['peak_rss_mb']:.0f} MB  [median of {args.repeats}]"
        )
    if args.sweep_runs:
        from sim.batch.bench import sweep_benchmark

        results["sweep"] = sweep_benchmark(runs=args.sweep_runs, workers=[1, 2])
        print("sweep:", json.dumps(results["sweep"], indent=2))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2))
    print(f"written: {args.out}")
    return 0


def register(subparsers) -> None:
    """Add ``sim bench``."""
    parser = subparsers.add_parser("bench", help="measure speed and memory (medians)")
    parser.add_argument(
        "--configs", nargs="+", choices=sorted(CONFIGURATIONS),
        default=["classroom", "default", "million"], help="economies to measure",
    )  # fmt: skip
    parser.add_argument("--steps", type=int, default=120, help="months per run")
    parser.add_argument("--repeats", type=int, default=3, help="runs per economy")
    parser.add_argument(
        "--sweep-runs",
        type=int,
        default=0,
        help="also time a sweep of this many runs (1 vs 2 processes)",
    )
    parser.add_argument(
        "--profile", type=int, default=0, metavar="MONTHS",
        help="instead of timing runs, profile this many months and list where time goes",
    )  # fmt: skip
    parser.add_argument(
        "--warm-up", type=int, default=24, help="months run before profiling (with --profile)"
    )
    parser.add_argument(
        "--fingerprint", action="store_true",
        help="instead of timing, print hashes of the results of 10,000-worker runs (baseline, "
        "credit off, frictionless; seeds 42 and 3; 60 months): equal before and after a "
        "speed-up on one machine means nothing changed",
    )  # fmt: skip
    parser.add_argument("--out", type=Path, default=Path("out/bench/results.json"))
    parser.set_defaults(handler=command_bench)
