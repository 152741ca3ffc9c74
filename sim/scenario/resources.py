"""Memory a run will need, estimated from the scenario before anything is allocated.

Core objects: :func:`estimate_memory`, :func:`default_memory_limit`,
:func:`check_memory`, :func:`parse_size`.

The estimate is linear in the populations, with coefficients measured as the growth
of peak resident memory over three months of the model (``ru_maxrss``, 200,000 to
800,000 workers, varying households, sectors, shops visited, applications and
firms) and rounded up:

.. math:: M \\approx M_0 + W (80 + 2 a) + H (20 + S (20 + 4 z)) + 400 F

with ``W`` workers, ``H`` households, ``S`` sectors, ``F`` firms, ``a`` applications
per job seeker, ``z`` shops visited and ``M_0`` = 400 MB for Python and the libraries.
The household-by-sector arrays (usual shops and shopping draws) dominate with many
sectors. Measured: 39 MB for 200,000 workers (estimate 50 MB), 156 MB for 800,000
(estimate 198 MB), above the fixed part.
"""

from __future__ import annotations

import os
import re

from sim.scenario.loader import ScenarioError
from sim.scenario.schema import Scenario

BASE_BYTES = 400 * 2**20
"""Python, numpy, pandas, Mesa and the model's code in one process."""

DEFAULT_SHARE = 0.5
"""Share of the machine's memory a run (or all of a sweep's processes together) may use
unless ``--max-memory`` says otherwise."""

_UNITS = {"": 1, "B": 1, "K": 2**10, "M": 2**20, "G": 2**30, "T": 2**40}


def estimate_memory(scenario: Scenario) -> int:
    """Peak bytes one run of ``scenario`` needs (see the module docstring)."""
    workers = scenario.population.workers
    households = scenario.n_households
    sectors = len(scenario.sectors)
    per_worker = 80 + 2 * scenario.labour.applications
    per_household = 20 + sectors * (20 + 4 * scenario.households.shops_visited)
    return int(
        BASE_BYTES
        + workers * per_worker
        + households * per_household
        + 400 * scenario.population.firms
    )


def machine_memory() -> int | None:
    """Physical memory of this machine in bytes, if the platform says."""
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return None


def default_memory_limit() -> int | None:
    """:data:`DEFAULT_SHARE` of the machine's memory (``None`` if unknown)."""
    total = machine_memory()
    return None if total is None else int(DEFAULT_SHARE * total)


def format_size(size: float) -> str:
    """Bytes as ``1.5 GiB``."""
    for unit in ("B", "KiB", "MiB", "GiB"):
        if size < 1024:
            return f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} TiB"


def parse_size(text: str) -> int:
    """``"8G"``, ``"512MiB"``, ``"2.5GB"`` or a byte count, as bytes (powers of 1024).

    Raises:
        ValueError: with what is allowed, for anything else.
    """
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([KMGT]?)(?:I?B)?\s*", text.upper()[:40])
    if not match or float(match[1]) <= 0:
        raise ValueError(
            f"{text[:40]!r} is not a memory size (allowed: a positive number with an "
            "optional unit K, M, G or T, e.g. 8G or 512M)"
        )
    return int(float(match[1]) * _UNITS[match[2]])


def check_memory(scenario: Scenario, limit: int | None, source: str, processes: int = 1) -> int:
    """Refuse a scenario whose estimated memory, times ``processes`` at once, exceeds ``limit``.

    Returns:
        The estimate for one run, in bytes.

    Raises:
        ScenarioError: naming the estimate, the limit and the keys that drive it.
    """
    estimate = estimate_memory(scenario)
    if limit is not None and estimate * processes > limit:
        at_once = f" x {processes} processes at once" if processes > 1 else ""
        raise ScenarioError(
            f"{source}: one run needs about {format_size(estimate)}{at_once}, more than the "
            f"limit of {format_size(limit)} (--max-memory; default "
            f"{DEFAULT_SHARE:.0%} of this machine's memory). Reduce population.workers "
            f"({scenario.population.workers:,}), population.households "
            f"({scenario.n_households:,}) or the number of sectors ({len(scenario.sectors)}), "
            "use fewer --workers, or raise --max-memory."
        )
    return estimate
