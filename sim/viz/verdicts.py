"""What the app says in words about the run so far (above the charts).

Core objects: :func:`jevons_verdict`, :func:`verdict_lines`, :data:`FIRST_YEAR`.

No verdict is given before the first simulated year: a month or two of an economy
settling from its starting state says nothing about Jevons or Baumol.
"""

from __future__ import annotations

from sim.model import EconomyModel

FIRST_YEAR = 12
"""Months simulated before any verdict is shown."""

BAUMOL_SECTOR = "care"
"""The service sector whose price and employment the Baumol line reports."""


def jevons_verdict(model: EconomyModel) -> tuple[bool, float, float]:
    """Whether total AI spending is above its month-0 level while the cheapest tier's
    price is below its own: (holds, spending multiple, price fall factor). With gradual
    adoption the spending multiple also counts new users; the line in words says so."""
    values = model.datacollector.model_vars
    tier = model.compute_market.tier_names[0]
    spend = values["ai_spend"][-1] / values["ai_spend"][0]
    fall = values[f"compute_price_{tier}"][0] / values[f"compute_price_{tier}"][-1]
    return bool(spend > 1.0 and fall > 1.0), float(spend), float(fall)


def _jevons_line(model: EconomyModel) -> str:
    holds, spend, fall = jevons_verdict(model)
    tier = model.compute_market.tier_names[0]
    tokens = model.datacollector.model_vars["tokens"]
    verdict = "**holds so far**" if holds else "**does not hold so far**"
    line = (
        f"**AI**: the {tier} tier is {fall:.3g} times cheaper than at month 0, firms use "
        f"{tokens[-1] / tokens[0]:.3g} times as many tokens, and AI spending is "
        f"{spend:.3g} times its month-0 level: the Jevons paradox {verdict}."
    )
    if not model.config.adoption.enabled:
        return line
    adopters = model.datacollector.model_vars["ai_adoption_share"]
    return (
        f"{line} Firms using AI: {100 * adopters[0]:.0f} % at month 0, "
        f"{100 * adopters[-1]:.0f} % now (new users raise spending too)."
    )


def _baumol_line(model: EconomyModel) -> str:
    if BAUMOL_SECTOR not in model.sector_names:
        return ""
    values = model.datacollector.model_vars
    price = values[f"relative_price_{BAUMOL_SECTOR}"]
    share = values[f"employment_share_{BAUMOL_SECTOR}"]
    change = 100.0 * (price[-1] / price[0] - 1.0)
    return (
        f"**{model.config.sectors[BAUMOL_SECTOR].label}**: price against the CPI "
        f"{change:+.1f} % since month 0; share of employment {100 * share[0]:.1f} % then, "
        f"{100 * share[-1]:.1f} % now."
    )


def verdict_lines(model: EconomyModel) -> list[str]:
    """The lines shown above the AI and human-inflation charts (one line saying when the
    verdicts appear, before the first year)."""
    if model.steps < FIRST_YEAR:
        return [f"Verdicts appear after the first simulated year (month {model.steps} of 12)."]
    return [line for line in (_jevons_line(model), _baumol_line(model)) if line]
