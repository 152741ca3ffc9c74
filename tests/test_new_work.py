"""New work created by AI: oversight labour, its accounting and the Acemoglu-Restrepo
decomposition of labour demand."""

import numpy as np
import pytest

from sim.model import EconomyModel
from tests.conftest import SMALL as SHARED_SMALL

SMALL = {**SHARED_SMALL, "run.steps": 120, "population.workers": 3000, "population.firms": 80}
"""Every firm uses AI (oversight is a job at AI users; with diffusion on, which firms
adopt first decides whether software and business services employ any overseers at all)
and none needs capital goods (oversight hiring is measured in a labour market that
investment orders do not tighten)."""
OVERSIGHT = {
    "sectors.software.oversight_per_token": 0.01,
    "sectors.business.oversight_per_token": 0.01,
}


def _run(months: int = 60, **overrides):
    model = EconomyModel(**{**SMALL, **overrides})
    for _ in range(months):
        model.step()  # the model's money check raises if money is not conserved
    return model, model.results()


def test_oversight_employment_rises_with_token_use_at_a_fixed_requirement():
    """With hiring frictions off (a few overseers in a 3,000-worker economy are
    otherwise dominated by the luck of filling a handful of vacancies) and without the
    AI supply chain's purchases from manufacturing (which tighten this small labour
    market to about 0.5 % unemployment, so that the handful of oversight vacancies
    again decides the count). Adoption does not depend on firm size here
    (``adoption.size_elasticity = 0``), so the same firms adopt AI in both runs: with
    sizes that diverge between the runs, a size-tilted hazard would pick different
    adopters among the 80 firms, and the comparison would be of who adopted, not of the
    price decline."""
    easy_hiring = {
        "labour.offer_rate": 1.0, "labour.quit_rate": 0.005, "benefits.replacement_rate": 0.0,
        "energy.supplier_input_share": 0.0, "adoption.size_elasticity": 0.0,
    }  # fmt: skip
    employment = []
    for decline in (1.5, 19.0):  # the AI those sectors use gets cheaper faster
        # Software buys the frontier tier and business services the advanced tier.
        _, frame = _run(
            **OVERSIGHT,
            **easy_hiring,
            **{
                "compute.tiers.advanced.annual_decline": decline,
                "compute.tiers.frontier.annual_decline": decline,
            },
        )
        late = frame["year"] >= 3
        tokens = frame["tokens_software"] + frame["tokens_business"]
        employment.append((tokens[late].mean(), frame["oversight_employment"][late].mean()))
    (tokens_slow, overseers_slow), (tokens_fast, overseers_fast) = employment
    assert tokens_fast > tokens_slow
    assert overseers_fast > overseers_slow


def test_oversight_is_a_job_with_its_own_wage_and_workers():
    model, frame = _run(**OVERSIGHT)
    overseers = (model.workers.employer >= 0) & (model.workers.occupation == 1)
    assert overseers.sum() == frame["oversight_employment"].iloc[-1] > 0
    firms = model.firms
    np.testing.assert_allclose(
        np.bincount(model.workers.employer[overseers], minlength=len(firms)),
        firms.oversight_headcount,
    )
    assert (firms.oversight_bill <= firms.wage_bill + 1e-9).all()
    assert frame["oversight_wage"].iloc[-1] > 0


def test_compute_used_never_exceeds_what_oversight_staff_can_oversee():
    model, _ = _run(months=36, **OVERSIGHT)
    per_unit = (model.oversight_needed() * model.base_tokens)[model.firms.sector]
    needs = per_unit > 0
    assert (
        model.firms.compute[needs] * per_unit[needs] <= model.firms.oversight[needs] + 1e-9
    ).all()


def test_no_oversight_means_no_overseers_and_no_reinstatement():
    model, frame = _run(months=36)
    assert (model.workers.occupation == 0).all()
    assert frame["oversight_employment"].eq(0).all()
    assert frame[[f"labour_reinstatement_{s}" for s in model.sector_names]].eq(0).all().all()


def test_decomposition_adds_up_to_the_change_in_labour():
    model, frame = _run(**OVERSIGHT)
    firms = model.firms
    sector = model.sector_names.index("business")
    parts = sum(frame[f"labour_{part}_business"].iloc[-1]
                for part in ("scale", "displacement", "reinstatement"))  # fmt: skip
    in_sector = firms.sector == sector
    labour_now = firms.labour[in_sector].sum() + firms.oversight[in_sector].sum()
    # Business never loses all its workers or output, so every month is defined.
    first = EconomyModel(**{**SMALL, **OVERSIGHT})
    start = first.firms.sector == sector
    labour_then = first.firms.labour[start].sum() + first.firms.oversight[start].sum()
    assert parts == pytest.approx(np.log(labour_now / labour_then), abs=1e-9)
