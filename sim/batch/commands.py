"""Sub-commands ``sim sweep``, ``sim summarize``, ``sim sensitivity``, ``sim experiments``.

Registered by ``sim.cli`` through :func:`register`. Each handler is thin: it parses
arguments and calls the ``sim.batch`` API; heavy modules are imported when a
command runs, so ``sim --help`` stays quick.
"""

from __future__ import annotations

import argparse
import shlex
import signal
import sys
from pathlib import Path

from sim.arguments import add_overrides_option, duration, memory_size, whole_number

MAX_WORKERS = 1024
"""Most local processes ``--workers`` may ask for."""

DRY_RUN_ROWS = 40
"""Runs listed by ``sim sweep --dry-run`` before the list is cut short."""


def command_sweep(args: argparse.Namespace) -> int:
    """Plan a sweep, then list its runs (``--dry-run``) or run them."""
    from sim.batch.design import plan_from_file

    plan = plan_from_file(args.scenario, args.overrides)
    if args.dry_run:
        from sim.batch.summarize import format_plan

        print(format_plan(plan, DRY_RUN_ROWS))
        return 0
    from sim.batch.runner import SweepInterruptedError, run_sweep

    out = args.out or Path("out") / args.scenario.stem
    if args.retry_failed and not args.resume:
        print("error: --retry-failed needs --resume", file=sys.stderr)
        return 2
    previous = signal.signal(signal.SIGTERM, _interrupt)  # a batch system's stop: as Ctrl-C
    try:
        outcome = run_sweep(
            plan, out, args.workers, args.scheduler, args.resume,
            retry_failed=args.retry_failed, max_memory=args.max_memory, timeout=args.timeout,
        )  # fmt: skip
    except SweepInterruptedError as stopped:
        print(f"\n{stopped}; to finish: {resume_command(args, out)}", file=sys.stderr)
        return 130
    finally:
        signal.signal(signal.SIGTERM, previous)
    for note in outcome.notes:
        print(note, file=sys.stderr)
    outside = "".join(
        f", {count} {what}" for count, what in ((outcome.timed_out, "timed out"),
                                                 (outcome.lost, "lost")) if count
    )  # fmt: skip
    print(
        f"{outcome.ran} runs done ({outcome.failed} failed){outside}, {outcome.skipped} already "
        f"done; results in {out}/runs.parquet"
    )
    return 1 if outcome.failed or outcome.lost or outcome.timed_out else 0


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def resume_command(args: argparse.Namespace, out: Path) -> str:
    """The ``sim sweep ... --resume`` command that finishes an interrupted sweep."""
    words = ["sim", "sweep", str(args.scenario), "--out", str(out), "--resume"]
    for override in args.overrides:
        words += ["--set", override]
    if args.scheduler:
        words += ["--scheduler", args.scheduler]
    if args.timeout:
        words += ["--timeout", f"{args.timeout:g}"]
    return shlex.join(words)


def command_summarize(args: argparse.Namespace) -> int:
    """Print outcomes by varied parameter and write figures under DIR/figures."""
    from sim.batch.summarize import summarize_sweep

    print(summarize_sweep(args.directory))
    return 0


def command_sensitivity(args: argparse.Namespace) -> int:
    """Print Sobol or Morris indices of a sweep designed for them."""
    from sim.batch.sensitivity import format_indices, sensitivity_indices

    indices = sensitivity_indices(args.directory, args.outcomes or None)
    print(format_indices(indices))
    return 0


def command_experiments(args: argparse.Namespace) -> int:
    """Run the experiment scripts in experiments/ (all, or those named)."""
    from sim.batch.experiments import run_experiments

    for report in run_experiments(args.names, args.workers):
        print(f"written {report}")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the batch sub-commands to the ``sim`` parser."""
    sweep = subparsers.add_parser(
        "sweep", help="run every point of a scenario's [sweep] table (see docs/batch.md)"
    )
    sweep.add_argument("scenario", type=Path, help="scenario TOML file with a [sweep] table")
    sweep.add_argument("--out", type=Path, help="output directory (default out/SCENARIO)")
    sweep.add_argument(
        "--workers",
        type=whole_number(1, MAX_WORKERS),
        help="local processes (default: all cores)",
    )
    sweep.add_argument(
        "--scheduler", metavar="ADDRESS", help="Dask scheduler, e.g. tcp://10.0.0.5:8786"
    )
    sweep.add_argument("--resume", action="store_true", help="run only what DIR lacks")
    sweep.add_argument(
        "--retry-failed",
        action="store_true",
        help="with --resume, also run again the runs that failed inside the model",
    )
    sweep.add_argument(
        "--max-memory",
        type=memory_size,
        metavar="SIZE",
        help="refuse if the local processes together would need more, e.g. 8G "
        "(default: half of this machine's memory)",
    )
    sweep.add_argument(
        "--timeout",
        type=duration,
        metavar="DURATION",
        help="wall-clock limit of each run, e.g. 90, 15m, 2h (default: none); a run past "
        "it is stopped and recorded as timeout, and --resume runs it again",
    )
    sweep.add_argument("--dry-run", action="store_true", help="list the runs and stop")
    add_overrides_option(
        sweep, "override a base-scenario parameter, e.g. --set population.workers=2000"
    )
    sweep.set_defaults(handler=command_sweep)

    summarize = subparsers.add_parser(
        "summarize", help="outcomes of a sweep by varied parameter, with figures"
    )
    summarize.add_argument("directory", type=Path, help="output directory of `sim sweep`")
    summarize.set_defaults(handler=command_summarize)

    sensitivity = subparsers.add_parser(
        "sensitivity", help="Sobol or Morris indices of a sobol/morris sweep"
    )
    sensitivity.add_argument("directory", type=Path, help="output directory of `sim sweep`")
    sensitivity.add_argument(
        "--outcome", dest="outcomes", action="append", help="outcome to analyse (repeatable)"
    )
    sensitivity.set_defaults(handler=command_sensitivity)

    experiments = subparsers.add_parser(
        "experiments", help="run the scripts in experiments/ and write out/experiments/"
    )
    experiments.add_argument("names", nargs="*", help="experiments to run (default: all)")
    experiments.add_argument(
        "--workers",
        type=whole_number(1, MAX_WORKERS),
        help="local processes (default: all cores)",
    )
    experiments.set_defaults(handler=command_experiments)
