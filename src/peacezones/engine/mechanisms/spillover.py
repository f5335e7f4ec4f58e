"""M6 Spillover from safe havens: gangs raid outside their territory and retreat into it.

Seed 000: "the gangs managed to get away with crimes committed outside the Peace Zones".
Each gang weighs the chance that a crime outside costs it an arrest (M2); where pursuits
turn back at a zone's border that chance is low, and it raids more. Crimes hit the
neighbouring places it does not hold, in proportion to their residents.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from ..actions import harm_civilians, poisson
from ..events import Kind
from ..population import Status
from ..world import World
from . import impunity

PARAMETERS = {"spillover": ("crime_rate", "deterrence", "lethality")}


def targets(world: World, gang: int, members_at: np.ndarray) -> np.ndarray:
    """Places next to where the gang is that it does not hold: its hunting ground."""
    present = members_at[gang] > 0
    near = world.adjacency[present].any(axis=0) & ~present
    return near & (world.controller != gang) & (world.civilians > 0)


def run(world: World, p: SimpleNamespace, rng: np.random.Generator) -> None:
    members_at = world.members_at()
    s = p.spillover
    for gang in np.flatnonzero(members_at.sum(axis=1)):
        ground = targets(world, int(gang), members_at)
        if not ground.any():
            continue
        cost = impunity.expected_cost(world, int(gang), p)
        mean = s.crime_rate * members_at[gang].sum() * np.exp(-s.deterrence * cost)
        crimes = int(poisson(world, mean))
        if crimes:
            weights = world.civilians * ground
            by_place = rng.multinomial(crimes, weights / weights.sum())
            _commit(world, int(gang), by_place, p, rng)


def _commit(
    world: World, gang: int, by_place: np.ndarray, p: SimpleNamespace, rng: np.random.Generator
) -> None:
    killings = rng.binomial(by_place, p.spillover.lethality)
    killed = harm_civilians(world, killings, Status.DEAD)
    world.gangs.homicides[gang] += killed.sum()
    for place in np.flatnonzero(by_place):
        n = int(by_place[place])
        event = world.events.add(Kind.CRIME_OUTSIDE_ZONE, int(place), gang, count=n)
        world.count("crimes_outside", int(place), n)
        if killed[place]:
            world.events.add(
                Kind.HOMICIDE_GANG_ON_CIVILIAN,
                int(place),
                gang,
                count=int(killed[place]),
                cause=event,
            )
            world.count("homicides_gang_on_civilian", int(place), killed[place])
        impunity.pursue(world, gang, int(place), n, event, p, rng)
