"""The output directory of a sweep: per-run records and series, written atomically.

Core objects: :func:`write_record`, :func:`write_steps`, :func:`completed_runs`,
:func:`consolidate`, :func:`read_runs`, :func:`read_steps`.

Layout of ``DIR``::

    manifest.json                  what was run (see sim.batch.manifest)
    records/run_000042.json        one run: seed, varied values, status, error, outcomes
    steps/run_id=000042/part.parquet   the run's monthly series (hive partition)
    runs.parquet                   one row per run, rebuilt from records/

A record is written only after the run's series, so a record's presence means the
run is complete; every file is written under a temporary name (starting with ``.``,
which Parquet dataset readers skip) and renamed into place.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.dataset as ds

RECORDS_DIR = "records"
STEPS_DIR = "steps"
RUNS_FILE = "runs.parquet"
RECORD_COLUMNS = ("run_id", "point", "replicate", "seed", "status", "error", "wall_time_s")
"""Columns of runs.parquet before the varied parameters and the outcomes."""


def _replace_atomically(path: Path, write) -> None:
    """Call ``write(temporary_path)`` then rename the result onto ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        write(temporary)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def write_json(path: Path, data: Any) -> None:
    """Write ``data`` as indented JSON, atomically."""
    _replace_atomically(path, lambda tmp: tmp.write_text(json.dumps(data, indent=2) + "\n"))


def record_path(out: Path, run_id: int) -> Path:
    """Where run ``run_id``'s record lives."""
    return Path(out) / RECORDS_DIR / f"run_{run_id:06d}.json"


def steps_path(out: Path, run_id: int) -> Path:
    """Where run ``run_id``'s monthly series live (a hive partition ``run_id=...``)."""
    return Path(out) / STEPS_DIR / f"run_id={run_id:06d}" / "part.parquet"


def write_steps(out: Path, run_id: int, steps: pd.DataFrame) -> None:
    """Write one run's monthly series (one row per month) atomically."""
    _replace_atomically(steps_path(out, run_id), lambda tmp: steps.to_parquet(tmp, index=False))


def write_record(out: Path, record: dict[str, Any]) -> None:
    """Write one run's record; from now on the run counts as done."""
    write_json(record_path(out, record["run_id"]), record)


def completed_runs(out: Path) -> set[int]:
    """Run ids that have a record (finished, successfully or not)."""
    folder = Path(out) / RECORDS_DIR
    return {int(p.stem.removeprefix("run_")) for p in folder.glob("run_*.json")}


def _records(out: Path) -> Iterable[dict]:
    for path in sorted((Path(out) / RECORDS_DIR).glob("run_*.json")):
        yield json.loads(path.read_text())


def consolidate(out: Path) -> pd.DataFrame:
    """Rebuild ``runs.parquet`` from the per-run records and return it.

    Columns: ``run_id, point, replicate, seed, status, error, wall_time_s``, one
    column per varied parameter (its dotted key), then the summary outcomes
    (``sim.run.summarize_run``; missing for failed runs).
    """
    rows = [
        {
            **{key: record[key] for key in RECORD_COLUMNS},
            **record["parameters"],
            **record["summary"],
        }
        for record in _records(out)
    ]
    frame = pd.DataFrame(rows, columns=None if rows else list(RECORD_COLUMNS))
    frame = frame.sort_values("run_id", ignore_index=True)
    _replace_atomically(Path(out) / RUNS_FILE, lambda tmp: frame.to_parquet(tmp, index=False))
    return frame


def read_runs(out: Path) -> pd.DataFrame:
    """The one-row-per-run table, rebuilt from the records if it is missing."""
    path = Path(out) / RUNS_FILE
    return pd.read_parquet(path) if path.exists() else consolidate(out)


def read_steps(out: Path, columns: list[str], run_ids: Iterable[int] | None = None) -> pd.DataFrame:
    """Selected monthly series of every run (or of ``run_ids``), read column by column
    from the partitioned dataset so a large sweep need not fit in memory whole.

    Returns a frame with ``run_id`` plus ``columns``.
    """
    dataset = ds.dataset(Path(out) / STEPS_DIR, format="parquet", partitioning="hive")
    selection = None if run_ids is None else ds.field("run_id").isin(list(run_ids))
    table = dataset.to_table(columns=["run_id", *columns], filter=selection)
    return table.to_pandas()
