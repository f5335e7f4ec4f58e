"""M17 State doctrine: the state's reactions follow rules with thresholds, not a script.

Seeds 000 and 001: the state tolerated gang rule in its zones, delegated justice to the
pact's gang when officials were killed (seed 001), hunted the gang whose leader killed a
senior police official, answered expansion beyond a zone with force, and ended the policy
after the attack on its facilities (seed 000). Each rule of the scenario's doctrine counts
a trigger over a window; past its threshold the state responds -- delegates, sends a
targeted operation, or an offensive that may end the gang's zone. Before it answers, the
state decides (M20): a logit weighs the offence against the gang's political services
(M12), so that it may let a useful gang's offences pass. Giving a policy up is thus an
outcome of these rules.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from ...scenario.schema import Response, Rule, Trigger
from ..events import Kind
from ..world import Operation, OpKind, World
from . import expansion, pax, politics
from .residents import HOMICIDES, WEEKS_A_YEAR
from .schedule import close_zone

PARAMETERS = {"doctrine": ("resolve", "temperature")}


def run(world: World, p: SimpleNamespace, rng: np.random.Generator) -> None:
    _note_expansions(world)
    _forget_offences(world)
    _remember_violence(world)
    _settle_delegations(world, p)
    for rule in world.scenario.doctrine.rules:
        if rule.response == Response.NONE:  # the state sees the offences and lets them be
            continue
        if rule.trigger == Trigger.VISIBLE_VIOLENCE:
            _violence(world, rule, p)
        else:
            _offences(world, rule, p)


def _note_expansions(world: World) -> None:
    """A zone gang that takes a place outside its zone offends the doctrine."""
    ev = world.events
    code = list(Kind).index(Kind.TAKEOVER_WON)
    for i in range(world.step_events, len(ev.step)):
        if ev.kind[i] == code:
            gang, place = ev.actor[i], ev.place[i]
            zone = world.pact_of(gang)
            if zone is not None and place not in zone.places:
                world.offend(gang, Trigger.EXPANSION_BEYOND_ZONE.value, place, i)


def _remember_violence(world: World) -> None:
    killings = sum(world.tally.get(k, np.zeros(world.n_places)) for k in HOMICIDES)
    world.violence.append(np.asarray(killings, float))


def _forget_offences(world: World) -> None:
    """Offences older than every rule's window no longer count."""
    window = max((r.window_weeks for r in world.scenario.doctrine.rules), default=0)
    world.offences = [o for o in world.offences if o[0] > world.step - window]


def _offences(world: World, rule: Rule, p: SimpleNamespace) -> None:
    since = world.step - rule.window_weeks
    recent = [o for o in world.offences if o[2] == rule.trigger.value and o[0] > since]
    for gang in sorted({o[1] for o in recent}):
        mine = [o for o in recent if o[1] == gang]
        if len(mine) < rule.threshold or world.cooling.get((rule.id, gang), -1) >= world.step:
            continue
        _, _, _, place, event = mine[-1]
        if not _answers(world, rule, gang, len(mine) / rule.threshold, p):
            continue
        if rule.response == Response.DELEGATE:
            _delegate(world, rule, gang, place, event)
        else:
            _respond(world, rule, gang, place, event, p)


def _delegate(world: World, rule: Rule, gang: int, place: int, event: int) -> None:
    """Wait for the pact's dominant gang to punish a lesser gang; act if it does not."""
    zone = world.active_zone(place)
    boss = pax.dominant(world, zone, world.members_at()) if zone else -1
    world.cooling[(rule.id, gang)] = world.step + rule.window_weeks
    if zone is not None and boss >= 0 and boss != gang:
        index = world.scenario.doctrine.rules.index(rule)
        world.pending.append((gang, index, world.step + rule.weeks, event))
    else:  # nobody to delegate to, or the pact's own gang broke it
        _respond(world, rule, gang, place, event, world.params)


def _settle_delegations(world: World, p: SimpleNamespace) -> None:
    rules = world.scenario.doctrine.rules
    still = []
    for gang, rule_index, deadline, event in world.pending:
        if event in world.punished:
            continue
        if world.step >= deadline:
            rule = rules[rule_index]
            _respond(world, rule, gang, world.events.place[event], event, p)
        else:
            still.append((gang, rule_index, deadline, event))
    world.pending = still


def _violence(world: World, rule: Rule, p: SimpleNamespace) -> None:
    """A place whose killings stay above the tolerated rate gets an operation."""
    window = world.violence[-rule.window_weeks :]
    if len(window) < rule.window_weeks:
        return
    rate = np.sum(window, axis=0) / rule.window_weeks * WEEKS_A_YEAR
    rate = rate / np.maximum(world.civilians, 1) * 1e5
    for place in np.flatnonzero(rate >= rule.threshold):
        gang = int(world.controller[place])
        cool = gang < 0 or world.cooling.get((rule.id, gang), -1) >= world.step
        if not cool and _answers(world, rule, gang, rate[place] / rule.threshold, p):
            _respond(world, rule, gang, int(place), -1, p)


def answer_chance(world: World, gang: int, pressure: float, p: SimpleNamespace) -> float:
    """The chance that the state answers an offence (M17, M20): a logit of what answering
    gains (``doctrine.resolve``, plus the log of how far past its threshold the offence
    went) against what it would lose of the gang's political services (M12), with
    ``doctrine.temperature`` splitting near-ties."""
    d = p.doctrine
    gain = d.resolve + np.log(max(pressure, 1e-9)) - politics.value(world, gang)
    return float(1.0 / (1.0 + np.exp(-gain / d.temperature)))


def _answers(world: World, rule: Rule, gang: int, pressure: float, p: SimpleNamespace) -> bool:
    """Whether the state answers now; if not, it looks again once the rule's window has
    passed, when the offences may have grown."""
    if world.rng.random() < answer_chance(world, gang, pressure, p):
        return True
    world.cooling[(rule.id, gang)] = world.step + rule.window_weeks
    return False


def _respond(
    world: World, rule: Rule, gang: int, place: int, cause: int, p: SimpleNamespace
) -> None:
    """Launch the rule's response against the gang (the state has decided to answer)."""
    officers = float(rule.officers)
    world.cooling[(rule.id, gang)] = world.step + max(rule.weeks, rule.window_weeks)
    if officers <= 0 or rule.weeks <= 0:
        return
    offensive = rule.response == Response.OFFENSIVE
    places = _theatre(world, gang, offensive)
    kind = Kind.OFFENSIVE if offensive else Kind.TARGETED_OPERATION
    event = world.events.add(kind, int(places[0]), target=gang, count=officers, cause=cause)
    world.operations.append(
        Operation(
            OpKind.OFFENSIVE if offensive else OpKind.TARGETED,
            places,
            officers,
            rule.weeks,
            p.retaliation.lethality,
            target=gang,
            cause=cause,
            event=event,
            leader_mode=str(rule.leader_mode or ""),
            manhunt=rule.leader_mode is not None,
        )
    )
    expansion.punished(world, gang)
    zone = world.pact_of(gang)
    if rule.ends_zone and zone is not None:
        close_zone(world, zone, event)


def _theatre(world: World, gang: int, offensive: bool) -> np.ndarray:
    """Where the operation goes: every place the gang holds or is in, or just its home."""
    home = int(world.gangs.home[gang])
    if not offensive:
        return np.array([home])
    members_at = world.members_at()[gang]
    places = np.flatnonzero((members_at > 0) | (world.controller == gang))
    return np.unique(np.concatenate([[home], places])).astype(np.int64)
