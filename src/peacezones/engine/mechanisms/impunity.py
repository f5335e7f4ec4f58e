"""M2 Border impunity: pursuits of zone gangs turn back at the border; incursions recalled.

Seed 000: "police chasing them would often turn back as soon as they got near the
border. If security forces did venture inside the Peace Zones in search of suspects, they
were frequently called back by their superiors."
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from ..actions import remove_members
from ..events import Kind
from ..population import Status
from ..world import World
from . import collusion

PARAMETERS = {"impunity": ("pursuit_rate", "pursuit_arrest", "recall_rate")}


def turn_back(world: World, gang: int) -> float:
    """Chance that a pursuit of this gang turns back: the terms of its home's zone, if any."""
    zone = world.gang_zone(gang)
    return zone.turn_back if zone is not None else 0.0


def expected_cost(world: World, gang: int, p: SimpleNamespace) -> float:
    """The chance that a crime outside its territory costs the gang an arrest (M6 uses it)."""
    chased = p.impunity.pursuit_rate * (1.0 - turn_back(world, gang))
    return chased * p.impunity.pursuit_arrest * collusion.arrest_factor(world, gang)


def pursue(
    world: World,
    gang: int,
    place: int,
    crimes: int,
    cause: int,
    p: SimpleNamespace,
    rng: np.random.Generator,
) -> None:
    """Pursuits after ``crimes`` by the gang at ``place``: some end at the zone border."""
    chases = rng.binomial(crimes, p.impunity.pursuit_rate)
    if chases == 0:
        return
    home = int(world.gangs.home[gang])
    abandoned = rng.binomial(chases, turn_back(world, gang))
    zone = world.gang_zone(gang)
    if abandoned:
        world.events.add(Kind.PURSUIT_ABANDONED, home, gang, count=abandoned, cause=cause)
        world.count("pursuits_abandoned", home, abandoned)
        if zone is not None and zone.recall:
            recalled = rng.binomial(abandoned, p.impunity.recall_rate)
            if recalled:
                world.events.add(Kind.INCURSION_RECALLED, home, gang, count=recalled, cause=cause)
    caught_chance = p.impunity.pursuit_arrest * collusion.arrest_factor(world, gang)
    caught = rng.binomial(chases - abandoned, caught_chance)
    if caught:
        done = remove_members(world, gang, None, int(caught), Status.JAILED)
        if done:
            world.events.add(Kind.PURSUIT_ARREST, place, gang, count=done, cause=cause)
            world.count("arrests", place, done)
