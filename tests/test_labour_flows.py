"""The baseline's labour flows are the estimate of ``scenarios/calibration/labour_flows.toml``.

``labour.offer_rate`` and ``labour.quit_rate`` have no direct source; their defaults are
the simulated-moments estimate from the job-finding, separation and unemployment
targets, rounded to two figures (docs/calibration.md, "Labour flows": 0.184 and 0.0135,
the eight best points within 0.175-0.196 and 0.010-0.015). A change to the model that
moves the estimate out of that region fails here: re-run the calibration and update the
defaults, or say why not.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.calibration import calibrate, load_config
from sim.scenario.schema import LabourConfig

CONFIG = Path(__file__).resolve().parents[1] / "scenarios" / "calibration" / "labour_flows.toml"


@pytest.mark.slow
def test_the_default_labour_flows_are_the_calibrated_estimate(tmp_path):
    result = calibrate(
        load_config(CONFIG), tmp_path / "out", workers=2, progress=False, report=None
    )
    defaults = LabourConfig.model_fields
    assert result.best["labour.offer_rate"] == pytest.approx(
        defaults["offer_rate"].default, abs=0.015
    )
    assert result.best["labour.quit_rate"] == pytest.approx(
        defaults["quit_rate"].default, abs=0.002
    )
