"""Competing providers (docs/model.md section 5): Bertrand-Nash markups of the logit
demand, calibrated leader shares, entry against an entry cost, exit."""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.agents.providers import bertrand_markup
from sim.markets.compute import hhi, target_shares
from sim.model import EconomyModel

SMALL = {"population.workers": 600, "population.firms": 30, "adoption.enabled": False}


def test_bertrand_markup_is_the_lerner_rule_of_the_logit_demand():
    share = np.array([0.25, 0.5, 1.0, 0.0])
    markup = bertrand_markup(share, 4.0, 1.5, 3.0)
    elasticity = 4.0 * (1 - share) + 1.5 * share
    np.testing.assert_allclose(markup, 1.0 / (elasticity - 1.0))
    assert markup[0] == pytest.approx(1 / 2.375)  # four equal providers: 0.42
    assert markup[2] == pytest.approx(2.0)  # a monopolist: 1 / (eta - 1)
    # Where demand is inelastic the markup is capped.
    assert bertrand_markup(np.array([1.0]), 4.0, 0.8, 3.0)[0] == 3.0


def test_markups_rise_with_share_and_fall_with_the_number_of_rivals():
    shares = np.linspace(0.0, 1.0, 11)
    markup = bertrand_markup(shares, 4.0, 1.5, 10.0)
    assert np.all(np.diff(markup) > 0)
    symmetric = [bertrand_markup(np.array([1.0 / n]), 4.0, 1.5, 10.0)[0] for n in (2, 4, 8)]
    assert symmetric[0] > symmetric[1] > symmetric[2]


def test_step_zero_prices_are_the_logit_equilibrium_of_the_leader_shares():
    """Choice probabilities exp(xi_p) pi_p^-4 / sum, times the prices, give the leader
    shares of spending; markups are the Bertrand-Nash ones at the choice probabilities;
    the leader has quality 0 and an entrant the lowest quality of the four."""
    model = EconomyModel(**SMALL, **{"compute.provider_cost_dispersion": 0.0})
    providers = model.providers
    active = providers.active
    target = target_shares(4, [0.40, 0.27, 0.21])
    np.testing.assert_allclose(target, [0.40, 0.27, 0.21, 0.12])
    price = providers.prices[active, 0]
    weight = np.exp(providers.quality[active]) * price**-4.0
    choice = weight / weight.sum()
    np.testing.assert_allclose(choice * price / (choice @ price), target, rtol=1e-9)
    assert providers.markup[active] == pytest.approx(bertrand_markup(choice, 4.0, 1.5, 3.0))
    assert providers.quality[0] == 0.0 and np.all(np.diff(providers.quality[active]) < 0)
    assert model.compute_market.entrant_quality == providers.quality[active].min()
    assert hhi(target) == pytest.approx(10_000 * (target**2).sum())


def _run(months: int, **overrides) -> tuple[EconomyModel, object]:
    model = EconomyModel(**{**SMALL, "run.steps": months, **overrides})
    for _ in range(months):
        model.step()
    return model, model.results()


def test_entry_cost_is_a_policy_lever():
    _, free = _run(36, **{"compute.entry_cost": 0.0, "compute.max_providers": 8})
    _, barred = _run(36, **{"compute.entry_cost": 10_000.0, "compute.max_providers": 8})
    assert free["provider_entries"].sum() >= 1
    assert free["providers_active"].max() > 4
    assert barred["provider_entries"].sum() == 0
    assert barred["providers_active"].max() == 4


def test_losing_providers_exit_and_their_customers_move():
    model, frame = _run(36, **{"compute.training_cost": 5.0, "compute.entry_cost": 10_000.0})
    assert frame["provider_exits"].sum() >= 1
    assert frame["providers_active"].iloc[-1] >= 1
    market, firms, providers = model.compute_market, model.firms, model.providers
    tier = market.sector_tiers(providers)
    mix = market.route_work(firms.sector, firms.provider_mix, providers, tier, model.rng)
    assert (mix[:, ~providers.active] == 0.0).all()  # their work moves to those left
    np.testing.assert_allclose(mix.sum(axis=1), 1.0, rtol=1e-12)
    assert frame["provider_exits"].sum() == 4 - frame["providers_active"].iloc[-1]


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.fixed_dictionaries(
        {
            "compute.pricing": st.sampled_from(["bertrand", "competitive"]),
            "compute.price_sensitivity": st.floats(0.0, 20.0, allow_subnormal=False),
            "compute.demand_elasticity": st.floats(0.1, 5.0, allow_subnormal=False),
            "compute.training_cost": st.floats(0.0, 2.0, allow_subnormal=False),
            "compute.entry_cost": st.floats(0.0, 100.0, allow_subnormal=False),
            "compute.max_providers": st.integers(1, 10),
            "compute.exit_months": st.integers(1, 24),
            "compute.algorithmic_halflife": st.floats(0.0, 10.0, allow_subnormal=False),
            "compute.slowdown_start": st.floats(0.0, 5.0, allow_subnormal=False),
            "compute.leader_share_1": st.floats(0.0, 1.0, allow_subnormal=False),
            "compute.leader_share_2": st.floats(0.0, 1.0, allow_subnormal=False),
            "compute.entrant_quality": st.floats(-5.0, 5.0, allow_subnormal=False),
            "compute.provider_switching": st.floats(0.0, 1.0, allow_subnormal=False),
            "hardware.lead_time": st.integers(0, 12),
            "hardware.scarcity_elasticity": st.floats(0.0, 5.0, allow_subnormal=False),
            "hardware.supply_elasticity": st.floats(0.1, 10.0, allow_subnormal=False),
            "hardware.initial_demand_growth": st.floats(0.5, 10.0, allow_subnormal=False),
            "hardware.capacity_binding": st.booleans(),
            "energy.other_demand_growth": st.floats(-0.05, 0.2, allow_subnormal=False),
            "sectors.software.exposure": st.floats(0.02, 1.0, allow_subnormal=False),
            "sectors.software.task_elasticity": st.floats(0.1, 3.0, allow_subnormal=False),
            "population.providers": st.integers(1, 6),
            "run.seed": st.integers(0, 2**32),
        }
    )
)
def test_supply_chain_keeps_the_accounts_closed_everywhere(overrides):
    """Money is conserved every month (the model's own check raises otherwise), nothing
    is NaN, and no price, capacity or private balance goes negative, whatever the new
    parameters."""
    model = EconomyModel(**{"population.workers": 300, "population.firms": 15, **overrides})
    for _ in range(18):
        model.step()
        providers = model.providers
        for array in (providers.prices, providers.capacity, model.households.cash):
            assert np.all(np.isfinite(array))
            assert np.all(array >= -1e-9 * max(1.0, float(np.abs(array).max())))
        assert providers.active.sum() >= 1
    frame = model.results()
    assert np.isfinite(frame.to_numpy(dtype=float)).all()
    assert frame["money_error"].max() <= 1e-9
