"""Means, bootstrap intervals and growth fits (numpy only)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

BOOTSTRAP_RESAMPLES = 1000
BOOTSTRAP_SEED = 20240202


@dataclass(frozen=True)
class Interval:
    mean: float
    low: float
    high: float

    def fmt(self, scale: float = 100.0, digits: int = 2) -> str:
        return (
            f"{self.mean * scale:.{digits}f} "
            f"[{self.low * scale:.{digits}f}, {self.high * scale:.{digits}f}]"
        )


def _resample_indices(n: int, resamples: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return rng.integers(0, n, size=(resamples, n))


def bootstrap_mean(
    values: Sequence[float],
    *,
    resamples: int = BOOTSTRAP_RESAMPLES,
    seed: int = BOOTSTRAP_SEED,
    level: float = 0.95,
) -> Interval:
    """Mean and percentile bootstrap interval, resampling the items (clusters) with replacement."""
    arr = np.asarray(values, dtype=float)
    if arr.size == 0:
        raise ValueError("no values to summarise")
    means = arr[_resample_indices(arr.size, resamples, seed)].mean(axis=1)
    tail = (1.0 - level) / 2.0 * 100.0
    low, high = np.percentile(means, [tail, 100.0 - tail])
    return Interval(float(arr.mean()), float(low), float(high))


def bootstrap_ratio(
    numerator: Sequence[float],
    denominator: Sequence[float],
    *,
    resamples: int = BOOTSTRAP_RESAMPLES,
    seed: int = BOOTSTRAP_SEED,
    level: float = 0.95,
) -> Interval:
    """Ratio of means of two paired samples, with a paired bootstrap interval.

    Pairing (the same clusters drawn for both systems) is what makes the
    interval about the *difference between systems* rather than between samples.
    """
    num = np.asarray(numerator, dtype=float)
    den = np.asarray(denominator, dtype=float)
    if num.shape != den.shape or num.size == 0:
        raise ValueError("paired samples must be non-empty and the same length")
    idx = _resample_indices(num.size, resamples, seed)
    den_means = den[idx].mean(axis=1)
    ratios = num[idx].mean(axis=1) / np.where(den_means == 0, np.nan, den_means)
    tail = (1.0 - level) / 2.0 * 100.0
    low, high = np.nanpercentile(ratios, [tail, 100.0 - tail])
    base = den.mean()
    point = float(num.mean() / base) if base else float("nan")
    return Interval(point, float(low), float(high))


def growth_exponent(sizes: Sequence[float], times: Sequence[float]) -> float:
    """Slope of log(time) against log(size): 1.0 is linear, 2.0 quadratic."""
    x = np.log(np.asarray(sizes, dtype=float))
    y = np.log(np.maximum(np.asarray(times, dtype=float), 1e-9))
    if x.size < 2:
        return float("nan")
    slope, _ = np.polyfit(x, y, 1)
    return float(slope)
