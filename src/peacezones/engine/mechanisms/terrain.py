"""M14 Terrain: rural bases and local knowledge let members and leaders slip away.

Seed 000: the Carlos Capa gang "has the membership, weaponry and local knowledge needed to
resist repeated police interventions" and "maintains a rural power base ... helping it to
operate outside the reach of security forces".
"""

from __future__ import annotations

import numpy as np

from ..world import World

PARAMETERS = {"terrain": ("escape", "rural_refuge")}


def escape_chance(world: World, gang: int, place: int) -> float:
    """Chance that a member or leader targeted at ``place`` escapes (0 when switched off:
    no ground or base helps anyone slip away)."""
    if "terrain" in world.off:
        return 0.0
    t = world.params.terrain
    chance = t.escape * world.ruggedness[place]
    if world.gangs.rural_base[gang]:
        chance = chance + (1.0 - chance) * t.rural_refuge
    return chance


def refuge(world: World, gang: int, place: int) -> int:
    """Where members flee an offensive: the gang's most rugged place other than this one,
    else the most rugged neighbour."""
    held = np.flatnonzero(world.controller == gang)
    held = held[held != place]
    options = held if held.size else np.flatnonzero(world.adjacency[place])
    if options.size == 0:
        return place
    # most rugged first; among equally rugged places, the most populous (more cover)
    order = np.lexsort((world.population[options], world.ruggedness[options]))
    return int(options[order[-1]])
