"""What officers on an operation do at a place each week: arrests, killings, escapes.

Shared by targeted operations and offensives (M10) and crackdowns (M11). Political
protection (M12), collusion (M13) and terrain (M14) shape who is hit.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from .actions import harm_civilians, member_rows, move_members, poisson, set_status
from .events import Kind
from .mechanisms import collusion, politics, terrain
from .population import Status
from .world import Operation, OpKind, World

PARAMETERS = {
    "raids": (
        "arrest_rate",
        "kill_rate",
        "civilian_arrest_rate",
        "civilian_kill_rate",
        "officer_death_rate",
        "grievance_per_loss",
    )
}
PER = 100.0  # rates are per 100 officers a week


def raid(world: World, op: Operation, place: int, p: SimpleNamespace) -> None:
    """One week of an operation at one place."""
    officers = op.officers / len(op.places) / PER
    gangs = [op.target] if op.target >= 0 else list(range(len(world.gangs)))
    for gang in gangs:
        rows = member_rows(world, gang, place)
        if len(rows):
            _hit_members(world, op, gang, place, rows, officers, p)
    if op.target < 0 or op.kind == OpKind.OFFENSIVE:
        _hit_civilians(world, op, place, officers, p)


def _hit_members(
    world: World,
    op: Operation,
    gang: int,
    place: int,
    rows: np.ndarray,
    officers: float,
    p: SimpleNamespace,
) -> None:
    r, rng = p.raids, world.rng
    shield = politics.raid_factor(world, gang) * collusion.arrest_factor(world, gang)
    escape = terrain.escape_chance(world, gang, place)
    exposure = officers * shield * (1.0 - escape)
    kill = 1.0 - np.exp(-r.kill_rate * op.lethality * exposure)
    arrest = 1.0 - np.exp(-r.arrest_rate * exposure)
    fate = rng.random(len(rows))
    killed, jailed = rows[fate < kill], rows[(fate >= kill) & (fate < kill + arrest)]
    set_status(world, killed, Status.DEAD)
    set_status(world, jailed, Status.JAILED)
    if op.kind == OpKind.OFFENSIVE:
        _scatter(world, gang, place, rows[fate >= kill + arrest], escape)
    officers_lost = int(poisson(world, r.officer_death_rate * len(rows) * officers))
    _record(world, op, gang, place, len(killed), len(jailed), officers_lost)
    world.gangs.grievance[gang] += r.grievance_per_loss * (len(killed) + len(jailed))


def _scatter(world: World, gang: int, place: int, rows: np.ndarray, escape: float) -> None:
    """Under an offensive, members who got away leave for a refuge (M14, M15)."""
    fleeing = rows[world.rng.random(len(rows)) < escape]
    if len(fleeing) == 0:
        return
    move_members(world, fleeing, terrain.refuge(world, gang, place))


def _hit_civilians(
    world: World, op: Operation, place: int, officers: float, p: SimpleNamespace
) -> None:
    r = p.raids
    counts = np.zeros(world.n_places, np.int64)
    counts[place] = poisson(world, r.civilian_kill_rate * op.lethality * officers)
    killed = harm_civilians(world, counts, Status.DEAD)[place]
    counts[place] = poisson(world, r.civilian_arrest_rate * officers)
    jailed = harm_civilians(world, counts, Status.JAILED)[place]
    _record(world, op, -1, place, int(killed), int(jailed), 0)


def _record(
    world: World, op: Operation, gang: int, place: int, killed: int, jailed: int, officers_lost: int
) -> None:
    if killed:
        world.events.add(Kind.HOMICIDE_BY_POLICE, place, target=gang, count=killed, cause=op.event)
        world.count("homicides_by_police", place, killed)
    if jailed:
        world.events.add(Kind.ARREST, place, target=gang, count=jailed, cause=op.event)
        world.count("arrests", place, jailed)
    if officers_lost:
        world.events.add(Kind.OFFICIAL_KILLED, place, gang, count=officers_lost, cause=op.event)
        world.count("officials_killed", place, officers_lost)


def expire(world: World) -> None:
    """Count down every operation; those that are over leave."""
    for op in world.operations:
        op.weeks_left -= 1
        if op.weeks_left <= 0:
            world.events.add(
                Kind.OPERATION_ENDED, int(op.places[0]), target=op.target, cause=op.event
            )
    world.operations = [op for op in world.operations if op.weeks_left > 0]
