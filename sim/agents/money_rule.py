"""The central bank's money growth: McCallum's rule aimed at the inflation target, or a
fixed rate.

Core object: :class:`MoneyRule`.

Each month (phase 5) the issuer creates new base money, paid to households, at an
annual log growth rate ``g_t``. Under ``money.rule = "mccallum"`` the central bank sets
``g_t`` by McCallum's (1988) rule for the growth of the monetary base ``b`` (reserves,
deposits + bank equity - loans: the money bank lending does not create), in the
annual-rate form of McCallum (2000, NBER WP 7725):

``g_t = dx* - dv_t + lambda (dx* - dx_t)``,   ``dx* = pi* + dq_t``,

with ``pi*`` the central bank's inflation target (``credit.inflation_target``, the
FOMC's 2 % since January 2012), ``dq_t`` its estimate of trend real growth (the mean
annual log growth of real GDP over the same window as velocity's), ``dv_t`` the mean
annual log growth of base velocity (annual nominal GDP over the base) over the last
``money.velocity_window_months`` months (McCallum: 16 quarters), ``dx_t`` nominal
GDP's log growth over the last twelve months (the window's length if shorter), and
``lambda`` = ``money.feedback`` (McCallum: 0.5).
The data are last month's (the reports of the month before): nominal and real GDP and
the base at the end of the month. The first observation, step 0's stationary
state, also stands for the ``money.velocity_window_months`` months before it: the
central bank takes the economy to have been in that state, so its first estimates are
averages over the whole window (no growth before month 0), not one month's change
annualised. Before any observation the rule gives ``pi*``. The result is kept within
+-:data:`MAX_RULE_GROWTH` a year (a numerical guard) and non-finite inputs give
``pi*``. The issuer pays
``(exp(g_t / 12) - 1) b`` a month: in equal amounts to every household when positive,
taken from households in proportion to their positive money when negative (never
more than they hold).

Under ``money.rule = "fixed"`` the money stock grows by ``money.growth`` a year,
``((1 + g)^(1/12) - 1) M`` a month, as before the rule existed (the frictionless
configuration has ``g = 0``).
"""

from __future__ import annotations

from collections import deque

import numpy as np

from sim.accounting import proportional_levy
from sim.scenario.schema import MAX_RULE_GROWTH

MONTHS_PER_YEAR = 12


class MoneyRule:
    """How fast the issuer creates money, and what the central bank remembers to decide.

    Args:
        rule: ``"mccallum"`` or ``"fixed"``.
        fixed_growth: annual growth of the money stock under the fixed rule.
        inflation_target: ``pi*``, per year.
        feedback: McCallum's ``lambda`` on the nominal GDP growth gap.
        velocity_window_months: months over which velocity growth is averaged.

    Attributes:
        history: ``(log nominal GDP, log real GDP, log money)`` of the months observed
            (money: the base under McCallum's rule, all deposits under the fixed one),
            the newest last (at most ``velocity_window_months + 1`` of them).
        growth: the annual growth set last (log growth under McCallum's rule; 0 before
            any month).
    """

    def __init__(
        self,
        rule: str,
        fixed_growth: float,
        inflation_target: float,
        feedback: float,
        velocity_window_months: int,
    ) -> None:
        self.rule = rule
        self.fixed_growth = fixed_growth
        self.inflation_target = inflation_target
        self.feedback = feedback
        self.window = velocity_window_months
        self.history: deque[tuple[float, float, float]] = deque(maxlen=velocity_window_months + 1)
        self.growth = 0.0

    @property
    def targets_base(self) -> bool:
        """McCallum's rule sets the growth of the monetary base (reserves), which bank
        lending does not create; the fixed rule sets the growth of all deposits."""
        return self.rule == "mccallum"

    def observe(self, nominal_gdp: float, real_gdp: float, money: float) -> None:
        """Record a month's nominal GDP, real GDP and end-of-month money (the base or
        all deposits, :attr:`targets_base`; logs; a value that is not positive is recorded
        as NaN, so the rule falls back to the target). The first observation fills the
        whole window: the months before it are taken to have been the same state."""
        logs = tuple(
            float(np.log(v)) if (np.isfinite(v) and v > 0) else np.nan
            for v in (nominal_gdp, real_gdp, money)
        )
        copies = self.history.maxlen if not self.history else 1
        self.history.extend([logs] * copies)  # type: ignore[list-item]

    def annual_growth(self) -> float:
        """McCallum's ``g_t`` (module docstring) from the months observed."""
        target = self.inflation_target
        if not self.history:
            return target
        x, q, m = self.history[-1]
        x_v, q_v, m_v = self.history[0]  # the window's first month (the history is full)
        velocity_growth = ((x - m) - (x_v - m_v)) * MONTHS_PER_YEAR / self.window
        k_x = min(MONTHS_PER_YEAR, self.window)
        nominal_growth = (x - self.history[-1 - k_x][0]) * MONTHS_PER_YEAR / k_x
        real_trend = (q - q_v) * MONTHS_PER_YEAR / self.window
        nominal_target = target + real_trend
        growth = (
            nominal_target - velocity_growth + self.feedback * (nominal_target - nominal_growth)
        )
        if not np.isfinite(growth):
            return target
        return float(min(MAX_RULE_GROWTH, max(-MAX_RULE_GROWTH, growth)))

    def monthly_issue(self, money: float) -> float:
        """This month's new money (negative: money withdrawn) on a money stock ``money``:
        ``((1 + g)^(1/12) - 1) M`` under the fixed rule, ``(exp(g_t/12) - 1) M`` under
        McCallum's; nothing while the money stock is not positive."""
        if self.rule == "fixed":
            self.growth = self.fixed_growth
            monthly_growth = (1.0 + self.fixed_growth) ** (1.0 / MONTHS_PER_YEAR) - 1.0
        else:
            self.growth = self.annual_growth()
            monthly_growth = float(np.expm1(self.growth / MONTHS_PER_YEAR))
        return monthly_growth * max(money, 0.0)

    @staticmethod
    def pay(amount: float, household_cash: np.ndarray) -> np.ndarray:
        """Pay ``amount`` to households: equal shares if positive; if negative, taken in
        proportion to their positive money and never more than they hold. Returns what
        each household got (its sum is the money actually created)."""
        if amount >= 0.0:
            received = np.full(household_cash.shape, amount / household_cash.size)
        else:
            received = proportional_levy(amount, household_cash)
        household_cash += received
        return received
