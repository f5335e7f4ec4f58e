"""M2 Border impunity: pursuits of zone gangs turn back at the border; incursions recalled.

Seed 000: "police chasing them would often turn back as soon as they got near the
border. If security forces did venture inside the Peace Zones in search of suspects, they
were frequently called back by their superiors."
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from ..actions import remove_members
from ..events import Kind
from ..population import Status
from ..rng import binomial
from ..world import World
from . import collusion

PARAMETERS = {"impunity": ("pursuit_rate", "pursuit_arrest", "recall_rate")}


def _terms(world: World) -> tuple[np.ndarray, np.ndarray]:
    """Per gang, from the terms of its home's zone (if any): the chance that a pursuit turns
    back at its border, and whether incursions into it are recalled."""
    if "impunity" in world.off:  # switched off: every pursuit goes on, nobody is recalled
        n = len(world.gangs)
        return np.zeros(n), np.zeros(n, bool)
    zones = world.zones  # each array ends with the terms outside any zone (index -1)
    active = np.array([z.active for z in zones] + [False])
    back = np.array([z.turn_back for z in zones] + [0.0], np.float64)
    recall = np.array([bool(z.recall) for z in zones] + [False])
    haven = world.zone_of[world.gangs.home]
    haven = np.where(active[haven], haven, -1)
    return back[haven], recall[haven]


def turn_back(world: World) -> np.ndarray:
    """Per gang, the chance that a pursuit turns back: the terms of its home's zone, if any."""
    return _terms(world)[0]


def expected_costs(world: World, p: SimpleNamespace) -> np.ndarray:
    """Per gang, the chance that a crime outside its territory costs it an arrest (M6)."""
    chased = p.impunity.pursuit_rate * (1.0 - turn_back(world))
    return chased * p.impunity.pursuit_arrest * collusion.arrest_factors(world)


def pursue(
    world: World,
    gang: np.ndarray,
    place: np.ndarray,
    crimes: np.ndarray,
    cause: np.ndarray,
    p: SimpleNamespace,
    rng: np.random.Generator,
) -> None:
    """Pursuits after ``crimes[i]`` by ``gang[i]`` at ``place[i]`` (caused by event
    ``cause[i]``): some end at the border of the gang's zone; the rest may catch members."""
    q = p.impunity
    back_chance, recall = _terms(world)
    chases = binomial(rng, crimes, q.pursuit_rate)
    abandoned = binomial(rng, chases, back_chance[gang])
    home = world.gangs.home[gang]
    back = abandoned > 0
    world.events.add_many(
        Kind.PURSUIT_ABANDONED, home[back], gang[back], abandoned[back], cause=cause[back]
    )
    world.count("pursuits_abandoned", home[back], abandoned[back])
    asked = back & recall[gang]
    recalled = np.zeros_like(abandoned)
    recalled[asked] = binomial(rng, abandoned[asked], q.recall_rate)
    told = recalled > 0
    world.events.add_many(
        Kind.INCURSION_RECALLED, home[told], gang[told], recalled[told], cause=cause[told]
    )
    caught = binomial(
        rng, chases - abandoned, q.pursuit_arrest * collusion.arrest_factors(world)[gang]
    )
    for i in np.flatnonzero(caught):
        done = remove_members(world, int(gang[i]), None, int(caught[i]), Status.JAILED)
        if done:
            world.events.add(
                Kind.PURSUIT_ARREST, int(place[i]), int(gang[i]), count=done, cause=int(cause[i])
            )
            world.count("arrests", int(place[i]), done)
