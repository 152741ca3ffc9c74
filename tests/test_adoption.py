"""AI adoption diffusion (docs/model.md, section 2b): the Bass hazard ``h = p + q F``,
who adopts, entrants, the non-adopters' labour-only technology, the step-0 state with
diffusion, and money conserved with it. Expected numbers are worked out by hand here.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.agents.firms import Firms
from sim.data import load
from sim.markets.adoption import Adoption, labour_only_productivity
from sim.scenario import build_scenario, load_scenario
from sim.scenario.schema import AdoptionConfig
from tests.conftest import small_model
from tests.fixed_draws import FixedDraws

ON = {"adoption.enabled": True}


def four_firms(adopter: list[bool], active: list[bool] | None = None) -> Firms:
    firms = Firms(np.zeros(4, dtype=int), 1)
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
    assert off.initial_adopters(np.ones(5), rng).all()
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
    firms = Firms(np.zeros(n, dtype=int), 1)
    firms.adopter = adoption.initial_adopters(np.ones(n), rng)
    f0 = Adoption.share(firms)
    assert f0 == pytest.approx(0.1, abs=4 * np.sqrt(0.09 / n))
    adoption.diffuse(firms, rng)
    expected = f0 + (0.02 + 0.3 * f0) * (1.0 - f0)
    assert Adoption.share(firms) == pytest.approx(expected, abs=0.01)


def test_entrants_copy_the_adopters_share():
    # Incumbents: 3 of 4 active firms adopt (F = 0.75). Entrants with draws 0.7 adopt,
    # with draws 0.8 do not.
    config = AdoptionConfig(enabled=True)
    firms = Firms(np.zeros(6, dtype=int), 1)
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
    firms = Firms(np.zeros(2, dtype=int), 1)
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
    [
        ("adoption.initial_share", 0.0), ("adoption.innovation", 1.5),
        ("adoption.imitation", -0.1), ("adoption.size_elasticity", -0.1),
        ("adoption.size_elasticity", 1.5), ("adoption.size_elasticity", "large"),
    ],
)  # fmt: skip
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


# --- Adoption rising with firm size (docs/model.md 2b): h_i = min(1, c g_i), g = E^beta,
# c such that the h_i average the Bass hazard over the non-adopters.


def test_larger_firms_adopt_first_by_hand():
    # Non-adopters of 1, 8 and 64 workers, beta = 1/3: g = 1, 2, 4, mean 7/3. h = p =
    # 0.07 (q = 0), so c = 0.07 / (7/3) = 0.03 and the hazards are 0.03, 0.06, 0.12
    # (mean 0.07). A draw of 0.05 makes the two larger firms adopt, not the smallest.
    config = AdoptionConfig(enabled=True, innovation=0.07, size_elasticity=1.0 / 3.0)
    adoption = Adoption(config)
    assert adoption.probabilities(0.07, np.array([1, 8, 64])) == pytest.approx(
        [0.03, 0.06, 0.12], rel=1e-12
    )
    firms = four_firms([True, False, False, False])
    firms.headcount = np.array([500, 1, 6, 64])
    firms.oversight_headcount = np.array([0, 0, 2, 0])  # firm 2 employs 6 + 2 = 8
    assert adoption.diffuse(firms, FixedDraws(0.05)) == 2
    assert firms.adopter.tolist() == [True, False, True, True]


def test_a_probability_that_would_exceed_one_is_capped_and_the_rest_rescaled():
    # Weights 1, 1, 8 (beta = 1, sizes 1, 1, 8), target mean 0.5: uncapped c = 0.5 / (10/3)
    # gives the big firm 1.2; capped at 1, the other two share 1.5 - 1 = 0.5: 0.25 each.
    adoption = Adoption(AdoptionConfig(enabled=True, size_elasticity=1.0))
    assert adoption.probabilities(0.5, np.array([1, 1, 8])) == pytest.approx(
        [0.25, 0.25, 1.0], rel=1e-12
    )
    # F(0) = 1 makes every firm an adopter whatever the sizes.
    every = Adoption(AdoptionConfig(enabled=True, initial_share=1.0, size_elasticity=1.0))
    assert every.initial_adopters(np.array([1, 5, 300]), np.random.default_rng(0)).all()


@settings(max_examples=200, deadline=None)
@given(
    sizes=st.lists(st.integers(0, 100_000), min_size=1, max_size=60),
    mean=st.floats(0.0, 1.0),
    beta=st.floats(0.0, 1.0, allow_subnormal=False),
)
def test_size_tilted_probabilities_average_the_bass_hazard(sizes, mean, beta):
    """Whatever the sizes, the probabilities lie in [0, 1], average the target (so the
    expected count of adopters is the Bass hazard's) and never fall with size."""
    adoption = Adoption(AdoptionConfig(enabled=True, size_elasticity=beta))
    employment = np.array(sizes)
    probability = adoption.probabilities(mean, employment)
    assert np.all((probability >= 0.0) & (probability <= 1.0))
    assert probability.mean() == pytest.approx(mean, abs=1e-12)
    order = np.argsort(employment, kind="stable")
    assert np.all(np.diff(probability[order]) >= -1e-12)


def test_zero_elasticity_is_the_equal_probability_rule():
    # beta = 0: the step-0 adopters are exactly the firms whose draw is below F(0).
    adoption = Adoption(AdoptionConfig(enabled=True, initial_share=0.3, size_elasticity=0.0))
    sizes = np.random.default_rng(1).lognormal(3.0, 1.5, 500).round()
    adopters = adoption.initial_adopters(sizes, np.random.default_rng(9))
    assert np.array_equal(adopters, np.random.default_rng(9).random(500) < 0.3)


def test_the_count_path_is_the_bass_path_and_adoption_moves_to_large_firms():
    """Expected share of firms using AI with the baseline keys (F0 = 1.12 %, p = 0.00275,
    q = 0, beta = 0.117) over 1,000 economies of 200 firms with log-normal sizes (s.d. of
    log size 1.5): at months 10, 15 and 35 it is the Bass path 1 - (1 - F0)(1 - p)^t
    (3.8 %, 5.1 %, 10.2 %) within 4 standard errors (a month-35 share has s.d. below
    sqrt(0.102 x 0.898 / 200) = 0.0214, so 4 s.e. < 0.0028); and the adopters' share of
    employment is their share of firms times E[E^(1+beta)] / (E[E] E[E^beta]) =
    exp(beta s^2) = 1.30 for log-normal sizes (within 5 %: sizes are rounded and the
    largest firms are used up first)."""
    defaults = AdoptionConfig()
    adoption = Adoption(defaults)
    rng = np.random.default_rng(2024)
    n, runs, months = 200, 1000, (10, 15, 35)
    count = {m: [] for m in months}
    weighted = {m: [] for m in months}
    for _ in range(runs):
        firms = Firms(np.zeros(n, dtype=int), 1)
        firms.headcount = np.maximum(1, rng.lognormal(3.0, 1.5, n).round()).astype(np.int64)
        firms.adopter = adoption.initial_adopters(firms.headcount, rng)
        for month in range(1, 36):
            adoption.diffuse(firms, rng)
            if month in count:
                count[month].append(firms.adopter.mean())
                weighted[month].append(firms.headcount[firms.adopter].sum() / firms.headcount.sum())
    for month in months:
        bass = 1.0 - (1.0 - defaults.initial_share) * (1.0 - defaults.innovation) ** month
        assert np.mean(count[month]) == pytest.approx(bass, abs=4 * 0.0214 / np.sqrt(runs))
        tilt = np.exp(defaults.size_elasticity * 1.5**2)
        assert np.mean(weighted[month]) / np.mean(count[month]) == pytest.approx(tilt, rel=0.05)
    assert [round(1.0 - 0.9888 * 0.99725**m, 3) for m in months] == [0.038, 0.051, 0.102]


def test_the_default_elasticity_reproduces_the_census_employment_weighted_rate():
    """On the US firm-size classes (SUSB 2019, each class at its mean size), firm-count
    AI use of 18 % with beta = 0.117 gives an employment-weighted rate of 32 %, the
    BTOS AI supplement's pair (Bonney et al. 2026): the ratio 1.78 within 0.02."""
    classes = load("us_firm_size_classes")
    btos = load("btos_ai_use_by_size").set_index("measure")["value_pct"]
    count_rate = btos["firms using AI (count)"] / 100
    weighted_rate = btos["firms using AI (employment-weighted)"] / 100
    firms = (classes["firms"] / 100).round().astype(int).to_numpy()  # 1 in 100
    mean_size = (classes["employment"] / classes["firms"]).to_numpy()
    employment = np.repeat(mean_size, firms)
    probability = Adoption(AdoptionConfig()).probabilities(count_rate, employment)
    assert probability.mean() == pytest.approx(count_rate, rel=1e-12)
    ratio = (probability @ employment / employment.sum()) / probability.mean()
    assert ratio == pytest.approx(weighted_rate / count_rate, abs=0.02)


def test_step_0_adopters_are_deterministic_and_lean_to_larger_firms():
    a = small_model(**ON, **{"adoption.initial_share": 0.3})
    b = small_model(**ON, **{"adoption.initial_share": 0.3})
    assert np.array_equal(a.firms.adopter, b.firms.adopter)
    # With beta = 1 over 30 firms of about 20 workers, probability is proportional to size:
    # the expected employment share of adopters is F0 E[E^2] / (E[E]^2) > F0.
    tilted = small_model(**ON, **{"adoption.initial_share": 0.3, "adoption.size_elasticity": 1.0})
    size = tilted.firms.headcount + tilted.firms.oversight_headcount
    probability = tilted.adoption.probabilities(0.3, size)
    assert probability @ size / size.sum() > 0.3


def test_employment_share_of_adopters_by_hand_and_in_the_report():
    # Active firms 0-2 employ 10 + 2, 30 and 8 (firm 3, inactive, 100): adopters 0 and
    # 3, so the adopters' share of employment is 12 / 50 = 0.24 (F = 1/3).
    firms = four_firms([True, False, False, True], [True, True, True, False])
    firms.headcount = np.array([10, 30, 8, 100])
    firms.oversight_headcount = np.array([2, 0, 0, 0])
    assert Adoption.employment_share(firms) == pytest.approx(0.24, rel=1e-12)
    firms.headcount[:] = 0
    firms.oversight_headcount[:] = 0
    assert Adoption.employment_share(firms) == 0.0
    model = small_model(**ON, **{"adoption.initial_share": 0.3})
    for _ in range(3):
        model.step()
    f = model.firms
    staff = (f.headcount + f.oversight_headcount)[f.active]
    expected = staff[f.adopter[f.active]].sum() / staff.sum()
    assert model.report["ai_adoption_employment_share"] == pytest.approx(expected, rel=1e-12)
