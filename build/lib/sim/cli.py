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
from sim.batch import commands as batch_commands
from sim.scenario import ScenarioError, load_scenario, parse_overrides
from sim.viz import commands as viz_commands


def add_scenario_arguments(parser: argparse.ArgumentParser) -> None:
    """The scenario file and its ``--steps/--seed/--set`` overrides."""
    parser.add_argument("scenario", type=Path, help="scenario TOML file (see scenarios/)")
    parser.add_argument("--steps", type=int, help="months to simulate (overrides run.steps)")
    parser.add_argument("--seed", type=int, help="random seed (overrides run.seed)")
    parser.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="override any parameter by its dotted key, e.g. --set sectors.care.ai_share=0.1",
    )


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

    from sim.report import format_table, save_figures, summary_table, write_results
    from sim.run import run_scenario

    scenario = scenario_from_args(args)
    out = args.out or Path("out") / args.scenario.stem
    started = time.perf_counter()
    with tqdm(total=scenario.run.steps, unit="month", disable=args.quiet, leave=False) as bar:
        result = run_scenario(scenario, progress=lambda _step: bar.update())
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


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every sub-command."""
    parser = argparse.ArgumentParser(
        prog="sim",
        description="Agent-based model of AI deflation (Jevons) and human inflation (Baumol).",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="run one scenario and write results and figures")
    add_scenario_arguments(run)
    run.add_argument("--out", type=Path, help="output directory (default out/SCENARIO)")
    run.add_argument("--quiet", action="store_true", help="print nothing")
    run.set_defaults(handler=command_run)
    params = sub.add_parser("params", help="list every parameter with default and range")
    params.set_defaults(handler=command_params)
    for module in (batch_commands, viz_commands, bench):
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``sim`` command."""
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except ScenarioError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
