"""M21 Factions: a disputed succession splits a gang; local bands found new gangs.

The literature on leader decapitation (Calderón, Robles, Díaz-Cayeros and Magaloni 2015,
*Journal of Conflict Resolution*; Phillips 2015, *Journal of Politics*) finds that
removing a criminal organisation's leader often splits it into factions that fight each
other and their neighbours, the larger organisations more often; seed 001 speaks of
Venezuela's "mega-gangs", bands that grew out of many small ones. Each step:

- **Contests.** A gang whose leader was replaced this step (M15) may split: a lieutenant
  with a following of his own contests the succession. He does (M20, one binary choice)
  with log-odds ``ln(members / factions.split_half)``: a gang of ``split_half`` members
  splits half the time, a larger one more often. His faction takes each member with
  chance ``factions.split_share``, and the same share of the gang's weapons, treasury,
  grievance against the state and record of killings (and of last week's takings and arms
  spending); it keeps the gang's lines of revenue, rural base, police ties and belief in
  impunity, but not its political protection, its alliances or its pact; it is the
  gang's rival. Its members stay where they were, so the two are hostile at every place
  the gang had (M8). Its home is where most of its members are.
- **New gangs.** Where no gang has members, the place's local armed groups (M18) may
  unite under one leader: each week with chance ``factions.formation_rate`` times
  ``L / (L + founders)`` for L band members, so that only a place with many armed youths
  (and so, M18, a market that feeds them) makes a gang. The new gang takes
  ``factions.founders`` of them (all, if fewer), armed, and lives on drug sales and
  extortion (and highway robbery on a corridor).

Gangs that may form are fixed slots of the world (a few factions and a few new gangs:
:func:`..world.gang_slots`); any gang may split, a faction or a new gang too, and when
the slots are used up, no more form.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from ...scenario.schema import PlaceKind
from ..actions import local_fates, member_rows
from ..choice import yes
from ..events import Kind
from ..population import Status
from ..world import Flow, LeaderState, World

PARAMETERS = {"factions": ("split_half", "split_share", "formation_rate", "founders")}

HIGHWAY = list(PlaceKind).index(PlaceKind.HIGHWAY)


def run(world: World, p: SimpleNamespace, rng: np.random.Generator) -> None:
    for gang, event in world.successions:
        _contest(world, gang, event, p, rng)
    world.successions.clear()
    _formation(world, p, rng)


def _free_slot(world: World, faction: bool) -> int:
    """The first slot never used for a faction (or a new gang); -1 if none is left."""
    g = world.gangs
    free = np.flatnonzero(g.slot & (g.faction == faction) & ~g.alive & (g.leader_since < 0))
    return int(free[0]) if free.size else -1


def _contest(
    world: World, gang: int, cause: int, p: SimpleNamespace, rng: np.random.Generator
) -> None:
    f, g = p.factions, world.gangs
    slot = _free_slot(world, faction=True)
    rows = member_rows(world, gang)
    if slot < 0 or len(rows) < 2:
        return
    utility = np.log(len(rows) / f.split_half)
    if not yes(utility, p.decisions.temperature, rng):
        return
    leaving = rows[rng.random(len(rows)) < f.split_share]
    if leaving.size == 0 or leaving.size == len(rows):
        return
    share = leaving.size / len(rows)
    world.flowed(leaving, Flow.SPLIT_OFF)
    world.ind.gang[leaving] = slot
    world.flowed(leaving, Flow.JOINED)
    world.members_changed()
    for name in ("weapons", "treasury", "grievance", "homicides", "revenue", "arming"):
        column = getattr(g, name)
        column[slot], column[gang] = column[gang] * share, column[gang] * (1.0 - share)
    for name in ("drug", "extortion", "highway", "kidnapping", "aid_line", "rural_base", "ties"):
        getattr(g, name)[slot] = getattr(g, name)[gang]
    places = np.bincount(world.ind.place[leaving], minlength=world.n_places)
    home = int(g.home[gang]) if places[g.home[gang]] == places.max() else int(places.argmax())
    _found(world, slot, home, belief=g.belief[gang])
    g.rival[slot, gang] = g.rival[gang, slot] = True
    g.parent[slot] = gang
    world.events.add(Kind.GANG_SPLIT, home, slot, gang, count=leaving.size, cause=cause)


def _formation(world: World, p: SimpleNamespace, rng: np.random.Generator) -> None:
    f = p.factions
    bands = world.local.astype(float)
    empty = (world.members_at().sum(axis=0) == 0) & (bands > 0)
    chance = f.formation_rate * bands / (bands + f.founders) * empty
    for place in np.flatnonzero(rng.random(world.n_places) < chance):
        slot = _free_slot(world, faction=False)
        if slot < 0:
            return
        counts = np.zeros(world.n_places, np.int64)
        counts[place] = min(int(f.founders), int(world.local[place]))
        (rows,) = local_fates(world, counts[None, :], (Status.MEMBER,))
        world.ind.gang[rows] = slot
        world.members_changed(joined=rows)
        g = world.gangs
        g.weapons[slot] = float(rows.size)  # the bands are armed
        g.drug[slot] = g.extortion[slot] = True
        g.highway[slot] = world.kind[place] == HIGHWAY
        _found(world, slot, int(place), belief=world.params.expansion.impunity_prior)
        world.events.add(Kind.GANG_FORMED, int(place), slot, count=rows.size)


def _found(world: World, slot: int, home: int, belief: float) -> None:
    """The slot's gang comes alive at ``home`` under a leader of its own."""
    g = world.gangs
    g.alive[slot], g.home[slot], g.belief[slot] = True, home, belief
    g.leader[slot], g.leader_since[slot] = LeaderState.ACTIVE, world.step
