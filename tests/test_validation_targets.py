"""The target table: schema, sources, bands, and clear errors on a malformed table."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.validation.measures import STATISTICS
from sim.validation.targets import (
    CATEGORIES,
    TargetError,
    default_path,
    load_settings,
    load_targets,
)

GOOD = """
[settings]
months = 60
burn_in_months = 12

[[target]]
id = "u"
statistic = "mean_after_burn_in"
description = "mean unemployment"
data = 0.05
band = [0.04, 0.07]
category = "labour data"
source = "BLS"
url = "https://www.bls.gov"
flag = "V"
verified = "read"
series = ["unemployment_rate"]
"""


def test_shipped_table_has_enough_sourced_targets():
    targets = load_targets()
    assert len(targets) >= 25
    assert len({t.id for t in targets}) == len(targets)
    assert {t.category for t in targets} == set(CATEGORIES)
    for t in targets:
        low, high = t.band
        assert low <= t.data <= high, t.id
        assert t.source.strip() and t.verified.strip() and t.url.startswith("http"), t.id
        assert t.statistic in STATISTICS, t.id


def test_issue_topics_are_covered():
    ids = {t.id for t in load_targets()}
    for needed in (
        "unemployment_rate_mean", "unemployment_rate_volatility", "job_finding_rate",
        "separation_rate", "vacancy_rate", "beveridge_curve", "phillips_curve", "okun_law",
        "gdp_cyclical_sd", "consumption_relative_volatility", "gdp_persistence",
        "recessions_per_20_years", "firm_size_tail_index", "firm_growth_tent_shape",
        "firm_exit_rate", "markup_sales_weighted", "labour_share", "wage_growth_uniform",
        "nordhaus_price_slope", "nordhaus_wage_slope", "care_employment_share_growth",
        "care_price_vs_cpi", "software_price_fall", "ai_price_decline_median_tier",
        "ai_index_gpt35_price_fall", "token_growth_2024_25", "datacentre_electricity_share",
        "provider_concentration",
    ):  # fmt: skip
        assert needed in ids


def test_settings_of_the_shipped_table():
    settings = load_settings()
    assert settings.burn_in_months < settings.months


def test_a_good_table_loads(tmp_path: Path):
    path = tmp_path / "t.toml"
    path.write_text(GOOD)
    (target,) = load_targets(path)
    assert target.band == (0.04, 0.07)
    assert target.passes(0.05) and not target.passes(0.08) and not target.passes(float("nan"))
    assert load_settings(path).months == 60


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (('source = "BLS"\n', ""), r"target 'u': missing key 'source'"),
        (("data = 0.05", "data = 0.09"), r"data 0.09 lies outside its band"),
        (('category = "labour data"', 'category = "vibes"'), r"category 'vibes' is not one of"),
        (("band = [0.04, 0.07]", "band = [0.04]"), r"key 'band' must be \[low, high\]"),
        (('flag = "V"', 'flag = "X"'), r"flag 'X' is not one of"),
        (('url = "https://www.bls.gov"', 'url = "bls"'), r"url 'bls' must start with http"),
        (("data = 0.05", 'data = "high"'), r"key 'data' must be a float"),
        (
            ('verified = "read"', 'verified = "read"\ncolour = "red"'),
            r"unknown key\(s\) \['colour'\]",
        ),
        (
            ('series = ["unemployment_rate"]', 'series = ["compute_price_{tier}"]'),
            r"uses {tier} but params lacks it",
        ),
        (("burn_in_months = 12", "burn_in_months = 60"), r"burn_in_months \(60\) must be shorter"),
    ],
)
def test_malformed_tables_name_file_target_and_key(tmp_path: Path, change, message):
    path = tmp_path / "bad.toml"
    path.write_text(GOOD.replace(*change))
    with pytest.raises(TargetError, match=message) as error:
        load_targets(path)
        load_settings(path)
    assert str(path) in str(error.value)


def test_unreadable_table_is_named(tmp_path: Path):
    with pytest.raises(TargetError, match="cannot read"):
        load_targets(tmp_path / "absent.toml")
    (tmp_path / "broken.toml").write_text("[[target]\n")
    with pytest.raises(TargetError, match="not valid TOML"):
        load_targets(tmp_path / "broken.toml")


def test_default_path_is_in_the_package():
    assert default_path().name == "targets.toml"
    assert default_path().exists()
