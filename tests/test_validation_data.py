"""The sourced data files in sim/data: every row sourced, loadable, and the figures
the validation targets derive from them."""

from __future__ import annotations

import pytest

from sim import data

EXPECTED = {
    "chart_of_the_century", "ai_price_trends", "bls_employment_shares", "bls_oews_wages",
    "iea_electricity", "ai_token_volumes", "provider_shares",
}  # fmt: skip


def test_expected_files_ship():
    assert set(data.available()) >= EXPECTED


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_row_is_sourced(name):
    frame = data.load(name)
    assert len(frame) > 0
    for column in data.REQUIRED_COLUMNS:
        assert frame[column].notna().all(), f"{name}: empty {column}"
        assert (frame[column].astype(str).str.strip() != "").all()
    assert frame["url"].str.startswith("http").all()
    assert set(frame["flag"]) <= {"V", "V2", "D", "V2-unconfirmed"}


def test_unknown_file_names_the_choices():
    with pytest.raises(ValueError, match=r"available: .*chart_of_the_century"):
        data.load("no_such_file")


def test_oews_growth_matches_the_reference_notes():
    wages = data.load("bls_oews_wages").set_index(["soc", "year"])["median_annual_usd"]
    hvac = wages[("49-9021", 2025)] / wages[("49-9021", 2019)] - 1
    everyone = wages[("00-0000", 2025)] / wages[("00-0000", 2019)] - 1
    assert hvac == pytest.approx(0.252, abs=0.001)
    assert everyone == pytest.approx(0.281, abs=0.001)


def test_chart_of_the_century_directions():
    chart = data.load("chart_of_the_century").set_index("category")["change_pct"]
    cpi = chart["All items (CPI-U)"]
    assert chart["Hospital services"] > cpi > 0 > chart["Televisions"]


def test_epoch_median_is_the_median_of_its_threshold_series():
    trends = data.load("ai_price_trends")
    series = trends[trends["verified"].str.startswith("read_file")]
    assert len(series) == 21
    median = trends.loc[trends["series"] == "Epoch AI: median of 21 threshold series", "value"]
    assert float(median.iloc[0]) == pytest.approx(series["value"].median(), abs=0.05)
    assert series["value"].min() == pytest.approx(9.24, abs=0.01)
