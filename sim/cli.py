"""The ``sim`` command. Thin: it parses arguments and calls the layers below.

Sub-commands: ``run`` (one scenario), ``params`` (every parameter with default and
range), plus those each of :mod:`sim.batch.commands`, :mod:`sim.viz.commands` and
:mod:`sim.bench` adds with its ``register(subparsers)``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from sim import bench
from sim.arguments import MAX_ECHO, add_overrides_option, duration, memory_size, whole_number
from sim.batch import commands as batch_commands
from sim.batch.timeout import signal_behind
from sim.calibration import commands as calibration_commands
from sim.scenario import ScenarioError, load_scenario, parse_overrides
from sim.validation import commands as validation_commands
from sim.viz import commands as viz_commands


def add_scenario_arguments(parser: argparse.ArgumentParser) -> None:
    """The scenario file and its ``--steps/--seed/--set`` overrides."""
    parser.add_argument("scenario", type=Path, help="scenario TOML file (see scenarios/)")
    parser.add_argument(
        "--steps", type=whole_number(1, 2400), help="months to simulate (overrides run.steps)"
    )
    parser.add_argument(
        "--seed", type=whole_number(0, 2**63 - 1), help="random seed (overrides run.seed)"
    )
    add_overrides_option(
        parser, "override any parameter by its dotted key, e.g. --set sectors.care.ai_share=0.1"
    )
    parser.add_argument(
        "--max-memory",
        type=memory_size,
        metavar="SIZE",
        help="refuse runs estimated to need more memory, e.g. 8G "
        "(default: half of this machine's memory)",
    )


def memory_limit(args: argparse.Namespace) -> int | None:
    """``--max-memory``, or the default share of this machine's memory."""
    from sim.scenario.resources import default_memory_limit

    return args.max_memory if args.max_memory is not None else default_memory_limit()


def scenario_from_args(args: argparse.Namespace):
    """Load the scenario named on the command line with all its overrides."""
    overrides = parse_overrides(args.overrides)
    if args.steps is not None:
        overrides["run.steps"] = args.steps
    if args.seed is not None:
        overrides["run.seed"] = args.seed
    return load_scenario(args.scenario, overrides)


def command_run(args: argparse.Namespace) -> int:
    """Run one scenario, print the summary table, write results and figures."""
    from tqdm import tqdm

    from sim.batch.timeout import RunTimedOut, time_limit
    from sim.report import (
        check_output_directory,
        format_table,
        save_figures,
        summary_table,
        write_results,
    )
    from sim.run import check_runnable, run_scenario

    scenario = scenario_from_args(args)
    out = args.out or Path("out") / args.scenario.stem
    check_runnable(scenario, str(args.scenario), memory_limit(args))
    check_output_directory(out)
    started = time.perf_counter()
    try:
        with (
            tqdm(total=scenario.run.steps, unit="month", disable=args.quiet, leave=False) as bar,
            time_limit(args.timeout, scenario.run.steps) as check_clock,
        ):

            def progress(month: int) -> None:
                bar.update()
                check_clock(month)

            result = run_scenario(scenario, progress=progress)
    except RunTimedOut as stopped:
        print(f"error: {args.scenario}: {stopped} (--timeout); nothing written", file=sys.stderr)
        return 1
    elapsed = time.perf_counter() - started
    written = write_results(result.steps, out)
    written += save_figures(result.steps, scenario, out / "figures")
    if not args.quiet:
        headline = scenario.description.strip().splitlines()[0] if scenario.description else ""
        print(f"{args.scenario}: {headline}")
        print(
            f"{scenario.population.workers:,} workers, {scenario.population.firms:,} firms, "
            f"{scenario.run.steps} months, seed {scenario.run.seed}: {elapsed:.1f} s\n"
        )
        print(format_table(summary_table(result.steps, scenario)))
        print("\nwritten:\n  " + "\n  ".join(str(p) for p in written))
    return 0


def command_params(args: argparse.Namespace) -> int:
    """Print every parameter with its default, allowed range and meaning."""
    from sim.scenario.docs import parameter_table

    print(parameter_table())
    return 0


class _Parser(argparse.ArgumentParser):
    """An argument parser whose error messages stay short, whatever was typed."""

    def error(self, message: str):
        """Print usage and a message cut to a few hundred characters; exit with 2."""
        if len(message) > 8 * MAX_ECHO:
            message = f"{message[: 8 * MAX_ECHO]}... ({len(message):,} characters)"
        super().error(message)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every sub-command."""
    parser = _Parser(
        prog="sim",
        description="Agent-based model of AI deflation (Jevons) and human inflation (Baumol).",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="run one scenario and write results and figures")
    add_scenario_arguments(run)
    run.add_argument("--out", type=Path, help="output directory (default out/SCENARIO)")
    run.add_argument("--quiet", action="store_true", help="print nothing")
    run.add_argument(
        "--timeout",
        type=duration,
        metavar="DURATION",
        help="stop the run after this wall-clock time, e.g. 90, 15m, 2h, and write nothing",
    )
    run.set_defaults(handler=command_run)
    params = sub.add_parser("params", help="list every parameter with default and range")
    params.set_defaults(handler=command_params)
    for module in (batch_commands, viz_commands, bench, calibration_commands, validation_commands):
        module.register(sub)
    return parser


MAX_MESSAGE = 3000
MAX_LINE = 500
"""An error message is cut to at most this many characters, and each line to this many."""


def _bounded(message: str) -> str:
    """``message`` cut to whole lines of at most :data:`MAX_LINE` characters that fit in
    :data:`MAX_MESSAGE`, with a count of the lines left out."""
    lines = message.splitlines()
    kept: list[str] = []
    size = 0
    for line in lines:
        if len(line) > MAX_LINE:
            line = f"{line[:MAX_LINE]}... ({len(line):,} characters)"
        if size + len(line) > MAX_MESSAGE:
            break
        kept.append(line)
        size += len(line) + 1
    more = len(lines) - len(kept)
    return "\n".join(kept + ([f"... and {more} more lines"] if more > 0 else []))


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``sim`` command.

    Exit status: 0 success; 1 some runs of a sweep failed; 2 bad input (scenario,
    flags, output directory), with one message and nothing written; 3 the machine
    refused (out of memory, disk full); 130 interrupted (Ctrl-C).
    """
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except ScenarioError as error:
        print(f"error: {_bounded(str(error))}", file=sys.stderr)
        return 2
    except (KeyboardInterrupt, SystemError) as error:
        # A Ctrl-C that arrived in compiled code comes back as a SystemError (signal_behind).
        if not isinstance(signal_behind(error), KeyboardInterrupt):
            raise
        print("\ninterrupted", file=sys.stderr)
        return 130
    except MemoryError:
        print("error: out of memory; use a smaller economy or --max-memory", file=sys.stderr)
        return 3
    except OSError as error:
        where = f" {error.filename}" if error.filename else ""
        print(f"error:{where}: {error.strerror or error}"[:MAX_LINE], file=sys.stderr)
        return 3


if __name__ == "__main__":
    sys.exit(main())
