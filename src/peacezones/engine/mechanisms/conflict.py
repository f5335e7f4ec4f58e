"""M8 Inter-gang conflict: clashes where hostile gangs meet; control goes to the strongest.

Seed 001: Koki's mega-gang and El Culón's lesser gang "are fighting for control of Cota
905". Hostile gangs at one place clash; deaths fall on both sides, more on the weaker,
and on residents; a gang much weaker than its enemy at a place it does not call home
withdraws. A place belongs to the strongest gang there unless its enemies -- hostile gangs and the
police on duty -- together come close to it (contested), or the police alone outmatch it,
or no gang is there (the state). Clashes are likelier the more even the sides. A takeover
that has not won its place within a few weeks is given up.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from ...scenario.schema import Condition
from ..actions import (
    harm_civilians,
    member_rows,
    move_members,
    poisson,
    remove_members,
    strength,
)
from ..events import Kind
from ..population import Status
from ..world import CONTESTED, STATE, Flow, World

PARAMETERS = {
    "conflict": (
        "unarmed_strength",
        "contest_share",
        "clash_rate",
        "lethality",
        "civilian_share",
        "home_advantage",
        "withdraw_share",
        "police_strength",
        "siege_weeks",
    )
}


def hostility(world: World) -> np.ndarray:
    """G x G: whether two gangs fight when they meet: not allied and not under a truce."""
    hostile = ~world.gangs.allied
    np.fill_diagonal(hostile, False)
    for gangs, until, _ in world.truces:
        if until > world.step:
            members = list(gangs)
            hostile[np.ix_(members, members)] = False
    return hostile


def run(world: World, p: SimpleNamespace, rng: np.random.Generator) -> None:
    members_at = world.members_at()
    power = strength(world, members_at)
    hostile = hostility(world)
    eager = 1.0 - 0.5 * world.keeping(Condition.KEEP_PEACE)  # a side keeping a pact's peace
    for place in np.flatnonzero((power > 0).sum(axis=0) >= 2):
        present = np.flatnonzero(power[:, place] > 0)
        for i, a in enumerate(present):
            for b in present[i + 1 :]:
                balance = min(power[a, place], power[b, place]) / max(
                    power[a, place], power[b, place]
                )
                willing = eager[a] + eager[b] - 1.0  # starts no clash; the other still may
                if hostile[a, b] and rng.random() < p.conflict.clash_rate * balance * willing:
                    _clash(world, int(a), int(b), int(place), power[:, place], p)
    settle_control(world, strength(world, world.members_at()), p)
    _give_up(world, p)


def _clash(world: World, a: int, b: int, place: int, power: np.ndarray, p: SimpleNamespace) -> None:
    c = p.conflict
    sa, sb = _fighting_power(world, a, place, power, p), _fighting_power(world, b, place, power, p)
    deaths = int(poisson(world, c.lethality * min(sa, sb)))
    lost_a = world.rng.binomial(deaths, sb / (sa + sb)) if deaths else 0
    done = remove_members(world, a, place, lost_a, Status.DEAD, Flow.KILLED_BY_RIVALS)
    done += remove_members(world, b, place, deaths - lost_a, Status.DEAD, Flow.KILLED_BY_RIVALS)
    event = world.events.add(Kind.CLASH, place, a, b, count=done)
    if done:
        world.events.add(Kind.HOMICIDE_GANG_ON_GANG, place, a, b, count=done, cause=event)
        world.count("homicides_gang_on_gang", place, done)
    bystanders = np.zeros(world.n_places, np.int64)
    bystanders[place] = poisson(world, c.civilian_share * deaths)
    killed = harm_civilians(world, bystanders, Status.DEAD)[place]
    if killed:
        world.events.add(Kind.HOMICIDE_GANG_ON_CIVILIAN, place, a, b, count=killed, cause=event)
        world.count("homicides_gang_on_civilian", place, killed)
    world.gangs.homicides[[a, b]] += done / 2 + killed / 2
    _withdraw(world, a, b, place, p)


def _fighting_power(
    world: World, gang: int, place: int, power: np.ndarray, p: SimpleNamespace
) -> float:
    """Strength at the place, with the home gang's local knowledge."""
    home = world.gangs.home[gang] == place
    return float(power[gang]) * (1.0 + p.conflict.home_advantage * home)


def _withdraw(world: World, a: int, b: int, place: int, p: SimpleNamespace) -> None:
    """A side much weaker than its enemy, away from home, goes home."""
    power = strength(world, world.members_at(), [place])[:, 0]
    for weak, strong in ((a, b), (b, a)):
        away = world.gangs.home[weak] != place
        if away and power[weak] < p.conflict.withdraw_share * power[strong]:
            move_members(world, member_rows(world, weak, place), int(world.gangs.home[weak]))


def settle_control(
    world: World, power: np.ndarray, p: SimpleNamespace, announce: bool = True
) -> None:
    """Who holds each place now; changes of hands become takeover events."""
    before = world.controller.copy()
    world.controller[:] = holders(world, power, world.police * p.conflict.police_strength, p)
    if not announce:
        return
    for place in np.flatnonzero(before != world.controller):
        old, new = int(before[place]), int(world.controller[place])
        if new >= 0:
            cause = world.attempts.pop((new, int(place)), -1)
            world.events.add(
                Kind.TAKEOVER_WON, int(place), new, old if old >= 0 else -1, cause=cause
            )
            if world.ruler[place] != new:  # a new master must build his rule again
                world.governance[place] = 0.0
            world.ruler[place] = new
        if old >= 0:
            world.events.add(Kind.TAKEOVER_LOST, int(place), old, new if new >= 0 else -1)


def holders(world: World, power: np.ndarray, police: np.ndarray, p: SimpleNamespace) -> np.ndarray:
    """Per place, who holds it: the strongest gang, unless the police are as strong (the
    state) or its enemies there and the police together reach ``contest_share`` of its
    strength (contested)."""
    places = np.arange(world.n_places)
    top = np.argmax(power, axis=0)
    strongest = power[top, places]
    enemies = (hostility(world)[top] * power.T).sum(axis=1)
    held = np.where(enemies + police >= p.conflict.contest_share * strongest, CONTESTED, top)
    return np.where((strongest <= 0) | (police >= strongest), STATE, held)


def _give_up(world: World, p: SimpleNamespace) -> None:
    """Attackers who have not taken their target within the siege go home."""
    for (gang, place), event in list(world.attempts.items()):
        if world.step - world.events.step[event] < p.conflict.siege_weeks:
            continue
        del world.attempts[(gang, place)]
        if world.controller[place] != gang:
            move_members(world, member_rows(world, gang, place), int(world.gangs.home[gang]))
            world.events.add(Kind.TAKEOVER_LOST, place, gang, cause=event)
