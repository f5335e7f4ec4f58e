"""M22 Lethal policing: routine confrontations, under the posture the state chooses.

OVV counted 5,281 of 28,479 violent deaths of 2016 as "resistance to authority", deaths by
police intervention (shared/data, ``ovv``); seed 001 tells of the OLP's raids. Besides
the operations of M10 and M11, officers on ordinary duty meet armed people: each week at
each place there are ``force.confrontation_rate`` confrontations per officer present per
armed person (members of local groups, and gang members, who are met
``force.gang_exposure`` as often) per 1,000 residents, times the
place's use-of-force level (1 for routine policing; a ``use_of_force`` decision of the
schedule sets it, say for a shoot-first campaign), and times how readily each unit at the
place opens fire (its ``use_of_force``: a special-forces unit or a troop deployment may
shoot more readily than the local police). A confrontation kills a suspect with
chance ``force.suspect_lethality``, an officer with ``force.officer_lethality`` times the
firepower of the armed met there, and ends in an arrest with ``force.arrest_share``
(more where residents trust the state and give tips, M16). Of those the police kill, a
share ``force.bystander_share`` were not armed at all. Gang members are hit in proportion to
their numbers, less where political protection (M12) or ties to the local forces (M13)
shield their gang. Nobody is killed or jailed who is not there: the draws are bounded
by the armed people and the officers present, less the officers killed that week already.
A prison has none of these confrontations (its guards do not patrol, :mod:`.policing`):
its inmates are met only by the raids of an operation sent there.

Firing back costs money. In Petare in 2019 bullets cost a dollar each on the black
market and "firing a gun has become a luxury" (the AP, ``ap_bullets_2019``), and
Fundepro's counts of officials killed fell from 414 (2016) to 87 (2021), faster than
violent deaths and deaths by police. So an officer's risk in a confrontation moves with
the firepower of the armed people met: a gang member's is his gang's share of armed
members (its weapons are bought from its takings, M3 and M21), a band member's is what
the bands' takings buy now against the start's (M19's ``loot``, at most 1: no better
armed than at the start). The suspects the police kill do not depend on it.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from ..actions import (
    aggrieve,
    armed_share,
    cells,
    harm_civilians,
    local_fates,
    poisson,
    remove_members,
)
from ..events import Kind
from ..population import Status
from ..rng import binomial
from ..world import Flow, World
from . import collusion, context, politics, residents

PARAMETERS = {
    "force": (
        "confrontation_rate",
        "suspect_lethality",
        "officer_lethality",
        "arrest_share",
        "bystander_share",
        "gang_exposure",
    )
}


def levels(world: World) -> np.ndarray:
    """The use-of-force level of each place now: the latest posture in force, else 1."""
    world.postures = [
        posture for posture in world.postures if posture[2] < 0 or posture[2] > world.step
    ]
    level = np.ones(world.n_places)
    for places, value, _ in world.postures:
        level[places] = value
    world.force_level = level
    return level


def shields(world: World) -> np.ndarray:
    """Per gang, how exposed its members are to routine confrontations: less than a band's
    members (an organised gang holds its streets with lookouts), and less again where
    political protection (M12) or ties to the local forces (M13) shield it."""
    g = world.gangs
    protection = np.array([politics.raid_factor(world, i) for i in range(len(g))])
    exposure = world.params.force.gang_exposure
    return exposure * protection * collusion.arrest_factors(world) * g.alive


def firepower(
    world: World,
    p: SimpleNamespace,
    members: np.ndarray,
    exposed_at: np.ndarray,
    exposed: np.ndarray,
) -> np.ndarray:
    """Per place, how well the armed people the police meet can fire back, from 0 to 1:
    the mean over them of a gang member's share of his gang's members with a weapon and
    a band member's ammunition, what the bands' takings buy now against the start's."""
    bands = min(context.loot(world, p), 1.0)
    fire = (exposed_at * armed_share(world, members)[:, None]).sum(axis=0) + world.local * bands
    return np.divide(fire, exposed, out=np.ones(world.n_places), where=exposed > 0)


