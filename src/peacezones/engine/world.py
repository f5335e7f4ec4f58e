"""The world state: places, residents, gangs, forces, zones and the state's operations.

Per-person state lives in :mod:`.population`; places and gangs are small arrays indexed by
their position in the scenario; zones and operations are small objects.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import IntEnum
from types import SimpleNamespace
from typing import Any

import numpy as np
from scipy import sparse
from scipy.sparse import csgraph

from ..scenario import Scenario
from ..scenario.schema import (
    FACTION,
    NEW_GANG,
    Condition,
    Driver,
    ForceUnit,
    PlaceKind,
    Targeting,
    UnitKind,
)
from . import kernels
from .events import EventLog
from .population import Age, Civilians, Individuals, Pool, Status, build_civilians

DAYS_A_WEEK = 7.0  # a corridor's traffic is given per week; its police watch a day's worth
PRISON = list(PlaceKind).index(PlaceKind.PRISON)
CONDITIONS = list(Condition)
"""The pact conditions in the order of :attr:`Gangs.keeps`."""
STATE = -1  # controller code of a place the state holds (or nobody)
CONTESTED = -2


class LeaderState(IntEnum):
    ACTIVE = 0
    FLED = 1
    JAILED = 2
    DEAD = 3
    EXTRADITED = 4


_ACTIVE, _LEADER_JAILED = int(LeaderState.ACTIVE), int(LeaderState.JAILED)
_MEMBER = int(Status.MEMBER)
"""As plain ints: NumPy compares an array with an enum member some times slower."""


class OpKind(IntEnum):
    CRACKDOWN = 0
    TARGETED = 1
    OFFENSIVE = 2
    OCCUPATION = 3


class Flow(IntEnum):
    """How members join or leave a gang in a step: the columns of ``Gangs.flows``. The
    members of a gang at the end of a step are those at its start, plus ``JOINED``, less
    the rest."""

    JOINED = 0
    """Recruited, absorbed from the local bands, back from jail, founders of a new gang,
    or gone to it in a split."""
    DESERTED = 1
    """Back to civilian life at the steady rate (M4)."""
    UNPAID = 2
    """Back to civilian life because the gang could not pay its wages (M3, M4)."""
    LEADERLESS = 3
    """Back to civilian life while the gang had no leader to command it (M15)."""
    KILLED_BY_POLICE = 4
    """By the police and military: in routine confrontations (M22) and raids (M10, M11)."""
    KILLED_BY_RIVALS = 5
    """By other gangs: in clashes (M8), or by the pact's enforcers (M9)."""
    JAILED = 6
    SPLIT_OFF = 7
    """Gone to a breakaway faction (M21)."""


FLOW_OF_STATUS = {
    Status.CIVILIAN: Flow.DESERTED,
    Status.JAILED: Flow.JAILED,
}
"""The flow of a member who leaves with each status, unless the caller says another; a
member's death always says who killed him (``Flow.KILLED_BY_POLICE`` or
``Flow.KILLED_BY_RIVALS``)."""


@dataclass
class Zone:
    """A peace zone in force: its places and the terms of its pact (M1, M2)."""

    id: str
    places: np.ndarray
    aid_per_week: float
    monitoring: float
    turn_back: float
    recall: bool
    suspend_police: bool
    sanction: str
    declared: int  # step
    event: int  # id of the zone_declared event
    parties: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    """Gangs party to the pact: those holding its places when it was declared."""
    conditions: np.ndarray = field(default_factory=lambda: np.zeros(len(Condition), bool))
    """Which of the conditions (in :class:`Condition` order) the pact sets."""
    active: bool = True

    @property
    def spare_officials(self) -> bool:
        """Whether the pact binds its gangs not to kill officials (read by M9)."""
        return bool(self.conditions[CONDITIONS.index(Condition.SPARE_OFFICIALS)])


@dataclass
class Operation:
    """A deployment of officers: crackdown, targeted operation, offensive or occupation."""

    kind: OpKind
    places: np.ndarray
    officers: float
    weeks_left: int
    lethality: float
    target: int = -1  # gang, or -1 for an area operation
    targeting: Targeting = Targeting.AREA
    cause: int = -1
    event: int = -1
    proximity: bool = False
    leader_mode: str = ""
    """How the state wants the leader it catches (a target_leader decision, or a doctrine
    rule with a leader_mode): capture, kill, extradite; empty where a catch is killed or
    jailed by chance."""
    manhunt: bool = False
    """Whether the officers hunt the leader (a target_leader decision, a doctrine rule
    with a leader_mode, a crackdown aimed at leaders) rather than raid the gang at large."""


