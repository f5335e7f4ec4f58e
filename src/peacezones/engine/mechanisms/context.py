"""M19 Context drivers: emigration, the economy and hardship, as dated series of the scenario.

OVV attributes part of Venezuela's post-2016 decline in violent deaths to the departure of
millions, mostly young, and to an economy with less to steal (shared/data, ``ovv``); the
series are the scenario's data with their sources, not the state's decisions. Each step:

- **economy**: ``world.economy`` is the series' value now over its value at the start;
  illicit takings (extortion, drug sales, the loot that supports local armed groups) move
  with it by ``context.loot_elasticity`` (M3, M18);
- **emigration**: the people abroad beyond the start's stock are taken out of the places
  in proportion to their population, ``context.young_emigrant_share`` of them from the
  young in hardship (so the pool of recruits thins out faster than the population), and
  members of local armed groups leave at the young's rate times
  ``context.member_emigration``;
- **hardship**: the share of residents in hardship (income poverty) follows the series:
  civilians enter or leave hardship by chance, so the pool of young recruits (M4, M18)
  grows or thins, and the armed youths a place's loot supports move with the share by
  ``context.hardship_elasticity`` (M18: the poorer the young, the less a band must offer
  them). Emigration and hardship are read every fourth step (about monthly).
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from ...scenario.schema import Driver, Series
from ..actions import emigrate, local_fates
from ..population import Status
from ..rng import binomial
from ..world import PRISON, World

PARAMETERS = {
    "context": (
        "loot_elasticity",
        "hardship_elasticity",
        "young_emigrant_share",
        "member_emigration",
    )
}
EMIGRATION_STEPS = 4
"""Emigrants leave every fourth step (about monthly), in the numbers due by then."""


def series(world: World, driver: Driver) -> Series | None:
    """The scenario's series for ``driver``, if it has one."""
    for s in world.scenario.context:
        if s.driver == driver:
            return s
    return None


def loot(world: World, p: SimpleNamespace) -> float:
    """How illicit takings compare with the start's, by the economy (1 without a series)."""
    return world.economy**p.context.loot_elasticity


def run(world: World, p: SimpleNamespace, rng: np.random.Generator) -> None:
    economy = _values(world, Driver.ECONOMY)
    if economy is not None:
        world.economy = economy[world.step] / economy[0]
    due = world.step % EMIGRATION_STEPS == 0 or world.step == len(world.dates) - 1
    poverty = _values(world, Driver.HARDSHIP)
    if poverty is not None and due and world.step > 0:
        _hardship(world, poverty[world.step], rng)
    abroad = _values(world, Driver.EMIGRATION)
    if abroad is not None and due:
        _emigrate(world, p, abroad[world.step] - abroad[0])


def _values(world: World, driver: Driver) -> list[float] | None:
    """The scenario's series for ``driver`` on each date of the run (None without one),
    worked out on first use."""
    if driver not in world.drivers:
        s = series(world, driver)
        world.drivers[driver] = None if s is None else [s.at(day) for day in world.dates]
    return world.drivers[driver]


def supply(world: World, p: SimpleNamespace) -> float:
    """How many more armed youths the same loot supports than at the start, by the share
    of residents in hardship: ``(hardship / hardship at the start) ^ hardship_elasticity``
    (1 without a series). The poorer the young, the less a band must offer them (M18)."""
    if world.hardship_start <= 0:
        return 1.0
    return (world.hardship / world.hardship_start) ** p.context.hardship_elasticity


def _hardship(world: World, share: float, rng: np.random.Generator) -> None:
    """Bring the share of residents in hardship to ``share``: civilian records enter (or
    leave) hardship by chance, each with the same probability, so that the expected share
    is the series' (measured on the residents now, whom emigration and recruitment thin
    selectively); the young among them join (or leave) the pool of recruits. Inmates of
    a prison keep the state they came in with."""
    civ = world.civ
    world.hardship = share
    free = world.kind != PRISON
    people = world.civilians[free].sum()
    if people == 0:
        return
    now = world.hardship_people[free].sum() / people
    if now == share:
        return
    entering = share > now
    live = civ.weight > 0
    live &= world.outside_prison
    candidates = np.flatnonzero(live & (civ.hardship != entering))
    chance = (share - now) / (1.0 - now) if entering else (now - share) / now
    n = int(rng.binomial(len(candidates), min(chance, 1.0)))
    records = candidates[rng.choice(len(candidates), n, replace=False)]
    civ.hardship[records] = entering
    world.hardship_changed(records, entering)


def _emigrate(world: World, p: SimpleNamespace, gone: float) -> None:
    """Bring the emigrants of each place up to its share of those gone since the start.
    Inmates do not leave the country: the emigrants are shared among the other places."""
    c = p.context
    free = world.kind != PRISON
    share = min(max(gone, 0.0) / max(world.population[free].sum(), 1), 1.0)
    due = np.floor(share * world.population * free).astype(np.int64) - world.emigrated
    due = np.clip(due, 0, world.civilians)
    if due.sum() <= 0:
        return
    pool = world.recruitable_people.copy()
    young = np.minimum(np.rint(due * c.young_emigrant_share).astype(np.int64), pool)
    done = emigrate(world, young, world.recruitable)
    done += emigrate(world, np.minimum(due - done, world.civilians), None)
    world.count_all("emigrants", done)
    hazard = np.divide(young, pool, out=np.zeros(world.n_places), where=pool > 0)
    leaving = binomial(world.rng, world.local, np.minimum(hazard * c.member_emigration, 1.0))
    (rows,) = local_fates(world, leaving, (Status.EMIGRATED,))
    world.count("emigrants", world.ind.place[rows])
