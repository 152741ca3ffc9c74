"""The same sweep on a Dask cluster gives the same results as local processes."""

from __future__ import annotations

import pandas as pd
import pytest

from sim.batch import plan_from_data, run_sweep

distributed = pytest.importorskip("distributed")

SWEEP = {
    "run": {"steps": 12},
    "population": {"workers": 300, "firms": 15},
    "sweep": {
        "replicates": 2,
        "seed": 9,
        "parameters": {"labour.mobility": {"values": [0.05, 0.6]}},
    },
}


@pytest.mark.slow  # starts a dask cluster
def test_dask_cluster_runs_the_sweep_like_local_processes(tmp_path):
    plan = plan_from_data(SWEEP, source="dask-test")
    local = run_sweep(plan, tmp_path / "local", workers=1, progress=False)
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        remote = run_sweep(plan, tmp_path / "dask", scheduler=cluster.scheduler_address,
                           progress=False)  # fmt: skip
    assert remote.failed == 0 and remote.ran == plan.n_runs
    columns = [c for c in local.runs if c != "wall_time_s"]
    pd.testing.assert_frame_equal(local.runs[columns], remote.runs[columns])
    assert len(list((tmp_path / "dask" / "steps").glob("run_id=*/part.parquet"))) == plan.n_runs
