"""M16 Residents' responses: victimisation breeds fear and flight; police killings, distrust.

Seed 000 reports residents who live under gang rule and those forced out; OVV's figures
give the violence they live with. Interpersonal violence that no armed actor of the model
commits (quarrels, domestic killings) kills at a residual rate,
``demography.background_homicide_rate``. Fear at a place rises with its killings per
1,000 residents and fades; some of the afraid flee (not the inmates of a prison). Trust
in the state falls with killings by police and recovers slowly. Trust above its initial
level makes residents cooperate (``residents.cooperation``): tips bring more arrests in
confrontations (M22), and fewer young people join gangs (M4) and local armed groups (M18).
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from ..actions import poisson, take_each
from ..events import Kind
from ..population import Status
from ..world import PRISON, World

PARAMETERS = {
    "residents": (
        "initial_trust",
        "fear_per_killing",
        "fear_decay",
        "flight_rate",
        "trust_loss",
        "trust_recovery",
        "cooperation",
    )
}
WEEKS_A_YEAR = 365.25 / 7
HOMICIDES = (
    "homicides_gang_on_gang",
    "homicides_gang_on_civilian",
    "homicides_by_local_groups",
    "homicides_by_police",
    "homicides_other",
)


def cooperation(world: World, p: SimpleNamespace) -> np.ndarray:
    """Per place, how much residents help the state, relative to the start: trust above
    its initial level brings tips (more arrests, M22) and keeps the young from joining
    (M4, M18); distrust does the opposite."""
    r = p.residents
    return np.maximum(1.0 + r.cooperation * (world.trust - r.initial_trust), 0.0)


LEAST_COOPERATION = 0.1
"""Joining is divided by cooperation no lower than this, so that distrust multiplies it by
ten at the most."""


def joining(world: World, p: SimpleNamespace) -> np.ndarray:
    """Per place, the factor on joining gangs and bands: fewer join where residents trust."""
    return 1.0 / np.maximum(cooperation(world, p), LEAST_COOPERATION)


def run(world: World, p: SimpleNamespace, rng: np.random.Generator) -> None:
    r = p.residents
    rate = p.demography.background_homicide_rate / 1e5 / WEEKS_A_YEAR
    dying = poisson(world, world.civilians * rate)  # violence outside the mechanisms
    alive = world.civilians - dying
    thousands = np.maximum(alive, 1) / 1000.0
    killings = sum(world.tally.get(k, 0.0) for k in HOMICIDES) + dying
    world.fear = world.fear * (1.0 - r.fear_decay) + r.fear_per_killing * killings / thousands
    fleeing = poisson(world, r.flight_rate * world.fear * alive * (world.kind != PRISON))
    killed, fled = take_each(world, np.stack([dying, fleeing]), (Status.DEAD, Status.DISPLACED))
    world.events.add_counts(Kind.HOMICIDE_OTHER, killed)
    world.count_all("homicides_other", killed)
    world.events.add_counts(Kind.DISPLACEMENT, fled)
    world.count_all("displaced", fled)
    by_police = world.tally.get("homicides_by_police", np.zeros(world.n_places))
    world.trust *= np.exp(-r.trust_loss * by_police / thousands)
    world.trust += r.trust_recovery * (r.initial_trust - world.trust)
