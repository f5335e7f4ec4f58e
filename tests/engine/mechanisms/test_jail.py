"""M23 Jail: the jailed are let out; most gang members go back to their gang."""

from __future__ import annotations

import numpy as np

from peacezones.engine import prepare
from peacezones.engine.actions import local_fates, set_status
from peacezones.engine.events import KIND_CODE, Kind
from peacezones.engine.mechanisms import jail, leaders
from peacezones.engine.population import NO_GANG, Status
from peacezones.scenario.schema import Engine
from tests.engine import helpers as h


def _jail_some(world, gang: int, n: int) -> np.ndarray:
    """Jail ``n`` members of ``gang``, arrested away from home."""
    rows = world.gang_rows(gang)[:n]
    world.ind.place[rows] = world.place_ids.index("autopista")
    set_status(world, rows, Status.JAILED)
    return rows


def _everyone_out(world, rejoin: float = 1.0) -> None:
    world.params.jail.release_rate = 1.0
    world.params.jail.rejoin_share = rejoin
    jail.run(world, world.params, world.rng)


def test_a_member_let_out_goes_back_to_his_gang_and_then_home() -> None:
    world = prepare(h.toy(), seed=0, scale=h.SCALE)
    gang = world.gangs.ids.index("monte")
    before = int(world.members()[gang])
    rows = _jail_some(world, gang, 5)
    assert world.members()[gang] == before - 5
    _everyone_out(world)
    assert (world.ind.status[rows] == Status.MEMBER).all()
    assert (world.ind.gang[rows] == gang).all()
    away = world.place_ids.index("autopista")
    assert (world.ind.place[rows] == away).all()  # out where he was arrested
    assert world.members()[gang] == before
    world.params.leaders.member_return_rate = 1.0  # M15 brings him home
    leaders.run(world, world.params, world.rng)
    assert (world.ind.place[rows] == world.gangs.home[gang]).all()
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
    _everyone_out(world)
    assert (world.ind.status[rows] == Status.CIVILIAN).all()
    assert (world.ind.gang[rows] == NO_GANG).all()
    assert world.members()[gang] == left  # nobody rejoined


def test_members_who_do_not_go_back_and_jailed_band_members_leave_as_civilians() -> None:
    world = prepare(h.toy(), seed=0, scale=h.SCALE)
    gang = world.gangs.ids.index("monte")
    left = int(world.members()[gang]) - 4
    rows = _jail_some(world, gang, 4)
    band = np.flatnonzero(world.local > 0)[0]
    counts = np.zeros(world.n_places, np.int64)
    counts[band] = 3
    (locals_,) = local_fates(world, counts[None, :], (Status.JAILED,))
    assert len(locals_) == 3
    assert (world.ind.jailed() == np.sort(np.concatenate([rows, locals_]))).all()
    _everyone_out(world, rejoin=0.0)
    out = np.concatenate([rows, locals_])
    assert (world.ind.status[out] == Status.CIVILIAN).all()
    assert (world.ind.gang[out] == NO_GANG).all()
    assert world.members()[gang] == left
    assert world.ind.jailed().size == 0


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
    rows = _jail_some(world, gang, 4)  # not read since: the index still holds them
    _everyone_out(world)
    assert world.members()[gang] == before
    _jail_some(world, gang, 4)
    assert world.members()[gang] == before - 4  # read: the index dropped them
    _everyone_out(world)
    world.members_changed()  # the index is built again from its candidates
    assert world.members()[gang] == before
    assert len(np.unique(world.member_index()[0])) == len(world.member_index()[0])
    assert (world.ind.status[rows] == Status.MEMBER).all()


def _leader_after_release(prepare_world) -> tuple[int, list[str]]:
    """Monte's leader, jailed some weeks ago, after every jailed person is let out: his
    state and the gangs told as taking a leader back."""
    from peacezones.engine.world import LeaderState

    world = prepare(h.toy(), seed=0, scale=h.SCALE)
    monte = world.gangs.ids.index("monte")
    world.step = 10
    world.gangs.leader[monte], world.gangs.leader_since[monte] = LeaderState.JAILED, 5
    prepare_world(world, monte)
    _everyone_out(world)
    told = [
        world.gangs.ids[a]
        for k, a in zip(world.events.kind, world.events.actor, strict=True)
        if k == KIND_CODE[Kind.LEADER_RELEASED]
    ]
    return int(world.gangs.leader[monte]), told


def test_a_captured_leader_comes_back_to_a_leaderless_gang() -> None:
    from peacezones.engine.world import LeaderState

    assert _leader_after_release(lambda w, g: None) == (LeaderState.ACTIVE, ["monte"])


def test_a_leader_stays_in_jail_once_succeeded_hunted_just_caught_or_commanding() -> None:
    from peacezones.engine.world import PRISON, LeaderState, Operation, OpKind

    def succeeded(world, gang):  # M15 finds a successor first: the old claim is gone
        world.params.leaders.successor_rate = 1.0
        leaders.run(world, world.params, world.rng)

    def hunted(world, gang):
        home = world.gangs.home[gang]
        world.operations.append(Operation(OpKind.TARGETED, np.array([home]), 100, 4, 0.3, gang))

    def just_caught(world, gang):
        world.gangs.leader_since[gang] = world.step

    def commanding(world, gang):  # jailed in a prison his gang holds: not lost, not let out
        world.kind[world.place_ids.index("cuartel")] = PRISON
        world.controller[world.place_ids.index("cuartel")] = gang

    state, told = _leader_after_release(succeeded)
    assert state == LeaderState.ACTIVE  # the successor, not the old leader
    assert told == []
    for case in (hunted, just_caught, commanding):
        assert _leader_after_release(case) == (LeaderState.JAILED, []), case.__name__


def test_a_killed_leader_stays_dead() -> None:
    from peacezones.engine.world import LeaderState

    world = prepare(h.toy(), seed=0, scale=h.SCALE)
    menor = world.gangs.ids.index("menor")
    world.gangs.leader[menor] = LeaderState.DEAD
    _everyone_out(world)
    assert world.gangs.leader[menor] == LeaderState.DEAD
