"""M10 Conditional retaliation: gangs that go too far strike the state; the state strikes back.

Seed 000: after Loco Leo was hurt in a police shootout, Koki "sent allies to open fire on
El Helicoide ... The gang then went on to fire at two other police facilities", which
"triggered a large-scale armed response"; "El Koki and his allies [were] driven out and
Loco Leo was killed", but Koki escaped. A gang hurt by the state (grievance) and confident
of impunity may attack a facility near it; targeted operations and offensives -- launched
by the doctrine (M17) -- raid the gang's places each week and hunt its leader, who may be
killed, jailed or flee. Whether to strike is a decision (M20): the gang weighs its
grievance (against ``answer_cost``, the grievance that would make it accept even odds of
the state's answer) and the odds it gives that the state lets it pass (its belief in
impunity, M7), so a gang long unpunished in a zone strikes far more readily than one
that has just been raided. What it fears is what the answer would add to what it already
suffers: a gang already under as much force as the doctrine would send for a strike has
little left to lose by striking (Lessing 2017, *Making Peace in Drug Wars*: repression
that does not depend on what a gang does gives it no reason to spare the state), which
is how months of fighting can end in a strike, as in Caracas in 2021.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from ...scenario.schema import Trigger
from .. import choice
from ..actions import cells
from ..events import Kind
from ..raids import raid
from ..world import LeaderState, Operation, OpKind, World
from . import terrain

PARAMETERS = {
    "retaliation": (
        "facility_attack_rate",
        "answer_cost",
        "grievance_decay",
        "lethality",
        "leader_capture_rate",
        "leader_kill_share",
        "leader_flee_rate",
        "manhunt_focus",
    )
}


def run(world: World, p: SimpleNamespace, rng: np.random.Generator) -> None:
    _attack_facilities(world, p, rng)
    for op in world.operations:
        if op.kind in (OpKind.TARGETED, OpKind.OFFENSIVE):
            raid(world, op, p)
            if op.target >= 0:
                hunt_leader(world, op, p, rng)
    world.gangs.grievance *= 1.0 - p.retaliation.grievance_decay


def _attack_facilities(world: World, p: SimpleNamespace, rng: np.random.Generator) -> None:
    """Aggrieved, emboldened gangs near a facility may fire on it."""
    g = world.gangs
    sites = np.flatnonzero(world.facilities > 0)
    if sites.size == 0:
        return
    members_at = world.members_at()
    # where each gang stands (cells), at or next to a facility that is not its own (a
    # prison it runs, in a place it holds, is not a target)
    gang, place = cells(members_at)
    near = world.adjacency[np.ix_(place, sites)] | (place[:, None] == sites[None, :])
    near &= world.controller[sites][None, :] != gang[:, None]
    within = near.any(axis=1)
    gang, place, near = gang[within], place[within], near[within]
    close = np.bincount(gang, minlength=len(g)) > 0
    gangs = np.flatnonzero(g.alive & (g.grievance > 0) & close)
    strike = gangs[rng.random(gangs.size) < attack_chance(world, gangs, p)]
    for one in strike:
        mine = np.flatnonzero(gang == one)
        at = mine[np.argmax(members_at[one, place[mine]])]  # where it is strongest
        facility = int(sites[np.flatnonzero(near[at])[0]])
        event = world.events.add(Kind.FACILITY_ATTACK, facility, int(one))
        world.count("facility_attacks", facility)
        world.offend(int(one), "facility_attack", facility, event)


def attack_chance(world: World, gangs: np.ndarray | int, p: SimpleNamespace) -> np.ndarray:
    """The weekly chance that each of ``gangs`` strikes a facility near it:
    ``facility_attack_rate`` times the logit of its grievance (over ``answer_cost``) plus
    the log-odds that the strike costs it nothing more. The gang fears the state's answer
    with the chance ``1 - b`` that the state does not let it pass (``b``: its belief in
    impunity), and only for the part of that answer it does not already bear:
    ``fear = (1 - b) (1 - borne)``, where ``borne`` is the force of the operations aimed
    at it now over the force the doctrine sends for a strike (capped at 1)."""
    g, r = world.gangs, p.retaliation
    belief, grievance = g.belief[gangs], g.grievance[gangs]
    fear = (1.0 - belief) * (1.0 - borne(world)[gangs])
    utility = choice.log_ratio(grievance, r.answer_cost) + choice.log_ratio(1.0 - fear, fear)
    return r.facility_attack_rate * choice.share(utility, p.decisions.temperature)


def borne(world: World) -> np.ndarray:
    """Per gang, the share of the state's answer to a strike that it already bears: the
    officers of the operations aimed at it now over the most officers a doctrine rule
    sends for a facility attack (capped at 1; 0 where no rule answers one, so that the
    belief alone weighs)."""
    answer = max(
        (r.officers for r in world.scenario.doctrine.rules if r.trigger == Trigger.FACILITY_ATTACK),
        default=0,
    )
    now = np.zeros(len(world.gangs))
    if answer <= 0:
        return now
    for op in world.operations:
        if op.target >= 0:
            now[op.target] += op.officers
    return np.minimum(now / answer, 1.0)


CAUGHT = {
    "kill": (LeaderState.DEAD, Kind.LEADER_KILLED),
    "capture": (LeaderState.JAILED, Kind.LEADER_JAILED),
    "extradite": (LeaderState.EXTRADITED, Kind.LEADER_EXTRADITED),  # gone for good
}
"""What a target_leader decision's mode makes of a leader caught."""


def _caught(op: Operation, by_chance_killed: bool) -> tuple[LeaderState, Kind]:
    """A caught leader's fate: as the decision's mode says, else killed or jailed by chance
    (``leader_kill_share``)."""
    if op.leader_mode:
        return CAUGHT[op.leader_mode]
    return CAUGHT["kill"] if by_chance_killed else CAUGHT["capture"]


def hunt_leader(world: World, op: Operation, p: SimpleNamespace, rng: np.random.Generator) -> None:
    """The leader is caught (killed or jailed), slips away, or flees the offensive."""
    g, r = world.gangs, p.retaliation
    gang = op.target
    if g.leader[gang] != LeaderState.ACTIVE:
        return
    home = int(g.home[gang])
    escape = terrain.escape_chance(world, gang, home)
    # a manhunt puts every officer on the leader's trail; a raid looks for members at large
    focus = r.manhunt_focus if op.manhunt else 1.0
    caught = 1.0 - np.exp(-r.leader_capture_rate * focus * op.officers / 1000.0)
    if rng.random() < caught * (1.0 - escape):
        state, kind = _caught(op, rng.random() < r.leader_kill_share)
    elif op.kind == OpKind.OFFENSIVE and rng.random() < r.leader_flee_rate:
        state, kind = LeaderState.FLED, Kind.LEADER_FLED
    else:
        return
    g.leader[gang], g.leader_since[gang] = state, world.step
    world.events.add(kind, home, gang, cause=op.event)
