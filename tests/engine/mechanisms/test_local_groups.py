"""M18 local armed groups: markets, fights, consolidation, absorption (paired seeds)."""

from __future__ import annotations

import numpy as np

from peacezones.engine import prepare
from peacezones.engine.mechanisms import local_groups
from peacezones.engine.step import step
from peacezones.scenario.schema import Engine
from tests.engine import helpers as h


def test_a_richer_market_holds_more_bands_and_they_kill_more() -> None:
    rich = h.runs(h.variant({"local.capacity_per_1000": 8.0}))
    poor = h.runs(h.variant({"local.capacity_per_1000": 2.0}))
    assert h.final(rich, "local_members") > h.final(poor, "local_members")
    assert h.total(rich, "homicides_by_local_groups") > h.total(poor, "homicides_by_local_groups")


def test_killings_grow_faster_than_the_bands() -> None:
    # fights grow with the bands' density, so twice the bands kill more than twice as many
    double = h.runs(h.variant({"local.capacity_per_1000": 8.0}))
    single = h.runs(h.variant({"local.capacity_per_1000": 4.0}))
    ratio = h.total(double, "homicides_by_local_groups") / h.total(
        single, "homicides_by_local_groups"
    )
    members = h.final(double, "local_members") / h.final(single, "local_members")
    assert ratio > members


def test_a_gang_holding_a_place_keeps_bands_out() -> None:
    held = {"local.consolidation": 0.9}
    loose = {"local.consolidation": 0.0}
    # norte holds barrio_norte from the start
    a, b = h.runs(h.variant(held)), h.runs(h.variant(loose))
    assert h.final(a, "local_members", "barrio_norte") < h.final(b, "local_members", "barrio_norte")
    assert h.total(a, "homicides_by_local_groups", "barrio_norte") < h.total(
        b, "homicides_by_local_groups", "barrio_norte"
    )


def test_gangs_absorb_the_bands_of_the_places_they_hold() -> None:
    # without routine confrontations, which also thin the gangs
    calm = Engine(mechanisms_off=("force",))
    absorbing = h.runs(h.variant({"local.absorption_rate": 0.01}, engine=calm))
    closed = h.runs(h.variant({"local.absorption_rate": 0.0}, engine=calm))
    assert h.final(absorbing, "members", gang="norte") > h.final(closed, "members", gang="norte")


def test_switched_off_there_are_no_bands() -> None:
    off = h.runs(h.variant(engine=Engine(mechanisms_off=("local_groups",))))
    assert h.total(off, "homicides_by_local_groups") == 0
    assert h.final(off, "local_members") == 0


def test_the_bands_start_settled_and_their_count_matches_their_rows() -> None:
    world = prepare(h.toy(), seed=1, scale=h.SCALE)
    start = world.local.copy()
    assert start.sum() > 0
    for t in range(52):
        world.step = t
        step(world)
    rows, places = world.local_rows()
    assert (world.ind.status[rows] == 5).all()
    assert (world.ind.place[rows] == places).all()
    assert (np.bincount(places, minlength=world.n_places) == world.local).all()
    assert np.all(np.diff(places) >= 0)
    # a settled start: a year later the bands are within a third of where they began
    assert abs(world.local.sum() - start.sum()) < start.sum() / 3
    assert (local_groups.capacity(world, world.params) >= 0).all()


def test_a_place_where_bands_took_root_more_densely_holds_more_of_them() -> None:
    """A place's ``band_density`` (its region's level before the period, data) scales the
    bands its market supports there, and the killings they do; other places keep theirs
    but for what the bands spill (so their sum is compared with the place alone)."""

    def dense(level: float) -> list[dict]:
        places = [p.model_dump() for p in h.toy().places]
        for place in places:
            if place["id"] == "centro":
                place["band_density"] = level
                place["assumed"] = {**place["assumed"], "band_density": "a test"}
        return places

    world = prepare(h.variant(places=dense(2.0)), seed=0, scale=h.SCALE)
    centro = list(world.place_ids).index("centro")
    assert world.band_density[centro] == 2.0
    assert (np.delete(world.band_density, centro) == 1.0).all()
    denser = local_groups.capacity(world, world.params)
    world.band_density[:] = 1.0
    baseline = local_groups.capacity(world, world.params)
    assert denser[centro] == 2.0 * baseline[centro]
    assert (np.delete(denser, centro) == np.delete(baseline, centro)).all()
    a, b = h.runs(h.variant(places=dense(2.0))), h.runs(h.toy())
    assert h.final(a, "local_members", "centro") > h.final(b, "local_members", "centro")
    assert h.total(a, "homicides_by_local_groups", "centro") > h.total(
        b, "homicides_by_local_groups", "centro"
    )
