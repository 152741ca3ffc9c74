"""How well does a calibration recover known parameters? Repeat it with fresh seeds.

Core object: :func:`recovery_study`. Command::

    python -m sim.calibration.recovery scenarios/calibration/recover_elasticity.toml \
        --repeats 8 --out out/recovery

A calibration file with a ``[synthetic]`` table states the true values. Each repeat
``k`` draws new data (``synthetic.seed + k``) and new calibration seeds (``seed + k``)
and calibrates; the spread of the estimates across repeats is the sampling error
of the estimator (data noise, simulation noise and the finite search budget
together), from which the tolerance of the recovery test is derived.
"""

from __future__ import annotations

import argparse
import dataclasses
import time
from pathlib import Path

import numpy as np
import pandas as pd

from sim.calibration.config import Calibration, load_config
from sim.calibration.loop import calibrate


def reseeded(cal: Calibration, repeat: int) -> Calibration:
    """The calibration with seeds shifted by ``repeat`` (data and simulation alike)."""
    config = cal.config
    synthetic = config.synthetic.model_copy(update={"seed": config.synthetic.seed + repeat})
    updated = config.model_copy(update={"seed": config.seed + repeat, "synthetic": synthetic})
    return dataclasses.replace(cal, config=updated, content_hash=f"{cal.content_hash}+{repeat}")


def recovery_study(cal: Calibration, repeats: int, out: Path, workers: int | None) -> pd.DataFrame:
    """One row per repeat: true value, estimate and loss of each parameter, wall time."""
    if cal.config.synthetic is None:
        raise ValueError(f"{cal.path}: a recovery study needs a [synthetic] table")
    rows = []
    for repeat in range(repeats):
        started = time.perf_counter()
        result = calibrate(
            reseeded(cal, repeat),
            out / f"repeat_{repeat:02d}",
            workers,
            progress=False,
            report=None,
        )
        row = {"repeat": repeat, "loss": result.best_loss}
        for name, value in result.best.items():
            row[f"true {name}"] = cal.config.synthetic.parameters[name]
            row[f"estimate {name}"] = value
        row["wall_time_s"] = time.perf_counter() - started
        rows.append(row)
        print(pd.DataFrame([row]).to_string(index=False, header=repeat == 0), flush=True)
    return pd.DataFrame(rows)


def main(argv: list[str] | None = None) -> int:
    """Run a recovery study and print the spread of the estimates."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("config", type=Path)
    parser.add_argument("--repeats", type=int, default=8)
    parser.add_argument("--out", type=Path, default=Path("out/recovery"))
    parser.add_argument("--workers", type=int)
    args = parser.parse_args(argv)
    cal = load_config(args.config)
    table = recovery_study(cal, args.repeats, args.out, args.workers)
    table.to_csv(args.out / "recovery.csv", index=False)
    for name in cal.space.names:
        estimates = table[f"estimate {name}"].to_numpy()
        truth = cal.config.synthetic.parameters[name]
        rmse = np.sqrt(np.mean((estimates - truth) ** 2))
        print(
            f"{name}: true {truth:g}; estimates mean {estimates.mean():.4f}, "
            f"s.d. {estimates.std(ddof=1):.4f}, RMSE {rmse:.4f}, "
            f"max |error| {np.abs(estimates - truth).max():.4f} over {len(estimates)} repeats"
        )
    print(f"median wall time {table['wall_time_s'].median():.1f} s per calibration")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
