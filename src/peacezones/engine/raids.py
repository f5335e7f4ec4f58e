"""What officers on an operation do at a place each week: arrests, killings, escapes.

Shared by targeted operations and offensives (M10) and crackdowns (M11). Political
protection (M12), collusion (M13) and terrain (M14) shape who is hit.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from .actions import (
    aggrieve,
    armed_share,
    cells,
    harm_civilians,
    member_rows,
    move_members,
    poisson,
    set_status,
)
from .events import Kind
from .mechanisms import collusion, politics, terrain
from .population import Status
from .world import Flow, Operation, OpKind, World

PARAMETERS = {
    "raids": (
        "arrest_rate",
        "kill_rate",
        "civilian_arrest_rate",
        "civilian_kill_rate",
        "officer_death_rate",
        "grievance_per_loss",
        "driven_out",
        "ally_grievance",
    )
}
PER = 100.0  # civilians' rates are per 100 officers a week
LEAST_WATCHED = 1.0  # thousands: a place with fewer residents counts as this many


def raid(world: World, op: Operation, p: SimpleNamespace) -> None:
    """One week of an operation at each of its places, on the members there when it
    starts.

    A member's risk grows with the officers per 1,000 residents of the place (how densely
    the operation covers it), so that it stays the same when a world and its forces are
    both scaled up; an officer's risk grows with the armed members met per 1,000
    residents, so officers lost are bounded by the officers there.
    """
    officers = op.officers / len(op.places) / PER
    density = op.officers / len(op.places) / np.maximum(world.watched, LEAST_WATCHED)
    members_at = world.members_at()
    share = armed_share(world, members_at)  # of each gang's members, as the raid begins
    standing = _officers_at(world, op)  # officers at each place, alive so far this week
    present = members_at[:, op.places] > 0
    if op.target >= 0:
        present[np.arange(len(world.gangs)) != op.target] = False
    for i, gang in zip(*cells(present.T), strict=True):  # place by place
        place, gang = int(op.places[i]), int(gang)
        rows = member_rows(world, gang, place)
        if len(rows):
            armed = len(rows) * float(share[gang])
            lost = _officers_lost(world, place, int(standing[i]), armed, p.raids.officer_death_rate)
            standing[i] -= lost
            _hit_members(world, op, gang, place, rows, float(density[place]), lost, p)
    if op.target < 0 or op.kind == OpKind.OFFENSIVE:
        _hit_civilians(world, op, officers, p)


def _hit_members(
    world: World,
    op: Operation,
    gang: int,
    place: int,
    rows: np.ndarray,
    density: float,
    lost: int,
    p: SimpleNamespace,
) -> None:
    r, rng = p.raids, world.rng
    # M12 once: an operation aimed at a gang was already sized by its protection
    protection = politics.raid_factor(world, gang) if op.target < 0 else 1.0
    shield = protection * collusion.arrest_factor(world, gang)
    escape = terrain.escape_chance(world, gang, place)
    exposure = density * shield * (1.0 - escape)
    kill = 1.0 - np.exp(-r.kill_rate * op.lethality * exposure)
    arrest = 1.0 - np.exp(-r.arrest_rate * exposure)
    fate = rng.random(len(rows))
    killed, jailed = rows[fate < kill], rows[(fate >= kill) & (fate < kill + arrest)]
    set_status(world, killed, Status.DEAD, Flow.KILLED_BY_POLICE)
    set_status(world, jailed, Status.JAILED)
    if op.kind == OpKind.OFFENSIVE:
        _scatter(world, gang, place, rows[fate >= kill + arrest], escape, r.driven_out)
    _record(world, op, gang, np.array([place]), [len(killed)], [len(jailed)], [lost])
    hurt = np.zeros(len(world.gangs))
    hurt[gang] = len(killed) + len(jailed)
    aggrieve(world, hurt, learn=op.target < 0)  # an operation aimed at it taught it once (M7)


def _officers_at(world: World, op: Operation) -> np.ndarray:
    """Officers of the operation at each of its places: its officers shared evenly,
    a fraction of an officer rounded up or down by chance (so that a small operation spread
    thin is not spared every loss)."""
    each = op.officers / len(op.places)
    return np.floor(each) + (world.rng.random(len(op.places)) < each - np.floor(each))


def _officers_lost(world: World, place: int, officers: int, armed: float, rate: float) -> int:
    """Officers killed by one gang at a place this week: each of the ``officers`` still
    standing there is shot with a chance that grows with the ``armed`` members met per
    1,000 residents (the members there times their gang's share of armed members, M21),
    and no more die than the armed members who fire. The caller counts the dead off the
    officers standing, so that the gangs of a place never kill more than are there."""
    if officers <= 0 or armed <= 0:
        return 0
    risk = 1.0 - np.exp(-rate * armed / max(world.watched[place], LEAST_WATCHED))
    return int(min(world.rng.binomial(officers, risk), np.ceil(armed)))


def _scatter(
    world: World, gang: int, place: int, rows: np.ndarray, escape: float, driven: float
) -> None:
    """Under an offensive, members not caught are driven out (``driven_out`` a week), the
    more so on rugged ground (M14), and leave for a refuge; they may drift back (M15)."""
    leave = 1.0 - (1.0 - escape) * (1.0 - driven)
    fleeing = rows[world.rng.random(len(rows)) < leave]
    if len(fleeing) == 0:
        return
    move_members(world, fleeing, terrain.refuge(world, gang, place))


def _hit_civilians(world: World, op: Operation, officers: float, p: SimpleNamespace) -> None:
    """Residents of the operation's places killed or detained by its officers."""
    r, places = p.raids, np.asarray(op.places)
    means = np.ones(len(places))
    counts = np.zeros(world.n_places, np.int64)
    counts[places] = poisson(world, means * r.civilian_kill_rate * op.lethality * officers)
    killed = harm_civilians(world, counts, Status.DEAD)[places]
    counts[places] = poisson(world, means * r.civilian_arrest_rate * officers)
    jailed = harm_civilians(world, counts, Status.JAILED)[places]
    _record(world, op, -1, places, killed, jailed, np.zeros(len(places), np.int64))


def _record(
    world: World,
    op: Operation,
    gang: int,
    places: np.ndarray,
    killed: np.ndarray | list[int],
    jailed: np.ndarray | list[int],
    lost: np.ndarray | list[int],
) -> None:
    """Events and counts of a raid at ``places``: killings, arrests, officers lost."""
    ev = world.events
    for kind, actor, target, tally, counts in (
        (Kind.HOMICIDE_BY_POLICE, -1, gang, "homicides_by_police", killed),
        (Kind.ARREST, -1, gang, "arrests", jailed),
        (Kind.OFFICIAL_KILLED, gang, -1, "officials_killed", lost),
    ):
        counts = np.asarray(counts)
        hit = counts > 0
        if hit.any():
            ev.add_many(kind, places[hit], actor, counts[hit], target=target, cause=op.event)
            world.count(tally, places[hit], counts[hit])


def expire(world: World) -> None:
    """Count down every operation; those that are over leave."""
    for op in world.operations:
        op.weeks_left -= 1
        if op.weeks_left <= 0:
            world.events.add(
                Kind.OPERATION_ENDED, int(op.places[0]), target=op.target, cause=op.event
            )
    world.operations = [op for op in world.operations if op.weeks_left > 0]