@dataclass
class Gangs:
    """Per-gang arrays: the scenario's gangs in its order, then the slots of the gangs
    that may form during a run (:func:`gang_slots`), not alive until they do (M21)."""

    ids: list[str]
    parent: np.ndarray
    """The gang a faction split from, or -1."""
    faction: np.ndarray
    """bool: a slot for a breakaway faction (M21)."""
    slot: np.ndarray
    """bool: a slot for a gang that may form during the run (M21), not one of the scenario's."""
    weapons: np.ndarray
    treasury: np.ndarray
    home: np.ndarray
    drug: np.ndarray
    extortion: np.ndarray
    highway: np.ndarray
    kidnapping: np.ndarray
    aid_line: np.ndarray
    rural_base: np.ndarray
    political: np.ndarray
    ties: np.ndarray
    allied: np.ndarray  # bool G x G
    rival: np.ndarray  # bool G x G
    leader: np.ndarray  # LeaderState
    leader_since: np.ndarray  # step of the leader's last change
    jail_command: np.ndarray  # bool: the leader was jailed at the start and commands from jail
    belief: np.ndarray  # expected impunity beyond the gang's zone (M7)
    alive: np.ndarray  # bool: the gang still exists
    grievance: np.ndarray  # recent losses to the state, decaying (M10)
    homicides: np.ndarray  # killings by the gang, decaying memory (conditional repression)
    unpaid: np.ndarray  # share of this week's wages the gang could not pay (0 to 1)
    revenue: np.ndarray  # last week's illicit takings (M3), read by the pact's decisions
    income: np.ndarray  # this week's takings from crime (M3, M6), before aid, bribes, wages
    arming: np.ndarray  # last week's spending on weapons (M3)
    flows: np.ndarray
    """G x :class:`Flow`: members who joined or left each gang this step, by how."""
    keeps: np.ndarray
    """bool G x conditions (:class:`Condition` order): the pact conditions each gang keeps
    this week (M1, M20); all False outside a pact."""

    def __len__(self) -> int:
        return len(self.ids)


def ranges(first: np.ndarray, count: np.ndarray) -> np.ndarray:
    """The indexes ``first[i], ..., first[i] + count[i] - 1`` for each i, one after the
    other: the entries of many slices of a sorted array, gathered without a loop."""
    ends = np.cumsum(count)
    return np.arange(ends[-1] if ends.size else 0) - np.repeat(ends - count - first, count)


def insertion_slots(ordered: np.ndarray, new: np.ndarray) -> np.ndarray:
    """Where the sorted ``new`` entries land once merged into the sorted ``ordered`` (after
    equal entries, as ``np.insert`` at ``searchsorted`` puts them)."""
    return np.searchsorted(ordered, new) + np.arange(new.size)


def insert_at(old: np.ndarray, new: np.ndarray, slots: np.ndarray) -> np.ndarray:
    """``old`` with ``new`` at ``slots`` (from :func:`insertion_slots`), in one pass: one
    mask serves several arrays kept in the same order, where ``np.insert`` costs more."""
    kept = np.ones(old.size + new.size, bool)
    kept[slots] = False
    out = np.empty(kept.size, old.dtype)
    out[kept], out[slots] = old, new
    return out


_SPAN = 1 << 32
"""Rows are below it: a member's key is ``gang * _SPAN + row``."""


