"""M11 Crackdown regimes: lethal raids on poor neighbourhoods.

Seed 001: the OLP was "an anti-crime policy that saw criminals exterminated in poor
neighborhoods". A crackdown (scheduled by the state) raids its places each week: members
and residents are killed and jailed, which costs the state the residents' trust (M16). An
occupation with proximity policing stays, arrests, and rebuilds trust.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from ..raids import raid
from ..world import OpKind, World

PARAMETERS = {"crackdown": ("proximity_trust",)}


def run(world: World, p: SimpleNamespace, rng: np.random.Generator) -> None:
    for op in world.operations:
        if op.kind not in (OpKind.CRACKDOWN, OpKind.OCCUPATION):
            continue
        for place in op.places:
            raid(world, op, int(place), p)
        if op.proximity:
            world.trust[op.places] += p.crackdown.proximity_trust * (1.0 - world.trust[op.places])
