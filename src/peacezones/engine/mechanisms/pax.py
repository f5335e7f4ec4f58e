"""M9 The unwritten rule and pax mafiosa enforcement.

Seed 001: after El Culón's gang killed two soldiers in Cota 905 -- "a breach of an
unwritten criminal rule, which prohibits the killing of police or military officials in
the area" -- Koki's mega-gang massacred seven of its members, "to defend alleged peace
agreements ... on the condition of not interfering with public officials", and "the state
did not need to intervene". Gangs meet officials and sometimes kill them, with a motive
(M20): grievance against the state, made of the share of its members the state raided,
arrested or killed and fading with time, is revenge and deterrence at once; without one a
killing is a rare quarrel gone wrong (``unprovoked``). A gang bound by a pact that spares
officials holds back, as far as the pact is its own: the deal was made with the
mega-gang, which is bound most, while a lesser party is held back in proportion to its
smaller share of the pact's members in the zone. When a lesser gang kills an official in
a pact zone, the pact's dominant gang weighs punishing it (M20): the more the pact is
worth to it against what the fight risks, and the stronger it is, the likelier. Whether
the state then acts is its doctrine's call (M17).
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from .. import choice
from ..actions import cells, poisson, remove_members, strength
from ..events import Kind
from ..population import Status
from ..world import Flow, World, Zone
from . import pact, policing, politics

PARAMETERS = {
    "pax": (
        "encounter_rate",
        "transit_exposure",
        "pact_restraint",
        "unprovoked",
        "grievance_boldness",
        "senior_share",
        "punishment_base",
        "massacre_share",
    )
}


def run(world: World, p: SimpleNamespace, rng: np.random.Generator) -> None:
    members_at = world.members_at()
    police = policing.per_thousand(world)
    exposure = np.where(world.police > 0, police, p.pax.transit_exposure)
    bold = _restraint(world, p, members_at)
    gang, place = cells(members_at)  # members meet officials where they are
    mean = p.pax.encounter_rate * members_at[gang, place] * exposure[place] * bold[gang]
    killings = poisson(world, mean)
    if killings.any():
        officials = np.ceil(exposure * world.watched)  # those on duty, or passing through
        killings = _within(killings, place, officials, rng)
    for i in np.flatnonzero(killings):
        for _ in range(int(killings[i])):
            _official_killed(world, int(gang[i]), int(place[i]), members_at, p, rng)


def _within(
    killings: np.ndarray, place: np.ndarray, officials: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """No more officials killed at a place in a week than there are officials there (the
    officers stationed, or those passing through where none are): where the gangs' draws
    add up to more, as many as there are officials, shared among the gangs in proportion
    to their draws. Only a place of few officials and very many members reaches the bound
    (a prison whose inmates are all placed as members: thousands among a handful of
    guards); the default scenario's places stay far below it, and no random number is
    drawn unless a place reaches it."""
    total = np.bincount(place, weights=killings, minlength=len(officials))
    for where in np.flatnonzero(total > officials):
        here = np.flatnonzero(place == where)
        killings[here] = rng.multivariate_hypergeometric(killings[here], int(officials[where]))
    return killings


def _restraint(world: World, p: SimpleNamespace, members_at: np.ndarray) -> np.ndarray:
    """Per gang: a pact that spares officials holds its gangs back, each by its share of
    the pact's members in the zone. The motive: a quarrel (``unprovoked``) or grievance
    against the state (revenge for raids, arrests and killings, and deterrence of more),
    whose pull is the logit of its log, ``G / (1 + G)``: it saturates, as a gang can only
    be so set on revenge."""
    stake = np.zeros(len(world.gangs))
    for zone in world.zones:
        if zone.active and zone.spare_officials and zone.parties.size:
            stake[zone.parties] = pact.stake(members_at, zone, zone.parties)
    stake[politics.bound(world)] = 1.0  # M12: protection is a bargain too
    grievance = world.gangs.grievance
    bold = p.pax.unprovoked + p.pax.grievance_boldness * grievance / (1.0 + grievance)
    return (1.0 - p.pax.pact_restraint * stake) * bold


def _official_killed(
    world: World,
    gang: int,
    place: int,
    members_at: np.ndarray,
    p: SimpleNamespace,
    rng: np.random.Generator,
) -> None:
    senior = rng.random() < p.pax.senior_share
    kind = Kind.SENIOR_OFFICIAL_KILLED if senior else Kind.OFFICIAL_KILLED
    event = world.events.add(kind, place, gang)
    world.count("officials_killed", place)
    world.offend(gang, kind.value, place, event)
    zone = world.active_zone(place)
    if zone is not None and zone.spare_officials:
        _enforce(world, zone, gang, place, event, members_at, p, rng)


def dominant(world: World, zone: Zone, members_at: np.ndarray) -> int:
    """The pact's gang with most members in the zone, or -1."""
    parties = zone.parties[world.gangs.alive[zone.parties]]
    if parties.size == 0:
        return -1
    size = members_at[parties][:, zone.places].sum(axis=1)
    return int(parties[np.argmax(size)]) if size.max() > 0 else -1


def punish_chance(
    world: World,
    zone: Zone,
    boss: int,
    offender: int,
    place: int,
    members_at: np.ndarray,
    p: SimpleNamespace,
) -> float:
    """The chance that the dominant gang punishes (M20): ``punishment_base`` times a logit
    of its edge in strength over the offender in the zone (log-odds) plus the log of what
    the pact is worth to it a week against the wages of the offender's men it must face
    (what the fight risks)."""
    power = strength(world, members_at, zone.places).sum(axis=1)
    joint = power[boss] + power[offender]
    if joint <= 0:
        return 0.0
    edge = choice.log_ratio(power[boss], power[offender])
    parties = zone.parties[world.gangs.alive[zone.parties]]  # the aid is shared by them all
    _, worth, _ = pact.value(world, parties, members_at, p)
    cost = members_at[offender, place] * p.economy.wage_per_member
    utility = edge + choice.log_ratio(worth[parties == boss].sum(), cost)
    return float(p.pax.punishment_base * choice.share(utility, p.decisions.temperature))


def _enforce(
    world: World,
    zone: Zone,
    offender: int,
    place: int,
    cause: int,
    members_at: np.ndarray,
    p: SimpleNamespace,
    rng: np.random.Generator,
) -> None:
    """The dominant gang punishes a lesser gang's breach, to keep the pact."""
    boss = dominant(world, zone, members_at)
    if boss < 0 or boss == offender or world.gangs.allied[boss, offender]:
        return
    world.lesser_breaches.append(cause)
    if rng.random() < punish_chance(world, zone, boss, offender, place, members_at, p):
        victims = int(np.ceil(p.pax.massacre_share * members_at[offender, place]))
        done = remove_members(world, offender, place, victims, Status.DEAD, Flow.KILLED_BY_RIVALS)
        if done:
            event = world.events.add(
                Kind.PUNISHMENT_MASSACRE, place, boss, offender, count=done, cause=cause
            )
            world.events.add(
                Kind.HOMICIDE_GANG_ON_GANG, place, boss, offender, count=done, cause=event
            )
            world.count("homicides_gang_on_gang", place, done)
            world.count("punishment_massacres", place)
            world.punished.add(cause)
