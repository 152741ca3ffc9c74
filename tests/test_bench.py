"""``sim bench`` measures what it says: a fresh process per run, medians, a profile
that accounts for the whole month. No assertion on speed itself (that is measured,
not tested)."""

import json

import pytest

from sim.bench import CONFIGURATIONS, profile_model
from sim.cli import main


@pytest.mark.slow  # fresh processes for every run
def test_bench_writes_medians_for_each_economy(tmp_path):
    out = tmp_path / "bench.json"
    code = main(["bench", "--configs", "classroom", "--steps", "3", "--repeats", "2",
                 "--out", str(out)])  # fmt: skip
    assert code == 0
    results = json.loads(out.read_text())
    classroom = results["classroom"]
    assert classroom["steps"] == 3 and classroom["repeats"] == 2
    assert classroom["run_s"] > 0 and classroom["build_s"] > 0
    assert classroom["steps_per_s"] == classroom["steps"] / classroom["run_s"]
    assert classroom["peak_rss_mb"] > 50  # a Python process with numpy and the model
    assert results["machine"]["cpus"] >= 1


def test_profile_lists_the_markets_and_adds_up():
    table = profile_model(CONFIGURATIONS["classroom"], warm_up=2, months=3, top=40)
    lines = table.strip().splitlines()
    assert lines[0].split() == ["ms/month", "share", "function"]
    assert any("shop" in line for line in lines) and any(
        "search_and_match" in line for line in lines
    )
    *rows, total = lines[1:]
    assert total.split()[1] == "100.0%" and "all (3 months after 2)" in total
    shares = [float(row.split()[1].rstrip("%")) for row in rows]
    assert shares == sorted(shares, reverse=True) and 0 < sum(shares) <= 100.05


def test_fingerprint_is_reproducible_and_sees_a_different_run():
    """The same run hashes the same; another seed changes both hashes."""
    from sim.bench import SCENARIO_DIR, fingerprint

    baseline = SCENARIO_DIR / "baseline.toml"
    first = fingerprint(baseline, {"run.seed": 5}, months=3, workers=2_000)
    assert first == fingerprint(baseline, {"run.seed": 5}, months=3, workers=2_000)
    other = fingerprint(baseline, {"run.seed": 6}, months=3, workers=2_000)
    assert other["steps"] != first["steps"] and other["firms"] != first["firms"]
