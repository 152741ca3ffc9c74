"""Scenario files: every shipped file loads; every bad input gets a clear error."""

from pathlib import Path

import pytest

from sim.cli import main
from sim.scenario import ScenarioError, build_scenario, load_scenario
from sim.scenario.loader import get_dotted
from sim.scenario.schema import DEFAULT_SECTORS

SCENARIOS = sorted(Path(__file__).parents[1].joinpath("scenarios").glob("*.toml"))


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_shipped_scenarios_load_and_describe_themselves(path):
    scenario = load_scenario(path)
    assert scenario.description.strip(), f"{path} has no description"


def test_defaults_are_the_documented_baseline():
    scenario = build_scenario()
    assert set(scenario.sectors) == {"software", "business", "manufacturing", "care", "repair"}
    assert scenario.compute.tiers["basic"].annual_decline == 9.0
    assert scenario.households.consumer_elasticity < 1.0  # Baumol's condition by default


def test_override_sets_nested_key_with_validation():
    scenario = build_scenario(overrides={"sectors.care.ai_share": 0.1})
    assert scenario.sectors["care"].ai_share == 0.1
    assert scenario.sectors["repair"].ai_share == 0.001


def test_sector_can_be_removed():
    scenario = build_scenario(overrides={"sectors.business": False})
    assert "business" not in scenario.sectors


def _error(**kwargs) -> str:
    with pytest.raises(ScenarioError) as info:
        build_scenario(source="scenarios/bad.toml", **kwargs)
    return str(info.value)


def test_unknown_key_suggests_the_near_miss():
    message = _error(overrides={"households.consumer_elasticty": 0.4})
    assert "scenarios/bad.toml" in message
    assert "did you mean 'households.consumer_elasticity'" in message


def test_out_of_range_names_file_key_value_and_range():
    message = _error(overrides={"sectors.care.ai_share": 1.5})
    assert "scenarios/bad.toml" in message
    assert "sectors.care.ai_share = 1.5" in message
    assert "<= 0.95" in message


def test_wrong_type_is_reported():
    message = _error(overrides={"labour.mobility": "high"})
    assert "labour.mobility = 'high'" in message
    assert "valid number" in message


def test_unknown_tier_lists_the_allowed_tiers():
    message = _error(overrides={"sectors.care.min_tier": "gold"})
    assert "sectors.care.min_tier = 'gold'" in message
    assert "advanced, basic, frontier" in message


def test_unknown_supplier_input_sector_lists_the_sectors():
    message = _error(overrides={"energy.supplier_input_sector": "mining"})
    assert "energy.supplier_input_sector = 'mining'" in message
    assert "business, care, manufacturing, repair, software" in message


def test_ai_compute_cannot_use_more_electricity_than_data_centres():
    message = _error(
        overrides={"energy.datacentre_share": 0.001, "compute.compute_energy_share": 0.002}
    )
    assert "energy.datacentre_share = 0.001 must be at least" in message


def test_new_sector_must_be_complete():
    message = _error(data={"sectors": {"education": {"label": "Education"}}})
    assert "sectors.education.ai_share" in message
    assert "Field required" in message


def test_all_problems_reported_at_once():
    message = _error(overrides={"labour.mobility": 2.0, "run.steps": 0})
    assert "labour.mobility" in message and "run.steps" in message


def test_bad_toml_and_missing_file(tmp_path):
    bad = tmp_path / "broken.toml"
    bad.write_text("[run\nsteps = 3\n")
    with pytest.raises(ScenarioError, match=r"broken\.toml: not valid TOML"):
        load_scenario(bad)
    with pytest.raises(ScenarioError, match="no such scenario file"):
        load_scenario(tmp_path / "absent.toml")


def test_cli_rejects_bad_input_and_writes_nothing(tmp_path, capsys):
    out = tmp_path / "out"
    code = main(["run", str(SCENARIOS[0]), "--set", "labour.mobility=3", "--out", str(out)])
    assert code == 2
    assert "labour.mobility = 3" in capsys.readouterr().err
    assert not out.exists()


def test_parameter_reference_is_generated_from_the_schema():
    from sim.scenario.docs import parameter_table

    reference = Path(__file__).parents[1].joinpath("docs", "parameters.md").read_text()
    assert parameter_table() in reference, "docs/parameters.md is stale: run `sim params`"


# --- hardening: every key, generically -------------------------------------------------

NUMERIC_KEYS = [
    key
    for key in __import__("strategies").scenario_keys()
    if isinstance(get_dotted(build_scenario().model_dump(), key), float)
]


@pytest.mark.parametrize("poison", [float("nan"), float("inf"), -float("inf"), 5e-324])
def test_every_number_must_be_finite_and_normal(poison):
    for key in NUMERIC_KEYS:
        message = _error(overrides={key: poison})
        assert f"{key} = " in message, key


def test_every_numeric_key_is_bounded_on_both_sides():
    from strategies import field_strategy

    for key in NUMERIC_KEYS:
        field_strategy(key, ["basic"])  # raises for a key without both bounds


def test_long_text_is_refused_and_not_echoed_whole():
    message = _error(overrides={"sectors.care.label": "x" * 5_000_000})
    assert "sectors.care.label" in message and "10000 characters" in message
    assert len(message) < 1000


def test_sector_names_and_counts_are_bounded():
    assert "name 'bad name' is not allowed" in _error(
        data={"sectors": {"bad name": dict(DEFAULT_SECTORS["care"])}}
    )
    many = {f"s{i}": dict(DEFAULT_SECTORS["care"]) for i in range(60)}
    assert "at most 50 are allowed" in _error(
        data={"sectors": many}, overrides={"population.firms": 100}
    )


def test_compounding_beyond_the_limit_is_refused_with_the_largest_allowed_factor():
    message = _error(overrides={"run.steps": 2400, "compute.tiers.frontier.annual_decline": 40.0})
    assert "compute.tiers.frontier.annual_decline = 40 a year compounds to 10^320" in message
    assert "at most 1.585" in message
    build_scenario(overrides={"run.steps": 240})  # the baseline for twenty years is fine


def test_memory_is_estimated_and_refused_above_the_limit(tmp_path, capsys):
    from sim.scenario.resources import check_memory, estimate_memory

    huge = build_scenario(
        overrides={"population.workers": 20_000_000, "population.firms": 1_000_000}
    )
    assert estimate_memory(huge) > 5 * 2**30
    with pytest.raises(ScenarioError, match=r"needs about .* GiB.*--max-memory"):
        check_memory(huge, 2**30, "x.toml")
    out = tmp_path / "out"
    code = main(["run", str(SCENARIOS[0]), "--max-memory", "100M", "--out", str(out)])
    assert code == 2
    assert "more than the limit of 100.0 MiB" in capsys.readouterr().err
    assert not out.exists()
