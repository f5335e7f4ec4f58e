"""M23 Jail: the jailed are let out; a gang member goes back to his gang."""

from __future__ import annotations

import numpy as np

from peacezones.engine import prepare
from peacezones.engine.events import KIND_CODE, Kind
from peacezones.engine.mechanisms import jail
from peacezones.engine.population import NO_GANG, Status
from peacezones.scenario.schema import Engine
from tests.engine import helpers as h


def _jail_some(world, gang: int, n: int) -> np.ndarray:
    """Jail ``n`` members of ``gang`` where they stand, away from home."""
    rows = world.gang_rows(gang)[:n]
    world.ind.status[rows] = Status.JAILED
    world.ind.place[rows] = world.place_ids.index("autopista")
    world.members_left()
    return rows


def test_a_released_member_goes_back_to_his_gang_at_home() -> None:
    world = prepare(h.toy(), seed=0, scale=h.SCALE)
    gang = world.gangs.ids.index("monte")
    before = int(world.members()[gang])
    rows = _jail_some(world, gang, 5)
    assert world.members()[gang] == before - 5
    world.params.jail.release_rate = 1.0
    jail.run(world, world.params, world.rng)
    assert (world.ind.status[rows] == Status.MEMBER).all()
    assert (world.ind.gang[rows] == gang).all()
    assert (world.ind.place[rows] == world.gangs.home[gang]).all()
    assert world.members()[gang] == before
    released = [
        (a, c)
        for k, a, c in zip(world.events.kind, world.events.actor, world.events.count, strict=True)
        if k == KIND_CODE[Kind.RELEASED]
    ]
    assert released == [(gang, 5.0)]


def test_without_a_gang_to_go_back_to_the_released_are_civilians() -> None:
    world = prepare(h.toy(), seed=0, scale=h.SCALE)
    gang = world.gangs.ids.index("monte")
    rows = _jail_some(world, gang, 3)
    left = int(world.members()[gang])
    world.gangs.alive[gang] = False  # the gang is gone while they are inside
    world.params.jail.release_rate = 1.0
    jail.run(world, world.params, world.rng)
    assert (world.ind.status[rows] == Status.CIVILIAN).all()
    assert (world.ind.gang[rows] == NO_GANG).all()
    assert world.members()[gang] == left  # nobody rejoined


def test_the_mean_stay_is_one_over_the_rate() -> None:
    world = prepare(h.toy(), seed=0, scale=h.SCALE)
    gang = world.gangs.ids.index("monte")
    rows = _jail_some(world, gang, 20)
    world.params.jail.release_rate = 0.0
    for _ in range(50):
        jail.run(world, world.params, world.rng)
    assert (world.ind.status[rows] == Status.JAILED).all()  # a rate of 0 holds them for ever
    world.params.jail.release_rate = 0.1
    out = np.zeros(len(rows), int)
    for week in range(1, 200):
        jail.run(world, world.params, world.rng)
        freed = (world.ind.status[rows] != Status.JAILED) & (out == 0)
        out[freed] = week
    assert (out > 0).all()
    assert 5 < out.mean() < 20  # geometric with mean 10 weeks


def test_arrests_thin_a_gang_for_a_while_not_for_good() -> None:
    """The same toy world with and without the jail (paired seeds): with it, members
    jailed by the police come back, and the gang ends larger."""
    on = h.runs(h.variant({"jail.release_rate": 0.04}))
    off = h.runs(h.variant({"jail.release_rate": 0.04}, engine=Engine(mechanisms_off=("jail",))))
    assert h.events(on, "arrest") > 0
    assert h.events(on, "released", "monte") > 0
    assert h.events(off, "released") == 0
    assert h.final(on, "members", gang="monte") > h.final(off, "members", gang="monte")


def test_a_member_let_out_counts_once_however_the_index_was_kept() -> None:
    """Let out before the member index was read again, or after, and then with the index
    built again from scratch (as after a split): the gang's count is what it was."""
    world = prepare(h.toy(), seed=0, scale=h.SCALE)
    gang = world.gangs.ids.index("monte")
    before = int(world.members()[gang])
    world.params.jail.release_rate = 1.0
    rows = _jail_some(world, gang, 4)  # not read since: the index still holds them
    jail.run(world, world.params, world.rng)
    assert world.members()[gang] == before
    _jail_some(world, gang, 4)
    assert world.members()[gang] == before - 4  # read: the index dropped them
    jail.run(world, world.params, world.rng)
    world.members_changed()  # the index is built again from its candidates
    assert world.members()[gang] == before
    assert len(np.unique(world.member_index()[0])) == len(world.member_index()[0])
    assert (world.ind.status[rows] == Status.MEMBER).all()
