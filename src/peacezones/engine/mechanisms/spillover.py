"""M6 Spillover from safe havens: gangs raid outside their territory and retreat into it.

Seed 000: "the gangs managed to get away with crimes committed outside the Peace Zones".
Each gang weighs the chance that a crime outside costs it an arrest (M2); where pursuits
turn back at a zone's border that chance is low, and it raids more. Crimes hit the
neighbouring places it does not hold, in proportion to their residents. Each crime brings
in the loot of a robbery (`economy.loot_per_incident`).
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from ..actions import poisson, take_by_gang
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
    crimes = np.zeros_like(members_at)
    for gang in np.flatnonzero(members_at.sum(axis=1)):
        ground = targets(world, int(gang), members_at)
        if not ground.any():
            continue
        cost = impunity.expected_cost(world, int(gang), p)
        mean = s.crime_rate * members_at[gang].sum() * np.exp(-s.deterrence * cost)
        n = int(poisson(world, mean))
        if n:
            weights = world.civilians * ground
            crimes[gang] = rng.multinomial(n, weights / weights.sum())
    if crimes.any():
        killed = take_by_gang(world, rng.binomial(crimes, s.lethality), None, Status.DEAD)
        _record(world, crimes, killed, p, rng)


def _record(
    world: World,
    crimes: np.ndarray,
    killed: np.ndarray,
    p: SimpleNamespace,
    rng: np.random.Generator,
) -> None:
    """Events for each gang's crimes and killings at each place; pursuits follow."""
    world.gangs.homicides += killed.sum(axis=1)
    world.gangs.treasury += crimes.sum(axis=1) * p.economy.loot_per_incident
    world.count("crimes_outside", np.arange(world.n_places), crimes.sum(axis=0))
    world.count("homicides_gang_on_civilian", np.arange(world.n_places), killed.sum(axis=0))
    for gang, place in zip(*np.nonzero(crimes), strict=True):
        gang, place, n = int(gang), int(place), int(crimes[gang, place])
        event = world.events.add(Kind.CRIME_OUTSIDE_ZONE, place, gang, count=n)
        if killed[gang, place]:
            world.events.add(
                Kind.HOMICIDE_GANG_ON_CIVILIAN,
                place,
                gang,
                count=int(killed[gang, place]),
                cause=event,
            )
        impunity.pursue(world, gang, place, n, event, p, rng)
