"""M7 Expansion: a gang that expects impunity pushes into its neighbours."""

from __future__ import annotations

import copy

import numpy as np

from peacezones.engine import prepare
from peacezones.engine.actions import strength
from peacezones.engine.mechanisms import expansion
from peacezones.engine.step import step
from peacezones.engine.world import CONDITIONS, World
from peacezones.scenario.schema import Condition
from tests.engine import helpers as h


def test_belief_in_impunity_lowers_the_resistance_a_gang_expects() -> None:
    world = prepare(h.toy(), seed=0, scale=h.SCALE)
    for t in range(20):
        world.step = t
        step(world)
    members_at = world.members_at()
    power = strength(world, members_at)

    def scores(belief: float) -> np.ndarray:
        world.gangs.belief[:] = belief
        return expansion._scores(world, members_at, power, world.params)

    bold, wary = scores(0.9), scores(0.0)
    policed = (world.police > 0)[None, :] & (wary > 0)
    assert policed.any()
    assert (bold[policed] > wary[policed]).all()
    assert (bold[~policed] == wary[~policed]).all()  # where no police stand, belief is moot


def test_local_bands_stand_in_the_way_of_a_takeover() -> None:
    world = prepare(h.toy(), seed=0, scale=h.SCALE)
    members_at = world.members_at()
    power = strength(world, members_at)
    with_bands = expansion._scores(world, members_at, power, world.params)
    world.local[:] = 0
    without = expansion._scores(world, members_at, power, world.params)
    assert (without >= with_bands).all()
    assert (without > with_bands).any()


def test_time_in_a_zone_teaches_a_gang_impunity() -> None:
    with_zone = h.runs(h.toy())
    without = h.runs(h.variant(schedule=h.decisions("declare_zone")))
    peak = max(
        r.series.query("variable == 'belief' and gang == 'norte'")["value"].max() for r in with_zone
    )
    peak_without = max(
        r.series.query("variable == 'belief' and gang == 'norte'")["value"].max() for r in without
    )
    assert peak > peak_without


def test_alliances_form_between_neighbours() -> None:
    gangs = [g.model_dump() for g in h.toy().gangs]
    gangs[2]["home"], gangs[2]["territory"] = "barrio_sur", []  # monte next door to norte
    friendly = h.runs(h.variant({"expansion.alliance_rate": 0.01}, gangs=gangs))
    aloof = h.runs(h.variant({"expansion.alliance_rate": 0.0005}, gangs=gangs))
    assert h.events(friendly, "alliance") > h.events(aloof, "alliance")


def _utility(world: World, gang: int, **values: float) -> np.ndarray:
    p = copy.deepcopy(world.params)
    for name, value in values.items():
        setattr(p.expansion, name, value)
    members_at = world.members_at()
    score = expansion._scores(world, members_at, strength(world, members_at), p)[[gang]]
    return expansion._utility(world, np.array([gang]), score, members_at, p)[0]


def test_a_gang_weighs_a_place_s_market_and_its_distance() -> None:
    world = prepare(h.toy(), seed=0, scale=h.SCALE)
    norte = world.gangs.ids.index("norte")
    home, centro = world.place_ids.index("barrio_norte"), world.place_ids.index("centro")
    plain = _utility(world, norte, market_weight=0.0, distance_cost=0.0)
    market = _utility(world, norte, market_weight=1.0, distance_cost=0.0)
    far = _utility(world, norte, market_weight=0.0, distance_cost=2.0)
    bigger = np.log(world.watched[centro] / world.watched[home])
    assert np.isclose(market[centro] - plain[centro], bigger)
    assert np.isclose(plain[centro] - far[centro], 2.0 * world.travel[home, centro])


def test_a_gang_splits_its_pushes_between_near_equal_neighbours() -> None:
    """The target is a logit choice, not an argmax: over replicates a gang pushes into
    each of its two neighbours, the more attractive more often."""
    targets: list[str] = []
    for seed in range(40):
        world = prepare(h.toy(), seed=seed, scale=h.SCALE)
        world.params.expansion.attempt_rate = 1.0
        norte = world.gangs.ids.index("norte")
        world.gangs.alive[np.arange(len(world.gangs)) != norte] = False
        expansion.run(world, world.params, world.rng)
        targets += [world.place_ids[place] for gang, place in world.attempts if gang == norte]
    assert len(set(targets)) >= 2
    assert len(targets) < 40  # staying put is an option too


def test_a_gang_keeping_a_pact_s_peace_does_not_push() -> None:
    world = prepare(h.toy(), seed=0, scale=h.SCALE)
    world.params.expansion.attempt_rate = 1.0
    world.gangs.keeps[:, CONDITIONS.index(Condition.KEEP_PEACE)] = True
    expansion.run(world, world.params, world.rng)
    assert not world.attempts


def test_an_alliance_is_worth_less_to_a_gang_that_could_take_its_ally_s_places() -> None:
    """Alliances rest on interest: a gang that grows far stronger than its ally values it
    less (it could take the ally's places by force); one under threat values it more."""
    world = prepare(h.toy(), seed=0, scale=h.SCALE)
    p = world.params
    norte, menor = world.gangs.ids.index("norte"), world.gangs.ids.index("menor")
    members_at = world.members_at()
    reach = world.neighbours(members_at > 0) | (members_at > 0)

    def worth(power: np.ndarray) -> float:
        return float(expansion.alliance_worth(world, power, reach, p)[norte, menor])

    power = strength(world, members_at)
    stronger = power.copy()
    stronger[norte] *= 10
    assert worth(stronger) < worth(power)
    world.police[:] = world.police * 10  # the state bears down around them
    threatened = float(expansion.alliance_worth(world, power, reach, p)[norte, menor])
    world.police[:] = 0
    calm = float(expansion.alliance_worth(world, power, reach, p)[norte, menor])
    assert threatened > calm


def test_allies_part_when_nothing_around_them_makes_the_alliance_worth_keeping() -> None:
    ended = 0
    for seed in range(20):
        world = prepare(h.toy(), seed=seed, scale=h.SCALE)
        world.params.expansion.alliance_rate = 1.0
        norte, menor = world.gangs.ids.index("norte"), world.gangs.ids.index("menor")
        g = world.gangs
        g.rival[:] = False
        g.allied[norte, menor] = g.allied[menor, norte] = True
        world.police[:] = 0  # no police and no third gang: an ally helps against nobody
        expansion._alliances(
            world, world.members_at(), strength(world, world.members_at()), world.params, world.rng
        )
        ended += not g.allied[norte, menor]
    assert ended > 10