def run(world: World, p: SimpleNamespace, rng: np.random.Generator) -> None:
    f = p.force
    members = world.members_at()
    members_at = members * shields(world)[:, None]  # exposed gang members
    exposed = members_at.sum(axis=0) + world.local
    per_1000 = exposed / world.watched
    meetings = poisson(world, f.confrontation_rate * levels(world) * world.firing * per_1000)
    if meetings.sum() == 0:
        return
    killed = binomial(rng, meetings, f.suspect_lethality)
    bystanders = binomial(rng, killed, f.bystander_share)
    armed_killed = np.minimum(killed - bystanders, world.armed())
    tips = residents.cooperation(world, p)  # M16: trusting residents help find suspects
    arrest = np.minimum(f.arrest_share * tips, 1.0)
    arrested = np.minimum(binomial(rng, meetings - killed, arrest), world.armed())
    risk = np.minimum(f.officer_lethality * firepower(world, p, members, members_at, exposed), 1.0)
    officers = np.minimum(binomial(rng, meetings, risk), _on_duty(world))
    # the armed hit are split between local groups and each gang by their exposure
    share_local = np.divide(world.local, exposed, out=np.zeros(world.n_places), where=exposed > 0)
    local_killed = binomial(rng, armed_killed, share_local)
    local_jailed = binomial(rng, arrested, share_local)
    local_fates(world, np.stack([local_killed, local_jailed]), (Status.DEAD, Status.JAILED))
    dead = harm_civilians(world, bystanders, Status.DEAD) + local_killed
    jailed = local_jailed.copy()
    gang_dead, gang_jailed = _gangs(
        world, members_at, armed_killed - local_killed, arrested - local_jailed
    )
    aggrieve(world, (gang_dead + gang_jailed).sum(axis=1))
    dead += gang_dead.sum(axis=0)
    jailed += gang_jailed.sum(axis=0)
    world.count_all("homicides_by_police", dead)
    world.count_all("arrests", jailed)
    world.count_all("officials_killed", officers)
    ev = world.events
    ev.add_counts(Kind.HOMICIDE_BY_POLICE, dead - gang_dead.sum(axis=0))
    ev.add_counts(Kind.ARREST, jailed - gang_jailed.sum(axis=0))
    ev.add_counts(Kind.OFFICIAL_KILLED, officers)
    for counts, kind in ((gang_dead, Kind.HOMICIDE_BY_POLICE), (gang_jailed, Kind.ARREST)):
        gang, place = cells(counts)
        ev.add_many(kind, place, -1, counts[gang, place], target=gang)


def _on_duty(world: World) -> np.ndarray:
    """Per place, the officers there who can still be killed this week: those stationed,
    less those the gangs (M9) and raids (M10, M11) have killed this week already."""
    killed = world.tally.get("officials_killed")
    left = np.floor(world.police) if killed is None else np.floor(world.police) - killed
    return np.maximum(left, 0.0)


def _gangs(
    world: World, exposed: np.ndarray, killed: np.ndarray, jailed: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Gang members killed and jailed per gang and place (G x P), by their exposure."""
    dead, caught = np.zeros(exposed.shape, np.int64), np.zeros(exposed.shape, np.int64)
    for place in np.flatnonzero((killed > 0) | (jailed > 0)):
        weights = exposed[:, place]
        total = weights.sum()
        if total <= 0:
            continue
        for out, n, status, flow in (
            (dead, killed, Status.DEAD, Flow.KILLED_BY_POLICE),
            (caught, jailed, Status.JAILED, Flow.JAILED),
        ):
            split = world.rng.multinomial(int(n[place]), weights / total)
            for gang in np.flatnonzero(split):
                out[gang, place] = remove_members(
                    world, int(gang), int(place), int(split[gang]), status, flow
                )
    return dead, caught
