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

from ..actions import member_rows, move_members, remove_members
from ..events import Kind
from ..population import Status
from ..world import LeaderState, World

PARAMETERS = {"leaders": ("leaderless_exit", "successor_rate", "return_rate", "member_return_rate")}


def run(world: World, p: SimpleNamespace, rng: np.random.Generator) -> None:
    g, lp = world.gangs, p.leaders
    for gang in np.flatnonzero(g.alive):
        gang = int(gang)
        hunted = bool(world.targeted_by(gang))
        home = int(g.home[gang])
        if g.leader[gang] in (LeaderState.DEAD, LeaderState.JAILED):
            _leaderless(world, gang, home, p, rng)
        elif g.leader[gang] == LeaderState.FLED and not hunted and rng.random() < lp.return_rate:
            _set_leader(world, gang, LeaderState.ACTIVE, Kind.LEADER_RETURNED, home)
        if not hunted:
            _members_return(world, gang, home, p, rng)
        if len(member_rows(world, gang)) == 0 and g.leader[gang] != LeaderState.ACTIVE:
            g.alive[gang] = False
            world.events.add(Kind.GANG_COLLAPSED, home, gang)


def _leaderless(
    world: World, gang: int, home: int, p: SimpleNamespace, rng: np.random.Generator
) -> None:
    rows = member_rows(world, gang)
    leaving = rng.binomial(len(rows), p.leaders.leaderless_exit)
    done = remove_members(world, gang, None, int(leaving), Status.CIVILIAN)
    if done:
        world.events.add(Kind.DESERTION, home, gang, count=done)
    if len(rows) - done > 0 and rng.random() < p.leaders.successor_rate:
        _set_leader(world, gang, LeaderState.ACTIVE, Kind.LEADER_SUCCEEDED, home)


def _set_leader(world: World, gang: int, state: LeaderState, kind: str, home: int) -> None:
    world.gangs.leader[gang], world.gangs.leader_since[gang] = state, world.step
    world.events.add(Kind(kind), home, gang)


def _members_return(
    world: World, gang: int, home: int, p: SimpleNamespace, rng: np.random.Generator
) -> None:
    """Members away from any place their gang holds drift back home."""
    rows = member_rows(world, gang)
    held = world.controller[world.ind.place[rows]] == gang
    away = rows[(world.ind.place[rows] != home) & ~held]
    back = away[rng.random(len(away)) < p.leaders.member_return_rate]
    if len(back):
        move_members(world, back, home)
        world.events.add(Kind.MEMBERS_RETURNED, home, gang, count=len(back))
