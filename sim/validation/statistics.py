"""Statistics of a simulated economy, as pure functions of arrays.

Each function states its formula in its docstring; none knows about the model, so
each is tested on synthetic series with a known answer (``tests/test_validation_statistics.py``).
Business-cycle statistics follow the conventions of King & Rebelo (1999, Handbook of
Macroeconomics ch. 14): quarterly averages of monthly data, logs, Hodrick-Prescott
filter with lambda = 1600.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse
from scipy.sparse.linalg import spsolve

HP_LAMBDA_QUARTERLY = 1600.0
"""Smoothing parameter of the HP filter for quarterly data (Hodrick & Prescott 1997)."""


def _array(values) -> np.ndarray:
    return np.asarray(values, dtype=float)


def to_quarterly(monthly, how: str = "mean") -> np.ndarray:
    """Quarterly values from monthly ones: ``x_q = mean(x_{3q}, x_{3q+1}, x_{3q+2})``
    (``how="sum"`` adds them instead). A last, incomplete quarter is dropped."""
    x = _array(monthly)
    n = (x.size // 3) * 3
    blocks = x[:n].reshape(-1, 3)
    if how == "sum":
        return blocks.sum(axis=1)
    if how == "mean":
        return blocks.mean(axis=1)
    raise ValueError(f"to_quarterly: how must be 'mean' or 'sum', not {how!r}")


def hp_filter(series, lamb: float = HP_LAMBDA_QUARTERLY) -> tuple[np.ndarray, np.ndarray]:
    """Hodrick-Prescott trend and cycle.

    The trend ``tau`` minimises ``sum (y_t - tau_t)^2 + lamb * sum (Delta^2 tau_t)^2``;
    it solves ``(I + lamb D'D) tau = y`` with ``D`` the (T-2) x T second-difference
    matrix (a sparse, banded solve). The cycle is ``y - tau``.

    Returns:
        ``(trend, cycle)``.
    """
    y = _array(series)
    n = y.size
    if n < 3:
        return y.copy(), np.zeros(n)
    second_difference = sparse.diags([1.0, -2.0, 1.0], [0, 1, 2], shape=(n - 2, n))
    system = sparse.identity(n) + lamb * (second_difference.T @ second_difference)
    trend = spsolve(system.tocsc(), y)
    return trend, y - trend


def cyclical_sd(series, lamb: float = HP_LAMBDA_QUARTERLY) -> float:
    """Standard deviation, in per cent, of the HP cycle of ``log(series)``:
    ``100 * sd(log y - tau)``."""
    _, cycle = hp_filter(np.log(_array(series)), lamb)
    return float(100.0 * cycle.std(ddof=1))


def relative_cyclical_sd(series, reference, lamb: float = HP_LAMBDA_QUARTERLY) -> float:
    """``sd(HP cycle of log x) / sd(HP cycle of log reference)``, e.g. consumption
    relative to output."""
    return cyclical_sd(series, lamb) / cyclical_sd(reference, lamb)


def autocorrelation(series, lag: int = 1) -> float:
    """Sample autocorrelation ``sum (x_t - m)(x_{t-k} - m) / sum (x_t - m)^2`` at lag ``k``."""
    x = _array(series)
    d = x - x.mean()
    denominator = float(d @ d)
    if denominator == 0.0 or x.size <= lag:
        return float("nan")
    return float(d[lag:] @ d[:-lag] / denominator)


def hp_cycle_autocorrelation(series, lamb: float = HP_LAMBDA_QUARTERLY) -> float:
    """First-order autocorrelation of the HP cycle of ``log(series)`` (persistence)."""
    _, cycle = hp_filter(np.log(_array(series)), lamb)
    return autocorrelation(cycle, 1)


def count_recessions(quarterly_output) -> int:
    """Number of recessions: maximal runs of at least two consecutive quarters in which
    output falls (``y_q < y_{q-1}``), the rule of thumb of the financial press."""
    y = _array(quarterly_output)
    falling = np.diff(y) < 0
    count, run = 0, 0
    for down in falling:
        run = run + 1 if down else 0
        count += run == 2
    return count


def slope(x, y) -> float:
    """OLS slope of ``y`` on ``x`` with an intercept: ``cov(x, y) / var(x)``."""
    x, y = _array(x), _array(y)
    dx = x - x.mean()
    var = float(dx @ dx)
    if var == 0.0:
        return float("nan")
    return float(dx @ (y - y.mean()) / var)


def correlation(x, y) -> float:
    """Pearson correlation ``cov(x, y) / (sd x sd y)`` (NaN if either is constant)."""
    x, y = _array(x), _array(y)
    if x.std() == 0.0 or y.std() == 0.0:
        return float("nan")
    return float(np.corrcoef(x, y)[0, 1])


def okun_coefficient(unemployment_rate, output) -> float:
    """Okun's law in first differences (Ball, Leigh & Loungani 2017):
    ``Delta u_t = a + b * 100 Delta log Y_t`` with ``u`` in percentage points; returns ``b``
    (points of unemployment per per cent of output growth)."""
    u = 100.0 * _array(unemployment_rate)
    growth = 100.0 * np.diff(np.log(_array(output)))
    return slope(growth, np.diff(u))


def hill_tail_index(sizes, tail_share: float = 0.2) -> float:
    """Hill (1975) estimator of the Pareto tail index ``alpha`` of the largest values:
    with ``x_(1) >= ... >= x_(n)`` and ``k = max(2, round(tail_share n))``,
    ``alpha = k / sum_{i<=k} log(x_(i) / x_(k+1))``. For a Pareto law
    ``P(X > x) = (x / x_m)^-alpha`` it is consistent; Zipf's law is ``alpha = 1``."""
    x = np.sort(_array(sizes)[_array(sizes) > 0])[::-1]
    n = x.size
    k = max(2, round(tail_share * n))
    if n <= k:
        return float("nan")
    logs = np.log(x[:k] / x[k])
    total = float(logs.sum())
    return float(k / total) if total > 0 else float("nan")


def ccdf(sizes) -> tuple[np.ndarray, np.ndarray]:
    """Empirical complementary CDF: sorted positive sizes ``x`` and ``P(X >= x)``."""
    x = np.sort(_array(sizes)[_array(sizes) > 0])
    n = x.size
    return x, 1.0 - np.arange(n) / n


def mean_over_median(sizes) -> float:
    """``mean(x) / median(x)`` of positive sizes: above 1 for a right-skewed law."""
    x = _array(sizes)
    x = x[x > 0]
    if x.size == 0:
        return float("nan")
    return float(x.mean() / np.median(x))


def excess_kurtosis(values) -> float:
    """Excess kurtosis ``m4 / m2^2 - 3`` (0 for a normal law, 3 for a Laplace law)."""
    x = _array(values)
    d = x - x.mean()
    m2 = float((d**2).mean())
    if m2 == 0.0:
        return float("nan")
    return float((d**4).mean() / m2**2 - 3.0)


def laplace_fit(values) -> dict[str, float]:
    """Maximum-likelihood Laplace fit, ``f(x) = exp(-|x - m| / b) / (2b)`` with
    ``m = median`` and ``b = mean |x - m|``, and the mean log-likelihood ratio per
    observation of the Laplace over the normal fit (positive: tent-shaped tails, as
    Stanley et al. 1996 find for firm growth rates)."""
    x = _array(values)
    m = float(np.median(x))
    b = float(np.abs(x - m).mean())
    sd = float(x.std())
    if b == 0.0 or sd == 0.0:
        return {"location": m, "scale": b, "log_likelihood_ratio": float("nan")}
    laplace = -np.log(2.0 * b) - np.abs(x - m) / b
    normal = -0.5 * np.log(2.0 * np.pi * sd**2) - (x - x.mean()) ** 2 / (2.0 * sd**2)
    return {"location": m, "scale": b, "log_likelihood_ratio": float((laplace - normal).mean())}


def log_growth_rates(levels_by_period: np.ndarray) -> np.ndarray:
    """Pooled growth rates ``log x_{i,t+1} - log x_{i,t}`` of units present with positive
    levels in both periods; ``levels_by_period`` is periods x units."""
    levels = _array(levels_by_period)
    before, after = levels[:-1], levels[1:]
    ok = (before > 0) & (after > 0)
    return np.log(after[ok]) - np.log(before[ok])


def annual_decline_factor(prices, months) -> float:
    """Factor by which a price falls per year, from the log-linear fit Epoch AI uses:
    ``log p_t = a + b t`` (``t`` in months), factor ``= exp(-12 b)``."""
    p, t = _array(prices), _array(months)
    ok = p > 0
    if ok.sum() < 2:
        return float("nan")
    return float(np.exp(-12.0 * slope(t[ok], np.log(p[ok]))))


def annualized_change(first: float, last: float, months: float) -> float:
    """Compound annual growth factor between two levels ``months`` apart:
    ``(last / first)^(12 / months)``."""
    if first <= 0 or last <= 0 or months <= 0:
        return float("nan")
    return float((last / first) ** (12.0 / months))


def nordhaus_slopes(productivity_growth, relative_price_growth, wage_growth) -> dict[str, float]:
    """Nordhaus (2008) cross-industry regressions: across sectors ``i``,
    ``g(p_i / P) = a + b_price g(A_i)`` and ``g(w_i) = c + b_wage g(A_i)``, with ``g`` the
    average annual log growth rate and ``A`` labour productivity. Baumol's cost disease
    predicts ``b_price = -1`` (full pass-through) and ``b_wage = 0`` (one wage)."""
    return {
        "price": slope(productivity_growth, relative_price_growth),
        "wage": slope(productivity_growth, wage_growth),
    }
