"""``manifest.json``: what a sweep ran, and the check that a resume runs the same thing.

Core objects: :func:`build_manifest`, :func:`check_resumable`, :func:`read_manifest`.
"""

from __future__ import annotations

import importlib.metadata
import json
import platform
import subprocess
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sim.batch.design import SweepPlan
from sim.scenario import ScenarioError

MANIFEST_FILE = "manifest.json"
PACKAGES = (
    "ai-deflation-sim", "mesa", "numpy", "pandas", "scipy", "SALib", "pyarrow", "pydantic",
    "dask", "distributed",
)  # fmt: skip
REPO_ROOT = Path(__file__).resolve().parents[2]


def code_version() -> str:
    """``git describe --always --dirty`` of the repository, else the package version."""
    try:
        described = subprocess.run(
            ["git", "describe", "--always", "--dirty", "--tags"],
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        )
        return described.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return importlib.metadata.version("ai-deflation-sim")


def package_versions() -> dict[str, str]:
    """Installed versions of the packages that shape results."""
    versions = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def build_manifest(plan: SweepPlan) -> dict[str, Any]:
    """Everything needed to know what a sweep ran and to run it again."""
    return {
        "source": plan.source,
        "source_sha256": plan.source_hash,
        "overrides": plan.overrides,
        "scenario": plan.base,
        "sweep": plan.spec.model_dump(mode="json"),
        "runs": plan.n_runs,
        "points": len(plan.points),
        "code_version": code_version(),
        "packages": package_versions(),
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def read_manifest(out: Path) -> dict[str, Any]:
    """The manifest of the sweep in ``out``."""
    path = Path(out) / MANIFEST_FILE
    if not path.exists():
        raise ScenarioError(f"{out}: no {MANIFEST_FILE}; is this a sweep output directory?")
    return json.loads(path.read_text())


def _flatten(data: Any, prefix: str = "") -> dict[str, Any]:
    if not isinstance(data, Mapping):
        return {prefix: data}
    flat: dict[str, Any] = {}
    for key, value in data.items():
        flat.update(_flatten(value, f"{prefix}.{key}" if prefix else str(key)))
    return flat


def _differences(old: Any, new: Any, label: str) -> list[str]:
    before, after = _flatten(old, label), _flatten(new, label)
    return [
        f"{key}: {before.get(key, '(absent)')!r} -> {after.get(key, '(absent)')!r}"
        for key in sorted(before.keys() | after.keys())
        if before.get(key) != after.get(key)
    ]


def check_resumable(old: Mapping[str, Any], new: Mapping[str, Any], out: Path) -> None:
    """Refuse to resume when the sweep would no longer run the same runs.

    Raises:
        ScenarioError: naming each scenario key, sweep key or override that changed.
    """
    changes = []
    if old["source_sha256"] != new["source_sha256"]:
        changes.append(f"{new['source']} has changed since the sweep started (content hash)")
    for key in ("scenario", "sweep", "overrides"):
        changes += _differences(old[key], new[key], key)
    if changes:
        listed = "\n  ".join(changes)
        raise ScenarioError(
            f"{out}: cannot --resume: the sweep differs from the one recorded in "
            f"{MANIFEST_FILE}:\n  {listed}\nUse a new --out directory, or restore the file."
        )
