"""``sim summarize`` and ``sim sensitivity`` on small finished sweeps."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.batch import plan_from_data, run_sweep
from sim.batch.sensitivity import sensitivity_indices
from sim.cli import main
from sim.scenario import ScenarioError

BASE = {
    "run": {"steps": 12},
    "population": {"workers": 300, "firms": 15},
    "adoption": {"enabled": False},
}
"""Every firm uses AI (with 15 firms the Bass draw would leave one adopter, whose AI
spending is too noisy a signal for the sensitivity indices tested here)."""


def finished(tmp_path: Path, sweep: dict, name: str) -> Path:
    out = tmp_path / name
    run_sweep(plan_from_data({**BASE, "sweep": sweep}, source=name), out, 1, progress=False)
    return out


@pytest.fixture(scope="module")
def grid_sweep(tmp_path_factory) -> Path:
    sweep = {
        "replicates": 2,
        "seed": 5,
        "parameters": {"households.consumer_elasticity": {"values": [0.4, 2.0]}},
    }
    return finished(tmp_path_factory.mktemp("grid"), sweep, "grid")


def test_summarize_prints_outcomes_by_point_and_writes_figures(grid_sweep, capsys):
    assert main(["summarize", str(grid_sweep)]) == 0
    printed = capsys.readouterr().out
    assert "4 runs (0 failed), 2 points" in printed
    assert "ai_spend_growth mean" in printed
    figures = sorted(p.name for p in (grid_sweep / "figures").glob("*.png"))
    assert "outcomes_by_households.consumer_elasticity.png" in figures
    assert "paths_ai_spend.png" in figures
    assert (grid_sweep / "summary.csv").read_text().count("\n") == 2 + 1


def test_sensitivity_refuses_a_grid_with_a_clear_message(grid_sweep):
    with pytest.raises(ScenarioError, match="design 'grid' does not support"):
        sensitivity_indices(grid_sweep)


def test_sobol_indices_rank_the_parameter_that_matters(tmp_path, capsys):
    """Firms' labour-compute substitution elasticity drives AI spending; the firms'
    inventory target, a detail of production planning, should matter less."""
    sweep = {
        "design": "sobol",
        "samples": 8,
        "seed": 3,
        "parameters": {
            "sectors.*.substitution_elasticity": {"min": 0.3, "max": 3.0, "scale": "log"},
            "firms.inventory_target": {"min": 0.05, "max": 0.3},
        },
    }
    out = finished(tmp_path, sweep, "sobol")
    indices = sensitivity_indices(out, ["ai_spend_growth"])
    assert list(indices.columns) == ["outcome", "parameter", "S1", "S1_conf", "ST", "ST_conf"]
    assert indices["parameter"].iloc[0] == "sectors.*.substitution_elasticity"
    assert main(["sensitivity", str(out), "--outcome", "ai_spend_growth"]) == 0
    assert "ai_spend_growth (log10)" in capsys.readouterr().out


def test_morris_indices_cover_every_parameter(tmp_path):
    sweep = {
        "design": "morris",
        "samples": 3,
        "seed": 4,
        "parameters": {
            "sectors.*.substitution_elasticity": {"min": 0.3, "max": 3.0},
            "labour.mobility": {"min": 0.05, "max": 0.9},
        },
    }
    indices = sensitivity_indices(finished(tmp_path, sweep, "morris"), ["ai_spend_growth"])
    assert set(indices["parameter"]) == {"sectors.*.substitution_elasticity", "labour.mobility"}
    assert (indices["mu_star"] >= 0).all()
