"""The calibration loop: propose, simulate, score, checkpoint, repeat.

Core objects: :func:`calibrate`, :class:`CalibrationResult`.

Batch 0 is ``initial_points`` Halton points; every later batch asks each sampler
of ``[sampler] methods`` for ``batch_size`` points (black-it's scheme). Each point
is run with the same ``replicates`` seeds, in parallel on local processes
(:func:`sim.batch.executors.open_executor`), and scored with the MSM loss
(:mod:`sim.calibration.moments`).

The output directory is the checkpoint::

    manifest.json          the calibration file's hash, parameters and moments
    data.json              the data moments and their scales
    points/b0003_p007.json one evaluated point: method, θ, moments of each run, loss
    evaluations.csv        every point, one row each (rebuilt after each batch)
    calibration.json       the best point, its loss and moment by moment fit
    calibrated.toml        the scenario with the calibrated values

A point's record is written (atomically) once all its runs are done. Proposals of
batch b depend only on the records of batches < b and on seeds fixed by the file,
so ``--resume`` after a kill re-proposes the same points, skips those recorded and
ends with exactly the result of an uninterrupted run.
"""

from __future__ import annotations

import copy
import json
import time
import traceback
from collections.abc import Callable
from concurrent.futures import Future, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from tqdm import tqdm

from sim.api import expand_overrides, run_data
from sim.batch.design import run_seed
from sim.batch.executors import open_executor
from sim.batch.store import write_json
from sim.calibration.config import Calibration
from sim.calibration.moments import (
    check_moments,
    default_scale,
    msm_loss,
    run_moments,
    target_data,
)
from sim.calibration.samplers import propose
from sim.scenario import ScenarioError, build_scenario
from sim.scenario.loader import set_dotted

MANIFEST_FILE = "manifest.json"
DATA_FILE = "data.json"
POINTS_DIR = "points"


@dataclass(frozen=True)
class CalibrationResult:
    """What :func:`calibrate` found."""

    out: Path
    best: dict[str, float]
    best_loss: float
    evaluations: pd.DataFrame
    moments: pd.DataFrame
    wall_time_s: float


def _evaluate(data: dict, calibration_moments, burn_in: int) -> tuple[list[float], str]:
    """One run's moments (worker task); NaN moments and the error if the run fails."""
    try:
        return run_moments(data, calibration_moments, burn_in), ""
    except Exception as error:
        lines = traceback.format_exception(error)
        return [float("nan")] * len(calibration_moments), f"{error!r}\n" + "".join(lines[-3:])


def _run_many(executor, tasks: list[dict], cal: Calibration, label: str, show: bool) -> list:
    """Moments of each scenario in ``tasks``, in order."""
    cfg = cal.config
    futures = [executor.submit(_evaluate, task, tuple(cfg.moments), cfg.burn_in) for task in tasks]
    with tqdm(total=len(futures), unit="run", desc=label, disable=not show, leave=False) as bar:
        for _ in as_completed(futures):
            bar.update()
    return [future.result() for future in futures]


