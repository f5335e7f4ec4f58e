"""The places benchmark's synthetic world: the toy copied k times is a valid scenario."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

from peacezones.engine import prepare
from peacezones.engine.step import step
from places import copied


def test_copies_are_one_connected_world_that_runs() -> None:
    one, three = copied(1), copied(3)
    assert len(three.places) == 3 * len(one.places)
    assert len(three.gangs) == 3 * len(one.gangs)
    assert len(three.schedule) == 3 * len(one.schedule)
    assert len(three.edges) == 3 * len(one.edges) + 2  # each copy joined to the next
    world = prepare(three, seed=0, scale=0.01)
    for t in range(3):
        world.step = t
        step(world)
    assert world.local.sum() > 0
