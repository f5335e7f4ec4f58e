"""M23 Jail: the jailed are let out; most gang members go back to their gang.

The raids, routine confrontations and pursuits of M2, M10, M11 and M22 jail people. Each
week a person in jail is let out with chance ``jail.release_rate``, so that a stay lasts
``1 / release_rate`` weeks on average, pretrial detention and sentences taken together.
A member of a named gang that still exists goes back to it with chance
``jail.rejoin_share``, where he was arrested (M15 brings him home once the state no longer
hunts his gang): jail interrupts a gang career more often than it ends it. Anyone else (a
member who does not go back, a member of a local band, a resident detained in a raid)
leaves as a civilian, as a member who quits does (M4). Arrests therefore thin a gang for
a while, not for good. A jailed leader is let out at the same rate while his gang has no
other leader and no operation hunts it, and takes back command: a capture, unlike a
killing or an extradition, may only interrupt a leader's rule (a successor found first,
M15, ends his claim; M21's contest follows a succession, not a return).
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from ..actions import set_status
from ..events import Kind
from ..population import NO_GANG, Status
from ..world import LeaderState, World

PARAMETERS = {"jail": ("release_rate", "rejoin_share")}


def run(world: World, p: SimpleNamespace, rng: np.random.Generator) -> None:
    _leaders(world, p, rng)
    ind = world.ind
    jailed = ind.jailed()
    if jailed.size == 0:
        return
    out = jailed[rng.random(jailed.size) < p.jail.release_rate]
    if out.size == 0:
        return
    gang = ind.gang[out]
    known = gang != NO_GANG
    rejoin = known & world.gangs.alive[np.where(known, gang, 0)]
    rejoin &= rng.random(out.size) < p.jail.rejoin_share
    back, free = out[rejoin], out[~rejoin]
    set_status(world, free, Status.CIVILIAN)  # as a member who quits (M4)
    _record(world, ind.place[free], np.full(free.size, NO_GANG))
    if back.size:
        world.members_back(back)
        _record(world, ind.place[back], ind.gang[back])


def _leaders(world: World, p: SimpleNamespace, rng: np.random.Generator) -> None:
    """Jailed leaders of gangs that still exist and have no other leader are let out as
    anyone else is: not one who commands from a prison his gang holds (he has not lost his
    gang, M21), nor while an operation still hunts the gang (as a fled leader waits,
    M15), nor in the week he was caught."""
    g = world.gangs
    jailed = g.alive & (g.leader == LeaderState.JAILED) & ~world.commanded()
    waiting = np.flatnonzero(jailed & ~world.hunted() & (g.leader_since < world.step))
    if waiting.size == 0:
        return
    for gang in waiting[rng.random(waiting.size) < p.jail.release_rate]:
        g.leader[gang], g.leader_since[gang] = LeaderState.ACTIVE, world.step
        world.events.add(Kind.LEADER_RELEASED, int(g.home[gang]), int(gang))


def _record(world: World, places: np.ndarray, gangs: np.ndarray) -> None:
    """One ``released`` event per place and gang (no gang for those who leave as
    civilians)."""
    if places.size == 0:
        return
    key = (gangs.astype(np.int64) + 1) * world.n_places + places
    cells, counts = np.unique(key, return_counts=True)
    world.events.add_many(
        Kind.RELEASED, cells % world.n_places, cells // world.n_places - 1, counts
    )