@dataclass
class MemberIndex:
    """Gang members' rows sorted by gang, then row, with their gangs and places: a gang's
    members are one slice (``start``), and a row is found by binary search on ``key``."""

    rows: np.ndarray
    gang: np.ndarray
    place: np.ndarray
    start: np.ndarray  # G + 1 offsets into rows
    key: np.ndarray  # gang * _SPAN + row, sorted
    stale: bool = False
    """Whether some rows have left their gang since (filtered out on the next full read)."""

    @classmethod
    def of(cls, rows: np.ndarray, ind: Individuals, gangs: int) -> MemberIndex:
        rows = np.asarray(rows, np.int64)
        key = ind.gang[rows].astype(np.int64) * _SPAN + rows
        order = np.argsort(key)
        rows, key = rows[order], key[order]
        gang = key // _SPAN
        return cls(
            rows=rows,
            gang=gang,
            place=ind.place[rows].astype(np.int64),
            start=np.searchsorted(gang, np.arange(gangs + 1)),
            key=key,
        )

    def add(self, rows: np.ndarray, ind: Individuals) -> None:
        """New members (rows not in the index) take their places in the order: the work
        is a pass to shift the index, not a sort of every member."""
        rows = np.asarray(rows, np.int64)
        if rows.size == 0:
            return
        key = np.sort(ind.gang[rows].astype(np.int64) * _SPAN + rows)
        rows = key % _SPAN
        slots = insertion_slots(self.key, key)
        self.rows = insert_at(self.rows, rows, slots)
        self.gang = insert_at(self.gang, key // _SPAN, slots)
        self.place = insert_at(self.place, ind.place[rows].astype(np.int64), slots)
        self.key = insert_at(self.key, key, slots)
        self.start = np.searchsorted(self.gang, np.arange(len(self.start)))

    def compress(self, status: np.ndarray) -> None:
        """Drop the rows that are no longer members."""
        keep = status[self.rows] == _MEMBER
        self.rows, self.gang, self.place, self.key = (
            self.rows[keep],
            self.gang[keep],
            self.place[keep],
            self.key[keep],
        )
        self.start = np.searchsorted(self.gang, np.arange(len(self.start)))
        self.stale = False

    def move(self, rows: np.ndarray, ind: Individuals) -> None:
        """Take the new places of the members ``rows`` from ``ind``."""
        if self.key.size == 0:
            return
        rows = np.asarray(rows, np.int64)
        gang = ind.gang[rows].astype(np.int64)
        key = gang * _SPAN + rows
        pos = np.minimum(np.searchsorted(self.key, key), len(self.key) - 1)
        found = (gang >= 0) & (rows < _SPAN) & (self.key[pos] == key)
        self.place[pos[found]] = ind.place[rows[found]]


@dataclass
class World:
    """Everything that changes during a run, plus the fixed description it started from."""

    scenario: Scenario
    params: SimpleNamespace
    rng: np.random.Generator
    scale: float
    dates: list[dt.date]
    # places
    place_ids: list[str]
    population: np.ndarray  # initial residents
    kind: np.ndarray  # PlaceKind index
    ruggedness: np.ndarray
    traffic: np.ndarray
    band_density: np.ndarray  # local armed groups' density relative to the baseline (M18)
    watched: np.ndarray
    """Thousands of people the police of each place watch over: its residents, or on a
    corridor the vehicles of a day."""
    adjacency: np.ndarray  # bool P x P
    travel: np.ndarray
    """Hours of travel along each edge, P x P (infinite where two places are not linked)."""
    base_police: np.ndarray
    base_firing: np.ndarray
    """Officers on ordinary duty per place, each counted by its unit's use_of_force."""
    corruptibility: np.ndarray
    patrol_level: np.ndarray
    facilities: np.ndarray  # facility count per place
    governance: np.ndarray
    fear: np.ndarray
    trust: np.ndarray
    controller: np.ndarray
    zone_of: np.ndarray  # index into zones, -1 outside any zone
    # people and organisations
    civ: Civilians
    ind: Individuals
    recruitable: np.ndarray  # mask over civilian records: youth in hardship
    civilians: np.ndarray  # people in the civilian mass per place, kept up to date
    recruitable_people: np.ndarray  # of whom young and in hardship
    hardship_people: np.ndarray  # of whom in hardship (M19), kept up to date
    gangs: Gangs
    zones: list[Zone] = field(default_factory=list)
    operations: list[Operation] = field(default_factory=list)
    events: EventLog = field(default_factory=EventLog)
    step: int = 0
    collusion_tolerance: float = 1.0
    pursuit_rule: float | None = None
    """Turn-back chance set for every zone by a hot-pursuit decision, if any."""
    repression: tuple[float, int] | None = None  # (officers per killing, weeks left)
    truces: list[tuple[frozenset[int], int, float]] = field(default_factory=list)
    decided: dict[str, Any] = field(default_factory=dict)
    """What each decision with an ``id`` set, for an ``end`` decision to undo."""
    pending: list[tuple[int, int, int, int]] = field(default_factory=list)
    """Delegated justice awaited: (offender gang, zone, deadline step, cause event)."""
    offences: list[tuple[int, int, str, int, int]] = field(default_factory=list)
    """Offences the doctrine weighs: (step, gang, trigger, place, event)."""
    cooling: dict[tuple[str, int], int] = field(default_factory=dict)
    """(doctrine rule, gang) -> the step until which that rule does not fire again."""
    violence: list[np.ndarray] = field(default_factory=list)
    """Killings per place in each past step, for the doctrine's visible-violence rule."""
    step_events: int = 0
    """Index of this step's first event."""
    pact: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    """Per gang, the index of the zone whose pact it is party to, or -1."""
    ruler: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    """Per place, the last gang that held it (-1 for none yet): whose rule its governance
    is (M5, M8)."""
    _members: MemberIndex | None = None
    _maybe_members: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    """Rows that may be members: the members at the last count and those who joined since
    (a member let out of jail, M23, may be there twice until the next count)."""
    _members_at: np.ndarray | None = None
    lesser_breaches: list[int] = field(default_factory=list)
    """Officials killed by a lesser gang in a pact zone: the cases of the pax (M9, P7)."""
    punished: set[int] = field(default_factory=set)
    """Offence events that a gang has punished itself (M9), so the state need not."""
    successions: list[tuple[int, int]] = field(default_factory=list)
    """Successions this step: (gang, leader_succeeded event), for M21's contests."""
    attempts: dict[tuple[int, int], int] = field(default_factory=dict)
    """Takeovers under way: (gang, place) -> the takeover_attempted event."""
    police: np.ndarray = field(default_factory=lambda: np.zeros(0))
    firing: np.ndarray = field(default_factory=lambda: np.zeros(0))
    """The officers present, each counted by how readily it opens fire (M22)."""
    """Officers present this step at each place (M1, M11 and the operations)."""
    tally: dict[str, np.ndarray] = field(default_factory=dict)
    """This step's counts per place, reset each step, read by the recorder."""
    off: frozenset[str] = frozenset()
    """Mechanisms switched off for this run (the scenario's ``[engine] mechanisms_off``)."""
    economy: float = 1.0
    """The context's real-income index relative to the start (M19); 1 without a series."""
    hardship: float = 0.0
    """The share of residents in hardship now (M19): the context's series where the
    scenario has one, else ``demography.hardship_share`` throughout."""
    hardship_start: float = 0.0
    """The share of residents in hardship at the start."""
    emigrated: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    """Civilians of each place gone abroad since the start (M19), out of the mass."""
    local: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    """Members of each place's local armed groups (M18), kept equal to their rows."""
    _band_slots: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    """The rows of the members of local armed groups (M18): place p's are the first
    ``local[p]`` of its segment, which starts at ``_band_start[p]`` and runs to the next
    place's start (the last, to the end)."""
    _band_start: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    _links: sparse.csr_matrix | None = None
    """The adjacency as a sparse matrix, made on first use."""
    _links_at: dict[bytes, sparse.csr_matrix] = field(default_factory=dict)
    """Rows of ``_links`` for the sets of places asked for."""
    _within: dict[float, sparse.csr_matrix] = field(default_factory=dict)
    """Places within a journey of so many hours of each other, by the hours asked for."""
    drivers: dict[Driver, list[float] | None] = field(default_factory=dict)
    """The context's series on each date of the run, by driver (M19), as first read."""
    _into: tuple[np.ndarray, np.ndarray] | None = None
    """Per place, the places it lies next to (offsets and indexes), made on first use."""
    recruitable_pool: Pool | None = None
    """The records of the young in hardship, by place, for picking among them only."""
    recruitable_start: np.ndarray = field(default_factory=lambda: np.zeros(0))
    """Young residents in hardship of each place at the start (M18 reads the pool left)."""
    outside_prison: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))
    """Mask over civilian records: those of places that are not prisons (records never
    change place, so it is made once)."""
    force_level: np.ndarray = field(default_factory=lambda: np.zeros(0))
    """Per place, confrontations relative to routine policing (M22), set by decisions."""
    postures: list[tuple[np.ndarray, float, int]] = field(default_factory=list)
    """Use-of-force postures in force: (places, level, end step or -1)."""

    @property
    def date(self) -> dt.date:
        return self.dates[self.step]

    @property
    def n_places(self) -> int:
        return len(self.place_ids)

    def member_index(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Rows, gangs and places of all active members, ordered by gang, then row
        (cached until members join; kept up to date as they move or leave)."""
        index = self._index()
        if index.stale:
            index.compress(self.ind.status)
        return index.rows, index.gang, index.place

    def gang_rows(self, gang: int, place: int | None = None) -> np.ndarray:
        """Rows of the gang's active members (at ``place`` if given): a slice of the index,
        so the work grows with the gang, not with every member of every gang."""
        index = self._index()
        start, end = index.start[gang], index.start[gang + 1]
        rows = index.rows[start:end]
        keep = self.ind.status[rows] == _MEMBER
        if place is not None:
            keep &= index.place[start:end] == place
        return rows[keep]

    def _index(self) -> MemberIndex:
        if self._members is None:
            rows = self._maybe_members
            # unique: a member let out of jail (M23) is added again and may still be there
            rows = self._maybe_members = np.unique(rows[self.ind.status[rows] == Status.MEMBER])
            self._members = MemberIndex.of(rows, self.ind, len(self.gangs))
        return self._members

    def members_counted(self) -> np.ndarray:
        """Members of each gang at the index's last full count, those who have left since
        included (cheap: no pass over the members)."""
        return np.diff(self._index().start)

    def members_at(self) -> np.ndarray:
        """Members of each gang at each place, G x P, cached until members change. Read
        only: a caller that needs to change it takes a copy (copying G x P arrays at every
        call grew with gangs times places, as places squared where gangs grow with them)."""
        if self._members_at is None:
            _, gang, place = self.member_index()
            cells = len(self.gangs) * self.n_places
            flat = np.bincount(gang * self.n_places + place, minlength=cells)
            self._members_at = flat.reshape(len(self.gangs), self.n_places)
            self._members_at.flags.writeable = False
        return self._members_at

    def count_recruitable(self) -> None:
        """The young in hardship: their mask over civilian records, people per place and
        records by place, counted from the records (at the start)."""
        civ = self.civ
        self.recruitable = (civ.age == Age.YOUTH) & civ.hardship
        self.recruitable_people = np.bincount(
            civ.place[self.recruitable],
            weights=civ.weight[self.recruitable],
            minlength=self.n_places,
        ).astype(np.int64)
        self.recruitable_pool = Pool.of(civ, self.recruitable)

    def hardship_changed(self, records: np.ndarray, entered: bool) -> None:
        """The civilian ``records`` entered hardship (or left it, M19): the young among
        them join (or leave) the pool of recruits, kept in the same mask array."""
        civ = self.civ
        sign = 1 if entered else -1
        people = np.bincount(
            civ.place[records], weights=civ.weight[records], minlength=self.n_places
        )
        self.hardship_people += sign * people.astype(np.int64)
        young = records[civ.age[records] == Age.YOUTH]
        self.recruitable[young] = entered
        people = np.bincount(civ.place[young], weights=civ.weight[young], minlength=self.n_places)
        self.recruitable_people += sign * people.astype(np.int64)
        self.recruitable_pool = self.recruitable_pool.changed(civ, np.sort(young), entered)

    def members_changed(self, joined: np.ndarray | None = None) -> None:
        """Members (the rows ``joined``) joined: they are added to the index. Without
        ``joined`` (members changed gang), or once gangs were founded, the index is built
        again when next read."""
        index = self._members
        if joined is not None:
            self.flowed(joined, Flow.JOINED)
            self._maybe_members = np.concatenate([self._maybe_members, joined])
        if joined is not None and index is not None and len(index.start) == len(self.gangs) + 1:
            index.add(joined, self.ind)
        else:
            self._members = None
        self._members_at = None

    def flowed(self, rows: np.ndarray, flow: Flow) -> None:
        """The members ``rows`` joined or left their gangs (``ind.gang``) by ``flow``."""
        if len(rows):
            gangs = self.ind.gang[rows]
            self.gangs.flows[:, flow] += np.bincount(gangs, minlength=len(self.gangs))

    def members_back(self, rows: np.ndarray) -> None:
        """People who left their gang but kept its id (jailed, M23) are its members again,
        where they are. The index may still hold them, if it was not read whole since they
        left: it drops them first, so that each is added once (the candidates may hold
        them twice; the next count keeps one)."""
        if self._members is not None and self._members.stale:
            self._members.compress(self.ind.status)
        self.ind.set_status(rows, Status.MEMBER)
        self.members_changed(rows)

    def members_left(self) -> None:
        """Some members left their gang (killed, jailed, quit): the index drops them when
        next read whole; a gang's rows are filtered as they are read."""
        if self._members is not None:
            self._members.stale = True
        self._members_at = None

    def members_moved(self, rows: np.ndarray) -> None:
        """The members ``rows`` moved (their ``ind.place`` is already set): their places
        in the index are updated in place."""
        if self._members is not None:
            self._members.move(rows, self.ind)
        self._members_at = None

    def members(self) -> np.ndarray:
        """Members of each gang."""
        return self.members_at().sum(axis=1)

    def neighbours(self, mask: np.ndarray) -> np.ndarray:
        """Per row of ``mask`` (rows x places, bool), the places next to any of its places.
        Only the cells set are followed along their edges, so the work grows with those
        cells and their roads (and a pass to clear the answer), not with places squared."""
        mask = np.asarray(mask, bool)
        if self._into is None:  # for each place, the places it lies next to
            into = sparse.csr_matrix(self.adjacency.T)
            self._into = (into.indptr.astype(np.int64), into.indices.astype(np.int64))
        indptr, indices = self._into
        flat = np.flatnonzero(mask)
        row, place = np.divmod(flat, self.n_places)
        degree = indptr[place + 1] - indptr[place]
        out = np.zeros(mask.shape, bool)
        edges = ranges(indptr[place], degree)
        out.reshape(-1, self.n_places)[np.repeat(row, degree), indices[edges]] = True
        return out

    def neighbour_sums(self, values: np.ndarray, places: np.ndarray | None = None) -> np.ndarray:
        """Per row of ``values`` (rows x places), the sum over each place's neighbours (the
        place itself not included), at every place or at ``places`` only; a sparse
        product over the edges."""
        if self._links is None:
            self._links = sparse.csr_matrix(self.adjacency, dtype=np.float64)
        links = self._links
        if places is not None:  # the rows of those places, kept (callers ask for few sets)
            key = np.asarray(places).tobytes()
            if key not in self._links_at:
                self._links_at[key] = self._links[places]
            links = self._links_at[key]
        return np.asarray((links @ np.asarray(values, np.float64).T).T)

    def within(self, hours: float) -> sparse.csr_matrix:
        """P x P, 1 where two places lie within ``hours`` of travel along the edges (each
        place within reach of itself), made once for each ``hours`` asked for: the
        shortest journeys, over the sparse graph of the edges, searched no further than
        ``hours``. A journey that sums to ``hours`` counts as within, whatever the rounding
        of its legs (0.1 + 0.7 is not 0.8 in floating point)."""
        if hours not in self._within:
            linked = np.isfinite(self.travel)
            graph = sparse.csr_matrix((self.travel[linked], np.nonzero(linked)), self.travel.shape)
            reach = hours + 1e-9
            journeys = csgraph.dijkstra(graph, directed=False, limit=reach)
            self._within[hours] = sparse.csr_matrix(journeys <= reach, dtype=np.float64)
        return self._within[hours]

    def local_rows(self) -> tuple[np.ndarray, np.ndarray]:
        """Rows of the members of local armed groups and their places, sorted by place,
        then row."""
        rows = kernels.bands_rows(self._band_slots, self._band_start, self.local)
        return rows, np.repeat(np.arange(self.n_places), self.local)

    def armed(self) -> np.ndarray:
        """Armed people at each place: gang members and members of local groups."""
        return self.members_at().sum(axis=0) + self.local

    def count(self, name: str, place: int | np.ndarray, amount: float | np.ndarray = 1.0) -> None:
        """Add to this step's tally ``name`` at ``place`` (read by the recorder)."""
        tally = self.tally.get(name)
        if tally is None:
            tally = self.tally[name] = np.zeros(self.n_places)
        if np.ndim(place) == 0:
            tally[place] += amount
        else:
            np.add.at(tally, place, amount)

    def count_all(self, name: str, amounts: np.ndarray) -> None:
        """Add ``amounts`` (one per place) to this step's tally ``name``."""
        tally = self.tally.get(name)
        if tally is None:
            self.tally[name] = np.asarray(amounts, float).copy()
        else:
            tally += amounts

    def offend(self, gang: int, trigger: str, place: int, event: int) -> None:
        """Record an offence for the state's doctrine (M17) to weigh."""
        self.offences.append((self.step, gang, trigger, place, event))

    def active_zone(self, place: int) -> Zone | None:
        z = self.zone_of[place]
        return self.zones[z] if z >= 0 and self.zones[z].active else None

    def hunted(self) -> np.ndarray:
        """Per gang, whether an operation aimed at it is under way (M10, M11, M17)."""
        hunted = np.zeros(len(self.gangs), bool)
        hunted[[op.target for op in self.operations if op.target >= 0]] = True
        return hunted

    def commanded(self) -> np.ndarray:
        """Per gang, whether its leader commands it: free and present, or jailed while the
        gang holds a prison, which is then its command centre (M21: Tocorón, seed 000), or
        jailed since the start, commanding from his cell as the scenario says (a leader
        changed since, whose ``leader_since`` has moved on, no longer does)."""
        g = self.gangs
        prisons = self.kind == PRISON
        holds = np.bincount(
            self.controller[prisons & (self.controller >= 0)], minlength=len(g)
        ).astype(bool)
        from_jail = holds | (g.jail_command & (g.leader_since == 0))
        return (g.leader == _ACTIVE) | ((g.leader == _LEADER_JAILED) & from_jail)

    def keeping(self, condition: Condition) -> np.ndarray:
        """Per gang, whether it keeps ``condition`` of its pact this week."""
        return self.gangs.keeps[:, CONDITIONS.index(condition)]

    def in_zone(self) -> np.ndarray:
        """Per place, whether it lies in an active zone."""
        active = np.array([zone.active for zone in self.zones] + [False])
        return active[self.zone_of]

    def pact_of(self, gang: int) -> Zone | None:
        """The active zone whose pact the gang is party to, if any."""
        z = self.pact[gang]
        return self.zones[z] if z >= 0 else None

    def zones_changed(self) -> None:
        """Recompute which pact each gang is party to, after a zone starts or ends."""
        self.pact = np.full(len(self.gangs), -1)
        for z, zone in enumerate(self.zones):
            if zone.active:
                self.pact[zone.parties] = z


def start_hardship(scenario: Scenario, default: float) -> float:
    """The share of residents in hardship on the start date: the context's series where
    the scenario has one (M19), else ``default`` (``demography.hardship_share``)."""
    for s in scenario.context:
        if s.driver == Driver.HARDSHIP:
            return s.at(scenario.meta.start)
    return default


def build_world(
    scenario: Scenario, params: SimpleNamespace, rng: np.random.Generator, scale: float
) -> World:
    """The world on the scenario's start date, at ``scale`` records per person."""
    places = scenario.places
    index = {p.id: i for i, p in enumerate(places)}
    population = np.array([p.population for p in places], dtype=np.int64)
    demo = params.demography
    hardship = start_hardship(scenario, demo.hardship_share)
    civ = build_civilians(
        population, scale, demo.youth_share, demo.child_share, demo.elder_share, hardship, rng
    )
    travel = _travel(scenario, index)  # hours along each edge; linked where finite
    world = World(
        scenario=scenario,
        params=params,
        rng=rng,
        scale=scale,
        dates=_calendar(scenario),
        place_ids=[p.id for p in places],
        population=population,
        kind=np.array([list(PlaceKind).index(p.kind) for p in places]),
        ruggedness=np.array([p.terrain.ruggedness for p in places]),
        traffic=np.array([p.traffic for p in places]),
        band_density=np.array([p.band_density for p in places], np.float64),
        watched=np.array(
            [max(p.population or p.traffic / DAYS_A_WEEK, 1.0) / 1000.0 for p in places]
        ),
        adjacency=np.isfinite(travel),
        travel=travel,
        base_police=_police(scenario, index),
        base_firing=_police(scenario, index, firing=True),
        corruptibility=_corruptibility(scenario, index),
        patrol_level=np.ones(len(places)),
        facilities=np.bincount(
            [index[f.place] for f in scenario.forces.facilities], minlength=len(places)
        ),
        governance=np.zeros(len(places)),
        fear=np.zeros(len(places)),
        trust=np.full(len(places), params.residents.initial_trust),
        controller=np.full(len(places), STATE),
        zone_of=np.full(len(places), -1),
        civ=civ,
        ind=Individuals(),
        recruitable=np.zeros(0, bool),  # counted below
        civilians=population.astype(np.int64),
        recruitable_people=np.zeros(len(places), np.int64),
        hardship_people=np.bincount(
            civ.place, weights=civ.weight * civ.hardship, minlength=len(places)
        ).astype(np.int64),
        gangs=_gangs(scenario, index, params),
        off=frozenset(scenario.engine.mechanisms_off),
    )
    world.hardship = world.hardship_start = hardship
    world.outside_prison = world.kind[civ.place] != PRISON
    world.count_recruitable()
    world.recruitable_start = world.recruitable_people.astype(float)
    world.emigrated = np.zeros(len(places), np.int64)
    world.local = np.zeros(len(places), np.int64)
    world._band_start = np.zeros(len(places), np.int64)
    world.force_level = np.ones(len(places))
    _seed_members(world, index)
    world.zones_changed()
    return world


def _calendar(scenario: Scenario) -> list[dt.date]:
    step = dt.timedelta(days=scenario.meta.step_days)
    dates, day = [], scenario.meta.start
    while day <= scenario.meta.end:
        dates.append(day)
        day += step
    return dates


def _travel(scenario: Scenario, index: dict[str, int]) -> np.ndarray:
    hours = np.full((len(index), len(index)), np.inf)
    for e in scenario.edges:
        hours[index[e.a], index[e.b]] = hours[index[e.b], index[e.a]] = e.cost
    return hours


POLICING_UNITS = (
    UnitKind.POLICE,
    UnitKind.LOCAL_POLICE,
    UnitKind.NATIONAL_POLICE,
    UnitKind.NATIONAL_GUARD,
    UnitKind.MILITARY_POLICE,
    UnitKind.SPECIAL_FORCES,
)


def _patrols(unit: ForceUnit) -> bool:
    """Whether a unit is on ordinary duty: police of any kind unless withdrawn, and any
    unit deployed (the army and intelligence otherwise stay in barracks)."""
    posture = unit.posture.value
    return posture == "deployment" or (unit.unit in POLICING_UNITS and posture != "withdrawn")


def _police(scenario: Scenario, index: dict[str, int], firing: bool = False) -> np.ndarray:
    """Officers on ordinary duty per place; with ``firing``, each counted by how readily
    its unit opens fire (its ``use_of_force``), for M22's confrontations."""
    police = np.zeros(len(index))
    for u in scenario.forces.units:
        if _patrols(u):
            police[index[u.place]] += u.size * u.use_of_force if firing else u.size
    return police


def _corruptibility(scenario: Scenario, index: dict[str, int]) -> np.ndarray:
    """Officer-weighted corruptibility of the forces at each place."""
    size, weighted = np.zeros(len(index)), np.zeros(len(index))
    for u in scenario.forces.units:
        size[index[u.place]] += u.size
        weighted[index[u.place]] += u.size * u.corruptibility
    return np.divide(weighted, size, out=np.zeros(len(index)), where=size > 0)


@dataclass(frozen=True)
class Slot:
    """A gang that may form during a run (M21): a breakaway faction, or a new gang."""

    id: str
    name: str
    faction: bool  # a faction splits from a gang; a new gang forms from local bands


def gang_slots(scenario: Scenario) -> list[Slot]:
    """The gangs that may form in a run of ``scenario``, after its own, in index order:
    breakaway factions, then new gangs, of each as many as an eighth of the scenario's
    gangs and at least two. Fixed by the scenario, so that a gang's index (the map's
    controller codes) means the same in every run of a batch; few, because every array
    over gangs and places grows with them."""
    k = max(2, -(-len(scenario.gangs) // 8))
    return [Slot(f"{FACTION}{i}", f"Breakaway faction {i}", True) for i in range(1, k + 1)] + [
        Slot(f"{NEW_GANG}{i}", f"New gang {i}", False) for i in range(1, k + 1)
    ]


def _gangs(scenario: Scenario, index: dict[str, int], params: SimpleNamespace) -> Gangs:
    gs = scenario.gangs
    slots = gang_slots(scenario)
    gi = {g.id: i for i, g in enumerate(gs)}
    n = len(gs) + len(slots)

    def has(line: str) -> np.ndarray:
        named = [line in {r.value for r in g.revenue} for g in gs]
        return np.array(named + [False] * len(slots), bool)

    def of(values: list, fill: object, dtype: object) -> np.ndarray:
        return np.array(list(values) + [fill] * len(slots), dtype)

    allied, rival = np.zeros((n, n), bool), np.zeros((n, n), bool)
    for i, g in enumerate(gs):
        for other in g.allies:
            allied[i, gi[other]] = allied[gi[other], i] = True
        for other in g.rivals:
            rival[i, gi[other]] = rival[gi[other], i] = True
    return Gangs(
        ids=[g.id for g in gs] + [s.id for s in slots],
        parent=np.full(n, -1, np.int64),
        faction=np.array([False] * len(gs) + [s.faction for s in slots], bool),
        slot=np.array([False] * len(gs) + [True] * len(slots), bool),
        weapons=of([g.weapons for g in gs], 0.0, float),
        treasury=of([g.treasury for g in gs], 0.0, float),
        home=of([index[g.home] for g in gs], 0, np.int64),
        drug=has("drug_retail"),
        extortion=has("extortion"),
        highway=has("highway_predation"),
        kidnapping=has("kidnapping"),
        aid_line=has("aid_diversion"),
        rural_base=of([g.traits.rural_base for g in gs], False, bool),
        political=of([g.traits.political_services for g in gs], False, bool),
        ties=of([g.traits.police_ties for g in gs], False, bool),
        allied=allied,
        rival=rival,
        leader=of(
            [LeaderState.JAILED if g.leader.jailed else LeaderState.ACTIVE for g in gs],
            LeaderState.ACTIVE,
            np.int8,
        ),
        leader_since=of([0] * len(gs), -1, np.int64),  # -1: a slot never used
        jail_command=of([g.leader.jailed for g in gs], False, bool),
        belief=np.full(n, params.expansion.impunity_prior),
        alive=of([True] * len(gs), False, bool),
        grievance=np.zeros(n),
        homicides=np.zeros(n),
        unpaid=np.zeros(n),
        revenue=np.zeros(n),
        income=np.zeros(n),
        arming=np.zeros(n),
        flows=np.zeros((n, len(Flow))),
        keeps=np.zeros((n, len(Condition)), bool),
    )


def spread(total: int, weights: list[float]) -> np.ndarray:
    """``total`` split in whole numbers in proportion to ``weights`` (evenly where they are
    all 0): each its floor, and the rest one by one to the largest remainders, the first
    place first among equals."""
    w = np.asarray(weights, np.float64)
    w = np.ones(len(w)) if w.sum() <= 0 else w
    exact = total * w / w.sum()
    counts = np.floor(exact).astype(np.int64)
    rest = total - int(counts.sum())
    order = np.argsort(-(exact - counts), kind="stable")
    counts[order[:rest]] += 1
    return counts


def _seed_members(world: World, index: dict[str, int]) -> None:
    """Each gang's members at the start where ``members_by_place`` puts them, or else
    spread over its home and territory by their populations (evenly where none has any).

    Members are taken out of the young civilians of those places, so that the population
    is conserved; where a place has too few, the rest come from its other civilians.
    """
    from .actions import take  # actions builds on World: import here, once, at set-up

    population = {p.id: p.population for p in world.scenario.places}
    for g, gang in enumerate(world.scenario.gangs):
        counts = np.zeros(world.n_places, np.int64)
        ids = [gang.home, *gang.territory]
        if gang.members_by_place:
            for place, n in gang.members_by_place.items():
                counts[index[place]] += n
        else:
            split = spread(gang.members, [population[i] for i in ids])
            np.add.at(counts, [index[i] for i in ids], split)
        for eligible in (world.recruitable, None):
            counts -= take(world, counts, eligible, Status.MEMBER, g)
