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