def _data_moments(cal: Calibration, executor, out: Path, show: bool) -> dict[str, Any]:
    """The data moments and scales: from the file, the target table, or synthetic runs."""
    path = out / DATA_FILE
    if path.exists():
        return json.loads(path.read_text())
    cfg = cal.config
    replicate_sd = [None] * len(cfg.moments)
    values = [m.data for m in cfg.moments]
    runs = np.empty((0, len(cfg.moments)))
    if cfg.synthetic is not None:
        tasks = [
            run_data(
                cal.base, cfg.synthetic.parameters, cfg.months, run_seed(cfg.synthetic.seed, r)
            )
            for r in range(cfg.synthetic.replicates)
        ]
        results = _run_many(executor, tasks, cal, "synthetic data", show)
        errors = [error for _, error in results if error]
        if errors:
            raise ScenarioError(f"{cal.path}: a synthetic data run failed: {errors[0]}")
        runs = np.array([moments for moments, _ in results])
        synthetic_mean = runs.mean(axis=0)
        sds = runs.std(axis=0, ddof=1) if len(runs) > 1 else np.full(len(cfg.moments), np.nan)
        for j, moment in enumerate(cfg.moments):
            if moment.series is not None:
                values[j], replicate_sd[j] = float(synthetic_mean[j]), float(sds[j])
    targets = target_data(cfg.moments)
    scales = []
    for j, moment in enumerate(cfg.moments):
        if moment.target is not None:
            values[j], scale = targets[moment.target]
        else:
            scale = default_scale(values[j], replicate_sd[j])
        scales.append(moment.scale or scale)
    data = {
        "labels": [m.label for m in cfg.moments],
        "values": values,
        "scales": scales,
        "synthetic_sd": replicate_sd,
        "synthetic_runs": runs.tolist(),
    }
    write_json(path, data)
    return data


def _manifest(cal: Calibration) -> dict[str, Any]:
    return {
        "config": str(cal.path),
        "config_sha256": cal.content_hash,
        "parameters": cal.space.names,
        "bounds": cal.space.bounds.tolist(),
        "moments": [m.label for m in cal.config.moments],
    }


def _prepare(cal: Calibration, out: Path, resume: bool) -> None:
    """Write the manifest, or check that ``out`` holds this calibration (``resume``)."""
    manifest = _manifest(cal)
    path = out / MANIFEST_FILE
    if path.exists():
        if not resume:
            raise ScenarioError(
                f"{out} already holds a calibration; add --resume to continue it, "
                "or choose another --out"
            )
        held = json.loads(path.read_text())
        if held.get("config_sha256") != manifest["config_sha256"]:
            raise ScenarioError(
                f"{out} holds a calibration of another file (or of an earlier version of "
                f"{cal.path}); it cannot be resumed with this one"
            )
        return
    if resume and out.exists() and any(out.iterdir()):
        raise ScenarioError(f"{out} holds no calibration to resume (no {MANIFEST_FILE})")
    write_json(path, manifest)


def _point_path(out: Path, batch: int, index: int) -> Path:
    return out / POINTS_DIR / f"b{batch:04d}_p{index:03d}.json"


def _halton_start(cal: Calibration, batch: int) -> int:
    """Halton points used by batches before ``batch``."""
    cfg = cal.config.sampler
    if batch == 0:
        return 0
    initial = cfg.initial_points or cfg.batch_size * len(cfg.methods)
    return initial + (batch - 1) * cfg.batch_size * cfg.methods.count("halton")


def _proposals(cal: Calibration, batch: int, records: list[dict]) -> list[tuple[str, np.ndarray]]:
    """The batch's points ``(method, unit point)``, from the records of earlier batches."""
    cfg = cal.config
    dims = len(cal.space)
    unit = np.array([r["unit"] for r in records]).reshape(-1, dims)
    losses = np.array([r["loss"] for r in records], dtype=float)
    if batch == 0:
        count = cfg.sampler.initial_points or cfg.sampler.batch_size * len(cfg.sampler.methods)
        methods = [("halton", 0)]
        counts = [count]
    else:
        methods = [(m, i) for i, m in enumerate(cfg.sampler.methods)]
        counts = [cfg.sampler.batch_size] * len(methods)
    proposals = []
    for (method, index), count in zip(methods, counts, strict=True):
        points = propose(
            method,
            index,
            batch,
            unit,
            losses,
            count,
            seed=cfg.seed,
            halton_start=_halton_start(cal, batch),
            candidates=cfg.sampler.candidates,
            perturbation=cfg.sampler.perturbation,
        )
        proposals += [(method, point) for point in points]
    return proposals


