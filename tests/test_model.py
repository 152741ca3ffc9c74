"""The economy: accounting identities every step, determinism, Mesa integration."""

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import mesa
import numpy as np
import pandas as pd
import pytest

from sim.agents.workers import UNEMPLOYED
from tests.conftest import SMALL, small_model


def _base_money(model) -> float:
    """Deposits plus bank equity minus loans: the banks' reserves."""
    return model.money_total + model.banks.equity.sum() - model.banks.loans.sum()


@pytest.mark.parametrize("credit", [True, False])
def test_money_is_conserved_every_step(credit):
    """Base money, deposits plus bank equity minus loans (the banks' reserves), grows
    by exactly what the issuer creates; with credit off, deposits alone do."""
    model = small_model(**{"money.rule": "fixed", "money.growth": 0.05, "credit.enabled": credit})
    banks = model.banks
    before = _base_money(model)
    for _ in range(36):
        issued_before = model.money_issued
        model.step()
        issued = model.money_issued - issued_before
        assert issued > 0
        assert _base_money(model) == pytest.approx(before + issued, rel=1e-9)
        before = _base_money(model)
    assert model.results()["money_error"].max() < 1e-9
    if not credit:
        assert banks.loans.sum() == 0.0


@pytest.mark.parametrize("capital", [False, True], ids=["no capital", "capital"])
def test_goods_bought_equal_goods_sold_and_stocks_add_up(capital):
    model = small_model(**{"capital.enabled": capital})
    for _ in range(24):
        inventory_before = model.firms.inventory.copy()
        model.step()
        firms = model.firms
        # Revenue of firms equals spending of households on goods (their spending less
        # their electricity bills) plus the AI supply chain's purchases plus investment
        # (0 without capital), in dollars.
        report = model.report
        goods = model.households.spending.sum() - report["household_electricity_bill"]
        bought = goods + report["supplier_input_purchases"] + report["investment"]
        assert firms.revenue.sum() == pytest.approx(bought, rel=1e-12)
        # Stock-flow of goods: old stock (net of entrants' zeroed stock) + output - sales,
        # then depreciation, gives the new stock.
        depreciation = model.config.firms.inventory_depreciation
        expected = (inventory_before + firms.output - firms.sales) * (1 - depreciation)
        entrants = firms.age == 0
        np.testing.assert_allclose(
            firms.inventory[~entrants], expected[~entrants], rtol=1e-9, atol=1e-9
        )


@pytest.mark.parametrize("capital", [False, True], ids=["no capital", "capital"])
def test_no_negative_stock_price_wage_or_balance(capital):
    model = small_model(**{"capital.enabled": capital})
    for _ in range(36):
        model.step()
        for array in (
            model.firms.inventory, model.firms.price, model.firms.wage, model.firms.cash,
            model.firms.capital, model.firms.capital_value, model.firms.capital_debt,
            model.households.cash, model.providers.cash, model.providers.prices,
            model.workers.wage,
        ):  # fmt: skip
            assert np.all(np.isfinite(array))
            assert np.all(array >= -1e-9)


def documented_series(sectors: list[str], tiers: list[str]) -> set[str]:
    """Every series named in the tables of docs/model.md, "Reported each step", with
    ``<sector>`` and ``<tier>`` expanded: the public contract, written independently
    of ``sim.metrics.report_names``."""
    text = (Path(__file__).parents[1] / "docs" / "model.md").read_text()
    section = text.split("## Reported each step", 1)[1].split("\n## ", 1)[0]
    names = set()
    for line in section.splitlines():
        if line.startswith("| `"):
            for name in re.findall(r"`([a-z0-9_<>]+)`", line.split("|")[1]):
                if "<sector>" in name:
                    names |= {name.replace("<sector>", s) for s in sectors}
                elif "<tier>" in name:
                    names |= {name.replace("<tier>", t) for t in tiers}
                else:
                    names.add(name)
    return names


def test_every_documented_series_is_reported_and_finite():
    model = small_model()
    for _ in range(12):
        model.step()
    frame = model.results()
    documented = documented_series(model.sector_names, model.compute_market.tier_names)
    assert len(documented) > 50
    assert set(frame.columns) == documented
    assert len(frame) == 13  # step 0 and twelve months
    assert np.isfinite(frame.to_numpy(dtype=float)).all()


@pytest.mark.parametrize("capital", [False, True], ids=["no capital", "capital"])
def test_same_seed_same_numbers_different_seed_different_numbers(capital):
    on = {"capital.enabled": capital}
    a, b, c = small_model(**on), small_model(**on), small_model(**{"run.seed": 7, **on})
    for model in (a, b, c):
        for _ in range(24):
            model.step()
    pd.testing.assert_frame_equal(a.results(), b.results())
    assert not a.results().equals(c.results())


def test_same_seed_same_numbers_in_another_process():
    code = (
        "from tests.conftest import small_model\n"
        "m = small_model()\n"
        "[m.step() for _ in range(12)]\n"
        "print(m.results().to_json())\n"
    )
    here = small_model()
    for _ in range(12):
        here.step()
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == here.results().to_json()


