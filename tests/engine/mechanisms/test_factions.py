"""M21 Factions: a contested succession splits a gang; local bands found new gangs."""

from __future__ import annotations

import numpy as np
import pytest

from peacezones.engine import prepare
from peacezones.engine.events import KIND_CODE, Kind
from peacezones.engine.mechanisms import conflict, factions, leaders
from peacezones.engine.world import Flow, LeaderState, gang_slots
from tests.engine import helpers as h


def _world(parameters: dict[str, float] | None = None, seed: int = 0):
    """The toy's first day, with M21's parameters set past their ranges if need be."""
    world = prepare(h.toy(), seed=seed, scale=h.SCALE)
    for key, value in (parameters or {}).items():
        group, name = key.split(".")
        setattr(getattr(world.params, group), name, value)
    return world


def _succeed(world, gang: int) -> None:
    """The gang's leader dies and a successor takes over at once (M15)."""
    world.gangs.leader[gang] = LeaderState.DEAD
    world.params.leaders.successor_rate = 1.0
    world.params.leaders.leaderless_exit = 0.0
    leaders.run(world, world.params, world.rng)
    assert world.gangs.leader[gang] == LeaderState.ACTIVE


def test_slots_follow_the_named_gangs_and_never_lived_slots_leave_no_rows() -> None:
    slots = gang_slots(h.toy())
    assert [s.id for s in slots] == ["faction_1", "faction_2", "new_gang_1", "new_gang_2"]
    world = prepare(h.toy(), seed=0, scale=h.SCALE)
    assert world.gangs.ids[3:] == [s.id for s in slots]
    assert not world.gangs.alive[3:].any()
    assert world.gangs.alive[:3].all()
    result = h.runs(h.variant({"factions.formation_rate": 0.0, "factions.split_half": 2000.0}))
    gangs = set(result[0].series["gang"].astype(str)) - {""}
    assert gangs <= {"norte", "menor", "monte", "faction_1", "faction_2"}


def test_a_large_gang_whose_leader_is_replaced_splits_into_rival_factions() -> None:
    split = 0
    for seed in range(20):
        world = _world({"factions.split_half": 50.0}, seed)  # norte (120) splits 70% of the time
        norte = world.gangs.ids.index("norte")
        before = world.members()[norte]
        weapons = world.gangs.weapons[norte]
        _succeed(world, norte)
        factions.run(world, world.params, world.rng)
        slot = world.gangs.ids.index("faction_1")
        if not world.gangs.alive[slot]:
            assert world.members()[norte] == before
            continue
        split += 1
        members = world.members()
        assert members[norte] + members[slot] == before  # no one lost, no one made
        flows = world.gangs.flows  # counted as gone from one and come to the other
        assert flows[norte, Flow.SPLIT_OFF] == flows[slot, Flow.JOINED] == members[slot]
        assert 0 < members[slot] < before
        assert np.isclose(world.gangs.weapons[norte] + world.gangs.weapons[slot], weapons)
        assert world.gangs.rival[slot, norte]
        assert conflict.hostility(world)[slot, norte]
        assert world.gangs.extortion[slot]
        assert not world.gangs.political[slot]
        assert world.events.kind[-1] == KIND_CODE[Kind.GANG_SPLIT]
    assert 8 <= split <= 20


def test_a_small_gang_rarely_splits_and_a_slot_is_used_once_only() -> None:
    splits = 0
    for seed in range(20):
        world = _world({"factions.split_half": 2000.0}, seed)  # menor (20): about 1%
        menor = world.gangs.ids.index("menor")
        _succeed(world, menor)
        factions.run(world, world.params, world.rng)
        splits += world.gangs.alive[world.gangs.ids.index("faction_1")]
    assert splits <= 2
    world = _world({"factions.split_half": 1.0})  # always, while a slot is free
    norte = world.gangs.ids.index("norte")
    for _ in range(4):
        _succeed(world, norte)
        factions.run(world, world.params, world.rng)
    g = world.gangs
    assert g.alive[g.faction].sum() == 2  # the two faction slots, no more
    assert (g.parent[g.faction] >= 0).all()
    assert not g.alive[g.slot & ~g.faction].any()


def test_bands_unite_into_a_new_gang_only_where_no_gang_is() -> None:
    world = _world({"factions.formation_rate": 1.0, "factions.founders": 10.0})
    present = world.members_at().sum(axis=0) > 0
    local = world.local.copy()
    factions.run(world, world.params, world.rng)
    new = [world.gangs.ids.index(s) for s in ("new_gang_1", "new_gang_2")]
    new = [g for g in new if world.gangs.alive[g]]
    assert new
    homes = world.gangs.home[new]
    assert not present[homes].any()
    assert (local[homes] > 0).all()
    members = world.members()[new]
    assert (members == np.minimum(10, local[homes])).all()
    assert (world.local[homes] == local[homes] - members).all()
    assert (world.gangs.weapons[new] == members).all()


def test_no_new_gang_forms_at_rate_zero_and_factions_can_be_switched_off() -> None:
    quiet = h.runs(h.variant({"factions.formation_rate": 0.0}))
    assert h.events(quiet, "gang_formed") == 0
    # gangs that seldom push out leave some places to the bands alone
    busy = {"factions.formation_rate": 0.002, "expansion.attempt_rate": 0.005}
    off = h.runs(h.variant(busy, engine={"mechanisms_off": ["factions"]}))
    assert h.events(off, "gang_formed") + h.events(off, "gang_split") == 0
    assert h.events(h.runs(h.variant(busy)), "gang_formed") > 0


def test_a_scenario_gang_may_not_take_the_id_of_a_slot() -> None:
    from peacezones.scenario import ScenarioError

    gangs = [g.model_dump() for g in h.toy().gangs]
    gangs[1]["id"] = "faction_1"
    for g in gangs:
        g["rivals"] = [r if r != "menor" else "faction_1" for r in g.get("rivals", [])]
    with pytest.raises(ScenarioError, match=r"gangs\[1\]\.id: found 'faction_1'"):
        h.variant(gangs=gangs)
