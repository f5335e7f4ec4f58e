"""M15 Leaders: a gang that loses its leader weakens; a successor may rise; the fled return.

Seed 000: the Eduardo Delicias gang "was weakened when its leader was killed"; Koki, driven
out, "appears to still be at large ... members of the Koki gang may be quietly returning
to the area". A leaderless gang sheds members until a successor takes over; a leader who
fled comes back once no operation hunts the gang; members scattered by an offensive drift
home. A gang with no members and no leader is gone.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from ..actions import member_rows, remove_members
from ..events import Kind
from ..population import Status
from ..world import Flow, LeaderState, World

PARAMETERS = {"leaders": ("leaderless_exit", "successor_rate", "return_rate", "member_return_rate")}


def run(world: World, p: SimpleNamespace, rng: np.random.Generator) -> None:
    g, lp = world.gangs, p.leaders
    world.successions.clear()  # read by M21 later in the step, if it is on
    hunted = world.hunted()
    # a leader jailed in a prison his gang holds still commands it (M21)
    lost = g.alive & ~world.commanded() & (g.leader != LeaderState.FLED)
    for gang in np.flatnonzero(lost):
        _leaderless(world, int(gang), int(g.home[gang]), p, rng)
    back = (
        g.alive & (g.leader == LeaderState.FLED) & ~hunted & (rng.random(len(g)) < lp.return_rate)
    )
    for gang in np.flatnonzero(back):
        _set_leader(world, int(gang), LeaderState.ACTIVE, Kind.LEADER_RETURNED, int(g.home[gang]))
    _members_return(world, hunted, p, rng)
    gone = g.alive & (world.members() == 0) & (g.leader != LeaderState.ACTIVE)
    for gang in np.flatnonzero(gone):
        g.alive[gang] = False
        world.events.add(Kind.GANG_COLLAPSED, int(g.home[gang]), int(gang))


def _leaderless(
    world: World, gang: int, home: int, p: SimpleNamespace, rng: np.random.Generator
) -> None:
    rows = member_rows(world, gang)
    leaving = rng.binomial(len(rows), p.leaders.leaderless_exit)
    done = remove_members(world, gang, None, int(leaving), Status.CIVILIAN)
    world.gangs.flows[gang, Flow.DESERTED] -= done
    world.gangs.flows[gang, Flow.LEADERLESS] += done
    if done:
        world.events.add(Kind.DESERTION, home, gang, count=done)
    if len(rows) - done > 0 and rng.random() < p.leaders.successor_rate:
        event = _set_leader(world, gang, LeaderState.ACTIVE, Kind.LEADER_SUCCEEDED, home)
        world.successions.append((gang, event))  # a contest M21 may open


def _set_leader(world: World, gang: int, state: LeaderState, kind: Kind, home: int) -> int:
    world.gangs.leader[gang], world.gangs.leader_since[gang] = state, world.step
    return world.events.add(kind, home, gang)


def _members_return(
    world: World, hunted: np.ndarray, p: SimpleNamespace, rng: np.random.Generator
) -> None:
    """Members away from any place their gang holds drift home, unless it is hunted."""
    rows, gangs, places = world.member_index()
    home = world.gangs.home[gangs]
    away = (places != home) & (world.controller[places] != gangs) & ~hunted[gangs]
    back = away & (rng.random(len(rows)) < p.leaders.member_return_rate)
    if not back.any():
        return
    returning = np.bincount(gangs[back], minlength=len(world.gangs))
    world.ind.place[rows[back]] = home[back]
    world.members_moved(rows[back])
    for gang in np.flatnonzero(returning):
        world.events.add(
            Kind.MEMBERS_RETURNED,
            int(world.gangs.home[gang]),
            int(gang),
            count=int(returning[gang]),
        )