def _record(batch, index, method, unit, theta, names, results, data) -> dict[str, Any]:
    runs = [moments for moments, _ in results]
    errors = [error for _, error in results if error]
    undefined = [
        label
        for j, label in enumerate(data["labels"])
        if not np.all(np.isfinite(np.array(runs)[:, j]))
    ]
    if undefined and not errors:
        errors = [f"not a number in some runs: {', '.join(undefined)} (not measurable?)"]
    loss = msm_loss(np.array(runs), np.array(data["values"]), np.array(data["scales"]))
    return {
        "batch": batch,
        "index": index,
        "method": method,
        "unit": [float(u) for u in unit],
        "theta": dict(zip(names, (float(v) for v in theta), strict=True)),
        "moments": runs,
        "loss": loss if np.isfinite(loss) else None,
        "error": errors[0] if errors else "",
    }


def _evaluate_batch(cal, executor, out, batch, proposals, data, show) -> list[dict]:
    """Run every proposal of a batch that has no record yet; return all its records."""
    cfg = cal.config
    names = cal.space.names
    seeds = [run_seed(cfg.seed, r) for r in range(cfg.replicates)]
    records: dict[int, dict] = {}
    futures: dict[Future, tuple[int, int]] = {}
    pending: dict[int, list] = {}
    for index, (method, unit) in enumerate(proposals):
        path = _point_path(out, batch, index)
        if path.exists():
            record = json.loads(path.read_text())
            if record["unit"] != [float(u) for u in unit] or record["method"] != method:
                raise ScenarioError(
                    f"{path} does not match the point this calibration proposes; the "
                    "checkpoint was written by other code or another file"
                )
            records[index] = record
            continue
        theta = cal.space.from_unit(unit)[0]
        values = dict(zip(names, theta.tolist(), strict=True))
        pending[index] = [None] * len(seeds)
        for r, seed in enumerate(seeds):
            task = run_data(cal.base, values, cfg.months, seed)
            future = executor.submit(_evaluate, task, tuple(cfg.moments), cfg.burn_in)
            futures[future] = (index, r)
    label = f"batch {batch}"
    with tqdm(total=len(futures), unit="run", desc=label, disable=not show, leave=False) as bar:
        try:
            for future in as_completed(futures):
                index, r = futures[future]
                pending[index][r] = future.result()
                bar.update()
                if all(result is not None for result in pending[index]):
                    method, unit = proposals[index]
                    theta = cal.space.from_unit(unit)[0]
                    record = _record(batch, index, method, unit, theta, names, pending[index], data)
                    write_json(_point_path(out, batch, index), record)
                    records[index] = record
        except KeyboardInterrupt:  # Ctrl-C: drop queued runs; recorded points stay
            for future in futures:
                future.cancel()
            raise
    return [records[i] for i in range(len(proposals))]


def _table(records: list[dict], data: dict) -> pd.DataFrame:
    """One row per evaluated point: batch, method, θ, loss, mean of each moment."""
    rows = []
    for record in records:
        means = np.array(record["moments"], dtype=float).mean(axis=0)
        rows.append(
            {
                "batch": record["batch"],
                "index": record["index"],
                "method": record["method"],
                **record["theta"],
                "loss": np.inf if record["loss"] is None else record["loss"],
                **dict(zip(data["labels"], means.tolist(), strict=True)),
            }
        )
    return pd.DataFrame(rows)


def _best(records: list[dict]) -> dict:
    """The record of lowest loss (the earliest among equals)."""
    finite = [r for r in records if r["loss"] is not None]
    if not finite:
        raise ScenarioError(
            f"no point has a finite loss: {records[0]['error'] if records else 'no points'} "
            "(see the records in points/)"
        )
    return min(finite, key=lambda r: (r["loss"], r["batch"], r["index"]))


def _fit_table(best: dict, data: dict) -> pd.DataFrame:
    """Moment by moment: data, model mean at the best point, scale, contribution to L."""
    model = np.array(best["moments"], dtype=float).mean(axis=0)
    values, scales = np.array(data["values"]), np.array(data["scales"])
    z = (model - values) / scales
    return pd.DataFrame(
        {
            "moment": data["labels"],
            "data": values,
            "model": model,
            "scale": scales,
            "contribution": z * z / len(z),
        }
    )


