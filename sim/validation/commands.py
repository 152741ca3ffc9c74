"""Sub-command ``sim validate``: score a scenario against the sourced target table.

Registered by ``sim.cli`` through :func:`register`. The handler is thin: heavy
modules are imported when the command runs, so ``sim --help`` stays quick.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from sim.arguments import add_overrides_option


def command_validate(args: argparse.Namespace) -> int:
    """Run the scenario for each seed, print the table, write DIR/validation.{json,md}
    and figures; with ``--doc``, also refresh the generated part of that document."""
    from dataclasses import replace

    from sim.scenario import ScenarioError, build_scenario, load_scenario, parse_overrides
    from sim.validation.report import format_table, update_document, write_report
    from sim.validation.scoring import validate
    from sim.validation.targets import TargetError, load_settings
    from sim.viz.presets import find_scenario_dir

    overrides = parse_overrides(args.overrides)
    baseline = find_scenario_dir() / "baseline.toml"
    if args.scenario is None:
        scenario = (
            load_scenario(baseline, overrides)
            if baseline.exists()
            else build_scenario(overrides=overrides, source="defaults")
        )
    else:
        scenario = load_scenario(args.scenario, overrides)
    if args.seeds < 1:
        raise ScenarioError(f"--seeds must be at least 1, not {args.seeds}")
    try:
        settings = load_settings(args.targets)
        if args.months is not None:
            if not settings.burn_in_months < args.months:
                raise ScenarioError(
                    f"--months ({args.months}) must exceed the burn-in "
                    f"({settings.burn_in_months} months)"
                )
            settings = replace(settings, months=args.months)
        result = validate(
            scenario, args.seeds, args.workers,
            str(args.targets) if args.targets else None, settings, progress=not args.quiet,
        )  # fmt: skip
    except TargetError as error:
        raise ScenarioError(str(error)) from error
    out = args.out or Path("out") / "validation"
    written = write_report(result, out)
    if args.doc is not None:
        figures = [f"figures/{p.name}" for p in written if p.suffix == ".png"]
        update_document(args.doc, result, figures)
        written.append(args.doc)
    if not args.quiet:
        print(format_table(result))
        print("\nwritten:\n  " + "\n  ".join(str(p) for p in written))
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``sim validate`` to the ``sim`` parser."""
    parser = subparsers.add_parser(
        "validate", help="score a scenario against sourced data targets (docs/validation.md)"
    )
    parser.add_argument(
        "scenario", type=Path, nargs="?", help="scenario TOML file (default: the baseline)"
    )
    parser.add_argument("--seeds", type=int, default=10, help="number of seeds (default 10)")
    parser.add_argument("--workers", type=int, help="local processes (default: all cores)")
    parser.add_argument("--out", type=Path, help="output directory (default out/validation)")
    parser.add_argument(
        "--months", type=int, help="months per run (default: the target table's, 240)"
    )
    add_overrides_option(parser, "override a parameter, e.g. --set population.workers=2000")
    parser.add_argument("--targets", type=Path, help="another target table (TOML)")
    parser.add_argument(
        "--doc", type=Path, help="also rewrite the generated part of this Markdown file"
    )
    parser.add_argument("--quiet", action="store_true", help="print nothing")
    parser.set_defaults(handler=command_validate)
