"""The output directory of a sweep: per-run records and series, written atomically.

Core objects: :func:`write_record`, :func:`write_steps`, :func:`completed_runs`,
:func:`check_records`, :func:`consolidate`, :func:`read_runs`, :func:`read_steps`,
:func:`remove_temporaries`.

Layout of ``DIR``::

    manifest.json                  what was run (see sim.batch.manifest)
    records/run_000042.json        one run: seed, varied values, status, error, outcomes
    steps/run_id=000042/part.parquet   the run's monthly series (hive partition)
    runs.parquet                   one row per run, rebuilt from records/

A record is written only after the run's series, so a record's presence means the
run is complete; every file is written under a temporary name (starting with ``.``,
which Parquet dataset readers skip) and renamed into place.

Each record carries the sweep's id (from ``manifest.json``) and a SHA-256 checksum of
its own content, and a successful run's record the byte size of its series. A record
that cannot be read, fails its checksum, belongs to another sweep or whose series is
missing or of another size is *damaged*: :func:`check_records` names it by run id and
removes it, so the run is done again.
"""

from __future__ import annotations

import hashlib
import json
import os
import uuid
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
RECORD_KEYS = frozenset(
    {*RECORD_COLUMNS, "parameters", "summary", "sweep_id", "steps_bytes", "checksum"}
)
"""Keys every record has."""
TEMPORARY_GLOB = ".*.tmp"
OUTSIDE_MODEL = frozenset({"timeout", "lost"})
"""Statuses of runs that failed outside the model (the run passed its time limit; its
worker process was lost every time it was tried): ``--resume`` runs them again."""


def _replace_atomically(path: Path, write) -> None:
    """Call ``write(temporary_path)`` then rename the result onto ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex[:12]}.tmp")  # unique per host
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


def write_steps(out: Path, run_id: int, steps: pd.DataFrame) -> int:
    """Write one run's monthly series (one row per month) atomically; returns its bytes."""
    path = steps_path(out, run_id)
    _replace_atomically(path, lambda tmp: steps.to_parquet(tmp, index=False))
    return path.stat().st_size


def checksum(record: dict[str, Any]) -> str:
    """SHA-256 of a record's content without its ``checksum`` key (canonical JSON)."""
    content = {key: value for key, value in record.items() if key != "checksum"}
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()


def write_record(out: Path, record: dict[str, Any]) -> None:
    """Write one run's record with its checksum; from now on the run counts as done."""
    write_json(record_path(out, record["run_id"]), {**record, "checksum": checksum(record)})


def _sweep_id(out: Path) -> str | None:
    try:
        return json.loads((Path(out) / "manifest.json").read_text()).get("sweep_id")
    except (OSError, ValueError):
        return None


def _record_problem(path: Path, run_id: int, sweep_id: str | None) -> tuple[str, dict | None]:
    """``("", record)`` for a sound record, else ``(what is wrong, None)``."""
    try:
        record = json.loads(path.read_text())
    except (OSError, UnicodeDecodeError, ValueError) as error:
        return f"unreadable ({type(error).__name__})", None
    if not isinstance(record, dict) or not set(record) >= RECORD_KEYS:
        return "incomplete (keys missing)", None
    if record["checksum"] != checksum(record):
        return "checksum mismatch", None
    if record["run_id"] != run_id:
        return f"holds run {record['run_id']}", None
    if record["sweep_id"] != sweep_id:
        return "belongs to another sweep", None
    if record["status"] == "ok":
        steps = steps_path(path.parents[1], run_id)
        size = steps.stat().st_size if steps.exists() else None
        if size != record["steps_bytes"]:
            return "series missing or of the wrong size", None
    return "", record


def _record_files(out: Path) -> dict[int, Path]:
    files = {}
    for path in (Path(out) / RECORDS_DIR).glob("run_*.json"):
        number = path.stem.removeprefix("run_")
        if number.isdigit():
            files[int(number)] = path
    return files


def check_records(out: Path, remove: bool = True) -> tuple[dict[int, dict], dict[int, str]]:
    """The sound records of the sweep in ``out`` by run id, and the damaged ones with
    what is wrong with each (removed from disk when ``remove``, so they are redone)."""
    sweep_id = _sweep_id(out)
    sound, damaged = {}, {}
    for run_id, path in sorted(_record_files(out).items()):
        problem, record = _record_problem(path, run_id, sweep_id)
        if record is None:
            damaged[run_id] = problem
            if remove:
                path.unlink(missing_ok=True)
        else:
            sound[run_id] = record
    return sound, damaged


def completed_runs(out: Path) -> set[int]:
    """Run ids that have a sound record and are done: ok, or failed inside the model."""
    records = check_records(out, remove=False)[0]
    return {i for i, record in records.items() if record["status"] not in OUTSIDE_MODEL}


def remove_temporaries(out: Path) -> int:
    """Delete temporary files left by writers that were killed; returns how many.
    Call only while holding the sweep's lock and with no run in flight."""
    removed = 0
    for folder in (Path(out), Path(out) / RECORDS_DIR):
        for path in folder.glob(TEMPORARY_GLOB):
            path.unlink(missing_ok=True)
            removed += 1
    for path in (Path(out) / STEPS_DIR).glob(f"*/{TEMPORARY_GLOB}"):
        path.unlink(missing_ok=True)
        removed += 1
    return removed


def consolidate(out: Path) -> pd.DataFrame:
    """Rebuild ``runs.parquet`` from the sound records of this sweep and return it.

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
        for record in check_records(out, remove=False)[0].values()
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
