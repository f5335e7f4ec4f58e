"""Residents as arrays: a scaled mass of civilians, and individuals split off by events.

At scale F each civilian record stands for about 1/F people (its ``weight``); at scale 1
every record is one person. An event picks people per place, then assigns them: each one
picked is split off its record (the record's weight falls by one) into an individual row
with a status (gang member, member of a local armed group, jailed, displaced, dead,
emigrated, or civilian again after leaving a gang). Members are therefore always
individuals, whatever the scale. Civilians who emigrate (M19) are many: they leave the
mass by a fall in weight, counted per place, without a row of their own; so
``civilians + individuals + emigrants`` always adds up to the initial population.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum

import numpy as np

from . import kernels


class Status(IntEnum):
    CIVILIAN = 0
    MEMBER = 1
    JAILED = 2
    DISPLACED = 3
    DEAD = 4
    LOCAL = 5
    """A member of the place's local armed groups (M18), not of a named gang."""
    EMIGRATED = 6
    """Gone abroad (M19). Civilians who emigrate leave the mass without a row; members
    of the local groups who do keep their row with this status."""


_JAILED = int(Status.JAILED)
"""As a plain int: NumPy compares an array with an enum member some times slower."""


class Age(IntEnum):
    CHILD = 0
    YOUTH = 1
    ADULT = 2
    ELDER = 3


NO_GANG = -1


@dataclass
class Civilians:
    """The scaled civilian mass, sorted by place so that each place is one slice."""

    place: np.ndarray  # int32
    weight: np.ndarray  # int32, people per record
    age: np.ndarray  # uint8, Age
    hardship: np.ndarray  # bool
    trust: np.ndarray  # float32, personal offset from the place's trust
    fear: np.ndarray  # float32, personal fear from own victimisation
    start: np.ndarray  # int64 per place: first record of the place
    stop: np.ndarray  # int64 per place: one past the last record
    wmax: np.ndarray  # int32 per place: the largest weight a record of the place had

    def __len__(self) -> int:
        return len(self.place)


@dataclass
class Individuals:
    """People split off the civilian mass by events; rows are never removed."""

    capacity: int = 1024
    size: int = 0
    place: np.ndarray = field(init=False)
    home: np.ndarray = field(init=False)
    status: np.ndarray = field(init=False)
    gang: np.ndarray = field(init=False)
    age: np.ndarray = field(init=False)
    hardship: np.ndarray = field(init=False)
    since: np.ndarray = field(init=False)
    _jailed: np.ndarray = field(init=False)
    """Rows jailed at some time, some since let out: M23 reads the jailed from here, not
    from a pass over every row."""

    def __post_init__(self) -> None:
        self._jailed = np.zeros(0, np.int64)
        self.place = np.zeros(self.capacity, np.int32)
        self.home = np.zeros(self.capacity, np.int32)
        self.status = np.zeros(self.capacity, np.int8)
        self.gang = np.full(self.capacity, NO_GANG, np.int16)
        self.age = np.zeros(self.capacity, np.uint8)
        self.hardship = np.zeros(self.capacity, bool)
        self.since = np.zeros(self.capacity, np.int32)

    def _grow(self, needed: int) -> None:
        new = max(self.capacity * 2, self.size + needed)
        for name in ("place", "home", "status", "gang", "age", "hardship", "since"):
            old = getattr(self, name)
            grown = np.zeros(new, old.dtype) if name != "gang" else np.full(new, NO_GANG, old.dtype)
            grown[: self.size] = old[: self.size]
            setattr(self, name, grown)
        self.capacity = new

    def append(
        self,
        place: np.ndarray,
        status: np.ndarray | int,
        gang: np.ndarray | int,
        age: np.ndarray,
        hardship: np.ndarray,
        step: int,
    ) -> np.ndarray:
        """Add rows; return their indexes."""
        n = len(place)
        if self.size + n > self.capacity:
            self._grow(n)
        new = slice(self.size, self.size + n)
        self.place[new] = place
        self.home[new] = place
        self.status[new] = status
        self.gang[new] = gang
        self.age[new] = age
        self.hardship[new] = hardship
        self.since[new] = step
        self.size += n
        rows = np.arange(new.start, new.stop)
        if not isinstance(status, int) or status == _JAILED:
            self._note_jailed(rows)
        return rows

    def set_status(self, rows: np.ndarray, status: Status) -> None:
        """The people ``rows`` now have ``status``."""
        self.status[rows] = status
        if status == Status.JAILED:
            self._note_jailed(np.asarray(rows, np.int64))

    def _note_jailed(self, rows: np.ndarray) -> None:
        jailed = rows[self.status[rows] == _JAILED]
        if jailed.size:
            self._jailed = np.concatenate([self._jailed, jailed])

    def jailed(self) -> np.ndarray:
        """Rows in jail now, in order (the work grows with those in jail, not with every
        row; one jailed again after a release is noted twice and kept once)."""
        rows = np.sort(self._jailed[self.status[self._jailed] == _JAILED], kind="stable")
        if rows.size > 1:  # np.unique, without its cost on a sorted array
            rows = rows[np.concatenate(([True], rows[1:] != rows[:-1]))]
        self._jailed = rows
        return rows

    def view(self, name: str) -> np.ndarray:
        """The live part of column ``name``."""
        return getattr(self, name)[: self.size]


