"""Events: typed, dated records with actors and the event that caused them."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import pyarrow as pa

NO_CAUSE = -1
NOBODY = -1


class Kind(StrEnum):
    """Every kind of event the model emits."""

    HOMICIDE_GANG_ON_GANG = "homicide_gang_on_gang"
    HOMICIDE_GANG_ON_CIVILIAN = "homicide_gang_on_civilian"
    HOMICIDE_BY_POLICE = "homicide_by_police"
    HOMICIDE_LOCAL = "homicide_by_local_group"
    HOMICIDE_OTHER = "homicide_other"
    OFFICIAL_KILLED = "official_killed"
    SENIOR_OFFICIAL_KILLED = "senior_official_killed"
    ARREST = "arrest"
    RECRUITMENT = "recruitment"
    DESERTION = "desertion"
    EXTORTION = "extortion"
    KIDNAPPING = "kidnapping"
    HIGHWAY_ROBBERY = "highway_robbery"
    CRIME_OUTSIDE_ZONE = "crime_outside_zone"
    EXPULSION = "expulsion"
    DISPLACEMENT = "displacement"
    AID_DIVERTED = "aid_diverted"
    PACT_BREACH_SEEN = "pact_breach_seen"
    PURSUIT_ABANDONED = "pursuit_abandoned"
    PURSUIT_ARREST = "pursuit_arrest"
    INCURSION_RECALLED = "incursion_recalled"
    TAKEOVER_ATTEMPTED = "takeover_attempted"
    TAKEOVER_WON = "takeover_won"
    TAKEOVER_LOST = "takeover_lost"
    ALLIANCE = "alliance"
    ALLIANCE_ENDED = "alliance_ended"
    CLASH = "clash"
    PUNISHMENT_MASSACRE = "punishment_massacre"
    FACILITY_ATTACK = "facility_attack"
    TARGETED_OPERATION = "targeted_operation"
    OFFENSIVE = "offensive"
    OPERATION_ENDED = "operation_ended"
    CRACKDOWN = "crackdown"
    ZONE_DECLARED = "zone_declared"
    ZONE_ENDED = "zone_ended"
    USE_OF_FORCE = "use_of_force"
    LEADER_KILLED = "leader_killed"
    LEADER_JAILED = "leader_jailed"
    LEADER_EXTRADITED = "leader_extradited"
    LEADER_FLED = "leader_fled"
    LEADER_RETURNED = "leader_returned"
    LEADER_SUCCEEDED = "leader_succeeded"
    MEMBERS_RETURNED = "members_returned"
    RELEASED = "released"
    """People let out of jail (M23); the actor is the gang a member went back to, none
    for anyone else."""
    GANG_COLLAPSED = "gang_collapsed"
    GANG_SPLIT = "gang_split"
    GANG_FORMED = "gang_formed"
    DECISION = "decision"
    """A decision of the schedule taken; its count is the decision's place in the
    schedule (0 for the first), which the chronicle reads to tell it."""
    LEADER_RELEASED = "leader_released"
    """A jailed leader let out while his gang has no other leader, who takes back command
    (M23)."""
    LEADER_HANDED_OVER = "leader_handed_over"
    """A jailed leader extradited by a ``remove_leader`` decision: his command ends."""


KINDS = list(Kind)
KIND_CODE = {kind: i for i, kind in enumerate(KINDS)}


@dataclass
class EventLog:
    """Append-only columns of events; ``add`` returns the new event's id for causes."""

    step: list[int] = field(default_factory=list)
    kind: list[int] = field(default_factory=list)
    place: list[int] = field(default_factory=list)
    actor: list[int] = field(default_factory=list)
    target: list[int] = field(default_factory=list)
    count: list[float] = field(default_factory=list)
    cause: list[int] = field(default_factory=list)
    now: int = 0

    def add(
        self,
        kind: Kind,
        place: int = NOBODY,
        actor: int = NOBODY,
        target: int = NOBODY,
        count: float = 1.0,
        cause: int = NO_CAUSE,
    ) -> int:
        self.step.append(self.now)
        self.kind.append(KIND_CODE[kind])
        self.place.append(int(place))
        self.actor.append(int(actor))
        self.target.append(int(target))
        self.count.append(float(count))
        self.cause.append(int(cause))
        return len(self.step) - 1

    def add_many(
        self,
        kind: Kind,
        place: np.ndarray,
        actor: np.ndarray | int,
        count: np.ndarray,
        target: np.ndarray | int = NOBODY,
        cause: np.ndarray | int = NO_CAUSE,
    ) -> np.ndarray:
        """Events of one kind, one per entry of ``place``; their ids, in order."""
        n, first = len(place), len(self.step)
        if n == 0:
            return _NONE
        self.step.extend([self.now] * n)
        self.kind.extend([KIND_CODE[kind]] * n)
        self.place.extend(_values(place, n))
        self.actor.extend(_values(actor, n))
        self.target.extend(_values(target, n))
        self.cause.extend(_values(cause, n))
        self.count.extend(np.asarray(count, np.float64).tolist())
        return np.arange(first, first + n)

    def add_counts(
        self, kind: Kind, counts: np.ndarray, actor: int = NOBODY, cause: int = NO_CAUSE
    ) -> None:
        """One event per place with a non-zero count (``counts`` indexed by place)."""
        places = np.flatnonzero(counts)
        self.add_many(kind, places, actor, counts[places], cause=cause)

    def table(self, dates: list, places: list[str], gangs: list[str]) -> pa.Table:
        """The log as a table with dates, names and the id of each event's cause."""
        from . import arrow

        step = np.asarray(self.step, dtype=np.int32)
        places, gangs = ["", *places], ["", *gangs]

        def named(codes: list[int], labels: list[str]) -> pa.Array:
            return arrow.decoded(np.asarray(codes, dtype=np.int32) + 1, labels)

        return arrow.table(
            {
                "event": arrow.numbers(np.arange(len(step), dtype=np.int64)),
                "date": arrow.timestamps(np.asarray(dates, dtype="datetime64[s]")[step]),
                "step": arrow.numbers(step),
                "kind": arrow.coded(np.asarray(self.kind, np.int16), [k.value for k in KINDS]),
                "place": named(self.place, places),
                "actor": named(self.actor, gangs),
                "target": named(self.target, gangs),
                "count": arrow.numbers(np.asarray(self.count, dtype=np.float64)),
                "cause": arrow.numbers(np.asarray(self.cause, dtype=np.int64)),
            }
        )


_NONE = np.zeros(0, np.int64)
_NONE.flags.writeable = False


def _values(values: np.ndarray | int, n: int) -> list[int]:
    """An array's values, or one value ``n`` times, as Python ints."""
    if isinstance(values, np.ndarray):
        return values.tolist()
    return [int(values)] * n
