"""Random numbers: one seeded generator per run, children spawned per replicate.

Replicate i of seed s is the same stream under every policy (common random numbers).
"""

from __future__ import annotations

import numpy as np


def root_sequence(seed: int) -> np.random.SeedSequence:
    """The seed sequence of a whole experiment; ``seed`` must be a non-negative int."""
    if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, not {seed!r}")
    return np.random.SeedSequence(seed)


def run_generator(seed: int, replicate: int = 0) -> np.random.Generator:
    """The generator of replicate ``replicate`` of experiment ``seed``."""
    children = root_sequence(seed).spawn(replicate + 1)
    return np.random.default_rng(children[replicate])


_FEW = 24
"""Up to this many cells to draw are drawn one call each: a call of the generator on an
array pays some microseconds of checks and set-up, one on a number a tenth of that."""


def poisson(rng: np.random.Generator, mean: np.ndarray) -> np.ndarray:
    """``rng.poisson(np.maximum(mean, 0))`` for an array of means: the same counts from
    the same random numbers, drawn quicker. NumPy draws a mean of 0 with no random
    number, so where few means are positive only they are drawn, in order, one call each;
    on a large array that is mostly zero, only the positive ones, in one call."""
    mean = np.asarray(mean, np.float64)
    flat = mean.ravel()
    drawn = (flat > 0).nonzero()[0]
    if drawn.size > _FEW and mean.size <= SPARSE:
        return rng.poisson(np.maximum(mean, 0.0))
    counts = np.zeros(mean.shape, np.int64)
    out = counts.reshape(-1)
    if drawn.size > _FEW:
        out[drawn] = rng.poisson(flat[drawn])
    else:
        for i, lam in zip(drawn.tolist(), flat[drawn].tolist(), strict=True):
            out[i] = rng.poisson(lam)
    return counts


SPARSE = 1024
"""Up to this many cells, finding the non-zero ones costs more than going through them
all; past it, less (here and in :mod:`.actions`)."""


def binomial(rng: np.random.Generator, n: np.ndarray, p: np.ndarray | float) -> np.ndarray:
    """``rng.binomial(n, p)`` for an integer array ``n`` and a chance ``p`` (a number or an
    array of the same shape): the same counts from the same random numbers, drawn quicker.
    NumPy draws no random number where there are no trials, so where few cells have any,
    only they are drawn, in order, one call each (a chance outside [0, 1] or a negative
    ``n`` still raises where it is drawn)."""
    scalar = isinstance(p, float | int)
    if not isinstance(n, np.ndarray) or n.dtype.kind not in "iu":
        return rng.binomial(n, p)
    if not scalar and (not isinstance(p, np.ndarray) or p.shape != n.shape):
        return rng.binomial(n, p)
    flat = n.ravel()
    drawn = flat.nonzero()[0]
    if drawn.size > _FEW:
        return rng.binomial(n, p)
    counts = np.zeros(n.shape, np.int64)
    out = counts.reshape(-1)
    trials = flat[drawn].tolist()
    chances = [float(p)] * len(trials) if scalar else p.ravel()[drawn].tolist()
    for i, k, q in zip(drawn.tolist(), trials, chances, strict=True):
        out[i] = rng.binomial(k, q)
    return counts