def write_calibrated_scenario(cal: Calibration, best: dict, path: Path) -> Path:
    """The scenario file with the calibration's fixed settings and calibrated values.

    It is the calibration's scenario file, with the ``[set]`` overrides (the values are
    conditional on them) and the best θ, a header comment saying where they come from.
    """
    import tomli_w

    data = copy.deepcopy(cal.raw_scenario)
    for key, value in {**cal.config.set, **expand_overrides(cal.base, best["theta"])}.items():
        set_dotted(data, key, value)
    lines = [f"{name} = {value:.6g}" for name, value in best["theta"].items()]
    data["description"] = (
        (cal.raw_scenario.get("description", "").strip() + "\n\n").lstrip()
        + f"Calibrated by `sim calibrate {cal.path}` (loss {best['loss']:.4g}): "
        + "; ".join(lines)
    )
    header = (
        f"# Written by `sim calibrate {cal.path}`: batch {best['batch']}, point "
        f"{best['index']} ({best['method']}), MSM loss {best['loss']:.6g}.\n"
    )
    build_scenario(data, source=str(path))  # the file must load as it is written
    path.write_text(header + tomli_w.dumps(data, multiline_strings=True))
    return path


def calibrate(
    cal: Calibration,
    out: str | Path,
    workers: int | None = None,
    resume: bool = False,
    progress: bool = True,
    report: Callable[[str], None] | None = print,
) -> CalibrationResult:
    """Run (or resume) a calibration, writing its checkpoint and results to ``out``.

    Args:
        workers: local processes (default: all cores; 1 runs in this process).
        resume: continue the calibration held in ``out``.
        progress: progress bars while runs go on.
        report: where the per-batch progress lines go (``None`` prints nothing).

    Raises:
        ScenarioError: if ``out`` holds another calibration, or every run failed.
    """
    started = time.perf_counter()
    out = Path(out)
    check_moments(cal.config.moments, cal.base, str(cal.path))
    _prepare(cal, out, resume)
    cfg = cal.config
    say = report or (lambda _line: None)
    records: list[dict] = []
    with open_executor(workers) as executor:
        data = _data_moments(cal, executor, out, progress)
        for batch in range(cfg.budget.batches + 1):
            proposals = _proposals(cal, batch, records)
            records += _evaluate_batch(cal, executor, out, batch, proposals, data, progress)
            _table(records, data).to_csv(out / "evaluations.csv", index=False)
            best = _best(records)
            shown = ", ".join(f"{k} = {v:.4g}" for k, v in best["theta"].items())
            methods = "halton" if batch == 0 else "+".join(cfg.sampler.methods)
            say(
                f"batch {batch}/{cfg.budget.batches} ({methods}, {len(proposals)} points): "
                f"best loss {best['loss']:.4g} at {shown} "
                f"[{len(records)} points, {time.perf_counter() - started:.1f} s]"
            )
            if cfg.budget.target_loss is not None and best["loss"] <= cfg.budget.target_loss:
                say(f"target loss {cfg.budget.target_loss} reached")
                break
    best = _best(records)
    fit = _fit_table(best, data)
    wall = time.perf_counter() - started
    write_json(
        out / "calibration.json",
        {
            "config": str(cal.path),
            "best": best["theta"],
            "loss": best["loss"],
            "batch": best["batch"],
            "method": best["method"],
            "points": len(records),
            "runs": len(records) * cfg.replicates,
            "moments": fit.to_dict(orient="records"),
        },
    )
    write_calibrated_scenario(cal, best, out / "calibrated.toml")
    return CalibrationResult(
        out=out,
        best=best["theta"],
        best_loss=best["loss"],
        evaluations=_table(records, data),
        moments=fit,
        wall_time_s=wall,
    )
