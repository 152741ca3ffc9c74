"""The lessons' claims in words, checked at the size students run them.

The notebooks compute every number they print (``tests/test_lessons.py`` runs them on a
small economy), but their prose and answers also say what happens: "AI spending rises
and then falls", "care's share of jobs rises more where households hold on to care".
These tests run the lessons' economies at the lessons' own size (2,000 workers, seed
42, ten years; Lesson 2 twenty) and check each such claim, so that a change of the
model that turns one over fails here instead of in a classroom. The eleven runs take
about seven seconds on the development machine, so they are part of the fast suite.
"""

from __future__ import annotations

from sim.viz.teaching import ratio, run

WORKERS, MONTHS, SEED = 2000, 120, 42


def lesson_run(preset: str, months: int = MONTHS, **controls):
    return run(preset, workers=WORKERS, months=months, seed=SEED, **controls)


def share_change(frame, sector: str, month: int = -1) -> float:
    share = frame[f"employment_share_{sector}"]
    return float(share.iloc[month] - share.iloc[0])


def test_lesson_1_spending_rises_then_falls_and_fails_with_complements():
    substitutes, complements = lesson_run("lesson1_jevons"), lesson_run("lesson1b_complements")
    spend = substitutes.ai_spend / substitutes.ai_spend.iloc[0]
    first_year = spend[substitutes.year <= 1].iloc[-1]
    assert first_year > 1 and spend.iloc[-1] > 1  # the paradox holds (Question 1)
    assert spend.iloc[-1] < spend.max()  # and weakens after a peak (Explain)
    assert ratio(complements, "ai_spend") < 1  # it fails where AI only helps (1b)
    # Question 2: where spending shrinks, providers leave and the last one marks up.
    assert complements.providers_active.iloc[-1] < substitutes.providers_active.iloc[-1]
    assert complements.provider_markup.iloc[-1] > substitutes.provider_markup.iloc[-1]
    # Question 3: software loses the largest part of its share of jobs.
    sectors = [c.removeprefix("employment_share_") for c in substitutes.columns
               if c.startswith("employment_share_")]  # fmt: skip
    loss = {s: ratio(substitutes, f"employment_share_{s}") for s in sectors}
    assert min(loss, key=loss.get) == "software"
    # Question 4: gradual adoption adds new users, and spending grows far more.
    gradual = lesson_run("lesson1_jevons", adoption="gradual")
    assert ratio(gradual, "ai_spend") > 10 * ratio(substitutes, "ai_spend")


def test_lesson_2_care_gains_jobs_over_twenty_years_where_households_hold_on():
    months = 2 * MONTHS
    inelastic = lesson_run("lesson2_baumol", months=months)
    elastic = lesson_run("lesson2b_elastic_demand", months=months)
    for frame in (inelastic, elastic):
        assert ratio(frame, "relative_price_care") > 1
        assert share_change(frame, "manufacturing", MONTHS // 2) > 0  # the investment boom
        invest = frame.investment_share
        assert invest.iloc[13 : MONTHS + 1].mean() > invest.iloc[1:13].mean()
    assert ratio(inelastic, "relative_price_care") > ratio(elastic, "relative_price_care")
    assert share_change(inelastic, "care") > share_change(elastic, "care") + 0.02
    assert share_change(inelastic, "care") > share_change(inelastic, "care", MONTHS)


def test_lesson_3_spending_rises_without_a_price_decline_and_workers_go_to_making():
    fast, flat = lesson_run("lesson3_both"), lesson_run("lesson3b_no_ai_decline")
    assert ratio(flat, "ai_spend") > 1  # new users alone raise spending
    assert ratio(flat, "relative_price_care") > 1  # care dearer without the AI decline
    assert share_change(fast, "manufacturing") > 0
    assert share_change(fast, "software") + share_change(fast, "business") < 0


def test_lesson_4_learning_by_doing_concentrates_and_ai_income_stays_small():
    concentrated, competitive = lesson_run("lesson4_who_gains"), lesson_run("competition")
    last, other = concentrated.iloc[-1], competitive.iloc[-1]
    assert last.provider_hhi > other.provider_hhi
    assert last.provider_markup > other.provider_markup
    for row in (last, other):
        assert abs(row.ai_owner_income_share) < 0.01
        assert row.ai_spend / row.nominal_gdp < 0.01


def test_lesson_5_tax_lowers_spending_and_the_budget_runs_close_to_revenue():
    """The lesson's chart: 12-month means of spending and revenue "run close together on
    average" (their mean gap is under 10 % of revenue; measured 3 %), with spending above
    revenue in a slump and below it while the debt is paid back."""
    baseline = lesson_run("baseline")
    taxed = lesson_run("baseline", compute_tax=1.0)
    assert ratio(taxed, "ai_spend") < ratio(baseline, "ai_spend")
    lab = lesson_run("lesson5_policy_lab")
    assert lab.government_revenue.iloc[1:].sum() > 0
    spending = lab.government_spending.rolling(12).mean().iloc[12:]
    revenue = lab.government_revenue.rolling(12).mean().iloc[12:]
    gap = (spending - revenue) / revenue
    assert abs(gap.mean()) < 0.10
    assert gap.max() > 0 > gap.min()


def test_lesson_6_oversight_reinstates_less_than_ai_displaces_and_lowers_spending():
    new_work, baseline = lesson_run("lesson6_new_work"), lesson_run("baseline")
    assert ratio(new_work, "ai_spend") < ratio(baseline, "ai_spend")
    last = new_work.iloc[-1]
    sectors = [c.removeprefix("oversight_share_") for c in new_work.columns
               if c.startswith("oversight_share_")]  # fmt: skip
    sector = max(sectors, key=lambda s: last[f"oversight_share_{s}"])
    displacement = last[f"labour_displacement_{sector}"]
    reinstatement = last[f"labour_reinstatement_{sector}"]
    assert displacement < 0 < reinstatement < -displacement
