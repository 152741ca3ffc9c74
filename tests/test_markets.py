"""Market rules, checked on crafted states: the compiled helpers give the answers of
their plain definitions, firms hire only workers they can pay, and a distressed firm
cuts its staff exactly to its plan."""

import numpy as np
from conftest import small_model
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from sim.agents.workers import UNEMPLOYED
from sim.markets.labour import _first_above, _guide_table, search_and_match, separations

vacancy_gaps = arrays(
    np.float64,
    st.integers(1, 300),
    elements=st.one_of(st.just(0.0), st.floats(1e-300, 1e6), st.floats(0.0, 3.0)),
)


@settings(deadline=None)  # compiled on first call; a shared machine can stall any example
@given(vacancy_gaps, st.lists(st.floats(0.0, 1.0), min_size=1, max_size=50))
def test_guide_table_search_equals_searchsorted(gaps, shares):
    """Drawing a job through the guide table picks the same job as a binary search, for
    any vacancies (zeros, ties, tiny and huge gaps) and any target up to the total."""
    cumulative = np.cumsum(gaps)
    total = cumulative[-1]
    assume(total > 0.0)  # with no open job the matching loop returns before searching
    guide = _guide_table(cumulative, total)
    targets = [share * total for share in shares] + [0.0, total] + list(cumulative)
    for target in targets:
        expected = np.searchsorted(cumulative, target, side="right")
        assert _first_above(cumulative, guide, total, target) == expected, target


def test_firms_hire_only_workers_they_can_pay():
    """Every firm wants 50 more efficiency units, the unemployed are plenty, but each
    firm's cash covers its payroll plus about two workers: nobody's payroll ends above
    its cash, and firms do hire up to it."""
    model = small_model(**{"labour.mobility": 1.0})
    firms, workers = model.firms, model.workers
    efficiency = model.worker_efficiency()
    workers.employer[::3] = UNEMPLOYED
    separations(workers, firms, efficiency, model.labour_rules.model_copy(
        update={"quit_rate": 0.0, "max_layoff_rate": 0.0}), model.rng)  # fmt: skip
    one_worker = firms.wage * efficiency.mean()
    firms.cash = firms.payroll + 2.5 * one_worker
    firms.labour_target = firms.labour + 50.0
    before = firms.headcount.copy()
    search_and_match(workers, firms, efficiency, model.sector_bounds, model.labour_rules,
                     model.rng)  # fmt: skip
    assert (firms.payroll <= firms.cash * (1 + 1e-12)).all()
    hires = firms.headcount - before
    # each firm hires, but a handful, not the 50 units it wants (about 50 workers)
    assert hires.sum() > len(firms) and hires.max() < 10


def test_a_distressed_firm_cuts_its_staff_exactly_to_its_plan():
    """A firm whose cash covers half its payroll, with a plan of half its staff, lays
    off in random order until its staff is at or just below the plan (by less than one
    worker); a firm that is not distressed lays off at the capped rate."""
    model = small_model(**{"labour.quit_rate": 0.0})
    firms, workers = model.firms, model.workers
    efficiency = model.worker_efficiency()
    staff = firms.labour.copy()
    firms.labour_target = 0.5 * staff
    distressed = np.arange(len(firms)) % 2 == 0
    firms.cash = np.where(distressed, 0.5, 2.0) * firms.payroll
    employees = [np.flatnonzero(workers.employer == firm) for firm in range(len(firms))]
    separations(workers, firms, efficiency, model.labour_rules, model.rng)
    for firm in np.flatnonzero(distressed):
        laid_off = employees[firm][workers.employer[employees[firm]] == UNEMPLOYED]
        assert firms.labour[firm] <= firms.labour_target[firm]
        assert firms.labour[firm] + efficiency[laid_off].max() > firms.labour_target[firm]
    calm = ~distressed
    cut = 1.0 - firms.labour[calm] / staff[calm]
    # random draws at the capped rate (cutting to plan would be a cut of one half)
    assert cut.mean() < 2 * model.labour_rules.max_layoff_rate


def test_guide_table_search_steps_back_where_rounding_overshoots():
    """A case found by search in which the guide table's bucket starts one job past the
    answer (3.0 + 0.1 + 0.1 + 0.1 rounds above 3.3), so the backward step is needed."""
    cumulative = np.cumsum([3.0, 0.1, 0.1, 0.1, 0.05, 0.3, 0.2])
    total = cumulative[-1]
    guide = _guide_table(cumulative, total)
    assert (
        _first_above(cumulative, guide, total, 3.3)
        == np.searchsorted(cumulative, 3.3, side="right")
        == 3
    )
