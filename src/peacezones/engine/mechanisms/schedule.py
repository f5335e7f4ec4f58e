"""The state's deliberate decisions from the scenario's schedule, applied on their dates.

Each decision taken is an event (``decision``, its count the decision's place in the
schedule), which the chronicle tells; the events a decision makes (a zone declared, a
crackdown) name it as their cause. A decision with an ``id`` keeps what it set, so that a
later ``end`` decision can undo it; ``remove_leader`` removes a leader on its date.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import numpy as np

from ...scenario.schema import (
    CollusionTolerance,
    ConditionalRepression,
    Crackdown,
    Decision,
    DeclareZone,
    End,
    EndZone,
    HotPursuit,
    LeaderMode,
    Occupation,
    Patrol,
    RemoveLeader,
    TargetLeader,
    Truce,
    UseOfForce,
)
from ..events import NOBODY, Kind
from ..world import CONDITIONS, LeaderState, Operation, OpKind, World, Zone
from .retaliation import CAUGHT

PARAMETERS: dict[str, tuple[str, ...]] = {}


def due(world: World) -> list[tuple[int, Decision]]:
    """Decisions dated within this step, with their places in the schedule, by date."""
    start = world.date
    end = start + dt.timedelta(days=world.scenario.meta.step_days)
    found = [(i, d) for i, d in enumerate(world.scenario.schedule) if start <= d.date < end]
    return sorted(found, key=lambda pair: pair[1].date)


def run(world: World, p: SimpleNamespace, rng: np.random.Generator) -> None:
    for index, decision in due(world):
        event = _taken(world, decision, index)
        kept = APPLY[type(decision)](world, decision, event)
        if decision.id is not None:
            world.decided[decision.id] = (type(decision), kept)


def _taken(world: World, d: Decision, index: int) -> int:
    """The event of a decision taken: at its first place, with its gangs."""
    places = getattr(d, "places", ()) or ()
    place = world.place_ids.index(places[0]) if places else NOBODY
    gangs = [g for g in (getattr(d, "gang", None), *(getattr(d, "gangs", ()) or ())) if g]
    actor = _gang(world, gangs[0]) if gangs else NOBODY
    target = _gang(world, gangs[1]) if len(gangs) > 1 else NOBODY
    return world.events.add(Kind.DECISION, place, actor, target, count=index)


def _places(world: World, ids: tuple[str, ...]) -> np.ndarray:
    return np.array([world.place_ids.index(i) for i in ids], np.int64)


def _gang(world: World, gang_id: str) -> int:
    return world.gangs.ids.index(gang_id)


def declare_zone(world: World, d: DeclareZone, cause: int = -1) -> Zone:
    places = _places(world, d.places)
    t = d.terms
    event = world.events.add(Kind.ZONE_DECLARED, int(places[0]), count=len(places), cause=cause)
    zone = Zone(
        id=d.zone,
        places=places,
        aid_per_week=t.aid_per_week,
        monitoring=t.monitoring,
        turn_back=t.pursuit_turn_back if world.pursuit_rule is None else world.pursuit_rule,
        recall=t.recall_incursions,
        suspend_police=t.suspend_police,
        conditions=np.array([c in t.conditions for c in CONDITIONS]),
        sanction=t.sanction.value,
        declared=world.step,
        event=event,
    )
    zone.parties = _parties(world, places)
    world.zones.append(zone)
    world.zone_of[places] = len(world.zones) - 1
    world.zones_changed()
    return zone


def _parties(world: World, places: np.ndarray) -> np.ndarray:
    """The gangs the state strikes the pact with: those holding the zone's places, or,
    where none holds one, those at home there."""
    holders = np.unique(world.controller[places][world.controller[places] >= 0])
    if holders.size:
        return holders.astype(np.int64)
    return np.flatnonzero(np.isin(world.gangs.home, places) & world.gangs.alive)


def end_zone(world: World, d: EndZone, cause: int = -1) -> None:
    for zone in world.zones:
        if zone.id == d.zone and zone.active:
            close_zone(world, zone, cause)


def close_zone(world: World, zone: Zone, cause: int = -1) -> int:
    """End a zone in force: its places return to ordinary policing."""
    zone.active = False
    world.zone_of[zone.places] = -1
    world.zones_changed()
    return world.events.add(
        Kind.ZONE_ENDED, int(zone.places[0]), count=len(zone.places), cause=cause
    )


def crackdown(world: World, d: Crackdown, cause: int = -1) -> Operation:
    places = _places(world, d.places)
    event = world.events.add(Kind.CRACKDOWN, int(places[0]), count=d.officers, cause=cause)
    return _deploy(
        world,
        Operation(
            OpKind.CRACKDOWN,
            places,
            float(d.officers),
            d.weeks,
            d.lethality,
            targeting=d.targeting,
            event=event,
        ),
    )


def _deploy(world: World, op: Operation) -> Operation:
    world.operations.append(op)
    return op


def patrol(world: World, d: Patrol, cause: int = -1) -> tuple[np.ndarray, np.ndarray]:
    places = _places(world, d.places)
    before = world.patrol_level[places].copy()
    world.patrol_level[places] = d.level
    return places, before


def hot_pursuit(world: World, d: HotPursuit, cause: int = -1) -> tuple:
    before = (world.pursuit_rule, [(zone, zone.turn_back) for zone in world.zones])
    for zone in world.zones:
        if not d.zones or zone.id in d.zones:
            zone.turn_back = d.turn_back
    if not d.zones:
        world.pursuit_rule = d.turn_back
    return before


def truce(world: World, d: Truce, cause: int = -1) -> tuple:
    gangs = frozenset(_gang(world, g) for g in d.gangs)
    kept = (gangs, world.step + d.weeks, d.aid_per_week)
    world.truces.append(kept)
    return kept


def target_leader(world: World, d: TargetLeader, cause: int = -1) -> Operation:
    gang = _gang(world, d.gang)
    home = np.array([world.gangs.home[gang]])
    event = world.events.add(
        Kind.TARGETED_OPERATION, int(home[0]), target=gang, count=d.officers, cause=cause
    )
    return _deploy(
        world,
        Operation(
            OpKind.TARGETED,
            home,
            float(d.officers),
            d.weeks,
            world.params.retaliation.lethality,
            target=gang,
            event=event,
            leader_mode=d.mode.value,
            manhunt=True,
        ),
    )


def occupation(world: World, d: Occupation, cause: int = -1) -> Operation:
    places = _places(world, d.places)
    return _deploy(
        world,
        Operation(
            OpKind.OCCUPATION,
            places,
            float(d.officers),
            d.weeks,
            0.0,
            proximity=d.proximity_policing,
            event=cause,
        ),
    )


def collusion_tolerance(world: World, d: CollusionTolerance, cause: int = -1) -> float:
    before = world.collusion_tolerance
    world.collusion_tolerance = d.level
    return before


def conditional_repression(world: World, d: ConditionalRepression, cause: int = -1) -> tuple:
    world.repression = (d.officers_per_killing, world.step + d.weeks)
    return world.repression


def use_of_force(world: World, d: UseOfForce, cause: int = -1) -> tuple:
    """A posture of the forces from this date (M22): the latest in force at a place wins."""
    places = _places(world, d.places) if d.places else np.arange(world.n_places)
    end = -1
    if d.until is not None:
        end = next((t for t, day in enumerate(world.dates) if day >= d.until), len(world.dates))
    posture = (places, d.level, end)
    world.postures.append(posture)
    world.events.add(Kind.USE_OF_FORCE, int(places[0]), count=len(places), cause=cause)
    return posture


def remove_leader(world: World, d: RemoveLeader, cause: int = -1) -> None:
    """The leader is killed, captured or extradited on the decision's date, if the gang is
    led now (a jailed leader can only be extradited); the gang's succession follows
    (M15)."""
    g, gang = world.gangs, _gang(world, d.gang)
    if not g.alive[gang]:
        return
    if g.leader[gang] == LeaderState.JAILED and d.mode == LeaderMode.EXTRADITE:
        g.leader[gang], g.leader_since[gang] = LeaderState.EXTRADITED, world.step
        world.events.add(Kind.LEADER_HANDED_OVER, int(g.home[gang]), gang, cause=cause)
        return
    if g.leader[gang] != LeaderState.ACTIVE:
        return
    state, kind = CAUGHT[d.mode.value]
    g.leader[gang], g.leader_since[gang] = state, world.step
    world.events.add(kind, int(g.home[gang]), gang, cause=cause)


def end(world: World, d: End, cause: int = -1) -> None:
    """Undo what an earlier decision set (checked: it has an id and lasts)."""
    kind, kept = world.decided.pop(d.decision, (None, None))
    if kind is None or kept is None:
        return
    if isinstance(kept, Operation):
        if any(op is kept for op in world.operations):
            world.operations = [op for op in world.operations if op is not kept]
            world.events.add(
                Kind.OPERATION_ENDED, int(kept.places[0]), target=kept.target, cause=cause
            )
    elif kind is Truce:
        world.truces = [t for t in world.truces if t is not kept]
    elif kind is UseOfForce:
        world.postures = [x for x in world.postures if x is not kept]
    elif kind is Patrol:
        places, before = kept
        world.patrol_level[places] = before
    elif kind is HotPursuit:
        rule, turn_backs = kept
        world.pursuit_rule = rule
        for zone, turn_back in turn_backs:
            zone.turn_back = turn_back
    elif kind is CollusionTolerance:
        world.collusion_tolerance = kept
    elif kind is ConditionalRepression and world.repression is kept:
        world.repression = None


APPLY = {
    DeclareZone: declare_zone,
    EndZone: end_zone,
    Crackdown: crackdown,
    Patrol: patrol,
    HotPursuit: hot_pursuit,
    Truce: truce,
    TargetLeader: target_leader,
    Occupation: occupation,
    CollusionTolerance: collusion_tolerance,
    ConditionalRepression: conditional_repression,
    UseOfForce: use_of_force,
    End: end,
    RemoveLeader: remove_leader,
}
