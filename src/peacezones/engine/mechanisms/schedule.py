"""The state's deliberate decisions from the scenario's schedule, applied on their dates."""

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
    EndZone,
    HotPursuit,
    Occupation,
    Patrol,
    TargetLeader,
    Truce,
    UseOfForce,
)
from ..events import Kind
from ..world import CONDITIONS, Operation, OpKind, World, Zone

PARAMETERS: dict[str, tuple[str, ...]] = {}


def due(world: World) -> list[Decision]:
    """Decisions dated within this step."""
    start = world.date
    end = start + dt.timedelta(days=world.scenario.meta.step_days)
    return [d for d in world.scenario.schedule if start <= d.date < end]


def run(world: World, p: SimpleNamespace, rng: np.random.Generator) -> None:
    for decision in sorted(due(world), key=lambda d: d.date):
        APPLY[type(decision)](world, decision)


def _places(world: World, ids: tuple[str, ...]) -> np.ndarray:
    return np.array([world.place_ids.index(i) for i in ids], np.int64)


def _gang(world: World, gang_id: str) -> int:
    return world.gangs.ids.index(gang_id)


def declare_zone(world: World, d: DeclareZone) -> None:
    places = _places(world, d.places)
    t = d.terms
    event = world.events.add(Kind.ZONE_DECLARED, int(places[0]), count=len(places))
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


def crackdown(world: World, d: Crackdown) -> None:
    places = _places(world, d.places)
    event = world.events.add(Kind.CRACKDOWN, int(places[0]), count=d.officers)
    world.operations.append(
        Operation(
            OpKind.CRACKDOWN,
            places,
            float(d.officers),
            d.weeks,
            d.lethality,
            targeting=d.targeting,
            event=event,
        )
    )


def patrol(world: World, d: Patrol) -> None:
    world.patrol_level[_places(world, d.places)] = d.level


def hot_pursuit(world: World, d: HotPursuit) -> None:
    for zone in world.zones:
        if not d.zones or zone.id in d.zones:
            zone.turn_back = d.turn_back
    if not d.zones:
        world.pursuit_rule = d.turn_back


def truce(world: World, d: Truce) -> None:
    gangs = frozenset(_gang(world, g) for g in d.gangs)
    world.truces.append((gangs, world.step + d.weeks, d.aid_per_week))


def target_leader(world: World, d: TargetLeader) -> None:
    gang = _gang(world, d.gang)
    home = np.array([world.gangs.home[gang]])
    event = world.events.add(Kind.TARGETED_OPERATION, int(home[0]), target=gang, count=d.officers)
    world.operations.append(
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
        )
    )


def occupation(world: World, d: Occupation) -> None:
    places = _places(world, d.places)
    world.operations.append(
        Operation(
            OpKind.OCCUPATION,
            places,
            float(d.officers),
            d.weeks,
            0.0,
            proximity=d.proximity_policing,
        )
    )


def collusion_tolerance(world: World, d: CollusionTolerance) -> None:
    world.collusion_tolerance = d.level


def conditional_repression(world: World, d: ConditionalRepression) -> None:
    world.repression = (d.officers_per_killing, world.step + d.weeks)


def use_of_force(world: World, d: UseOfForce) -> None:
    """A posture of the forces from this date (M22): the latest in force at a place wins."""
    places = _places(world, d.places) if d.places else np.arange(world.n_places)
    end = -1
    if d.until is not None:
        end = next((t for t, day in enumerate(world.dates) if day >= d.until), len(world.dates))
    world.postures.append((places, d.level, end))
    world.events.add(Kind.USE_OF_FORCE, int(places[0]), count=len(places))


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
}
