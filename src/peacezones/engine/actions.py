"""What events do to people: kill, jail, displace, recruit, release. Shared by mechanisms."""

from __future__ import annotations

import numpy as np

from . import kernels
from . import rng as draws
from .population import Pool, Status, pick, remove, split_off
from .world import FLOW_OF_STATUS, Flow, World


def member_rows(world: World, gang: int, place: int | None = None) -> np.ndarray:
    """Rows of the gang's active members, at ``place`` if given."""
    return world.gang_rows(gang, place)


def aggrieve(world: World, losses: np.ndarray, learn: bool = True) -> None:
    """Gangs hurt by the state (``losses``: members killed or jailed, one per gang) grow a
    grievance against it (M9, M10), by the share of their members lost (in per cent), so
    that a gang of 50,000 is not a thousand times as aggrieved by the same raid as one of
    50; their allies take up ``raids.ally_grievance`` of it. Unless ``learn`` is false (an
    operation sent against the gang, which cuts the belief once, M7), the same loss lowers
    the gang's belief in impunity: a gang just raided is angry but no longer bold."""
    losses = np.asarray(losses, float)
    if not losses.any():
        return
    before = np.maximum(world.members_counted(), losses)  # those lost are still counted
    share = np.divide(100.0 * losses, before, out=np.zeros(len(losses)), where=before > 0)
    hurt = world.params.raids.grievance_per_loss * share
    # allies take up part of the quarrel (seed 000: Loco Leo hurt, Koki's allies strike)
    friends = world.gangs.allied.astype(float)
    world.gangs.grievance += hurt + world.params.raids.ally_grievance * (friends @ hurt)
    # and a loss teaches that the state does not let the gang be (M7): its belief in
    # impunity falls by ``expansion.loss_learning`` per per cent of its members lost
    if learn:
        world.gangs.belief *= np.exp(-world.params.expansion.loss_learning * share)


def set_status(world: World, rows: np.ndarray, status: Status, flow: Flow | None = None) -> None:
    """Members leave the gang's ranks: dead, jailed, or back to civilian life; counted as
    ``flow`` (by default the status's, ``FLOW_OF_STATUS``: the dead name their killers)."""
    if len(rows) == 0:
        return
    if flow is None:
        if status not in FLOW_OF_STATUS:
            raise ValueError(f"members who become {status.name} need a flow: who did it")
        flow = FLOW_OF_STATUS[status]
    world.flowed(rows[world.ind.status[rows] == _MEMBER], flow)
    world.ind.set_status(rows, status)
    if status == Status.CIVILIAN:
        world.ind.gang[rows] = -1
    world.members_left()


def move_members(world: World, rows: np.ndarray, place: int) -> None:
    """Members go to another place (a takeover, a withdrawal, a flight, a return)."""
    if len(rows):
        world.ind.place[rows] = place
        world.members_moved(rows)


def remove_members(
    world: World, gang: int, place: int | None, n: int, status: Status, flow: Flow | None = None
) -> int:
    """Turn ``n`` random members of the gang (at ``place``) into ``status``, counted as
    ``flow`` (:func:`set_status`); the number done."""
    rows = member_rows(world, gang, place)
    if n <= 0 or len(rows) == 0:
        return 0
    chosen = world.rng.choice(rows, size=min(n, len(rows)), replace=False)
    set_status(world, chosen, status, flow)
    return len(chosen)


def take(
    world: World, counts: np.ndarray, eligible: np.ndarray | None, status: Status, gang: int = -1
) -> np.ndarray:
    """Split people off the civilian mass per place into ``status``; the number per place.

    Keeps the per-place counts of civilians, of those in hardship and of recruitable
    civilians up to date, so that no mechanism has to sum over every resident.
    """
    counts = np.asarray(counts, np.int64)
    if counts.sum() <= 0:
        return np.zeros(world.n_places, np.int64)
    records = pick(
        world.civ, counts, eligible, world.rng, _available(world, eligible), _pool(world, eligible)
    )
    rows = split_off(world.civ, world.ind, records, status, gang, world.step)
    if status == Status.MEMBER:
        world.members_changed(joined=rows)
    if status == Status.LOCAL:
        add_local(world, rows)
    return _left_mass(world, records)


