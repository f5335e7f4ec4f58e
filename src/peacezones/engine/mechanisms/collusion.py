"""M13 Collusion: gangs with ties to local forces buy impunity from arrests and raids.

Seed 000: the 300 "has close contacts with local security forces, guaranteeing their
impunity".
"""

from __future__ import annotations

import numpy as np

from ..world import World

PARAMETERS = {"collusion": ("impunity", "bribe_share")}


def arrest_factors(world: World) -> np.ndarray:
    """Per gang, the multiplier on arrests of its members: lower with ties to the forces of
    its home, as far as the state tolerates them."""
    g = world.gangs
    if "collusion" in world.off:
        return np.ones(len(g))
    shield = world.params.collusion.impunity * world.corruptibility[g.home]
    return 1.0 - g.ties * shield * world.collusion_tolerance


def arrest_factor(world: World, gang: int) -> float:
    """The arrest multiplier of one gang (see :func:`arrest_factors`)."""
    return float(arrest_factors(world)[gang])


def bribes(world: World, revenue: np.ndarray) -> np.ndarray:
    """What each gang pays each week to keep its ties (a share of its revenue)."""
    if "collusion" in world.off:
        return np.zeros_like(revenue)
    return world.params.collusion.bribe_share * revenue * world.gangs.ties
