"""Fresh populations: every declared field exists with one entry per agent and the
documented starting value, so that a rule can run on a population built by hand."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from sim.agents.banks import Banks
from sim.agents.energy import PowerSector
from sim.agents.firms import Firms
from sim.agents.hardware import HardwareSector
from sim.agents.households import Households
from sim.agents.providers import Providers, bertrand_markup
from sim.agents.workers import UNEMPLOYED, Workers


def populations():
    return {
        "firms": Firms(np.array([0, 0, 1]), 4),
        "households": Households(np.array([0.5, 0.5]), np.zeros((2, 3))),
        "providers": Providers(np.array([1.0, 1.1, 0.9, 1.2]), np.zeros(4), 4, 3),
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
    # Whole numbers in agent views; the tier indexes the providers' price table.
    for name in ("age", "headcount", "oversight_headcount", "tier"):
        assert getattr(firms, name).dtype.kind == "i", name
    np.testing.assert_allclose(firms.provider_mix.sum(axis=1), 1.0, rtol=1e-12)
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
    """Bertrand-Nash under logit demand, beta = 4 and eta = 1.5, equal costs and the
    qualities ``ln s + 4 ln(1 + mu(s))`` that make 0.1-0.4 the equilibrium shares:
    eps = 4 (1 - s) + 1.5 s = 3.75, 3.5, 3.25 and 3.0, markups 1 / (eps - 1)."""
    providers = populations()["providers"]
    shares = np.array([0.1, 0.2, 0.3, 0.4])
    markups = np.array([1 / 2.75, 1 / 2.5, 1 / 2.25, 1 / 2.0])
    providers.quality = np.log(shares) + 4.0 * np.log1p(markups)
    providers.update_markups("bertrand", 4.0, 1.5, 3.0, np.zeros(4))
    np.testing.assert_allclose(providers.markup, markups, rtol=1e-10)
    np.testing.assert_allclose(providers.choice_share, shares, rtol=1e-10)
    assert (providers.active).all()


def test_an_agent_view_prints_its_kind_index_and_fields():
    firms = Firms(np.zeros(5, dtype=int), 1)
    firms.cash[3] = 12.3456
    text = repr(firms[3])
    assert text.startswith("firm[3](") and "cash=12.35" in text


def test_an_agent_view_prints_every_field_in_order():
    """Floats to four significant figures, whole numbers and flags as they are."""
    banks = Banks(np.array([1234.5678]))
    banks.failures[0] = 123456
    assert repr(banks[0]) == (
        "bank[0](equity=1235, loans=0, lent=0, repaid=0, interest=0, capitalised=0, "
        "written_off=0, dividends=0, recapitalised=0, failures=123456)"
    )
    assert isinstance(banks[0].failures, int)  # a count of months, not 123456.0


def test_inactive_providers_start_with_no_market_share():
    """Two of four providers in the market: 1/2 each, the entrants-to-be 0."""
    providers = Providers(np.array([1.0, 1.1, 0.9, 1.2]), np.zeros(4), 2, 3)
    np.testing.assert_array_equal(providers.active, [True, True, False, False])
    np.testing.assert_array_equal(providers.share, [0.5, 0.5, 0.0, 0.0])


@pytest.mark.parametrize("sector", [HardwareSector, lambda: PowerSector(0.12)])
def test_the_one_agent_sectors_are_populations_of_one(sector):
    """The GPU maker and the power supplier: one row, every field one entry."""
    population = sector()
    assert len(population) == 1
    for name in population.fields:
        assert getattr(population, name).shape == (1,), name
    frame = population.to_frame()
    assert frame.shape == (1, len(population.fields))


def test_a_unit_elastic_demand_gets_the_markup_cap_without_a_warning():
    """eps = 2 (1 - s) + 0.5 s is exactly 1 at s = 2/3 and below 1 above it: no
    finite Lerner markup, so the cap (3); at s = 0 it is 1 / (2 - 1) = 1."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        markup = bertrand_markup(np.array([0.0, 2.0 / 3.0, 0.9]), 2.0, 0.5, 3.0)
    np.testing.assert_allclose(markup, [1.0, 3.0, 3.0], rtol=1e-12)


def test_worker_indices_are_stored_compactly():
    """A worker's employer, household and last employer are 4-byte indices, her sector
    2 bytes and occupation 1 (memory grows with millions of workers: 8-byte defaults
    would double it); fractional months, skill and pay are floats."""
    workers = populations()["workers"]
    for name, dtype in (("employer", np.int32), ("household", np.int32),
                        ("separated_from", np.int32), ("sector", np.int16),
                        ("occupation", np.int8)):  # fmt: skip
        assert getattr(workers, name).dtype == dtype, name
    np.testing.assert_array_equal(workers.separated_from, UNEMPLOYED)
    for name in ("skill", "months_in_sector", "wage", "months_unemployed", "last_wage"):
        assert getattr(workers, name).dtype == np.float64, name
