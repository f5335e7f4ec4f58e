"""Statistics over replicates: means with confidence intervals, paired differences."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

CONFIDENCE = 0.95


@dataclass(frozen=True)
class Estimate:
    """A mean over replicates with its confidence interval (NaN bounds with one replicate)."""

    mean: float
    low: float
    high: float
    n: int

    def __str__(self) -> str:
        if not np.isfinite(self.low):
            return f"{self.mean:,.3g}"
        return f"{self.mean:,.3g} [{self.low:,.3g}, {self.high:,.3g}]"


def mean_interval(
    values: np.ndarray | list[float],
    confidence: float = CONFIDENCE,
    least: float | None = None,
) -> Estimate:
    """Student's t interval for the mean of independent replicates.

    ``least``: the smallest value the mean can take (0 for a count, a rate or a share),
    where the interval is cut. With few replicates and a skewed count the t interval
    reaches below zero ("2 officials killed [-1.3, 5.3]"); the cut interval covers the
    true mean whenever the uncut one does, since the true mean lies above the cut."""
    x = np.asarray(values, dtype=float)
    n = len(x)
    mean = float(x.mean()) if n else float("nan")
    if n < 2:
        return Estimate(mean, float("nan"), float("nan"), n)
    from scipy import stats  # slow to import: only when an interval is asked for

    half = stats.t.ppf(0.5 + confidence / 2, n - 1) * x.std(ddof=1) / np.sqrt(n)
    low = mean - half if least is None else max(mean - half, least)
    return Estimate(mean, low, mean + half, n)


@dataclass(frozen=True)
class Difference(Estimate):
    """A paired difference (policy minus baseline) and the p-value of a paired t-test."""

    p_value: float = float("nan")


def paired_difference(policy: np.ndarray | list[float], baseline: np.ndarray | list[float],
                      confidence: float = CONFIDENCE) -> Difference:  # fmt: skip
    """Mean of the replicate-by-replicate differences (common random numbers)."""
    diff = np.asarray(policy, dtype=float) - np.asarray(baseline, dtype=float)
    est = mean_interval(diff, confidence)
    if est.n < 2 or np.allclose(diff, diff[0]):
        p = 1.0 if est.n >= 2 and np.allclose(diff, 0.0) else float("nan")
        if est.n >= 2 and not np.allclose(diff, 0.0):
            p = 0.0  # every replicate moved by the same non-zero amount
        return Difference(est.mean, est.low, est.high, est.n, p)
    from scipy import stats

    p = float(stats.ttest_1samp(diff, 0.0).pvalue)
    return Difference(est.mean, est.low, est.high, est.n, p)
