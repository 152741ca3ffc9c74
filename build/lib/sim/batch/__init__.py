"""Sweeps and batch runs: many scenarios from one ``[sweep]`` table, in parallel.

Python API::

    from sim.batch import plan_from_file, run_sweep
    plan = plan_from_file("scenarios/jevons_map.toml", ["population.workers=2000"])
    outcome = run_sweep(plan, "out/jevons_map", workers=2)
    outcome.runs            # one row per run: seed, varied values, status, outcomes

Modules: ``spec`` (the ``[sweep]`` schema), ``design`` (points, replicates, seeds),
``executors`` (local processes or Dask), ``runner`` (the loop), ``store`` (the
output directory), ``manifest``, ``summarize``, ``sensitivity``, ``commands`` (CLI),
``bench``.
"""

from importlib import import_module

_EXPORTS = {
    "SweepPlan": "sim.batch.design",
    "plan_from_data": "sim.batch.design",
    "plan_from_file": "sim.batch.design",
    "SweepOutcome": "sim.batch.runner",
    "run_sweep": "sim.batch.runner",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    """Import the API lazily, so ``sim --help`` does not load the model (PEP 562)."""
    if name not in _EXPORTS:
        raise AttributeError(f"module 'sim.batch' has no attribute {name!r}")
    return getattr(import_module(_EXPORTS[name]), name)
