"""The quick draws of :mod:`peacezones.engine.rng` give what the generator gives.

``poisson`` and ``binomial`` skip the cells that NumPy draws without a random number and
draw few cells one call each: the counts, and the stream left for the next draw, must be
those of ``Generator.poisson`` and ``Generator.binomial`` on the whole array, so that a
run is the same bytes either way.
"""

from __future__ import annotations

import numpy as np
import pytest

from peacezones.engine import rng as draws

SHAPES = [(5,), (30,), (8, 30), (40, 40)]


@pytest.mark.parametrize("seed", range(40))
def test_draws_are_the_generators_on_the_same_stream(seed) -> None:
    r = np.random.default_rng(seed)
    shape = SHAPES[seed % len(SHAPES)]
    density = r.random() * (0.05 if seed % 2 else 1.0)  # few cells to draw, or many
    n = r.integers(0, 60, shape) * (r.random(shape) < density)
    chance = r.random(shape) * (r.random(shape) < 0.8)  # some chances of 0
    mean = r.normal(0.5, 3.0, shape) * (r.random(shape) < density)  # some negative
    a, b = np.random.default_rng(seed + 100), np.random.default_rng(seed + 100)
    want = [
        a.binomial(n, chance),
        a.binomial(n, 0.37),
        a.poisson(np.maximum(mean, 0.0)),
        a.random(4),  # the stream afterwards
    ]
    got = [
        draws.binomial(b, n, chance),
        draws.binomial(b, n, 0.37),
        draws.poisson(b, mean),
        b.random(4),
    ]
    for g, w in zip(got, want, strict=True):
        assert g.dtype == w.dtype
        assert g.shape == w.shape
        assert np.array_equal(g, w)


def test_chances_of_another_shape_are_left_to_the_generator() -> None:
    m = np.array([[3, 0, 5]])
    chance = np.array([[0.2], [0.9]])
    a, b = np.random.default_rng(1), np.random.default_rng(1)
    assert np.array_equal(draws.binomial(b, m, chance), a.binomial(m, chance))
    assert a.random() == b.random()


def test_bad_draws_still_raise() -> None:
    r = np.random.default_rng(0)
    with pytest.raises(ValueError, match="n < 0"):
        draws.binomial(r, np.array([2, -1, 0]), 0.5)
    with pytest.raises(ValueError, match="p > 1"):
        draws.binomial(r, np.array([2, 1, 0]), 1.5)
