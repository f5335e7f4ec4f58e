"""What events do to people: kill, jail, displace, recruit, release. Shared by mechanisms."""

from __future__ import annotations

import numpy as np

from .population import Status, pick, split_off
from .world import World


def member_rows(world: World, gang: int, place: int | None = None) -> np.ndarray:
    """Rows of the gang's active members, at ``place`` if given."""
    rows, gangs, places = world.member_index()
    mask = gangs == gang
    if place is not None:
        mask &= places == place
    return rows[mask]


def set_status(world: World, rows: np.ndarray, status: Status) -> None:
    """Members leave the gang's ranks: dead, jailed, or back to civilian life."""
    if len(rows) == 0:
        return
    world.ind.status[rows] = status
    if status == Status.CIVILIAN:
        world.ind.gang[rows] = -1
    world.members_changed()


def move_members(world: World, rows: np.ndarray, place: int) -> None:
    """Members go to another place (a takeover, a withdrawal, a flight, a return)."""
    if len(rows):
        world.ind.place[rows] = place
        world.members_changed()


def remove_members(world: World, gang: int, place: int | None, n: int, status: Status) -> int:
    """Turn ``n`` random members of the gang (at ``place``) into ``status``; the number done."""
    rows = member_rows(world, gang, place)
    if n <= 0 or len(rows) == 0:
        return 0
    chosen = world.rng.choice(rows, size=min(n, len(rows)), replace=False)
    set_status(world, chosen, status)
    return len(chosen)


def take(
    world: World, counts: np.ndarray, eligible: np.ndarray | None, status: Status, gang: int = -1
) -> np.ndarray:
    """Split people off the civilian mass per place into ``status``; the number per place.

    Keeps the per-place counts of civilians and of recruitable civilians up to date, so
    that no mechanism has to sum over every resident.
    """
    counts = np.asarray(counts, np.int64)
    if counts.sum() <= 0:
        return np.zeros(world.n_places, np.int64)
    records = pick(world.civ, counts, eligible, world.rng, _available(world, eligible))
    rows = split_off(world.civ, world.ind, records, status, gang, world.step)
    if status == Status.MEMBER:
        world.members_changed(joined=rows)
    places = world.civ.place[records]
    done = np.bincount(places, minlength=world.n_places)
    world.civilians -= done
    world.recruitable_people -= np.bincount(
        places[world.recruitable[records]], minlength=world.n_places
    )
    return done


def take_by_gang(
    world: World, counts: np.ndarray, eligible: np.ndarray | None, status: Status
) -> np.ndarray:
    """One draw for many groups: ``counts`` is G x P (people per gang and place).

    The people picked at each place are shared out to the gangs in order; each row gets
    the gang it was drawn for (recruits), or none (victims). Returns the G x P done.
    """
    return _take_groups(world, counts, eligible, status)


def take_each(world: World, counts: np.ndarray, statuses: tuple[Status, ...]) -> np.ndarray:
    """One draw of civilians for several fates: ``counts[k]`` people per place become
    ``statuses[k]`` (none of them a gang member). Returns the K x P done."""
    return _take_groups(world, counts, None, np.asarray(statuses, np.int8))


def _take_groups(
    world: World, counts: np.ndarray, eligible: np.ndarray | None, status: Status | np.ndarray
) -> np.ndarray:
    counts = np.asarray(counts, np.int64)
    if counts.sum() <= 0:
        return np.zeros_like(counts)
    records = pick(world.civ, counts.sum(axis=0), eligible, world.rng, _available(world, eligible))
    records = records[np.argsort(world.civ.place[records], kind="stable")]
    places = world.civ.place[records]
    got = np.bincount(places, minlength=world.n_places)
    done = _share_out(counts, got)
    owner = np.repeat(np.tile(np.arange(counts.shape[0]), world.n_places), done.T.reshape(-1))
    member = not isinstance(status, np.ndarray) and status == Status.MEMBER
    if isinstance(status, np.ndarray):
        status = status[owner]
    rows = split_off(world.civ, world.ind, records, status, owner if member else -1, world.step)
    if member:
        world.members_changed(joined=rows)
    world.civilians -= got
    world.recruitable_people -= np.bincount(
        places[world.recruitable[records]], minlength=world.n_places
    )
    return done


def _available(world: World, eligible: np.ndarray | None) -> np.ndarray:
    """People per place that ``eligible`` (None or the recruitable mask) lets be picked."""
    if eligible is None:
        return world.civilians
    if eligible is world.recruitable:
        return world.recruitable_people
    raise ValueError("people can be picked from all civilians or the recruitable only")


def _share_out(asked: np.ndarray, got: np.ndarray) -> np.ndarray:
    """Give each place's ``got`` people to the groups in order of ``asked`` (G x P)."""
    before = np.cumsum(asked, axis=0) - asked
    return np.clip(got[None, :] - before, 0, asked)


def harm_civilians(world: World, counts: np.ndarray, status: Status) -> np.ndarray:
    """Civilians killed, jailed or displaced per place; the number done per place."""
    return take(world, counts, None, status)


def strength(world: World, members_at: np.ndarray) -> np.ndarray:
    """Fighting strength of each gang at each place: members, armed as far as weapons go.

    An unarmed member counts for ``conflict.unarmed_strength`` of an armed one.
    """
    g, unarmed = world.gangs, world.params.conflict.unarmed_strength
    members = np.maximum(members_at.sum(axis=1), 1)
    armed = np.minimum(1.0, g.weapons / members)
    return members_at * (unarmed + (1.0 - unarmed) * armed)[:, None] * g.alive[:, None]


def poisson(world: World, mean: np.ndarray | float) -> np.ndarray:
    """Counts of events with the given means (negative means count as none)."""
    if isinstance(mean, float):
        return world.rng.poisson(max(mean, 0.0))
    return world.rng.poisson(np.maximum(mean, 0.0))