def _left_mass(world: World, records: np.ndarray, taken: np.ndarray | None = None) -> np.ndarray:
    """People of ``records`` left the civilian mass (one each, or ``taken`` of each): the
    per-place counts of civilians, of those in hardship and of the recruitable follow.
    Returns the people gone per place."""
    civ = world.civ
    done, hard, young = kernels.leave_mass(
        records,
        _NO_TAKEN if taken is None else taken,
        civ.place,
        civ.hardship,
        world.recruitable,
        world.n_places,
    )
    world.civilians -= done
    world.hardship_people -= hard
    world.recruitable_people -= young
    return done


_NO_TAKEN = np.zeros(0, np.float64)
_MEMBER = int(Status.MEMBER)
"""As a plain int: NumPy compares an array with an enum member some times slower."""


def emigrate(world: World, counts: np.ndarray, eligible: np.ndarray | None) -> np.ndarray:
    """Civilians leave the country: out of the mass, without rows (M19); the number per
    place. Millions may go, so whole records leave (a record stands for its weight in
    people of one kind), the last one in part; where too few records turn up, the rest
    are picked person by person."""
    counts = np.minimum(np.asarray(counts, np.int64), _available(world, eligible))
    if counts.sum() <= 0:
        return np.zeros(world.n_places, np.int64)
    civ = world.civ
    records, taken = _whole_records(world, counts, eligible)
    kernels.lower_weights(civ.weight, records, taken.astype(np.int64))
    done = _left_mass(world, records, taken)
    short = counts - done
    if short.sum() > 0:
        picked = pick(civ, short, eligible, world.rng, _available(world, eligible))
        remove(civ, picked)
        done += _left_mass(world, picked)
    world.emigrated += done
    return done


def _whole_records(
    world: World, counts: np.ndarray, eligible: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray]:
    """Random records of each place, whole, until their weights reach ``counts`` (the last
    in part): the records and the people taken from each. May fall short."""
    civ, rng = world.civ, world.rng
    places = np.flatnonzero(counts > 0)
    size = civ.stop[places] - civ.start[places]
    people = np.maximum(world.civilians[places], 1)
    share = _available(world, eligible)[places] / people  # of records eligible, roughly
    per_record = people / np.maximum(size, 1)
    draws = np.ceil((2.0 * counts[places] / per_record + 8.0) / np.maximum(share, 1e-3))
    draws = np.minimum(draws, 4 * size).astype(np.int64)
    owner = np.repeat(np.arange(places.size), draws)
    cand = civ.start[places][owner] + (rng.random(owner.size) * size[owner]).astype(np.int64)
    ok = civ.weight[cand] > 0
    if eligible is not None:
        ok &= eligible[cand]
    cand, owner = cand[ok], owner[ok]
    _, first = np.unique(cand, return_index=True)
    first.sort()  # each record once, in the order drawn
    cand, owner = cand[first], owner[first]
    weight = civ.weight[cand].astype(np.int64)
    totals = np.bincount(owner, weights=weight, minlength=places.size).astype(np.int64)
    before = (np.cumsum(weight) - weight) - (np.cumsum(totals) - totals)[owner]
    taken = np.clip(counts[places][owner] - before, 0, weight)
    keep = taken > 0
    return cand[keep], taken[keep].astype(np.float64)


def add_local(world: World, rows: np.ndarray) -> None:
    """New members of local armed groups (rows already LOCAL), each in its place's segment
    of the bands' slots; segments double when full, so joining costs no pass over all."""
    if len(rows) == 0:
        return
    places = world.ind.place[rows].astype(np.int64)
    need = world.local + np.bincount(places, minlength=world.n_places)
    room = np.diff(world._band_start, append=world._band_slots.size)  # each segment's slots
    if (need > room).any():
        cap = np.maximum(np.maximum(2 * room, need), _FIRST_SEGMENT)
        world._band_slots, world._band_start = kernels.bands_regrow(
            world._band_slots, world._band_start, world.local, cap
        )
    kernels.bands_add(world._band_slots, world._band_start, world.local, rows, places)


_FIRST_SEGMENT = 16
"""Slots a place's bands get the first time they need any."""


