"""M7 Expansion: a gang that expects impunity pushes into its neighbours."""

from __future__ import annotations

import numpy as np

from peacezones.engine import prepare
from peacezones.engine.actions import strength
from peacezones.engine.mechanisms import expansion
from peacezones.engine.step import step
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
