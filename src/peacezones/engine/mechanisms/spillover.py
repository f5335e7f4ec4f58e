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

from ...scenario.schema import Condition
from ..actions import cells, poisson, take_by_gang
from ..events import Kind
from ..population import Status
from ..rng import binomial
from ..world import World
from . import impunity

PARAMETERS = {"spillover": ("crime_rate", "deterrence", "lethality")}


def targets(world: World, members_at: np.ndarray) -> np.ndarray:
    """Per gang (G x P), the places next to where it is that it does not hold: its hunting
    ground."""
    present = members_at > 0
    near = world.neighbours(present) & ~present
    gangs = np.arange(len(world.gangs))[:, None]
    return near & (world.controller[None, :] != gangs) & (world.civilians > 0)[None, :]


def run(world: World, p: SimpleNamespace, rng: np.random.Generator) -> None:
    members_at = world.members_at()
    s = p.spillover
    ground = targets(world, members_at)
    members = members_at.sum(axis=1) * ground.any(axis=1)
    # a gang keeping its pact's peace or its ban on crime commits none (M1)
    members *= ~(
        world.keeping(Condition.KEEP_PEACE) | world.keeping(Condition.STOP_ILLEGAL_ACTIVITY)
    )
    cost = impunity.expected_costs(world, p)
    n = poisson(world, s.crime_rate * members * np.exp(-s.deterrence * cost))
    raiders = np.flatnonzero(n)
    if raiders.size == 0:
        return
    weights = world.civilians * ground[raiders]
    crimes = np.zeros_like(members_at)
    crimes[raiders] = rng.multinomial(n[raiders], weights / weights.sum(axis=1, keepdims=True))
    lethal = np.zeros_like(crimes)  # drawn for the raiders only (the rest draw nothing)
    lethal[raiders] = binomial(rng, crimes[raiders], s.lethality)
    killed = take_by_gang(world, lethal, None, Status.DEAD)
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
    loot = crimes.sum(axis=1) * p.economy.loot_per_incident
    world.gangs.treasury += loot
    world.gangs.income += loot
    world.count_all("crimes_outside", crimes.sum(axis=0))
    world.count_all("homicides_gang_on_civilian", killed.sum(axis=0))
    gang, place = cells(crimes)
    events = world.events.add_many(Kind.CRIME_OUTSIDE_ZONE, place, gang, crimes[gang, place])
    dead = killed[gang, place]
    hit = dead > 0
    world.events.add_many(
        Kind.HOMICIDE_GANG_ON_CIVILIAN, place[hit], gang[hit], dead[hit], cause=events[hit]
    )
    impunity.pursue(world, gang, place, crimes[gang, place], events, p, rng)