def build_civilians(
    population: np.ndarray,
    scale: float,
    youth_share: float,
    child_share: float,
    elder_share: float,
    hardship_share: float,
    rng: np.random.Generator,
) -> Civilians:
    """Records for each place's population at ``scale``; weights add up exactly."""
    records = np.where(population > 0, np.maximum(1, np.rint(population * scale)), 0)
    records = records.astype(np.int64)
    place = np.repeat(np.arange(len(population), dtype=np.int32), records)
    base = np.repeat(population // np.maximum(records, 1), records)
    extra = np.repeat(population % np.maximum(records, 1), records)
    offset = np.arange(len(place)) - np.repeat(np.cumsum(records) - records, records)
    weight = (base + (offset < extra)).astype(np.int32)
    n = len(place)
    cuts = np.cumsum([child_share, youth_share, 1.0 - child_share - youth_share - elder_share])
    age = np.searchsorted(cuts, rng.random(n), side="right").astype(np.uint8)
    stop = np.cumsum(records)
    return Civilians(
        place=place,
        weight=weight,
        age=age,
        hardship=rng.random(n) < hardship_share,
        trust=rng.normal(0.0, 0.1, n).astype(np.float32),
        fear=np.zeros(n, np.float32),
        start=stop - records,
        stop=stop,
        wmax=(population // np.maximum(records, 1) + 1).astype(np.int32),
    )


@dataclass
class Pool:
    """The records of a fixed mask, grouped by place (records are sorted by place), so
    that candidates are drawn among them only."""

    records: np.ndarray  # int64, the eligible records in order
    start: np.ndarray  # int64 per place: first of the place's eligible records
    stop: np.ndarray  # int64 per place: one past the last

    @classmethod
    def of(cls, civ: Civilians, mask: np.ndarray) -> Pool:
        records = np.flatnonzero(mask)
        counts = np.bincount(civ.place[records], minlength=len(civ.start))
        stop = np.cumsum(counts)
        return cls(records=records, start=stop - counts, stop=stop)

    def changed(self, civ: Civilians, records: np.ndarray, entered: bool) -> Pool:
        """The pool once the sorted ``records`` entered the mask (none of them was in it)
        or left it (all were): the same as ``Pool.of`` the new mask, in time proportional
        to the pool rather than to all records."""
        at = np.searchsorted(self.records, records)
        kept = np.insert(self.records, at, records) if entered else np.delete(self.records, at)
        moved = np.bincount(civ.place[records], minlength=len(self.start))
        counts = self.stop - self.start + (moved if entered else -moved)
        stop = np.cumsum(counts)
        return Pool(records=kept, start=stop - counts, stop=stop)


def pick(
    civ: Civilians,
    counts: np.ndarray,
    eligible: np.ndarray | None,
    rng: np.random.Generator,
    available: np.ndarray | None = None,
    pool: Pool | None = None,
) -> np.ndarray:
    """Pick ``counts[p]`` people per place, as record indexes (one entry per person).

    A person is drawn in proportion to the weight of their record among the eligible
    records of the place (``eligible`` is a fixed mask over records), and a record gives
    at most as many people as its weight. Fewer are returned where a place has fewer
    eligible people than asked for. Work is proportional to the people picked, not to the
    size of the place: candidates are drawn for all places at once and accepted in
    proportion to their weight; places where that falls short are drawn exactly.
    ``available`` (eligible people per place, if known) sets how many candidates to draw:
    where few records are eligible, more are needed, and where more would be needed than
    the place has records, the place is drawn exactly at once. ``pool`` (the records of
    ``eligible``, by place) lets candidates be drawn among the eligible records only, so
    that a scarce kind of person costs no more to find than any other.
    """
    first, last = (civ.start, civ.stop) if pool is None else (pool.start, pool.stop)
    places, k, lo, size, draws, total = kernels.pick_plan(
        np.asarray(counts, np.int64),
        civ.start,
        civ.stop,
        first,
        last,
        civ.wmax,
        _NONE_INT if available is None else available,
        _OVERDRAW,
        _SPARE,
    )
    if places.size == 0:
        return np.zeros(0, np.int64)
    u_place = rng.random(total)
    u_keep = rng.random(total)
    chosen, owner, short = kernels.pick_accept(
        u_place,
        u_keep,
        places,
        k,
        lo,
        size,
        draws,
        civ.wmax,
        civ.weight,
        _NONE_INT if pool is None else pool.records,
        _NONE_BOOL if eligible is None else eligible,
    )
    return redo_short(civ, chosen, owner, short, places, k, eligible, rng)


def redo_short(
    civ: Civilians,
    chosen: np.ndarray,
    owner: np.ndarray,
    short: np.ndarray,
    places: np.ndarray,
    k: np.ndarray,
    eligible: np.ndarray | None,
    rng: np.random.Generator,
) -> np.ndarray:
    """The records ``chosen`` (their place's index in ``places`` as ``owner``), with the
    places marked ``short`` drawn again exactly, ``k`` people each, after the rest."""
    if not short.any():
        return chosen
    redo = [
        _exact(civ, int(civ.start[p]), int(civ.stop[p]), int(n), eligible, rng)
        for p, n in zip(places[short], k[short], strict=True)
    ]
    return np.concatenate([chosen[~short[owner]], *redo])


_OVERDRAW, _SPARE = 2, 8  # candidates per person asked for, plus a few
_NONE_INT = np.zeros(0, np.int64)  # "not given", for the compiled kernels
_NONE_BOOL = np.zeros(0, bool)


def _exact(
    civ: Civilians, lo: int, hi: int, k: int, eligible: np.ndarray | None, rng: np.random.Generator
) -> np.ndarray:
    """Exact weighted picks over the whole slice: for scarce eligible people."""
    w = civ.weight[lo:hi].astype(np.int64)
    if eligible is not None:
        w = w * eligible[lo:hi]
    total = int(w.sum())
    if total == 0:
        return np.zeros(0, np.int64)
    people = rng.choice(total, size=min(k, total), replace=False)
    return lo + np.searchsorted(np.cumsum(w), people, side="right")


def remove(civ: Civilians, records: np.ndarray) -> None:
    """Take the people picked (record indexes) out of the mass without a row (emigrants)."""
    kernels.lower_weights(civ.weight, records, _NONE_INT)


def split_off(
    civ: Civilians,
    ind: Individuals,
    records: np.ndarray,
    status: np.ndarray | int,
    gang: np.ndarray | int,
    step: int,
) -> np.ndarray:
    """Move the people picked (record indexes) out of the mass into individual rows."""
    kernels.lower_weights(civ.weight, records, _NONE_INT)
    return ind.append(
        civ.place[records], status, gang, civ.age[records], civ.hardship[records], step
    )
