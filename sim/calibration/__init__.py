"""Calibration: estimate parameters by the method of simulated moments.

Python API::

    from sim.calibration import calibrate, load_config
    result = calibrate(load_config("scenarios/calibration/recover_elasticity.toml"), "out/cal")
    result.best, result.best_loss      # {"households.consumer_elasticity": 1.47}, 0.21

Modules: ``config`` (the calibration file), ``moments`` (statistics and the MSM
loss), ``samplers`` (Halton, Gaussian-process surrogate, best batch), ``loop`` (the
loop and its checkpoint folder), ``commands`` (``sim calibrate``). See
docs/calibration.md.
"""

from importlib import import_module

_EXPORTS = {
    "Calibration": "sim.calibration.config",
    "CalibrationConfig": "sim.calibration.config",
    "load_config": "sim.calibration.config",
    "CalibrationResult": "sim.calibration.loop",
    "calibrate": "sim.calibration.loop",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    """Import the API lazily, so ``sim --help`` does not load the model (PEP 562)."""
    if name not in _EXPORTS:
        raise AttributeError(f"module 'sim.calibration' has no attribute {name!r}")
    return getattr(import_module(_EXPORTS[name]), name)