def test_agent_views_are_read_only_snapshots():
    model = small_model()
    worker = model.workers[0]
    assert worker.kind == "worker" and worker.index == 0
    assert set(worker.as_dict()) == set(model.workers.fields)
    with pytest.raises(AttributeError):
        worker.wage = 1.0
    firm = model.firms[-1]
    assert firm.index == len(model.firms) - 1
    assert model.households[3].loyal == model.households.loyal[3].tolist()
    with pytest.raises(IndexError, match=r"provider index 8 out of range \(0\.\.7\)"):
        model.providers[len(model.providers)]
    assert model.firms[-len(model.firms)].index == 0
    with pytest.raises(AttributeError, match="firm has no field 'colour'"):
        _ = firm.colour


def test_populations_export_as_frames():
    model = small_model()
    frame = model.firms.to_frame()
    assert len(frame) == len(model.firms) == 30
    assert frame["price"].tolist() == model.firms.price.tolist()
    assert frame["headcount"].sum() + frame["oversight_headcount"].sum() == int(
        (model.workers.employer >= 0).sum()
    )
    assert frame.loc[7].to_dict()["cash"] == model.firms[7].cash
    assert len(model.households.to_frame()["loyal"].iloc[0]) == len(model.sector_names)


def test_workers_employed_only_at_existing_firms():
    model = small_model()
    for _ in range(24):
        model.step()
        employer = model.workers.employer
        assert ((employer == UNEMPLOYED) | ((employer >= 0) & (employer < len(model.firms)))).all()
        headcount = np.bincount(employer[employer >= 0], minlength=len(model.firms))
        np.testing.assert_array_equal(headcount, model.firms.headcount)


def test_mesa_batch_run_builds_the_model_from_flat_parameters():
    results = mesa.batch_run(
        type(small_model()),
        parameters={
            **{k: v for k, v in SMALL.items() if k != "run.steps"},
            "households.consumer_elasticity": [0.5, 1.5],
        },
        rng=[1, 2],
        max_steps=6,
        number_processes=1,
        display_progress=False,
    )
    frame = pd.DataFrame(results)
    assert len(frame) == 4
    assert set(frame["households.consumer_elasticity"]) == {0.5, 1.5}
    assert frame["tokens"].gt(0).all()


def test_parameters_passed_as_mesa_scenario_are_refused():
    from sim.scenario import build_scenario

    with pytest.raises(TypeError, match=r"EconomyModel\(config=\.\.\.\)"):
        type(small_model())(scenario=build_scenario())


def test_income_distribution_measures():
    from sim.metrics import income_distribution

    equal = income_distribution(np.ones(1000))
    assert equal["gini"] == pytest.approx(0.0, abs=1e-12)
    assert equal["top1"] == pytest.approx(0.01) and equal["top10"] == pytest.approx(0.10)
    one_holds_all = income_distribution(np.r_[np.zeros(999), 5.0])
    assert one_holds_all["gini"] == pytest.approx(0.999)
    assert one_holds_all["top1"] == 1.0
    # Incomes 1..100: the top 10 hold (91+...+100)/5050.
    ranks = income_distribution(np.arange(1.0, 101.0))
    assert ranks["top10"] == pytest.approx(955 / 5050)
    assert ranks["top1"] == pytest.approx(100 / 5050)


def test_seekers_without_openings_in_their_domain_stay_unemployed():
    from sim.markets.labour import search_and_match

    model = small_model(**{"labour.mobility": 0.0})
    firms, workers = model.firms, model.workers
    first_sector = firms.sector == 0
    firms.labour_target = np.where(first_sector, firms.labour, firms.labour + 50.0)
    firms.cash += 2.0 * 50.0 * firms.wage  # enough to pay the new hires
    seekers = np.flatnonzero(workers.sector == 0)[:20]
    workers.employer[seekers] = UNEMPLOYED
    search_and_match(workers, firms, model.worker_efficiency(), model.sector_bounds,
                     model.labour_rules, model.rng)  # fmt: skip
    assert (workers.employer[seekers] == UNEMPLOYED).all()
    others = np.flatnonzero(workers.sector == 1)[:20]
    workers.employer[others] = UNEMPLOYED
    search_and_match(workers, firms, model.worker_efficiency(), model.sector_bounds,
                     model.labour_rules, model.rng)  # fmt: skip
    assert (workers.employer[others] != UNEMPLOYED).any()


def test_the_model_runs_with_numba_switched_off():
    """NUMBA_DISABLE_JIT=1 (numba's debugging switch, and how `make mutation` runs the
    compiled loops as Python) gives the same numbers as the compiled loops."""
    code = (
        "from tests.conftest import small_model\n"
        "m = small_model()\n"
        "[m.step() for _ in range(3)]\n"
        "print(m.results().to_json())\n"
    )
    here = small_model()
    for _ in range(3):
        here.step()
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, env={**os.environ, "NUMBA_DISABLE_JIT": "1"})  # fmt: skip
    pd.testing.assert_frame_equal(
        pd.read_json(io.StringIO(out.stdout)), pd.read_json(io.StringIO(here.results().to_json()))
    )
