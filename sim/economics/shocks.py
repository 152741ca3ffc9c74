"""The aggregate productivity shock (docs/model.md, section 3b).

Core objects: :func:`monthly_ar1`, :class:`ProductivityShock`.

Every sector's productivity carries one common AR(1) disturbance in logs,
``A_s(t) = A_s(0) (1 + g_s)^(t/12) exp(z_t)``, ``z_t = rho_m z_{t-1} + sigma_m e_t``,
the Solow residual of real-business-cycle models (King and Rebelo 1999: quarterly
``rho_q = 0.979``, ``sigma_q = 0.0072``), run at the model's monthly frequency.
"""

from __future__ import annotations

import math

import numpy as np

MONTHS_PER_QUARTER = 3


def monthly_ar1(quarterly_persistence: float, quarterly_sd: float) -> tuple[float, float]:
    """The monthly AR(1) whose every third month is the quarterly one.

    ``rho_m = rho_q^(1/3)`` and ``sigma_m = sigma_q sqrt((1 - rho_m^2) / (1 - rho_q^2))``,
    so that both have the unconditional variance ``sigma_q^2 / (1 - rho_q^2)``;
    equivalently ``sigma_q^2 = sigma_m^2 (1 + rho_m^2 + rho_m^4)``.

    Args:
        quarterly_persistence: ``rho_q`` in ``[0, 1)``.
        quarterly_sd: ``sigma_q >= 0``, the s.d. of the quarterly innovation.

    Returns:
        ``(rho_m, sigma_m)``.
    """
    if not 0.0 <= quarterly_persistence < 1.0 or not quarterly_sd >= 0.0:
        raise ValueError(
            f"need 0 <= persistence < 1 and sd >= 0, got {quarterly_persistence}, {quarterly_sd}"
        )
    rho = quarterly_persistence ** (1.0 / MONTHS_PER_QUARTER)
    sd = quarterly_sd * math.sqrt((1.0 - rho * rho) / (1.0 - quarterly_persistence**2))
    return rho, sd


class ProductivityShock:
    """The common log productivity disturbance ``z_t``, advanced once a month.

    Args:
        quarterly_persistence: ``rho_q`` (``shocks.productivity_persistence``).
        quarterly_sd: ``sigma_q`` (``shocks.productivity_sd``); 0 switches the shock off.
        rng: the generator of the shock's own stream of draws.
    """

    def __init__(
        self, quarterly_persistence: float, quarterly_sd: float, rng: np.random.Generator
    ) -> None:
        self.persistence, self.sd = monthly_ar1(quarterly_persistence, quarterly_sd)
        self.rng = rng
        self.level = 0.0

    def advance(self) -> None:
        """``z_t = rho_m z_{t-1} + sigma_m e_t``; with ``sigma_m = 0`` no draw is made and
        a level set by hand (an impulse) decays at ``rho_m``."""
        innovation = self.sd * float(self.rng.standard_normal()) if self.sd > 0.0 else 0.0
        self.level = self.persistence * self.level + innovation

    @property
    def factor(self) -> float:
        """``exp(z_t)``, the factor on every sector's productivity."""
        return math.exp(self.level)
