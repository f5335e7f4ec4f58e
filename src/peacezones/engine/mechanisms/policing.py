"""Officers present at each place this step: patrols, zone suspensions and operations."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from ..world import PRISON, World

PARAMETERS: dict[str, tuple[str, ...]] = {}


def run(world: World, p: SimpleNamespace, rng: np.random.Generator) -> None:
    police = world.base_police * world.patrol_level
    firing = world.base_firing * world.patrol_level  # as readily as each unit opens fire
    for zone in world.zones:
        if zone.active and zone.suspend_police:
            police[zone.places] = 0.0
            firing[zone.places] = 0.0
    for op in world.operations:
        police[op.places] += op.officers / len(op.places)
        firing[op.places] += op.officers / len(op.places)
    # guards and inmates do not meet as patrols meet armed people on the street: a prison
    # sees no routine confrontations (M22), only the raids of an operation sent there
    firing[world.kind == PRISON] = 0.0
    world.police = police
    world.firing = firing


def per_thousand(world: World) -> np.ndarray:
    """Officers per 1,000 residents; on corridors, per 1,000 vehicles a day (those present)."""
    return world.police / world.watched
