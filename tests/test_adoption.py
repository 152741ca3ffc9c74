"""AI adoption diffusion (docs/model.md, section 2b): the Bass hazard ``h = p + q F``,
who adopts, entrants, the non-adopters' labour-only technology, the step-0 state with
diffusion, and money conserved with it. Expected numbers are worked out by hand here.
"""

from __future__ import annotations

import numpy as np
import pytest

from sim.agents.firms import Firms
from sim.markets.adoption import Adoption, labour_only_productivity
from sim.scenario import build_scenario, load_scenario
from sim.scenario.schema import AdoptionConfig
from tests.conftest import small_model
from tests.fixed_draws import FixedDraws

ON = {"adoption.enabled": True}


def four_firms(adopter: list[bool], active: list[bool] | None = None) -> Firms:
    firms = Firms(np.zeros(4, dtype=int), 1, np.random.default_rng(0))
    firms.adopter = np.array(adopter)
    firms.active = np.array(active if active is not None else [True] * 4)
    return firms


def test_bass_hazard_by_hand():
    # p = 0.01, q = 0.5: h(0.2) = 0.01 + 0.5 x 0.2 = 0.11; capped at 1.
    adoption = Adoption(AdoptionConfig(enabled=True, innovation=0.01, imitation=0.5))
    assert adoption.hazard(0.2) == pytest.approx(0.11, abs=1e-15)
    assert adoption.hazard(0.0) == pytest.approx(0.01, abs=1e-15)
    big = Adoption(AdoptionConfig(enabled=True, innovation=0.8, imitation=0.5))
    assert big.hazard(1.0) == 1.0


def test_share_counts_active_firms_only():
    # Active firms 0, 1, 2; adopters among them: 0 -> F = 1/3 (firm 3 is an empty slot).
    firms = four_firms([True, False, False, True], [True, True, True, False])
    assert Adoption.share(firms) == pytest.approx(1.0 / 3.0)
    firms.active[:] = False
    assert Adoption.share(firms) == 0.0


def test_diffuse_by_hand():
    # F = 1/4 among four active firms; p = 0.1, q = 0.4: h = 0.1 + 0.4 x 0.25 = 0.2.
    # A draw of 0.19 < 0.2 adopts every non-adopter; 0.21 adopts none.
    config = AdoptionConfig(enabled=True, innovation=0.1, imitation=0.4)
    firms = four_firms([True, False, False, False])
    assert Adoption(config).diffuse(firms, FixedDraws(0.19)) == 3
    assert firms.adopter.all()
    firms = four_firms([True, False, False, False])
    assert Adoption(config).diffuse(firms, FixedDraws(0.21)) == 0
    assert firms.adopter.tolist() == [True, False, False, False]


def test_inactive_slots_do_not_adopt():
    config = AdoptionConfig(enabled=True, innovation=1.0)
    firms = four_firms([False] * 4, [True, False, True, False])
    assert Adoption(config).diffuse(firms, FixedDraws(0.5)) == 2
    assert firms.adopter.tolist() == [True, False, True, False]


def test_adoption_is_permanent_and_off_means_nothing_happens():
    # With the hazard 0 no one adopts, and no adopter ever goes back.
    firms = four_firms([True, False, True, False])
    Adoption(AdoptionConfig(enabled=True, innovation=0.0)).diffuse(firms, FixedDraws(0.0))
    assert firms.adopter.tolist() == [True, False, True, False]
    off = Adoption(AdoptionConfig(enabled=False, innovation=1.0))
    assert off.diffuse(firms, FixedDraws(0.0)) == 0
    assert firms.adopter.tolist() == [True, False, True, False]
    rng = np.random.default_rng(3)
    state = rng.bit_generator.state
    assert off.initial_adopters(5, rng).all()
    assert rng.bit_generator.state == state  # no draw when diffusion is off


def test_expected_diffusion_matches_the_bass_recursion():
    # 40,000 firms, F0 drawn at 0.1, p = 0.02, q = 0.3: after one month
    # E[F1] = F0 + (p + q F0)(1 - F0); binomial s.d. of the new adopters' share
    # sqrt(h (1 - h) (1 - F0) / N) < 0.0025, so 4 s.d. is 0.01.
    rng = np.random.default_rng(11)
    n = 40_000
    adoption = Adoption(
        AdoptionConfig(enabled=True, initial_share=0.1, innovation=0.02, imitation=0.3)
    )
    firms = Firms(np.zeros(n, dtype=int), 1, rng)
    firms.adopter = adoption.initial_adopters(n, rng)
    f0 = Adoption.share(firms)
    assert f0 == pytest.approx(0.1, abs=4 * np.sqrt(0.09 / n))
    adoption.diffuse(firms, rng)
    expected = f0 + (0.02 + 0.3 * f0) * (1.0 - f0)
    assert Adoption.share(firms) == pytest.approx(expected, abs=0.01)


def test_entrants_copy_the_adopters_share():
    # Incumbents: 3 of 4 active firms adopt (F = 0.75). Entrants with draws 0.7 adopt,
    # with draws 0.8 do not.
    config = AdoptionConfig(enabled=True)
    firms = Firms(np.zeros(6, dtype=int), 1, np.random.default_rng(0))
    firms.adopter = np.array([True, True, True, False, False, False])
    firms.active = np.array([True, True, True, True, False, False])
    Adoption(config).enter(firms, np.array([4, 5]), FixedDraws(0.7))
    assert firms.adopter[4:].tolist() == [True, True]
    firms.adopter[4:] = False
    Adoption(config).enter(firms, np.array([4, 5]), FixedDraws(0.8))
    assert firms.adopter[4:].tolist() == [False, False]


