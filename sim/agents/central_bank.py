"""The central bank: a policy rate set by a Taylor rule, the base of every loan rate.

Core object: :class:`CentralBank`.

Each month, before firms borrow, the central bank sets its policy rate from last
month's year-on-year CPI inflation and unemployment rate by Taylor's (1993) rule,
``i = r* + pi + 0.5 y + 0.5 (pi - pi*)``, with the output gap ``y`` replaced by twice
the unemployment gap (Okun's law), so that its weight 0.5 becomes 1:

``i_t = max(0, r* + pi_t + 0.5 (pi_t - pi*) + (u*_t - u_t))``,

``r*`` = ``credit.neutral_rate`` (Taylor's 2 % real rate), ``pi*`` =
``credit.inflation_target`` (2 %), ``u*_t`` its estimate of the natural rate of
unemployment: the mean unemployment rate it has observed so far. The rate cannot go
below zero (the effective lower bound). Banks lend at the policy rate plus a spread,
``r_bar_t = i_t + credit.loan_spread`` (the US prime rate is the federal funds rate
plus 3 points), to which each borrower's leverage premium is added
(:func:`sim.markets.credit.lend`). With ``credit.policy_rule = "fixed"`` the policy
rate and the loan base rate are ``credit.base_rate`` every month (no spread). The
central bank holds no account and deposits pay no interest; the policy rate creates or
destroys no money. Its money rule (McCallum's, the growth of base money) is
:mod:`sim.agents.money_rule`.
"""

from __future__ import annotations

import numpy as np

from sim.scenario.schema import CreditConfig

MONTHS_PER_YEAR = 12

MAX_POLICY_RATE = 10.0
"""Ceiling of the Taylor rule's rate (1,000 % a year): a numerical guard, not a
behavioural claim. In the first months the rule annualises one month's inflation,
``(CPI_1 / CPI_0)^12``, which after a price jump in an extreme scenario gave rates of
10^16 a year; interest and write-offs of 10^22 dollars then left rounding residues
larger than a small economy's balance sheet (found by the thorough property test)."""


class CentralBank:
    """The policy rate and what the central bank remembers to set it.

    Attributes:
        policy_rate: this month's annual policy rate.
        cpi_history: the CPI of the last 13 months, oldest first (for year-on-year
            inflation; shorter in the first year).
        unemployment_sum, months_observed: for the running mean of unemployment,
            its estimate of the natural rate.
    """

    def __init__(self, cfg: CreditConfig, cpi: float, unemployment: float) -> None:
        self.cfg = cfg
        self.cpi_history = [cpi]
        self.unemployment_sum = unemployment
        self.months_observed = 1
        self.policy_rate = self._rule(cfg.inflation_target, unemployment)

    def inflation(self) -> float:
        """Year-on-year CPI inflation from the remembered CPIs,
        ``(CPI_t / CPI_{t-k})^(12/k) - 1`` with ``k = min(12, months seen)``; the
        target before any month has passed (or if the CPI was not positive)."""
        k = len(self.cpi_history) - 1
        first, last = self.cpi_history[0], self.cpi_history[-1]
        if k == 0 or not (first > 0 and last > 0):
            return self.cfg.inflation_target
        return float((last / first) ** (MONTHS_PER_YEAR / k) - 1.0)

    def set_policy_rate(self, cpi: float, unemployment: float) -> float:
        """Record last month's CPI and unemployment rate and set this month's policy
        rate by the Taylor rule (module docstring). Returns the rate."""
        self.cpi_history.append(cpi)
        if len(self.cpi_history) > MONTHS_PER_YEAR + 1:
            self.cpi_history.pop(0)
        self.unemployment_sum += unemployment
        self.months_observed += 1
        self.policy_rate = self._rule(self.inflation(), unemployment)
        return self.policy_rate

    def natural_unemployment(self) -> float:
        """The central bank's estimate of the natural rate: mean unemployment observed."""
        return self.unemployment_sum / self.months_observed

    def loan_base_rate(self) -> float:
        """The annual rate on a loan to a firm without debt: the policy rate plus the
        loan spread under the Taylor rule, ``credit.base_rate`` under a fixed rule."""
        if self.cfg.policy_rule == "fixed":
            return self.cfg.base_rate
        return self.policy_rate + self.cfg.loan_spread

    def _rule(self, inflation: float, unemployment: float) -> float:
        """Taylor: ``max(0, r* + pi + 0.5 (pi - pi*) + (u* - u))``, at most
        :data:`MAX_POLICY_RATE`, non-finite inputs (a collapsed economy) giving the
        neutral nominal rate ``r* + pi*``; fixed: ``credit.base_rate``."""
        cfg = self.cfg
        if cfg.policy_rule == "fixed":
            return cfg.base_rate
        gap = self.natural_unemployment() - unemployment
        rate = cfg.neutral_rate + inflation + 0.5 * (inflation - cfg.inflation_target) + gap
        if not np.isfinite(rate):
            return cfg.neutral_rate + cfg.inflation_target
        return min(MAX_POLICY_RATE, max(0.0, float(rate)))
