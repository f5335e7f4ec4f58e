"""Random numbers: one seeded generator per run, children spawned per replicate."""

from __future__ import annotations

import numpy as np


def root_sequence(seed: int) -> np.random.SeedSequence:
    """The seed sequence of a whole experiment; ``seed`` must be a non-negative int."""
    if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, not {seed!r}")
    return np.random.SeedSequence(seed)


def replicate_generators(seed: int, replicates: int) -> list[np.random.Generator]:
    """One generator per replicate, the same for every policy (common random numbers)."""
    return [np.random.default_rng(child) for child in root_sequence(seed).spawn(replicates)]


def run_generator(seed: int, replicate: int = 0) -> np.random.Generator:
    """The generator of replicate ``replicate`` of experiment ``seed``."""
    children = root_sequence(seed).spawn(replicate + 1)
    return np.random.default_rng(children[replicate])
