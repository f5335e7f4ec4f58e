"""M15 Leaders: removal weakens a gang; a fled leader and scattered members come back."""

from __future__ import annotations

import datetime as dt

import numpy as np

from peacezones.engine import prepare
from peacezones.engine.mechanisms import leaders
from peacezones.engine.world import PRISON, LeaderState
from tests.engine import helpers as h

HUNT = {
    "date": dt.date(2021, 1, 4),
    "action": "target_leader",
    "gang": "monte",
    "mode": "kill",
    "officers": 3000,
    "weeks": 26,
    "sources": ["synthetic"],
}


def test_losing_its_leader_weakens_a_gang() -> None:
    schedule = h.decisions("declare_zone", add=(HUNT,))
    fragile = h.runs(
        h.variant(
            {"leaders.leaderless_exit": 0.1, "leaders.successor_rate": 0.01}, schedule=schedule
        )
    )
    sturdy = h.runs(
        h.variant(
            {"leaders.leaderless_exit": 0.005, "leaders.successor_rate": 0.2}, schedule=schedule
        )
    )
    removed = h.events(fragile, "leader_killed", "monte") + h.events(
        fragile, "leader_jailed", "monte"
    )
    assert removed > 0
    assert h.final(fragile, "members", gang="monte") < h.final(sturdy, "members", gang="monte")
    # those who went home for want of a leader are counted as such in the gang table
    gone = h.total(fragile, "members_leaderless", gang="monte")
    assert gone > h.total(sturdy, "members_leaderless", gang="monte") > 0


def test_a_fled_leader_and_scattered_members_return() -> None:
    world = prepare(h.toy(), seed=1, scale=h.SCALE)
    gang = world.gangs.ids.index("monte")
    home = int(world.gangs.home[gang])
    rows = np.flatnonzero(world.ind.view("gang") == gang)
    world.ind.place[rows] = world.place_ids.index("autopista")
    world.members_changed()
    world.gangs.leader[gang] = LeaderState.FLED
    for t in range(600):  # at 2% a week a leader stays away 120 weeks about once in 11
        world.step = t
        leaders.run(world, world.params, world.rng)
    assert world.gangs.leader[gang] == LeaderState.ACTIVE
    assert (world.ind.place[rows] == home).mean() > 0.9


def test_a_jailed_leader_commands_from_a_prison_his_gang_holds() -> None:
    """A prison the gang holds is its command centre (M21, Tocorón): a leader jailed
    while it holds one still commands, and the gang does not fall leaderless."""
    world = prepare(h.toy(), seed=0, scale=h.SCALE)
    g = world.gangs
    monte = g.ids.index("monte")
    place = world.place_ids.index("monte")  # the gang's rural base, made a prison here
    g.leader[monte] = LeaderState.JAILED
    assert not world.commanded()[monte]
    world.kind[place] = PRISON
    world.controller[place] = monte
    assert world.commanded()[monte]
    g.leader[monte] = LeaderState.EXTRADITED  # extradited: out of reach of any prison
    assert not world.commanded()[monte]
    g.leader[monte] = LeaderState.JAILED
    before = world.members()[monte]
    for t in range(10):
        world.step = t
        leaders.run(world, world.params, world.rng)
    assert world.members()[monte] == before  # no one leaves a gang still commanded
