"""M18 Local armed groups: the many small bands of each place that no scenario lists.

Seed 000 speaks of "a number of gangs" preying on the Troncal 9; OVV counts tens of
thousands of violent deaths a year that the few gangs a scenario names cannot make. Each
place has one aggregate actor: its local armed groups, whose members are residents (rows
with status ``LOCAL``) recruited from the young in hardship. Each step:

- **Market**: the place's loot supports ``capacity`` armed youths:
  ``local.capacity_per_1000`` per 1,000 residents in a dense city (times the place's
  ``band_density``, 1 unless the scenario gives its region's level), fewer in the
  countryside (``local.rural_capacity`` at the most rugged), fewer where more police
  patrol (``local.police_deterrence`` per officer per 1,000 residents, as an exponent),
  scaled by the economy and by the share of residents in hardship (M19). Where one gang
  holds the place uncontested it keeps most bands out (``local.consolidation``) and
  absorbs some of their members
  (``local.absorption_rate``): OVV's "criminal peace" of territorial control.
- **Joining and leaving**: young residents in hardship fill a share ``local.join_rate``
  of the gap between capacity and members each week, in proportion to the pool of such
  youths left, as a share of the start's (emigration thins it, M19; where hardship has
  swelled it, its supply acts on capacity instead); members quit at ``local.exit_rate``.
- **Violence**: members rob and kill (``local.robbery_killings`` a member-week) and the
  bands fight one another, more often the denser they are among the residents
  (``local.fight_killings`` a member-week per member per 1,000 residents) and the more so
  where gangs contest the place (``local.contest_factor``); a share
  ``local.fight_member_share`` of those killed in fights are members, the rest bystanders.

Counts are drawn per place and then assigned to individuals, so the work grows with the
number of places and of people touched, not with the population.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from ..actions import harm_civilians, local_fates, poisson, take
from ..events import Kind
from ..population import Status
from ..rng import binomial
from ..world import CONTESTED, World
from . import context, policing, residents

PARAMETERS = {
    "local": (
        "capacity_per_1000",
        "rural_capacity",
        "police_deterrence",
        "join_rate",
        "exit_rate",
        "robbery_killings",
        "fight_killings",
        "fight_member_share",
        "contest_factor",
        "consolidation",
        "absorption_rate",
    )
}


def capacity(world: World, p: SimpleNamespace) -> np.ndarray:
    """Armed youths the loot of each place supports now."""
    lg = p.local
    terrain = 1.0 - (1.0 - lg.rural_capacity) * world.ruggedness
    held = (world.controller >= 0) * lg.consolidation
    k = lg.capacity_per_1000 / 1000.0 * world.civilians * terrain * (1.0 - held)
    k = k * world.band_density  # regions where bands took root more densely (data)
    deterred = np.exp(-lg.police_deterrence * policing.per_thousand(world))
    return k * deterred * context.loot(world, p) * context.supply(world, p)


def density(world: World, armed: np.ndarray) -> np.ndarray:
    """Armed people per 1,000 of those the place's police watch over (residents)."""
    return armed / world.watched


def seed(world: World, p: SimpleNamespace) -> None:
    """The bands on the first day, at the level where joining balances leaving and dying
    (in fights and at the hands of routine policing) in each place's market."""
    lg, f = p.local, p.force
    k = capacity(world, p)
    police = f.confrontation_rate * world.police / world.watched  # per member-week
    fall = f.suspect_lethality * (1.0 - f.bystander_share)
    lost = police * (fall + (1.0 - f.suspect_lethality) * f.arrest_share)
    settled = k.copy()
    for _ in range(30):  # a fixed point: deaths in fights grow with the members
        dying = lg.fight_member_share * lg.fight_killings * density(world, settled)
        settled = k * lg.join_rate / (lg.join_rate + lg.exit_rate + dying + lost)
    take(world, np.rint(settled).astype(np.int64), world.recruitable, Status.LOCAL)


def run(world: World, p: SimpleNamespace, rng: np.random.Generator) -> None:
    lg = p.local
    # the pool left, as a share of the start's: emigration thins it (M19); where hardship
    # has swelled it the bands fill no faster, as its supply already acts on capacity
    pool = np.divide(
        world.recruitable_people,
        world.recruitable_start,
        out=np.zeros(world.n_places),
        where=world.recruitable_start > 0,
    )
    pool = np.minimum(pool, 1.0)
    gap = np.maximum(capacity(world, p) - world.local, 0.0)
    willing = pool * residents.joining(world, p)  # M16: trust deters
    joined = take(
        world, poisson(world, lg.join_rate * gap * willing), world.recruitable, Status.LOCAL
    )
    world.count_all("local_recruits", joined)
    _violence_and_exits(world, p, rng)


def _violence_and_exits(world: World, p: SimpleNamespace, rng: np.random.Generator) -> None:
    """Robberies and fights among the bands kill members and bystanders; members quit;
    in a place a gang holds, some join that gang instead. One draw of members for all."""
    lg, local = p.local, world.local
    contested = np.where(world.controller == CONTESTED, lg.contest_factor, 1.0)
    fights = poisson(world, lg.fight_killings * local * density(world, local) * contested)
    robberies = poisson(world, lg.robbery_killings * local)
    members = np.minimum(binomial(rng, fights, lg.fight_member_share), local)
    quit_ = binomial(rng, local - members, lg.exit_rate)
    held = world.controller >= 0
    absorbed = binomial(rng, local - members - quit_, lg.absorption_rate * held)
    fates = (Status.DEAD, Status.CIVILIAN, Status.MEMBER)
    _, _, joined = local_fates(world, np.stack([members, quit_, absorbed]), fates)
    bystanders = harm_civilians(world, fights - members + robberies, Status.DEAD)
    killed = members + bystanders
    world.count_all("homicides_by_local_groups", killed)
    world.events.add_counts(Kind.HOMICIDE_LOCAL, killed)
    if len(joined):
        _join(world, joined)


def _join(world: World, rows: np.ndarray) -> None:
    """Band members absorbed by the gang that holds their place."""
    place = world.ind.place[rows]
    world.ind.gang[rows] = world.controller[place]
    world.members_changed(joined=rows)
    gang = world.controller[place].astype(np.int64)
    cells = np.bincount(gang * world.n_places + place, minlength=len(world.gangs) * world.n_places)
    flat = np.flatnonzero(cells)
    world.events.add_many(
        Kind.RECRUITMENT, flat % world.n_places, flat // world.n_places, cells[flat]
    )
