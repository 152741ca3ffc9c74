"""Fresh populations: every declared field exists with one entry per agent and the
documented starting value, so that a rule can run on a population built by hand."""

from __future__ import annotations

import numpy as np
import pytest

from sim.agents.firms import Firms
from sim.agents.households import Households
from sim.agents.providers import Providers
from sim.agents.workers import UNEMPLOYED, Workers


def populations():
    return {
        "firms": Firms(np.array([0, 0, 1]), 4, np.random.default_rng(0)),
        "households": Households(np.array([0.5, 0.5]), np.zeros((2, 3))),
        "providers": Providers(np.array([1.0, 1.1, 0.9, 1.2]), 4, 3),
        "workers": Workers(
            np.array([0, UNEMPLOYED]), np.array([1, 0]), np.ones(2), np.array([0, 1]), 12
        ),
    }


@pytest.mark.parametrize("kind", ["firms", "households", "providers", "workers"])
def test_every_field_has_one_entry_per_agent(kind):
    population = populations()[kind]
    n = len(population)
    for name in population.fields:
        assert len(getattr(population, name)) == n, name
    assert len(population.to_frame()) == n
    assert set(population[0].as_dict()) == set(population.fields)


def test_starting_values():
    p = populations()
    firms, providers, households, workers = (
        p["firms"],
        p["providers"],
        p["households"],
        p["workers"],
    )
    for name in ("cash", "price", "inventory", "output", "sales", "profit", "oversight_bill"):
        assert (getattr(firms, name) == 0.0).all(), name
    assert firms.sector.tolist() == [0, 0, 1]
    for name in ("age", "headcount", "oversight_headcount"):  # whole numbers in agent views
        assert getattr(firms, name).dtype.kind == "i", name
    assert ((firms.provider >= 0) & (firms.provider < 4)).all()
    assert not (firms.unfilled | firms.laid_off | firms.stocked_out | firms.unsold).any()
    for name in ("cash", "cumulative_tokens", "markup", "tokens", "revenue", "cost", "profit",
                 "dividends"):  # fmt: skip
        assert (getattr(providers, name) == 0.0).all(), name
    np.testing.assert_array_equal(providers.learning, 1.0)
    np.testing.assert_array_equal(providers.share, 0.25)
    assert providers.prices.shape == (4, 3)
    assert households.loyal.dtype == np.int32 and households.loyal.shape == (2, 3)
    for name in ("cash", "income", "permanent_income", "spending"):
        assert (getattr(households, name) == 0.0).all(), name
    np.testing.assert_array_equal(workers.months_in_sector, 12.0)
    workers.months_in_sector += 0.5  # months are fractional even when given as a whole number
    np.testing.assert_array_equal(workers.months_in_sector, 12.5)
    np.testing.assert_array_equal(workers.occupation, 0)
    np.testing.assert_array_equal(workers.employed, [True, False])
    assert workers.sector.tolist() == [1, 0] and workers.household.tolist() == [0, 1]


def test_markups_rise_with_share():
    """Bertrand-Nash under logit demand, beta = 4 and eta = 1.5: eps = 4 (1 - s) + 1.5 s
    = 3.75, 3.5, 3.25 and 3.0, markups 1 / (eps - 1)."""
    providers = populations()["providers"]
    providers.share = np.array([0.1, 0.2, 0.3, 0.4])
    providers.update_markups("bertrand", 4.0, 1.5, 3.0)
    np.testing.assert_allclose(providers.markup, [1 / 2.75, 1 / 2.5, 1 / 2.25, 1 / 2.0],
                               rtol=1e-12)  # fmt: skip
    assert (providers.active).all()


def test_an_agent_view_prints_its_kind_index_and_fields():
    firms = Firms(np.zeros(5, dtype=int), 1, np.random.default_rng(0))
    firms.cash[3] = 12.3456
    text = repr(firms[3])
    assert text.startswith("firm[3](") and "cash=12.35" in text