def local_fates(world: World, counts: np.ndarray, statuses: tuple[Status, ...]) -> list[np.ndarray]:
    """Members of local armed groups meet several fates in one draw (M18, M22):
    ``counts[k]`` of them per place become ``statuses[k]``. Members are drawn one after
    another, each uniformly among the place's members not yet drawn, the first drawn to
    the first fate; where a place has fewer members than asked for, the fates listed
    first are served first. Returns the rows chosen for each fate.

    Each place's members fill one segment of an array, and those drawn are swapped to its
    end and dropped, so the work grows with the members chosen, not with all members.
    """
    counts = np.asarray(counts, np.int64).reshape(len(statuses), world.n_places)
    counts, total = kernels.fates_plan(counts, world.local)
    if total <= 0:
        return [np.zeros(0, np.int64) for _ in statuses]
    rows, per = kernels.bands_fates(
        world._band_slots, world._band_start, world.local, counts, world.rng.random(total)
    )
    chosen = np.split(rows, np.cumsum(per)[:-1])
    for picked, status in zip(chosen, statuses, strict=True):
        world.ind.set_status(picked, status)
    return chosen


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
    done = np.zeros_like(counts)
    if counts.size <= _SMALL:  # place-major, as the records will be sorted
        place, row = np.divmod(np.flatnonzero(counts.T), counts.shape[0])
    else:  # the few cells that ask for anyone: the work grows with them
        row, place = cells(counts)
        order = np.lexsort((row, place))
        row, place = row[order], place[order]
    asked = counts[row, place]
    if asked.sum() <= 0:
        return done
    wanted = np.bincount(place, weights=asked, minlength=world.n_places).astype(np.int64)
    records = pick(
        world.civ, wanted, eligible, world.rng, _available(world, eligible), _pool(world, eligible)
    )
    records = records[np.argsort(world.civ.place[records], kind="stable")]
    got = np.bincount(world.civ.place[records], minlength=world.n_places)
    # each place's people go to its groups in the order of the rows
    ahead = np.cumsum(asked) - asked
    before = ahead - ahead[np.searchsorted(place, place)]
    given = np.minimum(np.maximum(got[place] - before, 0), asked)
    done[row, place] = given
    owner = np.repeat(row, given)
    member = not isinstance(status, np.ndarray) and status == Status.MEMBER
    if isinstance(status, np.ndarray):
        status = status[owner]
    rows = split_off(world.civ, world.ind, records, status, owner if member else -1, world.step)
    if member:
        world.members_changed(joined=rows)
    _left_mass(world, records)
    return done


def _available(world: World, eligible: np.ndarray | None) -> np.ndarray:
    """People per place that ``eligible`` (None or the recruitable mask) lets be picked."""
    if eligible is None:
        return world.civilians
    if eligible is world.recruitable:
        return world.recruitable_people
    raise ValueError("people can be picked from all civilians or the recruitable only")


def _pool(world: World, eligible: np.ndarray | None) -> Pool | None:
    """The records of the recruitable, by place, when those are the eligible."""
    return world.recruitable_pool if eligible is world.recruitable else None


def harm_civilians(world: World, counts: np.ndarray, status: Status) -> np.ndarray:
    """Civilians killed, jailed or displaced per place; the number done per place."""
    return take(world, counts, None, status)


def armed_share(world: World, members_at: np.ndarray) -> np.ndarray:
    """Per gang, the share of its members (``members_at``, G x P) with a weapon: at most 1."""
    return np.minimum(1.0, world.gangs.weapons / np.maximum(members_at.sum(axis=1), 1))


def strength(
    world: World, members_at: np.ndarray, places: np.ndarray | list[int] | None = None
) -> np.ndarray:
    """Fighting strength of each gang at each place (or at ``places`` only): members,
    armed as far as weapons go.

    An unarmed member counts for ``conflict.unarmed_strength`` of an armed one.
    """
    g, unarmed = world.gangs, world.params.conflict.unarmed_strength
    armed = armed_share(world, members_at)
    at = members_at if places is None else members_at[:, places]
    return at * ((unarmed + (1.0 - unarmed) * armed) * g.alive)[:, None]


def poisson(world: World, mean: np.ndarray | float) -> np.ndarray:
    """Counts of events with the given means (negative means count as none). Only the
    positive means are drawn (:func:`.rng.poisson`): a mean of 0 takes no random number,
    so the counts are the same as drawing every cell, and gangs x places arrays, mostly
    empty, cost little."""
    if isinstance(mean, float):
        return world.rng.poisson(max(mean, 0.0))
    return draws.poisson(world.rng, mean)


_SMALL = draws.SPARSE
"""Below this many cells, finding the non-zero ones costs more than it saves."""


def cells(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The rows and columns of the non-zero cells of a 2-D array, in row-major order, as
    ``np.nonzero`` gives them, several times quicker on large gangs x places arrays."""
    if a.size <= _SMALL:
        return a.nonzero()
    flat = np.flatnonzero(a != 0)
    return flat // a.shape[1], flat % a.shape[1]
