"""Intervals and paired differences on cases with known answers."""

from __future__ import annotations

import math

import numpy as np
import pytest

from peacezones.analysis.statistics import mean_interval, paired_difference


def test_mean_interval_matches_the_t_table() -> None:
    est = mean_interval([1.0, 2.0, 3.0, 4.0, 5.0])
    # mean 3, s = sqrt(2.5), t(0.975, 4) = 2.7764451
    half = 2.7764451 * math.sqrt(2.5) / math.sqrt(5)
    assert est.mean == 3.0
    assert est.low == pytest.approx(3.0 - half, rel=1e-6)
    assert est.high == pytest.approx(3.0 + half, rel=1e-6)
    assert est.n == 5


def test_one_replicate_has_no_interval() -> None:
    est = mean_interval([7.0])
    assert est.mean == 7.0
    assert math.isnan(est.low)


def test_a_count_interval_is_cut_at_zero_and_keeps_its_coverage() -> None:
    # three replicates of a rare count: the t interval reaches below zero
    assert mean_interval([0.0, 0.0, 5.0]).low < 0.0
    cut = mean_interval([0.0, 0.0, 5.0], least=0.0)
    assert cut.low == 0.0
    assert cut.high == mean_interval([0.0, 0.0, 5.0]).high
    # a Poisson count with mean 0.4: cutting never loses coverage
    rng = np.random.default_rng(2)
    samples = rng.poisson(0.4, size=(2000, 3)).astype(float)
    plain = [mean_interval(x) for x in samples]
    cut = [mean_interval(x, least=0.0) for x in samples]
    covered = lambda es: sum(e.low <= 0.4 <= e.high for e in es if np.isfinite(e.low))  # noqa: E731
    assert covered(cut) == covered(plain)
    assert min(e.low for e in cut if np.isfinite(e.low)) == 0.0


def test_paired_difference_uses_the_pairs() -> None:
    base = np.array([10.0, 20.0, 30.0, 40.0])
    policy = base + np.array([1.0, 2.0, 1.0, 2.0])
    d = paired_difference(policy, base)
    assert d.mean == pytest.approx(1.5)
    # the pairs remove the large spread between replicates: a tight interval
    assert d.high - d.low < 2.0
    assert d.p_value < 0.05


def test_identical_policies_differ_by_nothing() -> None:
    x = [1.0, 5.0, 2.0]
    d = paired_difference(x, x)
    assert (d.mean, d.low, d.high, d.p_value) == (0.0, 0.0, 0.0, 1.0)


def test_coverage_is_about_95_percent() -> None:
    rng = np.random.default_rng(1)
    hits = 0
    for _ in range(2000):
        est = mean_interval(rng.normal(5.0, 2.0, size=8))
        hits += est.low <= 5.0 <= est.high
    assert 0.93 < hits / 2000 < 0.97