def test_non_adopter_plans_with_labour_only():
    # Sector: A = 10, s0 = 0.2 -> A_N = (1 - 0.2) x 10 = 8. A non-adopter at wage 2 with
    # expected demand 16, no inventory target or stock: Y* = 16, L* = 16 / 8 = 2,
    # x* = 0, unit cost 2 / 8 = 0.25. The adopter beside it buys compute.
    firms = Firms(np.zeros(2, dtype=int), 1, np.random.default_rng(0))
    firms.adopter = np.array([False, True])
    firms.wage[:] = 2.0
    firms.cash[:] = 1e9
    firms.expected_demand[:] = 16.0
    productivity, ai_share = np.array([10.0]), np.array([0.2])
    firms.plan(
        0.0, productivity, ai_share, np.array([1.5]), np.array([0.5, 0.5]), np.zeros(2),
        labour_only_productivity=labour_only_productivity(ai_share, productivity),
    )  # fmt: skip
    assert firms.planned_output[0] == pytest.approx(16.0, rel=1e-12)
    assert firms.labour_target[0] == pytest.approx(2.0, rel=1e-12)
    assert firms.compute[0] == 0.0
    assert firms.unit_cost[0] == pytest.approx(0.25, rel=1e-12)
    assert firms.compute[1] > 0.0


def test_labour_only_costs_the_same_as_ai_at_step_0_prices():
    # At base prices the adopter's unit cost is w0 / ((1 - s0) A0) (docs/model.md, 2):
    # w0 = 1, s0 = 0.2, A0 = 10 -> 0.125; the non-adopter's w0 / A_N is the same.
    from sim.economics import unit_cost

    s0, a0, w0 = 0.2, 10.0, 1.0
    q0 = s0 * w0 / (1.0 - s0)
    adopter = float(unit_cost(w0, q0, a0, s0, 1.5))
    assert adopter == pytest.approx(0.125, rel=1e-12)
    non_adopter = w0 / float(labour_only_productivity(np.array(s0), np.array(a0)))
    assert non_adopter == pytest.approx(adopter, rel=1e-12)


def test_step_0_with_diffusion():
    """Non-adopters hold no compute and produce (1 - s0) A0 L at the adopters' unit
    cost; the reported share is the adopters' share of active firms."""
    model = small_model(**ON, **{"adoption.initial_share": 0.3})
    firms = model.firms
    s = firms.sector
    assert 0 < firms.adopter.sum() < len(firms)
    non = ~firms.adopter
    assert np.all(firms.compute[non] == 0.0) and np.all(firms.tokens[non] == 0.0)
    assert np.all(firms.compute_bill[non] == 0.0)
    expected = (1.0 - model.ai_share[s]) * model.initial_productivity[s] * firms.labour
    np.testing.assert_allclose(firms.output[non], expected[non], rtol=1e-12)
    assert model.report["ai_adoption_share"] == pytest.approx(firms.adopter.mean())
    # Non-adopters employ no overseers.
    employer = model.workers.employer
    on_staff = employer >= 0
    assert not np.any(model.workers.occupation[on_staff] & non[employer[on_staff]])


def test_money_conserved_and_non_adopters_buy_no_compute():
    """Every step closes the money check (the model raises otherwise); non-adopters buy
    no tokens in any month; the share never falls while no firm exits."""
    model = small_model(**ON, **{"adoption.innovation": 0.05, "run.steps": 24})
    shares = []
    while model.running:
        model.step()
        non = ~model.firms.adopter & model.firms.active
        assert np.all(model.firms.tokens[non] == 0.0)
        assert model.money_error < 1e-9
        shares.append(model.report["ai_adoption_share"])
    assert shares[-1] > shares[0]


def test_diffusion_is_deterministic():
    a = small_model(**ON, **{"adoption.innovation": 0.05, "run.steps": 12})
    b = small_model(**ON, **{"adoption.innovation": 0.05, "run.steps": 12})
    for model in (a, b):
        while model.running:
            model.step()
    assert a.results().equals(b.results())


def test_frictionless_configuration_keeps_every_firm_an_adopter():
    assert not load_scenario("scenarios/frictionless.toml").adoption.enabled
    assert small_model(**{"adoption.enabled": False}).report["ai_adoption_share"] == 1.0


@pytest.mark.parametrize(
    ("key", "value"),
    [("adoption.initial_share", 0.0), ("adoption.innovation", 1.5), ("adoption.imitation", -0.1)],
)
def test_bad_adoption_keys_are_refused(key, value):
    with pytest.raises(Exception, match=key.split(".")[1]):
        build_scenario(overrides={key: value})


def test_a_single_adopter_at_step_0_keeps_the_power_sector():
    """With no adopter drawn at step 0 the firm with the lowest draw adopts (at least
    one firm uses AI), and the world's electricity is still sized from what every firm
    would use as an adopter, so households' bills stay (within the 1 % that the
    different sector sizes make) what they are with every firm an adopter."""
    none = small_model(**ON, **{"adoption.initial_share": 1e-4})
    every = small_model(**ON, **{"adoption.initial_share": 1.0})
    assert none.firms.adopter.sum() == 1
    assert (
        0.0
        < none.compute_market.electricity.initial_compute_demand
        < (every.compute_market.electricity.initial_compute_demand / 10)
    )
    bill = none.compute_market.electricity.household_bill
    assert bill == pytest.approx(every.compute_market.electricity.household_bill, rel=0.01)
    for _ in range(3):
        none.step()
    assert none.money_error < 1e-9
