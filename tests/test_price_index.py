"""The price level, real output and the money stock against hand-worked numbers.

The CPI is a chained Fisher index (Laspeyres and Paasche links), real GDP a
chained Laspeyres quantity index at last month's prices (docs/model.md, "Reported
each step"); the money stock grows at an annual rate ``g`` compounded monthly,
``(1 + g)^(1/12) - 1`` a month. The states are set by hand on a small model and the
expected values computed here.
"""

from __future__ import annotations

import numpy as np
import pytest

from sim import metrics
from tests.conftest import small_model

PREVIOUS_PRICE = np.array([1.0, 2.0, 1.0, 1.0, 0.5])
PRICE_RELATIVE = np.array([1.1, 0.9, 1.2, 1.0, 0.8])
PREVIOUS_SHARE = np.array([0.4, 0.1, 0.2, 0.2, 0.1])
CURRENT_SHARE = np.array([0.35, 0.15, 0.2, 0.2, 0.1])


def priced_model():
    """A small model one month in, with last and this month's sector prices and
    spending shares set by hand, and the chained CPI standing at 1.2."""
    model = small_model()
    model.step()
    assert len(model.sector_names) == 5
    model.previous_sector_price = PREVIOUS_PRICE.copy()
    model.sector_price = PREVIOUS_PRICE * PRICE_RELATIVE
    model.previous_spending_share = PREVIOUS_SHARE.copy()
    model.sector_spending_share = CURRENT_SHARE.copy()
    model.series_memory.cpi = 1.2
    # Goods only: electricity's weight in the basket is tested in tests/test_energy.py.
    electricity = model.compute_market.electricity
    electricity.bill_share = electricity.previous_bill_share = 0.0
    return model


def test_cpi_link_is_the_fisher_mean_of_laspeyres_and_paasche_links():
    """Laspeyres link = 0.4 x 1.1 + 0.1 x 0.9 + 0.2 x 1.2 + 0.2 x 1.0 + 0.1 x 0.8 = 1.05;
    Paasche link on this month's shares = 1 / (0.35/1.1 + 0.15/0.9 + 0.2/1.2 + 0.2/1.0
    + 0.1/0.8) = 1.02405...; the Fisher link is their geometric mean, 1.03694..., so the
    CPI goes from 1.2 to 1.24433... (a plain mean of the relatives would give 1.0).
    The old chained Laspeyres index, reported as ``cpi_laspeyres``, goes to 1.26."""
    model = priced_model()
    model.series_memory.cpi_laspeyres = 1.2
    report = metrics.measure(model)
    paasche = 1.0 / (0.35 / 1.1 + 0.15 / 0.9 + 0.2 / 1.2 + 0.2 / 1.0 + 0.1 / 0.8)
    assert paasche == pytest.approx(1.024050, abs=1e-6)
    fisher = (1.05 * paasche) ** 0.5
    assert report["cpi"] == pytest.approx(1.2 * fisher, rel=1e-12)
    assert report["cpi_laspeyres"] == pytest.approx(1.26, rel=1e-12)
    # Relative prices are deflated by the new (Fisher) CPI.
    price = PREVIOUS_PRICE * PRICE_RELATIVE
    for k, name in enumerate(model.sector_names):
        assert report[f"price_{name}"] == pytest.approx(price[k], rel=1e-12)
        assert report[f"relative_price_{name}"] == pytest.approx(
            price[k] / (1.2 * fisher), rel=1e-12
        )
        assert report[f"spending_share_{name}"] == pytest.approx(CURRENT_SHARE[k], rel=1e-12)
    # The index is chained: a uniform 2 % rise next month multiplies it by 1.02.
    model.previous_sector_price = model.sector_price.copy()
    model.sector_price = model.sector_price * 1.02
    model.previous_spending_share = CURRENT_SHARE.copy()
    assert metrics.measure(model)["cpi"] == pytest.approx(1.2 * fisher * 1.02, rel=1e-12)


def test_real_gdp_link_values_both_months_at_last_months_prices():
    """Sector output moves from (10, 5, 20, 8, 4) to (12, 5, 18, 8, 6) while prices move
    from (1, 2, 1, 1, 0.5) by the relatives above. At last month's prices output was
    worth 10 + 10 + 20 + 8 + 2 = 50 and is now worth 12 + 10 + 18 + 8 + 3 = 51: real GDP
    grows by 2 %, from 500 to 510. Nominal GDP is this month's output at this
    month's prices, 12 x 1.1 + 5 x 1.8 + 18 x 1.2 + 8 x 1.0 + 6 x 0.4 = 54.2."""
    model = priced_model()
    firms = model.firms
    first_firm = model.sector_bounds[:-1]
    firms.output[:] = 0.0
    firms.output[first_firm] = [12.0, 5.0, 18.0, 8.0, 6.0]
    model.series_memory.output = np.array([10.0, 5.0, 20.0, 8.0, 4.0])
    model.series_memory.real_gdp = 500.0
    report = metrics.measure(model)
    assert report["real_gdp"] == pytest.approx(510.0, rel=1e-12)
    assert report["nominal_gdp"] == pytest.approx(54.2, rel=1e-12)
    for k, name in enumerate(model.sector_names):
        assert report[f"output_{name}"] == firms.output[first_firm[k]]


def test_indices_start_at_one_and_at_nominal_output():
    model = small_model()
    report = model.report
    assert report["cpi"] == 1.0
    output = np.bincount(model.firms.sector, weights=model.firms.output)
    assert report["real_gdp"] == pytest.approx(float(output @ model.sector_price), rel=1e-12)
    assert report["real_gdp"] == pytest.approx(report["nominal_gdp"], rel=1e-12)


def test_sector_price_is_the_sales_weighted_mean_price():
    """After a month, each sector's price is its revenue over its units sold."""
    model = small_model()
    model.step()
    firms = model.firms
    for k in range(len(model.sector_names)):
        mine = firms.sector == k
        expected = (firms.sales[mine] * firms.price[mine]).sum() / firms.sales[mine].sum()
        assert model.sector_price[k] == pytest.approx(expected, rel=1e-12)
    revenue = np.bincount(firms.sector, weights=firms.sales * firms.price)
    np.testing.assert_allclose(model.sector_spending_share, revenue / revenue.sum(), rtol=1e-12)


@pytest.mark.parametrize("growth", [0.0, 0.05, 0.3])
def test_money_stock_grows_by_the_annual_rate_in_twelve_months(growth):
    """Issuance compounds monthly at (1 + g)^(1/12) - 1, so after twelve months the
    money stock is exactly (1 + g) times its start (to rounding: 12 steps of 1e-16)
    and the issuer has created g times it. g/12 a month would give (1 + g/12)^12, too
    much by 0.12 % at g = 5 %. Credit is off: bank lending would add deposits of its
    own (tests/test_credit.py checks money with banks). The fixed money rule
    (tests/test_money_rule.py tests McCallum's)."""
    model = small_model(**{"money.rule": "fixed", "money.growth": growth, "credit.enabled": False})
    start = model.money_total
    model.step()
    first_month = start * ((1 + growth) ** (1 / 12) - 1)
    assert model.issued_this_step == pytest.approx(first_month, rel=1e-12, abs=1e-9)
    for _ in range(11):
        model.step()
    assert model.money_total == pytest.approx(start * (1 + growth), rel=1e-11)
    assert model.money_issued == pytest.approx(start * growth, rel=1e-10, abs=1e-6)
    assert model.report["money_issued"] == model.money_issued
    if growth == 0.0:
        assert model.money_issued == 0.0
