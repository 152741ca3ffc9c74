"""Sub-command ``sim calibrate``, registered by ``sim.cli`` through :func:`register`."""

from __future__ import annotations

import argparse
from pathlib import Path


def command_calibrate(args: argparse.Namespace) -> int:
    """Calibrate, print progress and the best parameters with their loss."""
    from sim.calibration.config import load_config
    from sim.calibration.loop import calibrate

    calibration = load_config(args.config)
    out = args.out or Path("out") / "calibration" / args.config.stem
    result = calibrate(calibration, out, args.workers, args.resume, progress=not args.quiet)
    print(f"\nbest parameters (MSM loss {result.best_loss:.6g}):")
    for name, value in result.best.items():
        print(f"  {name} = {value:.6g}")
    print("\nmoments at the best point:")
    print(result.moments.to_string(index=False, float_format=lambda v: f"{v:.5g}"))
    print(
        f"\n{len(result.evaluations)} points in {result.wall_time_s:.1f} s; written "
        f"{out}/calibration.json, {out}/evaluations.csv and {out}/calibrated.toml"
    )
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``sim calibrate`` to the ``sim`` parser."""
    parser = subparsers.add_parser(
        "calibrate",
        help="estimate parameters by simulated moments (see docs/calibration.md)",
    )
    parser.add_argument("config", type=Path, help="calibration TOML (see scenarios/calibration/)")
    parser.add_argument("--out", type=Path, help="output and checkpoint directory")
    parser.add_argument("--workers", type=int, help="local processes (default: all cores)")
    parser.add_argument("--resume", action="store_true", help="continue the calibration in DIR")
    parser.add_argument("--quiet", action="store_true", help="no progress bars")
    parser.set_defaults(handler=command_calibrate)
