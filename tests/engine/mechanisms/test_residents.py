"""M16 Residents: killings breed fear, and fear drives people away; police killings, distrust."""

from __future__ import annotations

import numpy as np

from peacezones.engine import prepare
from peacezones.engine.mechanisms import residents
from tests.engine import helpers as h


def _after_killings(killings: float, seed: int = 0):
    world = prepare(h.toy(), seed=seed, scale=h.SCALE)
    world.tally = {
        "homicides_gang_on_civilian": np.zeros(world.n_places),
        "homicides_by_police": np.zeros(world.n_places),
    }
    place = world.place_ids.index("barrio_sur")
    world.tally["homicides_gang_on_civilian"][place] = killings
    world.tally["homicides_by_police"][place] = killings
    residents.run(world, world.params, world.rng)
    return world, place


def test_killings_raise_fear_and_lower_trust() -> None:
    calm, place = _after_killings(0)
    bloody, _ = _after_killings(30)
    assert bloody.fear[place] > calm.fear[place]
    assert bloody.trust[place] < calm.trust[place]


def test_fear_drives_people_away() -> None:
    afraid = h.runs(h.variant({"residents.flight_rate": 0.001}))
    steady = h.runs(h.variant({"residents.flight_rate": 5e-05}))
    assert h.total(afraid, "displaced") > h.total(steady, "displaced")
